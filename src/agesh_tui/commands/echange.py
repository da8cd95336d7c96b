"""``agesh import DOSSIER`` and ``agesh export DOSSIER``: the interchange
format of SPEC §4 (a folder of CSV files)."""

from __future__ import annotations

from pathlib import Path

from . import CommandError, emit_json, ouvrir_base, today_of


def register(sub, common) -> None:
    parser = sub.add_parser(
        "import", parents=[common],
        help="importer un dossier au format d'échange (fichiers CSV) ; tout ou rien",
    )
    parser.add_argument("dossier", metavar="DOSSIER", type=Path)
    parser.add_argument("--json", action="store_true", help="résultat en JSON sur la sortie standard")
    parser.set_defaults(handler=run_import)

    parser = sub.add_parser(
        "export", parents=[common],
        help="exporter la base au format d'échange (écrase les fichiers du même nom)",
    )
    parser.add_argument("dossier", metavar="DOSSIER", type=Path)
    parser.add_argument("--json", action="store_true", help="résultat en JSON sur la sortie standard")
    parser.set_defaults(handler=run_export)


def run_import(args) -> int:
    from ..engine.echange.format import EchangeError

    today = today_of(args)  # birth dates are not after it
    try:
        with ouvrir_base(args, creer=True) as base:
            resultat = base.importer(args.dossier, today)
    except EchangeError as exc:
        raise CommandError(str(exc)) from exc
    if args.json:
        emit_json({
            "imported": resultat.lus,
            "ajoutes": resultat.ajoutes,
            "modifies": resultat.modifies,
        })
    elif resultat.changements == 0:
        print(f"Import de {_lignes(sum(resultat.lus.values()))} : aucun changement, la base était à jour.")
    else:
        print(
            f"Import de {_lignes(sum(resultat.lus.values()))} ({len(resultat.lus)} fichiers) : "
            f"{sum(resultat.ajoutes.values())} ajoutée(s), {sum(resultat.modifies.values())} modifiée(s)."
        )
    return 0


def run_export(args) -> int:
    from ..engine.echange.format import EchangeError

    try:
        with ouvrir_base(args) as base:
            comptes = base.exporter(args.dossier)
    except EchangeError as exc:
        raise CommandError(str(exc)) from exc
    if args.json:
        emit_json({"exported": comptes})
    else:
        print(f"Export de {_lignes(sum(comptes.values()))} en {len(comptes)} fichiers dans {args.dossier}.")
    return 0


def _lignes(n: int) -> str:
    return "1 ligne" if n == 1 else f"{n} lignes"

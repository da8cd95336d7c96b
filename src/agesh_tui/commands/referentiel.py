"""``agesh referentiel``: import the établissements and PIAL of the Annuaire
de l'éducation, from a CSV extract or from its API (SPEC §5, §F15)."""

from __future__ import annotations

import sys

from . import CommandError, emit_json, ouvrir_base


def register(sub, common) -> None:
    parser = sub.add_parser(
        "referentiel",
        parents=[common],
        help="importer le référentiel des établissements (Annuaire de l'éducation)",
        description=(
            "Importe les établissements et les PIAL de l'Annuaire de l'éducation, depuis un "
            "extrait CSV ou depuis l'API de data.education.gouv.fr. Réimporter le même "
            "référentiel ne change rien."
        ),
    )
    origine = parser.add_mutually_exclusive_group(required=True)
    origine.add_argument("fichier", nargs="?", metavar="FICHIER.csv", help="extrait CSV de l'Annuaire")
    origine.add_argument("--api", action="store_true", help="télécharger depuis data.education.gouv.fr")
    parser.add_argument("--departement", metavar="NNN", help="département à télécharger avec --api (ex. 035)")
    parser.add_argument("--json", action="store_true", help="résultat en JSON sur la sortie standard")

    def handler(args) -> int:
        if args.api and not args.departement:
            parser.error("--api demande --departement NNN")
        if args.fichier and args.departement:
            parser.error("--departement ne s'emploie qu'avec --api")
        return importer_referentiel(args)

    parser.set_defaults(handler=handler)


def importer_referentiel(args) -> int:
    from ..engine.echange.referentiel import ReferentielError, lire_annuaire

    try:
        referentiel = _telecharger(args) if args.api else lire_annuaire(args.fichier)
    except ReferentielError as exc:
        raise CommandError(str(exc)) from exc
    with ouvrir_base(args, creer=True) as base:
        bilan = base.enregistrer_referentiel(referentiel)

    n, m = len(referentiel.etablissements), len(referentiel.pial)
    if args.json:
        emit_json({
            "etablissements": n, "pial": m, "avertissements": referentiel.avertissements,
            "lignes": referentiel.lignes, **bilan,
        })
        return 0
    sans_tete = sum(1 for present in referentiel.pial.values() if not present)
    print(
        f"{n} établissements lus ({referentiel.lignes} lignes), {m} PIAL"
        + (f" dont {sans_tete} sans tête connue" if sans_tete else "")
        + f" : {bilan['inseres']} ajoutés, {bilan['modifies']} modifiés, "
        f"{bilan['inchanges']} inchangés."
    )
    for avertissement in referentiel.avertissements:
        print(f"avertissement : {avertissement}", file=sys.stderr)
    return 0


def _telecharger(args):
    from ..api.annuaire import AnnuaireIndisponible, telecharger_annuaire

    progress = None
    if not args.json and sys.stderr.isatty():
        def progress(recus: int, total: int) -> None:
            print(f"\rtéléchargement : {recus}/{total} établissements", end="", file=sys.stderr, flush=True)

    try:
        return telecharger_annuaire(args.departement, progress=progress)
    except AnnuaireIndisponible as exc:
        raise CommandError(str(exc)) from exc
    finally:
        if progress is not None:
            print(file=sys.stderr)

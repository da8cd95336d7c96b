"""``agesh synchro-rh``: synchronise the AESH and their missions with the
EPP and ASSED extracts of the RH bases (SPEC §2.6, docs/import-rh.md)."""

from __future__ import annotations

import sys

from . import CommandError, emit_json, ouvrir_base, today_of


def register(sub, common) -> None:
    parser = sub.add_parser(
        "synchro-rh", parents=[common],
        help="synchroniser les AESH et leurs missions avec les extraits RH EPP et ASSED",
        description=(
            "Crée, met à jour, désactive ou réactive les AESH et les missions des bases RH "
            "données, d'après leurs extraits CSV (voir docs/import-rh.md). Un extrait invalide "
            "est refusé en entier ; les AESH et missions prévisionnels ne sont jamais modifiés."
        ),
    )
    parser.add_argument("--epp", metavar="FICHIER", help="extrait CSV de la base EPP (Titre II)")
    parser.add_argument("--assed", metavar="FICHIER", help="extrait CSV de la base ASSED (hors Titre II)")
    parser.add_argument("--json", action="store_true", help="rapport en JSON sur la sortie standard")

    def handler(args) -> int:
        if not args.epp and not args.assed:
            parser.error("au moins un extrait est requis : --epp FICHIER et/ou --assed FICHIER")
        return synchroniser_rh(args)

    parser.set_defaults(handler=handler)


def synchroniser_rh(args) -> int:
    from ..engine.echange.extrait_rh import ExtraitInvalide, SynchroRHError, lire_extrait

    today = today_of(args)
    extraits, erreurs = [], []
    try:
        # Both files are read before anything is refused: one run shows
        # every error of both.
        for base, chemin in (("EPP", args.epp), ("ASSED", args.assed)):
            if chemin:
                try:
                    extraits.append(lire_extrait(chemin, base, today))
                except ExtraitInvalide as exc:
                    erreurs += exc.erreurs
        if erreurs:
            raise ExtraitInvalide(erreurs)
        with ouvrir_base(args) as base:
            rapport = base.synchroniser_rh(extraits, today)
    except SynchroRHError as exc:
        raise CommandError(str(exc)) from exc
    if args.json:
        emit_json(rapport.en_dict())
        return 0
    for base, bilan in rapport.bases.items():
        print(_resume(base, bilan))
    if not rapport.ecrit:
        print("Aucun changement : la base était déjà à jour.")
    for bilan in rapport.bases.values():
        for avertissement in bilan.avertissements:
            print(f"avertissement : {avertissement}", file=sys.stderr)
    return 0


def _resume(base: str, bilan) -> str:
    lignes = "1 ligne" if bilan.lignes == 1 else f"{bilan.lignes} lignes"
    texte = (
        f"{base} ({lignes}) : AESH {len(bilan.aesh_crees)} créé(s), "
        f"{len(bilan.aesh_modifies)} modifié(s), {len(bilan.aesh_desactives)} désactivé(s), "
        f"{len(bilan.aesh_reactives)} réactivé(s) ; missions {len(bilan.missions_creees)} créée(s), "
        f"{len(bilan.missions_modifiees)} modifiée(s), {len(bilan.missions_desactivees)} désactivée(s), "
        f"{len(bilan.missions_reactivees)} réactivée(s), "
        f"{len(bilan.missions_ignorees)} ignorée(s) (terminées depuis plus de 3 ans)"
    )
    if base == "ASSED":
        texte += f", {len(bilan.contrats_non_signes)} contrat(s) non signé(s) non importé(s)"
    return texte + "."

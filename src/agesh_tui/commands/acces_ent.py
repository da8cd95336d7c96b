"""``agesh acces-ent``: the ENT access of the AESH of an établissement —
what to add, what to remove since the previous run — with the accounts
CSV, the printable procedure and the JSON for the next run (SPEC §5, §6)."""

from __future__ import annotations

from pathlib import Path

from . import CommandError, date_iso, emit_json, ouvrir_session


def register(sub, common) -> None:
    from ..engine.regles.acces_ent import ENTS

    p = sub.add_parser("acces-ent", parents=[common],
                       help="accès ENT des AESH d'un établissement : à ajouter, à retirer, procédure PDF")
    p.add_argument("uai", nargs="+", metavar="UAI", help="établissement(s)")
    p.add_argument("--date", type=date_iso, metavar="AAAA-MM-JJ", help="jour de la situation (défaut : aujourd'hui)")
    p.add_argument("--ent", choices=tuple(ENTS), default="entmip",
                   help="l'ENT de l'établissement, pour les mots de la procédure (défaut : entmip)")
    p.add_argument("--depuis", type=Path, metavar="FICHIER.json|DOSSIER",
                   help="l'export précédent (son .json), ou le dossier des exports : le plus récent "
                        "avant --date y est pris")
    p.add_argument("-o", "--sortie", type=Path, required=True, metavar="DOSSIER",
                   help="dossier où écrire le CSV des comptes, la procédure PDF et le JSON")
    p.add_argument("--force", action="store_true", help="remplacer les fichiers s'ils existent déjà")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=run_acces_ent)


def run_acces_ent(args) -> int:
    from ..api.erreurs import RefusFichier
    from ..engine.echange.ent import document

    uais = list(dict.fromkeys(u.strip().upper() for u in args.uai))
    if args.depuis is not None and len(uais) > 1 and not args.depuis.is_dir():
        raise CommandError("avec plusieurs établissements, --depuis nomme le dossier des exports")
    with ouvrir_session(args) as session:
        liste = [session.acces_ent(uai, args.date, args.ent, args.depuis) for uai in uais]
        try:
            fichiers = session.ecrire_acces_ent(liste, args.sortie, remplacer=args.force)
        except RefusFichier as exc:
            if exc.existe:
                raise CommandError(f"{exc} (--force pour le remplacer)") from None
            raise
    documents = [document(a, [str(f) for f in chemins]) for a, chemins in zip(liste, fichiers)]
    if args.json:
        emit_json(documents[0] if len(documents) == 1 else documents)
        return 0
    for doc in documents:
        _resume(doc)
    return 0


def _resume(doc: dict) -> None:
    print(f"{doc['etablissement'] or doc['uai']} ({doc['uai']}), {doc['ent']}, au {doc['date']} : "
          f"{len(doc['acces'])} AESH avec accès"
          + (f", depuis le {doc['depuis']}" if doc["depuis"] else " (premier état)"))
    for quoi, lignes in (("ajouter", doc["ajouter"]), ("retirer", doc["retirer"])):
        for c in lignes:
            detail = ", ".join(c["groupes"] + [f"classe {x}" for x in c["classes"]])
            print(f"  {quoi} : {c['nom']} {c['prenom']} — {detail} ({c['motif']})")
    if doc["classes_manquantes"]:
        print(f"  attention : {len(doc['classes_manquantes'])} élève(s) accompagné(s) sans classe connue "
              "(agesh siecle ou agesh onde la renseignent)")
    for f in doc["fichiers"]:
        print(f"  écrit : {f}")


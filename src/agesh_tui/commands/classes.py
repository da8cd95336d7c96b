"""``agesh siecle`` and ``agesh onde``: the classes of the scolarités from
a SIECLE « Base élèves » export or from the ONDE pupils CSV (SPEC §5, §6)."""

from __future__ import annotations

from pathlib import Path

from . import add_auteur, date_iso, emit_json, ouvrir_session


def register(sub, common) -> None:
    p = sub.add_parser(
        "siecle", parents=[common],
        help="mettre à jour les classes depuis un export SIECLE (ElevesSansAdresses.xml, ou le .zip)",
    )
    p.add_argument("fichier", type=Path, metavar="FICHIER.xml|.zip")
    _options(p)
    p.set_defaults(handler=run_siecle)

    p = sub.add_parser("onde", parents=[common],
                       help="mettre à jour les classes d'une école depuis l'export CSV des élèves d'ONDE")
    p.add_argument("fichier", type=Path, metavar="FICHIER.csv")
    p.add_argument("--uai", required=True, metavar="UAI", help="l'école de l'export (ONDE ne la nomme pas)")
    p.add_argument("--date", type=date_iso, metavar="AAAA-MM-JJ",
                   help="jour de l'export (défaut : aujourd'hui)")
    p.add_argument("--encodage", metavar="NOM",
                   help="encodage du fichier (défaut : UTF-8 s'il est valide, sinon Windows-1252)")
    _options(p)
    p.set_defaults(handler=run_onde)


def _options(p) -> None:
    p.add_argument("--dry-run", action="store_true", help="montrer ce qui changerait, sans rien écrire")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    add_auteur(p)


def run_siecle(args) -> int:
    from .pial import maintenant_of

    with ouvrir_session(args) as session:
        rapport = session.classes_siecle(args.fichier, dry_run=args.dry_run, maintenant=maintenant_of(args))
    return _sortie(args, rapport)


def run_onde(args) -> int:
    from .pial import maintenant_of

    with ouvrir_session(args) as session:
        rapport = session.classes_onde(args.fichier, args.uai.strip().upper(), args.date,
                                       dry_run=args.dry_run, encodage=args.encodage,
                                       maintenant=maintenant_of(args))
    return _sortie(args, rapport)


def _lu(x) -> dict:
    return {"ligne": x.ligne, "ine": x.ine, "nom": x.nom, "prenom": x.prenom,
            "date_naissance": x.naissance.isoformat() if x.naissance else None}


def document(rapport) -> dict:
    plan, export = rapport.plan, rapport.export
    return {
        "fichier": export.fichier, "source": export.source, "uai": export.uai,
        "date": export.jour.isoformat(), "dry_run": rapport.dry_run,
        "classes_mises_a_jour": len(plan.mises_a_jour),
        "inchangees": len(plan.inchangees),
        "mises_a_jour": [{"scolarite_id": m.scolarite_id, "eleve_id": m.eleve_id, "ancienne": m.ancienne,
                          "nouvelle": m.nouvelle, "ligne": m.ligne} for m in plan.mises_a_jour],
        "eleves_inconnus": [_lu(x) for x in plan.inconnus],
        "ambigus": [{**_lu(x), "motif": x.motif, "eleve_ids": list(x.eleve_ids)} for x in plan.ambigus],
        "sans_scolarite": [{"eleve_id": s.eleve_id, "uai": s.uai, "ligne": s.ligne, "classe": s.classe}
                           for s in plan.sans_scolarite],
        "sans_classe": list(plan.sans_classe),
        "non_notifies": plan.non_notifies,
        "sortis": export.sortis,
    }


def _sortie(args, rapport) -> int:
    doc = document(rapport)
    if args.json:
        emit_json(doc)
        return 0
    n = doc["classes_mises_a_jour"]
    verbe = "seraient mises à jour (--dry-run : rien n'a été écrit)" if args.dry_run else "mises à jour"
    print(f"{doc['source']} {doc['uai']} du {rapport.export.jour:%d/%m/%Y} : "
          f"{len(rapport.export.eleves)} élève(s) dans le fichier.")
    print(f"  {n} classe(s) {verbe}, {doc['inchangees']} inchangée(s).")
    for m in doc["mises_a_jour"]:
        print(f"    {m['eleve_id']} : « {m['ancienne']} » → « {m['nouvelle']} »")
    if doc["sans_scolarite"]:
        print(f"  {len(doc['sans_scolarite'])} élève(s) notifié(s) placé(s) dans l'établissement par le "
              "fichier sans scolarité ici à cette date (à saisir par l'ERSEH) :")
        for s in doc["sans_scolarite"]:
            print(f"    {s['eleve_id']} (ligne {s['ligne']}, classe « {s['classe']} »)")
    for a in doc["ambigus"]:
        print(f"  ambigu, ligne {a['ligne']} ({a['nom']} {a['prenom']}) : {a['motif']} "
              f"({', '.join(a['eleve_ids'])}) — rien n'est changé")
    print(f"  {len(doc['eleves_inconnus'])} élève(s) du fichier sans dossier dans la base "
          "(normal : seuls les élèves notifiés y sont).")
    return 0

"""``agesh accompagnement creer|supprimer|candidats`` (SPEC §2.3, §5)."""

from __future__ import annotations

import sys

from . import (
    CommandError,
    add_auteur,
    date_iso,
    emit_json,
    nombre_positif,
    ouvrir_session,
    print_table,
)


def register(sub, common) -> None:
    parser = sub.add_parser("accompagnement", parents=[common],
                            help="créer, supprimer un accompagnement ; missions candidates")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    p = actions.add_parser("creer", parents=[common], help="créer un accompagnement")
    p.add_argument("--mission", required=True, metavar="ID", help="mission de l'AESH")
    p.add_argument("--decisions", required=True, metavar="ID[,ID]",
                   help="une décision individuelle, ou des décisions mutualisées")
    p.add_argument("--etablissement", metavar="UAI",
                   help="défaut : l'établissement de scolarité des élèves au début")
    p.add_argument("--debut", type=date_iso, metavar="AAAA-MM-JJ")
    p.add_argument("--fin", type=date_iso, metavar="AAAA-MM-JJ")
    p.add_argument("--heures", type=nombre_positif, metavar="H", help="temps de travail hebdomadaire")
    p.add_argument("--repas", action="store_true")
    p.add_argument("--pause-meridienne", action="store_true")
    p.add_argument("--previsionnel", action="store_true", default=None,
                   help="défaut : oui si la mission ou l'AESH est prévisionnel")
    add_auteur(p)
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=run_creer)

    p = actions.add_parser("supprimer", parents=[common], help="supprimer un accompagnement")
    p.add_argument("id", metavar="ID")
    p.add_argument("--oui", action="store_true", help="confirmer la suppression (obligatoire)")
    add_auteur(p)
    p.set_defaults(handler=run_supprimer)

    p = actions.add_parser("candidats", parents=[common],
                           help="missions pouvant porter un accompagnement")
    p.add_argument("--etablissement", required=True, metavar="UAI")
    p.add_argument("--debut", required=True, type=date_iso, metavar="AAAA-MM-JJ")
    p.add_argument("--fin", required=True, type=date_iso, metavar="AAAA-MM-JJ")
    p.add_argument("--tri", choices=("occupation", "secteur", "distance"), default="occupation")
    p.add_argument("--secteur", metavar="CODE",
                   help="secteur à placer en tête du tri par secteur (défaut : celui de l'établissement)")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=run_candidats)



def _refus(exc) -> CommandError:
    lignes = [r.message for r in exc.refus]
    if len(lignes) == 1:
        return CommandError(f"accompagnement refusé : {lignes[0]}")
    return CommandError("accompagnement refusé :\n" + "\n".join(f"  – {m}" for m in lignes))


def document(acc) -> dict:
    return {
        "id": acc.id, "mission_id": acc.mission_id, "decision_ids": list(acc.decision_ids),
        "uai": acc.uai, "debut": acc.debut.isoformat(), "fin": acc.fin.isoformat(),
        "heures": acc.heures, "repas": acc.repas, "pause_meridienne": acc.pause_meridienne,
        "previsionnel": acc.previsionnel, "maintien": acc.maintien, "version": acc.version,
    }


def run_creer(args) -> int:
    from ..api.erreurs import RegleRefusee

    decision_ids = [i.strip() for i in args.decisions.split(",") if i.strip()]
    with ouvrir_session(args) as session:
        try:
            acc = session.creer_accompagnement(
                args.mission, decision_ids, uai=args.etablissement, debut=args.debut,
                fin=args.fin, heures=args.heures, repas=args.repas,
                pause_meridienne=args.pause_meridienne, previsionnel=args.previsionnel,
            )
        except RegleRefusee as exc:
            raise _refus(exc) from exc
    if args.json:
        emit_json(document(acc))
    else:
        from ..engine.regles.accompagnement import texte_heures, texte_periode

        print(
            f"Accompagnement {acc.id} créé : mission {acc.mission_id}, décision(s) "
            f"{', '.join(acc.decision_ids)}, {acc.uai}, {texte_periode(acc.debut, acc.fin)}, "
            f"{texte_heures(acc.heures)}."
        )
    return 0


def run_supprimer(args) -> int:
    from ..engine.regles.accompagnement import texte_periode

    if not args.oui:
        raise CommandError(
            f"suppression de l'accompagnement {args.id} non confirmée : ajoutez --oui."
        )
    with ouvrir_session(args) as session:
        acc = session.accompagnement(args.id)
        if acc is None:
            raise CommandError(f"accompagnement inconnu : {args.id}.")
        resultat = session.supprimer_accompagnement(acc.id, acc.version)
    print(f"Accompagnement {acc.id} supprimé.")
    if resultat.retabli is not None:
        r = resultat.retabli
        print(f"Accompagnement d'origine rétabli : {r.id}, {texte_periode(r.debut, r.fin)}.")
    for refus in resultat.refus:
        print(f"L'accompagnement d'origine n'a pas pu être rétabli : {refus.message}",
              file=sys.stderr)
    return 0


def run_candidats(args) -> int:
    from ..api.erreurs import RegleRefusee
    from ..engine.regles.accompagnement import texte_heures

    with ouvrir_session(args) as session:
        if args.secteur and not session.secteur_existe(args.secteur):
            raise CommandError(f"secteur inconnu : {args.secteur}")
        try:
            cands = session.candidats(args.etablissement, args.debut, args.fin, args.secteur,
                                      args.tri)
        except RegleRefusee as exc:
            raise CommandError(str(exc)) from exc
    out = [
        {
            "mission_id": c.mission.id, "aesh_id": c.aesh.id,
            "aesh": f"{c.aesh.nom} {c.aesh.prenom}", "nature": c.mission.nature,
            "volume": c.mission.volume, "occupation_max": c.occupation_max,
            "disponible": c.disponible, "secteur": c.secteur, "meme_secteur": c.meme_secteur,
            "distance_km": None if c.distance_km is None else round(c.distance_km, 1),
        }
        for c in cands
    ]
    if args.json:
        emit_json(out)
    else:
        print_table(
            ("Mission", "AESH", "Nature", "Volume", "Occupation", "Disponible", "Secteur", "Distance"),
            ((r["mission_id"], r["aesh"], r["nature"], texte_heures(r["volume"]),
              texte_heures(r["occupation_max"]), texte_heures(r["disponible"]), r["secteur"] or "—",
              "—" if r["distance_km"] is None else f"{r['distance_km']:.1f} km".replace(".", ","))
             for r in out),
        )
    return 0

"""``agesh propositions``: the plan of propositions d'affectation for a
period and a perimeter (SPEC §2.8, §5), and ``--appliquer`` to create its
accompagnements in one transaction."""

from __future__ import annotations

from . import (
    CommandError,
    add_auteur,
    annee,
    date_iso,
    distance_km,
    emit_json,
    identifiants,
    limite_nombre,
    ouvrir_session,
    secondes,
)


def register(sub, common) -> None:
    p = sub.add_parser(
        "propositions", parents=[common],
        help="proposer le meilleur plan d'accompagnements (heures couvertes, puis distance)",
    )
    p.add_argument("--annee", type=annee, metavar="N",
                   help="année scolaire N-N+1 (défaut : celle d'aujourd'hui)")
    p.add_argument("--debut", type=date_iso, metavar="AAAA-MM-JJ",
                   help="début de la période (défaut : aujourd'hui, ou le 01/09 s'il est plus tard)")
    p.add_argument("--fin", type=date_iso, metavar="AAAA-MM-JJ", help="fin de la période (défaut : le 31/08)")
    p.add_argument("--secteur", metavar="CODE", action="append",
                   help="secteur ERSEH (répétable ; défaut : tout le département)")
    p.add_argument("--pial", metavar="UAI", help="seulement les établissements de ce PIAL (UAI de la tête)")
    p.add_argument("--distance-max", type=distance_km, metavar="KM",
                   help="distance maximale AESH → établissement pour ce calcul (défaut : paramètre du département)")
    p.add_argument("--etablissements-max", type=limite_nombre, metavar="N",
                   help="établissements par AESH au plus, pour ce calcul")
    p.add_argument("--aesh-max", type=limite_nombre, metavar="N",
                   help="AESH par élève au plus, pour ce calcul")
    p.add_argument("--temps-max", type=secondes, metavar="S",
                   help="temps de calcul au plus, en secondes (défaut : selon la taille, de 8 s à 48 s) : "
                        "au-delà, le meilleur plan trouvé")
    p.add_argument("--appliquer", action="store_true",
                   help="créer les accompagnements du plan, en une seule transaction")
    p.add_argument("--sans", type=identifiants, action="extend", metavar="ID[,ID]",
                   help="avec --appliquer : propositions à ne pas créer (leur identifiant ; répétable)")
    p.add_argument("--empreinte", type=empreinte, metavar="EMPREINTE",
                   help="avec --appliquer : n'écrire que si le plan recalculé est celui qui avait "
                        "cette empreinte (affichée avec le plan) ; un calcul arrêté au temps limite "
                        "peut trouver un autre plan")
    add_auteur(p)
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=run_propositions)


def run_propositions(args) -> int:
    from ..api.erreurs import RegleRefusee

    sans = args.sans or []
    if sans and not args.appliquer:
        raise CommandError("--sans ne sert qu'avec --appliquer.")
    if args.empreinte and not args.appliquer:
        raise CommandError("--empreinte ne sert qu'avec --appliquer.")
    with ouvrir_session(args, profil="gestionnaire") as session:
        for code in args.secteur or ():
            if not session.secteur_existe(code):
                raise CommandError(f"secteur inconnu : {code}")
        try:
            plan = session.propositions(
                annee=args.annee, debut=args.debut, fin=args.fin,
                secteurs=tuple(args.secteur) if args.secteur else None, pial_uai=args.pial,
                distance_max_km=args.distance_max, etablissements_par_aesh=args.etablissements_max,
                aesh_par_decision=args.aesh_max, temps_max=args.temps_max,
            )
            if args.appliquer:
                if args.empreinte and args.empreinte != plan.empreinte:
                    raise CommandError(
                        f"le plan recalculé (empreinte {plan.empreinte}) n'est pas celui qui avait "
                        f"l'empreinte {args.empreinte} : rien n'a été écrit. Les données ont changé, "
                        "ou le calcul, arrêté au temps limite, a trouvé un autre plan : relancez "
                        "sans --appliquer pour le voir (--temps-max plus grand pour un plan plus "
                        "stable).")
                crees = session.appliquer_propositions(plan, sans)
        except RegleRefusee as exc:
            lignes = [r.message for r in exc.refus]
            raise CommandError("propositions refusées : " + (
                lignes[0] if len(lignes) == 1 else "\n" + "\n".join(f"  – {m}" for m in lignes)
            )) from exc
        if args.appliquer:
            if args.json:
                emit_json({"crees": [a.id for a in crees]})
            elif not crees:
                print("Aucune proposition à appliquer : rien n'a été écrit.")
            else:
                print(f"{len(crees)} accompagnement(s) créé(s) : {', '.join(a.id for a in crees)}.")
            return 0
        if args.json:
            emit_json(document(plan))
        else:
            _afficher(plan, session)
    return 0


def empreinte(texte: str) -> str:
    """A plan's empreinte as the command shows it: 12 hexadecimal digits."""
    import argparse
    import re

    if not re.fullmatch(r"[0-9a-f]{12}", texte.strip().lower()):
        raise argparse.ArgumentTypeError(
            "empreinte invalide : attendu les 12 caractères (0-9, a-f) affichés avec le plan")
    return texte.strip().lower()


def document(plan) -> dict:
    """SPEC §5, with a few more fields (the lines' ids for --sans, the
    reasons of what is left uncovered)."""
    return {
        "propositions": [
            {"id": l.id, "decision_ids": list(l.decision_ids), "mission_id": l.mission_id,
             "aesh_id": l.aesh_id, "uai": l.uai, "pial_uai": l.pial_uai, "debut": l.debut.isoformat(),
             "fin": l.fin.isoformat(), "heures": l.heures, "distance_km": round(l.distance_km, 1)}
            for l in plan.lignes
        ],
        "heures_couvertes": round(plan.termes.heures_couvertes, 2),
        "heures_a_couvrir": round(plan.heures_a_couvrir, 2),
        "distance_totale": round(plan.termes.distance_totale, 1),
        "accompagnements": plan.termes.accompagnements,
        "borne": round(plan.borne, 2),
        "ecart": round(plan.ecart, 2),
        "statut": plan.statut,
        "glouton": {"heures_couvertes": round(plan.glouton.heures_couvertes, 2),
                    "distance_totale": round(plan.glouton.distance_totale, 1),
                    "accompagnements": plan.glouton.accompagnements},
        "heures_en_place": round(plan.heures_en_place, 2),
        "periode": {"debut": plan.periode.debut.isoformat(), "fin": plan.periode.fin.isoformat()},
        "limites": {"distance_max_km": plan.limites.distance_max_km,
                    "etablissements_par_aesh": plan.limites.etablissements_par_aesh,
                    "aesh_par_decision": plan.limites.aesh_par_decision},
        "non_couvertes": [
            {"decision_ids": list(n.decision_ids), "uai": n.uai, "debut": n.debut.isoformat(),
             "fin": n.fin.isoformat(), "heures": n.heures, "heures_couvertes": round(n.couvertes, 2),
             "motif": n.motif, "message": n.message, "conseil": n.conseil}
            for n in plan.non_couverts
        ],
        "exclues": [{"decision_id": e.decision_id, "motif": e.motif, "message": e.message}
                    for e in plan.exclusions],
        "duree_s": round(plan.duree_s, 2),
        "empreinte": plan.empreinte,
    }


def _afficher(plan, session) -> None:
    from collections import Counter

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ..engine.nombres import heures, nombre, pourcent
    from ..engine.regles.accompagnement import texte_periode
    from ..engine.regles.propositions_plan import FIN_DU_CALCUL

    console = Console()
    t, g = plan.termes, plan.glouton
    console.print(Text(
        f"Propositions {texte_periode(plan.periode.debut, plan.periode.fin)} : "
        f"{t.accompagnements} accompagnement(s), {heures(t.heures_couvertes)} couvertes sur "
        f"{heures(plan.heures_a_couvrir)} à couvrir (borne {heures(plan.borne)}, écart "
        f"{pourcent(plan.ecart)}, {FIN_DU_CALCUL[plan.statut]}) ; "
        f"{nombre(t.distance_totale)} km × h.\n"
        f"Règle gloutonne (la plus urgente d'abord, l'AESH libre le plus proche) : "
        f"{heures(g.heures_couvertes)} couvertes, {nombre(g.distance_totale)} km × h."
    ))
    table = Table(title="Propositions")
    for colonne in ("N°", "Décision(s)", "AESH", "Établissement", "Période", "Heures", "Distance"):
        table.add_column(colonne, no_wrap=colonne == "N°")
    for n, l in enumerate(plan.lignes, 1):
        table.add_row(str(n), Text(", ".join(l.decision_ids)),
                      Text(session.nom_aesh_de_mission(l.mission_id)), Text(session.libelle_etablissement(l.uai)),
                      Text(texte_periode(l.debut, l.fin)), heures(l.heures), f"{nombre(l.distance_km)} km")
    console.print(table)
    if plan.lignes:
        # Each on a line of its own, never cut to the table's width: they are
        # what --sans takes, to be copied whole.
        console.print(Text("Identifiants des propositions (pour --sans) :\n" + "\n".join(
            f"{n:>4}  {l.id}" for n, l in enumerate(plan.lignes, 1))), soft_wrap=True)
    if plan.non_couverts:
        motifs = Counter(n.motif for n in plan.non_couverts)
        console.print(Text(f"{len(plan.non_couverts)} besoin(s) non couvert(s) en tout ou partie : "
                           + ", ".join(f"{m} {n}" for m, n in motifs.most_common()) + " (détail : --json)."))
    console.print(Text(f"Pour créer ces accompagnements : la même commande avec --appliquer "
                       f"--empreinte {plan.empreinte} [--sans ID,…] (l'empreinte : n'écrire que ce "
                       "plan-ci, si le calcul refait le retrouve)."), soft_wrap=True)  # to copy whole

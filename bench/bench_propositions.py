"""Propositions d'affectation bench (issue 14), on demo M, L and XL:
time to the plan (computed, checked, explained and drawn in its three
views: what the screen waits for), its gap to the bound, and the hours
it covers against the greedy rule and what is already in place (medians
of ``--runs``).

    .venv/bin/python bench/bench_propositions.py [--runs 3] [--tailles M L XL]

Targets: L ≤ 10 s with a gap ≤ 1 %, XL ≤ 60 s. The time limit given to the
computation is 80 % of the target (``--temps-max`` to change it): at the
limit, the plan is the best found and its gap says how far it may be.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import date

from agesh_tui.engine.regles.propositions import Perimetre, periode
from agesh_tui.engine.regles.propositions_plan import proposer
from agesh_tui.engine.regles.propositions_vues import vues
from agesh_tui.engine.stockage import ouvrir
from agesh_tui.engine.stockage.chargement import charger
from commun import TODAY, base_demo

CIBLES = {"M": 10.0, "L": 10.0, "XL": 60.0}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tailles", nargs="+", default=["M", "L", "XL"])
    parser.add_argument("--temps-max", type=float, help="limite de calcul (défaut : la cible)")
    args = parser.parse_args()
    today = date.fromisoformat(TODAY)
    lignes = []
    for taille in args.tailles:
        cible = CIBLES[taille]
        dep = charger(ouvrir(base_demo(taille)))
        plans = []
        limite = args.temps_max or cible * 0.8
        charges = []
        murs: dict[int, float] = {}
        cpu: dict[int, float] = {}
        for _ in range(args.runs):
            # The time limit counts the whole computation; what comes after
            # the solver (the bound, the checks of every line) is kept short.
            # Wall time: Plan.duree_s stops before the reasons of the uncovered
            # needs are computed and the views drawn, which the user waits for too.
            t0, c0 = time.perf_counter(), time.process_time()
            plan = proposer(dep, periode(today), Perimetre(), dep.parametres.limites, today, limite)
            vues(dep, plan)  # what the screen shows: the user waits for it too
            murs[id(plan)] = time.perf_counter() - t0
            # CPU time of the process: what a loaded machine changes least.
            cpu[id(plan)] = time.process_time() - c0
            plans.append(plan)
            # A shared machine makes the times longer: the load says how much.
            charges.append(os.getloadavg()[0])
            print(f"  {taille} : {murs[id(plan)]:.1f} s, CPU {cpu[id(plan)]:.1f} s (Plan.duree_s {plan.duree_s:.1f} s), {plan.statut}, {len(plan.lignes)} lignes, "
                  f"{plan.termes.heures_couvertes:.0f} h (glouton {plan.glouton.heures_couvertes:.0f} h), "
                  f"borne {plan.borne:.0f} h, écart {plan.ecart:.2f} %", flush=True)

        def med(f) -> float:
            return statistics.median(f(p) for p in plans)

        p = plans[0]
        lignes.append(
            f"| {taille} | {len(dep.decisions)} | {len(p.non_couverts) + len({d for l in p.lignes for d in l.decision_ids})} "
            f"| {med(lambda p: murs[id(p)]):.1f} s (cible {cible:g} s, limite {limite:g} s) "
            f"| {med(lambda p: cpu[id(p)]):.1f} s "
            f"| {med(lambda p: p.ecart):.1f} % "
            f"| {med(lambda p: p.heures_a_couvrir):.0f} | {med(lambda p: p.termes.heures_couvertes):.0f} "
            f"| {med(lambda p: p.glouton.heures_couvertes):.0f} | {med(lambda p: p.heures_en_place):.0f} "
            f"| {med(lambda p: p.termes.distance_totale):.0f} | {med(lambda p: p.glouton.distance_totale):.0f} "
            f"| {sum(p.statut == 'optimal' for p in plans)}/{len(plans)} "
            f"| {statistics.median(charges):.1f} |"
        )
    print()
    print("| démo | décisions | décisions à couvrir | temps → plan | CPU | écart à la borne | h à couvrir "
          "| h couvertes (plan) | h couvertes (glouton) | h en place | km×h (plan) | km×h (glouton) | optimal "
          "| charge (1 min) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for ligne in lignes:
        print(ligne)


if __name__ == "__main__":
    main()

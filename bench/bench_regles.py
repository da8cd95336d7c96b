"""Rules bench (issue « Règles métier »), on demo L and XL:
frise + couverture of every décision, all incohérences (+ cas particuliers),
recalcul of every PIAL aggregate, affectation automatique (dry run and real,
on a fresh copy each time).

    .venv/bin/python bench/bench_regles.py [--runs 5] [--tailles L XL]
"""

from __future__ import annotations

import argparse
from datetime import date, datetime

from agesh_tui.engine.calendrier import annee_scolaire
from agesh_tui.engine.operations.affectation_automatique import affectation_automatique
from agesh_tui.engine.operations.agregats import recalculer
from agesh_tui.engine.regles.couverture import frises
from agesh_tui.engine.regles.incoherences import (
    accompagnements_en_anomalie,
    cas_particuliers,
    incoherences,
)
from agesh_tui.engine.regles.indicateurs import indicateurs
from agesh_tui.engine.stockage import ouvrir
from agesh_tui.engine.stockage.chargement import charger
from commun import TODAY, base_demo, copie, mesurer, rapport

CIBLES = {"L": 1.0, "XL": 5.0}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tailles", nargs="+", default=["L", "XL"])
    args = parser.parse_args()
    today = date.fromisoformat(TODAY)
    maintenant = datetime.fromisoformat(TODAY + "T08:00:00")
    annee = annee_scolaire(today)
    for taille in args.tailles:
        cible = CIBLES.get(taille)
        source = base_demo(taille)
        dep = charger(ouvrir(source))
        print(f"— démo {taille} : {len(dep.decisions)} décisions, "
              f"{len(dep.accompagnements)} accompagnements, {len(dep.missions)} missions")
        anomalies = accompagnements_en_anomalie(dep)
        rapport(f"{taille} frise + couverture, toutes les décisions",
                mesurer(lambda: frises(dep, anomalies=anomalies), args.runs), cible)
        rapport(f"{taille} incohérences 1–8",
                mesurer(lambda: incoherences(dep), args.runs), cible)
        rapport(f"{taille} cas particuliers",
                mesurer(lambda: cas_particuliers(dep, today), args.runs), cible)
        decisions = list(dep.decisions.values())
        rapport(f"{taille} indicateurs (tout le département)",
                mesurer(lambda: indicateurs(decisions, dep.accompagnements_par_decision, today),
                        args.runs), cible)

        etat = {}

        def preparer():
            path = copie(source, f"bench-regles-{taille}.sqlite3")
            etat["store"] = ouvrir(path)
            etat["dep"] = charger(etat["store"])

        rapport(f"{taille} recalcul des agrégats PIAL",
                mesurer(lambda: recalculer(etat["store"], etat["dep"], annee, maintenant),
                        args.runs, preparer), cible)
        rapport(f"{taille} affectation automatique (simulation)",
                mesurer(lambda: affectation_automatique(etat["store"], etat["dep"], annee,
                                                        maintenant, dry_run=True),
                        args.runs, preparer), cible)
        rapport(f"{taille} affectation automatique (réelle)",
                mesurer(lambda: affectation_automatique(etat["store"], etat["dep"], annee,
                                                        maintenant),
                        args.runs, preparer), cible)


if __name__ == "__main__":
    main()

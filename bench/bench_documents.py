"""Documents bench (SPEC F14, F12), on the demo L (XL with --taille XL):

- a PV d'affectation (PDF bytes, from the loaded département, as the
  application's « p » does): target ≤ 300 ms on L, ≤ 1,5 s on XL;
- the synthèse of the établissement with the most pupils notified;
- the « Accompagnement par établissement » counts (the screen's rows);
- ``agesh pv`` end to end (loads the département first), for reference.

    .venv/bin/python bench/bench_documents.py [--taille L] [--runs 20]
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import date
from pathlib import Path

from agesh_tui.api.base import Base
from commun import TODAY, agesh, base_demo, mesurer, rapport

CIBLES_PV = {"L": 0.3, "XL": 1.5}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--taille", default="L", choices=("S", "M", "L", "XL"))
    parser.add_argument("--runs", type=int, default=20)
    arguments = parser.parse_args()
    runs, taille = arguments.runs, arguments.taille
    chemin = base_demo(taille)
    base = Base.ouvrir(str(chemin))
    session = base.session_lots("bench", "gestionnaire", date.fromisoformat(TODAY))
    session.charger()
    jour = session.today
    en_cours = sorted(a.id for a in session.dep.accompagnements.values() if a.debut <= jour <= a.fin)
    pas = max(1, len(en_cours) // runs)
    echantillon = iter(en_cours[::pas])
    print(f"demo {taille} : {len(session.dep.accompagnements)} accompagnements, "
          f"{len(session.dep.etablissements)} établissements")
    rapport("PV d'affectation (PDF)", mesurer(lambda: session.pv_affectation(next(echantillon)),
                                                    runs), cible=CIBLES_PV.get(taille))
    lignes = session.lignes_accompagnement_etablissement()
    plus_grand = max((l for l in lignes if l.niveau == "établissement"), key=lambda l: l.decisions)
    print(f"synthèse de {plus_grand.uai} : {plus_grand.decisions} décisions, "
          f"{plus_grand.accompagnements} accompagnements")
    rapport("synthèse d'établissement (PDF)",
            mesurer(lambda: session.synthese_pdf(plus_grand.uai), runs))

    # Not through the session's cache of views: computed each time, as after a reload.
    from agesh_tui.api.vues_etablissements import lignes_comptes

    rapport("comptes par établissement et PIAL",
            mesurer(lambda: lignes_comptes(session), max(3, runs // 4)))
    base.fermer()
    with tempfile.TemporaryDirectory() as dossier:
        cibles = iter(Path(dossier) / f"pv-{i}.pdf" for i in range(runs))
        acc = en_cours[0]
        rapport("agesh pv (chargement compris)", mesurer(
            lambda: agesh("pv", acc, "-o", str(next(cibles)), "--db", str(chemin), "--today", TODAY),
            max(3, runs // 4)))


if __name__ == "__main__":
    main()

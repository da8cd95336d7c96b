"""Neighbouring-systems bench (SPEC §6), on the demo L, end to end through
the command line (each run loads the département, as a user's run does):

- ``agesh siecle`` on a SIECLE export of 1 500 pupils (a real run, on a
  fresh copy of the base each time): target < 2 s;
- ``agesh acces-ent`` for every établissement with an accompagnement that
  day (CSV, PDF and JSON each): target < 10 s;
- ``agesh decisions --xlsx``: the whole Accueil of demo L as a spreadsheet:
  target < 5 s.

    .venv/bin/python bench/bench_voisins.py [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from datetime import date
from pathlib import Path

from agesh_tui.engine.demo import exemples
from agesh_tui.engine.stockage import ouvrir
from agesh_tui.engine.stockage.chargement import charger
from commun import CACHE, TODAY, agesh, base_demo, copie, mesurer, rapport

ELEVES_SIECLE = 1500


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    jour = date.fromisoformat(TODAY)
    base_l = base_demo("L")
    stockage = ouvrir(base_l, creer=False)
    dep = charger(stockage)
    stockage.fermer()
    dossier = Path(tempfile.mkdtemp(prefix="agesh-bench-voisins-"))

    # The lycée with the most notified pupils, its export filled up to 1 500.
    uai = exemples.choisir(dep, "Lycée", jour)
    notifies = exemples.siecle(dep, uai, jour, sans_dossier=0).count(b"<ELEVE ")
    xml = dossier / "ElevesSansAdresses.xml"
    xml.write_bytes(exemples.siecle(dep, uai, jour, sans_dossier=ELEVES_SIECLE - notifies))
    travail = CACHE / "bench-voisins-L.sqlite3"

    rapport(f"agesh siecle, {ELEVES_SIECLE} élèves, démo L",
            mesurer(lambda: agesh("siecle", str(xml), "--db", str(travail), "--today", TODAY), runs,
                    lambda: copie(base_l, travail.name)), 2.0)

    uais = sorted({a.uai for a in dep.accompagnements.values() if a.debut <= jour <= a.fin})
    sortie = dossier / "ent"
    rapport(f"agesh acces-ent, {len(uais)} établissements, démo L",
            mesurer(lambda: agesh("acces-ent", *uais, "-o", str(sortie), "--force", "--db", str(base_l),
                                  "--today", TODAY), runs), 10.0)

    tableur = dossier / "accueil.xlsx"
    rapport(f"agesh decisions --xlsx, {len(dep.decisions)} décisions, démo L",
            mesurer(lambda: agesh("decisions", "--xlsx", str(tableur), "--force", "--db", str(base_l),
                                  "--today", TODAY), runs), 5.0)
    shutil.rmtree(dossier)


if __name__ == "__main__":
    main()

"""Write docs/exemples/ElevesSansAdresses-UAI.xml and onde-UAI.csv from the
demo S (seed 7, day 22/11/2026): sample SIECLE and ONDE exports that match
the demo (engine/demo/exemples.py). Run again after a change of the demo:

    .venv/bin/python scripts/exemples_voisins.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from agesh_tui.engine import demo
from agesh_tui.engine.demo import exemples
from agesh_tui.engine.stockage import ouvrir
from agesh_tui.engine.stockage.chargement import charger

DOSSIER = Path(__file__).resolve().parent.parent / "docs" / "exemples"


def fichiers(dossier_base: Path) -> dict[str, bytes]:
    """The sample files, by name, from a demo S built in ``dossier_base``."""
    os.environ.setdefault("AGESH_KEY_FILE", str(dossier_base / "cle.key"))
    chemin = dossier_base / "demo-S.sqlite3"
    demo.construire(chemin, "S", exemples.GRAINE, exemples.JOUR)
    stockage = ouvrir(chemin, creer=False)
    try:
        dep = charger(stockage)
    finally:
        stockage.fermer()
    college, ecole = exemples.choisir(dep, "Collège"), exemples.choisir(dep, "Ecole")
    return {f"ElevesSansAdresses-{college}.xml": exemples.siecle(dep, college),
            f"onde-{ecole}.csv": exemples.onde(dep, ecole)}


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        for nom, contenu in fichiers(Path(tmp)).items():
            (DOSSIER / nom).write_bytes(contenu)
            print(f"écrit : {DOSSIER / nom}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

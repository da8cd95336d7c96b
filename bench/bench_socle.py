"""Socle bench: demo generation (M, L), import and export (L), engine load (L).

    .venv/bin/python bench/bench_socle.py [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from datetime import date
from pathlib import Path

from agesh_tui.engine.demo import construire_demo
from agesh_tui.engine.echange.ecriture import exporter
from agesh_tui.engine.echange.lecture import importer
from agesh_tui.engine.stockage import ouvrir
from agesh_tui.engine.stockage.chargement import charger
from commun import CACHE, GRAINE, TODAY, base_demo, mesurer, rapport


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    CACHE.mkdir(exist_ok=True)
    today = date.fromisoformat(TODAY)

    for taille, cible in (("M", 30.0), ("L", None)):
        cible_db = CACHE / f"bench-demo-{taille}.sqlite3"

        def effacer():
            for suffix in ("", "-wal", "-shm"):
                Path(f"{cible_db}{suffix}").unlink(missing_ok=True)

        def construire():
            construire_demo(ouvrir(cible_db), taille, int(GRAINE), today)

        rapport(f"démo {taille} (génération + écriture)", mesurer(construire, runs, effacer), cible)

    base_l = base_demo("L")
    store_l = ouvrir(base_l)
    rapport("chargement du moteur, démo L", mesurer(lambda: charger(store_l), runs), 1.0)

    dossier = Path(tempfile.mkdtemp(prefix="agesh-bench-"))
    rapport("export, démo L", mesurer(lambda: exporter(store_l, dossier), runs))
    cible_import = CACHE / "bench-import-L.sqlite3"

    def base_vide():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{cible_import}{suffix}").unlink(missing_ok=True)

    rapport("import dans une base vide, démo L",
            mesurer(lambda: importer(ouvrir(cible_import), dossier), runs, base_vide), 10.0)
    shutil.rmtree(dossier)


if __name__ == "__main__":
    main()

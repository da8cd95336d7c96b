"""Storage bench: the engine's load of demo L and XL from SQLite and from a
local PostgreSQL server (one read snapshot each), and a write's round trip.

The PostgreSQL bases are filled once (``agesh import`` of the SQLite demo's
export) in databases agesh_bench_l / agesh_bench_xl of $AGESH_BENCH_POSTGRES
(default: the machine's server, postgresql://root@127.0.0.1:5432/postgres).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from agesh_tui.engine.echange.ecriture import exporter
from agesh_tui.engine.echange.lecture import importer
from agesh_tui.engine.stockage import ouvrir
from agesh_tui.engine.stockage.chargement import charger
from commun import CACHE, base_demo, mesurer, rapport

SERVEUR = os.environ.get("AGESH_BENCH_POSTGRES", "postgresql://root@127.0.0.1:5432/postgres")
CIBLES = {("sqlite", "L"): 0.5, ("postgresql", "L"): 1.5}


def base_postgresql(taille: str, source: Path) -> str:
    """The URL of the PostgreSQL copy of a demo, filled at first use."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    nom = f"agesh_bench_{taille.lower()}"
    with psycopg.connect(SERVEUR, autocommit=True) as con:
        if con.execute("SELECT 1 FROM pg_database WHERE datname = %s", (nom,)).fetchone() is None:
            con.execute(f'CREATE DATABASE "{nom}"')
    infos = conninfo_to_dict(SERVEUR)
    compte = f"{infos['user']}@" if infos.get("user") else ""
    port = f":{infos['port']}" if infos.get("port") else ""
    url = f"postgresql://{compte}{infos.get('host', '')}{port}/{nom}"  # a URL, as --db takes
    store = ouvrir(url)
    try:
        if not charger(store).decisions:
            with tempfile.TemporaryDirectory() as dossier:
                exporter(ouvrir(source), Path(dossier))
                importer(store, Path(dossier))
    finally:
        store.fermer()
    return url


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tailles", nargs="+", default=["L", "XL"])
    args = parser.parse_args()
    CACHE.mkdir(exist_ok=True)
    os.environ.setdefault("AGESH_KEY_FILE", str(CACHE / "cle-otp.key"))
    for taille in args.tailles:
        source = base_demo(taille)
        for moteur, url in (("sqlite", str(source)), ("postgresql", base_postgresql(taille, source))):
            store = ouvrir(url)
            dep = charger(store)
            rapport(f"{taille} {moteur} : chargement du moteur ({len(dep.decisions)} décisions)",
                    mesurer(lambda: charger(store), args.runs), CIBLES.get((moteur, taille)))

            def ecrire():
                with store.ecriture(compter=False) as tx:
                    tx.set_meta("bench", "1")

            rapport(f"{taille} {moteur} : une écriture (transaction, verrou, validation)",
                    mesurer(ecrire, args.runs))
            store.fermer()


if __name__ == "__main__":
    main()

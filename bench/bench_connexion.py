"""Login timing: an identifiant that names a user and one that names nobody
must take the same time to be refused (docs/securite.md, issue 8 item 10).

Many wrong-code attempts on each kind, interleaved in a random order so
that a drift of the machine weighs on both alike; each identifiant is tried
at most 4 times (the wait after 5 failures would change the path). Prints
the median and quartiles of each kind, the ratio of the medians, and the
same ratio between two halves of one kind (the noise of the run).

    .venv/bin/python bench/bench_connexion.py --essais 4000 [--moteur postgresql]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from agesh_tui.api.auth import verifier
from agesh_tui.engine.stockage import ouvrir
from agesh_tui.engine.stockage.utilisateurs import ajouter

SERVEUR = os.environ.get("AGESH_BENCH_POSTGRES", "postgresql://root@127.0.0.1:5432/postgres")
ESSAIS_PAR_IDENTIFIANT = 4  # below the 5 failures that start a wait


def base(moteur: str, dossier: Path) -> str:
    if moteur == "sqlite":
        return str(dossier / "connexion.sqlite3")
    import psycopg

    nom = f"agesh_bench_connexion_{os.getpid()}"
    with psycopg.connect(SERVEUR, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{nom}"')
    # A postgresql:// URL, as --db takes it (a key=value conninfo would be
    # taken for a SQLite file name).
    return urlunsplit(urlsplit(SERVEUR)._replace(path=f"/{nom}"))


def supprimer(moteur: str, url: str) -> None:
    if moteur == "postgresql":
        import psycopg

        with psycopg.connect(SERVEUR, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{urlsplit(url).path[1:]}" WITH (FORCE)')


def mesurer(url: str, essais: int, graine: int) -> dict[str, list[float]]:
    store = ouvrir(url)
    print(f"base : {store.description} ({store.moteur})")
    try:
        n = max(1, essais // ESSAIS_PAR_IDENTIFIANT)
        connus = [f"agent.{i:05d}" for i in range(n)]
        for login in connus:
            ajouter(store, login, login, ("gestionnaire",))
        inconnus = [f"personne.{i:05d}" for i in range(n)]
        rng = random.Random(graine)
        plan = [("connu", l) for l in connus * ESSAIS_PAR_IDENTIFIANT]
        plan += [("inconnu", l) for l in inconnus * ESSAIS_PAR_IDENTIFIANT]
        rng.shuffle(plan)
        for _, login in plan[:20]:  # warm-up: caches, first key read
            verifier(store, login, "000000", datetime.now(UTC))
        temps: dict[str, list[float]] = {"connu": [], "inconnu": []}
        for sorte, login in plan[20:]:
            maintenant = datetime.now(UTC)
            t0 = time.perf_counter()
            resultat = verifier(store, login, "000000", maintenant)
            temps[sorte].append(time.perf_counter() - t0)
            assert not resultat.ok and resultat.attente == 0, (login, resultat)
        return temps
    finally:
        store.fermer()


def resume(nom: str, temps: list[float]) -> float:
    q1, med, q3 = statistics.quantiles(temps, n=4)
    print(f"{nom:<28} médiane {med * 1e6:8.1f} µs  (quartiles {q1 * 1e6:.1f} – {q3 * 1e6:.1f}, "
          f"n={len(temps)})")
    return med


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--essais", type=int, default=4000, help="essais de chaque sorte")
    parser.add_argument("--moteur", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--graine", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as dossier:
        os.environ["AGESH_KEY_FILE"] = str(Path(dossier) / "cle-otp.key")
        url = base(args.moteur, Path(dossier))
        try:
            temps = mesurer(url, args.essais, args.graine)
        finally:
            supprimer(args.moteur, url)
    print(f"connexion refusée ({args.moteur}), code faux :")
    connu = resume("identifiant existant", temps["connu"])
    inconnu = resume("identifiant inconnu", temps["inconnu"])
    print(f"rapport des médianes inconnu / existant : {inconnu / connu:.3f}")
    # The noise of this run: the same ratio between two random halves of
    # the attempts on existing identifiants (same work, so only noise).
    moities = list(temps["connu"])
    random.Random(args.graine).shuffle(moities)
    a, b = moities[::2], moities[1::2]
    print(f"bruit (deux moitiés des essais existants)  : {statistics.median(a) / statistics.median(b):.3f}")


if __name__ == "__main__":
    main()

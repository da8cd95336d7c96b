"""Automatic refresh bench (issue 10 item 6) on demo L, SQLite and
PostgreSQL: from the commit of another process (a real one: a Python
subprocess renames the pupil of the cursor's row) to the first paint of the
Accueil list showing the new name — the store's watch (SQLite: the counter
polled every 0.25 s, so up to that is waiting for the next look;
PostgreSQL: NOTIFY), the background reload, Accueil's rows, the repaint.

    .venv/bin/python bench/bench_rafraichissement.py [--runs 5] [--moteur sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from datetime import date

from commun import CACHE, TODAY, base_demo, copie, rapport

os.environ.setdefault("AGESH_KEY_FILE", str(CACHE / "cle-otp.key"))

from agesh_tui.api.base import Base  # noqa: E402
from agesh_tui.app import AgeshApp  # noqa: E402
from agesh_tui.engine.modele.model import Utilisateur  # noqa: E402
from agesh_tui.widgets.liste import ListeDonnees  # noqa: E402

TAILLE = (160, 48)
# The other process: one write, then the time of its commit on stdout.
ECRIVAIN = """
import sys, time
from agesh_tui.engine.stockage import ouvrir
store = ouvrir(sys.argv[1])
with store.ecriture() as tx:
    tx.execute("UPDATE eleve SET nom = ? WHERE id = ?", (sys.argv[3], sys.argv[2]))
print(time.time())
store.fermer()
"""


async def attendre(condition, delai: float = 30.0) -> None:
    fin = time.perf_counter() + delai
    while not condition():
        if time.perf_counter() > fin:
            raise TimeoutError("le changement n'est pas apparu")
        await asyncio.sleep(0.002)


async def ecrire_ailleurs(url: str, eleve_id: str, nom: str) -> float:
    processus = await asyncio.create_subprocess_exec(
        sys.executable, "-c", ECRIVAIN, url, eleve_id, nom, stdout=asyncio.subprocess.PIPE)
    sortie, _ = await processus.communicate()
    return float(sortie.decode().strip())


async def mesurer(url: str, runs: int) -> tuple[list[float], list[float]]:
    """(commit → paint, reload alone: the worker's Session.charger) per run."""
    base = Base.ouvrir(url)
    utilisateur = Utilisateur("bench", "Bench", ("gestionnaire",))
    session = base.session(utilisateur, "gestionnaire", date.fromisoformat(TODAY))
    app = AgeshApp(base, date.fromisoformat(TODAY), session=session)
    app.animation_level = "none"
    delais, chargements = [], []
    async with app.run_test(size=TAILLE) as pilot:
        await attendre(lambda: app.current_mode == "accueil")
        liste = app.screen.query_one(ListeDonnees)
        await attendre(lambda: liste.nombre_affiche > 0)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("down", "down", "down")
        ligne = liste.ligne_courante()
        eleve_id, origine = ligne.decision.eleve_id, ligne.nom.split(" ")[0]
        charger = session.charger

        def charger_chronometre(etape=None):
            t = time.perf_counter()
            charger(etape)
            chargements.append(time.perf_counter() - t)

        session.charger = charger_chronometre
        peint: list[float] = []
        attendu = "?"

        def sur_rendu() -> None:
            courante = liste.ligne_courante()
            if courante is not None and courante.nom.startswith(attendu):
                peint.append(time.time())

        liste.sur_rendu = sur_rendu
        try:
            for n in range(runs):
                attendu = f"BANC{n}"
                peint.clear()
                commit = await ecrire_ailleurs(url, eleve_id, attendu)
                await attendre(lambda: bool(peint))
                delais.append(peint[0] - commit)
                await attendre(lambda: not app.perime and not app.rafraichissement)
                await pilot.pause()
        finally:
            await ecrire_ailleurs(url, eleve_id, origine)
    base.fermer()
    return delais, chargements


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--moteur", choices=("sqlite", "postgresql"), action="append")
    args = parser.parse_args()
    for moteur in args.moteur or ("sqlite", "postgresql"):
        if moteur == "sqlite":
            url = str(copie(base_demo("L"), "bench-rafraichissement-L.sqlite3"))
        else:
            from bench_stockage import base_postgresql

            url = base_postgresql("L", base_demo("L"))
        delais, chargements = asyncio.run(mesurer(url, args.runs))
        rapport(f"L {moteur} : commit ailleurs → liste repeinte", delais, 2.0)
        rapport(f"L {moteur} : rechargement en fond (charger)", chargements)


if __name__ == "__main__":
    main()

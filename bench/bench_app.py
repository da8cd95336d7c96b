"""Application bench on demo L (25 000 décisions), driven by Pilot:

- start: from creating the app with a logged-in session to the first paint
  of the Accueil list with rows — with the département still to load (what a
  user waits for after the login), and already loaded (the interface alone);
- opening a décision's detail: from Entrée to the first paint of its frise;
- sorting by name, and by « Mise en œuvre » (priorité: every frise
  computed), once the list is shown;
- each keystroke typing « dur » in the search bar, to the list's repaint.

Times are taken at the paint (a hook on the widgets' render), not from
``pilot.press``, which waits for idle after every key (DESIGN.md); for a
sort or a search, at the first paint of its result (the keys of the frise
and the search haystacks are computed in threads: a paint while they are
not ready shows the rows as they were).

    .venv/bin/python bench/bench_app.py [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from datetime import date

from commun import CACHE, TODAY, base_demo, copie, rapport

os.environ.setdefault("AGESH_KEY_FILE", str(CACHE / "cle-otp.key"))

from agesh_tui.api.base import Base  # noqa: E402
from agesh_tui.api.session import Session  # noqa: E402
from agesh_tui.app import AgeshApp  # noqa: E402
from agesh_tui.screens.accueil import lignes_accueil  # noqa: E402
from agesh_tui.screens.decision import DetailDecision  # noqa: E402
from agesh_tui.widgets.frise import Frise  # noqa: E402
from agesh_tui.widgets.liste import ListeDonnees  # noqa: E402

TAILLE = (160, 48)


class Peintures:
    """First paint of the list with rows, and of a detail's frise, timed
    by wrapping the widgets' render methods."""

    def __init__(self):
        self.liste: float | None = None
        self.frise: float | None = None
        rendu_liste, rendu_frise = ListeDonnees.render_lines, Frise.render_line
        peintures = self

        def render_lines(liste, crop):
            strips = rendu_liste(liste, crop)
            if peintures.liste is None and liste.nombre_affiche:
                peintures.liste = time.perf_counter()
            return strips

        def render_line(frise, y):
            strip = rendu_frise(frise, y)
            if peintures.frise is None:
                peintures.frise = time.perf_counter()
            return strip

        ListeDonnees.render_lines = render_lines
        Frise.render_line = render_line


async def attendre(condition, delai: float = 30.0) -> None:
    fin = time.perf_counter() + delai
    while not condition():
        if time.perf_counter() > fin:
            raise TimeoutError("l'écran attendu n'est pas apparu")
        await asyncio.sleep(0.002)


def session_demo(base: Base, charger: bool) -> Session:
    session = base.session(base.utilisateur("demo.gestionnaire"), "gestionnaire",
                           date.fromisoformat(TODAY))
    if charger:
        # What the loading worker does: the data, then Accueil's rows.
        session.charger()
        lignes_accueil(session)
    return session


async def un_demarrage(base: Base, prechargee: bool, peintures: Peintures) -> dict[str, float]:
    session = session_demo(base, prechargee)
    peintures.liste = peintures.frise = None
    t0 = time.perf_counter()
    app = AgeshApp(base, date.fromisoformat(TODAY), session=session)
    app.animation_level = "none"
    mesures: dict[str, float] = {}
    async with app.run_test(size=TAILLE) as pilot:
        await attendre(lambda: peintures.liste is not None)
        mesures["demarrage"] = peintures.liste - t0
        liste = app.screen.query_one(ListeDonnees)
        decision_id = liste.ligne_courante().id
        await pilot.pause()
        t1 = time.perf_counter()
        app.push_screen(DetailDecision(decision_id))
        await attendre(lambda: peintures.frise is not None)
        mesures["detail"] = peintures.frise - t1
        await pilot.press("escape")
        await pilot.pause()
        peint: list[float] = []

        def sur_rendu() -> None:
            if not (liste.tri_en_cours or liste.recherche_en_cours):
                peint.append(time.perf_counter())

        liste.sur_rendu = sur_rendu

        async def jusqua_peinture(action) -> float:
            """From the action to the list's next repaint (not pilot's idle)."""
            peint.clear()
            t = time.perf_counter()
            await action()
            await attendre(lambda: bool(peint))
            return peint[0] - t

        async def trier(cle):
            liste.trier(cle)

        mesures["tri_nom"] = await jusqua_peinture(lambda: trier("nom"))
        await pilot.pause()
        mesures["tri_priorite"] = await jusqua_peinture(lambda: trier("mise_en_oeuvre"))
        await pilot.pause()
        await pilot.press("slash")  # the search bar
        for n, lettre in enumerate("dur", start=1):
            mesures[f"frappe_{n}"] = await jusqua_peinture(lambda: pilot.press(lettre))
            await pilot.pause()
    return mesures


async def principal(runs: int) -> None:
    chemin = base_demo("L")
    peintures = Peintures()
    for prechargee, nom in ((False, "chargement compris"), (True, "département déjà chargé")):
        series: dict[str, list[float]] = {}
        for _ in range(runs):
            # A fresh copy of the demo (no preference): the sort below is
            # remembered as the user's preference.
            base = Base.ouvrir(copie(chemin, "bench-app-L.sqlite3"))
            for cle, valeur in (await un_demarrage(base, prechargee, peintures)).items():
                series.setdefault(cle, []).append(valeur)
            base.fermer()
        rapport(f"L : démarrage → Accueil peint ({nom})", series["demarrage"],
                1.5 if not prechargee else None)
        rapport(f"L : ouvrir un détail ({nom})", series["detail"])
        rapport(f"L : tri par nom ({nom})", series["tri_nom"], 0.2)
        rapport(f"L : tri par mise en œuvre ({nom})", series["tri_priorite"], 0.2)
        for n, texte in enumerate(("d", "du", "dur"), start=1):
            rapport(f"L : recherche « {texte} », frappe → liste redessinée ({nom})",
                    series[f"frappe_{n}"], 0.1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    asyncio.run(principal(parser.parse_args().runs))


if __name__ == "__main__":
    main()

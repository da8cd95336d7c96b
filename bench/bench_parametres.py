"""Bench of the Paramètres département and of the Carte des AESH (issue
11) on demo L (and XL with --xl), a superviseur's Session already loaded,
medians:

1. the formula's preview (Session.apercu_besoin): the first one of a load
   (the décisions counted per PIAL, once per load and year), then one per
   keystroke (parse + evaluation on the guide's examples and every PIAL);
2. in the application (Pilot, 160×48): a key typed in the formula field
   to the preview painted for the new text — the screen's debounce
   (DELAI_APERCU) included, and without it;
3. the Carte des AESH of the PIAL with the most établissements: the view
   (Session.carte_pial, computed in a worker, then kept for the load: each
   run measures it cold) and, in the application, from push_screen to the
   map's first paint.

    .venv/bin/python bench/bench_parametres.py [--runs 7] [--xl]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from datetime import date

from commun import CACHE, TODAY, base_demo, mesurer, rapport

os.environ.setdefault("AGESH_KEY_FILE", str(CACHE / "cle-otp.key"))

from agesh_tui.api.base import Base  # noqa: E402
from agesh_tui.api.session import Session  # noqa: E402
from agesh_tui.app import AgeshApp  # noqa: E402
from agesh_tui.engine.regles.formule import FORMULE_PAR_DEFAUT  # noqa: E402
from agesh_tui.engine.stockage import ouvrir  # noqa: E402
from agesh_tui.screens.carte_aesh import CarteAesh  # noqa: E402
from agesh_tui.screens.parametres_formule import DELAI_APERCU, ParametresFormule  # noqa: E402
from agesh_tui.widgets.carte import CarteAeshWidget  # noqa: E402
from bench_app import attendre  # noqa: E402

ANNEE = 2026
CIBLE_APERCU = 0.200  # issue 11: the preview per keystroke ≤ 200 ms on L


def session_superviseur(base: Base) -> Session:
    session = base.session(base.utilisateur("demo.superviseur"), "superviseur",
                           date.fromisoformat(TODAY))
    session.charger()
    return session


def plus_grand_pial(session: Session) -> str:
    membres = session.dep.membres_pial
    return max(membres, key=lambda p: (len(membres[p]), p))


def oublier_carte(session: Session, pial: str) -> None:
    """The map's view is kept per load: measured cold, as at its first opening."""
    session._charge().vues.pop(f"carte.{pial}.{ANNEE}", None)


def moteur(session: Session, runs: int, taille: str) -> None:
    def premier() -> None:
        session._charge().vues.pop(f"parametres.comptes.{ANNEE}", None)
        session.apercu_besoin(ANNEE, FORMULE_PAR_DEFAUT)

    rapport(f"{taille} aperçu, premier (comptes des PIAL)", mesurer(premier, runs))
    session.apercu_besoin(ANNEE, FORMULE_PAR_DEFAUT)
    textes = [FORMULE_PAR_DEFAUT[:n] for n in range(10, len(FORMULE_PAR_DEFAUT) + 1)]
    temps = []
    for _ in range(runs):
        for texte in textes:
            t0 = time.perf_counter()
            session.apercu_besoin(ANNEE, texte)
            temps.append(time.perf_counter() - t0)
    rapport(f"{taille} aperçu par touche (Session)", temps, CIBLE_APERCU)
    pial = plus_grand_pial(session)
    carte = session.carte_pial(pial, ANNEE)
    assert carte is not None
    rapport(f"{taille} vue carte ({len(carte.aesh)} AESH)",
            mesurer(lambda: session.carte_pial(pial, ANNEE), runs,
                    avant=lambda: oublier_carte(session, pial)))


async def application(base: Base, session: Session, runs: int, taille: str) -> None:
    app = AgeshApp(base, date.fromisoformat(TODAY), session=session)
    app.animation_level = "none"
    affiches: list[tuple[float, str]] = []
    afficher = ParametresFormule._afficher

    def mesure(self, texte, apercu) -> None:
        afficher(self, texte, apercu)
        affiches.append((time.perf_counter(), texte))

    ParametresFormule._afficher = mesure  # type: ignore[method-assign]
    peint: list[float] = []
    rendu = CarteAeshWidget.render

    def rendu_mesure(self):
        resultat = rendu(self)
        if self.carte is not None:  # the map drawn, not the empty widget waiting for its view
            peint.append(time.perf_counter())
        return resultat

    CarteAeshWidget.render = rendu_mesure  # type: ignore[method-assign]
    async with app.run_test(size=(160, 48)) as pilot:
        await attendre(lambda: app.current_mode == "accueil" and app.session is not None)
        await pilot.pause(0.5)
        ecran = ParametresFormule(ANNEE)
        await app.push_screen(ecran)
        await attendre(lambda: ecran.apercu is not None)
        champ = ecran.query_one("#formule")
        await pilot.press("end")  # the text is selected at focus: typing would replace it
        await pilot.pause(0.2)
        temps = []
        for i in range(runs * 4):
            touche = "1" if i % 2 == 0 else "backspace"
            t0 = time.perf_counter()
            await pilot.press(touche)
            attendu = champ.value
            await attendre(lambda: bool(affiches) and affiches[-1][1] == attendu)
            temps.append(affiches[-1][0] - t0)
            await pilot.pause(0.1)
        rapport(f"{taille} touche → aperçu peint (délai compris)", temps, CIBLE_APERCU)
        rapport(f"{taille} touche → aperçu, sans le délai de {DELAI_APERCU * 1000:g} ms",
                [t - DELAI_APERCU for t in temps], CIBLE_APERCU)
        ecran.dismiss(None)
        await pilot.pause(0.2)
        pial = plus_grand_pial(session)
        temps = []
        for _ in range(runs):
            peint.clear()
            oublier_carte(session, pial)
            carte = CarteAesh(pial, ANNEE)
            t0 = time.perf_counter()
            await app.push_screen(carte)
            await attendre(lambda: bool(peint))
            temps.append(peint[0] - t0)
            carte.dismiss(None)
            await pilot.pause(0.2)
        rapport(f"{taille} ouverture de la carte → peinte", temps)
    ParametresFormule._afficher = afficher  # type: ignore[method-assign]
    CarteAeshWidget.render = rendu  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--xl", action="store_true", help="XL aussi")
    args = parser.parse_args()
    for taille in ("L", "XL") if args.xl else ("L",):
        store = ouvrir(str(base_demo(taille)))
        base = Base(store)
        session = session_superviseur(base)
        moteur(session, args.runs, taille)
        asyncio.run(application(base, session, args.runs, taille))
        store.fermer()



if __name__ == "__main__":
    main()

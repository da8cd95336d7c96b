"""The loading screen (issue 7 #9): the worker's progress arrives as
messages and shows step by step; Échap stops a load cleanly — the first
one closes the application, a reload keeps the data shown."""

from __future__ import annotations

import threading

import pytest
from textual.widgets import Static

from agesh_tui.api.erreurs import StoreError
from agesh_tui.api.session import Session
from agesh_tui.screens.accueil import Accueil
from agesh_tui.screens.chargement import Chargement
from agesh_tui.widgets.liste import ListeDonnees
from base_app import (
    application,
    attendre_chargement,
    attendre_travaux,
    session_de,
)

pytestmark = pytest.mark.anyio


class Retenir:
    """Holds the load in its thread when it reaches step ``rang``, until
    the test lets it go; notes the steps the engine told."""

    def __init__(self, session: Session, rang: int):
        self.rang = rang
        self.arrive = threading.Event()
        self.libre = threading.Event()
        self.etapes: list[tuple[str, int, int]] = []
        charger = session.charger

        def charger_retenu(etape=None):
            def retenue(quoi, faites, total):
                self.etapes.append((quoi, faites, total))
                if faites == self.rang:
                    self.arrive.set()
                    self.libre.wait(5)
                etape(quoi, faites, total)

            charger(retenue)

        session.charger = charger_retenu


async def attendre(pilot, evenement: threading.Event) -> None:
    for _ in range(500):
        if evenement.is_set():
            await pilot.pause(0.05)
            return
        await pilot.pause(0.01)
    raise AssertionError("le chargement n'est pas arrivé à l'étape attendue")


def etape_affichee(app) -> str:
    return str(app.screen.query_one("#chargement-etape", Static).render())


async def test_the_loading_screen_shows_each_step(base):
    session = session_de(base, "paul")
    retenue = Retenir(session, rang=3)
    app = application(base, session=session)
    async with app.run_test(size=(80, 24)) as pilot:
        await attendre(pilot, retenue.arrive)
        assert isinstance(app.screen, Chargement)
        # Steps 0-2 arrived as messages; the bar and the text read without colour.
        assert etape_affichee(app) == "█" * 8 + "░" * 22 + " 2/7 · Scolarités"
        retenue.libre.set()
        await attendre_chargement(pilot)
        assert isinstance(app.screen, Accueil)
    assert [faites for _, faites, _ in retenue.etapes] == list(range(7))


async def test_escape_stops_the_first_load_and_closes_the_application(base):
    session = session_de(base, "paul")
    retenue = Retenir(session, rang=3)
    app = application(base, session=session)
    async with app.run_test(size=(80, 24)) as pilot:
        await attendre(pilot, retenue.arrive)
        await pilot.press("escape")
        assert str(app.screen.query_one("#chargement-titre", Static).render()) == (
            "Arrêt du chargement…"
        )
        retenue.libre.set()
        for _ in range(200):
            if not app.is_running:
                break
            await pilot.pause(0.02)
    assert not app.is_running and app._exception is None
    assert not session.charge  # stopped between two steps: nothing loaded
    assert [faites for _, faites, _ in retenue.etapes] == [0, 1, 2, 3]


async def test_escape_stops_a_reload_and_the_data_shown_stays(base):
    app = application(base, session=session_de(base, "paul"))
    notes: list[str] = []
    notifier = app.notify
    app.notify = lambda message, **kw: (notes.append(message), notifier(message, **kw))
    async with app.run_test(size=(80, 24)) as pilot:
        await attendre_chargement(pilot)
        avant = app.session.dep
        retenue = Retenir(app.session, rang=1)
        app.action_recharger()
        await attendre(pilot, retenue.arrive)
        await pilot.press("escape")
        retenue.libre.set()
        await attendre_travaux(pilot)
        await pilot.pause()
        assert isinstance(app.screen, Accueil) and app.is_running
        assert app.session.dep is avant
        assert app.screen.query_one(ListeDonnees).nombre_total == 4
        assert notes[-1] == "Rechargement arrêté : les données affichées restent celles d'avant."


async def test_a_failed_load_says_why_and_escape_closes(base):
    session = session_de(base, "paul")

    def echouer(etape=None):
        raise StoreError("la base est illisible")

    session.charger = echouer
    app = application(base, session=session)
    async with app.run_test(size=(80, 24)) as pilot:
        await attendre_travaux(pilot)
        assert str(app.screen.query_one("#chargement-titre", Static).render()) == (
            "✖ Chargement impossible : la base est illisible. Échap pour fermer."
        )
        await pilot.press("escape")
        await pilot.pause()
    assert not app.is_running and app._exception is None

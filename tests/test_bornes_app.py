"""A base written before the bounds on dates (9999-12-31, 0001-01-01,
written raw) still opens Accueil, sorts by mise en œuvre and shows a
décision's detail: no computation on a stored date overflows (issue 8,
item 3)."""

from __future__ import annotations

from datetime import date

import pytest

from agesh_tui.engine.stockage import cle, ouvrir
from agesh_tui.engine.stockage.utilisateurs import ajouter
from agesh_tui.screens.accueil import Accueil
from agesh_tui.screens.decision import DetailDecision
from agesh_tui.widgets.liste import ListeDonnees
from base_app import (
    SECRET,
    application,
    attendre_chargement,
    attendre_travaux,
    monde_app,
    session_de,
)

pytestmark = pytest.mark.anyio


@pytest.fixture
def base_extreme(tmp_path, monkeypatch):
    monkeypatch.setenv(cle.ENV_KEY_FILE, str(tmp_path / "cle-otp.key"))
    m = monde_app()
    m.eleve("E9", "LONGTEMPS", "Éternel", date(2015, 1, 1),
            scolarites=[("0350001A", date(2024, 9, 1), date.max, "5e A")])
    m.decision("D9", "E9", "individuelle", 12.0, date(2026, 9, 1), date.max)
    m.decision("D10", "E9", "individuelle", 6.0, date.min, date(2026, 12, 31))
    m.mission("M9", "A1", "HI2D", 24.0, date.min, date.max)
    m.affectation("AF9", "M9", "0350001A", 24.0, date(2026, 9, 1), date.max)
    m.accompagnement("AC9", "M9", ["D9"], "0350001A", date(2026, 9, 1), date.max, 12.0, maintien=True)
    store = ouvrir(tmp_path / "agesh.sqlite3")
    m.ecrire(store)
    ajouter(store, "paul", "Paul Gestion", ("gestionnaire",), secret=SECRET)
    yield store
    store.fermer()


async def test_accueil_opens_sorts_and_details_a_base_holding_the_ends_of_the_calendar(base_extreme):
    app = application(base_extreme, session=session_de(base_extreme, "paul"))
    async with app.run_test(size=(160, 48)) as pilot:
        await attendre_chargement(pilot)
        assert isinstance(app.screen, Accueil)
        liste = app.screen.query_one(ListeDonnees)
        ids = {ligne.id for ligne in liste.lignes_affichees()}
        assert {"D9", "D10"} <= ids
        # Sort by mise en œuvre: the priorité of every frise, D9's up to 9999.
        await pilot.press("home", "right", "right", "right", "right", "s")
        await attendre_travaux(pilot)
        assert app.is_running and isinstance(app.screen, Accueil)
        ordre = [ligne.id for ligne in liste.lignes_affichees()]
        await pilot.press("home", *["down"] * ordre.index("D9"), "enter")
        await attendre_travaux(pilot)
        assert app.is_running
        assert isinstance(app.screen, DetailDecision) and app.screen.decision_id == "D9"

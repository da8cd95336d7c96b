"""Snapshots of the application's screens on the demo département (size S,
fixed seed, today 22/11/2026): login, Accueil at 80×24 and 160×48, the
filters, a décision's detail at 120×48 and 80×24, the help with the frise's
legend.

Deterministic: fixed terminal size, no animation, no cursor blink, a base
built once per session by ``agesh demo`` with a key file in a temporary
folder, opened under a fixed relative name (the login screen shows it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from textual.widgets import Input

from agesh_tui.api.session import Session
from agesh_tui.app import AgeshApp
from agesh_tui.engine.stockage import cle
from agesh_tui.engine.stockage.sqlite import open_store
from agesh_tui.engine.stockage.utilisateurs import charger_utilisateur
from agesh_tui.screens.decision import DetailDecision
from base_app import TODAY, attendre_chargement, attendre_travaux

NOM_BASE = "demo-S.sqlite3"


@pytest.fixture(scope="session")
def dossier_demo(tmp_path_factory):
    """The demo base and its key file, built once."""
    dossier = tmp_path_factory.mktemp("demo")
    env = {**os.environ, cle.ENV_KEY_FILE: str(dossier / "cle-otp.key")}
    subprocess.run(
        [sys.executable, "-m", "agesh_tui", "demo", "--taille", "S", "--seed", "7",
         "--today", TODAY.isoformat(), "--db", str(dossier / NOM_BASE)],
        check=True, capture_output=True, env=env,
    )
    return dossier


@pytest.fixture
def base_demo(dossier_demo, tmp_path, monkeypatch):
    """A copy of the demo base per test, opened from its folder by a
    relative name, so that every path on screen is the same on every run."""
    for fichier in dossier_demo.iterdir():
        shutil.copy(fichier, tmp_path / fichier.name)
    monkeypatch.setenv(cle.ENV_KEY_FILE, str(tmp_path / "cle-otp.key"))
    # The login hint names $AGESH_COMMANDE (set by demarrer-demo) and NO_COLOR
    # drops the colours: neither may leak from the developer's shell.
    monkeypatch.delenv("AGESH_COMMANDE", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.chdir(tmp_path)
    store = open_store(NOM_BASE)
    yield store
    store.close()


def app_de(store, login: str | None = "demo.gestionnaire", profil: str = "gestionnaire") -> AgeshApp:
    session = None
    if login:
        session = Session(store, charger_utilisateur(store, login), profil, TODAY)
    app = AgeshApp(store, TODAY, session=session)
    app.animation_level = "none"
    return app


async def figer(pilot) -> None:
    """Loaded, idle, and every text cursor shown steadily."""
    await attendre_travaux(pilot)
    for champ in pilot.app.screen.query(Input):
        champ.cursor_blink = False
    await pilot.pause()


def decision_exemple(store) -> str:
    """A décision with several accompagnements, one of them prévisionnel."""
    return store.rows(
        "SELECT ad.decision_id FROM accompagnement_decision ad "
        "JOIN accompagnement a ON a.id = ad.accompagnement_id "
        "GROUP BY ad.decision_id HAVING count(*) >= 2 AND max(a.previsionnel) = 1 "
        "ORDER BY ad.decision_id LIMIT 1"
    )[0][0]


def test_connexion(base_demo, snap_compare):
    assert snap_compare(app_de(base_demo, login=None), run_before=figer, terminal_size=(80, 24))


def test_accueil_80x24(base_demo, snap_compare):
    async def avant(pilot):
        await attendre_chargement(pilot)
        await figer(pilot)

    assert snap_compare(app_de(base_demo), run_before=avant, terminal_size=(80, 24))


def test_accueil_160x48(base_demo, snap_compare):
    async def avant(pilot):
        await attendre_chargement(pilot)
        await figer(pilot)

    assert snap_compare(app_de(base_demo), run_before=avant, terminal_size=(160, 48))


def test_accueil_filtres(base_demo, snap_compare):
    async def avant(pilot):
        await attendre_chargement(pilot)
        await pilot.press("f")
        await figer(pilot)

    assert snap_compare(app_de(base_demo), run_before=avant, terminal_size=(100, 30))


def test_detail_decision(base_demo, snap_compare):
    decision_id = decision_exemple(base_demo)

    async def avant(pilot):
        await attendre_chargement(pilot)
        pilot.app.push_screen(DetailDecision(decision_id))
        await figer(pilot)

    assert snap_compare(app_de(base_demo), run_before=avant, terminal_size=(120, 48))


def test_detail_decision_80x24(base_demo, snap_compare):
    """At 80 columns the tables too wide to read become label/value blocks:
    the frise, its periods and the first accompagnement."""
    decision_id = decision_exemple(base_demo)

    async def avant(pilot):
        await attendre_chargement(pilot)
        pilot.app.push_screen(DetailDecision(decision_id))
        await figer(pilot)
        pilot.app.screen.query_one("#frise-detail").scroll_visible(top=True, animate=False)
        await figer(pilot)

    assert snap_compare(app_de(base_demo), run_before=avant, terminal_size=(80, 24))


def test_aide_et_legende(base_demo, snap_compare):
    async def avant(pilot):
        await attendre_chargement(pilot)
        await pilot.press("question_mark")
        await figer(pilot)
        await pilot.press("end")  # the legend, at the bottom
        await figer(pilot)

    assert snap_compare(app_de(base_demo), run_before=avant, terminal_size=(100, 40))

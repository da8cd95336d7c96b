"""Snapshots of the application's screens on a small fixed world
(base_app.monde_ecran, today 22/11/2026): login, Accueil at 80×24 and
160×48, the filters, a décision's detail at 120×48 and 80×24, the help with
the frise's legend.

Deterministic: fixed terminal size, no animation, no cursor blink, a base
written from the fixture with a key file in a temporary folder, opened
under a fixed relative name (the login screen shows it)."""

from __future__ import annotations

from agesh_tui.screens.decision import DetailDecision
from base_app import app_de, attendre_chargement, figer


def decision_exemple(store) -> str:
    """A décision with several accompagnements, one of them prévisionnel."""
    return "D6"


def test_connexion(base_ecran, snap_compare):
    assert snap_compare(app_de(base_ecran, login=None), run_before=figer, terminal_size=(80, 24))


def test_accueil_80x24(base_ecran, snap_compare):
    async def avant(pilot):
        await attendre_chargement(pilot)
        await figer(pilot)

    assert snap_compare(app_de(base_ecran), run_before=avant, terminal_size=(80, 24))


def test_accueil_160x48(base_ecran, snap_compare):
    async def avant(pilot):
        await attendre_chargement(pilot)
        await figer(pilot)

    assert snap_compare(app_de(base_ecran), run_before=avant, terminal_size=(160, 48))


def test_accueil_filtres(base_ecran, snap_compare):
    async def avant(pilot):
        await attendre_chargement(pilot)
        await pilot.press("f")
        await figer(pilot)

    assert snap_compare(app_de(base_ecran), run_before=avant, terminal_size=(100, 30))


def test_detail_decision(base_ecran, snap_compare):
    decision_id = decision_exemple(base_ecran)

    async def avant(pilot):
        await attendre_chargement(pilot)
        pilot.app.push_screen(DetailDecision(decision_id))
        await figer(pilot)

    assert snap_compare(app_de(base_ecran), run_before=avant, terminal_size=(120, 48))


def test_detail_decision_80x24(base_ecran, snap_compare):
    """At 80 columns the tables too wide to read become label/value blocks:
    the frise, its periods and the first accompagnement."""
    decision_id = decision_exemple(base_ecran)

    async def avant(pilot):
        await attendre_chargement(pilot)
        pilot.app.push_screen(DetailDecision(decision_id))
        await figer(pilot)
        pilot.app.screen.query_one("#frise-detail").scroll_visible(top=True, animate=False)
        await figer(pilot)

    assert snap_compare(app_de(base_ecran), run_before=avant, terminal_size=(80, 24))


def test_aide_et_legende(base_ecran, snap_compare):
    async def avant(pilot):
        await attendre_chargement(pilot)
        await pilot.press("question_mark")
        await figer(pilot)
        await pilot.press("end")  # the legend, at the bottom
        await figer(pilot)

    assert snap_compare(app_de(base_ecran), run_before=avant, terminal_size=(100, 40))


def test_accueil_80x24_sans_couleur(base_ecran, snap_compare, monkeypatch):
    """NO_COLOR (a terminal over SSH): the frise, the marks and the cursor
    read by their glyphs alone."""
    monkeypatch.setenv("NO_COLOR", "1")

    async def avant(pilot):
        await attendre_chargement(pilot)
        await figer(pilot)

    assert snap_compare(app_de(base_ecran), run_before=avant, terminal_size=(80, 24))

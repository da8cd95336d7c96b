"""Indicateurs (SPEC F6) in the application: opened from Accueil (key and
palette), each counter opens the Accueil list filtered to exactly its
décisions, Échap clears that filter, a reload keeps it up to date; and
snapshots of the screen at 80×24 and 160×48 on the snapshots' small world
(base_app.monde_ecran), never on the demo generator."""

from __future__ import annotations

from datetime import date

import pytest
from textual.command import CommandPalette
from textual.widgets import Static

from agesh_tui.engine.regles.indicateurs import AVEC_MISE_EN_OEUVRE, PERIMETRE, SANS_MISE_EN_OEUVRE
from agesh_tui.screens.accueil import Accueil
from agesh_tui.screens.indicateurs import Compteur, Evolution, Indicateurs
from agesh_tui.widgets.liste import ListeDonnees
from base_app import (
    app_de,
    application,
    attendre_chargement,
    attendre_travaux,
    figer,
    session_de,
)
from monde import Monde

pytestmark = pytest.mark.anyio


def ajouter_decisions(store) -> None:
    """D5: this year, nothing in place (« sans mise en œuvre »); D6: over
    before this year, so in no indicator."""
    m = Monde()
    m.decision("D5", "E4", "individuelle", 6, date(2027, 1, 15), date(2027, 6, 30), "Renouvellement")
    m.decision("D6", "E1", "individuelle", 6, date(2024, 9, 1), date(2026, 6, 30), "Renouvellement")
    m.ecrire(store)


def ouvrir(store, login="paul"):
    return application(store, session=session_de(store, login))


def affichees(app) -> list[str]:
    return sorted(l.id for l in app.screen.query_one(ListeDonnees).lignes_affichees())


def bandeau(app) -> Static:
    return app.screen.query_one("#accueil-indicateur", Static)


def nombres(app) -> dict[str, int | None]:
    return {c.categorie.cle: c.nombre for c in app.screen.query(Compteur)}


async def indicateurs(pilot) -> None:
    await pilot.press("i")
    await attendre_travaux(pilot)
    assert isinstance(pilot.app.screen, Indicateurs)


async def voir(pilot, rang: int) -> None:
    """Open Indicateurs, move to the counter ``rang`` and Entrée."""
    await indicateurs(pilot)
    await pilot.press(*["down"] * rang, "enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, Accueil)


async def test_counters_open_the_filtered_list_and_escape_clears(base):
    ajouter_decisions(base)
    app = ouvrir(base)
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre_chargement(pilot)
        assert not bandeau(app).display
        assert affichees(app) == ["D1", "D2", "D3", "D4", "D5"]  # the year's filter hides D6
        await indicateurs(pilot)
        assert nombres(app) == {PERIMETRE: 5, SANS_MISE_EN_OEUVRE: 1, AVEC_MISE_EN_OEUVRE: 4}
        assert app.focused is app.screen.query_one(f"#compteur-{PERIMETRE}")
        await pilot.press("escape")  # back, nothing filtered
        await pilot.pause()
        assert isinstance(app.screen, Accueil) and not bandeau(app).display

        await voir(pilot, 1)
        assert affichees(app) == ["D5"]
        texte = str(bandeau(app).render())
        assert texte == "Filtre « Indicateurs : sans mise en œuvre » · Échap : l'enlever"
        assert app.screen.active_bindings["escape"].binding.description == (
            "Enlever le filtre Indicateurs"
        )

        await voir(pilot, 2)
        assert affichees(app) == ["D1", "D2", "D3", "D4"]
        assert str(bandeau(app).render()) == (
            "Filtre « Indicateurs : avec au moins une mise en œuvre » · Échap : l'enlever"
        )
        await voir(pilot, 0)
        assert affichees(app) == ["D1", "D2", "D3", "D4", "D5"]
        assert "« Indicateurs : décisions du périmètre »" in str(bandeau(app).render())

        await pilot.press("escape")
        await pilot.pause()
        assert not bandeau(app).display
        assert "escape" not in app.screen.active_bindings
        assert affichees(app) == ["D1", "D2", "D3", "D4", "D5"]


async def test_selection_first_then_the_filter(base):
    """Échap clears a selection first (the list's key), then the filter."""
    ajouter_decisions(base)
    app = ouvrir(base)
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre_chargement(pilot)
        await voir(pilot, 2)
        await pilot.press("space", "escape")
        await pilot.pause()
        liste = app.screen.query_one(ListeDonnees)
        assert liste.nombre_selectionne == 0 and bandeau(app).display
        await pilot.press("escape")
        await pilot.pause()
        assert not bandeau(app).display


async def test_the_users_filters_still_apply_and_the_banner_says_so(base):
    ajouter_decisions(base)
    app = ouvrir(base)
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre_chargement(pilot)
        await voir(pilot, 2)
        liste = app.screen.query_one(ListeDonnees)
        liste.appliquer_filtres({**liste.parametres_filtres,
                                 "valeurs": {**liste.parametres_filtres.get("valeurs", {}),
                                             "type": ["mutualisée"]},
                                 "proposes": [*liste.parametres_filtres.get("proposes", []),
                                              "type"]})
        await pilot.pause()
        assert affichees(app) == ["D2", "D4"]
        assert str(bandeau(app).render()) == (
            "Filtre « Indicateurs : avec au moins une mise en œuvre » (4 décisions, dont 2 avec "
            "vos filtres et la recherche) · Échap : l'enlever"
        )


async def test_perimeter_of_a_secteur(base):
    app = ouvrir(base, "malo")
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre_chargement(pilot)
        await indicateurs(pilot)
        assert nombres(app) == {PERIMETRE: 1, SANS_MISE_EN_OEUVRE: 0, AVEC_MISE_EN_OEUVRE: 1}
        titre = str(app.screen.query_one("#indicateurs-titre", Static).render())
        assert titre == "Indicateurs · année scolaire 2026-2027 · périmètre : secteurs Saint-Malo"


async def test_from_the_palette_and_back_with_escape(base):
    app = ouvrir(base)
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre_chargement(pilot)
        assert app.screen.active_bindings["i"].binding.description == "Indicateurs"
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert CommandPalette.is_open(app)
        await pilot.press(*"Indicateurs")
        await attendre_travaux(pilot)
        await pilot.press("enter")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, Indicateurs)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, Accueil) and not bandeau(app).display


async def test_chart_numbers_and_current_month_in_text(base):
    app = ouvrir(base)
    async with app.run_test(size=(80, 24)) as pilot:
        await attendre_chargement(pilot)
        await indicateurs(pilot)
        lignes = str(app.screen.query_one(Evolution).render()).splitlines()
        assert lignes[0].startswith("Évolution au cours de l'année scolaire 2026-2027")
        assert lignes[1] == (
            "▒ actives dans le mois (bleu)  █ dont avec mise en œuvre (vert)  ▶ ce mois-ci"
        )
        mois = lignes[2:]
        assert [l[2:8].strip() for l in mois] == [
            "sept.", "oct.", "nov.", "déc.", "janv.", "févr.", "mars", "avril", "mai", "juin",
            "juil.", "août",
        ]
        assert [l[0] for l in mois] == [" ", " ", "▶"] + [" "] * 9  # 22/11/2026
        # November: D1 D2 D3 D4 active, D1 (from 02/11) and D3 implemented.
        assert mois[2].split()[-4:] == ["4", "2", "50", "%"]
        assert all(len(l) <= 78 for l in lignes)


async def test_reload_keeps_the_indicator_up_to_date(base):
    ajouter_decisions(base)
    app = ouvrir(base)
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre_chargement(pilot)
        await voir(pilot, 1)
        assert affichees(app) == ["D5"]
        autre = Monde()  # another gestionnaire implements D5
        autre.accompagnement("AC5", "M1", ["D5"], "0350002B", date(2027, 2, 1), date(2027, 6, 30), 6)
        autre.ecrire(base)
        app.action_recharger()
        await attendre_travaux(pilot)
        await attendre_travaux(pilot)
        assert affichees(app) == []
        assert bandeau(app).display


# -- snapshots (base_app.monde_ecran, today 22/11/2026) ---------------------------------
def test_snapshot_indicateurs_80x24(base_ecran, snap_compare):
    async def avant(pilot):
        await attendre_chargement(pilot)
        await indicateurs(pilot)
        await figer(pilot)

    assert snap_compare(app_de(base_ecran), run_before=avant, terminal_size=(80, 24))


def test_snapshot_indicateurs_160x48(base_ecran, snap_compare):
    async def avant(pilot):
        await attendre_chargement(pilot)
        await indicateurs(pilot)
        await pilot.press("down")  # the focus on « Sans mise en œuvre »
        await figer(pilot)

    assert snap_compare(app_de(base_ecran), run_before=avant, terminal_size=(160, 48))


def test_snapshot_accueil_filtered_by_an_indicator(base_ecran, snap_compare):
    async def avant(pilot):
        await attendre_chargement(pilot)
        await voir(pilot, 1)
        await figer(pilot)

    assert snap_compare(app_de(base_ecran), run_before=avant, terminal_size=(80, 24))

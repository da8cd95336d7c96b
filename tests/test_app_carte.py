"""Carte des AESH of a PIAL (guide §9.5, issue 11 item 4): the AESH
affectés to the PIAL and those free nearby, nearest first; the cursor going
from AESH to AESH with the line under the map following; every kind of
point with its own glyph (NO_COLOR); snapshots at 80×24 and 160×48. The
screen is pushed directly: the PIAL detail opens it with « c »."""

from __future__ import annotations

from datetime import date

import pytest

from agesh_tui.api.vues_carte import AFFECTE, DISPONIBLE
from agesh_tui.screens.carte_aesh import CarteAesh
from agesh_tui.widgets.carte import AESH_AFFECTE, AESH_DISPONIBLE, CURSEUR, ETABLISSEMENT, TETE
from base_app import (
    NOM_BASE_ECRAN,
    app_de,
    attendre_chargement,
    attendre_travaux,
    creer_base,
    figer,
    isoler,
    monde_ecran,
    session_de,
    texte_ecran,
)

PIAL = "0350001A"


def monde_carte():
    """The snapshots' world; M3 (ROUSSEL, 2.4 km) affected to the PIAL,
    A5 far away (Fougères, 45 km: not « nearby »), A6 affected to the other
    PIAL (not shown), A7 of the PIAL without coordinates."""
    m = monde_ecran()
    m.affectation("AF1", "M3", PIAL, 24.0)
    m.aesh("A5", "LOIN", "Zoé", 48.35, -1.20, commune="Fougères")
    m.mission("M5", "A5", "HI2D", 24.0, date(2020, 9, 1), None)
    m.aesh("A6", "AUTRE", "Yves", 48.12, -1.67)
    m.mission("M6", "A6", "HI2D", 24.0, date(2020, 9, 1), None)
    m.affectation("AF2", "M6", "0350005E", 24.0)
    m.aesh("A7", "SANSADRESSE", "Léo")
    m.mission("M7", "A7", "HI2D", 24.0, date(2020, 9, 1), None)
    m.affectation("AF3", "M7", PIAL, 24.0)
    return m


@pytest.fixture
def base_carte(tmp_path, monkeypatch):
    isoler(tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)  # the base's name on screen, the same on every run
    store = creer_base(NOM_BASE_ECRAN, monde_carte())
    yield store
    store.fermer()


def gestionnaire(store):
    return app_de(store, "paul")


async def ouvrir_carte(pilot) -> CarteAesh:
    await attendre_chargement(pilot)
    ecran = CarteAesh(PIAL, 2026)
    await pilot.app.push_screen(ecran)
    await attendre_travaux(pilot)
    await figer(pilot)
    return ecran


def test_the_view_keeps_the_pial_aesh_and_the_free_ones_nearby(base_carte):
    session = session_de(base_carte, "paul")
    session.charger()
    carte = session.carte_pial(PIAL, 2026)
    assert carte is not None
    assert [(a.aesh_id, a.statut) for a in carte.aesh] == [
        ("A1", DISPONIBLE), ("A3", AFFECTE), ("A4", DISPONIBLE)]
    distances = [a.distance_km for a in carte.aesh]
    assert distances == sorted(distances) and distances[-1] <= carte.distance_max_km
    # M1: 41 h, 24 + 8 taken today; M3 24 h, 12 + 9 + 6 taken.
    assert {a.aesh_id: a.heures_libres for a in carte.aesh}["A1"] == 9.0
    assert {a.aesh_id: a.heures_libres for a in carte.aesh}["A3"] == 0.0
    assert carte.sans_position == 1  # A7
    assert [e.uai for e in carte.etablissements][0] == PIAL and carte.etablissements[0].tete
    assert {e.uai for e in carte.etablissements} == {PIAL, "0350002B", "0350004D"}
    assert session.carte_pial("9999999Z", 2026) is None


@pytest.mark.anyio
async def test_the_cursor_goes_from_aesh_to_aesh_and_the_line_follows(base_carte):
    app = gestionnaire(base_carte)
    async with app.run_test(size=(100, 30)) as pilot:
        ecran = await ouvrir_carte(pilot)
        assert ecran.info.startswith("1/3 · MOREAU Claire · Rennes · 1,3 km de la tête · 9 h libres")
        assert ecran.info.endswith("disponible")
        await pilot.press("right")
        assert ecran.info.startswith("2/3 · ROUSSEL Inès") and "affecté au PIAL" in ecran.info
        await pilot.press("tab")
        assert ecran.info.startswith("3/3 · NOEL Paul")
        await pilot.press("down")  # round again
        assert ecran.info.startswith("1/3 · MOREAU Claire")
        await pilot.press("left")
        assert ecran.info.startswith("3/3 · NOEL Paul")
        # The cursor glyph stands where the chosen AESH lives.
        carte = ecran.query_one("#carte")
        cellule = carte.cadre.cellule(48.20, -1.60)
        lignes = texte_ecran(app)
        x0, y0 = carte.content_region.x, carte.content_region.y
        assert lignes[y0 + cellule[1]][x0 + cellule[0]] == CURSEUR
        await pilot.press("escape")
        assert not isinstance(app.screen, CarteAesh)


@pytest.mark.anyio
async def test_zoom_halves_the_scale_and_says_when_the_aesh_leaves_the_map(base_carte):
    app = gestionnaire(base_carte)
    async with app.run_test(size=(80, 24)) as pilot:
        ecran = await ouvrir_carte(pilot)
        carte = ecran.query_one("#carte")
        avant = carte.cadre.km_par_colonne
        await pilot.press("left")  # NOEL Paul, 10 km away: the farthest
        assert "hors de la carte" not in ecran.info
        for _ in range(3):
            await pilot.press("plus")
        await pilot.pause()
        assert carte.cadre.km_par_colonne == pytest.approx(avant / 8)
        assert ecran.info.startswith("3/3 · NOEL Paul") and "hors de la carte : - pour" in ecran.info
        lignes = texte_ecran(app)
        y0, hauteur = carte.content_region.y, carte.content_region.height
        assert CURSEUR not in "\n".join(lignes[y0:y0 + hauteur])  # the legend has one
        await pilot.press("minus", "minus", "minus", "minus")  # not below the fitted scale
        await pilot.pause()
        assert carte.cadre.km_par_colonne == pytest.approx(avant)
        assert "hors de la carte" not in ecran.info


@pytest.mark.anyio
async def test_without_colour_every_kind_has_its_glyph(base_carte, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = gestionnaire(base_carte)
    async with app.run_test(size=(80, 24)) as pilot:
        await ouvrir_carte(pilot)
        ecran = "\n".join(texte_ecran(app))
        for glyphe in (TETE, ETABLISSEMENT, AESH_DISPONIBLE, CURSEUR):
            assert glyphe in ecran
        assert " km" in ecran and "(vert)" not in ecran
        await pilot.press("right")  # the cursor leaves A1: its ○ shows, ROUSSEL's ● is under ◉
        ecran = "\n".join(texte_ecran(app))
        assert AESH_DISPONIBLE in ecran
        await pilot.press("right")
        assert AESH_AFFECTE in "\n".join(texte_ecran(app))


@pytest.mark.anyio
async def test_an_unknown_pial_says_so(base_carte):
    app = gestionnaire(base_carte)
    async with app.run_test(size=(80, 24)) as pilot:
        await attendre_chargement(pilot)
        await pilot.app.push_screen(CarteAesh("9999999Z", 2026))
        await pilot.pause()
        assert "n'existe pas" in "\n".join(texte_ecran(app))


@pytest.mark.parametrize("taille", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_snapshot_carte(base_carte, snap_compare, taille):
    assert snap_compare(gestionnaire(base_carte), run_before=ouvrir_carte, terminal_size=taille)


def test_snapshot_carte_sans_couleur_80x24(base_carte, snap_compare, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(gestionnaire(base_carte), run_before=ouvrir_carte, terminal_size=(80, 24))

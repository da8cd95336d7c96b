"""Missions (SPEC F9, guide §8, issue 10 item 2): the list with its tools
(default school year, « accompagnante » filter, search, sort, remembered),
the occupation bar (SPEC §2.2) as cells and on screen without colour, a
mission's detail with its accompagnements, and snapshots of both at 80×24
and 160×48 on a fixed world (base_app.monde_ecran and a few missions)."""

from __future__ import annotations

import sys
import types
from datetime import date

import pytest
from rich.segment import Segment
from textual.screen import Screen
from textual.widgets import OptionList

from agesh_tui.api.tableaux import definition
from agesh_tui.engine.regles.occupation import PeriodeOccupation
from agesh_tui.engine.stockage import ouvrir
from agesh_tui.engine.stockage.utilisateurs import ajouter
from agesh_tui.screens.detail_mission import DetailMission
from agesh_tui.screens.missions import ListeMissions
from agesh_tui.widgets.barre_occupation import Occupation, cellules_barre, segments_barre
from agesh_tui.widgets.couleurs import BLEU, ORANGE, ROUGE, VERT
from agesh_tui.widgets.filtres import ANNEE_EN_COURS
from agesh_tui.widgets.liste import ListeDonnees
from base_app import (
    NOM_BASE_ECRAN,
    SECRET,
    app_de,
    attendre_a_jour,
    attendre_chargement,
    attendre_travaux,
    figer,
    isoler,
    monde_ecran,
    session_de,
    texte_ecran,
)

D = date


def monde_missions():
    """The snapshots' world, and: M4's volume that its accompagnement fills
    (vert from January), M3 employed by a collège and affected to a PIAL, an
    inactive mission whose nature cannot accompany (M5), a mission of an
    earlier school year (M6)."""
    m = monde_ecran()
    m.missions["M4"].volume = 18.0
    m.missions["M3"].uai_employeur = "0350005E"
    m.missions["M3"].uai_payeur = "0350001A"
    m.affectation("AF1", "M3", "0350001A", 24.0)
    m.mission("M5", "A1", "AHRE", 10.0, D(2026, 9, 1), D(2027, 8, 31), contrat="CDD",
              quotite=None, employeur="0350001A", actif=False)
    m.mission("M6", "A2", "HI2D", 20.0, D(2022, 9, 1), D(2023, 8, 31), contrat="CDD")
    return m


@pytest.fixture
def base_missions(tmp_path, monkeypatch):
    isoler(tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)
    store = ouvrir(NOM_BASE_ECRAN)
    monde_missions().ecrire(store)
    ajouter(store, "demo.gestionnaire", "Gestionnaire de démonstration", ("gestionnaire",),
            secret=SECRET)
    yield store
    store.fermer()


def liste(app) -> ListeDonnees:
    return app.screen.query_one(ListeDonnees)


def ids(app) -> list[str]:
    return [l.id for l in liste(app).lignes_affichees()]


async def ouvrir_missions(pilot) -> None:
    await attendre_chargement(pilot)
    await pilot.press("3")
    await attendre_travaux(pilot)
    await figer(pilot)


async def ouvrir_detail(pilot, mission_id: str) -> None:
    await ouvrir_missions(pilot)
    await pilot.press("home", *["down"] * ids(pilot.app).index(mission_id), "enter")
    await figer(pilot)


# -- the bar as cells ---------------------------------------------------------------------
def periodes(*tranches: tuple[int, int, float]) -> list[PeriodeOccupation]:
    return [PeriodeOccupation(D(2026, 9, a), D(2026, 9, b), h) for a, b, h in tranches]


def test_bar_cells_red_orange_green_blue_each_with_its_glyph_and_today_marked():
    # 30 days in 30 cells: a day a cell. 0 h, 5 h of 10, 10 h of 10, 12 h of 10.
    occ = Occupation(D(2026, 9, 1), D(2026, 9, 30),
                     periodes((1, 8, 0), (9, 16, 5), (17, 24, 10), (25, 30, 12)), 10.0)
    cellules = cellules_barre(occ, 30, D(2026, 9, 12))
    assert "".join(c.text for c in cellules) == "░" * 8 + "▓" * 3 + "┃" + "▓" * 4 + "█" * 8 + "■" * 6
    couleurs = {c.text: c.style.color.name for c in cellules if c.text != "┃"}
    assert couleurs == {"░": ROUGE.code, "▓": ORANGE.code, "█": VERT.code, "■": BLEU.code}
    # Today's mark is drawn on the colour of its period.
    assert cellules[11].style.bgcolor.name == ORANGE.code and cellules[11].style.bold
    # Without colours: the glyphs alone, no style at all.
    assert all(c.style is None for c in cellules_barre(occ, 30, D(2026, 9, 12), couleurs=False))


def test_bar_in_exactly_its_width_with_half_cells_and_today_outside():
    # 30 days in 3 cells: the boundary at the 16th falls in the middle of the second cell.
    occ = Occupation(D(2026, 9, 1), D(2026, 9, 30), periodes((1, 15, 0), (16, 30, 10)), 10.0)
    cellules = cellules_barre(occ, 3, D(2027, 1, 1))  # today after the mission: no mark
    assert [c.text for c in cellules] == ["░", "▐", "█"]
    # The denser half (vert) is the glyph, the other the background.
    assert (cellules[1].style.color.name, cellules[1].style.bgcolor.name) == (VERT.code, ROUGE.code)
    for largeur in (1, 7, 22, 80):
        assert Segment.get_line_length(segments_barre(occ, largeur, D(2026, 9, 5))) == largeur


# -- the rows: one set of values for the screen and the spreadsheet --------------------------
def test_rows_and_spreadsheet_share_their_values(base_missions):
    session = session_de(base_missions, "demo.gestionnaire")
    session.charger()
    lignes = {l.id: l for l in session.lignes_missions()}
    m3 = lignes["M3"]
    assert (m3.nom, m3.employeur, m3.accompagnant, m3.heures_aujourdhui) == (
        "ROUSSEL Inès", "Collège Les Gayeulles", True, 27.0)
    assert [(p.debut, p.heures) for p in m3.occupation] == [
        (D(2024, 9, 1), 0.0), (D(2026, 9, 1), 21.0), (D(2026, 10, 5), 27.0),
        (D(2027, 1, 1), 18.0), (D(2027, 7, 5), 0.0)]
    assert (lignes["M5"].accompagnant, lignes["M5"].actif) == (False, False)
    assert lignes["M4"].previsionnel and not lignes["M1"].previsionnel
    definition_, lignes_tableur = definition(session, "missions")
    occupation = definition_.colonne("occupation")
    assert {l.id: occupation.valeur(l) for l in lignes_tableur} == {
        i: l.heures_aujourdhui for i, l in lignes.items()}


# -- the list -----------------------------------------------------------------------------
@pytest.mark.anyio
async def test_key_3_opens_the_list_of_the_current_school_year(base_missions):
    app = app_de(base_missions)
    async with app.run_test(size=(120, 30)) as pilot:
        await ouvrir_missions(pilot)
        assert isinstance(app.screen, ListeMissions) and app.current_mode == "missions"
        # M6 ended in 2023: only with the date filter removed.
        assert ids(app) == ["M1", "M2", "M3", "M4", "M5"]
        assert liste(app).nombre_total == 6
        assert "année 2026-2027" in "\n".join(texte_ecran(app))
        # Every column is one of the spreadsheet's: « e » exports what is shown.
        connues = {c.cle for c in definition(app.session, "missions")[0].colonnes}
        assert {c.cle for c in liste(app).colonnes} <= connues
        liste(app).appliquer_filtres({"proposes": [], "valeurs": {}})
        await pilot.pause()
        assert ids(app) == ["M1", "M2", "M3", "M4", "M5", "M6"]


@pytest.mark.anyio
async def test_the_accompagnante_filter_keeps_the_natures_that_may_accompany(base_missions):
    app = app_de(base_missions)
    async with app.run_test(size=(120, 30)) as pilot:
        await ouvrir_missions(pilot)
        await pilot.press("f")
        await figer(pilot)
        dialogue = app.screen
        assert "Nature accompagnante" in "\n".join(texte_ecran(app))
        dialogue.dismiss({"proposes": ["annee", "accompagnant"],
                          "valeurs": {"annee": ANNEE_EN_COURS, "accompagnant": ["oui"]}})
        await figer(pilot)
        assert ids(app) == ["M1", "M2", "M3", "M4"]  # M5 (AHRE, référent) cannot accompany
        assert "accompagnante : oui" in "\n".join(texte_ecran(app))


@pytest.mark.anyio
async def test_search_and_sort_and_the_choices_are_remembered(base_missions):
    app = app_de(base_missions)
    async with app.run_test(size=(120, 30)) as pilot:
        await ouvrir_missions(pilot)
        await pilot.press("slash", *"rouss")
        await attendre_travaux(pilot)
        assert ids(app) == ["M3"]
        await pilot.press("escape")  # clears the search
        await attendre_travaux(pilot)
        assert len(ids(app)) == 5
        liste(app).focus()
        # « Occupation » (the second column) sorts by the hours taken today.
        await pilot.press("home", "right", "s")
        await attendre_travaux(pilot)
        assert ids(app) == ["M4", "M5", "M2", "M3", "M1"]  # 0, 0, 6, 27, 32 h
        await pilot.press("s")
        await attendre_travaux(pilot)
        assert ids(app) == ["M1", "M3", "M2", "M4", "M5"]
    assert session_de(base_missions, "demo.gestionnaire").preference("missions")["tri"] == [
        ["occupation", "desc"]]
    app = app_de(base_missions)
    async with app.run_test(size=(120, 30)) as pilot:
        await ouvrir_missions(pilot)
        assert ids(app) == ["M1", "M3", "M2", "M4", "M5"]


@pytest.mark.anyio
async def test_the_bar_reads_without_colour(base_missions, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_de(base_missions)
    async with app.run_test(size=(80, 60)) as pilot:
        await ouvrir_missions(pilot)
        # The bar: after the two marks and the 20 cells of the name and a blank.
        barres = {nom: l[23:45] for l in texte_ecran(app) for nom in ("ROUSSEL", "NOEL") if nom in l}
        # M4: nothing until January, then its whole volume.
        assert set(barres["NOEL"]) == {"░", "┃", "▐", "█"}, barres
        # M3 over three years: nothing until September, then part; the weeks
        # over its volume are too short for a cell of the list, today's mark
        # lies on them.
        assert set(barres["ROUSSEL"]) == {"░", "▐", "┃", "▓"}, barres
        # Across the detail's width they show, and the legend names no colour.
        await pilot.press("home", "down", "down", "enter")
        await figer(pilot)
        ecran = texte_ecran(app)
        barre = next(l for l in ecran if "┃" in l)
        assert {"░", "▓", "■", "┃"} <= set(barre)
        assert any("■■" in l and "surchargée" in l for l in ecran)
        assert any("■ surchargée, incohérence 6  ┃ aujourd'hui" in l for l in ecran)
        assert not any("(rouge)" in l or "(bleu)" in l for l in ecran)


# -- the detail ---------------------------------------------------------------------------
@pytest.mark.anyio
async def test_enter_opens_the_detail_with_its_accompagnements(base_missions, monkeypatch):
    ouverts: list[str] = []

    class FauxDetail(Screen):
        def __init__(self, acc_id: str):
            super().__init__()
            ouverts.append(acc_id)

    # The Accompagnements menu's detail, as this screen imports it when used.
    module = types.ModuleType("agesh_tui.screens.detail_accompagnement")
    module.DetailAccompagnement = FauxDetail  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "agesh_tui.screens.detail_accompagnement", module)
    app = app_de(base_missions)
    async with app.run_test(size=(120, 40)) as pilot:
        await ouvrir_detail(pilot, "M3")
        assert isinstance(app.screen, DetailMission) and app.screen.mission_id == "M3"
        ecran = "\n".join(texte_ecran(app))
        for attendu in ("Mission M3 — ROUSSEL Inès", "Accompagnement au sein d'un PIAL",
                        "Collège Les Gayeulles (0350005E)", "24 h par semaine"):
            assert attendu in ecran
        options = app.screen.query_one("#mission-accompagnements", OptionList)
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == [
            "AC5", "AC6", "AC9"]
        await pilot.press("tab")  # from the detail to its accompagnements
        assert app.focused is options
        await pilot.press("home", "down", "down", "enter")
        await pilot.pause()
        assert ouverts == ["AC9"] and isinstance(app.screen, FauxDetail)
        app.pop_screen()
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ListeMissions)


@pytest.mark.anyio
async def test_the_detail_gives_the_hours_of_each_period_and_the_affectations(base_missions):
    app = app_de(base_missions)
    async with app.run_test(size=(160, 60)) as pilot:
        await ouvrir_detail(pilot, "M3")
        ecran = "\n".join(texte_ecran(app))
        assert "Collège Anne de Bretagne" in ecran  # its PIAL
        for attendu in ("du 01/09/2026 au 04/10/2026", "21 h", "3 h",
                        "du 05/10/2026 au 31/12/2026", "27 h", "dépassé de 3 h",
                        "surchargée (bleu)", "■ surchargée, incohérence 6 (bleu)"):
            assert attendu in ecran, attendu


@pytest.mark.anyio
async def test_reload_redraws_the_list_and_the_open_detail(base_missions):
    """Another gestionnaire's write, reloaded on its own: the rows and an
    open detail follow the new data (the detail recomposed, the list behind
    it too)."""
    app = app_de(base_missions)
    async with app.run_test(size=(120, 40)) as pilot:
        await ouvrir_detail(pilot, "M3")
        with base_missions.ecriture() as tx:
            tx.execute("UPDATE aesh SET nom = 'DURAND' WHERE id = 'A3'")
            tx.execute("UPDATE mission SET volume = 30 WHERE id = 'M3'")
        await attendre_a_jour(pilot)
        await figer(pilot)
        assert app.is_running and isinstance(app.screen, DetailMission)
        ecran = "\n".join(texte_ecran(app))
        assert "Mission M3 — DURAND Inès" in ecran and "Occupée aujourd'hui : 27 h sur 30 h." in ecran
        await pilot.press("escape")
        await attendre_travaux(pilot)
        ligne = next(l for l in liste(app).lignes_affichees() if l.id == "M3")
        assert (ligne.nom, ligne.volume) == ("DURAND Inès", 30.0)
        # What « e » writes: the rows as shown, under the screen's visible columns.
        tableau = app.session.tableau_affiche(
            "missions", liste(app).lignes_affichees(), [c.cle for c in liste(app).colonnes_affichees])
        assert tableau.valeurs()[2][:3] == ["DURAND Inès", 27.0, "CDD"]


# -- snapshots ----------------------------------------------------------------------------
def test_liste_missions_80x24(base_missions, snap_compare):
    assert snap_compare(app_de(base_missions), run_before=ouvrir_missions, terminal_size=(80, 24))


def test_liste_missions_160x48(base_missions, snap_compare):
    assert snap_compare(app_de(base_missions), run_before=ouvrir_missions, terminal_size=(160, 48))


def test_detail_mission_80x24(base_missions, snap_compare):
    async def avant(pilot):
        await ouvrir_detail(pilot, "M3")

    assert snap_compare(app_de(base_missions), run_before=avant, terminal_size=(80, 24))


def test_detail_mission_160x48(base_missions, snap_compare):
    async def avant(pilot):
        await ouvrir_detail(pilot, "M3")

    assert snap_compare(app_de(base_missions), run_before=avant, terminal_size=(160, 48))

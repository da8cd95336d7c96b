"""The AESH menu (issue 10 item 1, SPEC F8, guide §7), read-only: the list
with its tools (an inactive AESH marked [I], the prévisionnels apart
through the « Source » filter, search, sort, remembered per user) and the
dossier (état civil, adresse, RQTH shown as RH data, missions and
accompagnements each opening its detail). Snapshots at 80×24 and 160×48.

The world is the snapshots' one (base_app.monde_ecran) and two AESH of
this file's own — one inactive, one whose name is markup —, so that the
other snapshots never change."""

from __future__ import annotations

import sys
import types
from datetime import date

import pytest
from textual.screen import Screen

from agesh_tui.api.tableaux import definition, vue
from agesh_tui.engine.stockage import ouvrir
from agesh_tui.engine.stockage.utilisateurs import ajouter
from agesh_tui.screens.aesh import ListeAesh
from agesh_tui.screens.dossier_aesh import DossierAesh
from agesh_tui.widgets.choix_filtres import ChoixFiltres
from agesh_tui.widgets.export_tableur import ExportTableur
from agesh_tui.widgets.liste import ListeDonnees
from base_app import (
    NOM_BASE_ECRAN,
    NOM_PIEGE,
    SECRET,
    app_de,
    attendre_chargement,
    attendre_travaux,
    figer,
    isoler,
    monde_ecran,
    session_de,
    texte_ecran,
)

TAILLES = [(80, 24), (160, 48)]


def monde_aesh():
    m = monde_ecran()
    # Left the RH bases: kept, marked [I] (guide §7), with its ended mission.
    m.aesh("A5", "LEFEBVRE", "Élodie", 48.65, -2.02, actif=False, rqth=True,
           code_postal="35400", commune="Saint-Malo", transport="voiture",
           adresse="3 rue des Remparts", date_naissance=date(1980, 4, 12))
    m.mission("M5", "A5", "HM1D", 20.0, date(2023, 9, 1), date(2025, 8, 31), contrat="CDD",
              actif=False)
    # A name that is markup: shown literally, never run.
    m.aesh("A6", NOM_PIEGE, "Zoé", 48.11, -1.68, commune="Rennes")
    return m


@pytest.fixture
def base_aesh(tmp_path, monkeypatch):
    isoler(tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)
    store = ouvrir(NOM_BASE_ECRAN)
    monde_aesh().ecrire(store)
    ajouter(store, "demo.gestionnaire", "Gestionnaire de démonstration", ("gestionnaire",),
            secret=SECRET)
    yield store
    store.fermer()


async def ouvrir_liste(pilot) -> ListeDonnees:
    await attendre_chargement(pilot)
    await pilot.press("2")
    await attendre_travaux(pilot)  # the rows come from a worker
    assert isinstance(pilot.app.screen, ListeAesh)
    return pilot.app.screen.query_one(ListeDonnees)


async def aller_a(pilot, liste: ListeDonnees, cle: str) -> None:
    ids = [l.id for l in liste.lignes_affichees()]
    await pilot.press("home", *["down"] * ids.index(cle))


def ids(liste: ListeDonnees) -> list[str]:
    return [l.id for l in liste.lignes_affichees()]


# -- the rows (shared with the spreadsheet export) -----------------------------------------
def test_rows_of_the_list_and_of_the_export_are_the_same(base_aesh):
    session = session_de(base_aesh, "demo.gestionnaire")
    session.charger()
    lignes = {l.id: l for l in session.lignes_aesh()}
    assert list(lignes) == ["A1", "A2", "A3", "A4", "A5", "A6"]
    assert (lignes["A5"].etat, lignes["A5"].missions, lignes["A5"].volume) == ("[I]", 0, 0)
    assert (lignes["A1"].etat, lignes["A1"].missions, lignes["A1"].volume) == ("", 1, 41.0)
    assert lignes["A4"].source == "prévisionnel" and lignes["A1"].source == "EPP"
    # The export reads the same rows: « [I] » in its « Actif » column.
    tableau = vue(*definition(session, "aesh"), colonnes=["id", "actif", "source"])
    assert tableau.valeurs()[3:5] == [["A4", "oui", "prévisionnel"], ["A5", "[I]", "EPP"]]
    # The screen's export (« e »): its column keys are the list's.
    affiche = session.tableau_affiche("aesh", [lignes["A5"]], [c.cle for c in ListeAesh._colonnes()
                                                               if c.visible])
    assert [c.titre for c in affiche.colonnes][:3] == ["Actif", "Nom prénom", "Source"]
    assert affiche.valeurs()[0][:3] == ["[I]", "LEFEBVRE Élodie", "EPP"]


# -- the list ---------------------------------------------------------------------------------
@pytest.mark.anyio
async def test_key_2_opens_the_list_with_the_inactive_marked(base_aesh):
    app = app_de(base_aesh)
    async with app.run_test(size=(120, 30)) as pilot:
        liste = await ouvrir_liste(pilot)
        assert ids(liste) == ["A1", "A2", "A3", "A4", "A5", "A6"]
        ecran = texte_ecran(app)
        ligne_a5 = next(l for l in ecran if "LEFEBVRE Élodie" in l)
        assert ligne_a5.split()[:2] == ["[I]", "LEFEBVRE"]  # the État column, first
        assert not any("[I]" in l for l in ecran if "MOREAU Claire" in l)
        assert any(l.startswith("6 AESH sur 6") for l in ecran)
        await pilot.press("e")  # the export of the list as shown (issue 13)
        assert isinstance(app.screen, ExportTableur)


@pytest.mark.anyio
async def test_the_source_filter_shows_the_previsionnels_apart(base_aesh):
    app = app_de(base_aesh)
    async with app.run_test(size=(100, 30)) as pilot:
        liste = await ouvrir_liste(pilot)
        await pilot.press("f")
        ecran = app.screen
        assert isinstance(ecran, ChoixFiltres)
        rang = [f.cle for f in ecran.filtres].index("source")
        ecran.query_one(f"#propose-{rang}").focus()
        # Offered by default; its values: EPP, prévisionnel.
        await pilot.press("tab", "down", "space", "enter")
        assert ids(liste) == ["A4"]
        assert liste.parametres_filtres["valeurs"]["source"] == ["prévisionnel"]
        assert any("filtres : source : prévisionnel" in l for l in texte_ecran(app))


@pytest.mark.anyio
async def test_search_folds_accents_and_case(base_aesh):
    app = app_de(base_aesh)
    async with app.run_test(size=(100, 30)) as pilot:
        liste = await ouvrir_liste(pilot)
        await pilot.press("slash", *"eLoDie")
        await attendre_travaux(pilot)  # the haystacks, built in a thread
        assert ids(liste) == ["A5"]
        await pilot.press(*["backspace"] * 6, *"saint-malo")
        await attendre_travaux(pilot)
        assert ids(liste) == ["A5"]  # a column other than the name
        await pilot.press(*["backspace"] * 10, *"ines rennes")
        await attendre_travaux(pilot)
        assert ids(liste) == ["A3"]  # ROUSSEL Inès, words combined


@pytest.mark.anyio
async def test_sort_by_name_and_remembered_for_the_user(base_aesh):
    app = app_de(base_aesh)
    async with app.run_test(size=(100, 30)) as pilot:
        liste = await ouvrir_liste(pilot)
        await pilot.press("right", "s")  # État → Nom prénom
        noms = [l.nom for l in liste.lignes_affichees()]
        assert noms == [f"{NOM_PIEGE} Zoé", "LEFEBVRE Élodie", "MOREAU Claire", "NOEL Paul",
                        "PETIT Jean", "ROUSSEL Inès"]  # « [ » before the letters
        await pilot.press("s")
        assert [l.nom for l in liste.lignes_affichees()] == noms[::-1]
    # Another day, the same user: the list comes back sorted the same way.
    app = app_de(base_aesh)
    async with app.run_test(size=(100, 30)) as pilot:
        liste = await ouvrir_liste(pilot)
        assert liste.etat()["tri"] == [["nom", "desc"]]
        assert [l.nom for l in liste.lignes_affichees()] == noms[::-1]


# -- the dossier ------------------------------------------------------------------------------
@pytest.mark.anyio
async def test_enter_opens_the_dossier_with_missions_and_accompagnements(base_aesh):
    app = app_de(base_aesh)
    async with app.run_test(size=(160, 48)) as pilot:
        liste = await ouvrir_liste(pilot)
        await aller_a(pilot, liste, "A1")
        await pilot.press("enter")
        await pilot.pause()
        ecran = app.screen
        assert isinstance(ecran, DossierAesh) and ecran.aesh_id == "A1"
        texte = "\n".join(texte_ecran(app))
        assert "AESH MOREAU Claire" in texte
        assert "données RH (EPP), non modifiables ici" in texte
        missions = ecran.query_one("#dossier-missions", ListeDonnees)
        accs = ecran.query_one("#dossier-accompagnements", ListeDonnees)
        assert [v.mission.id for v in missions.lignes_affichees()] == ["M1"]
        # Latest first, every secteur: the AESH's whole occupation.
        assert [v.acc.id for v in accs.lignes_affichees()] == ["AC3", "AC1", "AC8"]
        assert "Missions (1)" in texte and "Accompagnements (3)" in texte
        assert "DUPONT Léa" in texte and "📅 prév." in texte
        assert app.focused is missions  # Entrée opens a line at once
        await pilot.press("escape")
        assert isinstance(app.screen, ListeAesh)


@pytest.mark.anyio
async def test_the_dossier_of_an_inactive_aesh_says_so(base_aesh):
    app = app_de(base_aesh)
    async with app.run_test(size=(80, 24)) as pilot:
        liste = await ouvrir_liste(pilot)
        await aller_a(pilot, liste, "A5")
        await pilot.press("enter")
        await pilot.pause()
        texte = "\n".join(texte_ecran(app))
        assert "AESH LEFEBVRE Élodie [I] inactif" in texte
        assert "Mme LEFEBVRE Élodie" in texte and "12/04/1980" in texte
        assert "3 rue des Remparts" in texte and "35400 Saint-Malo" in texte
        assert "RQTH       oui" in texte
        assert "Accompagnements (0)" in texte and "Aucun accompagnement." in texte


def faux_ecran(module: str, classe: str, monkeypatch) -> list[str]:
    """A stand-in for a detail screen written elsewhere (the Missions and
    Accompagnements menus): records the id it is opened with."""
    ouverts: list[str] = []

    class Faux(Screen):
        def __init__(self, ident: str) -> None:
            super().__init__()
            ouverts.append(ident)

    faux = types.ModuleType(module)
    setattr(faux, classe, Faux)
    monkeypatch.setitem(sys.modules, module, faux)
    return ouverts


@pytest.mark.anyio
async def test_each_line_opens_its_mission_or_accompagnement(base_aesh, monkeypatch):
    missions = faux_ecran("agesh_tui.screens.detail_mission", "DetailMission", monkeypatch)
    accs = faux_ecran("agesh_tui.screens.detail_accompagnement", "DetailAccompagnement",
                      monkeypatch)
    app = app_de(base_aesh)
    async with app.run_test(size=(80, 24)) as pilot:
        liste = await ouvrir_liste(pilot)
        await aller_a(pilot, liste, "A3")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")  # the missions list has the focus
        assert missions == ["M3"]
        app.pop_screen()
        await pilot.pause()
        await pilot.press("tab", "down", "enter")  # the accompagnements, second line
        assert accs == ["AC6"]


@pytest.mark.anyio
async def test_a_name_that_is_markup_shows_literally(base_aesh):
    app = app_de(base_aesh)
    async with app.run_test(size=(100, 30)) as pilot:
        liste = await ouvrir_liste(pilot)
        assert any(f"{NOM_PIEGE} Zoé" in l for l in texte_ecran(app))
        await aller_a(pilot, liste, "A6")
        await pilot.press("enter")
        await pilot.pause()
        assert f"AESH {NOM_PIEGE} Zoé" in "\n".join(texte_ecran(app))
        await pilot.click(offset=(12, 2))  # on the title: nothing runs
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, DossierAesh)


# -- snapshots --------------------------------------------------------------------------------
@pytest.mark.parametrize("taille", TAILLES, ids=lambda t: f"{t[0]}x{t[1]}")
def test_snapshot_liste(base_aesh, snap_compare, taille):
    async def avant(pilot):
        await ouvrir_liste(pilot)
        await figer(pilot)

    assert snap_compare(app_de(base_aesh), run_before=avant, terminal_size=taille)


@pytest.mark.parametrize("taille", TAILLES, ids=lambda t: f"{t[0]}x{t[1]}")
def test_snapshot_dossier(base_aesh, snap_compare, taille):
    """MOREAU Claire: a mission, three accompagnements (a prévisionnel
    mutualisé of the pupil whose name is markup among them)."""
    async def avant(pilot):
        await ouvrir_liste(pilot)
        await pilot.press("enter")
        await figer(pilot)

    assert snap_compare(app_de(base_aesh), run_before=avant, terminal_size=taille)

"""The AESH and missions forms (issue 10 items 1 and 2, SPEC F8, F9, guide
§7.1, §7.2, §8.2): « Modifier cet AESH » (an RH AESH's RH data shown
read-only, a prévisionnel one entered whole), « Ajouter un AESH »
prévisionnel with its missions, « Ajouter une mission » from the dossier
and from the Missions list, the modification of a prévisionnelle mission —
an RH one is read-only —; each refusal next to its field as one types,
nothing written on error, a record changed by another session refused
field by field (on both engines), then taken up again. Snapshots of each
form at 80×24 and 160×48.

The world is the snapshots' one (base_app.monde_ecran): A1 MOREAU Claire
(EPP, mission M1), A4 NOEL Paul (prévisionnel, mission M4 prévisionnelle
carrying AC7, 18 h from 04/01/2027)."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date

import pytest
from textual.widgets import Input, Select, Static

from agesh_tui.api.erreurs import RegleRefusee
from agesh_tui.engine.regles.aesh import SaisieAesh, SaisieMission
from agesh_tui.screens.aesh import ListeAesh
from agesh_tui.screens.detail_mission import DetailMission
from agesh_tui.screens.dossier_aesh import DossierAesh
from agesh_tui.screens.formulaire_aesh import FormulaireAesh
from agesh_tui.screens.formulaire_mission import FormulaireMission
from agesh_tui.screens.missions import ListeMissions
from agesh_tui.widgets.bloc_mission import BlocMission
from agesh_tui.widgets.date_saisie import DateSaisie
from agesh_tui.widgets.liste import ListeDonnees
from agesh_tui.widgets.saisie import LigneSaisie
from base_app import (
    app_de,
    attendre_chargement,
    attendre_travaux,
    creer_base_ecran,
    figer,
    isoler,
    session_de,
    texte_ecran,
)
from monde import contenu

TAILLES = [(80, 24), (160, 48)]
COLLEGE = "0350001A"  # Collège Anne de Bretagne, Rennes


@pytest.fixture
def base_moteurs(url_base, tmp_path, monkeypatch):
    """The snapshots' world on each engine."""
    isoler(tmp_path, monkeypatch)
    store = creer_base_ecran(url_base)
    yield store
    store.fermer()


# -- helpers -----------------------------------------------------------------------------------
def lignes(store, sql: str, params=()) -> list[tuple]:
    with store.lecture() as tx:
        return tx.lignes(sql, params)


async def ouvrir_liste(pilot, menu: str) -> ListeDonnees:
    await attendre_chargement(pilot)
    await pilot.press(menu)
    await attendre_travaux(pilot)
    return pilot.app.screen.query_one(ListeDonnees)


async def aller_a(pilot, liste: ListeDonnees, cle: str) -> None:
    ids = [l.id for l in liste.lignes_affichees()]
    await pilot.press("home", *["down"] * ids.index(cle))


async def ouvrir_dossier(pilot, aesh_id: str) -> DossierAesh:
    liste = await ouvrir_liste(pilot, "2")
    await aller_a(pilot, liste, aesh_id)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, DossierAesh)
    return pilot.app.screen


async def ouvrir_formulaire(pilot, aesh_id: str) -> FormulaireAesh:
    await ouvrir_dossier(pilot, aesh_id)
    await pilot.press("m")
    await figer(pilot)
    ecran = pilot.app.screen
    assert isinstance(ecran, FormulaireAesh)
    return ecran


async def ouvrir_detail_mission(pilot, mission_id: str) -> DetailMission:
    liste = await ouvrir_liste(pilot, "3")
    await aller_a(pilot, liste, mission_id)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, DetailMission)
    return pilot.app.screen


def message(ecran, champ: str, dans=None) -> str:
    """What the row of ``champ`` says next to its field."""
    for ligne in (dans or ecran).query(LigneSaisie):
        if ligne.champ == champ:
            return ligne.message
    raise AssertionError(f"pas de champ {champ}")


def remplir_mission(bloc: BlocMission, contrat="CDD", volume="24", quotite="66", nature="HI2D",
                    employeur="", payeur="", debut=date(2026, 9, 1),
                    fin: date | None = date(2027, 8, 31)) -> None:
    bloc.query_one("#contrat", Select).value = contrat
    bloc.query_one("#volume", Input).value = volume
    bloc.query_one("#quotite", Input).value = quotite
    bloc.query_one("#nature", Select).value = nature
    bloc.query_one("#uai_employeur", Input).value = employeur
    bloc.query_one("#uai_payeur", Input).value = payeur
    bloc.query_one("#debut", DateSaisie).value = debut
    bloc.query_one("#fin", DateSaisie).value = fin


async def enregistrer(pilot) -> None:
    await pilot.press("ctrl+s")
    await attendre_travaux(pilot)
    await attendre_travaux(pilot)


# -- Modifier cet AESH -------------------------------------------------------------------------
@pytest.mark.anyio
async def test_modifier_a_previsionnel_aesh_saved_and_the_dossier_shows_it(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(120, 40)) as pilot:
        ecran = await ouvrir_formulaire(pilot, "A4")
        assert "Modifier l'AESH NOEL Paul (A4) · 📅 prévisionnel" in "\n".join(texte_ecran(app))
        # A prévisionnel AESH: everything is entered here.
        assert ecran.query_one("#nom", Input).value == "NOEL"
        assert ecran.query_one("#civilite", Select).value == "Mme"
        ecran.query_one("#prenom", Input).value = "Paulette"
        ecran.query_one("#date_naissance", DateSaisie).value = date(1988, 2, 29)
        ecran.query_one("#adresse", Input).value = "4 rue de Nantes"
        ecran.query_one("#code_postal", Input).value = "35600"
        ecran.query_one("#commune", Input).value = "Redon"
        ecran.query_one("#transport", Input).value = "Vélo"
        await pilot.pause()
        assert all(message(ecran, c) == "" for c in ("nom", "prenom", "code_postal", "commune"))
        await enregistrer(pilot)
        assert isinstance(app.screen, DossierAesh)
        texte = "\n".join(texte_ecran(app))
        assert "AESH NOEL Paulette" in texte and "35600 Redon" in texte
        assert "29/02/1988" in texte and "4 rue de Nantes" in texte and "Vélo" in texte
    assert lignes(base_ecran, "SELECT prenom, commune, code_postal, transport, latitude, version "
                              "FROM aesh WHERE id = 'A4'") == [
        ("Paulette", "Redon", "35600", "Vélo", None, 2)]
    (action, detail), = lignes(base_ecran, "SELECT action, detail FROM journal")
    assert action == "modification_aesh" and "Commune : Rennes → Redon" in detail


@pytest.mark.anyio
async def test_an_rh_aesh_shows_its_rh_data_read_only_and_saves_the_transport(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(80, 24)) as pilot:
        ecran = await ouvrir_formulaire(pilot, "A1")
        texte = "\n".join(texte_ecran(app))
        assert "Modifier l'AESH MOREAU Claire (A1) · base RH EPP" in texte
        assert "données RH (EPP)" in texte and "non modifiables ici" in texte
        # The RH fields are values shown, not fields: only the transport is entered.
        assert [i.id for i in ecran.query("#saisie Input")] == ["transport"]
        assert str(ecran.query_one("#valeur-nom", Static).render()) == "MOREAU"
        assert app.focused is ecran.query_one("#transport", Input)
        await pilot.press(*"Tram")
        await enregistrer(pilot)
        assert isinstance(app.screen, DossierAesh)
        assert "Tram" in "\n".join(texte_ecran(app))
    assert lignes(base_ecran, "SELECT nom, transport FROM aesh WHERE id = 'A1'") == [
        ("MOREAU", "Tram")]


@pytest.mark.anyio
async def test_a_bad_postcode_is_said_as_one_types_and_nothing_is_written(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(120, 40)) as pilot:
        ecran = await ouvrir_formulaire(pilot, "A4")
        avant = contenu(base_ecran)
        ecran.query_one("#code_postal", Input).focus()
        await pilot.press("ctrl+u", *"350")
        assert message(ecran, "code_postal") == "Le code postal a 5 chiffres."
        ecran.query_one("#nom", Input).value = ""
        await pilot.pause()
        assert message(ecran, "nom") == "Le nom est obligatoire."
        ecran.query_one("#date_naissance", DateSaisie).value = date(1890, 1, 1)
        await pilot.pause()
        assert "hors limites" in ecran.query_one("#date_naissance", DateSaisie).erreur
        await enregistrer(pilot)
        assert app.screen is ecran
        assert ecran.message.startswith("Le formulaire ne respecte pas toutes les règles")
        assert app.focused is ecran.query_one("#nom", Input)  # the first field refused
        ecran.query_one("#code_postal", Input).focus()
        await pilot.press("end", *"00")  # 35000 now
        assert message(ecran, "code_postal") == ""
    assert contenu(base_ecran) == avant


@pytest.mark.anyio
async def test_escape_after_a_change_asks_before_abandoning(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(120, 40)) as pilot:
        ecran = await ouvrir_formulaire(pilot, "A4")
        await pilot.press("escape")  # nothing changed: gone at once
        assert isinstance(app.screen, DossierAesh)
        await pilot.press("m")
        await figer(pilot)
        ecran = app.screen
        ecran.query_one("#commune", Input).value = "Redon"
        await pilot.press("escape")
        assert app.screen is ecran and ecran.message.startswith("La saisie a changé : Échap de nouveau")
        await pilot.press("escape")
        assert isinstance(app.screen, DossierAesh)
    assert lignes(base_ecran, "SELECT commune FROM aesh WHERE id = 'A4'") == [("Rennes",)]


@pytest.mark.anyio
async def test_a_record_changed_by_another_session_is_refused_field_by_field(base_moteurs):
    store = base_moteurs
    app = app_de(store)
    async with app.run_test(size=(120, 40)) as pilot:
        ecran = await ouvrir_formulaire(pilot, "A4")
        ecran.query_one("#transport", Input).value = "Vélo"
        # Another gestionnaire changes the same AESH meanwhile, from another process.
        autre = session_de(store, "demo.superviseur", "gestionnaire")
        autre.charger()
        autre.modifier_aesh("A4", 1, replace(SaisieAesh.de(autre.aesh("A4")), commune="Redon"))
        await enregistrer(pilot)
        assert app.screen is ecran
        assert "une autre session a modifié" in ecran.message.lower()
        assert "Commune : Rennes → Redon" in ecran.message
        assert lignes(store, "SELECT commune, transport, version FROM aesh WHERE id = 'A4'") == [
            ("Redon", "", 2)]
        # Taken up again on the current values (or reloaded on its own meanwhile):
        # the commune is theirs, the transport ours.
        fin = time.monotonic() + 15
        while ecran.query_one("#commune", Input).value != "Redon":
            assert time.monotonic() < fin, "le formulaire n'a pas été repris"
            if ecran.reprise_proposee:
                await pilot.press("ctrl+o")
            await attendre_travaux(pilot)
            await pilot.pause(0.1)
        assert app.screen is ecran
        assert ecran.query_one("#transport", Input).value == "Vélo"
        assert "Commune : Rennes → Redon" in ecran.message
        await enregistrer(pilot)
        assert isinstance(app.screen, DossierAesh)
    assert lignes(store, "SELECT commune, transport, version FROM aesh WHERE id = 'A4'") == [
        ("Redon", "Vélo", 3)]


# -- Ajouter un AESH ----------------------------------------------------------------------------
@pytest.mark.anyio
async def test_ajouter_un_aesh_with_two_missions_then_its_dossier_opens(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(120, 40)) as pilot:
        await ouvrir_liste(pilot, "2")
        await pilot.press("a")
        await figer(pilot)
        ecran = app.screen
        assert isinstance(ecran, FormulaireAesh)
        # A new form says nothing before one types or saves.
        assert message(ecran, "nom") == "" and ecran.message == ""
        ecran.query_one("#civilite", Select).value = "M."
        ecran.query_one("#nom", Input).value = "GARNIER"
        ecran.query_one("#prenom", Input).value = "Théo"
        ecran.query_one("#code_postal", Input).value = "35700"
        ecran.query_one("#commune", Input).value = "Rennes"
        premiere = ecran.query_one("#mission-1", BlocMission)
        remplir_mission(premiere, employeur="0350001a")
        await pilot.pause()
        assert message(ecran, "uai_employeur", premiere) == "Collège Anne de Bretagne, Rennes"
        await pilot.press("ctrl+n")
        await pilot.pause()
        blocs = list(ecran.query(BlocMission))
        assert len(blocs) == 2 and app.focused is blocs[1].query_one("#contrat", Select)
        remplir_mission(blocs[1], contrat="CDI", volume="12,5", quotite="50", nature="EI1D", fin=None)
        await pilot.pause()
        assert message(ecran, "nature", blocs[1]) == (
            "EI1D est une nature ASSED (hors titre II) : ces contrats sont des CDD.")
        await enregistrer(pilot)
        assert app.screen is ecran  # refused: nothing written
        blocs[1].query_one("#nature", Select).value = "HM2D"
        await enregistrer(pilot)
        assert isinstance(app.screen, DossierAesh) and app.screen.aesh_id == "AP000001"
        texte = "\n".join(texte_ecran(app))
        assert "AESH GARNIER Théo · 📅 prévisionnel" in texte and "Missions (2)" in texte
    assert lignes(base_ecran, "SELECT source, civilite, code_postal FROM aesh WHERE id = 'AP000001'"
                  ) == [("previsionnel", "M.", "35700")]
    assert lignes(base_ecran, "SELECT id, contrat, nature, volume, quotite, fin, uai_employeur, "
                              "source FROM mission WHERE aesh_id = 'AP000001' ORDER BY id") == [
        ("MP000001", "CDD", "HI2D", 24.0, 66.0, "2027-08-31", COLLEGE, "previsionnel"),
        ("MP000002", "CDI", "HM2D", 12.5, 50.0, None, None, "previsionnel"),
    ]


@pytest.mark.anyio
async def test_a_new_aesh_says_every_missing_field_at_the_first_save(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(120, 40)) as pilot:
        await ouvrir_liste(pilot, "2")
        await pilot.press("a")
        await figer(pilot)
        ecran = app.screen
        await pilot.press("ctrl+t")  # no mission: allowed
        assert not list(ecran.query(BlocMission))
        ecran.query_one("#nom", Input).value = "GARNIER"
        await enregistrer(pilot)
        assert app.screen is ecran
        assert message(ecran, "civilite") == "Civilité : Mme ou M."
        assert message(ecran, "prenom") == "Le prénom est obligatoire."
        assert message(ecran, "nom") == ""
    assert lignes(base_ecran, "SELECT COUNT(*) FROM aesh") == [(4,)]


# -- Ajouter une mission ----------------------------------------------------------------------
@pytest.mark.anyio
async def test_ajouter_une_mission_from_the_dossier_of_an_rh_aesh(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(120, 40)) as pilot:
        await ouvrir_dossier(pilot, "A1")
        await pilot.press("a")
        await figer(pilot)
        ecran = app.screen
        assert isinstance(ecran, FormulaireMission)
        assert "Ajouter une mission prévisionnelle de MOREAU Claire" in "\n".join(texte_ecran(app))
        bloc = ecran.query_one(BlocMission)
        remplir_mission(bloc, employeur="0359999Z")
        await pilot.pause()
        assert message(ecran, "uai_employeur") == "UAI inconnu du référentiel."
        bloc.query_one("#uai_employeur", Input).value = COLLEGE
        await enregistrer(pilot)
        assert isinstance(app.screen, DossierAesh)
        assert "Missions (2)" in "\n".join(texte_ecran(app))
    assert lignes(base_ecran, "SELECT id, aesh_id, source FROM mission WHERE id LIKE 'MP%'") == [
        ("MP000001", "A1", "previsionnel")]


@pytest.mark.anyio
async def test_ajouter_une_mission_from_the_missions_list_types_the_aesh(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(120, 40)) as pilot:
        await ouvrir_liste(pilot, "3")
        await pilot.press("a")
        await figer(pilot)
        ecran = app.screen
        assert isinstance(ecran, FormulaireMission)
        remplir_mission(ecran.query_one(BlocMission))
        champ = ecran.query_one("#aesh", Input)
        champ.value = "e"
        await pilot.pause()
        assert message(ecran, "aesh").startswith("4 AESH correspondent")
        champ.value = "noel"
        await pilot.pause()
        assert message(ecran, "aesh") == "NOEL Paul (A4) · prévisionnel"
        await enregistrer(pilot)
        assert isinstance(app.screen, ListeMissions)
    assert lignes(base_ecran, "SELECT aesh_id FROM mission WHERE id = 'MP000001'") == [("A4",)]


# -- missions: prévisionnelle modifiable, RH read-only -------------------------------------------
@pytest.mark.anyio
async def test_an_rh_mission_is_read_only_and_says_so(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(120, 40)) as pilot:
        ecran = await ouvrir_detail_mission(pilot, "M1")
        texte = "\n".join(texte_ecran(app))
        assert "Mission RH (EPP) : synchronisée depuis la base RH, non modifiable ici." in texte
        assert "Modifier la mission" not in texte_ecran(app)[-1]
        await pilot.press("m")
        await pilot.pause()
        assert app.screen is ecran
        with pytest.raises(RegleRefusee, match="synchronisée depuis les bases RH"):
            app.session_ouverte.modifier_mission("M1", 1, SaisieMission.de(
                app.session_ouverte.mission("M1")))


@pytest.mark.anyio
async def test_a_previsionnelle_mission_is_modified_and_keeps_its_accompagnements(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(120, 40)) as pilot:
        await ouvrir_detail_mission(pilot, "M4")
        assert "Mission prévisionnelle : m pour la modifier." in "\n".join(texte_ecran(app))
        await pilot.press("m")
        await figer(pilot)
        ecran = app.screen
        assert isinstance(ecran, FormulaireMission)
        volume = ecran.query_one("#volume", Input)
        assert volume.value == "20"
        volume.value = "16"  # AC7 takes 18 h
        await pilot.pause()
        assert message(ecran, "volume") == (
            "Ses accompagnements prennent jusqu'à 18 h par semaine : pas moins.")
        volume.value = "22"
        await enregistrer(pilot)
        assert isinstance(app.screen, DetailMission)
        assert "22 h par semaine" in "\n".join(texte_ecran(app))
    assert lignes(base_ecran, "SELECT volume, version FROM mission WHERE id = 'M4'") == [(22.0, 2)]


@pytest.mark.anyio
async def test_the_superviseur_consults_only(base_ecran):
    app = app_de(base_ecran, "demo.superviseur", "superviseur")
    async with app.run_test(size=(120, 40)) as pilot:
        liste = await ouvrir_liste(pilot, "2")
        await pilot.press("a")
        assert isinstance(app.screen, ListeAesh)
        await aller_a(pilot, liste, "A4")
        await pilot.press("enter", "m", "a")
        assert isinstance(app.screen, DossierAesh)
        assert "saisies par les gestionnaires" in "\n".join(texte_ecran(app))


# -- snapshots ---------------------------------------------------------------------------------
@pytest.mark.parametrize("taille", TAILLES, ids=lambda t: f"{t[0]}x{t[1]}")
def test_snapshot_modifier_aesh_previsionnel(base_ecran, snap_compare, taille):
    """NOEL Paul: every field entered; a code postal being typed, refused."""
    async def avant(pilot):
        ecran = await ouvrir_formulaire(pilot, "A4")
        ecran.query_one("#code_postal", Input).value = "356"
        ecran.query_one("#transport", Input).value = "Vélo"
        await figer(pilot)

    assert snap_compare(app_de(base_ecran), run_before=avant, terminal_size=taille)


@pytest.mark.parametrize("taille", TAILLES, ids=lambda t: f"{t[0]}x{t[1]}")
def test_snapshot_modifier_aesh_rh(base_ecran, snap_compare, taille):
    """MOREAU Claire (EPP): the RH data shown read-only, the transport entered."""
    async def avant(pilot):
        await ouvrir_formulaire(pilot, "A1")

    assert snap_compare(app_de(base_ecran), run_before=avant, terminal_size=taille)


@pytest.mark.parametrize("taille", TAILLES, ids=lambda t: f"{t[0]}x{t[1]}")
def test_snapshot_ajouter_aesh(base_ecran, snap_compare, taille):
    """A new prévisionnel AESH, saved too early: each missing field says so."""
    async def avant(pilot):
        await ouvrir_liste(pilot, "2")
        await pilot.press("a")
        await figer(pilot)
        ecran = pilot.app.screen
        ecran.query_one("#nom", Input).value = "GARNIER"
        remplir_mission(ecran.query_one("#mission-1", BlocMission), volume="", employeur=COLLEGE)
        await pilot.press("ctrl+s")
        await figer(pilot)

    assert snap_compare(app_de(base_ecran), run_before=avant, terminal_size=taille)


@pytest.mark.parametrize("taille", TAILLES, ids=lambda t: f"{t[0]}x{t[1]}")
def test_snapshot_ajouter_mission(base_ecran, snap_compare, taille):
    """From the Missions list: the AESH typed, an unknown payeur."""
    async def avant(pilot):
        await ouvrir_liste(pilot, "3")
        await pilot.press("a")
        await figer(pilot)
        ecran = pilot.app.screen
        ecran.query_one("#aesh", Input).value = "noel"
        remplir_mission(ecran.query_one(BlocMission), employeur=COLLEGE, payeur="0359999Z")
        await figer(pilot)

    assert snap_compare(app_de(base_ecran), run_before=avant, terminal_size=taille)


@pytest.mark.parametrize("taille", TAILLES, ids=lambda t: f"{t[0]}x{t[1]}")
def test_snapshot_modifier_mission(base_ecran, snap_compare, taille):
    """M4, prévisionnelle: its volume below what its accompagnement takes."""
    async def avant(pilot):
        await ouvrir_detail_mission(pilot, "M4")
        await pilot.press("m")
        await figer(pilot)
        pilot.app.screen.query_one("#volume", Input).value = "16"
        await figer(pilot)

    assert snap_compare(app_de(base_ecran), run_before=avant, terminal_size=taille)

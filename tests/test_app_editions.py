"""Éditions (SPEC F12, guide §11, issue 12 items 1–2): the menu (key 5),
the dossiers élèves par secteur ERSEH with the list tools and the dossier
of an élève, the tableau de bord — the eight incohérences as eight counted
lines (✓ 0 in green), each opening its cases where the accompagnement is
corrected on the spot and the count drops at once, the cas particuliers
opening their décision — and snapshots of each screen at 80×24 and 160×48
on the snapshots' fixed world (base_app.monde_ecran)."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Input

from agesh_tui.screens.cas_incoherence import CasIncoherence
from agesh_tui.screens.cas_particuliers import CasParticuliers
from agesh_tui.screens.decision import DetailDecision
from agesh_tui.screens.detail_accompagnement import DetailAccompagnement
from agesh_tui.screens.dossier_eleve import DossierEleve
from agesh_tui.screens.dossiers_eleves import DossiersEleves
from agesh_tui.screens.editions import Editions
from agesh_tui.screens.formulaire_accompagnement import FormulaireAccompagnement
from agesh_tui.screens.tableau_de_bord import LigneCompte, TableauDeBord
from agesh_tui.widgets.liste import ListeDonnees
from base_app import (
    NOM_PIEGE,
    app_de,
    attendre_chargement,
    attendre_travaux,
    figer,
    texte_ecran,
)

pytestmark = pytest.mark.anyio


def ecran_texte(app) -> str:
    return "\n".join(texte_ecran(app))


async def ouvrir_editions(pilot) -> None:
    await attendre_chargement(pilot)
    await pilot.press("5")
    await figer(pilot)


async def ouvrir_dossiers(pilot) -> None:
    await ouvrir_editions(pilot)
    await pilot.press("d")
    await attendre_travaux(pilot)
    await figer(pilot)


async def ouvrir_tableau(pilot) -> None:
    await ouvrir_editions(pilot)
    await pilot.press("t")
    await attendre_travaux(pilot)
    await figer(pilot)


async def ouvrir_dossier_e1(pilot) -> None:
    await ouvrir_dossiers(pilot)
    liste = pilot.app.screen.query_one(ListeDonnees)
    assert liste.placer_sur("E1")
    await pilot.press("enter")
    await attendre_travaux(pilot)
    await figer(pilot)


async def ouvrir_ligne(pilot, cle) -> None:
    """Entrée on a line of the tableau de bord (already open): its cases."""
    pilot.app.screen.query_one(f"#ligne-{cle}", LigneCompte).focus()
    await pilot.press("enter")
    await attendre_travaux(pilot)


def comptes(app) -> dict:
    return {l.cle: l.nombre for l in app.screen.query(LigneCompte)}


# -- the menu -------------------------------------------------------------------------
async def test_key_5_opens_the_three_editions(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(80, 24)) as pilot:
        await ouvrir_editions(pilot)
        assert isinstance(app.screen, Editions)
        texte = ecran_texte(app)
        for titre in ("Dossiers élèves par secteur ERSEH", "Tableau de bord",
                      "Accompagnement par établissement"):
            assert titre in texte
        # ↓ then Entrée chooses as well as the line's key.
        await pilot.press("down", "enter")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, TableauDeBord)
        await pilot.press("escape")
        assert isinstance(app.screen, Editions)


async def test_b_opens_the_accompagnement_par_etablissement_or_says_it_is_not_there(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(120, 40)) as pilot:
        await ouvrir_editions(pilot)
        await pilot.press("b")
        await attendre_travaux(pilot)
        try:
            from agesh_tui.screens.accompagnement_etablissement import AccompagnementEtablissements
        except ImportError:  # built apart (issue 12): then the menu says so
            assert isinstance(app.screen, Editions)
            assert any("pas encore disponible" in n.message for n in app._notifications)
        else:
            assert isinstance(app.screen, AccompagnementEtablissements)


# -- dossiers élèves --------------------------------------------------------------------
async def test_dossiers_list_the_pupils_with_their_schooling_and_search(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_dossiers(pilot)
        assert isinstance(app.screen, DossiersEleves)
        liste = app.screen.query_one(ListeDonnees)
        assert liste.nombre_total == 13
        e1 = next(l for l in liste.lignes if l.id == "E1")
        assert (e1.nom, e1.etablissement, e1.secteur, e1.debut) == (
            "DUPONT Léa", "Collège Anne de Bretagne", "Rennes Nord", date(2024, 9, 1))
        # E13 changed school: today's scolarité is shown, not the old one.
        e13 = next(l for l in liste.lignes if l.id == "E13")
        assert e13.etablissement == "Collège Les Gayeulles"
        # The hostile name is shown as typed, its escape sequence stripped.
        assert f"{NOM_PIEGE} [31mRouge" in ecran_texte(app)
        await pilot.press("slash", *"saint-malo", "enter")
        await attendre_travaux(pilot)
        assert [l.id for l in liste.lignes_affichees()] == ["E3"]


async def test_a_secteur_gestionnaire_sees_only_the_pupils_of_the_secteur(base_ecran):
    from agesh_tui.engine.stockage.utilisateurs import ajouter, enregistrer_secteurs
    from base_app import SECRET

    ajouter(base_ecran, "malo", "Malo Secteur", ("gestionnaire",), secret=SECRET)
    enregistrer_secteurs(base_ecran, "malo", ("S2",))
    app = app_de(base_ecran, "malo")
    async with app.run_test(size=(120, 40)) as pilot:
        await ouvrir_dossiers(pilot)
        assert [l.id for l in app.screen.query_one(ListeDonnees).lignes] == ["E3"]


async def test_the_dossier_shows_civil_state_decisions_history_proches_and_care(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_dossier_e1(pilot)
        assert isinstance(app.screen, DossierEleve)
        texte = ecran_texte(app)
        assert "Dossier de l'élève DUPONT Léa" in texte
        assert "14/03/2013" in texte and "SESSAD Rennes" in texte
        assert "Décisions en cours ou à venir (1)" in texte
        assert "Historique des scolarisations" in texte and "6e B" in texte
        # The proches, read from the base by a worker.
        assert "marc.dupont@example.org" in texte
        assert "consultation seule" not in texte
        # Entrée on a current décision opens its détail.
        await pilot.press("tab")
        await pilot.press("enter")
        await figer(pilot)
        assert isinstance(app.screen, DetailDecision) and app.screen.decision_id == "D1"


# -- tableau de bord ------------------------------------------------------------------------
async def test_the_eight_incoherences_are_counted_zero_in_green_with_a_glyph(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_tableau(pilot)
        assert comptes(app) == {1: 0, 2: 0, 3: 0, 4: 0, 5: 1, 6: 3, 7: 0, 8: 0,
                                "non_couverte": 0, "non_renouvelee": 11}
        ligne1 = app.screen.query_one("#ligne-1", LigneCompte)
        rendu = ligne1.render()
        assert rendu.plain.lstrip("› ").startswith("✓     0  1. ")
        assert any("2ea043" in str(span.style) for span in rendu.spans)  # vert
        assert app.screen.query_one("#ligne-6", LigneCompte).render().plain.lstrip("› ").startswith("!     3")


async def test_the_tableau_de_bord_reads_without_colour(base_ecran, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_de(base_ecran)
    async with app.run_test(size=(80, 24)) as pilot:
        await ouvrir_tableau(pilot)
        texte = ecran_texte(app)
        assert "✓     0  1. Début avant le début de la mission" in texte
        assert "!     3  6. Temps de travail au-delà du volume de la mission" in texte


async def test_fixing_an_incoherence_from_its_case_drops_the_count(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(120, 40)) as pilot:
        await ouvrir_tableau(pilot)
        tableau = app.screen
        assert comptes(app)[6] == 3
        await ouvrir_ligne(pilot, 6)
        assert isinstance(app.screen, CasIncoherence)
        liste = app.screen.query_one(ListeDonnees)
        assert [l.id for l in liste.lignes] == ["AC5", "AC6", "AC9"]
        assert "27 h du 05/10/2026 au 31/12/2026" in liste.lignes[1].detail
        liste.placer_sur("AC6")
        await pilot.press("M")
        await attendre_travaux(pilot)
        await pilot.pause(0.5)
        await attendre_travaux(pilot)
        assert isinstance(app.screen, FormulaireAccompagnement)
        app.screen.query_one("#heures", Input).value = "6"
        await pilot.pause()
        await pilot.press("ctrl+s")
        for _ in range(3):
            await attendre_travaux(pilot)
        # Saved: the cases left the list, and the tableau de bord's count is 0.
        assert isinstance(app.screen, CasIncoherence)
        assert app.screen.query_one(ListeDonnees).nombre_total == 0
        assert "aucun cas" in ecran_texte(app)
        assert app.session_ouverte.accompagnement("AC6").heures == 6.0
        await pilot.press("escape")
        await attendre_travaux(pilot)
        assert app.screen is tableau
        assert comptes(app)[6] == 0


async def test_a_case_opens_the_accompagnement_with_its_operations(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(120, 40)) as pilot:
        await ouvrir_tableau(pilot)
        await ouvrir_ligne(pilot, 5)
        await pilot.press("enter")
        await figer(pilot)
        assert isinstance(app.screen, DetailAccompagnement) and app.screen.acc_id == "AC2"
        assert "Modifier l'accompagnement" in ecran_texte(app)  # M, in the footer


async def test_a_superviseur_consults_the_cases_without_operations(base_ecran):
    app = app_de(base_ecran, "demo.superviseur", "superviseur")
    async with app.run_test(size=(120, 40)) as pilot:
        await ouvrir_tableau(pilot)
        await ouvrir_ligne(pilot, 5)
        assert isinstance(app.screen, CasIncoherence)
        texte = ecran_texte(app)
        assert "consultation seule" in texte and "Modifier l'accompagnement" not in texte
        await pilot.press("M")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, CasIncoherence)


async def test_a_cas_particulier_opens_its_decision(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(120, 40)) as pilot:
        await ouvrir_tableau(pilot)
        await ouvrir_ligne(pilot, "non_renouvelee")
        assert isinstance(app.screen, CasParticuliers)
        liste = app.screen.query_one(ListeDonnees)
        assert liste.nombre_total == 11
        liste.placer_sur("D7")
        await pilot.press("enter")
        await figer(pilot)
        assert isinstance(app.screen, DetailDecision) and app.screen.decision_id == "D7"


async def test_an_indicateur_opens_accueil_reduced_to_its_decisions(base_ecran):
    from agesh_tui.screens.accueil import Accueil
    from agesh_tui.screens.indicateurs import Compteur

    app = app_de(base_ecran)
    async with app.run_test(size=(120, 40)) as pilot:
        await ouvrir_tableau(pilot)
        app.screen.query_one("#compteur-sans", Compteur).focus()
        await pilot.press("enter")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, Accueil)
        attendu = app.session_ouverte.indicateurs().ids["sans"]
        assert {l.id for l in app.screen.query_one(ListeDonnees).lignes_affichees()} == attendu


# -- snapshots ------------------------------------------------------------------------------
@pytest.mark.parametrize("taille", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_snapshot_editions(base_ecran, snap_compare, taille):
    assert snap_compare(app_de(base_ecran), run_before=ouvrir_editions, terminal_size=taille)


@pytest.mark.parametrize("taille", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_snapshot_dossiers_eleves(base_ecran, snap_compare, taille):
    assert snap_compare(app_de(base_ecran), run_before=ouvrir_dossiers, terminal_size=taille)


@pytest.mark.parametrize("taille", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_snapshot_dossier_eleve(base_ecran, snap_compare, taille):
    assert snap_compare(app_de(base_ecran), run_before=ouvrir_dossier_e1, terminal_size=taille)


@pytest.mark.parametrize("taille", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_snapshot_tableau_de_bord(base_ecran, snap_compare, taille):
    assert snap_compare(app_de(base_ecran), run_before=ouvrir_tableau, terminal_size=taille)


async def ouvrir_cas_6(pilot) -> None:
    await ouvrir_tableau(pilot)
    await ouvrir_ligne(pilot, 6)
    await figer(pilot)


async def ouvrir_cas_non_renouvelees(pilot) -> None:
    await ouvrir_tableau(pilot)
    await ouvrir_ligne(pilot, "non_renouvelee")
    await figer(pilot)


@pytest.mark.parametrize("taille", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_snapshot_cas_incoherence(base_ecran, snap_compare, taille):
    assert snap_compare(app_de(base_ecran), run_before=ouvrir_cas_6, terminal_size=taille)


@pytest.mark.parametrize("taille", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_snapshot_cas_particuliers(base_ecran, snap_compare, taille):
    assert snap_compare(app_de(base_ecran), run_before=ouvrir_cas_non_renouvelees,
                        terminal_size=taille)

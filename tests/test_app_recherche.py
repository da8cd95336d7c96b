"""Rechercher un élève (SPEC F13, guide §12, issue 12 item 4): across the
whole base, not only the user's secteurs; nom and prénom exact once case
and accents are folded; date de naissance optional; a result opens the
dossier, for consultation only outside the secteurs (the writes refused);
hostile names shown literally; snapshots at 80×24 and 160×48."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Input

from agesh_tui.api.erreurs import PermissionRefusee
from agesh_tui.api.vues_eleves import cle_nom
from agesh_tui.engine.stockage.utilisateurs import ajouter, enregistrer_secteurs
from agesh_tui.screens.dossier_eleve import DossierEleve
from agesh_tui.screens.recherche_eleve import RechercheEleve
from agesh_tui.widgets.date_saisie import DateSaisie
from agesh_tui.widgets.liste import ListeDonnees
from base_app import (
    NOM_PIEGE,
    PRENOM_PIEGE,
    SECRET,
    app_de,
    attendre_chargement,
    attendre_travaux,
    figer,
    session_de,
    texte_ecran,
)

pytestmark = pytest.mark.anyio


@pytest.fixture
def base_secteurs(base_ecran):
    """The snapshots' world with malo, gestionnaire of secteur S2 (Saint-Malo) only."""
    ajouter(base_ecran, "malo", "Malo Secteur", ("gestionnaire",), secret=SECRET)
    enregistrer_secteurs(base_ecran, "malo", ("S2",))
    return base_ecran


def ecran_texte(app) -> str:
    return "\n".join(texte_ecran(app))


async def chercher(pilot, nom: str, prenom: str, naissance: date | None = None) -> list[str]:
    ecran = pilot.app.screen
    ecran.query_one("#nom", Input).value = nom
    ecran.query_one("#prenom", Input).value = prenom
    ecran.query_one("#naissance", DateSaisie).value = naissance
    ecran.query_one("#prenom", Input).focus()
    await pilot.press("enter")
    await attendre_travaux(pilot)
    await pilot.pause()
    return [r.ligne.id for r in ecran.query_one(ListeDonnees).lignes]


async def ouvrir_recherche(pilot) -> None:
    await attendre_chargement(pilot)
    await pilot.press("6")
    await figer(pilot)


# -- the rule ---------------------------------------------------------------------------
def test_names_fold_case_accents_and_blanks_but_stay_exact():
    assert cle_nom(" DUPONT ", "Léa") == cle_nom("dupont", "LEA") == cle_nom("Dupont", "léa")
    assert cle_nom("DUPONT", "Lé") != cle_nom("DUPONT", "Léa")
    assert cle_nom("DUPON", "Léa") != cle_nom("DUPONT", "Léa")


def test_the_session_searches_the_whole_base_and_says_where_the_pupil_is(base_secteurs):
    session = session_de(base_secteurs, "malo")
    session.charger()
    (r,) = session.rechercher_eleves("dupont", "LEA")
    assert r.ligne.id == "E1" and not r.dans_perimetre
    (r,) = session.rechercher_eleves("Martin", "hugo")
    assert r.ligne.id == "E3" and r.dans_perimetre
    assert session.rechercher_eleves("DUPONT", "Léa", date(2013, 3, 14))[0].ligne.id == "E1"
    assert session.rechercher_eleves("DUPONT", "Léa", date(2013, 3, 15)) == []
    assert session.rechercher_eleves("DUPONT", "Lé") == []
    # Outside the secteurs the dossier is readable, the writes are refused.
    assert session.fiche_eleve("E1") is not None and not session.fiche_eleve("E1").dans_perimetre
    with pytest.raises(PermissionRefusee):
        session.proposer_accompagnement(["D1"])


# -- the screen -----------------------------------------------------------------------------
async def test_key_6_searches_folding_case_and_accents_with_or_without_birth_date(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(120, 40)) as pilot:
        await ouvrir_recherche(pilot)
        assert isinstance(app.screen, RechercheEleve)
        assert await chercher(pilot, "dupont", "LEA") == ["E1"]
        assert "1 élève « dupont LEA »" in ecran_texte(app)
        assert await chercher(pilot, "Dupont", "léa", date(2013, 3, 14)) == ["E1"]
        assert await chercher(pilot, "DUPONT", "Léa", date(2013, 3, 15)) == []
        assert "Aucun élève « DUPONT Léa » né(e) le 15/03/2013" in ecran_texte(app)
        # Exact: a part of the name finds nobody.
        assert await chercher(pilot, "DUP", "Léa") == []
        # Both names are needed.
        assert await chercher(pilot, "DUPONT", "") == []
        assert "Saisissez le nom et le prénom" in ecran_texte(app)


async def test_a_hostile_name_is_found_and_shown_literally(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_recherche(pilot)
        assert await chercher(pilot, NOM_PIEGE, PRENOM_PIEGE) == ["E2"]
        assert f"{NOM_PIEGE} [31mRouge" in ecran_texte(app)
        await pilot.press("enter")
        await figer(pilot)
        assert isinstance(app.screen, DossierEleve)
        assert app.is_running  # [@click=app.quit] did nothing
        assert f"Dossier de l'élève {NOM_PIEGE} [31mRouge" in ecran_texte(app)


async def test_outside_the_secteurs_the_dossier_is_for_consultation_only(base_secteurs):
    app = app_de(base_secteurs, "malo")
    async with app.run_test(size=(120, 40)) as pilot:
        await ouvrir_recherche(pilot)
        assert await chercher(pilot, "DUPONT", "Léa") == ["E1"]
        assert "dont 1 hors de vos secteurs (consultation seule)" in ecran_texte(app)
        await pilot.press("enter")
        await figer(pilot)
        assert isinstance(app.screen, DossierEleve) and app.screen.consultation
        assert "consultation seule : élève hors de vos secteurs" in ecran_texte(app)
        await pilot.press("escape")
        # In the secteur: no such word.
        assert await chercher(pilot, "MARTIN", "Hugo") == ["E3"]
        await pilot.press("enter")
        await figer(pilot)
        assert not app.screen.consultation
        assert "consultation seule" not in ecran_texte(app)


# -- snapshots ----------------------------------------------------------------------------
async def recherche_faite(pilot) -> None:
    await ouvrir_recherche(pilot)
    await chercher(pilot, "dupont", "lea")
    await figer(pilot)


async def dossier_hors_secteurs(pilot) -> None:
    await ouvrir_recherche(pilot)
    await chercher(pilot, "DUPONT", "Léa")
    await pilot.press("enter")
    await figer(pilot)


@pytest.mark.parametrize("taille", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_snapshot_recherche(base_ecran, snap_compare, taille):
    assert snap_compare(app_de(base_ecran), run_before=recherche_faite, terminal_size=taille)


@pytest.mark.parametrize("taille", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_snapshot_dossier_hors_secteurs(base_secteurs, snap_compare, taille):
    assert snap_compare(app_de(base_secteurs, "malo"), run_before=dossier_hors_secteurs,
                        terminal_size=taille)

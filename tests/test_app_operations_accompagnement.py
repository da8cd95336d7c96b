"""Modifier, insérer, maintenir, supprimer an accompagnement from the
application (issue 10 item 5) and the stale-write refusal (item 6): each
flow end to end from the list or the detail, the form prefilled from the
accompagnement, the insertion's result shown before saving, the deletion
asked first and undone, the write refused field by field when another
session changed the accompagnement meanwhile (both engines)."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Input

from agesh_tui.screens.accompagnements import ListeAccompagnements
from agesh_tui.screens.confirmation import Confirmation
from agesh_tui.screens.detail_accompagnement import DetailAccompagnement
from agesh_tui.screens.formulaire_accompagnement import FormulaireAccompagnement
from agesh_tui.widgets.date_saisie import DateSaisie
from agesh_tui.widgets.liste import ListeDonnees
from agesh_tui.widgets.outils_liste import OutilsListe
from base_app import (
    application,
    attendre_chargement,
    attendre_travaux,
    creer_base,
    figer,
    isoler,
    session_de,
)
from test_app_formulaire import monde_formulaire, texte

pytestmark = pytest.mark.anyio
DEBUT, FIN = date(2026, 9, 1), date(2027, 7, 4)


def base_avec_accompagnement(url):
    """The form's world with D5 (LEROY Chloé, 12 h) accompanied on M3 all year."""
    store = creer_base(url, monde_formulaire())
    session = session_de(store, "paul")
    session.charger()
    acc = session.creer_accompagnement("M3", ["D5"], debut=DEBUT, fin=FIN, heures=12.0)
    return store, acc.id


@pytest.fixture
def base_operations(tmp_path, monkeypatch):
    isoler(tmp_path, monkeypatch)
    store, acc_id = base_avec_accompagnement(tmp_path / "agesh.sqlite3")
    yield store, acc_id
    store.fermer()


@pytest.fixture
def base_operations_deux_moteurs(url_base, tmp_path, monkeypatch):
    isoler(tmp_path, monkeypatch)
    store, acc_id = base_avec_accompagnement(url_base)
    yield store, acc_id
    store.fermer()


def ouvrir(store, login="paul", profil="gestionnaire"):
    return application(store, session=session_de(store, login, profil))


async def liste_sur(pilot, acc_id: str) -> ListeDonnees:
    await attendre_chargement(pilot)
    await pilot.press("4")
    await attendre_travaux(pilot)
    liste = pilot.app.screen.query_one(ListeDonnees)
    liste.placer_sur(acc_id)
    await pilot.pause()
    assert liste.ligne_courante().id == acc_id
    return liste


async def formulaire(pilot, touche: str) -> FormulaireAccompagnement:
    await pilot.press(touche)
    await attendre_travaux(pilot)
    await pilot.pause(0.5)  # the candidates, asked after the dates settle
    await attendre_travaux(pilot)
    ecran = pilot.app.screen
    assert isinstance(ecran, FormulaireAccompagnement)
    return ecran


async def enregistrer(pilot) -> None:
    await pilot.press("ctrl+s")
    for _ in range(3):
        await attendre_travaux(pilot)


def accompagnements_d5(session):
    return sorted((a for a in session.dep.accompagnements.values() if a.decision_ids == ("D5",)),
                  key=lambda a: a.debut)


async def test_modify_from_the_list_prefills_the_form_and_saves_under_the_same_id(base_operations):
    store, acc_id = base_operations
    app = ouvrir(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await liste_sur(pilot, acc_id)
        ecran = await formulaire(pilot, "M")
        assert texte(ecran, "#formulaire-titre").startswith(f"Modifier l'accompagnement {acc_id} ")
        assert ecran.query_one("#du", DateSaisie).value == DEBUT
        assert ecran.query_one("#au", DateSaisie).value == FIN
        assert ecran.query_one("#heures", Input).value == "12"
        assert texte(ecran, "#mission-choisie").startswith("Mission : M3 · ROUX Anne")
        # Its own 12 h are free for it: 20 h fit the 24 h of M3, 30 h do not.
        heures = ecran.query_one("#heures", Input)
        heures.value = "20"
        await pilot.pause()
        assert texte(ecran, "#message-heures") == ""
        heures.value = "30"
        await pilot.pause()
        assert "dépasse le volume horaire de la mission M3 (24 h)" in texte(ecran, "#message-heures")
        await pilot.press("ctrl+s")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, FormulaireAccompagnement)  # refused: nothing written
        assert accompagnements_d5(app.session_ouverte)[0].heures == 12.0
        heures.value = "20"
        ecran.query_one("#au", DateSaisie).value = date(2027, 3, 31)
        await pilot.pause()
        await enregistrer(pilot)
        assert isinstance(app.screen, ListeAccompagnements)
        (acc,) = accompagnements_d5(app.session_ouverte)
        assert (acc.id, acc.heures, acc.fin) == (acc_id, 20.0, date(2027, 3, 31))
        ligne = app.screen.query_one(ListeDonnees).ligne_courante()
        assert (ligne.id, ligne.heures, ligne.fin) == (acc_id, 20.0, date(2027, 3, 31))
    # In the base, not only in memory.
    autre = session_de(store, "paul")
    autre.charger()
    assert autre.accompagnement(acc_id).heures == 20.0


async def test_insert_from_the_detail_shows_the_cut_then_saves_three_pieces(base_operations):
    store, acc_id = base_operations
    app = ouvrir(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre_chargement(pilot)
        app.push_screen(DetailAccompagnement(acc_id))
        await attendre_travaux(pilot)
        ecran = await formulaire(pilot, "I")
        assert texte(ecran, "#formulaire-titre").startswith(f"Insérer dans l'accompagnement {acc_id} ")
        # From today (within it) to its end, by default.
        assert ecran.query_one("#du", DateSaisie).value == date(2026, 11, 22)
        ecran.query_one("#du", DateSaisie).value = date(2026, 12, 1)
        ecran.query_one("#au", DateSaisie).value = date(2027, 1, 31)
        ecran.query_one("#heures", Input).value = "6"
        await pilot.pause(0.5)
        await attendre_travaux(pilot)
        assert texte(ecran, "#resultat") == (
            f"Résultat : {acc_id} est coupé en deux (du 01/09/2026 au 30/11/2026 et du 01/02/2027 "
            "au 04/07/2027), le nouvel accompagnement du 01/12/2026 au 31/01/2027 entre les deux.")
        # A period outside it is refused by its field.
        ecran.query_one("#du", DateSaisie).value = date(2027, 7, 5)
        ecran.query_one("#au", DateSaisie).value = date(2027, 7, 10)
        await pilot.pause()
        assert "ne recoupe pas l'accompagnement" in texte(ecran, "#message-periode")
        assert texte(ecran, "#resultat") == ""
        ecran.query_one("#du", DateSaisie).value = date(2026, 12, 1)
        ecran.query_one("#au", DateSaisie).value = date(2027, 1, 31)
        await pilot.pause(0.5)
        await attendre_travaux(pilot)
        await enregistrer(pilot)
        assert not isinstance(app.screen, FormulaireAccompagnement)
        morceaux = accompagnements_d5(app.session_ouverte)
        assert [(a.debut, a.fin, a.heures) for a in morceaux] == [
            (DEBUT, date(2026, 11, 30), 12.0),
            (date(2026, 12, 1), date(2027, 1, 31), 6.0),
            (date(2027, 2, 1), FIN, 12.0),
        ]
        assert morceaux[0].id == acc_id  # the original keeps its id on its first piece


async def test_maintain_proposes_the_days_after_the_decision_and_marks_it(base_operations):
    store, acc_id = base_operations
    app = ouvrir(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await liste_sur(pilot, acc_id)
        ecran = await formulaire(pilot, "N")
        assert texte(ecran, "#formulaire-titre").startswith(f"Maintenir l'accompagnement {acc_id} ")
        assert ecran.query_one("#du", DateSaisie).value == date(2027, 7, 5)
        assert ecran.query_one("#au", DateSaisie).value == date(2027, 8, 31)
        # A maintien starts after the décision's end.
        ecran.query_one("#du", DateSaisie).value = date(2027, 7, 1)
        await pilot.pause()
        assert "Un accompagnement de maintien commence après la fin de la décision D5" in \
            texte(ecran, "#message-periode")
        ecran.query_one("#du", DateSaisie).value = date(2027, 7, 5)
        await pilot.pause(0.5)
        await attendre_travaux(pilot)
        await enregistrer(pilot)
        assert isinstance(app.screen, ListeAccompagnements)
        maintien = accompagnements_d5(app.session_ouverte)[-1]
        assert maintien.maintien and (maintien.debut, maintien.fin) == (date(2027, 7, 5), date(2027, 8, 31))
        (ligne,) = [l for l in app.screen.query_one(ListeDonnees).lignes_affichees() if l.id == maintien.id]
        assert "maintien" in ligne.marques


async def test_delete_asks_first_then_undo_brings_it_back(base_operations):
    store, acc_id = base_operations
    app = ouvrir(store)
    notes: list[str] = []
    original = app.notify

    def noter(message, *args, **kwargs):
        notes.append(str(message))
        return original(message, *args, **kwargs)

    app.notify = noter
    async with app.run_test(size=(120, 40)) as pilot:
        liste = await liste_sur(pilot, acc_id)
        await pilot.press("delete")
        assert isinstance(app.screen, Confirmation)
        question = "\n".join(app.screen.lignes)
        assert f"L'accompagnement {acc_id} pour LEROY Chloé (AESH ROUX Anne, 12 h," in question
        assert "Lycée Chateaubriand" in question and "Ctrl+Z annulera" in question
        await pilot.press("n")  # no: nothing changes
        assert isinstance(app.screen, ListeAccompagnements)
        assert [a.id for a in accompagnements_d5(app.session_ouverte)] == [acc_id]
        await pilot.press("delete", "o")
        for _ in range(3):
            await attendre_travaux(pilot)
        assert accompagnements_d5(app.session_ouverte) == []
        assert acc_id not in [l.id for l in liste.lignes_affichees()]
        assert {s.etat for s in app.session_ouverte.frise("D5").segments} == {"sans_accompagnement"}
        assert any(n.startswith(f"Accompagnement {acc_id} supprimé.") for n in notes)
        await pilot.press("ctrl+z")
        for _ in range(3):
            await attendre_travaux(pilot)
        (restaure,) = accompagnements_d5(app.session_ouverte)
        assert (restaure.mission_id, restaure.debut, restaure.fin, restaure.heures) == ("M3", DEBUT, FIN, 12.0)
        assert restaure.id in [l.id for l in liste.lignes_affichees()]
        assert {s.etat for s in app.session_ouverte.frise("D5").segments} == {"complete"}
        await pilot.press("ctrl+z")  # once only
        await attendre_travaux(pilot)
        assert notes[-1] == "Aucune suppression à annuler dans cette session."


async def test_a_superviseur_is_not_offered_the_operations(base_operations):
    store, acc_id = base_operations
    app = ouvrir(store, "marie.curie", "superviseur")
    async with app.run_test(size=(120, 40)) as pilot:
        await liste_sur(pilot, acc_id)
        for touche in ("M", "I", "N", "delete"):
            await pilot.press(touche)
            await attendre_travaux(pilot)
            assert isinstance(app.screen, ListeAccompagnements), touche
        assert [a.id for a in accompagnements_d5(app.session_ouverte)] == [acc_id]


async def test_a_modification_by_another_session_is_refused_field_by_field(base_operations_deux_moteurs):
    store, acc_id = base_operations_deux_moteurs
    app = ouvrir(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await liste_sur(pilot, acc_id)
        ecran = await formulaire(pilot, "M")
        ecran.query_one("#heures", Input).value = "10"
        await pilot.pause()
        # Meanwhile another gestionnaire shortens it and adds the meal.
        autre = session_de(store, "marie.curie")
        autre.charger()
        autre.modifier_accompagnement(acc_id, autre.accompagnement(acc_id).version,
                                      fin=date(2027, 5, 31), repas=True)
        await enregistrer(pilot)
        assert app.screen is ecran
        message = texte(ecran, "#message-enregistrement")
        assert message.startswith(f"Rien n'a été enregistré : une autre session a changé "
                                  f"l'accompagnement {acc_id} pendant votre saisie :")
        assert "– Période : du 01/09/2026 au 04/07/2027 → du 01/09/2026 au 31/05/2027" in message
        assert "– Repas : non → oui" in message
        assert "Heures" not in message  # unchanged by the other session
        assert app.session_ouverte.accompagnement(acc_id).repas  # reloaded
        # Ctrl+O: the form on the current version, then saved.
        await pilot.press("ctrl+o")
        await pilot.pause(0.5)
        await attendre_travaux(pilot)
        assert ecran.query_one("#au", DateSaisie).value == date(2027, 5, 31)
        assert texte(ecran, "#message-enregistrement") == ""
        ecran.query_one("#heures", Input).value = "10"
        await pilot.pause()
        await enregistrer(pilot)
        assert isinstance(app.screen, ListeAccompagnements)
    relu = session_de(store, "paul")
    relu.charger()
    acc = relu.accompagnement(acc_id)
    assert (acc.heures, acc.fin, acc.repas) == (10.0, date(2027, 5, 31), True)


def test_snapshot_insertion_80x24(base_operations, snap_compare):
    store, acc_id = base_operations

    async def avant(pilot):
        await attendre_chargement(pilot)
        pilot.app.push_screen(DetailAccompagnement(acc_id))
        await attendre_travaux(pilot)
        ecran = await formulaire(pilot, "I")
        ecran.query_one("#du", DateSaisie).value = date(2026, 12, 1)
        ecran.query_one("#au", DateSaisie).value = date(2027, 1, 31)
        await pilot.pause(0.5)
        await attendre_travaux(pilot)
        await figer(pilot)

    assert snap_compare(ouvrir(store), run_before=avant, terminal_size=(80, 24))


def test_snapshot_modification_160x48(base_operations, snap_compare):
    store, acc_id = base_operations

    async def avant(pilot):
        await liste_sur(pilot, acc_id)
        ecran = await formulaire(pilot, "M")
        ecran.query_one("#heures", Input).value = "30"
        await figer(pilot)

    assert snap_compare(ouvrir(store), run_before=avant, terminal_size=(160, 48))


def test_snapshot_confirmation_80x24(base_operations, snap_compare):
    store, acc_id = base_operations

    async def avant(pilot):
        await liste_sur(pilot, acc_id)
        await pilot.press("delete")
        await figer(pilot)

    assert snap_compare(ouvrir(store), run_before=avant, terminal_size=(80, 24))


async def test_create_from_a_mission_chooses_the_decisions_then_the_form(base_operations):
    from agesh_tui.screens.choix_decisions import ChoixDecisions

    store, _ = base_operations
    app = ouvrir(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre_chargement(pilot)
        resultats: list = []
        app.push_screen(ChoixDecisions("M2"), resultats.append)
        await attendre_travaux(pilot)
        ecran = app.screen
        liste = ecran.query_one(ListeDonnees)
        proposees = [d.ligne.id for d in liste.lignes_affichees()]
        # Still to cover this year (D5 is covered all year: not offered), nearest to PETIT Jean first.
        assert "D5" not in proposees and {"D6", "D7"} <= set(proposees)
        distances = [d.distance_km for d in liste.lignes_affichees()]
        connues = [d for d in distances if d is not None]
        assert connues == sorted(connues)
        for decision in ("D6", "D7"):
            liste.placer_sur(decision)
            await pilot.press("space")
        await pilot.press("a")
        await attendre_travaux(pilot)
        await pilot.pause(0.5)
        await attendre_travaux(pilot)
        form = app.screen
        assert isinstance(form, FormulaireAccompagnement)
        assert texte(form, "#mission-choisie").startswith("Mission : M2 · PETIT Jean")
        form.query_one("#heures", Input).value = "8"
        await pilot.pause()
        await enregistrer(pilot)
        assert not isinstance(app.screen, (ChoixDecisions, FormulaireAccompagnement))
        (acc,) = [a for a in app.session_ouverte.dep.accompagnements.values()
                  if a.decision_ids == ("D6", "D7")]
        assert (acc.mission_id, acc.heures) == ("M2", 8.0)
        assert resultats == [[acc.id]]


async def test_capitals_typed_in_the_search_stay_in_the_search(base_operations):
    store, acc_id = base_operations
    app = ouvrir(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await liste_sur(pilot, acc_id)
        await pilot.press("slash", "M", "I", "N", "delete")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, ListeAccompagnements)
        assert app.screen.query_one(OutilsListe).barre.value == "MIN"
        assert [a.id for a in accompagnements_d5(app.session_ouverte)] == [acc_id]


async def test_a_mutualise_lets_one_decision_go_but_keeps_at_least_one(base_operations):
    from agesh_tui.widgets.cases import Case

    store, _ = base_operations
    app = ouvrir(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await liste_sur(pilot, "AC3")  # D2 and D4, mutualisé
        ecran = await formulaire(pilot, "M")
        premiere, seconde = ecran.query_one("#decision-0", Case), ecran.query_one("#decision-1", Case)
        assert premiere.value and seconde.value
        # A name is data: shown as typed, never read as markup (a link, a colour).
        assert str(premiere.label).startswith("[@click=app.quit]X")
        premiere.value = seconde.value = False
        await pilot.pause()
        assert texte(ecran, "#message-general").startswith("Gardez au moins une décision")
        await pilot.press("ctrl+s")
        await attendre_travaux(pilot)
        assert app.screen is ecran
        assert app.session_ouverte.accompagnement("AC3").decision_ids == ("D2", "D4")
        premiere.value = True
        await pilot.pause()
        assert texte(ecran, "#message-general") == ""
        await enregistrer(pilot)
        assert isinstance(app.screen, ListeAccompagnements)
        assert app.session_ouverte.accompagnement("AC3").decision_ids == ("D2",)


def test_snapshot_modification_mutualise_80x24(base_operations, snap_compare):
    store, _ = base_operations

    async def avant(pilot):
        await liste_sur(pilot, "AC3")
        await formulaire(pilot, "M")
        await figer(pilot)

    assert snap_compare(ouvrir(store), run_before=avant, terminal_size=(80, 24))


def _snapshot_choix(store, snap_compare, taille):
    from agesh_tui.screens.choix_decisions import ChoixDecisions

    async def avant(pilot):
        await attendre_chargement(pilot)
        pilot.app.push_screen(ChoixDecisions("M2"))
        await attendre_travaux(pilot)
        await figer(pilot)

    return snap_compare(ouvrir(store), run_before=avant, terminal_size=taille)


def test_snapshot_choix_decisions_80x24(base_operations, snap_compare):
    assert _snapshot_choix(base_operations[0], snap_compare, (80, 24))


def test_snapshot_choix_decisions_160x48(base_operations, snap_compare):
    assert _snapshot_choix(base_operations[0], snap_compare, (160, 48))

"""Créer un accompagnement from Accueil (issue 10 item 4): the guide's
defaults, the candidates ranked by free hours, the missions set aside with
their reason, each rule's refusal next to its field as one types, saving in
one transaction, the frise following at once; abandoning with a question;
a write refused when another session changed the data meanwhile."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Input, Static

from agesh_tui.screens.accueil import Accueil
from agesh_tui.screens.formulaire_accompagnement import FormulaireAccompagnement, lire_heures
from agesh_tui.widgets.date_saisie import DateSaisie
from agesh_tui.widgets.liste import ListeDonnees
from base_app import (
    application,
    attendre_chargement,
    attendre_travaux,
    creer_base,
    figer,
    isoler,
    monde_app,
    session_de,
)

pytestmark = pytest.mark.anyio
LYCEE = "0350003C"  # hors PIAL: every active accompanying mission may serve it


def monde_formulaire():
    """The application's world, three pupils of the lycée waiting for an
    AESH (D5 individuelle 12 h; D6, D7 mutualisées), a free mission near
    them, and two that cannot serve (inactive, non accompanying)."""
    m = monde_app()
    for eid, nom, prenom in (("E5", "LEROY", "Chloé"), ("E6", "FAURE", "Hugo"), ("E7", "ROBIN", "Tom")):
        m.eleve(eid, nom, prenom, date(2010, 5, 2))
        m.scolarite(f"S{eid}", eid, LYCEE, date(2024, 9, 1), None, "2nde 1")
    m.decision("D5", "E5", "individuelle", 12.0, date(2026, 9, 1), date(2027, 7, 4))
    m.decision("D6", "E6", "mutualisee", None, date(2026, 9, 1), date(2027, 7, 4))
    m.decision("D7", "E7", "mutualisee", None, date(2026, 10, 1), date(2027, 8, 31))
    m.aesh("A3", "ROUX", "Anne", 48.64, -2.00)
    m.mission("M3", "A3", "HI2D", 24.0, date(2020, 9, 1), None)
    m.mission("M4", "A3", "HC1D", 24.0, date(2020, 9, 1), None)  # non accompagnante
    m.mission("M5", "A2", "HI2D", 24.0, date(2020, 9, 1), None, actif=False)
    return m


@pytest.fixture
def base_formulaire(tmp_path, monkeypatch):
    isoler(tmp_path, monkeypatch)
    store = creer_base(tmp_path / "agesh.sqlite3", monde_formulaire())
    yield store
    store.fermer()


def ouvrir(store):
    return application(store, session=session_de(store, "paul"))


async def ouvrir_formulaire(pilot, *decisions: str) -> FormulaireAccompagnement:
    liste = pilot.app.screen.query_one(ListeDonnees)
    for decision in decisions:
        cles = [l.id for l in liste.lignes_affichees()]
        await pilot.press("home", *["down"] * cles.index(decision))
        if len(decisions) > 1:
            await pilot.press("space")
    await pilot.press("a")
    await attendre_travaux(pilot)
    await pilot.pause(0.5)  # the candidates, asked after the dates settle
    await attendre_travaux(pilot)
    ecran = pilot.app.screen
    assert isinstance(ecran, FormulaireAccompagnement)
    return ecran


def texte(ecran, selecteur: str) -> str:
    widget = ecran.query_one(selecteur, Static)
    return str(widget.render()) if widget.display else ""


def candidats(ecran) -> list[str]:
    return [c.mission.id for c in ecran.query_one("#candidats", ListeDonnees).lignes_affichees()]


async def choisir(pilot, ecran, mission_id: str) -> None:
    liste = ecran.query_one("#candidats", ListeDonnees)
    liste.focus()
    await pilot.press("home", *["down"] * candidats(ecran).index(mission_id), "enter")
    await pilot.pause()


async def test_individualise_from_accueil_saved_and_the_frise_turns_green(base_formulaire):
    app = ouvrir(base_formulaire)
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre_chargement(pilot)
        session = app.session_ouverte
        assert {s.etat for s in session.frise("D5").segments} == {"sans_accompagnement"}
        ecran = await ouvrir_formulaire(pilot, "D5")
        # The guide's defaults: the décision's dates (within the school year), its hours.
        assert ecran.query_one("#du", DateSaisie).value == date(2026, 9, 1)
        assert ecran.query_one("#au", DateSaisie).value == date(2027, 7, 4)
        assert ecran.query_one("#heures", Input).value == "12"
        assert texte(ecran, "#formulaire-etablissement") == "Établissement : Lycée Chateaubriand, Saint-Malo"
        # Offered: the missions that may serve, most free hours first (M2 carries 6 h already).
        assert candidats(ecran) == ["M3", "M2", "M1"]
        assert texte(ecran, "#mission-choisie").startswith("Mission : aucune choisie")
        await choisir(pilot, ecran, "M3")
        assert texte(ecran, "#mission-choisie").startswith("Mission : M3 · ROUX Anne · CDI HI2D · 24 h libres")
        assert all(texte(ecran, f"#message-{c}") == "" for c in ("periode", "heures", "mission", "general"))
        await pilot.press("ctrl+s")
        await attendre_travaux(pilot)
        await attendre_travaux(pilot)
        assert isinstance(app.screen, Accueil)
        nouveaux = [a for a in session.dep.accompagnements.values() if a.decision_ids == ("D5",)]
        assert len(nouveaux) == 1
        acc = nouveaux[0]
        assert (acc.mission_id, acc.uai, acc.debut, acc.fin, acc.heures) == (
            "M3", LYCEE, date(2026, 9, 1), date(2027, 7, 4), 12.0)
        assert {s.etat for s in session.frise("D5").segments} == {"complete"}
    # Written in the base (journal included), not only in memory.
    with base_formulaire.lecture() as tx:
        assert tx.lignes("SELECT mission_id FROM accompagnement WHERE id = ?", (acc.id,)) == [("M3",)]


async def test_each_refusal_shows_next_to_its_field_as_one_types(base_formulaire):
    app = ouvrir(base_formulaire)
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre_chargement(pilot)
        ecran = await ouvrir_formulaire(pilot, "D5")
        await choisir(pilot, ecran, "M3")
        heures = ecran.query_one("#heures", Input)
        heures.value = "30"
        await pilot.pause()
        assert texte(ecran, "#message-heures") == (
            "Le temps de travail hebdomadaire (30 h) dépasse le volume horaire de la mission M3 (24 h).")
        heures.value = "12,5"
        await pilot.pause()
        assert texte(ecran, "#message-heures") == ""
        assert lire_heures("12,5") == 12.5
        heures.value = "1.2.3"
        await pilot.pause()
        assert texte(ecran, "#message-heures") == "Heures : un nombre, par exemple 12 ou 12,5."
        heures.value = "12"
        # Past the décision's end: only a maintien could; across 31/08: never.
        ecran.query_one("#au", DateSaisie).value = date(2027, 7, 20)
        await pilot.pause()
        assert "sort de la période de la décision D5" in texte(ecran, "#message-periode")
        ecran.query_one("#au", DateSaisie).value = date(2026, 8, 31)
        await pilot.pause()
        assert texte(ecran, "#message-periode") == "Le début doit précéder la fin."
        await pilot.press("ctrl+s")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, FormulaireAccompagnement)
        assert not [a for a in app.session_ouverte.dep.accompagnements.values() if a.decision_ids == ("D5",)]


async def test_the_missions_set_aside_say_why(base_formulaire):
    app = ouvrir(base_formulaire)
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre_chargement(pilot)
        ecran = await ouvrir_formulaire(pilot, "D5")
        await pilot.press("ctrl+r")
        await pilot.pause()
        ecartees = ecran.query_one("#ecartees", ListeDonnees)
        assert ecartees.display and not ecran.query_one("#candidats", ListeDonnees).display
        raisons = {r.mission.id: ecartees.colonnes[2].afficher(r) for r in ecartees.lignes_affichees()}
        assert raisons == {"M4": "nature non accompagnante", "M5": "mission inactive"}
        ecartees.focus()
        cles = [r.mission.id for r in ecartees.lignes_affichees()]
        await pilot.press("home", *["down"] * cles.index("M4"), "enter")
        assert texte(ecran, "#message-mission").startswith(
            "M4 écartée : la nature de support HC1D")
        await pilot.press("ctrl+r")
        assert ecran.query_one("#candidats", ListeDonnees).display


async def test_mutualise_asks_for_hours_and_takes_the_common_period(base_formulaire):
    app = ouvrir(base_formulaire)
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre_chargement(pilot)
        ecran = await ouvrir_formulaire(pilot, "D6", "D7")
        # The intersection of the décisions, ended at 31/08 of its school year.
        assert ecran.query_one("#du", DateSaisie).value == date(2026, 10, 1)
        assert ecran.query_one("#au", DateSaisie).value == date(2027, 7, 4)
        assert ecran.query_one("#heures", Input).value == ""
        await choisir(pilot, ecran, "M3")
        assert texte(ecran, "#message-heures").startswith("Le temps de travail hebdomadaire doit être renseigné")
        ecran.query_one("#heures", Input).value = "10"
        await pilot.pause()
        assert texte(ecran, "#message-heures") == ""
        await pilot.press("ctrl+s")
        await attendre_travaux(pilot)
        await attendre_travaux(pilot)
        assert isinstance(app.screen, Accueil)
        (acc,) = [a for a in app.session_ouverte.dep.accompagnements.values() if a.decision_ids == ("D6", "D7")]
        assert (acc.debut, acc.fin, acc.heures) == (date(2026, 10, 1), date(2027, 7, 4), 10.0)


async def test_escape_after_a_change_asks_before_abandoning(base_formulaire):
    app = ouvrir(base_formulaire)
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre_chargement(pilot)
        ecran = await ouvrir_formulaire(pilot, "D5")
        ecran.query_one("#heures", Input).value = "6"
        await pilot.pause()
        await pilot.press("escape")
        assert isinstance(app.screen, FormulaireAccompagnement)
        assert texte(ecran, "#message-general").startswith("La saisie a changé : Échap de nouveau")
        await pilot.press("escape")
        assert isinstance(app.screen, Accueil)
        assert not [a for a in app.session_ouverte.dep.accompagnements.values() if a.decision_ids == ("D5",)]


async def test_a_write_by_another_session_meanwhile_is_refused_and_nothing_is_saved(base_formulaire, tmp_path):
    app = ouvrir(base_formulaire)
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre_chargement(pilot)
        ecran = await ouvrir_formulaire(pilot, "D5")
        await choisir(pilot, ecran, "M3")
        # Another gestionnaire fills M3 for 20 h from another process.
        autre = session_de(base_formulaire, "marie.curie")
        autre.charger()
        autre.creer_accompagnement("M3", ["D6"], heures=20.0)
        await pilot.press("ctrl+s")
        await attendre_travaux(pilot)
        await attendre_travaux(pilot)
        assert isinstance(app.screen, FormulaireAccompagnement)
        assert texte(ecran, "#message-enregistrement").startswith(
            "Rien n'a été enregistré : une autre session a écrit entre-temps. Les données sont "
            "rechargées et les règles revérifiées")
        # Reloaded: M3 now offers what the other session left free.
        await pilot.pause(0.5)
        await attendre_travaux(pilot)
        assert texte(ecran, "#mission-choisie").startswith("Mission : M3 · ROUX Anne · CDI HI2D · 4 h libres")
    with base_formulaire.lecture() as tx:
        assert tx.lignes("SELECT COUNT(*) FROM accompagnement WHERE mission_id = 'M3'") == [(1,)]


def test_snapshot_formulaire_80x24(base_formulaire, snap_compare):
    async def avant(pilot):
        await attendre_chargement(pilot)
        ecran = await ouvrir_formulaire(pilot, "D5")
        await choisir(pilot, ecran, "M3")
        await figer(pilot)

    assert snap_compare(ouvrir(base_formulaire), run_before=avant, terminal_size=(80, 24))


def test_snapshot_formulaire_160x48(base_formulaire, snap_compare):
    async def avant(pilot):
        await attendre_chargement(pilot)
        ecran = await ouvrir_formulaire(pilot, "D5")
        await choisir(pilot, ecran, "M3")
        ecran.query_one("#heures", Input).value = "30"
        await figer(pilot)

    assert snap_compare(ouvrir(base_formulaire), run_before=avant, terminal_size=(160, 48))

"""PIAL (SPEC F11, guide §9, issue 11 items 1–3): the table of the PIAL of
the perimeter with its year switch and the hors-PIAL row, the banner of
stale aggregates and the superviseur's recalcul; a PIAL's detail (change
the volume 22 h → 20 h, remove after confirmation, affect a mission
disponible with the maximum by default and an excess refused, stale
writes refused); the affectation automatique from the screen (dry run,
run, cancel that leaves the base identical, the same report as
``agesh affectation-auto --json``); each profile refused at the other's
doors; snapshots of every screen at 80×24 and 160×48 on a fixed world."""

from __future__ import annotations

import json
import threading
from datetime import date, datetime

import pytest

from agesh_tui.api.erreurs import PermissionRefusee
from agesh_tui.cli import main
from agesh_tui.engine.operations.agregats import recalculer
from agesh_tui.engine.stockage import affectations as lignes_affectations
from agesh_tui.engine.stockage import ouvrir
from agesh_tui.engine.stockage.chargement import charger
from agesh_tui.engine.stockage.utilisateurs import ajouter, enregistrer_secteurs
from agesh_tui.screens.affectation_auto import AffectationAuto
from agesh_tui.screens.confirmation import Confirmation
from agesh_tui.screens.detail_mission import DetailMission
from agesh_tui.screens.detail_pial import DetailPial
from agesh_tui.screens.pial import ListePial
from agesh_tui.screens.saisie_volume import SaisieVolume
from agesh_tui.widgets.liste import ListeDonnees
from base_app import (
    NOM_BASE_ECRAN,
    SECRET,
    TODAY,
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
from monde import contenu

D = date
ANNEE = 2026
PIAL_A = "0350001A"  # Collège Anne de Bretagne, with the écoles 0350002B and 0350004D
PIAL_E = "0350005E"  # Collège Les Gayeulles, its own PIAL
RECALCUL = datetime(2026, 11, 22, 10, 0)


def monde_pial_app():
    """The snapshots' world, and: M3 employed in PIAL A and affected there
    for 22 h (the guide's example), M7 and M8 that the affectation
    automatique would affect (PIAL E, PIAL A), an AESH référent (M9, not
    accompagnant), an inactive AESH's mission (M10)."""
    m = monde_ecran()
    m.missions["M3"].uai_employeur = "0350004D"
    m.affectation("AF2026-000001", "M3", PIAL_A, 22.0)
    m.mission("M7", "A1", "HP2D", 24.0, D(2026, 9, 1), D(2027, 8, 31), contrat="CDD",
              employeur=PIAL_E)
    m.mission("M8", "A2", "HI2D", 20.0, D(2026, 9, 1), D(2027, 8, 31), contrat="CDD",
              employeur="0350002B")
    m.mission("M9", "A3", "AHRE", 10.0, D(2026, 9, 1), D(2027, 8, 31), contrat="CDD",
              employeur=PIAL_A)
    m.aesh("A5", "LEBRUN", "Yves", 48.11, -1.70, actif=False)
    m.mission("M10", "A5", "HI2D", 20.0, D(2026, 9, 1), D(2027, 8, 31), contrat="CDD",
              employeur=PIAL_A)
    return m


@pytest.fixture
def base_pial(tmp_path, monkeypatch):
    """The world, its 2026-2027 aggregates recalculated (à jour), users
    demo.gestionnaire, demo.superviseur (two profiles) and nord
    (gestionnaire of secteur S1 only)."""
    isoler(tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)
    store = ouvrir(NOM_BASE_ECRAN)
    monde_pial_app().ecrire(store)
    ajouter(store, "demo.gestionnaire", "Gestionnaire de démonstration", ("gestionnaire",),
            secret=SECRET)
    ajouter(store, "demo.superviseur", "Superviseur de démonstration",
            ("superviseur", "gestionnaire"), secret=SECRET)
    ajouter(store, "sud", "Gestionnaire Saint-Malo", ("gestionnaire",), secret=SECRET)
    enregistrer_secteurs(store, "sud", ("S2",))
    recalculer(store, charger(store), ANNEE, RECALCUL)
    yield store
    store.fermer()


def superviseur(store):
    return app_de(store, "demo.superviseur", "superviseur")


def liste(app, ident: str | None = None) -> ListeDonnees:
    return app.screen.query_one(f"#{ident}" if ident else ListeDonnees, ListeDonnees)


def cles(app, ident: str | None = None) -> list[str]:
    l = liste(app, ident)
    return [l._cle_ligne(x) for x in l.lignes_affichees()]


def ecran(app) -> str:
    return "\n".join(texte_ecran(app))


def affectations(store):
    with store.lecture() as tx:
        return tx.lignes("SELECT id, mission_id, pial_uai, volume, version FROM affectation_pial "
                         "ORDER BY id")


async def ouvrir_pial(pilot) -> None:
    await attendre_chargement(pilot)
    await pilot.press("7")
    await attendre_travaux(pilot)
    await figer(pilot)


async def ouvrir_detail(pilot, uai: str = PIAL_A, section: str | None = None) -> None:
    await ouvrir_pial(pilot)
    assert liste(pilot.app).placer_sur(uai)
    await pilot.press("enter")
    await attendre_travaux(pilot)
    if section:
        await pilot.press(section)
    await figer(pilot)


async def ouvrir_auto(pilot) -> None:
    await ouvrir_pial(pilot)
    await pilot.press("a")
    await attendre_travaux(pilot)
    await figer(pilot)


# -- the table ----------------------------------------------------------------------------
@pytest.mark.anyio
async def test_table_one_row_per_pial_and_the_hors_pial_row_then_the_year_switch(base_pial):
    app = app_de(base_pial)
    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_pial(pilot)
        assert isinstance(app.screen, ListePial)
        assert cles(app) == [PIAL_A, PIAL_E, "hors"]
        par_cle = {l.pial_uai: l for l in liste(app).lignes_affichees()}
        a = par_cle[PIAL_A]
        # D1 (24 h), D5 (12 h), D13? no: E13 left for the collège; D2, D4, D8, D9 mutualisées.
        assert (a.decisions_individuelles, a.decisions_mutualisees, a.missions) == (2, 4, 1)
        assert a.moyens == 22.0
        assert par_cle[""].nom == "Hors PIAL (1 étab.)"
        assert par_cle[""].decisions_individuelles == 1  # D3, in the lycée
        texte = ecran(app)
        assert "année 2026-2027" in texte
        assert "Agrégats recalculés le 22/11/2026 à 10:00, à jour." in texte
        assert "█" in texte  # the coverage bar
        await pilot.press("greater_than_sign")
        await attendre_travaux(pilot)
        texte = ecran(app)
        assert "année 2027-2028" in texte
        assert "Agrégats 2027-2028 jamais recalculés" in texte
        await pilot.press("less_than_sign", "less_than_sign")
        await attendre_travaux(pilot)
        assert "année 2025-2026" in ecran(app)


@pytest.mark.anyio
async def test_a_gestionnaire_sees_the_pial_of_its_secteurs_only(base_pial):
    app = app_de(base_pial, "sud")
    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_pial(pilot)
        # S2 is the lycée hors PIAL: no PIAL, the hors-PIAL row.
        assert cles(app) == ["hors"]
    session = session_de(base_pial, "sud")
    session.charger()
    avant = contenu(base_pial)
    with pytest.raises(PermissionRefusee, match="pas dans vos secteurs"):
        session.affecter_mission("M8", PIAL_A, ANNEE, 10.0)
    with pytest.raises(PermissionRefusee, match="pas dans vos secteurs"):
        session.retirer_affectation("AF2026-000001", 1)
    assert contenu(base_pial) == avant


@pytest.mark.anyio
async def test_hors_pial_row_opens_no_detail_and_says_where_to_look(base_pial):
    app = app_de(base_pial)
    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_pial(pilot)
        liste(app).placer_sur("hors")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ListePial)
        assert any("hors PIAL n'ont pas de détail" in str(n.message) for n in app._notifications)


# -- the detail ---------------------------------------------------------------------------
@pytest.mark.anyio
async def test_change_the_volume_22_to_20(base_pial):
    app = app_de(base_pial)
    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_detail(pilot)
        assert isinstance(app.screen, DetailPial)
        assert cles(app, "liste-affectees") == ["AF2026-000001"]
        await pilot.press("v")
        assert isinstance(app.screen, SaisieVolume)
        assert app.screen.query_one("#volume").value == "22"
        await pilot.press(*["backspace"] * 4, "2", "0", "enter")
        await attendre_travaux(pilot)
        await attendre_travaux(pilot)
        assert affectations(base_pial) == [("AF2026-000001", "M3", PIAL_A, 20.0, 2)]
        assert liste(app, "liste-affectees").lignes_affichees()[0].affectation.volume == 20.0
        assert "20 h" in ecran(app)


@pytest.mark.anyio
async def test_remove_asks_first_no_keeps_yes_removes(base_pial):
    app = app_de(base_pial)
    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_detail(pilot)
        await pilot.press("delete")
        assert isinstance(app.screen, Confirmation)
        assert "ne sera plus affectée au PIAL Collège Anne de Bretagne" in app.screen.lignes[0]
        await pilot.press("n")
        await attendre_travaux(pilot)
        assert len(affectations(base_pial)) == 1
        await pilot.press("delete", "o")
        await attendre_travaux(pilot)
        await attendre_travaux(pilot)
        assert affectations(base_pial) == []
        assert cles(app, "liste-affectees") == []
        # M3 is disponible again, its 24 h free.
        dispo = {v.id: v for v in liste(app, "liste-disponibles").lignes}
        assert dispo["M3"].disponible == 24.0


@pytest.mark.anyio
async def test_affect_a_mission_disponible_default_maximum_and_an_excess_refused(base_pial):
    app = app_de(base_pial)
    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_detail(pilot, section="d")
        disponibles = liste(app, "liste-disponibles")
        # The accompagnant filter first: the AESH référent (M9) set aside; inactive M10 absent.
        assert "M9" not in cles(app, "liste-disponibles")
        assert "M10" not in [v.id for v in disponibles.lignes]
        # Nearest to the tête de PIAL first.
        distances = [v.distance for v in disponibles.lignes_affichees()]
        assert distances == sorted(distances)
        avant = contenu(base_pial)
        assert disponibles.placer_sur("M8")
        await pilot.press("a")
        assert isinstance(app.screen, SaisieVolume)
        assert app.screen.query_one("#volume").value == "20"  # the maximum still available
        await pilot.press(*["backspace"] * 4, "2", "5", "enter")
        await attendre_travaux(pilot)
        assert contenu(base_pial) == avant  # refused: nothing written
        messages = [str(n.message) for n in app._notifications]
        assert any("25 h dépasse le volume encore disponible de la mission : 20 h au plus" in m
                   for m in messages)
        assert liste(app, "liste-disponibles").placer_sur("M8")
        await pilot.press("a", "enter")
        await attendre_travaux(pilot)
        await attendre_travaux(pilot)
        assert ("AF2026-000002", "M8", PIAL_A, 20.0, 1) in affectations(base_pial)
        assert "AF2026-000002" in cles(app, "liste-affectees")
        assert "M8" not in cles(app, "liste-disponibles")


@pytest.mark.anyio
async def test_a_change_made_elsewhere_meanwhile_is_refused_with_a_word_to_reload(base_pial):
    app = app_de(base_pial)
    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_detail(pilot)
        # Another session changes the volume; this screen still shows version 1.
        autre = session_de(base_pial, "demo.gestionnaire")
        autre.charger()
        autre.modifier_volume_affectation("AF2026-000001", 1, 18.0)
        await pilot.press("v", *["backspace"] * 4, "2", "0", "enter")
        await attendre_travaux(pilot)
        assert affectations(base_pial) == [("AF2026-000001", "M3", PIAL_A, 18.0, 2)]
        messages = [str(n.message) for n in app._notifications]
        assert any("Volume non modifié" in m and "modifié par ailleurs" in m
                   and "R recharge les données" in m for m in messages), messages


@pytest.mark.anyio
async def test_decisions_of_the_pial_open_the_decision_and_the_form(base_pial):
    from agesh_tui.screens.decision import DetailDecision
    from agesh_tui.screens.formulaire_accompagnement import FormulaireAccompagnement

    app = app_de(base_pial)
    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_detail(pilot, section="e")
        # Pupils schooled in the PIAL's établissements this year.
        assert set(cles(app, "liste-decisions")) == {"D1", "D2", "D4", "D5", "D8", "D9"}
        liste(app, "liste-decisions").placer_sur("D5")
        await pilot.press("enter")
        await figer(pilot)
        assert isinstance(app.screen, DetailDecision) and app.screen.decision_id == "D5"
        await pilot.press("escape")
        await pilot.press("n")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, FormulaireAccompagnement)


@pytest.mark.anyio
async def test_the_carte_and_propositions_keys_open_their_screens(base_pial):
    from agesh_tui.screens.carte_aesh import CarteAesh

    app = app_de(base_pial)
    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_detail(pilot)
        # From a list of the detail: the list's own keys (c: colonnes) stay its own.
        app.screen.query(ListeDonnees).first().focus()
        await pilot.pause()
        await pilot.press("g")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, CarteAesh)
        assert (app.screen.pial_uai, app.screen.annee) == (PIAL_A, ANNEE)


# -- the affectation automatique ----------------------------------------------------------
def rapport_cli(store, capsys, *options: str) -> dict:
    capsys.readouterr()
    assert main(["affectation-auto", "--db", NOM_BASE_ECRAN, "--annee", str(ANNEE),
                 "--today", TODAY.isoformat(), "--json", *options]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.anyio
async def test_dry_run_then_run_the_report_of_the_command(base_pial, capsys):
    attendu = rapport_cli(base_pial, capsys, "--dry-run")
    app = app_de(base_pial)
    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_auto(pilot)
        assert isinstance(app.screen, AffectationAuto)
        simulation = app.screen.rapport
        assert simulation is not None and simulation.dry_run
        assert simulation.document == attendu
        assert [(a.mission_id, a.pial_uai) for a in simulation.affectations] == [
            ("M7", PIAL_E), ("M8", PIAL_A)]
        motifs = {a.mission_id: a.motif for a in simulation.anomalies}
        assert motifs["M3"].startswith("déjà affectée pour 2026-2027")
        assert motifs["M1"] == "mission sans établissement employeur ni payeur"
        assert motifs["M10"] == "AESH LEBRUN Yves inactif"
        texte = ecran(app)
        assert "Simulation 2026-2027 : rien n'est enregistré. 2 mission(s) seraient" in texte
        assert affectations(base_pial) == [("AF2026-000001", "M3", PIAL_A, 22.0, 1)]
        await pilot.press("x")
        await attendre_travaux(pilot)
        await attendre_travaux(pilot)
        resultat = app.screen.rapport
        assert not resultat.dry_run
        assert [a[1] for a in affectations(base_pial)] == ["M3", "M7", "M8"]
        assert "exécutée : 2 mission(s) affectée(s)" in ecran(app)
        # The table behind follows: stale aggregates said.
        await pilot.press("escape")
        await attendre_travaux(pilot)
        texte = ecran(app)
        assert "du recalcul du 22/11/2026 à 10:00 : des données ont changé depuis." in texte
        assert "Le recalcul est fait par un superviseur AESH." in texte  # who can do it


@pytest.mark.anyio
async def test_opening_a_detail_parses_only_the_css_of_the_widgets_new_to_the_app(base_pial):
    """TabbedContent's widgets bring their DEFAULT_CSS: Textual then parses
    the whole stylesheet again, through a cache that must hold every source."""
    app = app_de(base_pial)
    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_pial(pilot)
        feuille = app.stylesheet
        sources, analyses = len(feuille.source), feuille._parse_cache.misses
        assert liste(app).placer_sur(PIAL_A)
        await pilot.press("enter")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, DetailPial)
        nouvelles = len(feuille.source) - sources
        assert nouvelles > 0  # Tabs, ContentSwitcher…: the case this is about
        assert feuille._parse_cache.misses - analyses == nouvelles


@pytest.mark.anyio
async def test_the_report_s_tabs_have_keys_and_enter_opens_the_pial_or_the_mission(base_pial):
    app = app_de(base_pial)
    async with app.run_test(size=(80, 24)) as pilot:
        await ouvrir_auto(pilot)
        auto = app.screen
        assert "p : PIAL · m : missions affectées · n : anomalies · Entrée : ouvrir" in ecran(app)
        sections = auto.query_one("#auto-sections")
        for touche, pane, ident in (("n", "auto-anomalies", "auto-liste-anomalies"),
                                    ("m", "auto-affectations", "auto-liste-affectations")):
            await pilot.press(touche)
            assert sections.active == pane and app.focused is liste(app, ident)
        assert liste(app, "auto-liste-affectations").placer_sur("M8")
        await pilot.press("enter")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, DetailMission) and app.screen.mission_id == "M8"
        await pilot.press("escape")
        await pilot.press("p")
        assert sections.active == "auto-pial"
        assert liste(app, "auto-bilans").placer_sur(PIAL_E)
        await pilot.press("enter")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, DetailPial) and app.screen.pial_uai == PIAL_E
        await pilot.press("escape")
        assert app.screen is auto


@pytest.mark.anyio
async def test_cancel_while_running_leaves_the_base_identical(base_pial, monkeypatch):
    app = app_de(base_pial)
    ecrit, reprendre = threading.Event(), threading.Event()
    inserer = lignes_affectations.inserer

    def inserer_puis_attendre(tx, a):
        inserer(tx, a)
        ecrit.set()
        assert reprendre.wait(10)

    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_auto(pilot)
        avant = contenu(base_pial)
        monkeypatch.setattr(lignes_affectations, "inserer", inserer_puis_attendre)
        await pilot.press("x")
        for _ in range(100):  # the first row is written, inside the transaction
            if ecrit.is_set():
                break
            await pilot.pause(0.02)
        assert ecrit.is_set()
        assert "Exécution en cours" in ecran(app)
        await pilot.press("escape")
        reprendre.set()
        await attendre_travaux(pilot)
        await pilot.pause()
        assert isinstance(app.screen, AffectationAuto)  # Échap cancelled, did not leave
        assert contenu(base_pial) == avant
        assert "Exécution annulée : rien n'a été enregistré." in ecran(app)
        assert app.screen.check_action("executer", ()) is True  # may run again


# -- profiles -------------------------------------------------------------------------------
@pytest.mark.anyio
async def test_a_gestionnaire_is_refused_at_every_superviseur_door(base_pial):
    app = app_de(base_pial)
    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_pial(pilot)
        ecran_pial = app.screen
        assert ecran_pial.check_action("recalculer", ()) is False  # not offered
        assert "Recalculer" not in ecran(app)  # not in the footer
        avant = contenu(base_pial)
        await pilot.press("r")
        await attendre_travaux(pilot)
        ecran_pial.action_recalculer()  # even called directly (palette): refused
        await pilot.pause()
        assert contenu(base_pial) == avant
        assert any("Recalcul impossible : réservé au profil Superviseur AESH" in str(n.message)
                   for n in app._notifications)
    with pytest.raises(PermissionRefusee):
        session = session_de(base_pial, "demo.gestionnaire")
        session.charger()
        session.recalculer_agregats(ANNEE, RECALCUL)


@pytest.mark.anyio
async def test_a_superviseur_consults_the_gestionnaire_writes_are_not_offered(base_pial):
    app = superviseur(base_pial)
    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_detail(pilot)
        detail = app.screen
        for action in ("changer_volume", "retirer"):
            assert detail.check_action(action, ()) is False
        await pilot.press("delete", "v")
        assert isinstance(app.screen, DetailPial)
        await pilot.press("d")
        assert detail.check_action("affecter", ()) is False
        assert "Consultation (profil Superviseur AESH)" in ecran(app)
        await pilot.press("escape", "a")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, AffectationAuto)
        assert app.screen.check_action("executer", ()) is False
        assert "L'exécution est réservée au profil Gestionnaire AESH." in ecran(app)
    session = session_de(base_pial, "demo.superviseur", "superviseur")
    session.charger()
    avant = contenu(base_pial)
    with pytest.raises(PermissionRefusee):
        session.affecter_mission("M8", PIAL_A, ANNEE, 10.0)
    with pytest.raises(PermissionRefusee):
        session.retirer_affectation("AF2026-000001", 1)
    with pytest.raises(PermissionRefusee):
        session.rapport_affectation_auto(ANNEE, dry_run=False)
    assert contenu(base_pial) == avant


@pytest.mark.anyio
async def test_stale_banner_after_a_change_gone_after_the_recalcul(base_pial):
    app = superviseur(base_pial)
    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_pial(pilot)
        assert "à jour." in ecran(app)
        # A gestionnaire affects a mission elsewhere: the table follows.
        autre = session_de(base_pial, "demo.gestionnaire")
        autre.charger()
        autre.affecter_mission("M8", PIAL_A, ANNEE, 20.0)
        await attendre_a_jour(pilot)
        texte = ecran(app)
        assert ("Besoin, moyens et couverture du recalcul du 22/11/2026 à 10:00 : des données "
                "ont changé depuis.") in texte
        assert "r : recalculer." in texte
        await pilot.press("r")
        await attendre_travaux(pilot)
        await attendre_travaux(pilot)
        texte = ecran(app)
        assert "ont changé depuis" not in texte
        assert "Agrégats recalculés le 22/11/2026 à" in texte and ", à jour." in texte
        a = {l.pial_uai: l for l in liste(app).lignes}[PIAL_A]
        assert a.moyens == pytest.approx(42.0)


# -- snapshots ------------------------------------------------------------------------------
@pytest.mark.parametrize("taille", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_snapshot_table(base_pial, snap_compare, taille):
    assert snap_compare(app_de(base_pial), run_before=ouvrir_pial, terminal_size=taille)


@pytest.mark.parametrize("taille", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_snapshot_detail_affectees(base_pial, snap_compare, taille):
    assert snap_compare(app_de(base_pial), run_before=ouvrir_detail, terminal_size=taille)


@pytest.mark.parametrize("taille", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_snapshot_detail_disponibles(base_pial, snap_compare, taille):
    async def avant(pilot):
        await ouvrir_detail(pilot, section="d")

    assert snap_compare(app_de(base_pial), run_before=avant, terminal_size=taille)


@pytest.mark.parametrize("taille", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_snapshot_detail_decisions(base_pial, snap_compare, taille):
    async def avant(pilot):
        await ouvrir_detail(pilot, section="e")

    assert snap_compare(app_de(base_pial), run_before=avant, terminal_size=taille)


@pytest.mark.parametrize("taille", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_snapshot_saisie_volume(base_pial, snap_compare, taille):
    async def avant(pilot):
        await ouvrir_detail(pilot, section="d")
        liste(pilot.app, "liste-disponibles").placer_sur("M8")
        await pilot.press("a")
        await figer(pilot)

    assert snap_compare(app_de(base_pial), run_before=avant, terminal_size=taille)


@pytest.mark.parametrize("taille", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_snapshot_affectation_auto(base_pial, snap_compare, taille):
    assert snap_compare(app_de(base_pial), run_before=ouvrir_auto, terminal_size=taille)


@pytest.mark.parametrize("taille", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_snapshot_affectation_auto_anomalies(base_pial, snap_compare, taille):
    async def avant(pilot):
        await ouvrir_auto(pilot)
        pilot.app.screen.query_one("#auto-sections").active = "auto-anomalies"
        await figer(pilot)

    assert snap_compare(app_de(base_pial), run_before=avant, terminal_size=taille)

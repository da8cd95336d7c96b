"""Propositions d'affectation in the application (issue 14, items 4 and 5):
from Accueil (the perimeter, the selection) or for one PIAL, computed in a
worker that Échap stops leaving nothing, the summary and the three views
(why a décision stays uncovered), lines removed and put back, applied in
one transaction (the frises turn green), refused on stale data, read only
for a superviseur; snapshots at 80×24 and 160×48 on a fixed world."""

from __future__ import annotations

import itertools
import threading
from datetime import date

import pytest
from textual.widgets import ContentSwitcher

from agesh_tui.engine.regles import propositions_plan
from agesh_tui.engine.stockage import ouvrir
from agesh_tui.engine.stockage.utilisateurs import ajouter
from agesh_tui.screens import propositions
from agesh_tui.screens.accueil import Accueil
from agesh_tui.screens.confirmation import Confirmation
from agesh_tui.screens.propositions import Propositions, ouvrir_propositions_pial
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

D = date
# The plan on this world (see monde_propositions): five lines, two AESH.
LIGNES = {"D1/M1", "D2/M1/2027-07-05", "D2/M1/2026-11-22", "D10/M7", "D13/M7"}


def monde_propositions():
    """The snapshots' world, with M1 affected to the PIAL Anne de Bretagne
    and a new AESH near Les Gayeulles (M7, affected to its PIAL): the plan
    covers D1, D10, D13 and part of D2/D4 (more than the greedy rule); D6
    stays uncovered (two AESH already), D2/D4 partly (établissements)."""
    m = monde_ecran()
    m.affectation("AF1", "M1", "0350001A", 41.0)
    m.aesh("A5", "LAMBERT", "Zoé", 48.13, -1.63)
    m.mission("M7", "A5", "HI2D", 24.0, D(2025, 9, 1), D(2027, 8, 31), contrat="CDD")
    m.affectation("AF2", "M7", "0350005E", 24.0)
    return m


@pytest.fixture
def base_propositions(tmp_path, monkeypatch):
    isoler(tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)
    store = ouvrir(NOM_BASE_ECRAN)
    monde_propositions().ecrire(store)
    ajouter(store, "demo.gestionnaire", "Gestionnaire de démonstration", ("gestionnaire",),
            secret=SECRET)
    ajouter(store, "demo.superviseur", "Superviseur de démonstration",
            ("superviseur", "gestionnaire"), secret=SECRET)
    yield store
    store.fermer()


async def proposer(pilot) -> Propositions:
    """From Accueil, « p », until the plan shows."""
    await attendre_chargement(pilot)
    await pilot.press("p")
    for _ in range(3):
        await attendre_travaux(pilot)
    ecran = pilot.app.screen
    assert isinstance(ecran, Propositions) and ecran.plan is not None
    return ecran


def vue(ecran: Propositions) -> ListeDonnees:
    return ecran.query_one(f"#{ecran.query_one(ContentSwitcher).current}", ListeDonnees)


async def retirer(pilot, ecran: Propositions, cle: str) -> None:
    """Suppr on the row ``cle`` of the view shown: its lines are removed."""
    vue(ecran).placer_sur(cle)
    await pilot.press("delete")
    await attendre_travaux(pilot)


def accompagnements(store) -> dict[str, tuple[tuple[str, ...], str]]:
    session = session_de(store, "demo.gestionnaire")
    session.charger()
    return {a.id: (a.decision_ids, a.mission_id) for a in session.dep.accompagnements.values()}


def ligne_accueil(app, nom: str) -> str:
    """Accueil's row of that pupil, as the terminal shows it."""
    return next(l for l in texte_ecran(app) if nom in l)


def etats(app, decision_id: str) -> set[str]:
    """The states of the décision's frise from today (the plan's period)."""
    return {s.etat for s in app.session_ouverte.frise(decision_id).segments if s.fin >= TODAY}


@pytest.mark.anyio
async def test_the_plan_says_what_it_covers_and_why_a_decision_stays_uncovered(base_propositions):
    app = app_de(base_propositions)
    async with app.run_test(size=(120, 40)) as pilot:
        ecran = await proposer(pilot)
        assert {l.id for l in ecran.plan.lignes} == LIGNES
        ecrit = "\n".join(texte_ecran(app))
        assert "22/11/2026 → 31/08/2027 : 5 propositions, 67 h/sem. en tout · 5 non couverts" in ecrit
        # Weighted by days, and said so.
        assert "Heures/sem. en moyenne sur la période : plan 23,6 h · gloutonne 20,3 h · à couvrir 29 h" in ecrit
        assert "Déjà en place 50,5 h · borne 23,6 h · écart 0 % (optimal à 0,5 % près)" in ecrit
        # By décision: the uncovered first, the cursor's reason and what to do below.
        liste = vue(ecran)
        lignes = liste.lignes_affichees()
        assert [v.decision_id for v in lignes] == ["D2", "D4", "D6", "D1", "D10", "D13"]
        liste.placer_sur("D6")
        await pilot.pause()
        ecrit = "\n".join(texte_ecran(app))
        assert "l'élève a déjà 2 AESH sur la période" in ecrit
        assert "À faire : relever le nombre maximal d'AESH par élève" in ecrit
        liste.placer_sur("D10")
        await pilot.pause()
        ecrit = "\n".join(texte_ecran(app))
        assert "← LAMBERT Zoé (M7) · 9 h · 04/01/2027 → 04/07/2027 · 0,7 km" in ecrit
        # What the period holds after the plan, stretch by stretch.
        assert "Sur la période, après le plan : 04/01/2027 → 04/07/2027 complète, 9 h." in ecrit
        # By AESH, then by PIAL, then back.
        await pilot.press("v")
        assert [v.aesh_id for v in vue(ecran).lignes_affichees()] == ["A1", "A5"]
        assert "vue par AESH" in texte_ecran(app)[2]
        await pilot.press("v")
        assert [(v.pial_uai, len(v.lignes), v.non_couverts) for v in vue(ecran).lignes_affichees()] == [
            ("0350001A", 3, 3), ("0350005E", 2, 2)]
        await pilot.press("v")
        assert vue(ecran).id == "vue-decision"
        await pilot.press("escape")
        assert isinstance(app.screen, Accueil)


@pytest.mark.anyio
async def test_escape_during_the_computation_stops_it_and_keeps_nothing(base_propositions, monkeypatch):
    reprendre = threading.Event()
    vrai = propositions_plan.proposer

    def lent(*args, **kwargs):
        # Holds the computation after its first step until the test has pressed Échap.
        progression = args[-1]
        progression("Besoins et moyens", 0, 1)
        assert reprendre.wait(10)
        progression("Besoins et moyens", 1, 1)  # raises: the user stopped it
        return vrai(*args, **kwargs)

    # The Session imports it when a plan is asked for (not at start).
    monkeypatch.setattr(propositions_plan, "proposer", lent)
    avant = accompagnements(base_propositions)
    app = app_de(base_propositions)
    notes: list[str] = []
    original = app.notify
    app.notify = lambda message, *a, **k: (notes.append(str(message)), original(message, *a, **k))[1]
    async with app.run_test(size=(80, 24)) as pilot:
        await attendre_chargement(pilot)
        await pilot.press("p")
        await pilot.pause(0.2)
        ecran = app.screen
        assert isinstance(ecran, Propositions)
        assert "0/1 · Besoins et moyens" in "\n".join(texte_ecran(app))
        await pilot.press("escape")
        reprendre.set()
        for _ in range(3):
            await attendre_travaux(pilot)
        assert isinstance(app.screen, Accueil)
        assert ecran.plan is None
        assert notes[-1] == "Calcul des propositions arrêté : rien n'a été proposé ni écrit."
    assert accompagnements(base_propositions) == avant


@pytest.mark.anyio
async def test_remove_a_line_put_it_back_then_apply_the_rest_and_the_frises_turn_green(base_propositions):
    store = base_propositions
    avant = accompagnements(store)
    app = app_de(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre_chargement(pilot)
        assert "█" not in ligne_accueil(app, "ROBIN Tom")
        ecran = await proposer(pilot)
        assert etats(app, "D13") == {"sans_accompagnement"}
        liste = vue(ecran)
        liste.placer_sur("D10")
        await pilot.press("delete")
        await attendre_travaux(pilot)
        assert ecran.sans == {"D10/M7"}
        assert "D10" not in [v.decision_id for v in vue(ecran).lignes_affichees()]
        ecrit = "\n".join(texte_ecran(app))
        assert "4 propositions, 58 h/sem. en tout, 1 retirée (Ctrl+Z pour remettre)" in ecrit
        assert "plan 17,8 h (calculé 23,6 h)" in ecrit
        assert "Route : plan 25,5 km×h (calculé 29,8) · gloutonne 27,5 km×h" in ecrit
        await pilot.press("ctrl+z")
        await attendre_travaux(pilot)
        assert ecran.sans == frozenset()
        assert "D10" in [v.decision_id for v in vue(ecran).lignes_affichees()]
        vue(ecran).placer_sur("D10")
        await pilot.press("delete")
        await attendre_travaux(pilot)
        await pilot.press("a")
        assert isinstance(app.screen, Confirmation)
        question = "\n".join(app.screen.lignes)
        assert "4 accompagnements seront créés (58 h par semaine), en une seule transaction" in question
        assert "• ROBIN Tom ← LAMBERT Zoé, 8 h, 22/11/2026 → 31/08/2027" in question
        assert "BLANC" not in question
        await pilot.press("o")
        for _ in range(3):
            await attendre_travaux(pilot)
        assert isinstance(app.screen, Accueil)
        # The frises on every screen: D13 complete from today, D10 still to cover.
        assert etats(app, "D13") == {"complete"}
        assert "sans_accompagnement" in etats(app, "D10")
        assert "█" in ligne_accueil(app, "ROBIN Tom")  # Accueil repainted: green from today
    crees = {v for k, v in accompagnements(store).items() if k not in avant}
    assert crees == {(("D1",), "M1"), (("D2",), "M1"), (("D2", "D4"), "M1"), (("D13",), "M7")}


@pytest.mark.anyio
async def test_a_plan_on_data_changed_since_is_refused_and_recomputed(base_propositions):
    store = base_propositions
    app = app_de(store)
    notes: list[str] = []
    original = app.notify
    app.notify = lambda message, *a, **k: (notes.append(str(message)), original(message, *a, **k))[1]
    async with app.run_test(size=(120, 40)) as pilot:
        ecran = await proposer(pilot)
        await pilot.press("a")
        assert isinstance(app.screen, Confirmation)
        # Another session writes while the question is asked: the Session refuses.
        autre = session_de(store, "demo.gestionnaire")
        autre.charger()
        autre.creer_accompagnement("M7", ["D10"], debut=D(2027, 1, 4), fin=D(2027, 7, 4), heures=3.0)
        avant = accompagnements(store)
        await pilot.press("o")
        for _ in range(3):
            await attendre_travaux(pilot)
        assert app.screen is ecran
        refus = notes[-1]
        assert refus.startswith("Rien n'a été écrit : les données ont changé depuis le calcul")
        assert refus.endswith("r pour les recalculer.")
        assert accompagnements(store) == avant
        await attendre_a_jour(pilot)
        assert ecran.perime
        assert "Les données ont changé depuis le calcul : r pour recalculer." in "\n".join(texte_ecran(app))
        # Known stale now: refused at once, without a question.
        notes.clear()
        await pilot.press("a")
        assert app.screen is ecran and notes == [refus]
        await pilot.press("r")
        for _ in range(3):
            await attendre_travaux(pilot)
        assert ecran.plan is not None and not ecran.perime
        assert ecran.plan.ligne("D10/M7").heures == 6.0  # 3 h in place now: 6 h left to cover
        await pilot.press("a", "o")
        for _ in range(3):
            await attendre_travaux(pilot)
        assert isinstance(app.screen, Accueil)
    assert len(accompagnements(store)) == len(avant) + len(ecran.plan.lignes)


@pytest.mark.anyio
async def test_a_superviseur_sees_the_plan_but_may_not_remove_or_apply(base_propositions):
    store = base_propositions
    avant = accompagnements(store)
    app = app_de(store, "demo.superviseur", "superviseur")
    async with app.run_test(size=(120, 40)) as pilot:
        ecran = await proposer(pilot)
        ecrit = "\n".join(texte_ecran(app))
        assert "Profil superviseur : consultation seulement" in ecrit
        assert "Suppr retirer" not in ecrit and "a appliquer" not in ecrit
        for touche in ("delete", "a", "o"):
            await pilot.press(touche)
            await attendre_travaux(pilot)
            assert app.screen is ecran, touche
        assert ecran.sans == frozenset()
    assert accompagnements(store) == avant


@pytest.mark.anyio
async def test_one_pial_or_the_selection_limits_the_plan(base_propositions):
    app = app_de(base_propositions)
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre_chargement(pilot)
        ouvrir_propositions_pial(app, "0350005E")
        for _ in range(3):
            await attendre_travaux(pilot)
        ecran = app.screen
        assert isinstance(ecran, Propositions)
        assert {l.id for l in ecran.plan.lignes} == {"D10/M7", "D13/M7"}
        assert "PIAL Collège Les Gayeulles (0350005E)" in texte_ecran(app)[2]
        await pilot.press("escape")
        accueil = app.screen.query_one(ListeDonnees)
        accueil.placer_sur("D1")
        await pilot.press("space")
        await pilot.press("p")
        for _ in range(3):
            await attendre_travaux(pilot)
        assert {l.id for l in app.screen.plan.lignes} == {"D1/M1"}
        assert "1 décision sélectionnée" in texte_ecran(app)[2]


@pytest.mark.anyio
async def test_from_a_pial_s_detail_its_mise_en_oeuvre_moves_as_the_plan_said(base_propositions):
    """The walk of issue 14: a PIAL's detail, « p », the view by PIAL says
    « before → after », applied: the detail shows the « after »."""
    from agesh_tui.screens.detail_pial import DetailPial

    app = app_de(base_propositions)
    async with app.run_test(size=(160, 48)) as pilot:
        await attendre_chargement(pilot)
        await pilot.press("7")
        await attendre_travaux(pilot)
        assert app.screen.query_one(ListeDonnees).placer_sur("0350005E")
        await pilot.press("enter")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, DetailPial)
        await figer(pilot)
        assert "mise en œuvre 50,8 %" in "\n".join(texte_ecran(app))
        await pilot.press("p")
        for _ in range(3):
            await attendre_travaux(pilot)
        ecran = app.screen
        assert isinstance(ecran, Propositions) and ecran.plan is not None
        await pilot.press("v", "v")
        await attendre_travaux(pilot)
        (ligne,) = vue(ecran).lignes_affichees()
        assert (ligne.mise_en_oeuvre_avant, ligne.mise_en_oeuvre_apres) == pytest.approx((50.8, 87.9), abs=0.05)
        assert "50,8 % → 87,9 % avec ces propositions" in "\n".join(texte_ecran(app))
        await pilot.press("a")
        await pilot.press("o")
        for _ in range(4):
            await attendre_travaux(pilot)
        assert isinstance(app.screen, DetailPial)
        await figer(pilot)
        assert "mise en œuvre 87,9 %" in "\n".join(texte_ecran(app))


@pytest.mark.anyio
async def test_recomputing_after_removals_asks_first_and_enter_on_a_pial_opens_it(base_propositions):
    from agesh_tui.screens.detail_pial import DetailPial

    app = app_de(base_propositions)
    async with app.run_test(size=(80, 24)) as pilot:
        ecran = await proposer(pilot)
        await retirer(pilot, ecran, "D10")
        await pilot.press("r")
        assert isinstance(app.screen, Confirmation)
        assert "1 proposition retirée ne pourra plus être remise" in app.screen.lignes[0]
        await pilot.press("n")
        assert app.screen is ecran and ecran.sans == {"D10/M7"}
        # The question of « a » at 80×24 is read from its first line.
        await pilot.press("a")
        await figer(pilot)
        assert isinstance(app.screen, Confirmation)
        assert any("accompagnements seront créés" in l for l in texte_ecran(app))
        await pilot.press("n")
        await pilot.press("r")
        await pilot.press("o")
        for _ in range(3):
            await attendre_travaux(pilot)
        assert ecran.sans == frozenset() and {l.id for l in ecran.plan.lignes} == LIGNES
        await pilot.press("v", "v")
        await attendre_travaux(pilot)
        vue(ecran).placer_sur("0350005E")
        await pilot.press("enter")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, DetailPial) and app.screen.pial_uai == "0350005E"


@pytest.mark.anyio
async def test_a_decision_whose_lines_were_removed_says_so_above_its_reason(base_propositions):
    app = app_de(base_propositions)
    async with app.run_test(size=(160, 48)) as pilot:
        ecran = await proposer(pilot)
        await retirer(pilot, ecran, "D2")
        assert ecran.sans == {"D2/M1/2027-07-05", "D2/M1/2026-11-22"}
        vue(ecran).placer_sur("D2")  # still listed: the plan left it partly uncovered
        await figer(pilot)
        ecrit = " ".join(" ".join(texte_ecran(app)).split())
        assert "2 propositions retirées" in ecrit and "la frise « Après » est sans elles" in ecrit
        assert "Non couvert avec le plan calculé" in ecrit


# -- snapshots -------------------------------------------------------------------------
def duree_fixe(monkeypatch) -> None:
    """The computing time shown in the summary, fixed for the snapshots:
    each reading of the clock 0,2 s after the one before."""
    instants = itertools.count(0.0, 0.2)
    monkeypatch.setattr(propositions, "chronometre", lambda: next(instants))


def ouvrir_vue(vues: int):
    async def avant(pilot) -> None:
        await proposer(pilot)
        for _ in range(vues):
            await pilot.press("v")
        await figer(pilot)
    return avant


@pytest.mark.parametrize("taille", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
@pytest.mark.parametrize("vues", [0, 1, 2], ids=["decision", "aesh", "pial"])
def test_snapshot_propositions(base_propositions, snap_compare, monkeypatch, taille, vues):
    duree_fixe(monkeypatch)
    assert snap_compare(app_de(base_propositions), run_before=ouvrir_vue(vues), terminal_size=taille)

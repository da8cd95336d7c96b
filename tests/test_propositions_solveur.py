"""The solver of the propositions d'affectation (issue 14): the best-fit
plan (propositions_ajuste) on its own, the time limit, the bounds (never
below the exact optimum), and cancelling while the reasons are computed
— in memory."""

from __future__ import annotations

import math
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agesh_tui.engine.modele.model import Limites
from agesh_tui.engine.regles import propositions_solveur
from agesh_tui.engine.regles.propositions import Perimetre, periode, probleme
from agesh_tui.engine.regles.propositions_ajuste import au_plus_juste, rapprocher
from agesh_tui.engine.regles.propositions_candidats import Offres
from agesh_tui.engine.regles.propositions_colonnes import borne_relaxation
from agesh_tui.engine.regles.propositions_glouton import glouton
from agesh_tui.engine.regles.propositions_plan import LIMITE_TEMPS, proposer
from monde import Monde
from test_propositions import RENTREE, _aesh, _ecole, _eleve, mondes, plan_de
from test_propositions import test_applying_a_plan_never_breaks_a_rule as toutes_les_regles


class Annule(Exception):
    pass


def _deux_eleves() -> Monde:
    """Two pupils of 12 h in two schools 10 km apart; three AESH between.
    A (1.1 km from the first) has 12 h, B (1.1 km from the second) 8 h, C
    (in the middle) 8 h: greedy by urgency gives the first A, the second B
    and C (12 + 12); the plan covers 24 h too."""
    m = Monde()
    _ecole(m, "0350001A", 48.00)
    _ecole(m, "0350002B", 48.09)
    _eleve(m, "1", "0350001A")
    _eleve(m, "2", "0350002B")
    _aesh(m, "A", 48.01, 12.0)
    _aesh(m, "B", 48.08, 8.0)
    _aesh(m, "C", 48.045, 8.0)
    return m


@pytest.fixture
def sans_etapes_exactes(monkeypatch):
    """The plan is the best-fit one: the exact stages do nothing."""
    monkeypatch.setattr(propositions_solveur, "_composante", lambda *args: None)


def test_best_fit_alone_finds_the_known_optimum(sans_etapes_exactes):
    """The hand-made case where nearest-first wastes the pupil's two slots
    (test_propositions): best fit takes the far AESH whose 12 h fit."""
    m = Monde()
    _ecole(m, "0350001A", 48.00)
    _eleve(m, "1", "0350001A")
    _aesh(m, "1", 48.01, 4.0)
    _aesh(m, "2", 48.02, 4.0)
    _aesh(m, "3", 48.09, 12.0)
    _, plan = plan_de(m)
    assert plan.glouton.heures_couvertes == pytest.approx(8.0)
    assert plan.termes.heures_couvertes == pytest.approx(12.0)
    assert len({l.aesh_id for l in plan.lignes}) <= 2


def test_a_line_moves_to_a_nearer_aesh_with_the_free_hours():
    """Best fit gives a 6 h pupil the far AESH whose 6 h fit exactly
    (keeping the near one's 12 h for a larger need); alone, the line moves
    to the near one: same hours, less road. With a pupil of 12 h planned
    on the near one, it stays: no free hours left there."""
    m = Monde()
    _ecole(m, "0350001A", 48.00)
    _eleve(m, "1", "0350001A", 6.0)
    _aesh(m, "1", 48.01, 12.0)  # 1.1 km
    _aesh(m, "2", 48.09, 6.0)  # 10 km
    _eleve(m, "2", "0350001A", 12.0)
    dep = m.departement()
    pb = probleme(dep, periode(RENTREE), Perimetre(), Limites())
    offres = Offres(dep, pb)
    plan = au_plus_juste(offres)
    lignes = {(pb.besoins[offres.aretes[e].besoin].decision_ids, offres.aretes[e].mission_id): h
              for e, h in plan.items()}
    assert lignes == {(("D1",), "M2"): 6.0, (("D2",), "M1"): 12.0}
    assert rapprocher(offres, plan) == plan
    seul = {e: h for e, h in plan.items() if offres.aretes[e].mission_id == "M2"}
    [(e, h)] = rapprocher(offres, seul).items()
    assert (offres.aretes[e].mission_id, h) == ("M1", 6.0)


def test_best_fit_alone_never_breaks_a_rule(monkeypatch):
    """The property of test_propositions (no incohérence, no day
    excédentaire, no mission above its volume, the limits, never below
    greedy nor above the bound) with the best-fit plan alone."""
    monkeypatch.setattr(propositions_solveur, "_composante", lambda *args: None)
    toutes_les_regles()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mondes(), st.sampled_from((Limites(), Limites(5.0, 1, 1), Limites(50.0, 2, 3))))
def test_no_time_gives_the_greedy_plan_and_says_so(m, limites):
    dep = m.departement()
    plan = proposer(dep, periode(RENTREE), Perimetre(), limites, RENTREE, temps_max=0.0)
    if plan.heures_a_couvrir > 0 and plan.borne > 0 and plan.lignes:
        assert plan.statut == LIMITE_TEMPS
    assert plan.termes == plan.glouton
    assert plan.termes.heures_couvertes <= plan.borne + 1e-6 <= plan.heures_a_couvrir + 2e-6


def test_the_time_limit_is_checked_between_components(monkeypatch):
    """Each component's exact stages take 0.2 s here: with 0.3 s, the
    computation stops after two at most and keeps the best-fit plan for
    the others."""
    m = Monde()
    for n in range(6):  # six independent schools, far apart, each with its AESH
        lat = 48.0 + n
        _ecole(m, f"03500{n:02d}A", lat)
        _eleve(m, str(n), f"03500{n:02d}A")
        _aesh(m, str(n), lat + 0.01, 12.0)
    faites = []
    original = propositions_solveur._composante

    def lente(etat, reserve, aretes, budget):
        faites.append(aretes)
        time.sleep(0.2)
        original(etat, reserve, aretes, budget)

    monkeypatch.setattr(propositions_solveur, "_composante", lente)
    dep = m.departement()
    debut = time.monotonic()
    plan = proposer(dep, periode(RENTREE), Perimetre(), Limites(), RENTREE, temps_max=0.3)
    assert time.monotonic() - debut < 1.5
    assert 1 <= len(faites) <= 2
    assert plan.statut == LIMITE_TEMPS
    assert plan.termes.heures_couvertes == pytest.approx(72.0)  # best fit covered them all


def _optimum(dep, limites) -> float:
    """The programme's optimum in hours over every pair the rules offer,
    solved to the end: what no bound may be below."""
    pb = probleme(dep, periode(RENTREE), Perimetre(), limites)
    offres = Offres(dep, pb)
    for i in range(len(pb.besoins)):
        while not offres.epuise(i):
            offres.etendre(i)
    if not offres.aretes:
        return 0.0
    m = propositions_solveur._modele(offres, propositions_solveur._Reserve.de(pb),
                                     range(len(offres.aretes)), 1)
    h = m.prog.highs(relache=False)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.run()
    return -h.getInfo().objective_function_value


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mondes(), st.sampled_from((Limites(), Limites(5.0, 1, 1), Limites(50.0, 2, 3))))
def test_the_bounds_are_never_below_the_optimum(m, limites):
    """The cheap bound and the relaxation's (its prices applied to every
    mission within the distance, from the greedy plan's pairs alone) are
    never below the exact optimum; the plan never above it."""
    dep = m.departement()
    optimum = _optimum(dep, limites)
    pb = probleme(dep, periode(RENTREE), Perimetre(), limites)
    offres = Offres(dep, pb)
    paires = set(glouton(offres))
    assert borne_relaxation(offres, paires, math.inf) >= optimum - 1e-6
    plan = proposer(dep, periode(RENTREE), Perimetre(), limites, RENTREE, temps_max=10)
    assert plan.termes.heures_couvertes <= optimum + 1e-4 and plan.borne >= optimum - 1e-6


def test_the_bound_holds_and_is_reached_when_capacity_is_short():
    """8 + 8 + 12 h free for 24 h to cover: the bound is 24 (each pupil 12
    from its two best AESH, 28 free in all) and the plan reaches it."""
    _, plan = plan_de(_deux_eleves())
    assert plan.borne == pytest.approx(24.0)
    assert plan.termes.heures_couvertes == pytest.approx(24.0)
    assert plan.ecart == pytest.approx(0.0)


def test_cancelling_while_the_reasons_are_computed_stops_the_computation():
    m = _deux_eleves()
    _eleve(m, "3", "0350001A", 12.0)  # nothing left for this one: a reason to give
    dep = m.departement()
    etapes = []

    def progression(etape, faites, total):
        etapes.append(etape)
        if etape == "Besoins non couverts":
            raise Annule

    with pytest.raises(Annule):
        proposer(dep, periode(RENTREE), Perimetre(), Limites(), RENTREE, 20, progression)
    assert etapes[0] == "Besoins et moyens" and "Borne du plan" in etapes


def test_the_default_time_limit_follows_the_size_within_the_targets():
    """80 % of issue 14's targets: 8 s up to a département like demo L, in
    proportion beyond, at most 48 s (demo XL's 60 s target)."""
    from agesh_tui.engine.regles.propositions_plan import temps_par_defaut

    assert temps_par_defaut(0) == temps_par_defaut(600) == temps_par_defaut(2_000) == 8.0
    assert temps_par_defaut(2_100) < 10 * 0.8 + 1
    assert 40 < temps_par_defaut(8_500) <= 48
    assert temps_par_defaut(10**7) == 48
    tailles = list(range(0, 20_000, 250))
    assert [temps_par_defaut(n) for n in tailles] == sorted(temps_par_defaut(n) for n in tailles)

"""Propositions d'affectation (SPEC §2.8, issue 14): the model, the greedy
rule, the exact plan and the reasons of what stays uncovered — in memory.

Coordinates: 0.01° of latitude is 1.11 km; every établissement of these
worlds is hors PIAL unless said otherwise, so that any mission may serve it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agesh_tui.engine.geo import haversine_km
from agesh_tui.engine.modele.model import Limites
from agesh_tui.engine.regles.accompagnement import RegleRefusee
from agesh_tui.engine.regles.couverture import EXCEDENTAIRE, frise
from agesh_tui.engine.regles.incoherences import incoherences
from agesh_tui.engine.regles.occupation import heures_max
from agesh_tui.engine.regles.propositions import Perimetre, periode
from agesh_tui.engine.regles.propositions_plan import OPTIMAL, proposer, simuler
from monde import Monde

D = date
RENTREE = D(2026, 9, 1)
FIN = D(2027, 8, 31)
LIMITES = Limites()


def plan_de(m: Monde, limites: Limites = LIMITES, today: date = RENTREE, **perimetre):
    dep = m.departement()
    return dep, proposer(dep, periode(today), Perimetre(**perimetre), limites, today, temps_max=20)


def km(a, b) -> float:
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)


def _ecole(m: Monde, uai: str, lat: float, pial: str | None = None):
    return m.etablissement(uai, type="Ecole", lat=lat, lon=-1.70, pial=pial)


def _eleve(m: Monde, ident: str, uai: str, heures: float = 12.0, type_: str = "individuelle"):
    m.eleve(f"E{ident}", scolarites=[(uai, D(2020, 9, 1), None)])
    m.decision(f"D{ident}", f"E{ident}", type_, heures, RENTREE, FIN)


def _aesh(m: Monde, ident: str, lat: float, volume: float, **mission):
    m.aesh(f"A{ident}", lat=lat, lon=-1.70)
    m.mission(f"M{ident}", f"A{ident}", volume=volume, **mission)


def test_hours_to_the_hundredth_keep_the_need_whole():
    """24 h from an AESH with 22,5625 h free and another with 5 h: the
    plan gives 22,5625 + 1,4375 h; to the hundredth, 22,56 + 1,44 h (the
    hundredth the rounding loses goes back where there is room), not
    23,99 h with 0,01 h « non couverte »."""
    m = Monde()
    _ecole(m, "0350001A", 48.00)
    _eleve(m, "1", "0350001A", 24.0)
    _aesh(m, "1", 48.01, 22.5625)
    _aesh(m, "2", 48.02, 5.0)
    _, plan = plan_de(m)
    assert sorted((l.mission_id, l.heures) for l in plan.lignes) == [("M1", 22.56), ("M2", 1.44)]
    assert plan.non_couverts == ()


# -- hand-made cases: the optimum is known, the greedy rule misses it ---------------------
def test_two_aesh_per_pupil_nearest_first_wastes_the_pupils_slots():
    """12 h to cover, at most 2 AESH per pupil: the two nearest have 4 h
    free each, a farther one 12 h. Greedy (nearest first): 4 + 4 = 8 h, then
    the limit. Optimum: 12 h, and of the 12 h plans the shortest trip: the
    nearest for 4 h and the far one for 8 h (4 × 1.1 + 8 × 10 km × h, less
    than 12 × 10 with the far one alone)."""
    m = Monde()
    _ecole(m, "0350001A", 48.00)
    _eleve(m, "1", "0350001A")
    _aesh(m, "1", 48.01, 4.0)  # 1.1 km
    _aesh(m, "2", 48.02, 4.0)  # 2.2 km
    _aesh(m, "3", 48.09, 12.0)  # 10 km
    dep, plan = plan_de(m)
    assert plan.glouton.heures_couvertes == pytest.approx(8.0)
    assert plan.termes.heures_couvertes == pytest.approx(12.0)
    assert [(l.mission_id, l.heures) for l in plan.lignes] == [("M1", 4.0), ("M3", 8.0)]
    ecole = dep.etablissements["0350001A"]
    assert plan.termes.distance_totale == pytest.approx(
        4.0 * km(dep.aesh["A1"], ecole) + 8.0 * km(dep.aesh["A3"], ecole), rel=1e-3)
    assert plan.statut == OPTIMAL
    assert plan.borne == pytest.approx(12.0) and plan.ecart == pytest.approx(0.0)


def test_most_urgent_first_takes_the_only_aesh_the_other_pupil_could_have():
    """D1 has nothing in place (priorité 1), D2 has 6 h of 18 (priorité ⅔):
    greedy serves D1 first with its nearest AESH, A (3.3 km), who is the only
    one within 20 km of D2's school; B (11 km from D1's, 28 km from D2's)
    stays idle. Greedy 12 h; optimum 24 h: B for D1, A for D2."""
    m = Monde()
    _ecole(m, "0350001A", 48.00)
    _ecole(m, "0350002B", 48.15)
    _eleve(m, "1", "0350001A", 12.0)
    _eleve(m, "2", "0350002B", 18.0)
    _aesh(m, "A", 48.03, 12.0)
    _aesh(m, "B", 47.90, 12.0)
    _aesh(m, "Z", 48.15, 6.0)
    m.accompagnement("AC1", "MZ", ["D2"], "0350002B", RENTREE, FIN, 6.0)
    dep, plan = plan_de(m)
    assert plan.glouton.heures_couvertes == pytest.approx(12.0)
    assert plan.termes.heures_couvertes == pytest.approx(24.0)
    assert {(l.decision_ids, l.mission_id) for l in plan.lignes} == {(("D1",), "MB"), (("D2",), "MA")}
    assert plan.heures_a_couvrir == pytest.approx(24.0)
    assert plan.heures_en_place == pytest.approx(6.0)


def test_with_hours_tied_the_plan_travels_less_then_makes_fewer_accompagnements():
    """Second and third terms: 12 h either from one AESH at 5.6 km or from
    two at 2.2 km (6 h each): the nearer pair wins (km × h 26.7 < 66.7);
    with both at the same distance, one accompagnement beats two."""
    m = Monde()
    _ecole(m, "0350001A", 48.00)
    _eleve(m, "1", "0350001A")
    _aesh(m, "1", 48.05, 12.0)
    _aesh(m, "2", 48.02, 6.0)
    _aesh(m, "3", 47.98, 6.0)
    _, plan = plan_de(m)
    assert sorted(l.mission_id for l in plan.lignes) == ["M2", "M3"]

    m = Monde()
    _ecole(m, "0350001A", 48.00)
    _eleve(m, "1", "0350001A")
    _aesh(m, "1", 48.02, 12.0)
    _aesh(m, "2", 47.98, 6.0)
    _aesh(m, "3", 47.98, 6.0)
    _, plan = plan_de(m)
    assert [l.mission_id for l in plan.lignes] == ["M1"]


def test_mutualised_pupils_of_a_school_share_the_formula_hours():
    """Three décisions mutualisées left uncovered in one école: one need of
    the formula's hours for cM = 3 (24 h), met by accompagnements that
    include all three."""
    m = Monde()
    _ecole(m, "0350001A", 48.00)
    for i in "123":
        _eleve(m, i, "0350001A", type_="mutualisee")
    _aesh(m, "1", 48.01, 24.0, nature="HM1D")
    _, plan = plan_de(m)
    assert plan.heures_a_couvrir == pytest.approx(24.0)
    assert [(l.decision_ids, l.heures) for l in plan.lignes] == [(("D1", "D2", "D3"), 24.0)]


def test_a_need_stops_where_its_situation_changes_and_never_goes_excedentaire():
    """12 h notified, 8 h in place until 31/12 then nothing: the plan gives
    4 h until 31/12 and 12 h after — never more than what is missing (after
    31/12, the AESH in place is free again and at 0 km: 8 h of the 12)."""
    m = Monde()
    _ecole(m, "0350001A", 48.00)
    _eleve(m, "1", "0350001A")
    _aesh(m, "P", 48.00, 8.0)
    m.accompagnement("AC1", "MP", ["D1"], "0350001A", RENTREE, D(2026, 12, 31), 8.0)
    _aesh(m, "1", 48.01, 24.0)
    dep, plan = plan_de(m)
    assert sorted((l.debut, l.fin, l.mission_id, l.heures) for l in plan.lignes) == [
        (RENTREE, D(2026, 12, 31), "M1", 4.0), (D(2027, 1, 1), FIN, "M1", 4.0),
        (D(2027, 1, 1), FIN, "MP", 8.0)]
    apres = simuler(dep, (replace(l.accompagnement(dep), id=l.id) for l in plan.lignes))
    assert all(s.etat != EXCEDENTAIRE for s in frise(apres, apres.decisions["D1"]).segments)


# -- limits ---------------------------------------------------------------------------------
def test_distance_limit_and_its_override_per_run():
    m = Monde()
    _ecole(m, "0350001A", 48.00)
    _eleve(m, "1", "0350001A")
    _aesh(m, "1", 48.25, 12.0)  # 27.8 km
    _, plan = plan_de(m)
    assert plan.lignes == ()
    [manque] = plan.non_couverts
    assert manque.motif == "distance"
    assert "aucune mission éligible à moins de 20 km (la plus proche à 27,8 km)" in manque.message
    _, plan = plan_de(m, replace(LIMITES, distance_max_km=30.0))
    assert [l.mission_id for l in plan.lignes] == ["M1"]


def test_an_aesh_never_gets_a_fourth_etablissement():
    """A has 24 h free and accompanies in two écoles already: one new école
    at most of the two that need her."""
    m = Monde()
    for n, uai in enumerate(("0350001A", "0350002B", "0350003C", "0350004D")):
        _ecole(m, uai, 48.00 + n * 0.01)
    _eleve(m, "1", "0350003C", 6.0)
    _eleve(m, "2", "0350004D", 6.0)
    _eleve(m, "8", "0350001A", 6.0)
    _eleve(m, "9", "0350002B", 6.0)
    _aesh(m, "A", 48.00, 36.0)
    m.accompagnement("AC8", "MA", ["D8"], "0350001A", RENTREE, FIN, 6.0)
    m.accompagnement("AC9", "MA", ["D9"], "0350002B", RENTREE, FIN, 6.0)
    _, plan = plan_de(m)
    assert len({l.uai for l in plan.lignes}) == 1
    [manque] = plan.non_couverts
    assert manque.motif == "limite_etablissements"
    _, plan = plan_de(m, replace(LIMITES, etablissements_par_aesh=4))
    assert len(plan.lignes) == 2


def test_refused_limits_and_periods():
    m = Monde()
    dep = m.departement()
    with pytest.raises(RegleRefusee, match="distance maximale invalide"):
        proposer(dep, periode(RENTREE), Perimetre(), replace(LIMITES, distance_max_km=0.0), RENTREE)
    with pytest.raises(RegleRefusee, match="AESH par élève invalide"):
        proposer(dep, periode(RENTREE), Perimetre(), replace(LIMITES, aesh_par_decision=0), RENTREE)
    with pytest.raises(RegleRefusee, match="dépasse le 31/08"):
        periode(RENTREE, debut=D(2026, 9, 1), fin=D(2027, 9, 30))
    assert periode(D(2026, 11, 22)) == periode(D(2026, 11, 22), 2026)
    assert periode(D(2026, 11, 22)).debut == D(2026, 11, 22)
    assert periode(D(2026, 11, 22), 2027).debut == D(2027, 9, 1)


# -- why a need stays uncovered --------------------------------------------------------------
def test_reasons_of_uncovered_needs():
    m = Monde()
    m.etablissement("0350100P", "Tête", type="Collège", lat=48.0, lon=-1.7, pial="0350100P")
    _ecole(m, "0350101A", 48.00, pial="0350100P")  # in a PIAL with no mission affected
    _ecole(m, "0350002B", 48.50)  # hors PIAL, its only AESH full
    _ecole(m, "0350003C", 49.00)  # hors PIAL, the pupil's dossier is gelé
    _eleve(m, "1", "0350101A")
    _eleve(m, "2", "0350002B")
    _eleve(m, "3", "0350003C")
    m.eleves["E3"].etat_dossier = "gele"
    m.eleve("E4")  # no scolarité
    m.decision("D4", "E4", "individuelle", 6.0, RENTREE, FIN)
    _aesh(m, "F", 48.50, 6.0)
    m.eleve("E9", scolarites=[("0350002B", D(2020, 9, 1), None)])
    m.decision("D9", "E9", "individuelle", 6.0, RENTREE, FIN)
    m.accompagnement("AC9", "MF", ["D9"], "0350002B", RENTREE, FIN, 6.0)
    _, plan = plan_de(m)
    motifs = {n.decision_ids: (n.motif, n.conseil) for n in plan.non_couverts}
    assert motifs[("D1",)][0] == "aucune_mission_pial"
    assert "affecter une mission au PIAL" in motifs[("D1",)][1]
    assert motifs[("D2",)][0] == "missions_pleines"
    assert "recruter" in motifs[("D2",)][1]
    assert {(e.decision_id, e.motif) for e in plan.exclusions} == {("D3", "dossier"), ("D4", "sans_scolarite")}


def test_only_missions_affected_to_the_pial_serve_its_etablissements():
    m = Monde()
    m.etablissement("0350100P", "Tête", type="Collège", lat=48.0, lon=-1.7, pial="0350100P")
    _ecole(m, "0350101A", 48.00, pial="0350100P")
    _eleve(m, "1", "0350101A")
    _aesh(m, "1", 48.00, 12.0)  # the nearest, not affected
    _aesh(m, "2", 48.05, 12.0)
    m.affectation("AF2", "M2", "0350100P", 12.0, RENTREE, FIN)
    _, plan = plan_de(m)
    assert [l.mission_id for l in plan.lignes] == ["M2"]
    _, plan = plan_de(m, pial_uai="0350100P")
    assert [l.mission_id for l in plan.lignes] == ["M2"]


# -- property: a plan never breaks a rule ----------------------------------------------------
@st.composite
def mondes(draw) -> Monde:
    m = Monde()
    n_ecoles = draw(st.integers(1, 3))
    uais = [f"03500{n:02d}X" for n in range(n_ecoles)]
    pial = draw(st.booleans())
    if pial:
        m.etablissement("0350099P", "Tête", type="Collège", lat=48.0, lon=-1.7, pial="0350099P")
    for n, uai in enumerate(uais):
        _ecole(m, uai, 48.0 + 0.05 * n, pial="0350099P" if pial and n % 2 == 0 else None)
    jours = st.integers(0, 364)
    for n in range(draw(st.integers(1, 6))):
        uai = draw(st.sampled_from(uais))
        debut = RENTREE + (date.resolution * draw(jours))
        fin_s = draw(st.one_of(st.none(), st.just(debut + date.resolution * draw(st.integers(10, 200)))))
        m.eleve(f"E{n}", scolarites=[(uai, debut, fin_s)])
        type_ = draw(st.sampled_from(("individuelle", "individuelle", "mutualisee")))
        d_debut = RENTREE + date.resolution * draw(st.integers(0, 200))
        m.decision(f"D{n}", f"E{n}", type_, float(draw(st.integers(2, 24))), d_debut, FIN)
    for n in range(draw(st.integers(1, 4))):
        lat = 48.0 + draw(st.integers(-20, 30)) / 100
        contrat = draw(st.sampled_from(("CDI", "CDD")))
        fin_m = None if contrat == "CDI" else RENTREE + date.resolution * draw(st.integers(30, 364))
        _aesh(m, str(n), lat, float(draw(st.integers(2, 24))), contrat=contrat, fin=fin_m,
              nature=draw(st.sampled_from(("HI2D", "HM1D", "HP1D", "AHRE"))),
              actif=draw(st.booleans()) or n == 0)
        if pial and draw(st.booleans()):
            m.affectation(f"AF{n}", f"M{n}", "0350099P", 12.0, RENTREE, FIN)
    for n in range(draw(st.integers(0, 3))):
        d = draw(st.sampled_from(sorted(m.decisions)))
        mission = draw(st.sampled_from(sorted(m.missions)))
        uai = m.scolarites[f"{m.decisions[d].eleve_id}-S1"].uai
        debut = RENTREE + date.resolution * draw(st.integers(0, 300))
        m.accompagnement(f"AC{n}", mission, [d], uai, debut, min(FIN, debut + date.resolution * 60),
                         float(draw(st.integers(1, 12))))
    return m


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mondes(), st.sampled_from((Limites(), Limites(5.0, 1, 1), Limites(50.0, 2, 3))))
def test_applying_a_plan_never_breaks_a_rule(m, limites):
    dep = m.departement()
    plan = proposer(dep, periode(RENTREE), Perimetre(), limites, RENTREE, temps_max=10)
    assert plan.refusees == ()
    avant = {(i.type, i.accompagnement_id) for i in incoherences(dep)}
    nouveaux = [replace(l.accompagnement(dep), id=f"P{k}") for k, l in enumerate(plan.lignes)]
    apres = simuler(dep, nouveaux)
    # No incohérence created, on the new accompagnements or the old ones (6: a mission overbooked).
    assert {(i.type, i.accompagnement_id) for i in incoherences(apres)} <= avant
    for l in plan.lignes:
        mission = dep.missions[l.mission_id]
        assert heures_max(apres, mission, l.debut, l.fin) <= max(
            mission.volume, heures_max(dep, mission, l.debut, l.fin)) + 1e-6
        assert l.distance_km <= limites.distance_max_km
    # Never a day excédentaire that was not.
    for d in {d for l in plan.lignes for d in l.decision_ids}:
        decision = dep.decisions[d]
        if decision.individuelle:
            deja = {(s.debut, s.fin) for s in frise(dep, decision).segments if s.etat == EXCEDENTAIRE}
            for s in frise(apres, decision).segments:
                assert s.etat != EXCEDENTAIRE or any(a <= s.debut and s.fin <= b for a, b in deja)
    # Limits, counting what is in place on the period.
    p = plan.periode
    for d in {d for l in plan.lignes for d in l.decision_ids}:
        aesh = {apres.missions[a.mission_id].aesh_id for a in apres.accompagnements_par_decision[d]
                if a.debut <= p.fin and a.fin >= p.debut}
        aesh_avant = {dep.missions[a.mission_id].aesh_id for a in dep.accompagnements_par_decision.get(d, ())
                      if a.debut <= p.fin and a.fin >= p.debut}
        assert len(aesh) <= max(limites.aesh_par_decision, len(aesh_avant))
    def etablissements(x, aesh_id):
        return {acc.uai for mi in x.missions_par_aesh[aesh_id]
                for acc in x.accompagnements_par_mission.get(mi.id, ())
                if acc.debut <= p.fin and acc.fin >= p.debut}

    for a in {l.aesh_id for l in plan.lignes}:
        assert len(etablissements(apres, a)) <= max(limites.etablissements_par_aesh,
                                                    len(etablissements(dep, a)))
    # Terms: never worse than greedy, never above the bound.
    assert plan.termes.heures_couvertes >= plan.glouton.heures_couvertes - 1e-6
    assert plan.termes.heures_couvertes <= plan.borne + 1e-6 <= plan.heures_a_couvrir + 2e-6

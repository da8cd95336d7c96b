from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from agesh_tui.engine.modele.model import Scolarite
from agesh_tui.engine.regles.couverture import (
    COMPLETE,
    EXCEDENTAIRE,
    PARTIELLE,
    SANS_ACCOMPAGNEMENT,
    SANS_SCOLARITE,
    couverture_entre,
    frise,
    mise_en_oeuvre,
)
from monde import accompagner, monde


def test_guide_example_5_5_2():
    """Décision individuelle 24 h du 01/09/2017 au 31/08/2019, accompagnement
    24 h du 05/04/2019 au 31/08/2019 → rouge puis vert, 149/730 = 20,4 %."""
    dep = monde()
    accompagner(dep, "AC1", date(2019, 4, 5), date(2019, 8, 31), 24)
    f = frise(dep, dep.decisions["D1"])
    assert [(s.debut, s.fin, s.etat) for s in f.segments] == [
        (date(2017, 9, 1), date(2019, 4, 4), SANS_ACCOMPAGNEMENT),
        (date(2019, 4, 5), date(2019, 8, 31), COMPLETE),
    ]
    assert round(f.couverture, 1) == 20.4
    assert f.couverture == 100 * 149 / 730
    assert round(f.priorite, 3) == round(1 - 149 / 730, 3)


def test_guide_example_2_no_scolarite_is_white_and_outside_the_need():
    dep = monde()
    dep.scolarites["S1"].fin = date(2019, 4, 4)
    dep.reindex()
    f = frise(dep, dep.decisions["D1"])
    assert [s.etat for s in f.segments] == [SANS_ACCOMPAGNEMENT, SANS_SCOLARITE]
    assert f.couverture == 0
    assert f.priorite == 1


def test_partial_and_excess_hours():
    dep = monde()
    accompagner(dep, "AC1", date(2017, 9, 1), date(2018, 8, 31), 12)
    accompagner(dep, "AC2", date(2018, 9, 1), date(2019, 8, 31), 30)
    f = frise(dep, dep.decisions["D1"])
    assert [s.etat for s in f.segments] == [PARTIELLE, EXCEDENTAIRE]
    days1, days2 = 365, 365
    assert f.couverture == 100 * (days1 * 0.5 + days2 * 1.25) / (days1 + days2)
    assert 0 < f.priorite < 1 or f.priorite == 0


def test_two_accompagnements_add_up_to_complete():
    dep = monde()
    accompagner(dep, "AC1", date(2017, 9, 1), date(2018, 8, 31), 12)
    accompagner(dep, "AC2", date(2017, 9, 1), date(2018, 8, 31), 12, mission="M1")
    f = frise(dep, dep.decisions["D1"])
    assert f.segments[0].etat == COMPLETE and f.segments[0].heures == 24


def test_mutualisee_complete_with_any_accompagnement():
    dep = monde(type_decision="mutualisee")
    accompagner(dep, "AC1", date(2017, 9, 1), date(2018, 8, 31), 6)
    f = frise(dep, dep.decisions["D1"])
    assert [s.etat for s in f.segments] == [COMPLETE, SANS_ACCOMPAGNEMENT]
    assert f.couverture == 100 * 365 / 730


def test_modifiers_previsionnel_anomalie_maintien():
    dep = monde()
    accompagner(dep, "AC1", date(2018, 9, 1), date(2019, 8, 31), 24, previsionnel=True)
    accompagner(dep, "AC2", date(2019, 9, 1), date(2019, 12, 20), 24, maintien=True)
    f = frise(dep, dep.decisions["D1"], anomalies={"AC1"})
    last_in_period = [s for s in f.segments if s.fin <= date(2019, 8, 31)][-1]
    assert last_in_period.previsionnel and last_in_period.anomalie
    maintien = f.segments[-1]
    assert maintien.maintien and maintien.debut == date(2019, 9, 1)
    assert f.fin == date(2019, 12, 20)
    # maintien days are not counted in the couverture
    assert f.couverture == 100 * 365 / 730


def test_previsionnel_mission_marks_segment():
    dep = monde()
    dep.missions["M1"].source = "previsionnel"
    accompagner(dep, "AC1", date(2017, 9, 1), date(2019, 8, 31), 24)
    f = frise(dep, dep.decisions["D1"])
    assert f.segments[0].previsionnel and f.priorite == 0


def test_no_scolarite_at_all_gives_undefined_couverture():
    dep = monde()
    del dep.scolarites["S1"]
    dep.reindex()
    f = frise(dep, dep.decisions["D1"])
    assert f.couverture is None and f.priorite is None
    assert [s.etat for s in f.segments] == [SANS_SCOLARITE]


def remplir(dep, accs, scols) -> None:
    """The décision D1's pupil with these scolarités only, and these
    accompagnements ((début, fin), heures) of D1."""
    del dep.scolarites["S1"]
    for i, (a, b) in enumerate(scols):
        dep.scolarites[f"S{i}"] = Scolarite(f"S{i}", "E1", "0350001A", "", a, b)
    for i, ((a, b), h) in enumerate(accs):
        accompagner(dep, f"AC{i}", a, b, h)
    dep.reindex()


DEBUT = date(2017, 9, 1)
dates_in = st.integers(min_value=-40, max_value=800).map(lambda n: DEBUT + timedelta(days=n))
periode = st.tuples(dates_in, dates_in).map(sorted)


@settings(max_examples=200, deadline=None)
@given(
    accs=st.lists(st.tuples(periode, st.sampled_from([6, 12, 24, 30])), max_size=5),
    scols=st.lists(periode, max_size=3),
)
def test_segments_tile_the_period_exactly(accs, scols):
    dep = monde()
    remplir(dep, accs, scols)
    d = dep.decisions["D1"]
    f = frise(dep, d)
    segs = [s for s in f.segments if s.debut <= d.fin]
    assert segs[0].debut == d.debut and segs[-1].fin == d.fin
    for prev, nxt in zip(segs, segs[1:]):
        assert prev.fin + timedelta(days=1) == nxt.debut
    assert sum(s.jours for s in segs) == (d.fin - d.debut).days + 1
    # couverture equals the day-by-day definition
    total = ratio = 0
    day = d.debut
    while day <= d.fin:
        if any(a <= day <= b for a, b in scols):
            total += 1
            ratio += sum(h for (a, b), h in accs if a <= day <= b) / 24
        day += timedelta(days=1)
    if total == 0:
        assert f.couverture is None
    else:
        assert abs(f.couverture - 100 * ratio / total) < 1e-9


@given(heures=st.sampled_from([6.0, 12.5, 24.0]))
def test_zero_without_and_hundred_with_one_matching_accompagnement(heures):
    dep = monde(heures=heures)
    assert frise(dep, dep.decisions["D1"]).couverture == 0
    d = dep.decisions["D1"]
    accompagner(dep, "AC1", d.debut, d.fin, heures)
    f = frise(dep, d)
    assert f.couverture == 100 and f.priorite == 0


def test_hours_summed_in_any_order_compare_exactly():
    """1.1 + 9.2 + 1.7 h is 12 h: complete, 100 %, priorité 0 — not
    « partielle » at 99.999… % because of binary floats."""
    dep = monde(heures=12.0)
    d = dep.decisions["D1"]
    for i, h in enumerate((1.1, 9.2, 1.7)):
        accompagner(dep, f"AC{i}", d.debut, d.fin, h)
    f = frise(dep, d)
    assert [s.etat for s in f.segments] == [COMPLETE]
    assert f.couverture == 100 and f.priorite == 0


def test_mise_en_oeuvre_weighs_by_the_hours_and_caps_an_excess():
    """24 h at 20,4 % (the guide's §5.5.2) and 12 h complete: (24 × 20,4 +
    12 × 100) / 36; a décision at 150 % counts 100 % (its excess covers no
    other's lack); mutualisées (no hours), no scolarité (no couverture) and
    values a base should not hold count nothing."""
    assert mise_en_oeuvre([(24.0, 20.4), (12.0, 100.0)]) == (24 * 20.4 + 12 * 100) / 36
    assert mise_en_oeuvre([(6.0, 150.0), (6.0, 0.0)]) == 50.0
    assert mise_en_oeuvre([(None, 100.0), (8.0, None), (float("nan"), 0.0), (float("inf"), 0.0),
                           (0.0, 0.0), (-3.0, 0.0)]) is None
    assert mise_en_oeuvre([]) is None


@given(st.lists(st.tuples(st.floats(0.5, 40.0), st.floats(0.0, 300.0)), min_size=1, max_size=30))
def test_mise_en_oeuvre_lies_between_its_decisions_capped(couvertures):
    m = mise_en_oeuvre(couvertures)
    plafonnees = [min(c, 100.0) for _, c in couvertures]
    assert m is not None and min(plafonnees) - 1e-9 <= m <= max(plafonnees) + 1e-9


def test_couverture_over_a_school_year_counts_that_year_only():
    """A décision of 01/09/2017 → 31/08/2019, fully covered from 01/09/2018:
    0 % over 2017-2018, 100 % over 2018-2019, 50 % over its whole period."""
    dep = monde()
    accompagner(dep, "AC1", date(2018, 9, 1), date(2019, 8, 31), 24.0)
    d = dep.decisions["D1"]
    f = frise(dep, d)
    assert couverture_entre(f, d, date(2017, 9, 1), date(2018, 8, 31)) == 0
    assert couverture_entre(f, d, date(2018, 9, 1), date(2019, 8, 31)) == 100
    assert couverture_entre(f, d, date(2020, 9, 1), date(2021, 8, 31)) is None  # not active then
    assert abs(f.couverture - 100 * 365 / 730) < 1e-9


@settings(max_examples=200, deadline=None)
@given(
    accs=st.lists(st.tuples(periode, st.sampled_from([6, 12, 24, 30])), max_size=5),
    scols=st.lists(periode, max_size=3),
    fenetre=periode,
    mutualisee=st.booleans(),
)
def test_couverture_over_a_window_is_the_day_by_day_definition_there(accs, scols, fenetre,
                                                                      mutualisee):
    """Over the décision's own period it is the frise's couverture; over any
    window, the day-by-day mean of that window's days with a scolarité."""
    dep = monde(type_decision="mutualisee" if mutualisee else "individuelle",
                heures=None if mutualisee else 24.0)
    remplir(dep, accs, scols)
    d = dep.decisions["D1"]
    f = frise(dep, d)
    entier = couverture_entre(f, d, d.debut, d.fin)
    assert (entier is None and f.couverture is None) or abs(entier - f.couverture) < 1e-9
    lo, hi = fenetre
    total = ratio = 0
    day = max(lo, d.debut)
    while day <= min(hi, d.fin):
        if any(a <= day <= b for a, b in scols):
            total += 1
            dessus = [h for (a, b), h in accs if a <= day <= b]
            ratio += (1 if dessus else 0) if mutualisee else sum(dessus) / 24
        day += timedelta(days=1)
    obtenu = couverture_entre(f, d, lo, hi)
    assert (obtenu is None) == (total == 0)
    assert total == 0 or abs(obtenu - 100 * ratio / total) < 1e-9

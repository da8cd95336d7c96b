from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from agesh_tui.engine.regles.occupation import (
    COMPLETE,
    LIBRE,
    PARTIELLE,
    SURCHARGE,
    heures_max,
    occupation,
)
from monde import accompagner, monde


def test_occupation_states_over_a_cdd():
    dep = monde()
    m = dep.missions["M1"]
    m.contrat, m.volume, m.debut, m.fin = "CDD", 24.0, date(2026, 9, 1), date(2027, 8, 31)
    accompagner(dep, "AC1", date(2026, 9, 1), date(2026, 12, 31), 12)
    accompagner(dep, "AC2", date(2026, 11, 1), date(2027, 2, 28), 12)
    accompagner(dep, "AC3", date(2027, 1, 1), date(2027, 1, 31), 6)
    periodes = occupation(dep, m)
    assert [(p.debut, p.fin, p.heures, p.etat(24)) for p in periodes] == [
        (date(2026, 9, 1), date(2026, 10, 31), 12, PARTIELLE),
        (date(2026, 11, 1), date(2026, 12, 31), 24, COMPLETE),
        (date(2027, 1, 1), date(2027, 1, 31), 18, PARTIELLE),
        (date(2027, 2, 1), date(2027, 2, 28), 12, PARTIELLE),
        (date(2027, 3, 1), date(2027, 8, 31), 0, LIBRE),
    ]
    assert heures_max(dep, m, date(2026, 9, 1), date(2027, 8, 31)) == 24
    assert heures_max(dep, m, date(2026, 9, 1), date(2027, 8, 31), ignorer={"AC2"}) == 12
    assert periodes[1].etat(20) == SURCHARGE


def test_open_ended_mission_drawn_to_end_of_school_year_of_today():
    dep = monde()
    m = dep.missions["M1"]
    m.debut = date(2025, 9, 1)
    periodes = occupation(dep, m, today=date(2026, 11, 22))
    assert periodes[-1].fin == date(2027, 8, 31) and periodes[0].heures == 0


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 300), st.integers(0, 300), st.integers(1, 20)), max_size=6))
def test_occupation_matches_day_by_day_sum(raw):
    dep = monde()
    m = dep.missions["M1"]
    base = date(2026, 9, 1)
    m.debut, m.fin = base, base + timedelta(days=300)
    for i, (a, b, h) in enumerate(raw):
        a, b = sorted((a, b))
        accompagner(dep, f"AC{i}", base + timedelta(days=a), base + timedelta(days=b), h)
    periodes = occupation(dep, m)
    assert periodes[0].debut == m.debut and periodes[-1].fin == m.fin
    for p in periodes:
        day = p.debut
        while day <= p.fin:
            expected = sum(a.heures for a in dep.accompagnements.values() if a.debut <= day <= a.fin)
            assert expected == p.heures
            day += timedelta(days=1)

"""Les indicateurs (SPEC F6): décisions of the perimeter over the school
year, without / with a mise en œuvre, and the months September → August."""

from datetime import date

from agesh_tui.engine.modele.model import Decision
from agesh_tui.engine.regles.indicateurs import (
    AVEC_MISE_EN_OEUVRE,
    PERIMETRE,
    SANS_MISE_EN_OEUVRE,
    indicateurs,
    rang_mois,
)
from monde import accompagner, monde

TODAY = date(2026, 11, 22)  # school year 2026-2027


def decision(dep, did, debut, fin, type_decision="individuelle"):
    dep.decisions[did] = Decision(did, "E1", type_decision,
                                  12.0 if type_decision == "individuelle" else None,
                                  "Première demande", "projet cible", debut, fin)
    dep.reindex()


def calcul(dep, today=TODAY):
    return indicateurs(dep.decisions.values(), dep.accompagnements_par_decision, today)


def petit_monde():
    """D1 all year, implemented from November to July; D2 starts mid-year,
    nothing; D3 only implemented last year; D4 and D5 mutualisées sharing
    one accompagnement in March–April; D6 over before the year; D7 ends in
    October, then a maintien; D8 only prévisionnel; D9 starts next year;
    D10 ends 30/09 with an accompagnement from that day into October."""
    dep = monde(decision_debut=date(2026, 9, 1), decision_fin=date(2027, 8, 31))
    accompagner(dep, "AC1", date(2026, 11, 2), date(2027, 7, 4), 12)
    decision(dep, "D2", date(2027, 1, 15), date(2028, 6, 30))
    decision(dep, "D3", date(2025, 9, 1), date(2027, 8, 31))
    accompagner(dep, "AC3", date(2025, 9, 1), date(2026, 6, 30), 12, decisions=("D3",))
    decision(dep, "D4", date(2026, 9, 1), date(2027, 8, 31), "mutualisee")
    decision(dep, "D5", date(2026, 10, 1), date(2027, 7, 7), "mutualisee")
    accompagner(dep, "AC45", date(2027, 3, 1), date(2027, 4, 10), 8, decisions=("D4", "D5"))
    decision(dep, "D6", date(2024, 9, 1), date(2026, 6, 30))
    accompagner(dep, "AC6", date(2024, 9, 1), date(2026, 6, 30), 12, decisions=("D6",))
    decision(dep, "D7", date(2026, 9, 1), date(2026, 10, 15))
    accompagner(dep, "AC7", date(2026, 10, 16), date(2026, 12, 31), 12, decisions=("D7",),
                maintien=True)
    decision(dep, "D8", date(2026, 9, 1), date(2027, 8, 31))
    accompagner(dep, "AC8", date(2027, 2, 1), date(2027, 2, 28), 12, decisions=("D8",),
                previsionnel=True)
    decision(dep, "D9", date(2027, 9, 1), date(2028, 8, 31))
    accompagner(dep, "AC9", date(2027, 9, 1), date(2028, 8, 31), 12, decisions=("D9",))
    decision(dep, "D10", date(2026, 9, 1), date(2026, 9, 30))
    accompagner(dep, "AC10", date(2026, 9, 30), date(2026, 10, 31), 12, decisions=("D10",))
    return dep


def test_counts_and_ids():
    r = calcul(petit_monde())
    assert r.annee == 2026
    assert r.ids[PERIMETRE] == {"D1", "D2", "D3", "D4", "D5", "D7", "D8", "D10"}
    # D3: its accompagnement is last year's; D7: a maintien is after the décision's end.
    assert r.ids[SANS_MISE_EN_OEUVRE] == {"D2", "D3", "D7"}
    assert r.ids[AVEC_MISE_EN_OEUVRE] == {"D1", "D4", "D5", "D8", "D10"}
    assert r.nombre(PERIMETRE) == r.nombre(SANS_MISE_EN_OEUVRE) + r.nombre(AVEC_MISE_EN_OEUVRE)


def test_months_september_to_august():
    r = calcul(petit_monde())
    assert [m.debut for m in r.mois] == [
        date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1),
        date(2027, 1, 1), date(2027, 2, 1), date(2027, 3, 1), date(2027, 4, 1),
        date(2027, 5, 1), date(2027, 6, 1), date(2027, 7, 1), date(2027, 8, 1),
    ]
    #          sept oct nov déc jan fév mar avr mai jun jul aoû
    actives = [6, 6, 5, 5, 6, 6, 6, 6, 6, 6, 6, 5]
    avec = [1, 0, 1, 1, 1, 2, 3, 3, 1, 1, 1, 0]
    # September: D1 D3 D4 D7 D8 D10; D5 starts in October, D7 and D10 are
    # over in November, D2 starts in January, D5 ends in July.
    assert [m.actives for m in r.mois] == actives
    # D10 counts in September only: its accompagnement's October is past its end.
    assert [m.avec_mise_en_oeuvre for m in r.mois] == avec


def test_mid_year_decision_is_active_from_its_month():
    dep = monde(decision_debut=date(2027, 1, 15), decision_fin=date(2028, 6, 30))
    r = calcul(dep)
    assert [m.actives for m in r.mois] == [0, 0, 0, 0] + [1] * 8
    assert r.ids[SANS_MISE_EN_OEUVRE] == {"D1"}


def test_accompagnement_outside_the_year_does_not_count():
    dep = monde(decision_debut=date(2025, 9, 1), decision_fin=date(2027, 8, 31))
    accompagner(dep, "AC1", date(2025, 9, 1), date(2026, 8, 31), 24)
    accompagner(dep, "AC2", date(2027, 9, 1), date(2027, 12, 31), 24)
    r = calcul(dep)
    assert r.ids[SANS_MISE_EN_OEUVRE] == {"D1"}
    assert all(m.avec_mise_en_oeuvre == 0 for m in r.mois)
    # The next year sees it implemented.
    r2 = calcul(dep, date(2025, 12, 1))
    assert r2.ids[AVEC_MISE_EN_OEUVRE] == {"D1"}


def test_mutualise_counts_for_each_decision_once():
    dep = monde(decision_debut=date(2026, 9, 1), decision_fin=date(2027, 8, 31),
                type_decision="mutualisee")
    decision(dep, "D2", date(2026, 9, 1), date(2027, 8, 31), "mutualisee")
    accompagner(dep, "AC1", date(2026, 9, 1), date(2026, 12, 31), 6, decisions=("D1", "D2"))
    accompagner(dep, "AC2", date(2026, 10, 1), date(2027, 1, 31), 6, decisions=("D1", "D2"))
    r = calcul(dep)
    assert r.ids[AVEC_MISE_EN_OEUVRE] == {"D1", "D2"}
    assert [m.avec_mise_en_oeuvre for m in r.mois] == [2, 2, 2, 2, 2] + [0] * 7


def test_school_year_of_today():
    dep = monde(decision_debut=date(2025, 9, 1), decision_fin=date(2026, 8, 31))
    assert calcul(dep, date(2026, 8, 31)).ids[PERIMETRE] == {"D1"}
    assert calcul(dep, date(2026, 9, 1)).ids[PERIMETRE] == frozenset()
    assert rang_mois(date(2026, 9, 1), 2026) == 0
    assert rang_mois(date(2027, 8, 31), 2026) == 11


def test_empty_perimeter():
    r = indicateurs([], {}, TODAY)
    assert r.nombre(PERIMETRE) == 0
    assert [(m.actives, m.avec_mise_en_oeuvre) for m in r.mois] == [(0, 0)] * 12


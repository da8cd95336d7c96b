"""The incohérences of an accompagnement (SPEC §2.4, types 1 to 8) and the
cas particuliers of the tableau de bord, in memory; the ``anomalies``
command on a base of each engine."""

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agesh_tui.cli import main
from agesh_tui.engine.modele.departement import Departement
from agesh_tui.engine.modele.model import (
    Accompagnement,
    Decision,
    Eleve,
    Mission,
    Scolarite,
)
from agesh_tui.engine.regles.incoherences import (
    LIBELLES_INCOHERENCES,
    accompagnements_en_anomalie,
    cas_particuliers,
    incoherences,
    incoherences_accompagnement,
)
from monde import Monde

UAI = "0350001A"
TODAY = date(2026, 11, 22)
J = timedelta(days=1)


def monde_coherent() -> Monde:
    """One consistent world: élève E1 schooled in UAI over 2026-2027,
    décision D1 24 h, AESH A1 with mission M1 24 h, accompagnement AC1
    inside all of them."""
    m = Monde()
    m.etablissement(UAI, "Collège A", "Collège")
    m.etablissement("0350002B", "École B", "Ecole")
    m.eleve("E1", "DUPONT", "Léa")
    m.scolarite("S1", "E1", UAI, date(2026, 9, 1), date(2027, 8, 31), "310")
    m.decision("D1", "E1", "individuelle", 24.0, date(2026, 9, 1), date(2027, 8, 31))
    m.aesh("A1", "MARTIN", "Anne")
    m.mission("M1", "A1", "HI2D", 24.0, date(2026, 9, 1), date(2027, 8, 31), contrat="CDD",
              quotite=100.0, employeur=UAI, payeur=UAI)
    m.accompagnement("AC1", "M1", ["D1"], UAI, date(2026, 9, 1), date(2027, 8, 31), 24.0)
    return m


def coherent() -> Departement:
    """monde_coherent() in memory. Tests change one field, then call
    dep.reindex()."""
    return monde_coherent().departement()


def types(dep, acc_id="AC1") -> set[int]:
    return {i.type for i in incoherences(dep) if i.accompagnement_id == acc_id}


def changer(dep, obj, **values):
    for name, value in values.items():
        setattr(obj, name, value)
    dep.reindex()
    return dep


def test_coherent_world_has_nothing():
    dep = coherent()
    assert incoherences(dep) == []
    assert accompagnements_en_anomalie(dep) == set()
    assert set(LIBELLES_INCOHERENCES) == set(range(1, 9))
    assert "inactif" in LIBELLES_INCOHERENCES[7]


# -- 1 and 2: the mission's dates ------------------------------------------------

def test_1_debut_before_mission():
    dep = coherent()
    changer(dep, dep.missions["M1"], debut=date(2026, 9, 15))
    changer(dep, dep.accompagnements["AC1"], debut=date(2026, 9, 14))
    [inc] = incoherences(dep)
    assert (inc.type, inc.accompagnement_id) == (1, "AC1")
    assert inc.detail == "début 14/09/2026 avant le début de la mission 15/09/2026"
    changer(dep, dep.accompagnements["AC1"], debut=date(2026, 9, 15))
    assert types(dep) == set()


def test_2_fin_after_mission_and_open_mission_never():
    dep = coherent()
    changer(dep, dep.missions["M1"], fin=date(2027, 6, 30))
    changer(dep, dep.accompagnements["AC1"], fin=date(2027, 7, 1))
    assert types(dep) == {2}
    changer(dep, dep.accompagnements["AC1"], fin=date(2027, 6, 30))
    assert types(dep) == set()
    changer(dep, dep.missions["M1"], fin=None)
    changer(dep, dep.accompagnements["AC1"], fin=date(2027, 8, 31))
    assert types(dep) == set()


# -- 3 and 8: the décisions' dates -------------------------------------------------

def test_3_debut_before_decision():
    dep = coherent()
    changer(dep, dep.decisions["D1"], debut=date(2026, 10, 1))
    changer(dep, dep.accompagnements["AC1"], debut=date(2026, 9, 30))
    [inc] = incoherences(dep)
    assert inc.type == 3 and "30/09/2026" in inc.detail and "D1" in inc.detail
    changer(dep, dep.accompagnements["AC1"], debut=date(2026, 10, 1))
    assert types(dep) == set()


def test_3_one_of_several_decisions():
    dep = coherent()
    dep.eleves["E2"] = Eleve("E2", "LEROY", "Tom")
    dep.scolarites["S2"] = Scolarite("S2", "E2", UAI, "310", date(2026, 9, 1), None)
    dep.decisions["D2"] = Decision("D2", "E2", "mutualisee", None, "Réexamen", "projet cible",
                                   date(2026, 9, 2), date(2027, 8, 31))
    changer(dep, dep.accompagnements["AC1"], decision_ids=("D1", "D2"))
    assert types(dep) == {3}
    changer(dep, dep.decisions["D2"], debut=date(2026, 9, 1))
    assert types(dep) == set()


def test_8_fin_after_decision_unless_maintien():
    dep = coherent()
    changer(dep, dep.decisions["D1"], fin=date(2027, 6, 30))
    changer(dep, dep.accompagnements["AC1"], fin=date(2027, 7, 1))
    [inc] = incoherences(dep)
    assert inc.type == 8 and inc.detail == "fin 01/07/2027 après la fin de la décision D1 30/06/2027"
    changer(dep, dep.accompagnements["AC1"], maintien=True)
    assert types(dep) == set()
    changer(dep, dep.accompagnements["AC1"], maintien=False, fin=date(2027, 6, 30))
    assert types(dep) == set()


# -- 4: scolarité in the same établissement --------------------------------------

def test_4_scolarite_ends_one_day_early():
    dep = coherent()
    changer(dep, dep.scolarites["S1"], fin=date(2027, 8, 30))
    [inc] = incoherences(dep)
    assert inc.type == 4
    assert inc.detail == "DUPONT Léa sans scolarité dans l'établissement 0350001A le 31/08/2027"
    changer(dep, dep.scolarites["S1"], fin=date(2027, 8, 31))
    assert types(dep) == set()


def test_4_scolarite_starts_one_day_late_or_elsewhere():
    dep = coherent()
    changer(dep, dep.scolarites["S1"], debut=date(2026, 9, 2))
    assert types(dep) == {4}
    changer(dep, dep.scolarites["S1"], debut=date(2026, 9, 1), uai="0350002B")
    assert types(dep) == {4}


def test_4_open_scolarite_covers():
    dep = coherent()
    changer(dep, dep.scolarites["S1"], debut=date(2020, 9, 1), fin=None)
    assert types(dep) == set()


def test_4_two_adjacent_scolarites_cover_a_gap_does_not():
    dep = coherent()
    changer(dep, dep.scolarites["S1"], fin=date(2026, 12, 31))
    dep.scolarites["S2"] = Scolarite("S2", "E1", UAI, "4e", date(2027, 1, 1), date(2027, 8, 31))
    dep.reindex()
    assert types(dep) == set()
    changer(dep, dep.scolarites["S2"], debut=date(2027, 1, 2))
    [inc] = incoherences(dep)
    assert inc.type == 4 and inc.detail.endswith("le 01/01/2027")
    # a scolarité elsewhere does not fill the gap
    dep.scolarites["S3"] = Scolarite("S3", "E1", "0350002B", "CM2", date(2026, 12, 1), None)
    dep.reindex()
    assert types(dep) == {4}


def test_4_checks_every_eleve():
    dep = coherent()
    dep.eleves["E2"] = Eleve("E2", "LEROY", "Tom")
    dep.decisions["D2"] = Decision("D2", "E2", "mutualisee", None, "Réexamen", "projet cible",
                                   date(2026, 9, 1), date(2027, 8, 31))
    dep.scolarites["S2"] = Scolarite("S2", "E2", UAI, "310", date(2026, 9, 1), date(2027, 3, 31))
    changer(dep, dep.accompagnements["AC1"], decision_ids=("D1", "D2"))
    [inc] = incoherences(dep)
    assert inc.type == 4 and "LEROY Tom" in inc.detail and "du 01/04/2027 au 31/08/2027" in inc.detail


# -- 5: dossier ------------------------------------------------------------------

@pytest.mark.parametrize("etat, mot", [("gele", "gelé"), ("cloture", "clôturé")])
def test_5_dossier_gele_or_cloture(etat, mot):
    dep = coherent()
    changer(dep, dep.eleves["E1"], etat_dossier=etat)
    [inc] = incoherences(dep)
    assert inc.type == 5 and inc.detail == f"dossier de DUPONT Léa {mot}"
    changer(dep, dep.eleves["E1"], etat_dossier="actif")
    assert types(dep) == set()


# -- 6: volume of the mission --------------------------------------------------------

def test_6_hours_above_volume():
    dep = coherent()
    changer(dep, dep.accompagnements["AC1"], heures=24.5)
    [inc] = incoherences(dep)
    assert inc.type == 6 and inc.detail == (
        "temps de travail 24,5 h supérieur au volume horaire de la mission 24 h"
    )
    changer(dep, dep.accompagnements["AC1"], heures=24.0)
    assert types(dep) == set()


def test_6_concurrent_sum_flags_every_participant_of_an_over_volume_day():
    dep = coherent()
    changer(dep, dep.accompagnements["AC1"], heures=12.0, fin=date(2026, 12, 31))
    dep.accompagnements["AC2"] = Accompagnement("AC2", "M1", ("D1",), UAI, date(2026, 12, 31),
                                                date(2027, 3, 31), 12.5)
    dep.accompagnements["AC3"] = Accompagnement("AC3", "M1", ("D1",), UAI, date(2027, 4, 1),
                                                date(2027, 8, 31), 24.0)
    dep.reindex()
    found = incoherences(dep)
    assert [(i.type, i.accompagnement_id) for i in found] == [(6, "AC1"), (6, "AC2")]
    assert found[0].detail == (
        "avec les accompagnements concurrents de la mission, 24,5 h le 31/12/2026 "
        "pour un volume de 24 h"
    )
    # near miss: AC2 starts the next day, the sum never exceeds 24 h
    changer(dep, dep.accompagnements["AC2"], debut=date(2027, 1, 1))
    assert incoherences(dep) == []
    # exactly the volume is not an excess (float sums included)
    changer(dep, dep.accompagnements["AC1"], heures=0.1, fin=date(2027, 8, 31))
    changer(dep, dep.accompagnements["AC2"], heures=0.2, fin=date(2027, 8, 31))
    changer(dep, dep.accompagnements["AC3"], heures=23.7)
    assert incoherences(dep) == []


def test_6_other_missions_do_not_count():
    dep = coherent()
    dep.missions["M2"] = Mission("M2", "A1", "CDD", "HI2D", 100.0, 24.0, date(2026, 9, 1),
                                 date(2027, 8, 31), UAI, UAI, "EPP")
    dep.accompagnements["AC2"] = Accompagnement("AC2", "M2", ("D1",), UAI, date(2026, 9, 1),
                                                date(2027, 8, 31), 24.0)
    dep.reindex()
    assert incoherences(dep) == []


def test_6_unsaved_edit_replaces_the_stored_accompagnement():
    dep = coherent()
    dep.accompagnements["AC2"] = Accompagnement("AC2", "M1", ("D1",), UAI, date(2027, 1, 1),
                                                date(2027, 8, 31), 6.0)
    changer(dep, dep.accompagnements["AC1"], heures=18.0)
    assert incoherences_accompagnement(dep, dep.accompagnements["AC2"]) == []
    edit = Accompagnement("AC2", "M1", ("D1",), UAI, date(2027, 1, 1), date(2027, 8, 31), 7.0)
    assert [i.type for i in incoherences_accompagnement(dep, edit)] == [6]


# -- 7: inactive mission or AESH ------------------------------------------------------

def test_7_inactive_mission_or_aesh():
    dep = coherent()
    changer(dep, dep.missions["M1"], actif=False)
    [inc] = incoherences(dep)
    assert inc.type == 7 and inc.detail == "mission M1 inactive (absente des bases RH)"
    changer(dep, dep.missions["M1"], actif=True)
    changer(dep, dep.aesh["A1"], actif=False)
    [inc] = incoherences(dep)
    assert inc.type == 7 and inc.detail == "AESH MARTIN Anne inactif (absent des bases RH)"
    changer(dep, dep.aesh["A1"], actif=True)
    assert incoherences(dep) == []


# -- broken references ----------------------------------------------------------------

def test_missing_references_are_reported_not_raised():
    dep = coherent()
    changer(dep, dep.accompagnements["AC1"], mission_id="M404")
    [inc] = incoherences(dep)
    assert inc.type == 7 and "M404 introuvable" in inc.detail

    dep = coherent()
    changer(dep, dep.missions["M1"], aesh_id="A404")
    assert [(i.type, "A404" in i.detail) for i in incoherences(dep)] == [(7, True)]

    dep = coherent()
    changer(dep, dep.accompagnements["AC1"], decision_ids=("D1", "D404"))
    [inc] = incoherences(dep)
    assert inc.type == 3 and "D404 introuvable" in inc.detail

    dep = coherent()
    changer(dep, dep.accompagnements["AC1"], decision_ids=())
    assert types(dep) == {3}

    dep = coherent()
    del dep.eleves["E1"]
    dep.reindex()
    [inc] = incoherences(dep)
    assert inc.type == 5 and "E1 introuvable" in inc.detail


def test_several_types_sorted_and_filtered_by_id():
    dep = coherent()
    changer(dep, dep.eleves["E1"], etat_dossier="gele")
    changer(dep, dep.missions["M1"], debut=date(2026, 10, 1), actif=False)
    dep.accompagnements["AC0"] = Accompagnement("AC0", "M1", ("D1",), UAI, date(2026, 10, 1),
                                                date(2026, 10, 31), 0.0)
    dep.reindex()
    assert [(i.type, i.accompagnement_id) for i in incoherences(dep)] == [
        (1, "AC1"), (5, "AC0"), (5, "AC1"), (7, "AC0"), (7, "AC1"),
    ]
    assert [(i.type, i.accompagnement_id) for i in incoherences(dep, ["AC0", "inconnu"])] == [
        (5, "AC0"), (7, "AC0"),
    ]
    assert accompagnements_en_anomalie(dep) == {"AC0", "AC1"}


# -- properties -----------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(st.integers(0, 364), st.integers(0, 364), st.booleans())
def test_inside_mission_decision_and_scolarite_never_dates_incoherent(a, b, adjacent):
    dep = coherent()
    if adjacent:  # the same scolarité cut in two adjacent pieces
        changer(dep, dep.scolarites["S1"], fin=date(2027, 1, 15))
        dep.scolarites["S2"] = Scolarite("S2", "E1", UAI, "4e", date(2027, 1, 16), None)
    a, b = sorted((a, b))
    start = date(2026, 9, 1)
    changer(dep, dep.accompagnements["AC1"], debut=start + a * J, fin=start + b * J)
    assert types(dep) & {1, 2, 3, 4, 8} == set()


@settings(max_examples=200, deadline=None)
@given(st.decimals(0, 40, places=2), st.decimals(0, 40, places=2))
def test_alone_within_volume_never_6(heures, volume):
    heures, volume = float(min(heures, volume)), float(max(heures, volume))
    dep = coherent()
    changer(dep, dep.missions["M1"], volume=volume)
    changer(dep, dep.accompagnements["AC1"], heures=heures)
    assert 6 not in types(dep)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60), st.integers(1, 12)),
                min_size=1, max_size=6))
def test_6_matches_a_day_by_day_check(raw):
    dep = coherent()
    del dep.accompagnements["AC1"]
    start = date(2026, 9, 1)
    spans = {}
    for n, (a, b, h) in enumerate(raw):
        a, b = sorted((a, b))
        dep.accompagnements[f"AC{n}"] = Accompagnement(f"AC{n}", "M1", ("D1",), UAI,
                                                       start + a * J, start + b * J, float(h))
        spans[f"AC{n}"] = (a, b, h)
    dep.reindex()
    expected = set()
    for day in range(61):
        here = [k for k, (a, b, _) in spans.items() if a <= day <= b]
        if sum(spans[k][2] for k in here) > 24:
            expected.update(here)
    assert {i.accompagnement_id for i in incoherences(dep) if i.type == 6} == expected


# -- cas particuliers --------------------------------------------------------------------

def avec_decision_suivante(debut=date(2027, 9, 1), fin=date(2028, 8, 31)) -> Departement:
    """coherent() plus D2, the next décision of E1, not accompanied; E1 is
    schooled without end."""
    dep = coherent()
    dep.scolarites["S1"].fin = None
    dep.decisions["D2"] = Decision("D2", "E1", "individuelle", 24.0, "Réexamen", "projet cible",
                                   debut, fin)
    dep.reindex()
    return dep


def cas(dep, today=TODAY) -> list[tuple[str, str]]:
    return [(c.type, c.decision_id) for c in cas_particuliers(dep, today)]


def test_non_couverte_after_an_accompanied_decision():
    dep = avec_decision_suivante()
    [found] = [c for c in cas_particuliers(dep, TODAY) if c.type == "non_couverte"]
    assert found.decision_id == "D2"
    assert found.detail.startswith("décision de DUPONT Léa du 01/09/2027 au 31/08/2028")


def test_non_couverte_near_misses():
    # one accompanied day with scolarité is enough
    dep = avec_decision_suivante()
    dep.accompagnements["AC2"] = Accompagnement("AC2", "M1", ("D2",), UAI, date(2028, 8, 31),
                                                date(2028, 8, 31), 24.0)
    dep.reindex()
    assert ("non_couverte", "D2") not in cas(dep)
    # ... but an accompaniment only on days without scolarité is not
    dep.scolarites["S1"].fin = date(2028, 8, 30)
    dep.reindex()
    assert ("non_couverte", "D2") in cas(dep)
    # the previous décision has no accompagnement
    dep = avec_decision_suivante()
    del dep.accompagnements["AC1"]
    dep.reindex()
    assert cas(dep) == []
    # same start as the accompanied décision: not "after"
    dep = avec_decision_suivante(debut=date(2026, 9, 1))
    assert ("non_couverte", "D2") not in cas(dep)
    dep = avec_decision_suivante(debut=date(2026, 9, 2))
    assert ("non_couverte", "D2") in cas(dep)
    # no scolarité during the décision: outside the need
    dep = avec_decision_suivante()
    dep.scolarites["S1"].fin = date(2027, 8, 31)
    dep.reindex()
    assert ("non_couverte", "D2") not in cas(dep)


def test_non_couverte_only_from_the_current_school_year():
    dep = coherent()
    dep.decisions["D0"] = Decision("D0", "E1", "individuelle", 24.0, "Première demande",
                                   "projet cible", date(2023, 9, 1), date(2024, 8, 31))
    dep.accompagnements["AC0"] = Accompagnement("AC0", "M1", ("D0",), UAI, date(2023, 9, 1),
                                                date(2024, 8, 31), 24.0)
    dep.scolarites["S1"].debut = date(2020, 9, 1)
    dep.decisions["DX"] = Decision("DX", "E1", "individuelle", 24.0, "Réexamen", "projet cible",
                                   date(2024, 9, 1), date(2026, 8, 31))
    dep.reindex()
    assert ("non_couverte", "DX") not in cas(dep)
    dep.decisions["DX"].fin = date(2026, 9, 1)
    assert ("non_couverte", "DX") in cas(dep)


def test_non_renouvelee_boundaries():
    dep = coherent()  # D1 ends 31/08/2027, the last day of the current school year
    assert cas(dep) == [("non_renouvelee", "D1")]
    assert cas(dep, today=date(2027, 8, 31)) == [("non_renouvelee", "D1")]
    assert cas(dep, today=date(2027, 9, 1)) == []  # now a past year
    changer(dep, dep.decisions["D1"], fin=date(2027, 9, 1))
    assert cas(dep) == []
    changer(dep, dep.decisions["D1"], fin=date(2026, 9, 1))
    assert cas(dep) == [("non_renouvelee", "D1")]


def test_non_renouvelee_later_decision_of_any_type():
    dep = avec_decision_suivante()
    dep.decisions["D2"].type, dep.decisions["D2"].heures = "mutualisee", None
    assert ("non_renouvelee", "D1") not in cas(dep)
    # a décision starting the same day is not a later one
    dep = avec_decision_suivante(debut=date(2026, 9, 1), fin=date(2026, 12, 31))
    assert ("non_renouvelee", "D1") in cas(dep) and ("non_renouvelee", "D2") in cas(dep)
    # starting one day later is
    dep = avec_decision_suivante(debut=date(2026, 9, 2), fin=date(2026, 12, 31))
    assert ("non_renouvelee", "D1") not in cas(dep)


# -- command line ---------------------------------------------------------------------

@pytest.fixture
def base_incoherente(stockage, url_base):
    """The coherent world but E1's dossier gelé and M1 starting on 15/09/2026
    without employeur nor payeur (incohérences 1 and 5 on AC1), E1 schooled
    without end: the --db of a base of each engine."""
    m = monde_coherent()
    m.eleve("E1", "DUPONT", "Léa", etat="gele")
    m.scolarite("S1", "E1", UAI, date(2026, 9, 1), None, "310")
    m.mission("M1", "A1", "HI2D", 24.0, date(2026, 9, 15), date(2027, 8, 31), contrat="CDD",
              quotite=100.0)
    m.ecrire(stockage)
    return url_base


def test_cli_json(base_incoherente, capsys):
    db = base_incoherente
    assert main(["anomalies", "--json", "--db", db, "--today", "2026-11-22"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(i["type"], i["accompagnement_id"]) for i in doc["incoherences"]] == [
        (1, "AC1"), (5, "AC1"),
    ]
    assert doc["incoherences"][0]["detail"] == "début 01/09/2026 avant le début de la mission 15/09/2026"
    assert [(c["type"], c["decision_id"]) for c in doc["cas_particuliers"]] == [
        ("non_renouvelee", "D1"),
    ]
    assert main(["anomalies", "--json", "--db", db, "--today", "2027-09-01"]) == 0
    assert json.loads(capsys.readouterr().out)["cas_particuliers"] == []


def test_cli_table(base_incoherente, capsys):
    assert main(["anomalies", "--db", base_incoherente, "--today", "2026-11-22"]) == 0
    out = capsys.readouterr().out
    assert "Tableau de bord" in out and "Cas particuliers" in out
    assert "AC1" in out and "dossier de DUPONT Léa gelé" in out

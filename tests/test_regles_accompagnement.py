"""Accompagnement rules (SPEC §2.3): proposals, refusals, candidate missions."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agesh_tui.engine.calendrier import annee_scolaire, fin_annee
from agesh_tui.engine.modele.departement import Departement
from agesh_tui.engine.modele.model import (
    Accompagnement,
    Aesh,
    AffectationPial,
    Decision,
    Eleve,
    Etablissement,
    Mission,
    Scolarite,
    Secteur,
)
from agesh_tui.engine.regles.accompagnement import (
    INDIVIDUALISE,
    MUTUALISE,
    RegleRefusee,
    candidats,
    mission_possible,
    missions_refusees,
    proposition,
    trier_candidats,
    verifier,
)

TODAY = date(2026, 11, 22)
D = date

E1 = "0350001A"  # école of the PIAL whose head is TETE, secteur S1
TETE = "0350100T"  # collège tête de PIAL, secteur S1
E2 = "0350002B"  # école hors PIAL, secteur S2
ADM = "0350900Z"  # not a school


def monde() -> Departement:
    dep = Departement()
    for etab in (
        Etablissement(E1, "École Jules Ferry", "Ecole", latitude=48.11, longitude=-1.68, pial_uai=TETE),
        Etablissement(TETE, "Collège Anne de Bretagne", "Collège", latitude=48.12, longitude=-1.67,
                      pial_uai=TETE),
        Etablissement(E2, "École des Landes", "Ecole", latitude=47.90, longitude=-1.50),
        Etablissement(ADM, "DSDEN 35", "Service Administratif"),
    ):
        dep.etablissements[etab.uai] = etab
    dep.secteurs = {"S1": Secteur("S1", "Rennes nord"), "S2": Secteur("S2", "Sud")}
    dep.secteur_par_uai = {E1: "S1", TETE: "S1", E2: "S2"}
    for eleve_id, nom, prenom, uai in (
        ("EL1", "DUPONT", "Léa", E1), ("EL2", "MARTIN", "Jules", E1), ("EL3", "BERNARD", "Zoé", E2),
        ("EL4", "PETIT", "Noé", E1),
    ):
        dep.eleves[eleve_id] = Eleve(eleve_id, nom, prenom)
        dep.scolarites["S" + eleve_id] = Scolarite("S" + eleve_id, eleve_id, uai, "", D(2025, 9, 1))
    # DUPONT Léa is schooled in both écoles (a shared schooling): her
    # décision may be accompanied at E2, hors PIAL, where no affectation is
    # at stake.
    dep.scolarites["SEL1-E2"] = Scolarite("SEL1-E2", "EL1", E2, "", D(2025, 9, 1))
    for dec in (
        Decision("DI1", "EL1", "individuelle", 12.0, "Réexamen", "projet cible", D(2026, 9, 1), D(2028, 8, 31)),
        Decision("DM2", "EL2", "mutualisee", None, "Réexamen", "projet cible", D(2026, 10, 1), D(2027, 12, 31)),
        Decision("DM3", "EL3", "mutualisee", None, "Réexamen", "projet cible", D(2026, 9, 15), D(2027, 6, 30)),
        Decision("DM4", "EL2", "mutualisee", None, "Réexamen", "projet cible", D(2028, 1, 1), D(2028, 6, 30)),
        Decision("DI5", "EL3", "individuelle", 8.0, "Réexamen", "projet cible", D(2026, 9, 1), D(2027, 8, 31)),
        Decision("DI6", "EL2", "individuelle", 6.0, "Réexamen", "projet cible", D(2026, 9, 1), D(2027, 8, 31)),
        # DM3's dates, for a pupil of DM2's school (EL3 is at another one).
        Decision("DM7", "EL4", "mutualisee", None, "Réexamen", "projet cible", D(2026, 9, 15), D(2027, 6, 30)),
    ):
        dep.decisions[dec.id] = dec
    for aesh in (
        Aesh("A1", "EPP", "Mme", "MARTIN", "Anne", latitude=48.11, longitude=-1.68),
        Aesh("A2", "EPP", "M.", "LEROY", "Paul", actif=False),
        Aesh("A4", "ASSED", "Mme", "NOËL", "Inès"),  # no coordinates
        Aesh("A5", "EPP", "M.", "GUÉRIN", "Tom", latitude=48.60, longitude=-2.00),
    ):
        dep.aesh[aesh.id] = aesh
    for m in (
        Mission("M1", "A1", "CDI", "HP1D", 100.0, 24.0, D(2020, 9, 1), None, TETE),
        Mission("M2", "A5", "CDD", "HI1D", 80.0, 20.0, D(2026, 9, 1), D(2027, 6, 30), E2),
        Mission("M3", "A2", "CDI", "HI1D", 100.0, 24.0, D(2020, 9, 1), None),
        Mission("M4", "A1", "CDI", "HI1D", 100.0, 24.0, D(2020, 9, 1), None, actif=False),
        Mission("M5", "A1", "CDI", "HC1D", 100.0, 24.0, D(2020, 9, 1), None),
        Mission("M6", "A4", "CDI", "EI1D", 100.0, 24.0, D(2026, 10, 1), None),
        Mission("M7", "A1", "CDI", "HP1D", 50.0, 12.0, D(2020, 9, 1), None, TETE),
    ):
        dep.missions[m.id] = m
    for aff in (
        # M1 is affected to the PIAL by two affectations that follow one another.
        AffectationPial("AF1", "M1", TETE, 2026, 24.0, D(2026, 9, 1), D(2026, 12, 31)),
        AffectationPial("AF2", "M1", TETE, 2026, 24.0, D(2027, 1, 1), D(2027, 8, 31)),
        AffectationPial("AF3", "M7", TETE, 2026, 12.0, D(2026, 9, 1), D(2026, 12, 31)),
    ):
        dep.affectations[aff.id] = aff
    dep.reindex()
    return dep


def accompagner(dep, acc_id, mission_id, decisions, uai, debut, fin, heures):
    dep.accompagnements[acc_id] = Accompagnement(acc_id, mission_id, tuple(decisions), uai, debut, fin, heures)
    dep.reindex()


def regles(refus) -> list[str]:
    return [r.regle for r in refus]


def refus_de(fn, *args) -> list[str]:
    with pytest.raises(RegleRefusee) as exc:
        fn(*args)
    return regles(exc.value.refus)


# -- proposition -----------------------------------------------------------------------
def test_individualise_takes_decision_dates_capped_at_31_08_and_notified_hours():
    p = proposition(monde(), ["DI1"], TODAY)
    assert (p.decision_ids, p.debut, p.fin, p.heures, p.type) == (
        ("DI1",), D(2026, 9, 1), D(2027, 8, 31), 12.0, INDIVIDUALISE
    )


def test_multi_year_decision_is_proposed_from_the_current_school_year():
    dep = monde()
    dep.decisions["DI1"].debut = D(2024, 9, 1)
    assert proposition(dep, ["DI1"], TODAY).debut == D(2026, 9, 1)
    # a décision over before the current year keeps its own dates
    dep.decisions["DI1"].fin = D(2025, 6, 30)
    p = proposition(dep, ["DI1"], TODAY)
    assert (p.debut, p.fin) == (D(2024, 9, 1), D(2025, 6, 30))


def test_future_decision_keeps_its_start():
    dep = monde()
    dep.decisions["DI1"].debut = D(2027, 2, 1)
    p = proposition(dep, ["DI1"], TODAY)
    assert (p.debut, p.fin) == (D(2027, 2, 1), D(2027, 8, 31))


def test_mutualise_takes_the_intersection_and_no_default_hours():
    p = proposition(monde(), ["DM2", "DM7"], TODAY)
    assert (p.debut, p.fin, p.heures, p.type) == (D(2026, 10, 1), D(2027, 6, 30), None, MUTUALISE)


def test_single_mutualisee_is_a_mutualise_capped_at_31_08():
    p = proposition(monde(), ["DM2"], TODAY)
    assert (p.debut, p.fin, p.type) == (D(2026, 10, 1), D(2027, 8, 31), MUTUALISE)


def test_empty_intersection_is_refused_and_touching_one_is_not():
    dep = monde()
    assert refus_de(proposition, dep, ["DM3", "DM4"], TODAY) == ["decisions"]
    dep.decisions["DM4"].debut = D(2027, 6, 30)  # one day in common
    p = proposition(dep, ["DM7", "DM4"], TODAY)
    assert (p.debut, p.fin) == (D(2027, 6, 30), D(2027, 6, 30))


@pytest.mark.parametrize("ids", [[], ["DI1", "DM2"], ["DI1", "DI5"], ["DX"], ["DM2", "DM2"]])
def test_bad_decision_choices_are_refused(ids):
    assert set(refus_de(proposition, monde(), ids, TODAY)) == {"decisions"}


def test_refusal_message_is_french_and_names_the_decisions():
    with pytest.raises(RegleRefusee) as exc:
        proposition(monde(), ["DM3", "DM4"], TODAY)
    assert "pas de période commune" in str(exc.value)
    assert "DM3 du 15/09/2026 au 30/06/2027" in str(exc.value)


# -- one établissement (SPEC §2.3.1) ------------------------------------------------------
def test_a_mutualise_across_two_schools_is_refused_naming_the_pupils_and_their_schools():
    dep = monde()
    with pytest.raises(RegleRefusee) as exc:
        proposition(dep, ["DM2", "DM3"], TODAY)
    (refus,) = exc.value.refus
    assert refus.regle == "etablissement" and refus.decisions == ("DM2", "DM3")
    assert refus.message == (
        "ces élèves ne sont pas scolarisés dans un même établissement du 01/10/2026 au "
        "30/06/2027 : MARTIN Jules (École Jules Ferry (0350001A)), BERNARD Zoé (École des "
        "Landes (0350002B)) ; un accompagnement n'a qu'un établissement."
    )
    # Near miss: once BERNARD Zoé is schooled at Jules Ferry too, they share it.
    dep.scolarites["SEL3b"] = Scolarite("SEL3b", "EL3", E1, "", D(2026, 9, 1))
    dep.reindex()
    assert proposition(dep, ["DM2", "DM3"], TODAY).type == MUTUALISE


def test_a_pupil_who_left_the_school_before_the_period_does_not_share_it():
    dep = monde()
    dep.scolarites["SEL4"].fin = D(2026, 9, 30)  # left Jules Ferry before DM2 starts
    dep.reindex()
    with pytest.raises(RegleRefusee) as exc:
        proposition(dep, ["DM2", "DM7"], TODAY)
    assert "PETIT Noé (École Jules Ferry (0350001A))" not in str(exc.value)
    assert "PETIT Noé (aucune scolarité)" in str(exc.value)


def test_verifier_refuses_a_pupil_not_schooled_in_the_accompagnement_etablissement():
    dep = monde()
    refus = verifier(dep, **ok_args(mission_id="M6", decision_ids=["DM2", "DM3"], uai=E2,
                                    debut=D(2026, 10, 1), fin=D(2027, 6, 30), heures=6.0))
    assert regles(refus) == ["etablissement"]
    assert refus[0].decisions == ("DM2",)
    assert "École des Landes (0350002B)" in refus[0].message
    assert "MARTIN Jules (École Jules Ferry (0350001A))" in refus[0].message
    # One pupil at the wrong school, individualisé too.
    assert verif(decision_ids=["DI5"], uai=E1, heures=8.0) == ["etablissement"]


def test_a_reduction_of_a_pupil_who_changed_school_is_accepted():
    dep = monde()
    accompagner(dep, "AC1", "M1", ["DI1"], E1, D(2026, 9, 1), D(2027, 6, 30), 12.0)
    dep.scolarites["SEL1"] = Scolarite("SEL1", "EL1", E2, "", D(2025, 9, 1))  # now elsewhere
    dep.reindex()
    avant = dep.accompagnements["AC1"]
    assert regles(verifier(dep, "M1", ["DI1"], E1, D(2026, 9, 1), D(2026, 12, 31), 12.0,
                           ignorer=["AC1"], avant=avant)) == []
    assert regles(verifier(dep, "M1", ["DI1"], E1, D(2026, 9, 1), D(2027, 8, 31), 12.0,
                           ignorer=["AC1"], avant=avant)) == ["etablissement"]


# -- verifier ----------------------------------------------------------------------------
def ok_args(**changes):
    args = dict(mission_id="M1", decision_ids=["DI1"], uai=E1, debut=D(2026, 9, 1),
                fin=D(2027, 8, 31), heures=12.0)
    args.update(changes)
    return args


def verif(dep=None, **changes):
    return regles(verifier(dep or monde(), **ok_args(**changes)))


def test_a_valid_accompagnement_passes():
    assert verif() == []


def test_crossing_31_08_is_refused_with_its_rule_in_the_message():
    # hors PIAL, so that no affectation is at stake
    refus = verifier(monde(), **ok_args(uai=E2, fin=D(2027, 9, 15)))
    assert regles(refus) == ["annee_scolaire"]
    assert "31/08" in refus[0].message and "fin proposée 15/09/2027" in refus[0].message
    assert verif(uai=E2, fin=D(2027, 8, 31)) == []
    assert verif(uai=E2, debut=D(2027, 9, 1), fin=D(2028, 8, 31)) == []


def test_start_after_end_is_refused():
    assert verif(debut=D(2027, 3, 2), fin=D(2027, 3, 1)) == ["dates"]
    assert verif(debut=D(2027, 3, 1), fin=D(2027, 3, 1)) == []


def test_cdd_bounds_the_end_by_the_contract():
    base = dict(mission_id="M2", decision_ids=["DI5"], uai=E2, heures=8.0)
    refus = verifier(monde(), **ok_args(**base, fin=D(2027, 7, 1)))
    assert regles(refus) == ["cdd"]
    assert "CDD jusqu'au 30/06/2027" in refus[0].message
    assert verif(**base, fin=D(2027, 6, 30)) == []


def test_mission_must_cover_the_period():
    base = dict(mission_id="M6", decision_ids=["DI5"], uai=E2, heures=8.0)
    assert verif(**base, debut=D(2026, 9, 30)) == ["mission_couvre"]
    assert verif(**base, debut=D(2026, 10, 1)) == []
    dep = monde()
    dep.missions["M6"].fin = D(2027, 5, 31)  # a CDI mission with an end
    assert verif(dep, **base, debut=D(2026, 10, 1)) == ["mission_couvre"]


@pytest.mark.parametrize(
    "mission, regle", [("M3", "aesh_inactif"), ("M4", "mission_inactive"), ("M5", "nature_non_accompagnante")]
)
def test_ineligible_missions_are_refused(mission, regle):
    # hors PIAL, so that only the mission's own state is at stake
    assert verif(mission_id=mission, decision_ids=["DI5"], uai=E2, heures=8.0) == [regle]


def test_pial_requires_an_affectation_covering_the_whole_period():
    # M2 is not affected to the PIAL of E1
    assert "pial" in verif(mission_id="M2", fin=D(2027, 6, 30))
    # M7 is affected until 31/12/2026 only
    assert verif(mission_id="M7", fin=D(2026, 12, 31)) == []
    refus = verifier(monde(), **ok_args(mission_id="M7", fin=D(2027, 1, 1)))
    assert regles(refus) == ["pial"]
    assert "le 01/01/2027" in refus[0].message


def test_hors_pial_any_eligible_mission_may_be_chosen():
    for mission in ("M1", "M2", "M7"):
        assert verif(mission_id=mission, decision_ids=["DI5"], uai=E2, heures=8.0,
                     fin=D(2026, 12, 31)) == []


@pytest.mark.parametrize("heures, attendu", [(0.0, ["heures"]), (-1.0, ["heures"]), (24.5, ["heures"]),
                                             (None, ["heures"]), (24.0, []), (0.5, [])])
def test_hours_are_positive_and_within_the_mission_volume(heures, attendu):
    assert verif(heures=heures) == attendu


def test_mission_cannot_be_overbooked_except_by_the_accompagnement_replaced():
    dep = monde()
    accompagner(dep, "AC1", "M1", ["DI6"], E1, D(2027, 3, 1), D(2027, 3, 31), 16.0)
    refus = verifier(dep, **ok_args())
    assert regles(refus) == ["occupation"]
    assert "déjà jusqu'à 16 h" in refus[0].message
    assert verif(dep, heures=8.0) == []
    assert verif(dep, fin=D(2027, 2, 28)) == []  # before the other accompagnement
    assert regles(verifier(dep, **ok_args(), ignorer=("AC1",))) == []


def test_etablissement_must_be_a_known_school():
    assert verif(uai="9999999X") == ["etablissement"]
    assert verif(uai=ADM) == ["etablissement"]


def test_unknown_mission_is_refused():
    assert verif(mission_id="MX") == ["mission"]


def test_period_stays_within_the_decision_unless_maintien():
    assert verif(decision_ids=["DI1"], uai=E2, debut=D(2026, 8, 31), fin=D(2026, 8, 31)) == [
        "periode_decision"
    ]
    assert verif(decision_ids=["DM2"], debut=D(2026, 9, 30), heures=6.0) == ["periode_decision"]
    assert verif(decision_ids=["DM2"], debut=D(2026, 10, 1), heures=6.0) == []


def test_maintien_starts_after_the_decision_end():
    base = dict(mission_id="M1", decision_ids=["DI5"], uai=E2, heures=8.0, maintien=True)
    refus = verifier(monde(), **ok_args(**base, debut=D(2027, 8, 31), fin=D(2027, 8, 31)))
    assert regles(refus) == ["maintien"]
    assert verif(**base, debut=D(2027, 9, 1), fin=D(2027, 12, 31)) == []
    # without the flag the same period leaves the décision
    base["maintien"] = False
    assert verif(**base, debut=D(2027, 9, 1), fin=D(2027, 12, 31)) == ["periode_decision"]


def test_several_broken_rules_are_all_reported():
    assert verif(mission_id="M2", heures=0.0, fin=D(2027, 9, 1)) == [
        "annee_scolaire", "cdd", "pial", "heures"
    ]


def test_a_cdd_ending_too_late_and_starting_too_early_reports_both():
    dep = monde()
    dep.missions["M2"].debut = D(2026, 10, 1)  # CDD from 01/10/2026 to 30/06/2027
    base = dict(mission_id="M2", decision_ids=["DI5"], uai=E2, heures=8.0)
    refus = verifier(dep, **ok_args(**base, debut=D(2026, 9, 1), fin=D(2027, 7, 1)))
    assert regles(refus) == ["cdd", "mission_couvre"]
    # the end is told once, by the CDD refusal; the other one names the start
    assert "fin proposée 01/07/2027" in refus[0].message
    assert refus[1].message.endswith(
        "ne couvre pas le début de l'accompagnement (début proposé 01/09/2026)."
    )
    assert "01/07/2027" not in refus[1].message
    # near misses: one side only breaks one rule
    assert verif(dep, **base, debut=D(2026, 10, 1), fin=D(2027, 7, 1)) == ["cdd"]
    refus = verifier(dep, **ok_args(**base, debut=D(2026, 9, 1), fin=D(2027, 6, 30)))
    assert regles(refus) == ["mission_couvre"]
    assert "ne couvre pas la période de l'accompagnement (du 01/09/2026 au 30/06/2027)" in refus[0].message


# -- verifier: a modification that only reduces the accompagnement -----------------------
def existant(mission_id, decisions, uai, debut, fin, heures) -> Accompagnement:
    return Accompagnement("AC9", mission_id, tuple(decisions), uai, debut, fin, heures)


def verif_modif(dep, avant, **changes):
    """verifier on ``avant`` changed by ``changes``, as modifier calls it."""
    args = dict(mission_id=avant.mission_id, decision_ids=list(avant.decision_ids), uai=avant.uai,
                debut=avant.debut, fin=avant.fin, heures=avant.heures)
    args.update(changes)
    return regles(verifier(dep, **args, ignorer=(avant.id,), avant=avant))


@pytest.mark.parametrize(
    "mission, regle", [("M3", "aesh_inactif"), ("M4", "mission_inactive"), ("M5", "nature_non_accompagnante")]
)
def test_a_reduction_on_a_mission_that_can_no_longer_be_chosen_is_accepted(mission, regle):
    dep = monde()
    avant = existant(mission, ["DI5"], E2, D(2026, 9, 1), D(2027, 3, 31), 8.0)
    assert verif_modif(dep, avant, fin=D(2027, 1, 31)) == []  # shortened
    assert verif_modif(dep, avant, debut=D(2026, 10, 1), heures=6.0) == []  # start later, fewer hours
    assert verif_modif(dep, avant, fin=D(2026, 12, 31), debut=D(2026, 12, 31)) == []  # ended
    # near misses: lengthening or raising the hours is choosing the mission again
    assert verif_modif(dep, avant, fin=D(2027, 4, 1)) == [regle]
    assert verif_modif(dep, avant, fin=D(2027, 1, 31), heures=8.5) == [regle]
    # and so is a modification without the former accompagnement
    assert verif(mission_id=mission, decision_ids=["DI5"], uai=E2, heures=8.0, fin=D(2027, 1, 31)) == [regle]


def test_a_reduction_is_accepted_once_the_mission_left_the_pial():
    dep = monde()
    # M7 is affected to the PIAL until 31/12/2026 only
    avant = existant("M7", ["DI1"], E1, D(2026, 9, 1), D(2027, 6, 30), 12.0)
    assert verif_modif(dep, avant, fin=D(2027, 3, 31)) == []
    assert verif_modif(dep, avant, fin=D(2027, 7, 31)) == ["pial"]  # lengthened
    # Another établissement: its PIAL, and DUPONT Léa is not schooled there.
    assert verif_modif(dep, avant, uai=TETE, fin=D(2027, 3, 31)) == ["pial", "etablissement"]


def test_hours_lowered_on_an_overbooked_mission_are_accepted_and_raised_refused():
    dep = monde()
    # M1 (24 h) carries 16 h for another élève in March besides AC9's 12 h: 28 h
    accompagner(dep, "AC1", "M1", ["DI6"], E1, D(2027, 3, 1), D(2027, 3, 31), 16.0)
    avant = existant("M1", ["DI1"], E1, D(2026, 9, 1), D(2027, 8, 31), 12.0)
    assert verif_modif(dep, avant, heures=10.0) == []
    assert verif_modif(dep, avant, fin=D(2027, 3, 15)) == []
    # near misses: more hours, even over a shorter period, ask more of the mission
    assert verif_modif(dep, avant, heures=12.5) == ["occupation"]
    assert verif_modif(dep, avant, fin=D(2027, 3, 15), heures=12.5) == ["occupation"]
    # the same mission with a lowered volume (RH): below it is still a reduction
    dep.missions["M1"].volume = 10.0
    assert verif_modif(dep, avant, heures=11.0) == []
    assert verif_modif(dep, avant, heures=12.5) == ["heures"]


def test_a_reduction_still_passes_the_period_checks():
    dep = monde()
    dep.missions["M2"].actif = False
    # the contract (CDD) was shortened to 30/06/2027 after the accompagnement was made
    avant = existant("M2", ["DI5"], E2, D(2026, 9, 1), D(2027, 8, 31), 8.0)
    assert verif_modif(dep, avant, fin=D(2027, 7, 31)) == ["cdd"]
    assert verif_modif(dep, avant, fin=D(2027, 6, 30)) == []
    assert verif_modif(dep, avant, debut=D(2027, 3, 2), fin=D(2027, 3, 1)) == ["dates"]
    dep.decisions["DI5"].fin = D(2027, 3, 31)
    assert verif_modif(dep, avant, fin=D(2027, 6, 30)) == ["periode_decision"]
    assert verif_modif(dep, avant, fin=D(2027, 3, 31)) == []


def test_a_reduction_may_drop_a_decision_but_not_add_one():
    dep = monde()
    avant = existant("M4", ["DM2", "DM3"], E2, D(2026, 10, 1), D(2027, 6, 30), 6.0)
    assert verif_modif(dep, avant, decision_ids=["DM3"]) == []
    assert verif_modif(dep, avant, decision_ids=["DM3", "DM2"], fin=D(2027, 5, 31)) == []
    seul = existant("M4", ["DM3"], E2, D(2026, 10, 1), D(2027, 6, 30), 6.0)
    # Adding a décision is a choice: MARTIN Jules is not schooled at E2 either.
    assert verif_modif(dep, seul, decision_ids=["DM3", "DM2"]) == ["mission_inactive", "etablissement"]


# -- candidats ---------------------------------------------------------------------------
def ids(cands) -> list[str]:
    return [c.mission.id for c in cands]


def test_candidates_in_a_pial_are_the_missions_affected_for_the_whole_period():
    dep = monde()
    assert ids(candidats(dep, E1, D(2026, 9, 1), D(2027, 6, 30))) == ["M1"]
    assert ids(candidats(dep, E1, D(2026, 9, 1), D(2026, 12, 31))) == ["M1", "M7"]


def test_candidates_hors_pial_are_all_eligible_missions_covering_the_period():
    dep = monde()
    assert ids(candidats(dep, E2, D(2026, 10, 1), D(2027, 6, 30))) == ["M1", "M2", "M6", "M7"]
    # M6 starts on 01/10, M2 (CDD) ends on 30/06
    assert ids(candidats(dep, E2, D(2026, 9, 30), D(2027, 6, 30))) == ["M1", "M2", "M7"]
    assert ids(candidats(dep, E2, D(2026, 10, 1), D(2027, 7, 1))) == ["M1", "M6", "M7"]


def test_candidate_fields_occupation_secteur_distance():
    dep = monde()
    accompagner(dep, "AC1", "M1", ["DI6"], E1, D(2027, 3, 1), D(2027, 3, 31), 10.0)
    accompagner(dep, "AC2", "M1", ["DI1"], E1, D(2027, 3, 15), D(2027, 4, 30), 4.0)
    par_id = {c.mission.id: c for c in candidats(dep, E2, D(2026, 10, 1), D(2027, 6, 30))}
    m1 = par_id["M1"]
    assert (m1.aesh.id, m1.occupation_max, m1.disponible, m1.secteur) == ("A1", 14.0, 10.0, "S1")
    assert m1.distance_km == pytest.approx(26.9, abs=0.1)
    assert par_id["M6"].distance_km is None and par_id["M6"].secteur is None
    assert par_id["M2"].secteur == "S2" and par_id["M2"].meme_secteur
    assert not m1.meme_secteur
    # outside the busy weeks M1 is free again
    assert candidats(dep, E2, D(2027, 5, 1), D(2027, 6, 30))[0].occupation_max == 0.0


def test_candidates_sort_by_occupation_secteur_and_distance():
    dep = monde()
    accompagner(dep, "AC1", "M1", ["DI6"], E1, D(2027, 3, 1), D(2027, 3, 31), 10.0)
    cands = candidats(dep, E2, D(2026, 10, 1), D(2027, 6, 30))
    # least occupied first; equal occupation: most available first (M6 24 h, M7 12 h… M2 20 h)
    assert ids(trier_candidats(cands, "occupation")) == ["M6", "M2", "M7", "M1"]
    # the établissement's secteur (S2) first, then by code, missions without secteur last
    assert ids(trier_candidats(cands, "secteur")) == ["M2", "M7", "M1", "M6"]
    # nearest first, unknown distance (A4 has no address coordinates) last
    assert ids(trier_candidats(cands, "distance")) == ["M1", "M7", "M2", "M6"]
    with pytest.raises(ValueError):
        trier_candidats(cands, "nom")


def test_gestionnaire_secteur_comes_first_when_given():
    cands = candidats(monde(), E2, D(2026, 10, 1), D(2027, 6, 30), secteur_gestionnaire="S1")
    assert ids(trier_candidats(cands, "secteur")) == ["M1", "M7", "M2", "M6"]


def test_candidates_for_an_invalid_etablissement_or_period_are_refused():
    assert refus_de(candidats, monde(), ADM, D(2026, 10, 1), D(2027, 6, 30)) == ["etablissement"]
    assert refus_de(candidats, monde(), E2, D(2026, 10, 1), D(2027, 9, 1)) == ["annee_scolaire"]


# -- properties ----------------------------------------------------------------------------
JOURS = st.dates(min_value=D(2025, 6, 1), max_value=D(2029, 6, 30))


@settings(max_examples=300, deadline=None)
@given(
    debut=st.dates(min_value=D(2026, 6, 1), max_value=D(2028, 3, 31)),
    duree=st.integers(min_value=-5, max_value=400),
    mission=st.sampled_from(["M1", "M2", "M6", "M7"]), uai=st.sampled_from([E1, E2]),
    decision=st.sampled_from(["DI1", "DI5", "DI6", "DM2"]), maintien=st.booleans(),
    heures=st.sampled_from([0.5, 6.0, 12.0, 24.0]),
)
def test_an_accepted_accompagnement_never_crosses_31_08(debut, duree, mission, uai, decision, maintien, heures):
    fin = debut + timedelta(days=duree)
    refus = regles(verifier(monde(), mission, [decision], uai, debut, fin, heures, maintien))
    if not refus:
        assert debut <= fin <= fin_annee(annee_scolaire(debut))
    assert ("annee_scolaire" in refus) == (debut <= fin and fin > fin_annee(annee_scolaire(debut)))


@settings(max_examples=300, deadline=None)
@given(periodes=st.lists(st.tuples(JOURS, st.integers(min_value=0, max_value=1200)), min_size=1, max_size=4),
       today=JOURS)
def test_a_proposal_stays_within_one_school_year_and_every_decision(periodes, today):
    dep = monde()
    ids_ = []
    for i, (debut, duree) in enumerate(periodes):
        dep.decisions[f"DX{i}"] = Decision(f"DX{i}", "EL2", "mutualisee", None, "Réexamen",
                                           "projet cible", debut, debut + timedelta(days=duree))
        ids_.append(f"DX{i}")
    dep.reindex()
    commun = max(d for d, _ in periodes) <= min(d + timedelta(days=n) for d, n in periodes)
    if not commun:
        assert refus_de(proposition, dep, ids_, today) == ["decisions"]
        return
    p = proposition(dep, ids_, today)
    assert p.debut <= p.fin <= fin_annee(annee_scolaire(p.debut))
    for i in ids_:
        assert dep.decisions[i].debut <= p.debut and p.fin <= dep.decisions[i].fin


@settings(max_examples=200, deadline=None)
@given(debut=st.dates(min_value=D(2026, 9, 1), max_value=D(2027, 8, 31)),
       duree=st.integers(min_value=0, max_value=330), uai=st.sampled_from([E1, E2]),
       affectations=st.lists(st.tuples(st.sampled_from(["M1", "M2", "M6", "M7"]),
                                       st.dates(min_value=D(2026, 9, 1), max_value=D(2027, 8, 31)),
                                       st.integers(min_value=0, max_value=200)), max_size=4))
def test_candidates_are_every_mission_the_rules_accept_and_only_those(debut, duree, uai, affectations):
    # candidats looks only at the missions affected to the PIAL: the same
    # missions as a scan of every mission with the rules (mission_possible).
    dep = monde()
    pial = dep.etablissements[E1].pial_uai
    for i, (mission_id, jour, jours) in enumerate(affectations):
        dep.ajouter_affectation(AffectationPial(f"AX{i}", mission_id, pial, 2026, 6.0, jour,
                                                min(jour + timedelta(days=jours), D(2027, 8, 31))))
    fin = min(debut + timedelta(days=duree), D(2027, 8, 31))
    attendus = [m.id for m in sorted(dep.missions.values(), key=lambda m: m.id)
                if mission_possible(dep, m, uai, debut, fin)]
    assert ids(candidats(dep, uai, debut, fin)) == attendus


@pytest.mark.parametrize("etat, libelle", [("gele", "gelé"), ("cloture", "clôturé")])
def test_proposition_refuses_a_dossier_that_is_not_active(etat, libelle):
    dep = monde()
    dep.eleves["EL4"].etat_dossier = etat
    with pytest.raises(RegleRefusee) as exc:
        proposition(dep, ["DM2", "DM7"], TODAY)
    assert [r.regle for r in exc.value.refus] == ["dossier"]
    assert f"PETIT Noé ({libelle})" in str(exc.value)
    assert exc.value.refus[0].decisions == ("DM7",)  # what a screen counts
    # every broken rule is told, a bad choice of décisions included
    assert refus_de(proposition, dep, ["DM2", "DM7", "DX"], TODAY) == ["decisions", "dossier"]
    dep.eleves["EL4"].etat_dossier = "actif"  # near miss: the same selection passes
    assert proposition(dep, ["DM2", "DM7"], TODAY).decision_ids == ("DM2", "DM7")


@pytest.mark.parametrize("heures", [0.0, -2.0, float("nan"), float("inf")])
def test_hours_must_be_a_positive_number(heures):
    dep = monde()
    p = proposition(dep, ["DI1"], TODAY)
    refus = verifier(dep, "M1", ["DI1"], E1, p.debut, p.fin, heures)
    assert "heures" in [r.regle for r in refus]
    assert not [r for r in verifier(dep, "M1", ["DI1"], E1, p.debut, p.fin, 6.0) if r.regle == "heures"]


# -- the same rule through the batch command (SPEC §5), on both engines ------------------
TROIS_VILLES = (("0350010A", "École du Château", "Châteaugiron"),
                ("0350020B", "École du Port", "Redon"),
                ("0350030C", "École Bourg-l'Évêque", "Rennes"))


def monde_trois_villes():
    """Three pupils with décisions mutualisées, each in a school of another
    town (issue 9 #4), and a mission hors PIAL that could carry them."""
    from monde import Monde

    m = Monde()
    for i, (uai, nom, commune) in enumerate(TROIS_VILLES, 1):
        m.etablissement(uai, nom, "Ecole", commune, 48.0, -1.6)
        m.eleve(f"E{i}", f"ELEVE{i}", "Prénom", scolarites=[(uai, D(2025, 9, 1), None)])
        m.decision(f"D{i}", f"E{i}", "mutualisee", None, D(2026, 9, 1), D(2027, 7, 4))
    # A classmate of ELEVE3 in Rennes.
    m.eleve("E4", "ELEVE4", "Prénom", scolarites=[(TROIS_VILLES[2][0], D(2025, 9, 1), None)])
    m.decision("D4", "E4", "mutualisee", None, D(2026, 9, 1), D(2027, 7, 4))
    m.aesh("A1", "MOREAU", "Claire", 48.1, -1.6)
    m.mission("M1", "A1", "HM1D", 24.0)
    return m


def test_the_command_refuses_a_mutualise_across_three_towns(stockage, url_base, capsys):
    from agesh_tui.cli import main

    monde_trois_villes().ecrire(stockage)
    for etablissement in ([], ["--etablissement", TROIS_VILLES[2][0]]):
        code = main(["accompagnement", "creer", "--mission", "M1", "--decisions", "D1,D2,D3",
                     *etablissement, "--heures", "6", "--db", url_base, "--today", TODAY.isoformat()])
        sortie = capsys.readouterr()
        assert code == 1 and sortie.out == ""
        assert sortie.err.startswith("agesh : accompagnement refusé : ")
        assert "pas scolarisés dans un même établissement" in sortie.err
        for i, (uai, nom, commune) in enumerate(TROIS_VILLES, 1):
            assert f"ELEVE{i} Prénom ({nom}, {commune} ({uai}))" in sortie.err
    with stockage.lecture() as tx:
        assert tx.lignes("SELECT COUNT(*) FROM accompagnement") == [(0,)]
    # Near miss: two pupils of one school share an accompagnement.
    code = main(["accompagnement", "creer", "--mission", "M1", "--decisions", "D3,D4",
                 "--heures", "6", "--db", url_base, "--today", TODAY.isoformat(), "--json"])
    assert code == 0 and json.loads(capsys.readouterr().out)["uai"] == TROIS_VILLES[2][0]


def test_refused_missions_say_why_nearest_first_and_full_ones_too():
    """The form shows, on demand, why a mission is not offered (issue 10)."""
    dep = monde()
    debut, fin = D(2026, 9, 1), D(2026, 12, 31)
    offertes = ids(candidats(dep, E1, debut, fin))
    refusees = {r.mission.id: [x.regle for x in r.raisons] for r in missions_refusees(dep, E1, debut, fin)}
    assert offertes == ["M1", "M7"] and not set(offertes) & set(refusees)
    assert refusees == {
        "M2": ["pial"], "M3": ["aesh_inactif", "pial"], "M4": ["mission_inactive", "pial"],
        "M5": ["nature_non_accompagnante", "pial"], "M6": ["mission_couvre", "pial"],
    }
    # Nearest AESH first (A1, A5…), unknown distance last (A4 has no coordinates).
    ordre = [r.mission.id for r in missions_refusees(dep, E1, debut, fin)]
    assert ordre[:3] == ["M4", "M5", "M2"] and ordre[-1] == "M6"
    # A mission that could, but is full on the period: « occupée », with its hours.
    accompagner(dep, "AC1", "M7", ["DI1"], E1, D(2026, 9, 1), D(2026, 12, 31), 12.0)
    plein = next(r for r in missions_refusees(dep, E1, debut, fin) if r.mission.id == "M7")
    assert [x.regle for x in plein.raisons] == ["occupation"]
    assert plein.raisons[0].message == "la mission M7 est occupée 12 h / 12 h du 01/09/2026 au 31/12/2026."
    assert "M7" not in ids([c for c in candidats(dep, E1, debut, fin) if c.disponible > 0])
    # A mission outside the period is not listed at all; at most ``limite``.
    assert "M6" not in {r.mission.id for r in missions_refusees(dep, E1, D(2026, 9, 1), D(2026, 9, 30))}
    assert len(missions_refusees(dep, E1, debut, fin, limite=2)) == 2
    assert missions_refusees(dep, ADM, debut, fin) == []

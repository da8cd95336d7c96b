"""Affectations by hand (SPEC F11, guide §9.1, §9.4): the pure rules
(volume disponible, refusals, PIAL of a perimeter, décisions of a PIAL, the
hors-PIAL row) and the operations affecter / modifier le volume / retirer on
each engine — one transaction, journaled, refused when stale, nothing
written when refused."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from agesh_tui.engine.modele.model import AffectationPial
from agesh_tui.engine.operations.agregats import lire_agregats, recalculer
from agesh_tui.engine.operations.pial import affecter, modifier_volume, retirer
from agesh_tui.engine.regles.accompagnement import RegleRefusee
from agesh_tui.engine.regles.formule import FORMULE_PAR_DEFAUT
from agesh_tui.engine.regles.pial import (
    chiffres_hors_pial,
    decisions_dans,
    hors_pial,
    piaux_du_perimetre,
    verifier_affectation,
    verifier_volume,
    volume_disponible,
)
from agesh_tui.engine.stockage import StaleWriteError, StoreError
from agesh_tui.engine.stockage.chargement import charger
from monde import contenu
from monde_pial import ECOLE_B, HORS_PIAL, PIAL_A, PIAL_C, mission, monde_pial

ANNEE = 2026


def un_monde():
    """M1 (24 h) affected 10 h to PIAL C; M2 free; M3 inactive; M4 of an
    earlier year; pupils in PIAL A (two), in the école B, hors PIAL."""
    m = monde_pial()
    m.secteur("S1", "Nord", [PIAL_A, ECOLE_B])
    m.secteur("S2", "Sud", [PIAL_C, HORS_PIAL])
    m.aesh("A1")
    m.aesh("A2")
    mission(m, "M1", "A1", volume=24.0)
    mission(m, "M2", "A2", nature="AHRE", volume=10.0)
    mission(m, "M3", "A1", actif=False)
    mission(m, "M4", "A2", debut=date(2023, 9, 1), fin=date(2024, 8, 31))
    m.affectation("AF2026-000001", "M1", PIAL_C, 10.0)
    m.eleve("E1", scolarites=[(PIAL_A, date(2020, 9, 1), None)])
    m.eleve("E2", scolarites=[(ECOLE_B, date(2020, 9, 1), None)])
    m.eleve("E3", scolarites=[(HORS_PIAL, date(2020, 9, 1), None)])
    m.eleve("E4", scolarites=[(PIAL_C, date(2020, 9, 1), date(2021, 8, 31))])
    m.decision("D1", "E1", "individuelle", 12.0)
    m.decision("D2", "E2", "mutualisee")
    m.decision("D3", "E3", "individuelle", 6.0)
    m.decision("D4", "E4", "individuelle", 6.0)  # schooled in C years ago: counts nowhere
    return m


# -- pure rules --------------------------------------------------------------------------------
def test_volume_disponible_is_the_volume_less_the_affectations_of_the_year():
    dep = un_monde().departement()
    m1 = dep.missions["M1"]
    assert volume_disponible(dep, m1, ANNEE) == 14.0
    assert volume_disponible(dep, m1, ANNEE, ignorer="AF2026-000001") == 24.0
    assert volume_disponible(dep, m1, 2027) == 24.0  # another year: all free


def test_an_affectation_is_refused_above_the_volume_disponible_and_accepted_at_it():
    dep = un_monde().departement()
    assert verifier_affectation(dep, "M1", PIAL_A, ANNEE, 14.0) == []
    refus = verifier_affectation(dep, "M1", PIAL_A, ANNEE, 14.5)
    assert [r.regle for r in refus] == ["volume"]
    assert "14 h au plus" in refus[0].message
    assert [r.regle for r in verifier_affectation(dep, "M1", PIAL_A, ANNEE, 0)] == ["volume"]


@pytest.mark.parametrize("mission_id, pial, annee, regle", [
    ("M9", PIAL_A, ANNEE, "mission"),  # unknown
    ("M2", ECOLE_B, ANNEE, "pial"),  # not a tête de PIAL
    ("M3", PIAL_A, ANNEE, "mission"),  # inactive
    ("M4", PIAL_A, ANNEE, "periode"),  # not valid during the year
    ("M1", PIAL_C, ANNEE, "deja"),  # already affected there: change its volume instead
])
def test_what_cannot_be_affected_says_why(mission_id, pial, annee, regle):
    dep = un_monde().departement()
    assert [r.regle for r in verifier_affectation(dep, mission_id, pial, annee, 5.0)] == [regle]


def test_a_new_volume_may_take_the_whole_mission_but_not_more():
    dep = un_monde().departement()
    a = dep.affectations["AF2026-000001"]
    assert verifier_volume(dep, a, 24.0) == []
    assert [r.regle for r in verifier_volume(dep, a, 24.5)] == ["volume"]


def test_the_pial_of_a_perimeter_and_the_etablissements_hors_pial():
    dep = un_monde().departement()
    assert piaux_du_perimetre(dep, ()) == [PIAL_A, PIAL_C]
    assert piaux_du_perimetre(dep, ("S1",)) == [PIAL_A]
    assert piaux_du_perimetre(dep, ("S2",)) == [PIAL_C]
    assert hors_pial(dep) == [HORS_PIAL]
    assert hors_pial(dep, ("S1",)) == []


def test_the_decisions_of_a_pial_are_those_of_its_pupils_schooled_there_during_the_year():
    dep = un_monde().departement()
    assert decisions_dans(dep, dep.membres_pial[PIAL_A], ANNEE) == ["D1", "D2"]
    assert decisions_dans(dep, dep.membres_pial[PIAL_C], ANNEE) == []
    assert decisions_dans(dep, [HORS_PIAL], ANNEE) == ["D3"]


def test_the_hors_pial_row_counts_its_pupils_and_the_missions_it_employs():
    m = un_monde()
    mission(m, "M5", "A2", volume=20.0, debut=date(2026, 9, 1), fin=date(2027, 8, 31),
            employeur=HORS_PIAL)
    dep = m.departement()
    h = chiffres_hors_pial(dep, [HORS_PIAL], ANNEE, FORMULE_PAR_DEFAUT)
    assert (h.decisions_individuelles, h.decisions_mutualisees, h.besoin) == (1, 0, 6.0)
    assert (h.missions, h.moyens) == (1, 20.0)
    assert h.couverture == pytest.approx(20.0 / 6.0 * 100)


# -- operations on each engine ---------------------------------------------------------------
def base(stockage):
    un_monde().ecrire(stockage)
    return stockage


def lignes(store):
    with store.lecture() as tx:
        return tx.lignes("SELECT id, mission_id, pial_uai, annee, volume, debut, fin, version "
                         "FROM affectation_pial ORDER BY id")


def journal(store):
    with store.lecture() as tx:
        return tx.lignes("SELECT login, action, detail FROM journal ORDER BY id")


def test_affecter_writes_the_row_the_journal_and_the_memory_in_one_go(stockage):
    store = base(stockage)
    dep = charger(store)
    a = affecter(store, dep, "paul", "M1", PIAL_A, ANNEE, 14.0)
    assert a == AffectationPial("AF2026-000002", "M1", PIAL_A, ANNEE, 14.0, date(2026, 9, 1),
                                date(2027, 8, 31))
    assert lignes(store)[-1] == ("AF2026-000002", "M1", PIAL_A, 2026, 14.0, "2026-09-01",
                                 "2027-08-31", 1)
    assert journal(store)[-1][:2] == ("paul", "affectation_pial")
    assert "mission M1 (NOMA1 Anne) au PIAL Collège A (0350001A), 14 h, 2026-2027" in journal(store)[-1][2]
    assert dep.affectations["AF2026-000002"] == a
    assert dep.changements == store.changements()
    assert volume_disponible(dep, dep.missions["M1"], ANNEE) == 0.0


def test_a_refused_affectation_writes_nothing(stockage):
    store = base(stockage)
    dep = charger(store)
    avant = contenu(store)
    with pytest.raises(RegleRefusee, match="14 h au plus"):
        affecter(store, dep, "paul", "M1", PIAL_A, ANNEE, 15.0)
    assert contenu(store) == avant


def test_affecter_is_refused_when_the_mission_was_affected_elsewhere_meanwhile(stockage):
    store = base(stockage)
    ici, ailleurs = charger(store), charger(store)
    affecter(store, ailleurs, "malo", "M1", PIAL_A, ANNEE, 14.0)
    avant = contenu(store)
    # Here, 14 h still look free: the base says otherwise.
    with pytest.raises(StaleWriteError, match="rechargez"):
        affecter(store, ici, "paul", "M1", PIAL_A, ANNEE, 14.0)
    assert contenu(store) == avant


def test_modifier_volume_22_to_20_then_stale_version_refused(stockage):
    store = base(stockage)
    dep = charger(store)
    a = affecter(store, dep, "paul", "M1", PIAL_A, ANNEE, 14.0)
    b = modifier_volume(store, dep, "paul", a.id, a.version, 12.0)
    assert (b.volume, b.version) == (12.0, 2)
    assert lignes(store)[-1][4:] == (12.0, "2026-09-01", "2027-08-31", 2)
    assert dep.affectations[a.id] == b and dep.affectations_par_mission["M1"].count(b) == 1
    assert "au lieu de 14 h" in journal(store)[-1][2]
    # Another session shows version 1 still: refused, nothing written.
    avant = contenu(store)
    with pytest.raises(StaleWriteError, match="modifié par ailleurs"):
        modifier_volume(store, charger(store), "malo", a.id, 1, 10.0)
    assert contenu(store) == avant


def test_modifier_volume_refused_above_the_mission(stockage):
    store = base(stockage)
    dep = charger(store)
    with pytest.raises(RegleRefusee, match="24 h au plus"):
        modifier_volume(store, dep, "paul", "AF2026-000001", 1, 25.0)


def test_retirer_removes_the_row_and_frees_the_hours(stockage):
    store = base(stockage)
    dep = charger(store)
    retirer(store, dep, "paul", "AF2026-000001", 1)
    assert lignes(store) == []
    assert "AF2026-000001" not in dep.affectations
    assert "M1" not in dep.affectations_par_mission
    assert volume_disponible(dep, dep.missions["M1"], ANNEE) == 24.0
    assert journal(store)[-1][2].startswith("Affectation AF2026-000001 retirée")
    with pytest.raises(StoreError, match="n'existe plus"):
        retirer(store, dep, "paul", "AF2026-000001", 1)


def test_retirer_a_stale_version_is_refused(stockage):
    store = base(stockage)
    dep = charger(store)
    modifier_volume(store, charger(store), "malo", "AF2026-000001", 1, 8.0)
    avant = contenu(store)
    with pytest.raises(StaleWriteError):
        retirer(store, dep, "paul", "AF2026-000001", 1)
    assert contenu(store) == avant


def test_an_affectation_makes_the_stored_aggregates_stale(stockage):
    store = base(stockage)
    dep = charger(store)
    recalculer(store, dep, ANNEE, datetime(2026, 11, 22, 10, 0))
    assert all(a.a_jour for a in lire_agregats(store, ANNEE))
    affecter(store, dep, "paul", "M1", PIAL_A, ANNEE, 14.0)
    assert not any(a.a_jour for a in lire_agregats(store, ANNEE))

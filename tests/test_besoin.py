"""Expression du besoin and PIAL aggregates (SPEC §2.5): counts, besoin,
day-weighted moyens, couverture, stored aggregates and their staleness."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from agesh_tui.cli import main
from agesh_tui.engine.operations.agregats import (
    enregistrer_formule,
    lire_agregats,
    lire_formule,
    recalculer,
    supprimer_formule,
)
from agesh_tui.engine.regles.besoin import agregats, formule_de
from agesh_tui.engine.regles.formule import FORMULE_PAR_DEFAUT, FormuleError
from agesh_tui.engine.stockage import StaleWriteError, StoreError
from agesh_tui.engine.stockage.chargement import charger
from monde import contenu
from monde_pial import ECOLE_B, HORS_PIAL, PIAL_A, PIAL_C, mission, monde_pial

ANNEE = 2026
RENTREE, FIN = date(2026, 9, 1), date(2027, 8, 31)
MAINTENANT = datetime(2026, 11, 22, 10, 30)


def par_pial(m, annee=ANNEE, formule=None):
    """The aggregates of the world ``m``, in memory, by PIAL."""
    return {a.pial_uai: a for a in agregats(m.departement(), annee, formule)}


def mutualisees(m, n, uai=PIAL_A):
    for i in range(n):
        m.eleve(f"M{i}", scolarites=[(uai, date(2020, 9, 1), None)])
        m.decision(f"DM{i}", f"M{i}", "mutualisee")


@pytest.mark.parametrize("cm, heures", [(0, 0), (4, 24), (5, 32), (11, 88)])
def test_besoin_with_the_default_formula(cm, heures):
    m = monde_pial()
    mutualisees(m, cm)
    a = par_pial(m)[PIAL_A]
    assert (a.decisions_mutualisees, a.decisions_individuelles) == (cm, 0)
    assert a.besoin == heures


def test_counts_hours_and_besoin_add_individual_hours_to_the_formula():
    m = monde_pial()
    m.eleve("E1", scolarites=[(ECOLE_B, date(2020, 9, 1), None)])  # école member of PIAL A
    m.eleve("E2", scolarites=[(PIAL_A, date(2020, 9, 1), None)])
    m.decision("D1", "E1", heures=12.0)
    m.decision("D2", "E2", heures=6.5)
    m.decision("D3", "E2", "mutualisee")
    result = par_pial(m)
    a = result[PIAL_A]
    assert (a.decisions_individuelles, a.decisions_mutualisees) == (2, 1)
    assert a.heures_individuelles == 18.5
    assert a.besoin == 18.5 + 24
    assert list(result) == [PIAL_A, PIAL_C]  # every tête de PIAL, even without décision
    c = result[PIAL_C]
    assert (c.decisions_individuelles, c.decisions_mutualisees, c.besoin, c.couverture) == (
        0, 0, 0, None)


def test_only_decisions_of_the_year_schooled_in_the_pial_on_the_overlap_count():
    m = monde_pial()
    m.eleve("E1", scolarites=[(PIAL_A, date(2020, 9, 1), None)])
    m.decision("AVANT", "E1", debut=date(2025, 9, 1), fin=date(2026, 8, 31))
    m.decision("APRES", "E1", debut=date(2027, 9, 1), fin=date(2028, 8, 31))
    m.decision("UN_JOUR", "E1", debut=date(2027, 8, 31), fin=date(2028, 8, 31))  # counts
    # schooled in the PIAL only before the décision's part of the year: counts nowhere
    m.eleve("E2", scolarites=[(PIAL_A, date(2020, 9, 1), date(2026, 12, 31))])
    m.decision("TARDIVE", "E2", debut=date(2027, 1, 1), fin=date(2027, 6, 30))
    m.eleve("E3", scolarites=[(HORS_PIAL, date(2020, 9, 1), None)])
    m.decision("HORS", "E3")
    m.eleve("E4")  # no scolarité at all
    m.decision("SANS", "E4")
    a = par_pial(m)[PIAL_A]
    assert (a.decisions_individuelles, a.heures_individuelles) == (1, 12.0)


def test_a_decision_counts_in_each_pial_of_the_year_and_once_per_pial():
    m = monde_pial()
    m.eleve("E1", scolarites=[
        (ECOLE_B, date(2024, 9, 1), date(2026, 10, 31)),
        (PIAL_A, date(2026, 11, 1), date(2027, 1, 31)),  # same PIAL: still one décision
        (PIAL_C, date(2027, 2, 1), None),
    ])
    m.decision("D1", "E1", heures=10.0)
    result = par_pial(m)
    assert result[PIAL_A].decisions_individuelles == 1
    assert result[PIAL_A].heures_individuelles == 10.0
    assert result[PIAL_C].decisions_individuelles == 1


def test_moyens_are_day_weighted_over_the_year():
    m = monde_pial()
    m.aesh("A1")
    mission(m, "M1")
    # 01/09/2026 – 28/02/2027 = 181 of the 365 days of 2026-2027
    m.affectation("AF1", "M1", PIAL_A, 24.0, RENTREE, date(2027, 2, 28))
    m.affectation("AF2", "M1", PIAL_C, 10.0, RENTREE, FIN)
    m.affectation("AF3", "M1", PIAL_A, 99.0, date(2025, 9, 1), date(2026, 8, 31), annee=2025)
    result = par_pial(m)
    assert result[PIAL_A].moyens == pytest.approx(24.0 * 181 / 365)
    assert result[PIAL_C].moyens == pytest.approx(10.0)
    assert par_pial(m, 2025)[PIAL_A].moyens == pytest.approx(99.0)


def test_a_leap_year_has_366_days():
    m = monde_pial()
    m.aesh("A1")
    mission(m, "M1")
    m.affectation("AF1", "M1", PIAL_A, 36.6, date(2027, 9, 1), date(2028, 2, 29), annee=2027)
    # 30+31+30+31+31+29 = 182 days of 366 (29/02/2028)
    assert par_pial(m, 2027)[PIAL_A].moyens == pytest.approx(36.6 * 182 / 366)


def test_couverture_is_moyens_over_besoin_in_percent():
    m = monde_pial()
    mutualisees(m, 4)  # besoin 24 h
    m.aesh("A1")
    mission(m, "M1")
    m.affectation("AF1", "M1", PIAL_A, 18.0, RENTREE, FIN)
    a = par_pial(m)[PIAL_A]
    assert a.couverture == pytest.approx(75.0)
    # without besoin there is no couverture, even with moyens
    m.affectation("AF2", "M1", PIAL_C, 18.0, RENTREE, FIN)
    assert par_pial(m)[PIAL_C].couverture is None


def test_the_formula_of_the_year_and_an_explicit_one():
    m = monde_pial()
    mutualisees(m, 3)
    dep = m.departement()
    assert formule_de(dep, ANNEE) == FORMULE_PAR_DEFAUT
    dep.parametres.formules[ANNEE] = "cM * 10"
    assert formule_de(dep, ANNEE) == "cM * 10"
    assert formule_de(dep, 2025) == FORMULE_PAR_DEFAUT
    assert {a.pial_uai: a for a in agregats(dep, ANNEE)}[PIAL_A].besoin == 30
    m.formules[ANNEE] = "cM * 10"  # the world's own formula: the same
    assert par_pial(m)[PIAL_A].besoin == 30
    assert par_pial(m, formule="cM * 2 + cI + hI")[PIAL_A].besoin == 6


def test_a_formula_failing_on_a_pial_names_it():
    m = monde_pial()
    mutualisees(m, 2)
    with pytest.raises(FormuleError) as err:
        agregats(m.departement(), ANNEE, "hI / cI")
    assert err.value.position == 3
    assert "division par zéro" in str(err.value)
    assert PIAL_A in str(err.value)


# -- stored aggregates (each engine) ------------------------------------------------------

@pytest.fixture
def store(stockage):
    m = monde_pial()
    mutualisees(m, 5)
    m.eleve("E1", scolarites=[(PIAL_C, date(2020, 9, 1), None)])
    m.decision("D1", "E1", heures=12.0)
    m.aesh("A1")
    mission(m, "M1")
    m.affectation("AF1", "M1", PIAL_A, 16.0, RENTREE, FIN)
    m.ecrire(stockage)
    return stockage


def ecrire(store, sql, params=()):
    """Another session writes."""
    with store.ecriture() as tx:
        tx.execute(sql, params)


def test_recalcul_stores_the_aggregates_up_to_date(store):
    dep = charger(store)
    assert recalculer(store, dep, ANNEE, MAINTENANT) == 2
    lus = lire_agregats(store, ANNEE)
    assert [(a.pial_uai, a.decisions_mutualisees, a.decisions_individuelles, a.besoin,
             a.moyens, a.couverture, a.a_jour, a.calcule_le) for a in lus] == [
        (PIAL_A, 5, 0, 32.0, 16.0, 50.0, True, MAINTENANT),
        (PIAL_C, 0, 1, 12.0, 0.0, 0.0, True, MAINTENANT),
    ]
    assert lire_agregats(store, 2025) == []


def test_any_write_after_the_recalcul_makes_the_aggregates_stale(store):
    recalculer(store, charger(store), ANNEE, MAINTENANT)
    ecrire(store, "UPDATE aesh SET transport = 'vélo' WHERE id = 'A1'")
    assert [a.a_jour for a in lire_agregats(store, ANNEE)] == [False, False]
    recalculer(store, charger(store), ANNEE, MAINTENANT)
    assert [a.a_jour for a in lire_agregats(store, ANNEE)] == [True, True]


def test_recalcul_replaces_the_rows_of_the_year_only(store):
    dep = charger(store)
    recalculer(store, dep, 2025, MAINTENANT)
    recalculer(store, dep, ANNEE, MAINTENANT)
    ecrire(store, "UPDATE etablissement SET pial_uai = ? WHERE uai = ?", (PIAL_A, PIAL_C))
    dep = charger(store)
    recalculer(store, dep, ANNEE, MAINTENANT)
    a, = lire_agregats(store, ANNEE)
    assert (a.pial_uai, a.decisions_individuelles, a.decisions_mutualisees) == (PIAL_A, 1, 5)
    assert len(lire_agregats(store, 2025)) == 2


def test_recalcul_refuses_data_behind_the_store(store):
    dep = charger(store)
    ecrire(store, "DELETE FROM decision WHERE id = 'D1'")
    avant = contenu(store)
    with pytest.raises(StoreError, match="rechargez"):
        recalculer(store, dep, ANNEE, MAINTENANT)
    assert contenu(store) == avant


def test_changing_the_formula_makes_the_aggregates_stale(store):
    dep = charger(store)
    recalculer(store, dep, ANNEE, MAINTENANT)
    compteur = store.changements()
    assert enregistrer_formule(store, ANNEE, "cM * 10", dep) is True
    assert store.changements() == compteur + 1
    assert dep.parametres.formules[ANNEE] == "cM * 10"
    assert [a.a_jour for a in lire_agregats(store, ANNEE)] == [False, False]
    # dep was kept in step: the recalcul works without reloading and uses the new formula
    recalculer(store, dep, ANNEE, MAINTENANT)
    a, c = lire_agregats(store, ANNEE)
    assert (a.besoin, a.a_jour, c.a_jour) == (50.0, True, True)
    assert charger(store).parametres.formules == {ANNEE: "cM * 10"}


def test_storing_the_same_formula_again_writes_nothing(store):
    enregistrer_formule(store, ANNEE, "cM * 10")
    recalculer(store, charger(store), ANNEE, MAINTENANT)
    avant = contenu(store)
    assert enregistrer_formule(store, ANNEE, "cM * 10") is False
    assert contenu(store) == avant
    assert all(a.a_jour for a in lire_agregats(store, ANNEE))


def test_a_formula_changed_meanwhile_is_not_overwritten(store):
    texte, version = lire_formule(store, ANNEE)
    assert (texte, version) == (None, 0)
    assert enregistrer_formule(store, ANNEE, "cM * 10", version_attendue=version) is True
    texte, version = lire_formule(store, ANNEE)
    assert (texte, version) == ("cM * 10", 1)
    enregistrer_formule(store, ANNEE, "cM * 12", version_attendue=version)  # another superviseur
    avant = contenu(store)
    with pytest.raises(StaleWriteError, match="modifiée par ailleurs"):
        enregistrer_formule(store, ANNEE, "cM * 8", version_attendue=version)
    assert contenu(store) == avant
    assert lire_formule(store, ANNEE) == ("cM * 12", 2)


def test_removing_the_formula_brings_back_the_default(store):
    dep = charger(store)
    enregistrer_formule(store, ANNEE, "cM * 10", dep)
    assert supprimer_formule(store, ANNEE, dep) is True
    assert supprimer_formule(store, ANNEE, dep) is False
    assert formule_de(dep, ANNEE) == FORMULE_PAR_DEFAUT
    assert charger(store).parametres.formules == {}


def test_an_invalid_formula_is_refused_with_its_position_and_nothing_written(store):
    recalculer(store, charger(store), ANNEE, MAINTENANT)
    avant, compteur = contenu(store), store.changements()
    with pytest.raises(FormuleError) as err:
        enregistrer_formule(store, ANNEE, "intdiv(cM, 5) * 32 +")
    assert err.value.position == 20
    assert err.value.message == "fin de formule inattendue"
    assert contenu(store) == avant
    assert store.changements() == compteur
    assert all(a.a_jour for a in lire_agregats(store, ANNEE))


def test_a_formula_failing_at_recalcul_writes_nothing(store):
    dep = charger(store)
    recalculer(store, dep, ANNEE, MAINTENANT)
    enregistrer_formule(store, ANNEE, "hI / cI", dep)  # PIAL A has no décision individuelle
    avant = contenu(store)
    with pytest.raises(FormuleError, match=PIAL_A):
        recalculer(store, dep, ANNEE, MAINTENANT)
    assert contenu(store) == avant


# -- commands ---------------------------------------------------------------------------

def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_besoin_command_evaluates_a_formula(capsys):
    status, out, err = run(capsys, "besoin", "--formule", "cM * 2 + cI + hI", "--cm", "3",
                           "--ci", "2", "--hi", "4.5", "--json")
    assert (status, json.loads(out), err) == (0, {"heures": 12.5}, "")
    status, out, _ = run(capsys, "besoin", "--cm", "11", "--json")
    assert json.loads(out) == {"heures": 88}


def test_besoin_command_shows_where_a_formula_is_wrong(capsys):
    status, out, err = run(capsys, "besoin", "--formule", "intdiv(cM, 5) * x", "--cm", "3",
                           "--json")
    assert (status, out) == (1, "")
    lignes = err.splitlines()
    assert lignes[0] == ("agesh : formule invalide, colonne 17 : variable inconnue « x » "
                         "(variables : cM, cI, hI)")
    assert lignes[1] == "    intdiv(cM, 5) * x"
    assert lignes[2] == "    " + " " * 16 + "^"


def test_pial_command_without_aggregates_says_how_to_get_them(capsys, store, url_base):
    status, out, err = run(capsys, "pial", "--db", url_base, "--annee", "2026", "--json")
    assert (status, out) == (1, "")
    assert err == ("agesh : aucun agrégat pour 2026-2027 : "
                   "lancez « agesh recalcul --annee 2026 »\n")


def test_recalcul_then_pial_commands(capsys, store, url_base):
    db = url_base
    status, out, _ = run(capsys, "recalcul", "--db", db, "--annee", "2026", "--json",
                         "--today", "2026-11-22")
    assert (status, json.loads(out)) == (0, {"pial": 2})
    status, out, _ = run(capsys, "pial", "--db", db, "--annee", "2026", "--json")
    lignes = json.loads(out)
    assert [{k: l[k] for k in ("pial_uai", "decisions_individuelles", "decisions_mutualisees",
                               "besoin", "moyens", "couverture", "a_jour")} for l in lignes] == [
        {"pial_uai": PIAL_A, "decisions_individuelles": 0, "decisions_mutualisees": 5,
         "besoin": 32.0, "moyens": 16.0, "couverture": 50.0, "a_jour": True},
        {"pial_uai": PIAL_C, "decisions_individuelles": 1, "decisions_mutualisees": 0,
         "besoin": 12.0, "moyens": 0.0, "couverture": 0.0, "a_jour": True},
    ]
    assert lignes[0]["calcule_le"].startswith("2026-11-22T")
    status, out, _ = run(capsys, "pial", "--db", db, "--today", "2026-11-22")
    assert "Collège A" in out and "50.0 %" in out and "à jour" in out


def test_formule_command_stores_and_pial_command_then_says_stale(capsys, store, url_base):
    db = url_base
    run(capsys, "recalcul", "--db", db, "--annee", "2026")
    status, out, _ = run(capsys, "formule", "--db", db, "--annee", "2026", "cM * 10")
    assert status == 0
    assert "Formule 2026-2027 : cM * 10" in out
    assert "agesh recalcul --annee 2026" in out
    status, out, _ = run(capsys, "pial", "--db", db, "--annee", "2026")
    assert status == 0
    assert "ne sont plus à jour" in out and "agesh recalcul --annee 2026" in out
    status, out, _ = run(capsys, "pial", "--db", db, "--annee", "2026", "--json")
    assert {l["a_jour"] for l in json.loads(out)} == {False}


def test_formule_command_refuses_an_invalid_formula(capsys, store, url_base):
    avant = contenu(store)
    status, out, err = run(capsys, "formule", "--db", url_base, "--annee", "2026", "cM +* 2")
    assert status == 1
    assert err.startswith("agesh : formule invalide, colonne 5 : opérateur inattendu « * »")
    assert err.splitlines()[2] == "    " + " " * 4 + "^"
    assert contenu(store) == avant
    status, out, _ = run(capsys, "formule", "--db", url_base, "--annee", "2026", "--json")
    assert json.loads(out) == {"annee": 2026, "formule": FORMULE_PAR_DEFAUT, "par_defaut": True,
                               "modifiee": False}

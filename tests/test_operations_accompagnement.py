"""Writes of accompagnements on a real base of each engine (SPEC §2.3.8–9)
and the ``agesh accompagnement`` command."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agesh_tui.cli import main
from agesh_tui.engine.echange.ecriture import exporter
from agesh_tui.engine.echange.lecture import importer
from agesh_tui.engine.operations.accompagnement import (
    RegleRefusee,
    creer,
    inserer,
    maintenir,
    modifier,
    supprimer,
)
from agesh_tui.engine.stockage import StaleWriteError, StoreError, ouvrir
from agesh_tui.engine.stockage.chargement import charger
from agesh_tui.engine.stockage.schema import MIGRATIONS, SCHEMA_VERSION
from agesh_tui.engine.stockage.sqlite import DIALECTE as SQLITE
from agesh_tui.engine.stockage.tables import vider
from agesh_tui.engine.stockage.transaction import Transaction
from bases import MOTEURS, url_de
from monde import Monde, ecrire_lignes

TODAY = date(2026, 11, 22)
QUAND = datetime(2026, 11, 22, 10, 30)
D = date
E1, TETE, E2 = "0350001A", "0350100T", "0350002B"


def monde_accompagnement() -> Monde:
    """Two écoles of two secteurs, one in the PIAL of a collège; three
    élèves, an individual and two mutualised décisions; two AESH (one
    prévisionnel) with three missions, M1 affected to the PIAL."""
    m = Monde()
    m.etablissement(E1, "École Jules Ferry", "Ecole", "Rennes", 48.11, -1.68, TETE,
                    circonscription="Rennes 1")
    m.etablissement(TETE, "Collège Anne de Bretagne", "Collège", "Rennes", 48.12, -1.67, TETE,
                    circonscription="Rennes 1", ulis=True)
    m.etablissement(E2, "École des Landes", "Ecole", "Acigné", 47.90, -1.50, None,
                    code_commune="35001", code_postal="35690", circonscription="Rennes 2")
    m.secteur("S1", "Rennes nord", [E1, TETE], "Mme ROBIN", "erseh1@ac.fr")
    m.secteur("S2", "Sud", [E2], "M. PETIT", "erseh2@ac.fr")
    m.eleve("EL1", "DUPONT", "Léa")
    m.eleve("EL2", "MARTIN", "Jules")
    m.eleve("EL3", "BERNARD", "Zoé")
    m.scolarite("SC1", "EL1", E1, D(2025, 9, 1), None, "CM1")
    m.scolarite("SC2", "EL2", E2, D(2025, 9, 1), None, "CE2")
    m.scolarite("SC3", "EL3", E2, D(2025, 9, 1), None, "CP")
    for ident, eleve, type_, heures, debut, fin in (
        ("DI1", "EL1", "individuelle", 12.0, D(2026, 9, 1), D(2028, 8, 31)),
        ("DM2", "EL2", "mutualisee", None, D(2026, 10, 1), D(2027, 12, 31)),
        ("DM3", "EL3", "mutualisee", None, D(2026, 9, 15), D(2027, 6, 30)),
        ("DI5", "EL3", "individuelle", 8.0, D(2026, 9, 1), D(2027, 3, 31)),
    ):
        m.decision(ident, eleve, type_, heures, debut, fin, origine="Réexamen")
    m.aesh("A1", "MARTIN", "Anne", 48.11, -1.68)
    m.aesh("A3", "ROUX", "Hugo", source="previsionnel", civilite="M.", code_postal="",
           commune="")
    m.mission("M1", "A1", "HP1D", 24.0, D(2020, 9, 1), None, "CDI", 100.0, TETE, TETE)
    m.mission("M2", "A1", "HI1D", 20.0, D(2026, 9, 1), D(2027, 6, 30), "CDD", 80.0, E2, E2)
    m.mission("M8", "A3", "HM1D", 15.0, D(2026, 9, 1), D(2027, 8, 31), "CDD", 60.0,
              source="previsionnel")
    m.affectation("AF1", "M1", TETE, 24.0, D(2026, 9, 1), D(2027, 8, 31))
    m.affectation("AF2", "M1", TETE, 24.0, D(2027, 9, 1), D(2028, 8, 31))
    return m


@pytest.fixture
def monde(stockage):
    monde_accompagnement().ecrire(stockage)
    return stockage, charger(stockage)


def lignes(store, sql: str, params=()) -> list[tuple]:
    with store.lecture() as tx:
        return tx.lignes(sql, params)


def messages(store) -> list[tuple]:
    return lignes(store, "SELECT auteur, texte, destinataire, secteur_code FROM message ORDER BY id")


def journal(store) -> list[tuple]:
    return lignes(store, "SELECT login, action, detail FROM journal ORDER BY id")


def ecrit_ailleurs(store, *accompagnements: tuple) -> None:
    """Another session (an import, the demo) writes accompagnements of no
    décision, as they are: (id, mission, uai, début, fin)."""
    m = Monde()
    for ident, mission, uai, debut, fin in accompagnements:
        m.accompagnement(ident, mission, (), uai, debut, fin, 1.0)
    with store.ecriture() as tx:
        ecrire_lignes(tx, m)


def assert_memoire_a_jour(store, dep):
    """The in-memory département equals a fresh load of the store."""
    frais = charger(store)
    assert dep.accompagnements == frais.accompagnements
    for index in ("accompagnements_par_mission", "accompagnements_par_decision"):
        ici = {k: sorted(a.id for a in v) for k, v in getattr(dep, index).items()}
        la = {k: sorted(a.id for a in v) for k, v in getattr(frais, index).items()}
        assert ici == la, index
    assert dep.changements == store.changements()


def jours(debut: date, fin: date) -> set[date]:
    return {debut + timedelta(days=i) for i in range((fin - debut).days + 1)}


def jours_couverts(dep, decision_id: str) -> set[date]:
    out: set[date] = set()
    for acc in dep.accompagnements_par_decision.get(decision_id, ()):
        out |= jours(acc.debut, acc.fin)
    return out


def heures_par_jour(dep, decision_id: str) -> dict[date, float]:
    """Σ hours of the décision's accompagnements, day by day."""
    out: dict[date, float] = {}
    for acc in dep.accompagnements_par_decision.get(decision_id, ()):
        for jour in jours(acc.debut, acc.fin):
            out[jour] = out.get(jour, 0.0) + acc.heures
    return out


def sans_versions(dep) -> dict:
    """The accompagnements by id, versions aside (a restoration is a write)."""
    return {ident: replace(acc, version=0) for ident, acc in dep.accompagnements.items()}


def periodes(dep) -> list[tuple]:
    return sorted((a.id, a.debut, a.fin, a.heures) for a in dep.accompagnements.values())


# -- créer ---------------------------------------------------------------------------------
def test_creer_individualise_with_defaults_writes_row_message_and_journal(monde):
    store, dep = monde
    avant = store.changements()
    acc = creer(store, dep, "gest.a", "M1", ["DI1"], today=TODAY, quand=QUAND)
    assert (acc.id, acc.uai, acc.debut, acc.fin, acc.heures, acc.previsionnel, acc.maintien,
            acc.version) == ("AC000001", E1, D(2026, 9, 1), D(2027, 8, 31), 12.0, False, False, 1)
    texte = "Accompagnement créé pour DUPONT Léa (AESH MARTIN Anne, 12 h, du 01/09/2026 au 31/08/2027)"
    assert messages(store) == [("gest.a", texte, "erseh", "S1")]
    assert journal(store) == [(
        "gest.a", "creation_accompagnement",
        f"AC000001 : {texte} ; mission M1, décisions DI1, établissement {E1}",
    )]
    assert lignes(store, "SELECT quand FROM message") == [("2026-11-22T10:30:00",)]
    assert store.changements() == avant + 1
    assert_memoire_a_jour(store, dep)


def test_creer_mutualise_needs_hours_and_messages_the_secteur(monde):
    store, dep = monde
    with pytest.raises(RegleRefusee) as exc:
        creer(store, dep, "gest.a", "M1", ["DM2", "DM3"], uai=E2, today=TODAY)
    assert [r.regle for r in exc.value.refus] == ["heures"]
    acc = creer(store, dep, "gest.a", "M1", ["DM2", "DM3"], uai=E2, heures=6, repas=True,
                today=TODAY, quand=QUAND)
    assert (acc.decision_ids, acc.debut, acc.fin, acc.repas) == (
        ("DM2", "DM3"), D(2026, 10, 1), D(2027, 6, 30), True
    )
    # both pupils are schooled in the établissement (one établissement per
    # accompagnement, SPEC §2.3.1): the message goes to its secteur
    assert [(m[1], m[3]) for m in messages(store)] == [
        ("Accompagnement créé pour MARTIN Jules, BERNARD Zoé (AESH MARTIN Anne, 6 h, "
         "du 01/10/2026 au 30/06/2027)", "S2")
    ]
    assert lignes(
        store, "SELECT decision_id, rang FROM accompagnement_decision ORDER BY rang"
    ) == [("DM2", 1), ("DM3", 2)]
    assert_memoire_a_jour(store, dep)


def test_default_etablissement_must_be_one_and_known(monde):
    store, dep = monde
    autre = Monde()  # a décision mutualisée of DUPONT Léa, at E1
    autre.decision("DM4", "EL1", "mutualisee", None, D(2026, 10, 1), D(2027, 6, 30))
    autre.ecrire(store)
    dep = charger(store)
    with pytest.raises(RegleRefusee, match="pas scolarisés dans un même établissement"):
        creer(store, dep, "g", "M1", ["DM2", "DM4"], heures=6, today=TODAY)
    with store.ecriture() as tx:
        tx.execute("UPDATE scolarite SET debut = '2026-11-01' WHERE id = 'SC1'")
    dep = charger(store)
    with pytest.raises(RegleRefusee, match="DUPONT Léa n'a pas de scolarité au 01/09/2026"):
        creer(store, dep, "g", "M1", ["DI1"], today=TODAY)
    assert creer(store, dep, "g", "M1", ["DI1"], debut=D(2026, 11, 1), today=TODAY).uai == E1


def test_a_start_given_alone_keeps_the_end_in_its_year_and_decision(monde):
    store, dep = monde
    acc = creer(store, dep, "g", "M1", ["DI1"], debut=D(2027, 9, 1), today=TODAY)
    assert (acc.debut, acc.fin) == (D(2027, 9, 1), D(2028, 8, 31))
    acc = creer(store, dep, "g", "M1", ["DM2"], debut=D(2027, 9, 1), heures=3, uai=E2, today=TODAY)
    assert acc.fin == D(2027, 12, 31)


def test_previsionnel_defaults_to_the_mission_or_aesh(monde):
    store, dep = monde
    acc = creer(store, dep, "g", "M8", ["DM3"], heures=5, today=TODAY)
    assert acc.previsionnel is True
    acc = creer(store, dep, "g", "M2", ["DM3"], heures=5, today=TODAY)
    assert acc.previsionnel is False
    acc = creer(store, dep, "g", "M2", ["DM3"], heures=5, previsionnel=True, today=TODAY)
    assert acc.previsionnel is True


def test_a_refused_creation_writes_nothing(monde):
    store, dep = monde
    avant = store.changements()
    with pytest.raises(RegleRefusee) as exc:
        # M2 is a CDD ending 30/06/2027 and is not affected to the PIAL of E1
        creer(store, dep, "g", "M2", ["DI1"], today=TODAY)
    assert {r.regle for r in exc.value.refus} == {"cdd", "pial"}
    assert "CDD jusqu'au 30/06/2027" in str(exc.value)
    assert store.changements() == avant
    assert lignes(store, "SELECT COUNT(*) FROM accompagnement") == [(0,)]
    assert messages(store) == [] and journal(store) == []
    assert dep.accompagnements == {}


def test_ids_follow_the_highest_existing_number(monde):
    store, dep = monde
    ecrit_ailleurs(store, *((ident, "M1", E1, D(2026, 9, 1), D(2026, 9, 2))
                            for ident in ("AC000041", "ACX", "AC7")))
    dep = charger(store)
    assert creer(store, dep, "g", "M1", ["DI1"], heures=2, today=TODAY).id == "AC000042"
    assert creer(store, dep, "g", "M1", ["DI1"], heures=2, today=TODAY).id == "AC000043"


# -- modifier ------------------------------------------------------------------------------
def test_modifier_checks_rules_bumps_version_and_notifies(monde):
    store, dep = monde
    acc = creer(store, dep, "g", "M1", ["DI1"], heures=20, today=TODAY)
    # 22 h alone fit the 24 h mission: its own former 20 h do not count
    nouveau = modifier(store, dep, "gest.b", acc.id, acc.version, heures=22, fin=D(2027, 6, 30),
                       pause_meridienne=True, quand=QUAND)
    assert (nouveau.heures, nouveau.fin, nouveau.pause_meridienne, nouveau.version) == (
        22.0, D(2027, 6, 30), True, 2
    )
    assert messages(store)[-1] == (
        "gest.b",
        "Accompagnement modifié pour DUPONT Léa (AESH MARTIN Anne, 22 h, du 01/09/2026 au 30/06/2027)",
        "erseh", "S1",
    )
    assert journal(store)[-1][:2] == ("gest.b", "modification_accompagnement")
    assert_memoire_a_jour(store, dep)
    with pytest.raises(RegleRefusee, match="dépasse le volume horaire"):
        modifier(store, dep, "g", acc.id, 2, heures=25)


def test_modifier_changes_decisions_and_mission(monde):
    store, dep = monde
    acc = creer(store, dep, "g", "M1", ["DM2"], uai=E2, heures=6, today=TODAY)
    acc = modifier(store, dep, "g", acc.id, acc.version, decision_ids=["DM2", "DM3"],
                   fin=D(2027, 6, 30), mission_id="M8")
    assert (acc.decision_ids, acc.mission_id) == (("DM2", "DM3"), "M8")
    assert lignes(
        store,
        "SELECT decision_id FROM accompagnement_decision WHERE accompagnement_id = ? ORDER BY rang",
        (acc.id,),
    ) == [("DM2",), ("DM3",)]
    assert_memoire_a_jour(store, dep)


def test_a_stale_version_is_refused_and_writes_nothing(monde):
    store, dep = monde
    acc = creer(store, dep, "g", "M1", ["DI1"], heures=12, today=TODAY)
    modifier(store, dep, "g", acc.id, 1, heures=10)
    avant = (store.changements(), messages(store), journal(store))
    with pytest.raises(StaleWriteError):
        modifier(store, dep, "g", acc.id, 1, heures=8)
    with pytest.raises(StaleWriteError):
        supprimer(store, dep, "g", acc.id, 1)
    with pytest.raises(StaleWriteError):
        inserer(store, dep, "g", acc.id, 1, D(2026, 10, 1), D(2026, 10, 31))
    assert (store.changements(), messages(store), journal(store)) == avant
    assert dep.accompagnements[acc.id].heures == 10.0
    assert_memoire_a_jour(store, dep)


def test_modifier_without_change_writes_nothing(monde):
    store, dep = monde
    acc = creer(store, dep, "g", "M1", ["DI1"], today=TODAY)
    avant = store.changements()
    assert modifier(store, dep, "g", acc.id, acc.version, heures=12.0) is acc
    assert store.changements() == avant


def test_a_write_by_another_session_refuses_the_operation_until_reload(monde):
    """The rules were checked on data another session has since changed
    (two gestionnaires filling the same mission): refuse, nothing written."""
    store, dep = monde
    with store.ecriture() as tx:  # another session
        tx.execute("UPDATE eleve SET nom = 'DURAND' WHERE id = 'EL2'")
    avant = store.changements()
    with pytest.raises(StaleWriteError, match="rechargez-les"):
        creer(store, dep, "g", "M1", ["DI1"], today=TODAY)
    assert store.changements() == avant
    assert lignes(store, "SELECT COUNT(*) FROM accompagnement") == [(0,)]
    frais = charger(store)
    creer(store, frais, "g", "M1", ["DI1"], today=TODAY)
    assert frais.changements == store.changements()


def rh(store, *requetes):
    """Another session (RH sync) changes the base; the user reloads."""
    with store.ecriture() as tx:
        for requete in requetes:
            tx.execute(requete)
    return charger(store)


def test_modifier_may_shorten_an_accompagnement_whose_aesh_became_inactive(monde):
    store, dep = monde
    acc = creer(store, dep, "g", "M1", ["DI1"], fin=D(2027, 6, 30), today=TODAY)
    dep = rh(store, "UPDATE aesh SET actif = 0 WHERE id = 'A1'")
    acc = modifier(store, dep, "g", acc.id, acc.version, fin=D(2027, 1, 31), repas=True)
    assert (acc.fin, acc.repas) == (D(2027, 1, 31), True)
    # near misses: lengthening it, or moving it to another mission, chooses again
    with pytest.raises(RegleRefusee) as exc:
        modifier(store, dep, "g", acc.id, acc.version, fin=D(2027, 2, 28))
    assert [r.regle for r in exc.value.refus] == ["aesh_inactif"]
    with pytest.raises(RegleRefusee) as exc:
        modifier(store, dep, "g", acc.id, acc.version, mission_id="M2", uai=E2)
    assert "aesh_inactif" in [r.regle for r in exc.value.refus]
    assert_memoire_a_jour(store, dep)


def test_modifier_may_lower_hours_on_an_overbooked_mission_not_raise_them(monde):
    store, dep = monde
    acc = creer(store, dep, "g", "M1", ["DI1"], heures=12, today=TODAY)
    creer(store, dep, "g", "M1", ["DM2"], heures=10, today=TODAY)
    dep = rh(store, "UPDATE mission SET volume = 20 WHERE id = 'M1'")  # 22 h on 20 h
    with pytest.raises(RegleRefusee) as exc:
        modifier(store, dep, "g", acc.id, acc.version, heures=13)
    assert [r.regle for r in exc.value.refus] == ["occupation"]
    acc = modifier(store, dep, "g", acc.id, acc.version, heures=11)  # 21 h: better, still over
    acc = modifier(store, dep, "g", acc.id, acc.version, fin=D(2027, 3, 31))
    assert (acc.heures, acc.fin, acc.version) == (11.0, D(2027, 3, 31), 3)
    # the period checks still apply to a reduction
    with pytest.raises(RegleRefusee) as exc:
        modifier(store, dep, "g", acc.id, acc.version, debut=D(2027, 4, 1))
    assert [r.regle for r in exc.value.refus] == ["dates"]
    assert_memoire_a_jour(store, dep)


# -- insérer ------------------------------------------------------------------------------
def test_inserer_inside_splits_the_original_in_two(monde):
    store, dep = monde
    acc = creer(store, dep, "g", "M1", ["DI1"], today=TODAY)
    resultat = inserer(store, dep, "g", acc.id, acc.version, D(2027, 1, 1), D(2027, 3, 31),
                       heures=6, quand=QUAND)
    assert [(a.id, a.debut, a.fin, a.heures) for a in resultat] == [
        ("AC000001", D(2026, 9, 1), D(2026, 12, 31), 12.0),
        ("AC000002", D(2027, 1, 1), D(2027, 3, 31), 6.0),
        ("AC000003", D(2027, 4, 1), D(2027, 8, 31), 12.0),
    ]
    assert resultat[0].version == 2
    assert messages(store)[-1][1] == (
        "Accompagnement inséré pour DUPONT Léa (AESH MARTIN Anne, 6 h, du 01/01/2027 au 31/03/2027) "
        "à la place de AC000001 sur cette période"
    )
    assert len(messages(store)) == 2 and len(journal(store)) == 2
    assert_memoire_a_jour(store, dep)


def test_inserer_over_one_end_shortens_and_over_all_deletes(monde):
    store, dep = monde
    acc = creer(store, dep, "g", "M1", ["DI1"], today=TODAY)
    resultat = inserer(store, dep, "g", acc.id, acc.version, D(2027, 6, 1), D(2027, 8, 31), heures=8)
    assert [(a.id, a.debut, a.fin) for a in resultat] == [
        ("AC000001", D(2026, 9, 1), D(2027, 5, 31)), ("AC000002", D(2027, 6, 1), D(2027, 8, 31)),
    ]
    debut = resultat[0]
    resultat = inserer(store, dep, "g", debut.id, debut.version, D(2026, 9, 1), D(2027, 5, 31), heures=10)
    assert [(a.id, a.debut, a.fin, a.heures) for a in resultat] == [
        ("AC000003", D(2026, 9, 1), D(2027, 5, 31), 10.0)
    ]
    assert "AC000001" not in dep.accompagnements
    assert lignes(store, "SELECT id FROM accompagnement ORDER BY id") == [("AC000002",), ("AC000003",)]
    assert_memoire_a_jour(store, dep)


def test_inserer_checks_the_new_accompagnement(monde):
    store, dep = monde
    acc = creer(store, dep, "g", "M1", ["DI1"], today=TODAY)
    with pytest.raises(RegleRefusee) as exc:
        inserer(store, dep, "g", acc.id, acc.version, D(2027, 1, 1), D(2027, 3, 31), mission_id="M2")
    assert [r.regle for r in exc.value.refus] == ["pial"]
    assert lignes(store, "SELECT COUNT(*) FROM accompagnement") == [(1,)]


def test_inserer_with_no_overlap_is_refused(monde):
    store, dep = monde
    acc = creer(store, dep, "g", "M1", ["DI1"], fin=D(2027, 1, 31), today=TODAY)
    with pytest.raises(RegleRefusee, match="ne recoupe pas"):
        inserer(store, dep, "g", acc.id, acc.version, D(2027, 2, 1), D(2027, 3, 1))
    assert lignes(store, "SELECT COUNT(*) FROM accompagnement") == [(1,)]


@pytest.fixture(scope="module", params=MOTEURS)
def base_propriete(request, tmp_path_factory):
    """One base of each engine for all the examples of a property test
    (a fresh base per example would cost a PostgreSQL schema each)."""
    store = ouvrir(url_de(request.param, tmp_path_factory.mktemp("propriete"), request))
    yield store
    store.fermer()


def repartir(store):
    """The world again, alone in the base: the start of one example."""
    with store.ecriture() as tx:
        vider(tx)
        ecrire_lignes(tx, monde_accompagnement())
    return store, charger(store)


@settings(max_examples=80, deadline=None)
@given(
    origine=st.tuples(st.integers(0, 364), st.integers(0, 364)),
    insere=st.tuples(st.integers(0, 364), st.integers(0, 364)),
    heures=st.sampled_from([3, 6, 12, 20]),
    autre=st.booleans(),
)
def test_inserer_then_supprimer_the_inserted_one_restores_the_original(base_propriete, origine,
                                                                      insere, heures, autre):
    """Inserting replaces the original on the overlap without losing or
    doubling a day; deleting the inserted one then gives back, day by day,
    the décision's hours as they were, and the very accompagnements: the
    original under its own id with its own values."""
    debut_annee = D(2026, 9, 1)
    o_debut, o_fin = (debut_annee + timedelta(days=n) for n in sorted(origine))
    i_debut, i_fin = (debut_annee + timedelta(days=n) for n in sorted(insere))
    store, dep = repartir(base_propriete)
    if autre:  # another accompagnement of the décision, in the next year
        creer(store, dep, "g", "M1", ["DI1"], debut=D(2027, 9, 1), fin=D(2027, 12, 31),
              heures=4, today=TODAY)
    acc = creer(store, dep, "g", "M1", ["DI1"], debut=o_debut, fin=o_fin, heures=12,
                repas=True, today=TODAY)
    avant, etat = heures_par_jour(dep, "DI1"), sans_versions(dep)
    if i_fin < o_debut or i_debut > o_fin:
        with pytest.raises(RegleRefusee):
            inserer(store, dep, "g", acc.id, acc.version, i_debut, i_fin, heures=heures)
        return
    resultat = inserer(store, dep, "g", acc.id, acc.version, i_debut, i_fin, heures=heures)
    insere_acc = next(a for a in resultat if (a.debut, a.fin) == (i_debut, i_fin))
    assert heures_par_jour(dep, "DI1") == {
        **avant, **dict.fromkeys(jours(i_debut, i_fin), float(heures)),
    }
    # nothing doubled: the pieces are disjoint
    total = sum(len(jours(a.debut, a.fin)) for a in dep.accompagnements_par_decision["DI1"])
    assert total == len(jours_couverts(dep, "DI1"))
    suppression = supprimer(store, dep, "g", insere_acc.id, insere_acc.version)
    assert heures_par_jour(dep, "DI1") == avant
    assert sans_versions(dep) == etat
    assert suppression.retabli == dep.accompagnements[acc.id]
    assert suppression.refus == ()
    assert_memoire_a_jour(store, dep)


# -- supprimer an inserted accompagnement: the original comes back ---------------------------
def test_supprimer_inserted_inside_merges_the_two_pieces_back_under_the_original_id(monde):
    store, dep = monde
    acc = creer(store, dep, "g", "M1", ["DI1"], pause_meridienne=True, today=TODAY)
    _, insere_acc, _ = inserer(store, dep, "g", acc.id, acc.version, D(2027, 1, 1),
                               D(2027, 3, 31), heures=6)
    suppression = supprimer(store, dep, "gest.d", insere_acc.id, insere_acc.version, quand=QUAND)
    assert periodes(dep) == [("AC000001", D(2026, 9, 1), D(2027, 8, 31), 12.0)]
    retabli = dep.accompagnements["AC000001"]
    assert suppression.retabli == retabli
    assert (retabli.pause_meridienne, retabli.version, retabli.remplace) == (True, 3, None)
    assert lignes(store, "SELECT id FROM accompagnement") == [("AC000001",)]
    assert lignes(store, "SELECT accompagnement_id, decision_id FROM accompagnement_decision") == [
        ("AC000001", "DI1"),
    ]
    texte = (
        "Accompagnement supprimé pour DUPONT Léa (AESH MARTIN Anne, 6 h, du 01/01/2027 au "
        "31/03/2027) ; accompagnement d'origine rétabli du 01/09/2026 au 31/08/2027 (AC000001)"
    )
    assert messages(store)[-1] == ("gest.d", texte, "erseh", "S1")
    assert journal(store)[-1] == (
        "gest.d", "suppression_accompagnement",
        f"AC000002 : {texte} ; mission M1, décisions DI1, établissement {E1}",
    )
    assert len(journal(store)) == 3  # créer, insérer, supprimer: one line each
    assert_memoire_a_jour(store, dep)


def test_supprimer_inserted_over_one_end_lengthens_the_original_back(monde):
    store, dep = monde
    acc = creer(store, dep, "g", "M1", ["DI1"], today=TODAY)
    # the inserted one starts inside the original and runs past its end
    acc = modifier(store, dep, "g", acc.id, acc.version, fin=D(2027, 5, 31))
    _, insere_acc = inserer(store, dep, "g", acc.id, acc.version, D(2027, 4, 1), D(2027, 8, 31),
                            heures=8)
    assert periodes(dep) == [
        ("AC000001", D(2026, 9, 1), D(2027, 3, 31), 12.0),
        ("AC000002", D(2027, 4, 1), D(2027, 8, 31), 8.0),
    ]
    supprimer(store, dep, "g", insere_acc.id, insere_acc.version)
    # June to August were the inserted one's own days: they go with it
    assert periodes(dep) == [("AC000001", D(2026, 9, 1), D(2027, 5, 31), 12.0)]
    assert_memoire_a_jour(store, dep)


def test_supprimer_inserted_over_the_whole_recreates_the_original_under_its_id(monde):
    store, dep = monde
    acc = creer(store, dep, "g", "M1", ["DI1"], fin=D(2027, 6, 30), repas=True, today=TODAY)
    [insere_acc] = inserer(store, dep, "g", acc.id, acc.version, D(2026, 9, 1), D(2027, 8, 31),
                           heures=10)
    assert "AC000001" not in dep.accompagnements
    creer(store, dep, "g", "M1", ["DI1"], debut=D(2027, 9, 1), heures=2, today=TODAY)  # AC000003
    suppression = supprimer(store, dep, "g", insere_acc.id, insere_acc.version)
    assert suppression.retabli == replace(acc, version=1)
    assert periodes(dep) == [
        ("AC000001", D(2026, 9, 1), D(2027, 6, 30), 12.0),
        ("AC000003", D(2027, 9, 1), D(2028, 8, 31), 2.0),
    ]
    assert messages(store)[-1][1].endswith(
        "accompagnement d'origine rétabli du 01/09/2026 au 30/06/2027 (AC000001)"
    )
    # no id is handed out twice: the next one follows the highest
    assert creer(store, dep, "g", "M1", ["DI1"], fin=D(2026, 9, 30), heures=1, today=TODAY).id == (
        "AC000004"
    )
    assert_memoire_a_jour(store, dep)


def test_insertions_undo_in_any_depth(monde):
    """An inserted accompagnement can itself be replaced: each deletion
    gives back the one before, down to the first."""
    store, dep = monde
    a = creer(store, dep, "g", "M1", ["DI1"], today=TODAY)
    _, b, _ = inserer(store, dep, "g", a.id, a.version, D(2027, 1, 1), D(2027, 3, 31), heures=6)
    _, c, _ = inserer(store, dep, "g", b.id, b.version, D(2027, 2, 1), D(2027, 2, 28), heures=4)
    [d] = inserer(store, dep, "g", c.id, c.version, D(2027, 2, 1), D(2027, 2, 28), heures=2)
    etages = [sans_versions(dep)]
    for insere_acc in (d, c, b):
        insere_acc = dep.accompagnements[insere_acc.id]
        supprimer(store, dep, "g", insere_acc.id, insere_acc.version)
        etages.append(sans_versions(dep))
        assert_memoire_a_jour(store, dep)
    assert [sorted(e) for e in etages] == [
        ["AC000001", "AC000002", "AC000003", "AC000005", "AC000006"],  # d wholly replaced c
        ["AC000001", "AC000002", "AC000003", "AC000004", "AC000005"],  # c is back
        ["AC000001", "AC000002", "AC000003"],  # b is back, whole
        ["AC000001"],  # a is back, whole
    ]
    assert etages[1]["AC000004"].heures == 4.0
    assert (etages[2]["AC000002"].debut, etages[2]["AC000002"].fin) == (D(2027, 1, 1), D(2027, 3, 31))
    assert etages[3]["AC000001"] == replace(a, version=0)


def test_insert_then_delete_again_and_again_gives_the_same_state(monde):
    store, dep = monde
    acc = creer(store, dep, "g", "M1", ["DI1"], today=TODAY)
    etat = sans_versions(dep)
    for _ in range(3):
        acc = dep.accompagnements["AC000001"]
        resultat = inserer(store, dep, "g", acc.id, acc.version, D(2027, 1, 1), D(2027, 3, 31),
                           heures=6)
        assert [a.id for a in resultat] == ["AC000001", "AC000002", "AC000003"]
        supprimer(store, dep, "g", "AC000002", 1)
        assert sans_versions(dep) == etat
    assert lignes(store, "SELECT id, version FROM accompagnement") == [("AC000001", 7)]
    assert_memoire_a_jour(store, dep)


def test_a_piece_changed_meanwhile_stays_as_it_is(monde):
    store, dep = monde
    acc = creer(store, dep, "g", "M1", ["DI1"], today=TODAY)
    _, insere_acc, apres = inserer(store, dep, "g", acc.id, acc.version, D(2027, 1, 1),
                                   D(2027, 3, 31), heures=6)
    modifier(store, dep, "g", apres.id, apres.version, heures=10)
    supprimer(store, dep, "g", insere_acc.id, insere_acc.version)
    # the untouched first piece takes the days back; the changed one is left alone
    assert periodes(dep) == [
        ("AC000001", D(2026, 9, 1), D(2027, 3, 31), 12.0),
        ("AC000003", D(2027, 4, 1), D(2027, 8, 31), 10.0),
    ]
    assert_memoire_a_jour(store, dep)


def test_when_the_original_id_piece_changed_the_other_piece_takes_the_days_back(monde):
    store, dep = monde
    acc = creer(store, dep, "g", "M1", ["DI1"], today=TODAY)
    avant, insere_acc, _ = inserer(store, dep, "g", acc.id, acc.version, D(2027, 1, 1),
                                   D(2027, 3, 31), heures=6)
    modifier(store, dep, "g", avant.id, avant.version, repas=True)
    supprimer(store, dep, "g", insere_acc.id, insere_acc.version)
    assert periodes(dep) == [
        ("AC000001", D(2026, 9, 1), D(2026, 12, 31), 12.0),
        ("AC000003", D(2027, 1, 1), D(2027, 8, 31), 12.0),
    ]
    assert (dep.accompagnements["AC000001"].repas, dep.accompagnements["AC000003"].repas) == (
        True, False
    )
    assert_memoire_a_jour(store, dep)


def test_with_both_pieces_changed_or_deleted_the_days_come_back_on_their_own(monde):
    store, dep = monde
    acc = creer(store, dep, "g", "M1", ["DI1"], today=TODAY)
    avant, insere_acc, apres = inserer(store, dep, "g", acc.id, acc.version, D(2027, 1, 1),
                                       D(2027, 3, 31), heures=6)
    modifier(store, dep, "g", avant.id, avant.version, heures=11)
    supprimer(store, dep, "g", apres.id, apres.version)
    suppression = supprimer(store, dep, "g", insere_acc.id, insere_acc.version)
    # a new accompagnement, with the original's values, on the replaced period only
    assert periodes(dep) == [
        ("AC000001", D(2026, 9, 1), D(2026, 12, 31), 11.0),
        ("AC000003", D(2027, 1, 1), D(2027, 3, 31), 12.0),
    ]
    assert suppression.retabli == dep.accompagnements["AC000003"]
    assert messages(store)[-1][1].endswith(
        "accompagnement d'origine rétabli du 01/01/2027 au 31/03/2027 (AC000003)"
    )
    assert_memoire_a_jour(store, dep)


def test_only_the_days_the_inserted_one_still_covers_come_back(monde):
    store, dep = monde
    acc = creer(store, dep, "g", "M1", ["DI1"], today=TODAY)
    _, insere_acc, _ = inserer(store, dep, "g", acc.id, acc.version, D(2027, 1, 1),
                               D(2027, 3, 31), heures=6)
    # the user uncovers March on purpose
    insere_acc = modifier(store, dep, "g", insere_acc.id, insere_acc.version, fin=D(2027, 2, 28))
    supprimer(store, dep, "g", insere_acc.id, insere_acc.version)
    assert periodes(dep) == [
        ("AC000001", D(2026, 9, 1), D(2027, 2, 28), 12.0),
        ("AC000003", D(2027, 4, 1), D(2027, 8, 31), 12.0),
    ]
    assert_memoire_a_jour(store, dep)


def test_an_inserted_one_that_no_longer_stands_in_is_simply_deleted(monde):
    store, dep = monde
    acc = creer(store, dep, "g", "M1", ["DM2"], uai=E2, heures=6, today=TODAY)
    _, deplace, _ = inserer(store, dep, "g", acc.id, acc.version, D(2027, 1, 1), D(2027, 3, 31),
                            heures=3)
    _, autres_decisions, _ = inserer(store, dep, "g", acc.id, dep.accompagnements[acc.id].version,
                                     D(2026, 11, 1), D(2026, 11, 30), heures=3)
    # moved off the period it replaced; given other décisions
    deplace = modifier(store, dep, "g", deplace.id, deplace.version, debut=D(2027, 6, 1),
                       fin=D(2027, 6, 30))
    autres_decisions = modifier(store, dep, "g", autres_decisions.id, autres_decisions.version,
                                decision_ids=["DM2", "DM3"])
    avant = periodes(dep)
    for insere_acc in (deplace, autres_decisions):
        suppression = supprimer(store, dep, "g", insere_acc.id, insere_acc.version)
        assert suppression.retabli is None and suppression.refus == ()
        assert messages(store)[-1][1].startswith("Accompagnement supprimé pour")
        assert "rétabli" not in messages(store)[-1][1]
    assert periodes(dep) == [p for p in avant if p[0] not in (deplace.id, autres_decisions.id)]
    assert_memoire_a_jour(store, dep)


def test_a_restoration_the_rules_now_refuse_is_not_written_and_the_deletion_goes_on(monde):
    store, dep = monde
    acc = creer(store, dep, "g", "M1", ["DI1"], today=TODAY)
    _, insere_acc, _ = inserer(store, dep, "g", acc.id, acc.version, D(2027, 1, 1),
                               D(2027, 3, 31), heures=6)
    # meanwhile M1 (24 h) was given to another élève for 18 h
    creer(store, dep, "g", "M1", ["DM2"], heures=18, debut=D(2027, 1, 1), fin=D(2027, 3, 31),
          today=TODAY)
    avant = periodes(dep)
    suppression = supprimer(store, dep, "gest.d", insere_acc.id, insere_acc.version)
    assert suppression.retabli is None
    assert [r.regle for r in suppression.refus] == ["occupation"]
    # deleted, and nothing else moved: January to March are left uncovered
    assert periodes(dep) == [p for p in avant if p[0] != insere_acc.id]
    assert jours_couverts(dep, "DI1") == jours(D(2026, 9, 1), D(2027, 8, 31)) - jours(
        D(2027, 1, 1), D(2027, 3, 31)
    )
    assert messages(store)[-1][1] == (
        "Accompagnement supprimé pour DUPONT Léa (AESH MARTIN Anne, 6 h, du 01/01/2027 au "
        "31/03/2027) ; l'accompagnement d'origine n'a pas pu être rétabli du 01/09/2026 au "
        "31/08/2027 : la mission M1 porte déjà jusqu'à 18 h d'accompagnement du 01/09/2026 au "
        "31/08/2027 : 12 h de plus dépasseraient son volume de 24 h (disponible : 6 h)."
    )
    assert journal(store)[-1][1] == "suppression_accompagnement"
    assert_memoire_a_jour(store, dep)


def test_a_piece_changed_meanwhile_can_make_the_rules_refuse_the_restoration(monde):
    store, dep = monde
    acc = creer(store, dep, "g", "M1", ["DI1"], today=TODAY)
    _, insere_acc, apres = inserer(store, dep, "g", acc.id, acc.version, D(2027, 1, 1),
                                   D(2027, 3, 31), heures=6)
    # the second piece now starts in March, for 13 h: with the inserted 6 h, M1 carries 19 h
    modifier(store, dep, "g", apres.id, apres.version, debut=D(2027, 3, 1), heures=13)
    avant = periodes(dep)
    suppression = supprimer(store, dep, "g", insere_acc.id, insere_acc.version)
    # 12 h back in March would make 25 h on M1 (24 h): the inserted one goes, nothing comes back
    assert (suppression.retabli, [r.regle for r in suppression.refus]) == (None, ["occupation"])
    assert periodes(dep) == [
        ("AC000001", D(2026, 9, 1), D(2026, 12, 31), 12.0),
        ("AC000003", D(2027, 3, 1), D(2027, 8, 31), 13.0),
    ] == [p for p in avant if p[0] != insere_acc.id]
    assert "n'a pas pu être rétabli du 01/09/2026 au 31/03/2027" in messages(store)[-1][1]
    assert_memoire_a_jour(store, dep)


def test_the_original_id_taken_by_another_session_gives_a_new_one(monde):
    store, dep = monde
    acc = creer(store, dep, "g", "M1", ["DI1"], fin=D(2026, 12, 31), today=TODAY)
    [insere_acc] = inserer(store, dep, "g", acc.id, acc.version, D(2026, 9, 1), D(2026, 12, 31),
                           heures=6)
    # another session, e.g. an import, reuses AC000001
    ecrit_ailleurs(store, ("AC000001", "M2", E2, D(2027, 1, 1), D(2027, 1, 31)))
    dep = charger(store)  # the user reloads, as the refused write asks
    suppression = supprimer(store, dep, "g", insere_acc.id, insere_acc.version)
    assert suppression.retabli.id == "AC000003"
    assert lignes(store, "SELECT id, mission_id, debut FROM accompagnement ORDER BY id") == [
        ("AC000001", "M2", "2027-01-01"), ("AC000003", "M1", "2026-09-01"),
    ]


def test_a_stale_piece_refuses_the_whole_deletion(monde):
    store, dep = monde
    acc = creer(store, dep, "g", "M1", ["DI1"], today=TODAY)
    _, insere_acc, _ = inserer(store, dep, "g", acc.id, acc.version, D(2027, 1, 1),
                               D(2027, 3, 31), heures=6)
    with store.ecriture() as tx:  # another session changes the first piece
        tx.execute("UPDATE accompagnement SET heures = 11, version = version + 1 WHERE id = 'AC000001'")
    avant = (store.changements(), lignes(store, "SELECT * FROM accompagnement ORDER BY id"))
    with pytest.raises(StaleWriteError):
        supprimer(store, dep, "g", insere_acc.id, insere_acc.version)
    assert (store.changements(), lignes(store, "SELECT * FROM accompagnement ORDER BY id")) == avant
    assert insere_acc.id in dep.accompagnements


def test_a_maintien_of_an_inserted_one_remembers_nothing(monde):
    store, dep = monde
    acc = creer(store, dep, "g", "M2", ["DI5"], today=TODAY)
    [insere_acc] = inserer(store, dep, "g", acc.id, acc.version, D(2026, 9, 1), D(2027, 3, 31),
                           heures=5)
    m = maintenir(store, dep, "g", insere_acc.id, D(2027, 4, 1), D(2027, 8, 31), mission_id="M1")
    assert supprimer(store, dep, "g", m.id, m.version).retabli is None
    assert sorted(dep.accompagnements) == [insere_acc.id]
    assert_memoire_a_jour(store, dep)


def test_the_interchange_format_does_not_carry_the_memory(monde, moteur, tmp_path, request):
    store, dep = monde
    acc = creer(store, dep, "g", "M1", ["DI1"], today=TODAY)
    _, insere_acc, _ = inserer(store, dep, "g", acc.id, acc.version, D(2027, 1, 1),
                               D(2027, 3, 31), heures=6)
    exporter(store, tmp_path / "export")
    # re-imported into the same base: nothing changes, the memory stays
    assert importer(store, tmp_path / "export").changements == 0
    autre = ouvrir(url_de(moteur, tmp_path / "autre", request))  # another base, same engine
    try:
        importer(autre, tmp_path / "export")
        ailleurs = charger(autre)
        assert ailleurs.accompagnements[insere_acc.id].remplace is None
        supprimer(autre, ailleurs, "g", insere_acc.id, insere_acc.version)
        assert jours_couverts(ailleurs, "DI1") == jours(D(2026, 9, 1), D(2027, 8, 31)) - jours(
            D(2027, 1, 1), D(2027, 3, 31)
        )
    finally:
        autre.fermer()
    dep = charger(store)
    supprimer(store, dep, "g", insere_acc.id, insere_acc.version)
    assert periodes(dep) == [("AC000001", D(2026, 9, 1), D(2027, 8, 31), 12.0)]


def test_migration_3_keeps_existing_accompagnements(tmp_path):
    """A SQLite file of schema 2 (released before PostgreSQL was supported:
    no PostgreSQL base ever had it) opens migrated, its accompagnements kept."""
    chemin = tmp_path / "ancienne.sqlite3"
    con = sqlite3.connect(chemin)
    for script in MIGRATIONS[:2]:
        con.executescript(script)
    tx = Transaction(con, SQLITE, ecriture=True)
    ecrire_lignes(tx, monde_accompagnement())  # no accompagnement: none has « remplace » yet
    tx.inserer("accompagnement", ("id", "mission_id", "uai", "debut", "fin", "heures", "repas",
                                  "pause_meridienne", "previsionnel", "maintien", "version"),
               [("AC000001", "M1", E1, "2026-09-01", "2027-08-31", 12.0, 0, 0, 0, 0, 4)])
    tx.inserer("accompagnement_decision", ("accompagnement_id", "decision_id", "rang"),
               [("AC000001", "DI1", 1)])
    con.execute("PRAGMA user_version = 2")
    con.commit()
    con.close()
    store = ouvrir(chemin)
    try:
        assert store.version_schema() == SCHEMA_VERSION
        dep = charger(store)
        acc = dep.accompagnements["AC000001"]
        assert (acc.version, acc.remplace) == (4, None)
        _, insere_acc, _ = inserer(store, dep, "g", acc.id, acc.version, D(2027, 1, 1),
                                   D(2027, 3, 31), heures=6)
        supprimer(store, dep, "g", insere_acc.id, insere_acc.version)
        assert periodes(dep) == [("AC000001", D(2026, 9, 1), D(2027, 8, 31), 12.0)]
    finally:
        store.fermer()


# -- maintenir -------------------------------------------------------------------------------
def test_maintenir_after_the_decision_end_on_a_covering_mission(monde):
    store, dep = monde
    # DI5 ends on 31/03/2027; M2 (CDD) ends on 30/06/2027
    acc = creer(store, dep, "g", "M2", ["DI5"], repas=True, today=TODAY)
    assert (acc.debut, acc.fin) == (D(2026, 9, 1), D(2027, 3, 31))
    with pytest.raises(RegleRefusee) as exc:
        maintenir(store, dep, "g", acc.id, D(2027, 3, 31), D(2027, 6, 30))
    assert [r.regle for r in exc.value.refus] == ["maintien"]
    with pytest.raises(RegleRefusee) as exc:
        maintenir(store, dep, "g", acc.id, D(2027, 4, 1), D(2027, 8, 31))
    assert [r.regle for r in exc.value.refus] == ["cdd"]
    # another mission may be chosen (hors PIAL: any eligible one)
    m = maintenir(store, dep, "gest.c", acc.id, D(2027, 4, 1), D(2027, 8, 31), mission_id="M1",
                  quand=QUAND)
    assert (m.maintien, m.mission_id, m.decision_ids, m.uai, m.heures, m.repas) == (
        True, "M1", ("DI5",), E2, 8.0, True
    )
    assert messages(store)[-1] == (
        "gest.c",
        f"Accompagnement maintenu pour BERNARD Zoé (AESH MARTIN Anne, 8 h, du 01/04/2027 au 31/08/2027) "
        f"(maintien de {acc.id})",
        "erseh", "S2",
    )
    assert journal(store)[-1][1] == "maintien_accompagnement"
    assert_memoire_a_jour(store, dep)


@pytest.mark.parametrize("etat, libelle", [("gele", "gelé"), ("cloture", "clôturé")])
def test_maintenir_refuses_a_dossier_that_is_not_active_but_modifier_still_ends_it(monde, etat,
                                                                                   libelle):
    store, dep = monde
    acc = creer(store, dep, "g", "M1", ["DI5"], today=TODAY)
    dep = rh(store, f"UPDATE eleve SET etat_dossier = '{etat}' WHERE id = 'EL3'")
    avant = (store.changements(), messages(store), journal(store))
    with pytest.raises(RegleRefusee) as exc:
        maintenir(store, dep, "g", acc.id, D(2027, 4, 1), D(2027, 8, 31))
    assert [r.regle for r in exc.value.refus] == ["dossier"]
    assert str(exc.value) == (
        f"pas de nouvel accompagnement sur un dossier qui n'est pas actif : BERNARD Zoé ({libelle})."
    )
    assert (store.changements(), messages(store), journal(store)) == avant
    # modifier stays allowed: the existing accompagnement can be ended
    acc = modifier(store, dep, "g", acc.id, acc.version, fin=D(2027, 1, 31))
    assert acc.fin == D(2027, 1, 31)
    # near miss: the dossier active again, the same maintien is created
    dep = rh(store, "UPDATE eleve SET etat_dossier = 'actif' WHERE id = 'EL3'")
    assert maintenir(store, dep, "g", acc.id, D(2027, 4, 1), D(2027, 8, 31)).maintien
    assert_memoire_a_jour(store, dep)


# -- supprimer -------------------------------------------------------------------------------
def test_supprimer_deletes_row_and_links_and_notifies(monde):
    store, dep = monde
    acc = creer(store, dep, "g", "M1", ["DI1"], today=TODAY)
    supprimer(store, dep, "gest.d", acc.id, acc.version, quand=QUAND)
    assert lignes(store, "SELECT COUNT(*) FROM accompagnement") == [(0,)]
    assert lignes(store, "SELECT COUNT(*) FROM accompagnement_decision") == [(0,)]
    assert messages(store)[-1] == (
        "gest.d",
        "Accompagnement supprimé pour DUPONT Léa (AESH MARTIN Anne, 12 h, du 01/09/2026 au 31/08/2027)",
        "erseh", "S1",
    )
    assert journal(store)[-1][:2] == ("gest.d", "suppression_accompagnement")
    assert_memoire_a_jour(store, dep)
    with pytest.raises(StoreError):
        supprimer(store, dep, "g", acc.id, acc.version)


# -- command --------------------------------------------------------------------------------
@pytest.fixture
def base(stockage, url_base):
    """The --db of a base of each engine holding the world (read back
    through ``stockage``, another session)."""
    monde_accompagnement().ecrire(stockage)
    return url_base


def agesh(base, *args):
    return main(["accompagnement", *args, "--db", base, "--today", TODAY.isoformat()])


def test_command_creer_prints_the_accompagnement(base, stockage, capsys):
    assert agesh(base, "creer", "--mission", "M1", "--decisions", "DM2,DM3", "--etablissement", E2,
                 "--heures", "7,5", "--pause-meridienne", "--auteur", "gest.a", "--json") == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc == {
        "id": "AC000001", "mission_id": "M1", "decision_ids": ["DM2", "DM3"], "uai": E2,
        "debut": "2026-10-01", "fin": "2027-06-30", "heures": 7.5, "repas": False,
        "pause_meridienne": True, "previsionnel": False, "maintien": False, "version": 1,
    }
    assert lignes(stockage, "SELECT login, action FROM journal") == [("gest.a", "creation_accompagnement")]


def test_command_creer_refused_exits_1_with_the_rule(base, stockage, capsys):
    assert agesh(base, "creer", "--mission", "M1", "--decisions", "DI1", "--fin", "2027-09-30",
                 "--json") == 1
    sortie = capsys.readouterr()
    assert sortie.out == ""
    assert "ne peut pas dépasser le 31/08" in sortie.err
    assert lignes(stockage, "SELECT COUNT(*) FROM accompagnement") == [(0,)]


def test_command_supprimer_requires_oui(base, stockage, capsys):
    assert agesh(base, "creer", "--mission", "M1", "--decisions", "DI1") == 0
    assert agesh(base, "supprimer", "AC000001") == 1
    assert "--oui" in capsys.readouterr().err
    assert lignes(stockage, "SELECT COUNT(*) FROM accompagnement") == [(1,)]
    assert agesh(base, "supprimer", "AC000001", "--oui") == 0
    assert lignes(stockage, "SELECT COUNT(*) FROM accompagnement") == [(0,)]
    assert agesh(base, "supprimer", "AC000001", "--oui") == 1


def test_command_candidats_sorted(base, capsys):
    assert agesh(base, "candidats", "--etablissement", E2, "--debut", "2026-10-01",
                 "--fin", "2027-06-30", "--tri", "secteur", "--json") == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(c["mission_id"], c["secteur"], c["meme_secteur"]) for c in doc] == [
        ("M2", "S2", True), ("M1", "S1", False), ("M8", None, False),
    ]
    assert doc[0]["distance_km"] == pytest.approx(26.9, abs=0.1)
    assert agesh(base, "candidats", "--etablissement", E1, "--debut", "2026-10-01",
                 "--fin", "2027-06-30", "--json") == 0
    assert [c["mission_id"] for c in json.loads(capsys.readouterr().out)] == ["M1"]


def test_command_supprimer_says_what_an_undone_insertion_gave_back(base, stockage, capsys):
    assert agesh(base, "creer", "--mission", "M1", "--decisions", "DI1") == 0
    dep = charger(stockage)
    acc = dep.accompagnements["AC000001"]
    milieu = acc.debut + (acc.fin - acc.debut) / 2
    pieces = inserer(stockage, dep, "g", acc.id, acc.version, milieu, milieu + timedelta(days=7),
                     heures=acc.heures / 2)
    insere = next(p for p in pieces if p.heures == acc.heures / 2)
    capsys.readouterr()
    assert agesh(base, "supprimer", insere.id, "--oui") == 0
    out = capsys.readouterr().out
    assert f"Accompagnement {insere.id} supprimé." in out
    assert "Accompagnement d'origine rétabli : AC000001, du " in out


def test_new_ids_keep_the_width_of_existing_ones(monde):
    store, dep = monde
    # ids as an import or the demo writes them
    ecrit_ailleurs(store, ("AC035000408", "M2", E2, D(2027, 1, 1), D(2027, 1, 31)))
    dep = charger(store)
    acc = creer(store, dep, "g", "M1", ["DI1"], today=TODAY)
    assert acc.id == "AC035000409"


def test_new_ids_follow_the_highest_number_among_digit_ids_only(monde):
    store, dep = monde
    # Longer by leading zeros but smaller, and ids that are not « AC » and
    # digits (an import may hold any text): none of them is the highest.
    ecrit_ailleurs(store, *[(ident, "M2", E2, D(2027, 1, 1), D(2027, 1, 31)) for ident in (
        "AC035000408", "AC0000000001", "AC999999999X", "ACX99999999999", "AC-99999999999")])
    dep = charger(store)
    assert creer(store, dep, "g", "M1", ["DI1"], today=TODAY).id == "AC035000409"
    ecrit_ailleurs(store, ("AC0035000500", "M2", E2, D(2027, 2, 1), D(2027, 2, 28)))
    dep = charger(store)
    assert creer(store, dep, "g", "M1", ["DI1"], today=TODAY).id == "AC0035000501"

"""The api boundary: permissions and perimeter live in Session, not in screens.

Every test runs on both engines (the base_deux_moteurs fixture): the
Session's checks are proven through the storage, SQLite and PostgreSQL."""

import threading
from datetime import date, datetime

import pytest

from agesh_tui.api import session as api_session
from agesh_tui.api.erreurs import PermissionRefusee, RegleRefusee, StoreError
from agesh_tui.engine.regles import incoherences
from agesh_tui.engine.regles.couverture import COMPLETE, SANS_ACCOMPAGNEMENT
from agesh_tui.engine.stockage import ouvrir, postgresql, sqlite
from base_app import session_de
from monde import Monde


@pytest.fixture
def base(base_deux_moteurs):
    """The application's base, on each engine."""
    return base_deux_moteurs

MAINTENANT = datetime(2026, 11, 22, 9, 0)


def test_gestionnaire_creates_and_frise_follows(base):
    m = Monde()  # the collège is in a PIAL: M2 must be affected to it
    m.affectation("AF1", "M2", "0350001A", 41.0, date(2026, 9, 1), date(2027, 8, 31), 2026)
    m.ecrire(base)
    session = session_de(base, "paul")
    session.charger()
    assert session.frise("D1").segments[0].etat == SANS_ACCOMPAGNEMENT
    acc = session.creer_accompagnement("M2", ["D1"], debut=date(2026, 9, 1),
                                       fin=date(2026, 11, 1), heures=24.0)
    assert acc.decision_ids == ("D1",)
    # the cached frise was dropped: the new accompagnement shows at once
    assert session.frise("D1").segments[0].etat == COMPLETE


def test_superviseur_only_consults_accompagnements(base):
    session = session_de(base, "marie.curie", "superviseur")
    session.charger()
    changements = base.changements()
    with pytest.raises(PermissionRefusee, match="Gestionnaire AESH"):
        session.creer_accompagnement("M2", ["D1"], heures=24.0)
    with pytest.raises(PermissionRefusee):
        session.supprimer_accompagnement("AC1", 1)
    assert base.changements() == changements


def test_parametres_are_for_superviseurs(base):
    gestionnaire = session_de(base, "paul")
    gestionnaire.charger()
    with pytest.raises(PermissionRefusee, match="Superviseur AESH"):
        gestionnaire.recalculer_agregats(2026, MAINTENANT)
    with pytest.raises(PermissionRefusee):
        gestionnaire.enregistrer_formule(2026, "cM * 6")
    superviseur = session_de(base, "marie.curie", "superviseur")
    superviseur.charger()
    assert superviseur.enregistrer_formule(2026, "cM * 6") is True
    assert superviseur.recalculer_agregats(2026, MAINTENANT) == 1
    assert all(a.a_jour for a in superviseur.agregats_pial(2026))


def test_perimeter_limits_lists_and_writes(base):
    session = session_de(base, "malo")  # secteur S2 only: the lycée of Saint-Malo
    session.charger()
    assert [d.id for d in session.decisions()] == ["D3"]
    with pytest.raises(PermissionRefusee, match="pas dans vos secteurs"):
        session.creer_accompagnement("M1", ["D1"], heures=24.0)
    with pytest.raises(PermissionRefusee):
        session.supprimer_accompagnement("AC1", 1)
    tout = session_de(base, "paul")
    tout.charger()
    assert len(tout.decisions()) == 4


def test_incoherences_are_limited_to_the_perimeter(base):
    tout = session_de(base, "paul")
    tout.charger()
    malo = session_de(base, "malo")
    malo.charger()
    ids_malo = {i.accompagnement_id for i in malo.incoherences()}
    ids_tout = {i.accompagnement_id for i in tout.incoherences()}
    assert ids_malo <= {"AC2"}
    assert "AC2" in ids_tout  # the élève's dossier is gelé: incohérence 5
    assert ids_malo == {"AC2"}


def test_profile_must_belong_to_user(base):
    with pytest.raises(PermissionRefusee):
        session_de(base, "paul", "superviseur")


def test_proposition_goes_through_the_perimeter(base):
    malo = session_de(base, "malo")
    malo.charger()
    with pytest.raises(PermissionRefusee):
        malo.proposer_accompagnement(["D1"])
    paul = session_de(base, "paul")
    paul.charger()
    assert paul.proposer_accompagnement(["D1"]).heures == 24.0


def test_a_modification_cannot_bring_in_a_decision_outside_the_perimeter(base):
    malo = session_de(base, "malo")  # secteur S2: D3 (AC2) is his, D1 is not
    malo.charger()
    acc = malo.dep.accompagnements["AC2"]
    changements = base.changements()
    with pytest.raises(PermissionRefusee, match="D1 n'est pas dans vos secteurs"):
        malo.modifier_accompagnement("AC2", acc.version, decision_ids=["D3", "D1"])
    assert base.changements() == changements


def test_a_reload_builds_aside_then_swaps_data_anomalies_and_frises(base, monkeypatch):
    session = session_de(base, "paul")
    session.charger()
    ancien = session.dep
    assert session.frise("D2") is not None
    with base.ecriture() as tx:  # another gestionnaire removes D2
        tx.execute("DELETE FROM accompagnement_decision WHERE decision_id = 'D2'")
        tx.execute("DELETE FROM decision WHERE id = 'D2'")
    commence, libre = threading.Event(), threading.Event()
    calculer = incoherences.accompagnements_en_anomalie

    def lent(dep):
        commence.set()
        libre.wait(5)
        return calculer(dep)

    monkeypatch.setattr(api_session, "accompagnements_en_anomalie", lent)
    rechargement = threading.Thread(target=session.charger)
    rechargement.start()
    assert commence.wait(5)
    # While the new anomalies are computed, the old data answers, all of a piece.
    assert session.dep is ancien and session.frise("D2") is not None
    libre.set()
    rechargement.join()
    assert session.dep is not ancien
    # Rows of the old data may still be painted: no frise, no KeyError.
    assert session.frise("D2") is None
    assert session.frise("D1") is not None


def test_a_held_base_refuses_a_preference_in_french(base, url_base, monkeypatch):
    # Not the product's 10 s wait: the session's own connection waits 100 ms.
    monkeypatch.setattr(sqlite, "ATTENTE_VERROU_MS", 100)
    monkeypatch.setattr(postgresql, "ATTENTE_VERROU", "100ms")
    court = ouvrir(url_base)
    try:
        session = session_de(court, "paul")
        with base.ecriture(compter=False):  # another session holds the write lock
            with pytest.raises(StoreError, match="^la base est occupée par une autre session"):
                session.enregistrer_preference("accueil", {"tri": [["nom", "asc"]]})
        session.enregistrer_preference("accueil", {"tri": [["nom", "asc"]]})
        assert session.preference("accueil") == {"tri": [["nom", "asc"]]}
    finally:
        court.fermer()


def _valeurs(acc):
    return (acc.mission_id, acc.decision_ids, acc.uai, acc.debut, acc.fin, acc.heures, acc.repas,
            acc.pause_meridienne, acc.previsionnel, acc.maintien)


def _session_avec_accompagnement(base):
    m = Monde()
    m.affectation("AF1", "M2", "0350001A", 41.0, date(2026, 9, 1), date(2027, 8, 31), 2026)
    m.ecrire(base)
    session = session_de(base, "paul")
    session.charger()
    acc = session.creer_accompagnement("M2", ["D1"], debut=date(2026, 9, 1),
                                       fin=date(2026, 12, 31), heures=24.0, repas=True)
    return session, acc


def test_the_last_deletion_of_a_session_can_be_undone(base):
    session, acc = _session_avec_accompagnement(base)
    autres = set(session.dep.accompagnements) - {acc.id}
    assert session.suppression_annulable is None
    session.supprimer_accompagnement(acc.id, acc.version)
    assert session.suppression_annulable == acc
    assert session.frise("D1").segments[0].etat == SANS_ACCOMPAGNEMENT
    (restaure,) = session.annuler_suppression()
    assert _valeurs(restaure) == _valeurs(acc)
    assert set(session.dep.accompagnements) == autres | {restaure.id}
    assert session.frise("D1").segments[0].etat == COMPLETE
    # Once: a second undo has nothing to undo, and writes nothing.
    changements = base.changements()
    with pytest.raises(RegleRefusee, match="aucune suppression à annuler"):
        session.annuler_suppression()
    assert base.changements() == changements
    # What was written is what a reload reads.
    autre = session_de(base, "paul")
    autre.charger()
    assert _valeurs(autre.dep.accompagnements[restaure.id]) == _valeurs(acc)
    assert set(autre.dep.accompagnements) == autres | {restaure.id}


def test_undoing_the_deletion_of_an_insertion_inserts_it_again(base):
    session, acc = _session_avec_accompagnement(base)
    morceaux = session.inserer_accompagnement(acc.id, acc.version, date(2026, 10, 1),
                                              date(2026, 10, 31), heures=10.0)
    assert len(morceaux) == 3
    insere = next(a for a in morceaux if a.heures == 10.0)
    resultat = session.supprimer_accompagnement(insere.id, insere.version)
    assert resultat.retabli is not None and resultat.retabli.id == acc.id
    restaures = session.annuler_suppression()
    assert [(a.debut, a.fin, a.heures) for a in restaures] == [
        (date(2026, 9, 1), date(2026, 9, 30), 24.0),
        (date(2026, 10, 1), date(2026, 10, 31), 10.0),
        (date(2026, 11, 1), date(2026, 12, 31), 24.0),
    ]


def test_an_undo_the_rules_now_refuse_writes_nothing(base):
    session, acc = _session_avec_accompagnement(base)
    session.supprimer_accompagnement(acc.id, acc.version)
    # Meanwhile the mission was filled by another accompagnement.
    occupe = session.candidats("0350001A", date(2026, 9, 1), date(2026, 12, 31))
    libre = next(c.disponible for c in occupe if c.mission.id == "M2")
    session.creer_accompagnement("M2", ["D1"], debut=date(2026, 9, 1), fin=date(2026, 12, 31),
                                 heures=libre)
    changements = base.changements()
    with pytest.raises(RegleRefusee) as refus:
        session.annuler_suppression()
    assert {r.regle for r in refus.value.refus} & {"occupation", "heures"}
    assert base.changements() == changements
    assert session.suppression_annulable == acc  # still there, to try again later


def test_anomalies_after_each_write_are_those_of_a_full_computation(base):
    """After an accompagnement's write only its missions' anomalies are
    computed again: never different from computing them all."""
    session, acc = _session_avec_accompagnement(base)

    def pareil() -> None:
        assert session.anomalies == frozenset(incoherences.accompagnements_en_anomalie(session.dep))

    assert session.anomalies  # the world has some (a pupil's dossier gelé…)
    pareil()
    trop = session.modifier_accompagnement(acc.id, acc.version, heures=30.0)
    pareil()
    morceaux = session.inserer_accompagnement(trop.id, trop.version, date(2026, 10, 1),
                                              date(2026, 10, 31), heures=6.0)
    pareil()
    insere = next(a for a in morceaux if a.heures == 6.0)
    session.supprimer_accompagnement(insere.id, insere.version)
    pareil()
    session.annuler_suppression()
    pareil()
    # Deleting an inserted one gives its original back: read the rest again each time.
    while restants := [a for a in session.dep.accompagnements.values() if a.mission_id == "M2"]:
        session.supprimer_accompagnement(restants[-1].id, restants[-1].version)
        pareil()


def test_anomalies_after_writes_of_affectations_are_those_of_a_full_computation(base):
    """A PIAL's affectations (by hand; the automatique's run ends the same
    way) keep the anomalies as they are, not computed again: never different
    from computing them all."""
    session, acc = _session_avec_accompagnement(base)
    session.modifier_accompagnement(acc.id, acc.version, heures=30.0)  # one anomaly at least

    def pareil() -> None:
        assert session.anomalies == frozenset(incoherences.accompagnements_en_anomalie(session.dep))

    assert session.anomalies
    pareil()
    a = session.modifier_volume_affectation("AF1", 1, 30.0)
    pareil()
    session.retirer_affectation(a.id, a.version)  # its accompagnement stays, unaffected
    pareil()
    session.affecter_mission("M2", "0350001A", 2026, 20.0)
    pareil()

"""Writes of what the gestionnaires enter about AESH and missions
(operations.aesh), on a real base of each engine: one transaction each with
its message and journal line, the loaded département following; a record
changed by another session refused with what changed, field by field; RH
data and RH missions left alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from agesh_tui.engine.operations.aesh import (
    ModifieAilleurs,
    RegleRefusee,
    creer_aesh,
    creer_mission,
    modifier_aesh,
    modifier_mission,
)
from agesh_tui.engine.operations.synchro_rh import synchroniser
from agesh_tui.engine.regles.aesh import SaisieAesh, SaisieMission
from agesh_tui.engine.stockage import StaleWriteError
from agesh_tui.engine.stockage.chargement import charger
from monde import Monde, contenu

TODAY = date(2026, 11, 22)
QUAND = datetime(2026, 11, 22, 10, 30)
D = date
E1, E2 = "0350001A", "0350002B"


def monde_aesh() -> Monde:
    m = Monde()
    m.etablissement(E1, "Collège Anne de Bretagne", commune="Rennes")
    m.etablissement(E2, "École des Landes", "Ecole", commune="Acigné")
    m.secteur("S1", "Rennes nord", [E1])
    m.eleve("EL1", "DUPONT", "Léa", scolarites=[(E1, D(2024, 9, 1), None)])
    m.decision("DI1", "EL1", "individuelle", 12.0, D(2026, 9, 1), D(2027, 8, 31))
    m.aesh("A1", "MARTIN", "Anne", 48.1, -1.6, adresse="1 rue de Paris", transport="Vélo")
    m.aesh("A3", "ROUX", "Hugo", 48.2, -1.7, source="previsionnel", civilite="M.",
           commune="Rennes", code_postal="35000")
    m.mission("M1", "A1", "HI2D", 24.0, D(2020, 9, 1), None)
    m.mission("MP000007", "A3", "HI2D", 20.0, D(2026, 9, 1), D(2027, 8, 31), "CDD", 60.0,
              source="previsionnel")
    m.accompagnement("AC1", "MP000007", ["DI1"], E1, D(2026, 9, 1), D(2027, 6, 30), 12.0)
    return m


@pytest.fixture
def monde(stockage):
    monde_aesh().ecrire(stockage)
    return stockage, charger(stockage)


def lignes(store, sql: str, params=()) -> list[tuple]:
    with store.lecture() as tx:
        return tx.lignes(sql, params)


def journal(store) -> list[tuple]:
    return lignes(store, "SELECT login, action, detail FROM journal ORDER BY id")


def assert_a_jour(store, dep) -> None:
    """The in-memory département equals a fresh load of the base."""
    frais = charger(store)
    assert dep.aesh == frais.aesh and dep.missions == frais.missions
    ici = {k: sorted(m.id for m in v) for k, v in dep.missions_par_aesh.items()}
    assert ici == {k: sorted(m.id for m in v) for k, v in frais.missions_par_aesh.items()}
    assert dep.changements == store.changements()


def saisie_aesh(**valeurs) -> SaisieAesh:
    return replace(SaisieAesh("Mme", "NOEL", "Paule", D(1990, 5, 4), "2 place Hoche", "35000",
                              "Rennes", "Transports en commun"), **valeurs)


def saisie_mission(**valeurs) -> SaisieMission:
    return replace(SaisieMission("CDD", "HI2D", 24.0, 66.0, D(2026, 9, 1), D(2027, 8, 31), E1, E1),
                   **valeurs)


# -- AESH --------------------------------------------------------------------------------------
def test_modifier_a_previsionnel_writes_row_message_and_journal(monde):
    store, dep = monde
    saisie = replace(SaisieAesh.de(dep.aesh["A3"]), commune="Redon", code_postal="35600",
                     transport="À pied")
    aesh = modifier_aesh(store, dep, "paul", "A3", 1, saisie, today=TODAY, quand=QUAND)
    assert (aesh.commune, aesh.code_postal, aesh.transport, aesh.version) == ("Redon", "35600",
                                                                             "À pied", 2)
    assert (aesh.latitude, aesh.longitude) == (None, None)  # a new adresse: coordinates dropped
    texte = ("AESH ROUX Hugo (A3) modifié : Code postal : 35000 → 35600 ; Commune : Rennes → Redon ; "
             "Moyen de transport : — → À pied ; Latitude : 48,2 → — ; Longitude : -1,7 → —")
    assert journal(store) == [("paul", "modification_aesh", f"A3 : {texte}")]
    assert lignes(store, "SELECT auteur, texte, secteur_code FROM message") == [("paul", texte, None)]
    assert_a_jour(store, dep)


def test_an_rh_aesh_keeps_its_rh_data_only_the_transport_changes(monde):
    store, dep = monde
    saisie = replace(SaisieAesh.de(dep.aesh["A1"]), nom="AUTRE", commune="Brest", code_postal="x",
                     transport="Véhicule personnel")
    aesh = modifier_aesh(store, dep, "paul", "A1", 1, saisie, today=TODAY)
    assert (aesh.nom, aesh.commune, aesh.transport, aesh.latitude) == (
        "MARTIN", "Rennes", "Véhicule personnel", 48.1)
    assert_a_jour(store, dep)


def test_a_refused_entry_and_an_unchanged_one_write_nothing(monde):
    store, dep = monde
    avant = contenu(store)
    with pytest.raises(RegleRefusee) as refus:
        modifier_aesh(store, dep, "paul", "A3", 1, saisie_aesh(code_postal="350"), today=TODAY)
    assert [r.regle for r in refus.value.refus] == ["code_postal"]
    assert modifier_aesh(store, dep, "paul", "A3", 1, SaisieAesh.de(dep.aesh["A3"]),
                         today=TODAY) is dep.aesh["A3"]
    assert contenu(store) == avant


def test_a_record_changed_by_another_session_is_refused_field_by_field(monde):
    store, dep = monde
    autre = charger(store)  # another gestionnaire, the same AESH
    modifier_aesh(store, autre, "marie", "A3", 1,
                  replace(SaisieAesh.de(autre.aesh["A3"]), commune="Redon"), today=TODAY)
    avant = contenu(store)
    with pytest.raises(ModifieAilleurs) as refus:
        modifier_aesh(store, dep, "paul", "A3", 1,
                      replace(SaisieAesh.de(dep.aesh["A3"]), transport="Vélo"), today=TODAY)
    assert [str(d) for d in refus.value.differences][:1] == ["Commune : Rennes → Redon"]
    assert isinstance(refus.value, StaleWriteError)
    assert "l'AESH ROUX Hugo (A3) a été modifié par une autre session" in str(refus.value)
    assert "rien n'a été enregistré" in str(refus.value)
    assert refus.value.actuel.commune == "Redon" and refus.value.actuel.version == 2
    assert contenu(store) == avant


def test_a_write_elsewhere_does_not_refuse_an_aesh_and_the_dep_stays_behind(monde):
    store, dep = monde
    modifier_aesh(store, charger(store), "marie", "A1", 1,
                  replace(SaisieAesh.de(dep.aesh["A1"]), transport="À pied"), today=TODAY)
    modifier_aesh(store, dep, "paul", "A3", 1,
                  replace(SaisieAesh.de(dep.aesh["A3"]), transport="Vélo"), today=TODAY)
    assert lignes(store, "SELECT transport FROM aesh ORDER BY id") == [("À pied",), ("Vélo",)]
    assert dep.changements != store.changements()  # stale: the session will reload


def test_creer_aesh_with_two_missions_in_one_transaction(monde):
    store, dep = monde
    aesh, missions = creer_aesh(
        store, dep, "paul", saisie_aesh(),
        [saisie_mission(), saisie_mission(contrat="CDI", nature="HM2D", fin=None, volume=12.0,
                                          quotite=50.0, uai_employeur="", uai_payeur="")],
        today=TODAY, quand=QUAND,
    )
    assert aesh.id == "AP000001" and aesh.previsionnel and aesh.version == 1
    # Numbered after the highest existing one, as wide.
    assert [m.id for m in missions] == ["MP000008", "MP000009"]
    assert {(m.aesh_id, m.source, m.actif) for m in missions} == {("AP000001", "previsionnel", True)}
    (action, detail), = [(a, d) for _, a, d in journal(store)]
    assert action == "creation_aesh"
    assert detail == (
        "AP000001 : AESH prévisionnel NOEL Paule (AP000001) créé avec 2 mission(s) "
        "prévisionnelle(s) : MP000008 CDD HI2D 24 h du 01/09/2026 au 31/08/2027, MP000009 CDI "
        "HM2D 12 h à partir du 01/09/2026")
    assert lignes(store, "SELECT secteur_code FROM message") == [("S1",)]
    assert_a_jour(store, dep)


def test_creer_aesh_refused_by_one_mission_writes_nothing(monde):
    store, dep = monde
    avant = contenu(store)
    with pytest.raises(RegleRefusee) as refus:
        creer_aesh(store, dep, "paul", saisie_aesh(),
                   [saisie_mission(), saisie_mission(uai_employeur="0359999Z")], today=TODAY)
    assert [(r.regle, r.message) for r in refus.value.refus] == [
        ("mission2.uai_employeur", "Mission 2 : UAI inconnu du référentiel.")]
    assert contenu(store) == avant


def test_a_previsionnel_aesh_is_left_alone_by_the_rh_synchronisation(monde, tmp_path):
    store, dep = monde
    aesh, _ = creer_aesh(store, dep, "paul", saisie_aesh(), [saisie_mission()], today=TODAY)
    from agesh_tui.engine.echange.extrait_rh import lire_extrait

    fichier = tmp_path / "epp.csv"
    fichier.write_text(
        "matricule;civilite;nom;prenom;date_naissance;adresse;code_postal;commune;rqth;mission_id;"
        "type_contrat;nature_support;quotite;volume_hebdo;date_debut;date_fin;uai_employeur;"
        "uai_payeur\nA1;Mme;MARTIN;Anne;;1 rue de Paris;35000;Rennes;N;M1;CDI;HI2D;100;24;"
        "01/09/2020;;;\n", encoding="utf-8")
    synchroniser(store, [lire_extrait(fichier, "EPP", today=TODAY)], TODAY)
    frais = charger(store)
    assert frais.aesh[aesh.id] == dep.aesh[aesh.id]
    assert frais.aesh["A1"].transport == "Vélo"  # the gestionnaires' field, kept


# -- missions ----------------------------------------------------------------------------------
def test_creer_mission_for_an_rh_aesh(monde):
    store, dep = monde
    mission = creer_mission(store, dep, "paul", "A1", saisie_mission(), quand=QUAND)
    assert (mission.id, mission.aesh_id, mission.source) == ("MP000008", "A1", "previsionnel")
    assert journal(store) == [("paul", "creation_mission",
                               "MP000008 : Mission prévisionnelle MP000008 CDD HI2D 24 h du "
                               "01/09/2026 au 31/08/2027 créée pour l'AESH MARTIN Anne (A1)")]
    assert dep.mission_previsionnelle(mission.id)
    assert_a_jour(store, dep)


def test_an_rh_mission_is_not_modified(monde):
    store, dep = monde
    with pytest.raises(RegleRefusee, match="synchronisée depuis les bases RH"):
        modifier_mission(store, dep, "paul", "M1", 1, saisie_mission())


def test_modifier_mission_checks_its_accompagnements_and_versions(monde):
    store, dep = monde
    saisie = SaisieMission.de(dep.missions["MP000007"])
    with pytest.raises(RegleRefusee) as refus:
        modifier_mission(store, dep, "paul", "MP000007", 1, replace(saisie, volume=10.0))
    assert [r.regle for r in refus.value.refus] == ["volume"]
    mission = modifier_mission(store, dep, "paul", "MP000007", 1,
                               replace(saisie, volume=22.0, uai_employeur=E2), quand=QUAND)
    assert (mission.volume, mission.uai_employeur, mission.version) == (22.0, E2, 2)
    assert journal(store)[-1][2] == (
        "MP000007 : Mission prévisionnelle MP000007 de l'AESH ROUX Hugo (A3) modifiée : "
        "Heures hebdomadaires : 20 h → 22 h ; Établissement employeur : — → 0350002B")
    assert_a_jour(store, dep)
    # Another session changes it again: ours, loaded at version 2, is refused.
    autre = charger(store)
    modifier_mission(store, autre, "marie", "MP000007", 2, replace(saisie, volume=24.0))
    with pytest.raises(ModifieAilleurs) as stale:
        modifier_mission(store, dep, "paul", "MP000007", 2, replace(saisie, quotite=70.0))
    assert [str(d) for d in stale.value.differences] == [
        "Heures hebdomadaires : 22 h → 24 h", "Établissement employeur : 0350002B → —"]


def test_an_accompagnement_added_elsewhere_refuses_a_mission_change(monde):
    store, dep = monde
    autre = charger(store)
    from agesh_tui.engine.operations.accompagnement import creer

    creer(store, autre, "marie", "MP000007", ["DI1"], debut=D(2027, 7, 1), fin=D(2027, 8, 31),
          heures=8.0, today=TODAY)
    avant = contenu(store)
    with pytest.raises(StaleWriteError, match="accompagnements de la mission MP000007 ont changé"):
        modifier_mission(store, dep, "paul", "MP000007", 1,
                         replace(SaisieMission.de(dep.missions["MP000007"]), fin=D(2027, 7, 31)))
    assert contenu(store) == avant

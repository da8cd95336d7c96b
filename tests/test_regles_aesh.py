"""What the gestionnaires enter about AESH and missions (regles.aesh): the
fields of an RH AESH that are theirs, each refusal naming its field, the
differences « Commune : Rennes → Redon », the form merged after a reload,
and the rules a changed mission keeps with its accompagnements."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from agesh_tui.engine.calendrier import NAISSANCE_MIN
from agesh_tui.engine.modele.model import Aesh
from agesh_tui.engine.regles.aesh import (
    CHAMPS_AESH,
    CIVILITES,
    TEXTE_MAX,
    SaisieAesh,
    SaisieMission,
    appliquer_aesh,
    appliquer_mission,
    champs_compares,
    champs_modifiables,
    fusionner,
    nouvel_aesh,
    nouvelle_mission,
    refus_accompagnements_portes,
    verifier_aesh,
    verifier_mission,
)
from agesh_tui.engine.regles.differences import differences, texte_differences
from monde import Monde

TODAY = date(2026, 11, 22)
D = date
UAI = "0350001A"


def aesh(**valeurs) -> Aesh:
    base = Aesh("A1", "previsionnel", "Mme", "NOEL", "Paule", D(1985, 3, 2), "3 rue Haute",
                "35000", "Rennes", 48.1, -1.6, "Vélo", False, True, 4)
    return replace(base, **valeurs)


def valide() -> SaisieAesh:
    return SaisieAesh("Mme", "NOEL", "Paule", D(1985, 3, 2), "3 rue Haute", "35000", "Rennes", "Vélo")


def mission_valide(**valeurs) -> SaisieMission:
    return replace(SaisieMission("CDD", "HI2D", 24.0, 66.0, D(2026, 9, 1), D(2027, 8, 31), UAI, ""),
                   **valeurs)


def regles(refus) -> dict[str, str]:
    return {r.regle: r.message for r in refus}


# -- AESH -----------------------------------------------------------------------------------
def test_an_rh_aesh_gives_only_what_no_synchronisation_rewrites():
    assert champs_modifiables(None) == CHAMPS_AESH
    assert champs_modifiables(aesh()) == CHAMPS_AESH
    assert champs_modifiables(aesh(source="EPP")) == ("transport",)
    assert champs_modifiables(aesh(source="ASSED", actif=False)) == ("transport",)


def test_each_refusal_names_its_field_in_french():
    saisie = SaisieAesh("Mlle", " ", "", D(1890, 1, 1), "x" * (TEXTE_MAX + 1), "350", "Rennes", "")
    assert regles(verifier_aesh(saisie, TODAY)) == {
        "civilite": "Civilité : Mme ou M.",
        "nom": "Le nom est obligatoire.",
        "prenom": "Le prénom est obligatoire.",
        "adresse": f"Adresse trop long : {TEXTE_MAX + 1} caractères, au plus {TEXTE_MAX}.",
        "code_postal": "Le code postal a 5 chiffres.",
        "date_naissance": "Naissance : date hors limites 01/01/1890 (attendu du 01/01/1900 "
                          "au 22/11/2026).",
    }
    assert verifier_aesh(valide(), TODAY) == []
    # Empty is allowed where the guide asks nothing: date, adresse, code postal, transport.
    assert verifier_aesh(SaisieAesh("M.", "PETIT", "Jean"), TODAY) == []
    # Born tomorrow: not yet.
    assert regles(verifier_aesh(replace(valide(), date_naissance=D(2026, 11, 23)), TODAY)).keys() == {
        "date_naissance"}


def test_only_the_fields_given_are_checked():
    """An RH AESH whose RH data are odd (a 4-digit postcode from the extract)
    still has its moyen de transport saved."""
    saisie = replace(valide(), code_postal="3500", nom="")
    assert verifier_aesh(saisie, TODAY, ("transport",)) == []


def test_a_new_adresse_drops_the_coordinates_and_rh_fields_stay():
    avant = aesh(source="EPP")
    apres = appliquer_aesh(avant, replace(valide(), nom="AUTRE", transport=" À pied "), ("transport",))
    assert (apres.nom, apres.transport, apres.latitude) == ("NOEL", "À pied", 48.1)
    deplace = appliquer_aesh(aesh(), replace(valide(), commune="Redon"), CHAMPS_AESH)
    assert (deplace.commune, deplace.latitude, deplace.longitude) == ("Redon", None, None)
    nouveau = nouvel_aesh(replace(valide(), nom=" \x1bNOEL "))
    assert (nouveau.id, nouveau.source, nouveau.nom, nouveau.actif, nouveau.rqth) == (
        "", "previsionnel", "NOEL", True, False)


def test_differences_read_field_by_field():
    avant, apres = aesh(), aesh(commune="Redon", code_postal="35600", rqth=True, actif=False,
                                 date_naissance=None)
    assert texte_differences(differences(avant, apres, champs_compares((
        "commune", "code_postal", "rqth", "actif", "date_naissance", "nom")))) == (
        "Commune : Rennes → Redon ; Code postal : 35000 → 35600 ; RQTH : non → oui ; "
        "État : actif → inactif [I] ; Date de naissance : 02/03/1985 → —"
    )


def test_after_a_reload_the_form_keeps_what_the_user_alone_changed():
    origine = valide()
    saisie = replace(origine, transport="À pied", code_postal="35600")
    actuel = replace(origine, commune="Redon", code_postal="35700")
    fusion = fusionner(origine, saisie, actuel)
    # Theirs alone: taken; mine alone: kept; both: theirs (the form names it).
    assert (fusion.commune, fusion.transport, fusion.code_postal) == ("Redon", "À pied", "35700")
    assert fusionner(origine, origine, origine) == origine


# -- property tests ----------------------------------------------------------------------------
texte_sur = st.text(st.characters(codec="utf-8", categories=("L", "N", "Zs", "P")),
                    max_size=40).map(str.strip)
nom_sur = texte_sur.filter(bool)
saisies_valides = st.builds(
    SaisieAesh,
    civilite=st.sampled_from(CIVILITES), nom=nom_sur, prenom=nom_sur,
    date_naissance=st.none() | st.dates(NAISSANCE_MIN, TODAY),
    adresse=texte_sur, code_postal=st.just("") | st.from_regex(r"[0-9]{5}", fullmatch=True),
    commune=texte_sur, transport=texte_sur,
)


@settings(max_examples=200, deadline=None)
@given(saisies_valides)
def test_any_valid_entry_is_accepted_and_round_trips(saisie):
    assert verifier_aesh(saisie, TODAY) == []
    ecrit = appliquer_aesh(aesh(), saisie, CHAMPS_AESH)
    assert SaisieAesh.de(ecrit) == saisie
    assert SaisieAesh.de(nouvel_aesh(saisie)) == saisie


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12))
def test_an_invalid_postcode_is_always_refused(code):
    saisie = replace(valide(), code_postal=code)
    refuse = "code_postal" in regles(verifier_aesh(saisie, TODAY))
    nettoye = saisie.nettoyee().code_postal
    assert refuse == (nettoye != "" and re.fullmatch(r"[0-9]{5}", nettoye) is None)


# -- missions -----------------------------------------------------------------------------
def test_a_mission_entry_is_checked_field_by_field():
    etabs = {UAI: Monde().etablissement(UAI, "Collège A")}
    assert verifier_mission(mission_valide(), etabs) == []
    assert verifier_mission(mission_valide(contrat="CDI", fin=None, uai_employeur=""), etabs) == []
    assert regles(verifier_mission(SaisieMission(), etabs)) == {
        "contrat": "Contrat : CDD ou CDI.",
        "nature": "Choisissez la nature du support.",
        "volume": "Heures par semaine : obligatoires.",
        "quotite": "La quotité est obligatoire (en %).",
        "debut": "La date de début est obligatoire.",
    }
    assert regles(verifier_mission(mission_valide(
        contrat="CDI", nature="EI1D", volume=50.0, quotite=0.0, fin=D(2026, 8, 31),
        uai_employeur="0350001", uai_payeur="0359999z"), etabs)) == {
        "nature": "EI1D est une nature ASSED (hors titre II) : ces contrats sont des CDD.",
        "volume": "Heures : plus de 0, au plus 48 h.",
        "quotite": "Quotité : plus de 0, au plus 100 %.",
        "fin": "La fin précède le début.",
        "uai_employeur": "UAI : 7 chiffres et une lettre.",
        "uai_payeur": "UAI inconnu du référentiel.",
    }
    assert regles(verifier_mission(mission_valide(fin=None), etabs)) == {
        "fin": "Un CDD a une date de fin."}


def test_a_new_mission_is_previsionnelle_and_round_trips():
    saisie = mission_valide(uai_employeur=" 0350001a ")
    mission = nouvelle_mission("A1", saisie)
    assert (mission.source, mission.actif, mission.uai_employeur, mission.uai_payeur) == (
        "previsionnel", True, UAI, None)
    assert SaisieMission.de(mission) == saisie.nettoyee()
    modifiee = appliquer_mission(replace(mission, id="MP000001", version=3), mission_valide(volume=12.0))
    assert (modifiee.id, modifiee.version, modifiee.volume) == ("MP000001", 3, 12.0)


def test_a_changed_mission_must_still_carry_its_accompagnements():
    m = Monde()
    m.etablissement(UAI, "Collège A")
    m.eleve("E1")
    m.decision("D1", "E1")
    m.aesh("A1", source="previsionnel")
    m.mission("MP1", "A1", "HI2D", 24.0, D(2026, 9, 1), D(2027, 8, 31), contrat="CDD",
              source="previsionnel")
    m.accompagnement("AC1", "MP1", ["D1"], UAI, D(2026, 9, 1), D(2027, 6, 30), 12.0)
    m.accompagnement("AC2", "MP1", ["D1"], UAI, D(2026, 10, 1), D(2026, 12, 18), 6.0)
    dep = m.departement()
    mission = dep.missions["MP1"]
    assert refus_accompagnements_portes(dep, mission) == []
    refus = regles(refus_accompagnements_portes(dep, replace(
        mission, debut=D(2026, 9, 2), fin=D(2027, 5, 31), nature="HC1D", volume=16.0)))
    assert refus == {
        "debut": "La mission ne couvrirait plus ses accompagnements AC1 (du 01/09/2026 au "
                 "30/06/2027) : modifiez-les d'abord.",
        "fin": "La mission ne couvrirait plus ses accompagnements AC1 (du 01/09/2026 au "
               "30/06/2027) : modifiez-les d'abord.",
        "nature": "La nature HC1D ne peut pas porter d'accompagnement d'élève, or la mission en "
                  "porte 2.",
        "volume": "Ses accompagnements prennent jusqu'à 18 h par semaine : pas moins.",
    }

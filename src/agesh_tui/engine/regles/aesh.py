"""What the gestionnaires enter about AESH and missions (SPEC F8, F9, guide
§7.1, §7.2, §8.2): « Modifier cet AESH », « Ajouter un AESH » prévisionnel
with its missions prévisionnelles, « Ajouter une mission » prévisionnelle
and its modification.

What the RH bases bring is not entered here (SPEC §2.6, docs/import-rh.md):
for an AESH of the EPP or ASSED base, every synchronisation rewrites its
état civil, its adresse and its RQTH; the gestionnaire enters the rest (the
moyen de transport). A prévisionnel AESH is in no RH base yet: all of it is
entered here. Only prévisionnelle missions are entered and changed; an RH
mission is read-only.

Pure functions: the forms check as the user types, the operations check
again before writing, with the same French messages. A refusal is a Refus
whose ``regle`` is the field it speaks of (SaisieAesh's and SaisieMission's
field names), so that a form shows it next to that field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from functools import partial
from operator import attrgetter
from typing import TypeVar

from ..calendrier import NAISSANCE_MIN, format_date, hors_periode
from ..modele.departement import Departement
from ..modele.model import CONTRATS, Aesh, Etablissement, Mission
from ..modele.natures import NATURES, accompagnante
from ..nombres import EPSILON_HEURES, QUOTITE_MAX, VOLUME_HEBDO_MAX, heures, nombre, pourcent
from ..texte import nettoyer, propre
from .accompagnement import Refus, RegleRefusee, texte_periode
from .differences import Champ
from .occupation import heures_max

__all__ = [
    "CHAMPS_AESH", "CHAMPS_MISSION", "CHAMPS_RH", "CIVILITES", "TRANSPORTS",
    "Refus", "RegleRefusee", "SaisieAesh", "SaisieMission", "appliquer_aesh", "appliquer_mission",
    "champs_compares", "champs_modifiables", "fusionner", "nouvel_aesh", "nouvelle_mission",
    "refus_accompagnements_portes", "verifier_aesh", "verifier_mission",
]

CIVILITES = ("Mme", "M.")
# What the demo and most files say; the field takes any text.
TRANSPORTS = ("Véhicule personnel", "Transports en commun", "Vélo", "À pied")
TEXTE_MAX = 200  # characters of a name, an address, a commune, a moyen de transport
PREVISIONNEL = "previsionnel"

# The AESH's fields a form shows, in its order.
CHAMPS_AESH = (
    "civilite", "nom", "prenom", "date_naissance", "adresse", "code_postal", "commune", "transport",
)
# Rewritten by each RH synchronisation for an AESH of an RH base (synchro_rh).
CHAMPS_RH = (
    "civilite", "nom", "prenom", "date_naissance", "adresse", "code_postal", "commune", "rqth",
)
_ADRESSE = ("adresse", "code_postal", "commune")
CHAMPS_MISSION = (
    "contrat", "nature", "volume", "quotite", "debut", "fin", "uai_employeur", "uai_payeur",
)
LIBELLES = {
    "civilite": "Civilité", "nom": "Nom", "prenom": "Prénom", "date_naissance": "Date de naissance",
    "adresse": "Adresse", "code_postal": "Code postal", "commune": "Commune",
    "transport": "Moyen de transport", "rqth": "RQTH", "latitude": "Latitude",
    "longitude": "Longitude", "source": "Source", "actif": "État", "aesh_id": "AESH",
    "contrat": "Contrat", "nature": "Nature", "volume": "Heures hebdomadaires",
    "quotite": "Quotité", "debut": "Début", "fin": "Fin",
    "uai_employeur": "Établissement employeur", "uai_payeur": "Établissement payeur",
}

_CODE_POSTAL = re.compile(r"[0-9]{5}")
_UAI = re.compile(r"[0-9]{7}[A-Z]")


# -- what a form holds -----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SaisieAesh:
    """The AESH's fields as typed (texts) or chosen (the date)."""

    civilite: str = ""
    nom: str = ""
    prenom: str = ""
    date_naissance: date | None = None
    adresse: str = ""
    code_postal: str = ""
    commune: str = ""
    transport: str = ""

    @classmethod
    def de(cls, aesh: Aesh) -> SaisieAesh:
        return cls(*(getattr(aesh, champ) for champ in CHAMPS_AESH))

    def nettoyee(self) -> SaisieAesh:
        """Texts without control characters nor surrounding blanks."""
        return replace(self, civilite=nettoyer(self.civilite), nom=nettoyer(self.nom),
                       prenom=nettoyer(self.prenom), adresse=nettoyer(self.adresse),
                       code_postal=nettoyer(self.code_postal), commune=nettoyer(self.commune),
                       transport=nettoyer(self.transport))


@dataclass(frozen=True, slots=True)
class SaisieMission:
    """A mission prévisionnelle's fields; a number or a date that could not
    be read is None (the form says why)."""

    contrat: str = ""
    nature: str = ""
    volume: float | None = None
    quotite: float | None = None
    debut: date | None = None
    fin: date | None = None
    uai_employeur: str = ""
    uai_payeur: str = ""

    @classmethod
    def de(cls, mission: Mission) -> SaisieMission:
        return cls(mission.contrat, mission.nature, mission.volume, mission.quotite, mission.debut,
                   mission.fin, mission.uai_employeur or "", mission.uai_payeur or "")

    def nettoyee(self) -> SaisieMission:
        """UAI in capitals, texts without blanks around."""
        return replace(self, contrat=nettoyer(self.contrat), nature=nettoyer(self.nature),
                       uai_employeur=nettoyer(self.uai_employeur).upper(),
                       uai_payeur=nettoyer(self.uai_payeur).upper())


# -- AESH ---------------------------------------------------------------------------------
def champs_modifiables(aesh: Aesh | None) -> tuple[str, ...]:
    """The fields a gestionnaire enters: all of them for a new or a
    prévisionnel AESH, those no synchronisation rewrites for an RH one."""
    if aesh is None or aesh.previsionnel:
        return CHAMPS_AESH
    return tuple(c for c in CHAMPS_AESH if c not in CHAMPS_RH)


def verifier_aesh(saisie: SaisieAesh, today: date,
                  champs: Sequence[str] = CHAMPS_AESH) -> list[Refus]:
    """Every rule the values of ``champs`` break (empty: they may be saved)."""
    s = saisie.nettoyee()
    refus: list[Refus] = []
    if "civilite" in champs and s.civilite not in CIVILITES:
        refus.append(Refus("civilite", "Civilité : Mme ou M."))
    for champ, sujet in (("nom", "Le nom"), ("prenom", "Le prénom")):
        if champ in champs and not getattr(s, champ):
            refus.append(Refus(champ, f"{sujet} est obligatoire."))
    for champ in ("nom", "prenom", "adresse", "commune", "transport"):
        longueur = len(getattr(s, champ))
        if champ in champs and longueur > TEXTE_MAX:
            refus.append(Refus(champ, f"{LIBELLES[champ]} trop long : {longueur} caractères, "
                                      f"au plus {TEXTE_MAX}."))
    if "code_postal" in champs and s.code_postal and not _CODE_POSTAL.fullmatch(s.code_postal):
        refus.append(Refus("code_postal", "Le code postal a 5 chiffres."))
    if "date_naissance" in champs and s.date_naissance is not None:
        raison = hors_periode(s.date_naissance, NAISSANCE_MIN, today)
        if raison:
            refus.append(Refus("date_naissance", f"Naissance : {raison}."))
    return refus


def appliquer_aesh(aesh: Aesh, saisie: SaisieAesh, champs: Sequence[str]) -> Aesh:
    """``aesh`` with the values of ``champs`` taken from the form. A new
    adresse makes the coordinates wrong (distances): they are dropped, as
    the RH synchronisation does."""
    s = saisie.nettoyee()
    nouveau = replace(aesh, **{c: getattr(s, c) for c in champs if c in CHAMPS_AESH})
    if any(getattr(nouveau, c) != getattr(aesh, c) for c in _ADRESSE):
        nouveau = replace(nouveau, latitude=None, longitude=None)
    return nouveau


def nouvel_aesh(saisie: SaisieAesh) -> Aesh:
    """A prévisionnel AESH (its id given when written)."""
    s = saisie.nettoyee()
    return Aesh("", PREVISIONNEL, s.civilite, s.nom, s.prenom, s.date_naissance, s.adresse,
                s.code_postal, s.commune, None, None, s.transport, False, True)


# -- missions -----------------------------------------------------------------------------
def _refus_uai(champ: str, uai: str, etablissements: Mapping[str, Etablissement]) -> list[Refus]:
    if not uai:
        return []
    if not _UAI.fullmatch(uai):
        return [Refus(champ, "UAI : 7 chiffres et une lettre.")]
    if uai not in etablissements:
        return [Refus(champ, "UAI inconnu du référentiel.")]
    return []


def verifier_mission(saisie: SaisieMission,
                     etablissements: Mapping[str, Etablissement]) -> list[Refus]:
    """Every rule the mission's values break (empty: they may be saved)."""
    s = saisie.nettoyee()
    refus: list[Refus] = []
    if s.contrat not in CONTRATS:
        refus.append(Refus("contrat", "Contrat : CDD ou CDI."))
    nature = NATURES.get(s.nature)
    if nature is None:
        refus.append(Refus("nature", "Choisissez la nature du support."))
    elif s.contrat == "CDI" and nature.base == "ASSED":
        refus.append(Refus("nature", f"{s.nature} est une nature ASSED (hors titre II) : "
                                     "ces contrats sont des CDD."))
    if s.volume is None:
        refus.append(Refus("volume", "Heures par semaine : obligatoires."))
    elif not 0 < s.volume <= VOLUME_HEBDO_MAX:
        refus.append(Refus("volume", f"Heures : plus de 0, au plus {heures(VOLUME_HEBDO_MAX)}."))
    if s.quotite is None:
        refus.append(Refus("quotite", "La quotité est obligatoire (en %)."))
    elif not 0 < s.quotite <= QUOTITE_MAX:
        refus.append(Refus("quotite", f"Quotité : plus de 0, au plus {pourcent(QUOTITE_MAX)}."))
    if s.debut is None:
        refus.append(Refus("debut", "La date de début est obligatoire."))
    elif raison := hors_periode(s.debut):
        refus.append(Refus("debut", f"Début : {raison}."))
    if s.fin is None:
        if s.contrat == "CDD":
            refus.append(Refus("fin", "Un CDD a une date de fin."))
    elif raison := hors_periode(s.fin):
        refus.append(Refus("fin", f"Fin : {raison}."))
    elif s.debut is not None and s.fin < s.debut:
        refus.append(Refus("fin", "La fin précède le début."))
    refus += _refus_uai("uai_employeur", s.uai_employeur, etablissements)
    refus += _refus_uai("uai_payeur", s.uai_payeur, etablissements)
    return refus


def nouvelle_mission(aesh_id: str, saisie: SaisieMission) -> Mission:
    """A prévisionnelle mission of ``aesh_id`` (its id given when written);
    the values are checked (verifier_mission)."""
    s = saisie.nettoyee()
    assert s.volume is not None and s.debut is not None, "verifier_mission asks for them"
    return Mission("", aesh_id, s.contrat, s.nature, s.quotite, s.volume, s.debut, s.fin,
                   s.uai_employeur or None, s.uai_payeur or None, PREVISIONNEL, True)


def appliquer_mission(mission: Mission, saisie: SaisieMission) -> Mission:
    """``mission`` with the form's values (checked: verifier_mission)."""
    nouvelle = nouvelle_mission(mission.aesh_id, saisie)
    return replace(nouvelle, id=mission.id, source=mission.source, actif=mission.actif,
                   version=mission.version)


def refus_accompagnements_portes(dep: Departement, mission: Mission) -> list[Refus]:
    """A mission changed must still carry its accompagnements (SPEC §2.3.5,
    §2.2): cover their periods, be of a nature that may carry them, and
    have the volume of the most hours they take in a week. The
    accompagnements are changed first (Accompagnements menu), never
    silently left broken."""
    accs = sorted(dep.accompagnements_par_mission.get(mission.id, ()), key=lambda a: (a.debut, a.id))
    if not accs:
        return []
    refus: list[Refus] = []
    for champ, dehors in (
        ("debut", [a for a in accs if a.debut < mission.debut]),
        ("fin", [a for a in accs if mission.fin is not None and a.fin > mission.fin]),
    ):
        if dehors:
            liste = ", ".join(f"{a.id} ({texte_periode(a.debut, a.fin)})" for a in dehors[:3])
            suite = f" et {len(dehors) - 3} autre(s)" if len(dehors) > 3 else ""
            refus.append(Refus(champ, f"La mission ne couvrirait plus ses accompagnements "
                                      f"{liste}{suite} : modifiez-les d'abord."))
    if not accompagnante(mission.nature):
        refus.append(Refus("nature", f"La nature {mission.nature} ne peut pas porter "
                                     f"d'accompagnement d'élève, or la mission en porte {len(accs)}."))
    pointe = heures_max(dep, mission, min(a.debut for a in accs), max(a.fin for a in accs))
    if mission.volume < pointe - EPSILON_HEURES:
        refus.append(Refus("volume", f"Ses accompagnements prennent jusqu'à {heures(pointe)} "
                                     "par semaine : pas moins."))
    return refus


# -- what changed, and the form after a reload ----------------------------------------------
def valeur_lisible(champ: str, valeur: object) -> str:
    """« — » for nothing, jj/mm/aaaa, « 12,5 h », « 50 % », oui/non…"""
    if valeur is None or valeur == "":
        return "—"
    if isinstance(valeur, bool):
        if champ == "actif":
            return "actif" if valeur else "inactif [I]"
        return "oui" if valeur else "non"
    if isinstance(valeur, date):
        return format_date(valeur)
    if isinstance(valeur, int | float):
        if champ == "volume":
            return heures(valeur)
        if champ == "quotite":
            return pourcent(valeur)
        return nombre(valeur, 4)
    if champ == "source" and valeur == PREVISIONNEL:
        return "prévisionnel"
    return propre(valeur)


def champs_compares(noms: Sequence[str]) -> dict[str, Champ]:
    """The fields ``noms`` of an AESH or a mission, as ``differences`` compares them."""
    return {n: Champ(LIBELLES[n], attrgetter(n), partial(valeur_lisible, n)) for n in noms}


# What two states of a record are compared on (« Commune : Rennes → Redon »):
# what the forms show, and what changes what may be done with it.
COMPARES_AESH = champs_compares((*CHAMPS_AESH, "rqth", "latitude", "longitude", "source", "actif"))
COMPARES_MISSION = champs_compares(("aesh_id", *CHAMPS_MISSION, "source", "actif"))


S = TypeVar("S", SaisieAesh, SaisieMission)


def fusionner(origine: S, saisie: S, actuel: S) -> S:
    """The form once the record is reloaded: on each field, what the user
    typed when they changed it and the other session did not; the record's
    current value otherwise (a field both changed takes the other
    session's value, which the form then names)."""
    valeurs = {}
    for f in fields(saisie):
        o, s, a = (getattr(x, f.name) for x in (origine, saisie, actuel))
        valeurs[f.name] = s if s != o and a == o else a
    return replace(actuel, **valeurs)

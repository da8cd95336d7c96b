"""Domain entities (SPEC §1) as plain dataclasses.

Identifiers are strings everywhere: they come from outside systems (RH bases,
ERSEH module, the Annuaire de l'éducation) whose keys we do not control.
Editable rows carry a ``version`` for optimistic concurrency (see engine.stockage).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

# Établissement types of the Annuaire de l'éducation that are not schools:
# imported, but never offered as établissements de scolarisation.
TYPES_NON_SCOLAIRES = frozenset(
    {"Service Administratif", "Information et orientation", "Médico-social"}
)

ETATS_DOSSIER = ("actif", "gele", "cloture")
LIBELLES_ETAT_DOSSIER = {"actif": "actif", "gele": "gelé", "cloture": "clôturé"}
TYPES_DECISION = ("individuelle", "mutualisee")
LIBELLES_TYPE_DECISION = {"individuelle": "individuelle", "mutualisee": "mutualisée"}
ORIGINES_DECISION = ("Première demande", "Réexamen", "GEVASCO réexamen")
NATURES_DECISION = ("projet cible", "alternatif")
SOURCES_AESH = ("EPP", "ASSED", "previsionnel")
CONTRATS = ("CDD", "CDI")
PROFILS = ("superviseur", "gestionnaire")
LIBELLES_PROFIL = {"superviseur": "Superviseur AESH", "gestionnaire": "Gestionnaire AESH"}


@dataclass(slots=True)
class Etablissement:
    uai: str
    nom: str
    type: str = ""
    statut: str = ""
    code_commune: str = ""
    commune: str = ""
    code_postal: str = ""
    latitude: float | None = None
    longitude: float | None = None
    circonscription: str = ""
    ulis: bool = False
    pial_uai: str | None = None  # None = hors PIAL

    @property
    def scolaire(self) -> bool:
        return self.type not in TYPES_NON_SCOLAIRES


@dataclass(slots=True)
class Secteur:
    code: str
    nom: str
    erseh_nom: str = ""
    erseh_mail: str = ""


@dataclass(slots=True)
class Eleve:
    id: str
    nom: str
    prenom: str
    date_naissance: date | None = None
    etat_dossier: str = "actif"
    structure_soin: str = ""
    version: int = 1


@dataclass(slots=True)
class Proche:
    eleve_id: str
    nom: str
    prenom: str = ""
    lien: str = ""
    telephone: str = ""
    mail: str = ""


@dataclass(slots=True)
class Scolarite:
    id: str
    eleve_id: str
    uai: str
    classe: str = ""
    debut: date = date.min
    fin: date | None = None  # open end


@dataclass(slots=True)
class Decision:
    id: str
    eleve_id: str
    type: str  # "individuelle" | "mutualisee"
    heures: float | None  # notified weekly hours, individuelle only
    origine: str
    nature: str
    debut: date
    fin: date

    @property
    def individuelle(self) -> bool:
        return self.type == "individuelle"


@dataclass(slots=True)
class Aesh:
    id: str
    source: str  # "EPP" | "ASSED" | "previsionnel"
    civilite: str
    nom: str
    prenom: str
    date_naissance: date | None = None
    adresse: str = ""
    code_postal: str = ""
    commune: str = ""
    latitude: float | None = None
    longitude: float | None = None
    transport: str = ""
    rqth: bool = False
    actif: bool = True
    version: int = 1

    @property
    def previsionnel(self) -> bool:
        return self.source == "previsionnel"


@dataclass(slots=True)
class Mission:
    id: str
    aesh_id: str
    contrat: str  # "CDD" | "CDI"
    nature: str  # code de nature de support, see natures.py
    quotite: float | None  # percent; None when the RH base has none
    volume: float  # weekly hours
    debut: date
    fin: date | None
    uai_employeur: str | None = None
    uai_payeur: str | None = None
    source: str = "EPP"
    actif: bool = True
    version: int = 1

    @property
    def previsionnel(self) -> bool:
        return self.source == "previsionnel"


@dataclass(slots=True)
class AffectationPial:
    id: str
    mission_id: str
    pial_uai: str
    annee: int  # starting year of the année scolaire
    volume: float
    debut: date
    fin: date
    version: int = 1


@dataclass(slots=True)
class Accompagnement:
    id: str
    mission_id: str
    decision_ids: tuple[str, ...]
    uai: str
    debut: date
    fin: date
    heures: float
    repas: bool = False
    pause_meridienne: bool = False
    previsionnel: bool = False
    maintien: bool = False
    version: int = 1
    remplace: str | None = None
    """What this accompagnement replaced when it was inserted (JSON written
    and read by operations.accompagnement only): the original's values, the
    replaced period and the pieces the original became, so that deleting it
    gives the original back. None for any other accompagnement. The
    interchange format (SPEC §4) does not carry it: an insertion exported
    then imported into another base loses this memory, and deleting it there
    is a plain deletion."""

    @property
    def mutualise(self) -> bool:
        return len(self.decision_ids) > 1


@dataclass(slots=True)
class Utilisateur:
    login: str
    nom: str
    profils: tuple[str, ...]
    mail: str = ""
    telephone: str = ""
    adresse: str = ""
    secteurs: tuple[str, ...] = ()  # empty = whole département
    version: int = 1


@dataclass(slots=True)
class Message:
    id: int
    quand: datetime
    auteur: str
    texte: str
    destinataire: str  # "gestionnaire" or "erseh"
    secteur_code: str | None = None
    lu: bool = False


@dataclass(slots=True)
class ReferenceTemps:
    """Weekly hours of a full-time (100 %) contract of one kind (guide §3.1)."""

    contrat: str
    base: str  # "EPP" | "ASSED"
    heures: float


@dataclass(frozen=True, slots=True)
class Limites:
    """Limits of the propositions d'affectation (SPEC §2.8), paramètres of
    the département that the superviseur may change; defaults of the SPEC."""

    distance_max_km: float = 20.0  # AESH residence → établissement
    etablissements_par_aesh: int = 3  # on the period
    aesh_par_decision: int = 2  # for one décision


@dataclass(slots=True)
class Parametres:
    references: list[ReferenceTemps] = field(default_factory=list)
    cartouche: dict[str, str] = field(default_factory=dict)
    formules: dict[int, str] = field(default_factory=dict)  # année → formula
    # année → the stored formula's version: the form hands it back when
    # saving, read with the data rather than from the base on the UI thread.
    versions_formules: dict[int, int] = field(default_factory=dict)
    limites: Limites = field(default_factory=Limites)

"""The AESH list and dossier (SPEC F8, guide §7): one row per AESH of the
département with its values computed once per load — read by the AESH
screen and by the spreadsheet export (api/tableaux.py), so that both show
the same values —, and the dossier of one AESH: état civil, adresse, RQTH
(from the RH bases), its missions and its accompagnements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..engine.modele.model import Accompagnement, Aesh, Mission
from ..engine.modele.natures import NATURES
from ..engine.texte import propre

if TYPE_CHECKING:
    from .session import Session

# How the list names where an AESH comes from (« Source »).
PREVISIONNEL = "prévisionnel"
# The state of an inactive AESH (guide §7: « L'AESH inactif apparaît dans le
# tableau avec l'état [I] »); an active one has none.
INACTIF = "[I]"


@dataclass(frozen=True, slots=True)
class LigneAesh:
    id: str
    aesh: Aesh
    nom: str  # « NOM Prénom », cleaned
    civilite: str
    source: str  # the RH base (EPP, ASSED) or « prévisionnel »
    code_postal: str
    commune: str
    transport: str
    rqth: bool
    etat: str  # « [I] » inactive, « » active
    missions: int  # missions en cours today
    volume: float  # their weekly hours
    date_naissance: date | None
    adresse: str

    @property
    def actif(self) -> bool:
        return not self.etat


def source(aesh: Aesh) -> str:
    return PREVISIONNEL if aesh.previsionnel else aesh.source


def en_cours(mission: Mission, today: date) -> bool:
    return mission.actif and mission.debut <= today and (mission.fin is None or today <= mission.fin)


def lignes_aesh(session: Session) -> list[LigneAesh]:
    """Every AESH of the département (the guide's list is departmental), by id."""
    dep, today = session.dep, session.today
    lignes = []
    for a in sorted(dep.aesh.values(), key=lambda a: a.id):
        courantes = [m for m in dep.missions_par_aesh.get(a.id, ()) if en_cours(m, today)]
        lignes.append(LigneAesh(
            id=a.id, aesh=a, nom=propre(f"{a.nom} {a.prenom}"), civilite=a.civilite,
            source=source(a), code_postal=a.code_postal, commune=a.commune,
            transport=a.transport, rqth=a.rqth, etat="" if a.actif else INACTIF,
            missions=len(courantes), volume=sum(m.volume for m in courantes),
            date_naissance=a.date_naissance, adresse=a.adresse,
        ))
    return lignes


# -- the dossier -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class MissionAesh:
    mission: Mission
    activite: str  # the nature's activity (« accompagnement individuel… »), else ""
    employeur: str  # name of the établissement employeur, else its UAI, else ""
    previsionnelle: bool


@dataclass(frozen=True, slots=True)
class AccompagnementAesh:
    acc: Accompagnement
    eleves: tuple[str, ...]  # « NOM Prénom » of each décision's pupil (else the décision id)
    etablissement: str  # name, else the UAI
    mutualise: bool
    previsionnel: bool
    anomalie: bool


@dataclass(frozen=True, slots=True)
class DossierAesh:
    aesh: Aesh
    missions: tuple[MissionAesh, ...]  # latest start first
    accompagnements: tuple[AccompagnementAesh, ...]  # latest start first


def dossier_aesh(session: Session, aesh_id: str) -> DossierAesh | None:
    """The dossier of an AESH, or None when it no longer exists. All its
    accompagnements, whatever the user's secteurs: its occupation is whole."""
    dep = session.dep
    aesh = dep.aesh.get(aesh_id)
    if aesh is None:
        return None
    anomalies = session.anomalies
    missions = sorted(dep.missions_par_aesh.get(aesh_id, ()), key=lambda m: (m.debut, m.id),
                      reverse=True)
    vues_missions = []
    accs: list[Accompagnement] = []
    for m in missions:
        nature = NATURES.get(m.nature)
        etab = dep.etablissements.get(m.uai_employeur) if m.uai_employeur else None
        vues_missions.append(MissionAesh(
            mission=m, activite=nature.activite if nature else "",
            employeur=etab.nom if etab else (m.uai_employeur or ""),
            previsionnelle=dep.mission_previsionnelle(m.id),
        ))
        accs.extend(dep.accompagnements_par_mission.get(m.id, ()))
    vues_accs = []
    for acc in sorted(accs, key=lambda a: (a.debut, a.id), reverse=True):
        eleves = []
        for d in acc.decision_ids:
            decision = dep.decisions.get(d)
            eleve = dep.eleves.get(decision.eleve_id) if decision else None
            eleves.append(propre(f"{eleve.nom} {eleve.prenom}") if eleve else propre(d))
        etab = dep.etablissements.get(acc.uai)
        vues_accs.append(AccompagnementAesh(
            acc=acc, eleves=tuple(eleves), etablissement=etab.nom if etab else acc.uai,
            mutualise=acc.mutualise, previsionnel=dep.accompagnement_previsionnel(acc),
            anomalie=acc.id in anomalies,
        ))
    return DossierAesh(aesh, tuple(vues_missions), tuple(vues_accs))

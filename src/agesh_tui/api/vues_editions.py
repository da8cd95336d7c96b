"""Tableau de bord (SPEC F12, §2.4, guide §11.2): the eight incohérences
and the two cas particuliers of the perimeter, and the rows of the list of
cases behind each line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..engine.modele.model import LIBELLES_TYPE_DECISION
from ..engine.regles.incoherences import (
    LIBELLES_CAS_PARTICULIERS,
    LIBELLES_INCOHERENCES,
    CasParticulier,
    Incoherence,
    incoherences,
)
from ..engine.regles.perimetre import dans_perimetre, etablissements_scolarisation
from ..engine.texte import propre
from .vues_accompagnements import noms_eleves

if TYPE_CHECKING:
    from .session import Session

TYPES_INCOHERENCES = tuple(sorted(LIBELLES_INCOHERENCES))
TYPES_CAS = tuple(LIBELLES_CAS_PARTICULIERS)


def incoherences_perimetre(session: Session) -> list[Incoherence]:
    """Only the accompagnements already known in anomalie (computed at load
    and after each write) are checked again: the others have none."""
    dep, secteurs = session.dep, session.secteurs
    ids = [i for i in session.anomalies if i in dep.accompagnements]
    if secteurs:
        ids = [i for i in ids
               if any(d in dep.decisions and dans_perimetre(dep, dep.decisions[d], secteurs)
                      for d in dep.accompagnements[i].decision_ids)]
    return incoherences(dep, ids)


def incoherences_par_type(session: Session) -> dict[int, tuple[Incoherence, ...]]:
    """Every type 1..8, maybe without case (tens of milliseconds on demo L)."""
    par_type: dict[int, list[Incoherence]] = {t: [] for t in TYPES_INCOHERENCES}
    for inc in incoherences_perimetre(session):
        par_type.setdefault(inc.type, []).append(inc)
    return {t: tuple(v) for t, v in par_type.items()}


def cas_par_type(session: Session) -> dict[str, tuple[CasParticulier, ...]]:
    """Both types, maybe without case (a pass over every décision: slower)."""
    cas: dict[str, list[CasParticulier]] = {t: [] for t in TYPES_CAS}
    for c in session.cas_particuliers():
        cas.setdefault(c.type, []).append(c)
    return {t: tuple(v) for t, v in cas.items()}


# -- the lists of cases ------------------------------------------------------------------

@dataclass(slots=True)
class LigneCasIncoherence:
    id: str  # the accompagnement's
    type: int
    eleves: str  # « NOM Prénom », several joined
    aesh: str
    etablissement: str
    debut: date
    fin: date
    heures: float
    detail: str


@dataclass(slots=True)
class LigneCasParticulier:
    id: str  # the décision's
    type: str
    eleve: str
    etablissement: str
    debut: date
    fin: date
    type_decision: str
    detail: str


def lignes_incoherence(session: Session, cas: tuple[Incoherence, ...]) -> list[LigneCasIncoherence]:
    dep = session.dep
    lignes = []
    for inc in cas:
        acc = dep.accompagnements.get(inc.accompagnement_id)
        if acc is None:
            continue
        mission = dep.missions.get(acc.mission_id)
        aesh = dep.aesh.get(mission.aesh_id) if mission else None
        etab = dep.etablissements.get(acc.uai)
        lignes.append(LigneCasIncoherence(
            id=acc.id, type=inc.type, eleves=", ".join(noms_eleves(dep, acc.decision_ids)),
            aesh=propre(f"{aesh.nom} {aesh.prenom}") if aesh else "",
            etablissement=propre(etab.nom) if etab else propre(acc.uai),
            debut=acc.debut, fin=acc.fin, heures=acc.heures, detail=propre(inc.detail),
        ))
    return lignes


def lignes_cas_particuliers(session: Session,
                            tous: tuple[CasParticulier, ...]) -> list[LigneCasParticulier]:
    dep = session.dep
    lignes = []
    for cas in tous:
        d = dep.decisions.get(cas.decision_id)
        if d is None:
            continue
        eleve = dep.eleves.get(d.eleve_id)
        uais = etablissements_scolarisation(dep, d)
        etab = dep.etablissements.get(uais[-1]) if uais else None
        lignes.append(LigneCasParticulier(
            id=d.id, type=cas.type,
            eleve=propre(f"{eleve.nom} {eleve.prenom}") if eleve else propre(d.eleve_id),
            etablissement=propre(etab.nom) if etab else (propre(uais[-1]) if uais else ""),
            debut=d.debut, fin=d.fin,
            type_decision=LIBELLES_TYPE_DECISION.get(d.type, propre(d.type)),
            detail=propre(cas.detail),
        ))
    return lignes

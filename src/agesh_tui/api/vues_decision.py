"""The détail of a décision (guide §6, §11.1): the élève, the décision and
its frise, the accompagnements that implement it with their mission, AESH
and incohérences, the élève's scolarités, décisions and proches."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..engine.modele.model import (
    Accompagnement,
    Aesh,
    Decision,
    Eleve,
    Mission,
    Proche,
    Scolarite,
)
from ..engine.regles.couverture import Frise
from ..engine.regles.incoherences import Incoherence

if TYPE_CHECKING:
    from .session import Session


@dataclass(frozen=True, slots=True)
class AccompagnementVu:
    acc: Accompagnement
    mission: Mission | None
    aesh: Aesh | None
    etablissement: str  # name, else the UAI
    distance_km: float | None
    previsionnel: bool
    individualise: bool
    incoherences: tuple[Incoherence, ...]


@dataclass(frozen=True, slots=True)
class ScolariteVue:
    scolarite: Scolarite
    etablissement: str | None  # None: unknown UAI


@dataclass(frozen=True, slots=True)
class FicheDecision:
    decision: Decision
    eleve: Eleve | None
    frise: Frise
    accompagnements: tuple[AccompagnementVu, ...]  # by start
    scolarites: tuple[ScolariteVue, ...]
    decisions_eleve: tuple[tuple[Decision, Frise], ...]
    proches: tuple[Proche, ...] | None  # None: the base could not be read


def fiche_decision(session: Session, decision_id: str) -> FicheDecision | None:
    dep = session.dep
    decision = dep.decisions.get(decision_id)
    frise = session.frise(decision_id) if decision else None
    if decision is None or frise is None:
        return None
    anomalies = session.anomalies
    vus = []
    for acc in sorted(dep.accompagnements_par_decision.get(decision.id, ()), key=lambda a: a.debut):
        mission = dep.missions.get(acc.mission_id)
        etab = dep.etablissements.get(acc.uai)
        vus.append(AccompagnementVu(
            acc=acc,
            mission=mission,
            aesh=dep.aesh.get(mission.aesh_id) if mission else None,
            etablissement=etab.nom if etab else acc.uai,
            distance_km=dep.distance_aesh(acc),
            previsionnel=dep.accompagnement_previsionnel(acc),
            individualise=all(dep.decisions[i].individuelle for i in acc.decision_ids
                              if i in dep.decisions),
            incoherences=tuple(session.incoherences_accompagnement(acc))
            if acc.id in anomalies else (),
        ))
    scolarites = []
    for s in dep.scolarites_par_eleve.get(decision.eleve_id, ()):
        etab = dep.etablissements.get(s.uai)
        scolarites.append(ScolariteVue(s, etab.nom if etab else None))
    autres = []
    for d in dep.decisions_par_eleve.get(decision.eleve_id, ()):
        f = session.frise(d.id)
        if f is not None:  # a reload may have removed it
            autres.append((d, f))
    return FicheDecision(
        decision=decision,
        eleve=dep.eleves.get(decision.eleve_id),
        frise=frise,
        accompagnements=tuple(vus),
        scolarites=tuple(scolarites),
        decisions_eleve=tuple(autres),
        proches=session.proches(decision.eleve_id),
    )

"""Créer un accompagnement from a mission (SPEC F9, guide §8): the décisions
a gestionnaire may want that mission to cover — those of the perimeter
active on the current school year and not fully covered, nearest to the
mission's AESH first (km from the AESH's home to the pupil's school)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..engine.calendrier import annee_scolaire, debut_annee, fin_annee
from ..engine.geo import distance_km
from .vues_accueil import LigneDecision

if TYPE_CHECKING:
    from .session import Session


@dataclass(frozen=True, slots=True)
class DecisionProche:
    ligne: LigneDecision
    couverture: float  # percent of the décision covered
    distance_km: float | None  # unknown without coordinates


def decisions_proches(session: Session, mission_id: str) -> list[DecisionProche]:
    """Nearest first, unknown distances last; [] for an unknown mission."""
    dep, today = session.dep, session.today
    mission = dep.missions.get(mission_id)
    if mission is None:
        return []
    aesh = dep.aesh.get(mission.aesh_id)
    annee = annee_scolaire(today)
    debut, fin = debut_annee(annee), fin_annee(annee)
    out = []
    for ligne in session.lignes_accueil():
        if ligne.fin < debut or ligne.debut > fin:
            continue
        frise = session.frise(ligne.id)
        # No couverture: no day of scolarité, nothing an AESH could cover.
        if frise is None or frise.couverture is None or frise.couverture >= 100:
            continue
        etab = dep.etablissements.get(ligne.uais[0]) if ligne.uais else None
        out.append(DecisionProche(ligne, frise.couverture, distance_km(aesh, etab)))
    out.sort(key=lambda d: (d.distance_km is None, d.distance_km or 0.0, d.ligne.nom, d.ligne.id))
    return out

"""The Accompagnements menu (SPEC F10, guide §10.1): one row per
accompagnement of the perimeter — shared by the screen's list and the
command line's spreadsheet (api/tableaux.py) —, and the détail of one
accompagnement: its mission and AESH, its établissement, its décisions with
their frise, and the incohérences it has (SPEC §2.4)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..engine.modele.departement import Departement
from ..engine.modele.model import (
    Accompagnement,
    Aesh,
    Decision,
    Eleve,
    Etablissement,
    Mission,
)
from ..engine.regles.couverture import Frise
from ..engine.regles.incoherences import LIBELLES_INCOHERENCES, Incoherence
from ..engine.regles.perimetre import dans_perimetre
from ..engine.texte import propre

if TYPE_CHECKING:
    from .session import Session

INDIVIDUALISE, MUTUALISE = "individualisé", "mutualisé"
# The words of the marks: what the « Marques » filter offers and a search finds.
PREVISIONNEL, MAINTIEN, ANOMALIE = "prévisionnel", "maintien", "anomalie"


@dataclass(slots=True)
class LigneAccompagnement:
    id: str
    acc: Accompagnement
    aesh: str  # « NOM Prénom », "" when the mission or the AESH is unknown
    aesh_id: str
    aesh_actif: bool
    mission_id: str
    debut: date
    fin: date
    type: str  # INDIVIDUALISE | MUTUALISE
    decisions: int
    eleves: tuple[str, ...]
    etablissement: str  # name, "" when unknown
    uai: str
    heures: float
    previsionnel: bool  # flagged, or on a prévisionnel mission or AESH
    maintien: bool
    anomalie: bool  # has an incohérence (SPEC §2.4)

    @property
    def marques(self) -> tuple[str, ...]:
        return tuple(m for m, oui in ((PREVISIONNEL, self.previsionnel), (MAINTIEN, self.maintien),
                                      (ANOMALIE, self.anomalie)) if oui)


def noms_eleves(dep: Departement, decision_ids: Iterable[str]) -> list[str]:
    """« NOM Prénom » of each décision's pupil (the décision's id when unknown)."""
    noms = []
    for d in decision_ids:
        decision = dep.decisions.get(d)
        eleve = dep.eleves.get(decision.eleve_id) if decision else None
        noms.append(_nom(eleve) if eleve else propre(d))
    return noms


def accompagnements_du_perimetre(session: Session) -> list[Accompagnement]:
    """The accompagnements with a décision in the user's secteurs (all of
    them for the whole département)."""
    dep, secteurs = session.dep, session.secteurs
    if not secteurs:
        return list(dep.accompagnements.values())
    return [a for a in dep.accompagnements.values()
            if any(d in dep.decisions and dans_perimetre(dep, dep.decisions[d], secteurs)
                   for d in a.decision_ids)]


def _nom(personne: Aesh | Eleve) -> str:
    return propre(f"{personne.nom} {personne.prenom}")


def lignes_accompagnements(session: Session) -> list[LigneAccompagnement]:
    """The rows, by AESH then start (the user's sorts apply on top)."""
    dep, anomalies = session.dep, session.anomalies
    noms_etabs = {uai: propre(e.nom) for uai, e in dep.etablissements.items()}
    noms_aesh: dict[str, str] = {}
    lignes = []
    for a in accompagnements_du_perimetre(session):
        mission = dep.missions.get(a.mission_id)
        aesh = dep.aesh.get(mission.aesh_id) if mission else None
        if aesh is not None and aesh.id not in noms_aesh:
            noms_aesh[aesh.id] = _nom(aesh)
        eleves = noms_eleves(dep, a.decision_ids)
        lignes.append(LigneAccompagnement(
            id=a.id,
            acc=a,
            aesh=noms_aesh[aesh.id] if aesh else "",
            aesh_id=aesh.id if aesh else "",
            aesh_actif=aesh is None or aesh.actif,
            mission_id=a.mission_id,
            debut=a.debut,
            fin=a.fin,
            type=MUTUALISE if a.mutualise else INDIVIDUALISE,
            decisions=len(a.decision_ids),
            eleves=tuple(eleves),
            etablissement=noms_etabs.get(a.uai, ""),
            uai=a.uai,
            heures=a.heures,
            previsionnel=dep.accompagnement_previsionnel(a),
            maintien=a.maintien,
            anomalie=a.id in anomalies,
        ))
    lignes.sort(key=lambda l: (l.aesh.casefold(), l.debut, l.id))
    return lignes


# -- the détail --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DecisionAccompagnee:
    decision: Decision
    eleve: Eleve | None
    nom: str  # the élève's « NOM Prénom », else its id
    frise: Frise | None  # None: removed by a reload meanwhile


@dataclass(frozen=True, slots=True)
class IncoherenceVue:
    incoherence: Incoherence
    libelle: str  # the tableau de bord's line (SPEC §2.4)


@dataclass(frozen=True, slots=True)
class FicheAccompagnement:
    acc: Accompagnement
    type: str
    mission: Mission | None
    aesh: Aesh | None
    etablissement: Etablissement | None
    secteur: str  # name, "" when the établissement is in none
    tete_pial: str  # name of the tête de PIAL, "" hors PIAL
    distance_km: float | None
    previsionnel: bool
    # The most hours the mission carries on a day of the accompagnement
    # (this one and its concurrents), None without a mission.
    occupation_max: float | None
    decisions: tuple[DecisionAccompagnee, ...]
    incoherences: tuple[IncoherenceVue, ...]


def fiche_accompagnement(session: Session, acc_id: str) -> FicheAccompagnement | None:
    """None when the accompagnement no longer exists (another session
    removed it, then the data was reloaded)."""
    dep = session.dep
    acc = dep.accompagnements.get(acc_id)
    if acc is None:
        return None
    mission = dep.missions.get(acc.mission_id)
    aesh = dep.aesh.get(mission.aesh_id) if mission else None
    etab = dep.etablissements.get(acc.uai)
    code_secteur = dep.secteur_par_uai.get(acc.uai)
    secteur = dep.secteurs.get(code_secteur) if code_secteur else None
    pial = dep.pial_de(acc.uai)
    tete = dep.etablissements.get(pial) if pial else None
    occupation_max = None
    if mission is not None:
        sur_periode = [p.heures for p in session.occupation(mission)
                       if p.debut <= acc.fin and acc.debut <= p.fin]
        occupation_max = max(sur_periode, default=acc.heures)
    decisions = []
    for d in acc.decision_ids:
        decision = dep.decisions.get(d)
        if decision is None:
            continue
        eleve = dep.eleves.get(decision.eleve_id)
        decisions.append(DecisionAccompagnee(decision, eleve, _nom(eleve) if eleve else propre(d),
                                             session.frise(d)))
    incoherences = tuple(IncoherenceVue(i, LIBELLES_INCOHERENCES.get(i.type, f"Incohérence {i.type}"))
                         for i in session.incoherences_accompagnement(acc))
    return FicheAccompagnement(
        acc=acc,
        type=MUTUALISE if acc.mutualise else INDIVIDUALISE,
        mission=mission,
        aesh=aesh,
        etablissement=etab,
        secteur=propre(secteur.nom) if secteur else "",
        tete_pial=(propre(tete.nom) if tete else propre(pial)) if pial else "",
        distance_km=dep.distance_aesh(acc),
        previsionnel=dep.accompagnement_previsionnel(acc),
        occupation_max=occupation_max,
        decisions=tuple(decisions),
        incoherences=incoherences,
    )

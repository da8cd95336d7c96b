"""Missions (SPEC F9, guide §8): the list's rows — one per mission, its
texts and its occupation computed once per load — and a mission's detail.

The Missions screen and the spreadsheet export (api/tableaux.py) read the
same rows: one rule for each value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..engine.modele.model import Accompagnement, Aesh, AffectationPial, Mission
from ..engine.modele.natures import NATURES, accompagnante
from ..engine.regles.occupation import PeriodeOccupation, fin_affichee, sommes
from ..engine.texte import propre

if TYPE_CHECKING:
    from .session import Session

LIBELLES_SOURCE = {"EPP": "base RH EPP", "ASSED": "base RH ASSED",
                   "previsionnel": "prévisionnelle (pas encore dans les bases RH)"}


@dataclass(slots=True)
class LigneMission:
    id: str
    mission: Mission
    aesh_id: str
    nom: str  # of the AESH, cleaned; its id when unknown
    code_postal: str
    commune: str
    transport: str
    contrat: str
    debut: date
    fin: date | None
    nature: str
    quotite: float | None
    volume: float
    employeur: str  # the établissement's name
    uai_employeur: str
    actif: bool
    previsionnel: bool  # the mission or its AESH
    accompagnant: bool  # its nature may carry accompagnements d'élève
    # The occupation bar: the periods over [debut, fin_barre].
    occupation: tuple[PeriodeOccupation, ...]
    fin_barre: date
    heures_aujourdhui: float  # taken by the accompagnements covering today


def heures_du_jour(accompagnements: list[Accompagnement] | tuple[Accompagnement, ...],
                   today: date) -> float:
    """Hours of the mission taken today: Σ of the accompagnements covering it."""
    return sum(a.heures for a in accompagnements if a.debut <= today <= a.fin)


def ligne_mission(session: Session, mission: Mission) -> LigneMission:
    dep, today = session.dep, session.today
    aesh = dep.aesh.get(mission.aesh_id)
    accs = dep.accompagnements_par_mission.get(mission.id, ())
    fin_barre = fin_affichee(mission, accs, today)
    etab = dep.etablissements.get(mission.uai_employeur) if mission.uai_employeur else None
    return LigneMission(
        id=mission.id,
        mission=mission,
        aesh_id=mission.aesh_id,
        nom=propre(f"{aesh.nom} {aesh.prenom}") if aesh else propre(mission.aesh_id),
        code_postal=propre(aesh.code_postal) if aesh else "",
        commune=propre(aesh.commune) if aesh else "",
        transport=propre(aesh.transport) if aesh else "",
        contrat=propre(mission.contrat),
        debut=mission.debut,
        fin=mission.fin,
        nature=propre(mission.nature),
        quotite=mission.quotite,
        volume=mission.volume,
        employeur=propre(etab.nom) if etab else "",
        uai_employeur=mission.uai_employeur or "",
        actif=mission.actif,
        previsionnel=dep.mission_previsionnelle(mission.id),
        accompagnant=accompagnante(mission.nature),
        occupation=tuple(sommes(((a.debut, a.fin, a.heures) for a in accs),
                                mission.debut, fin_barre)),
        fin_barre=fin_barre,
        heures_aujourdhui=heures_du_jour(accs, today),
    )


def lignes_missions(session: Session) -> list[LigneMission]:
    """Every mission of the département (the gestionnaire sees the missions
    of all the employeurs of the département, guide §8), by id."""
    return [ligne_mission(session, m) for m in sorted(session.dep.missions.values(),
                                                      key=lambda m: m.id)]


# -- the detail ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class AccompagnementDeMission:
    acc: Accompagnement
    eleves: tuple[str, ...]  # « NOM Prénom », cleaned
    classes: tuple[str, ...]  # their classes in the établissement (when known)
    etablissement: str  # name, else the UAI
    individualise: bool
    previsionnel: bool
    anomalie: bool


@dataclass(frozen=True, slots=True)
class AffectationVue:
    affectation: AffectationPial
    pial: str  # the tête de PIAL's name, else its UAI


@dataclass(frozen=True, slots=True)
class FicheMission:
    ligne: LigneMission
    aesh: Aesh | None
    activite: str  # of the nature; « nature inconnue » when not in the table
    base_nature: str  # EPP T2, ASSED HT2
    payeur: str  # établissement payeur's name, else its UAI
    affectations: tuple[AffectationVue, ...]  # by start
    accompagnements: tuple[AccompagnementDeMission, ...]  # by start


def _classe(session: Session, eleve_id: str, uai: str, debut: date, fin: date) -> str:
    for s in session.dep.scolarites_par_eleve.get(eleve_id, ()):
        if s.uai == uai and s.debut <= fin and (s.fin is None or s.fin >= debut):
            return propre(s.classe)
    return ""


def fiche_mission(session: Session, mission_id: str) -> FicheMission | None:
    """The detail of a mission, or None when it no longer exists."""
    dep = session.dep
    mission = dep.missions.get(mission_id)
    if mission is None:
        return None
    nature = NATURES.get(mission.nature)
    payeur = dep.etablissements.get(mission.uai_payeur) if mission.uai_payeur else None
    affectations = tuple(
        AffectationVue(a, propre(e.nom) if (e := dep.etablissements.get(a.pial_uai)) else a.pial_uai)
        for a in sorted(dep.affectations_par_mission.get(mission.id, ()), key=lambda a: a.debut)
    )
    anomalies = session.anomalies
    accs = []
    for acc in sorted(dep.accompagnements_par_mission.get(mission.id, ()),
                      key=lambda a: (a.debut, a.id)):
        eleves, classes, individualise = [], [], True
        for decision_id in acc.decision_ids:
            decision = dep.decisions.get(decision_id)
            if decision is None:
                eleves.append(propre(decision_id))
                continue
            individualise = individualise and decision.individuelle
            eleve = dep.eleves.get(decision.eleve_id)
            eleves.append(propre(f"{eleve.nom} {eleve.prenom}") if eleve else propre(decision.eleve_id))
            classe = _classe(session, decision.eleve_id, acc.uai, acc.debut, acc.fin)
            if classe and classe not in classes:
                classes.append(classe)
        etab = dep.etablissements.get(acc.uai)
        accs.append(AccompagnementDeMission(
            acc=acc, eleves=tuple(eleves), classes=tuple(classes),
            etablissement=propre(etab.nom) if etab else propre(acc.uai),
            individualise=individualise, previsionnel=dep.accompagnement_previsionnel(acc),
            anomalie=acc.id in anomalies,
        ))
    return FicheMission(
        ligne=ligne_mission(session, mission),
        aesh=dep.aesh.get(mission.aesh_id),
        activite=nature.activite if nature else "nature inconnue de la table des natures",
        base_nature=f"{nature.base} {nature.contrat}" if nature else "",
        payeur=(propre(payeur.nom) if payeur else propre(mission.uai_payeur or "")),
        affectations=affectations,
        accompagnements=tuple(accs),
    )

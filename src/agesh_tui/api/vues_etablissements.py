"""Accompagnement par établissement (SPEC F12, guide §10.3): the rows of
the screen — one per établissement of the perimeter with pupils notified or
accompagnements on the day, and one per PIAL summing its établissements —
and the detail of one établissement (its pupils notified and their AESH).
Read-only; computed from the loaded département."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..engine.modele.model import LIBELLES_TYPE_DECISION, Decision
from ..engine.nombres import heures
from ..engine.regles.etablissements import (
    Comptes,
    EleveNotifie,
    comptes_etablissements,
    comptes_pial,
    eleves_notifies,
)
from ..engine.texte import propre, replier

if TYPE_CHECKING:
    from .session import Session

NIVEAU_ETABLISSEMENT, NIVEAU_PIAL = "établissement", "PIAL"


@dataclass(frozen=True, slots=True)
class LigneComptesEtablissement:
    cle: str  # « E:UAI » or « P:UAI »: an établissement and the PIAL it heads differ
    niveau: str
    uai: str
    nom: str
    commune: str
    pial: str  # the tête de PIAL's name, « hors PIAL »
    individuelles: int
    mutualisees: int
    accompagnements: int
    aesh: int

    @property
    def decisions(self) -> int:
        return self.individuelles + self.mutualisees


@dataclass(frozen=True, slots=True)
class EleveDetail:
    eleve_id: str
    decision_id: str  # the latest started of the day's décisions: what Entrée opens
    nom: str
    classe: str
    decisions: str
    aesh: str


@dataclass(frozen=True, slots=True)
class AeshDetail:
    aesh_id: str
    nom: str
    eleves: int
    heures: float


@dataclass(frozen=True, slots=True)
class DetailEtablissement:
    uai: str
    nom: str  # « Nom, commune »
    pial: str
    jour: date
    comptes: Comptes
    eleves: tuple[EleveDetail, ...]
    aesh: tuple[AeshDetail, ...]


def _uais_perimetre(session: Session) -> list[str]:
    dep = session.dep
    secteurs = set(session.secteurs)
    return [u for u, e in dep.etablissements.items()
            if e.scolaire and (not secteurs or dep.secteur_par_uai.get(u) in secteurs)]


def lignes_comptes(session: Session) -> list[LigneComptesEtablissement]:
    dep, jour = session.dep, session.today
    comptes = comptes_etablissements(dep, jour, session.decisions(), _uais_perimetre(session))
    gardes = {u: c for u, c in comptes.items() if c.decisions or c.accompagnements}

    def nom_pial(uai: str) -> str:
        pial = dep.pial_de(uai)
        return propre(session.nom_etablissement(pial) or pial) if pial else "hors PIAL"

    lignes = []
    for uai, c in gardes.items():
        etab = dep.etablissements[uai]
        lignes.append(LigneComptesEtablissement(f"E:{uai}", NIVEAU_ETABLISSEMENT, uai, propre(etab.nom),
                                         propre(etab.commune), nom_pial(uai), c.individuelles,
                                         c.mutualisees, c.accompagnements, len(c.aesh)))
    for pial, c in comptes_pial(dep, gardes).items():
        tete = dep.etablissements.get(pial)
        lignes.append(LigneComptesEtablissement(
            f"P:{pial}", NIVEAU_PIAL, pial, propre(f"PIAL {tete.nom}" if tete else f"PIAL {pial}"),
            propre(tete.commune) if tete else "", propre(tete.nom) if tete else pial,
            c.individuelles, c.mutualisees, c.accompagnements, len(c.aesh)))
    # By name until the user sorts: the same order on every run.
    lignes.sort(key=lambda l: (l.niveau != NIVEAU_ETABLISSEMENT, replier(l.nom), l.uai))
    return lignes


def _decision(d: Decision) -> str:
    type_ = LIBELLES_TYPE_DECISION.get(d.type, d.type)
    return f"{type_} {heures(d.heures)}".strip()


def detail_etablissement(session: Session, uai: str) -> DetailEtablissement | None:
    """The pupils notified in ``uai`` today and their AESH; None for an
    établissement the base does not know."""
    dep, jour = session.dep, session.today
    etab = dep.etablissements.get(uai)
    if etab is None:
        return None
    tous = eleves_notifies(dep, jour, session.decisions())
    notifies: list[EleveNotifie] = tous.get(uai, [])
    comptes = comptes_etablissements(dep, jour, (), [uai], tous)[uai]
    eleves = []
    for e in notifies:
        eleve = dep.eleves.get(e.eleve_id)
        noms = []
        for a in e.accompagnements:
            mission = dep.missions.get(a.mission_id)
            personne = dep.aesh.get(mission.aesh_id) if mission else None
            qui = f"{personne.nom} {personne.prenom}" if personne else "AESH inconnu"
            noms.append(f"{qui} ({heures(a.heures)})")
        eleves.append(EleveDetail(
            e.eleve_id, e.decisions[-1].id,
            propre(f"{eleve.nom} {eleve.prenom}" if eleve else e.eleve_id),
            propre(e.classe), " ; ".join(_decision(d) for d in e.decisions),
            propre(" ; ".join(noms)) or "—"))
    eleves.sort(key=lambda x: (x.nom, x.eleve_id))
    par_aesh: dict[str, tuple[set[str], float]] = {}
    for a in dep.accompagnements.values():
        if a.uai != uai or not a.debut <= jour <= a.fin:
            continue
        mission = dep.missions.get(a.mission_id)
        if mission is None:
            continue
        eleves_aesh, total = par_aesh.get(mission.aesh_id, (set(), 0.0))
        eleves_aesh |= {d.eleve_id for i in a.decision_ids if (d := dep.decisions.get(i))}
        par_aesh[mission.aesh_id] = (eleves_aesh, total + a.heures)
    aesh: list[AeshDetail] = []
    for aesh_id, (eleves_aesh, total) in par_aesh.items():
        personne = dep.aesh.get(aesh_id)
        aesh.append(AeshDetail(aesh_id, propre(f"{personne.nom} {personne.prenom}" if personne
                                               else aesh_id), len(eleves_aesh), total))
    aesh.sort(key=lambda x: (x.nom, x.aesh_id))
    pial = dep.pial_de(uai)
    nom_pial = (f"{propre(session.nom_etablissement(pial)) or pial} ({pial})" if pial
                else "hors PIAL")
    return DetailEtablissement(uai, propre(f"{etab.nom}, {etab.commune}" if etab.commune
                                           else etab.nom), nom_pial, jour, comptes,
                               tuple(eleves), tuple(aesh))

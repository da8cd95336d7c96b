"""The département loaded in memory, with the indexes the rules need.

Loaded once from the store (engine.stockage.chargement); lists, search,
coverage and checks run on it. Writes go to the store first, then are
applied here through the methods that keep the indexes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from typing import Protocol, TypeVar

from ..geo import distance_km
from .model import (
    Accompagnement,
    Aesh,
    AffectationPial,
    Decision,
    Eleve,
    Etablissement,
    Mission,
    Parametres,
    Scolarite,
    Secteur,
)


@dataclass
class Departement:
    etablissements: dict[str, Etablissement] = field(default_factory=dict)
    secteurs: dict[str, Secteur] = field(default_factory=dict)
    secteur_par_uai: dict[str, str] = field(default_factory=dict)
    eleves: dict[str, Eleve] = field(default_factory=dict)
    scolarites: dict[str, Scolarite] = field(default_factory=dict)
    decisions: dict[str, Decision] = field(default_factory=dict)
    aesh: dict[str, Aesh] = field(default_factory=dict)
    missions: dict[str, Mission] = field(default_factory=dict)
    affectations: dict[str, AffectationPial] = field(default_factory=dict)
    accompagnements: dict[str, Accompagnement] = field(default_factory=dict)
    parametres: Parametres = field(default_factory=Parametres)
    changements: int = 0

    # indexes, rebuilt by reindex()
    scolarites_par_eleve: dict[str, list[Scolarite]] = field(default_factory=dict)
    decisions_par_eleve: dict[str, list[Decision]] = field(default_factory=dict)
    missions_par_aesh: dict[str, list[Mission]] = field(default_factory=dict)
    affectations_par_mission: dict[str, list[AffectationPial]] = field(default_factory=dict)
    accompagnements_par_decision: dict[str, list[Accompagnement]] = field(default_factory=dict)
    accompagnements_par_mission: dict[str, list[Accompagnement]] = field(default_factory=dict)
    membres_pial: dict[str, list[str]] = field(default_factory=dict)

    def reindex(self) -> None:
        # attrgetter and no sort of one-element lists: this runs on every
        # load, over every row (a tenth of the load of demo L).
        par_debut = attrgetter("debut")
        self.scolarites_par_eleve = _group(self.scolarites.values(), attrgetter("eleve_id"))
        for scolarites in self.scolarites_par_eleve.values():
            if len(scolarites) > 1:
                scolarites.sort(key=par_debut)
        self.decisions_par_eleve = _group(self.decisions.values(), attrgetter("eleve_id"))
        for decisions in self.decisions_par_eleve.values():
            if len(decisions) > 1:
                decisions.sort(key=par_debut)
        self.missions_par_aesh = _group(self.missions.values(), attrgetter("aesh_id"))
        self.affectations_par_mission = _group(self.affectations.values(), attrgetter("mission_id"))
        self.accompagnements_par_mission = _group(
            self.accompagnements.values(), attrgetter("mission_id")
        )
        par_decision: dict[str, list[Accompagnement]] = defaultdict(list)
        for acc in self.accompagnements.values():
            for decision_id in acc.decision_ids:
                par_decision[decision_id].append(acc)
        self.accompagnements_par_decision = dict(par_decision)
        membres: dict[str, list[str]] = defaultdict(list)
        for etab in self.etablissements.values():
            if etab.pial_uai:
                membres[etab.pial_uai].append(etab.uai)
        self.membres_pial = dict(membres)

    # -- upkeep after a write (the indexes follow without a reindex) -------------------
    def ajouter_accompagnement(self, acc: Accompagnement) -> None:
        self.accompagnements[acc.id] = acc
        self.accompagnements_par_mission.setdefault(acc.mission_id, []).append(acc)
        for decision_id in acc.decision_ids:
            self.accompagnements_par_decision.setdefault(decision_id, []).append(acc)

    def retirer_accompagnement(self, acc_id: str) -> Accompagnement:
        acc = self.accompagnements.pop(acc_id)
        _oter(self.accompagnements_par_mission, acc.mission_id, acc_id)
        for decision_id in acc.decision_ids:
            _oter(self.accompagnements_par_decision, decision_id, acc_id)
        return acc

    def ajouter_aesh(self, aesh: Aesh) -> None:
        """A new AESH, or the new state of one (same id): no index names them."""
        self.aesh[aesh.id] = aesh

    def ajouter_mission(self, mission: Mission) -> None:
        """A new mission, or the new state of one (same id, same AESH or another)."""
        ancienne = self.missions.get(mission.id)
        if ancienne is not None:
            _oter(self.missions_par_aesh, ancienne.aesh_id, mission.id)
        self.missions[mission.id] = mission
        self.missions_par_aesh.setdefault(mission.aesh_id, []).append(mission)

    def ajouter_affectation(self, affectation: AffectationPial) -> None:
        self.affectations[affectation.id] = affectation
        self.affectations_par_mission.setdefault(affectation.mission_id, []).append(affectation)

    def retirer_affectation(self, affectation_id: str) -> AffectationPial:
        affectation = self.affectations.pop(affectation_id)
        _oter(self.affectations_par_mission, affectation.mission_id, affectation_id)
        return affectation

    def mission_previsionnelle(self, mission_id: str) -> bool:
        """The mission, or its AESH, is not yet in the RH bases (guide §5.5)."""
        mission = self.missions.get(mission_id)
        if mission is None:
            return False
        aesh = self.aesh.get(mission.aesh_id)
        return mission.previsionnel or (aesh is not None and aesh.previsionnel)

    def accompagnement_previsionnel(self, acc: Accompagnement) -> bool:
        """Drawn hatched: flagged prévisionnel, or on a prévisionnel mission/AESH."""
        return acc.previsionnel or self.mission_previsionnelle(acc.mission_id)

    def distance_aesh(self, acc: Accompagnement) -> float | None:
        """Km from the AESH's residence to the accompagnement's établissement."""
        mission = self.missions.get(acc.mission_id)
        aesh = self.aesh.get(mission.aesh_id) if mission else None
        return distance_km(aesh, self.etablissements.get(acc.uai))

    def accompagnement_du_jour(self, decision_id: str, today: date) -> Accompagnement | None:
        """The accompagnement of the décision covering today; with several, the
        one that started first, then by id (independent of load order)."""
        en_cours = [a for a in self.accompagnements_par_decision.get(decision_id, ())
                    if a.debut <= today <= a.fin]
        return min(en_cours, key=lambda a: (a.debut, a.id), default=None)

    def pial_de(self, uai: str) -> str | None:
        etab = self.etablissements.get(uai)
        return etab.pial_uai if etab else None


class _Identifie(Protocol):
    @property
    def id(self) -> str: ...


_I = TypeVar("_I", bound=_Identifie)
_T = TypeVar("_T")
_K = TypeVar("_K")


def _oter(index: dict[str, list[_I]], cle: str, ident: str) -> None:
    restants = [x for x in index.get(cle, ()) if x.id != ident]
    if restants:
        index[cle] = restants
    else:
        index.pop(cle, None)


def _group(items: Iterable[_T], key: Callable[[_T], _K]) -> dict[_K, list[_T]]:
    out: dict[_K, list[_T]] = defaultdict(list)
    for item in items:
        out[key(item)].append(item)
    return dict(out)

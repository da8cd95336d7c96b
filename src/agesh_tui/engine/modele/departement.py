"""The département loaded in memory, with the indexes the rules need.

Loaded once from the store (tens of thousands of rows in well under a
second); lists, search, coverage and checks run on it. Writes go to the
store first, then are applied here.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

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
    Proche,
    ReferenceTemps,
    Scolarite,
    Secteur,
)
from ..stockage.sqlite import Store

_d = date.fromisoformat


def _od(text: str | None) -> date | None:
    return _d(text) if text else None


@dataclass
class Departement:
    etablissements: dict[str, Etablissement] = field(default_factory=dict)
    secteurs: dict[str, Secteur] = field(default_factory=dict)
    secteur_par_uai: dict[str, str] = field(default_factory=dict)
    eleves: dict[str, Eleve] = field(default_factory=dict)
    proches: dict[str, list[Proche]] = field(default_factory=lambda: defaultdict(list))
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
        self.scolarites_par_eleve = _group(self.scolarites.values(), lambda s: s.eleve_id)
        for items in self.scolarites_par_eleve.values():
            items.sort(key=lambda s: s.debut)
        self.decisions_par_eleve = _group(self.decisions.values(), lambda d: d.eleve_id)
        for items in self.decisions_par_eleve.values():
            items.sort(key=lambda d: d.debut)
        self.missions_par_aesh = _group(self.missions.values(), lambda m: m.aesh_id)
        self.affectations_par_mission = _group(self.affectations.values(), lambda a: a.mission_id)
        self.accompagnements_par_mission = _group(
            self.accompagnements.values(), lambda a: a.mission_id
        )
        par_decision: dict[str, list[Accompagnement]] = defaultdict(list)
        for acc in self.accompagnements.values():
            for decision_id in acc.decision_ids:
                par_decision[decision_id].append(acc)
        self.accompagnements_par_decision = dict(par_decision)
        self.membres_pial = _group(
            (e for e in self.etablissements.values() if e.pial_uai), lambda e: e.pial_uai
        )
        self.membres_pial = {k: [e.uai for e in v] for k, v in self.membres_pial.items()}

    def mission_previsionnelle(self, mission_id: str) -> bool:
        """The mission, or its AESH, is not yet in the RH bases (guide §5.5)."""
        mission = self.missions.get(mission_id)
        if mission is None:
            return False
        aesh = self.aesh.get(mission.aesh_id)
        return mission.previsionnel or (aesh is not None and aesh.previsionnel)

    def accompagnement_previsionnel(self, acc) -> bool:
        """Drawn hatched: flagged prévisionnel, or on a prévisionnel mission/AESH."""
        return acc.previsionnel or self.mission_previsionnelle(acc.mission_id)

    def distance_aesh(self, acc) -> float | None:
        """Km from the AESH's residence to the accompagnement's établissement."""
        mission = self.missions.get(acc.mission_id)
        aesh = self.aesh.get(mission.aesh_id) if mission else None
        return distance_km(aesh, self.etablissements.get(acc.uai))

    def accompagnement_du_jour(self, decision_id: str, today: date):
        """The accompagnement of the décision covering today; with several, the
        one that started first, then by id (independent of load order)."""
        en_cours = [a for a in self.accompagnements_par_decision.get(decision_id, ())
                    if a.debut <= today <= a.fin]
        return min(en_cours, key=lambda a: (a.debut, a.id), default=None)

    def pial_de(self, uai: str) -> str | None:
        etab = self.etablissements.get(uai)
        return etab.pial_uai if etab else None


def _group(items, key) -> dict:
    out: dict = defaultdict(list)
    for item in items:
        out[key(item)].append(item)
    return dict(out)


def charger(store: Store) -> Departement:
    """Read the whole département from the store into memory."""
    # Hundreds of thousands of new objects, none cyclic garbage: the cyclic
    # collector would rescan them again and again (a third of the time).
    reprendre = gc.isenabled()
    gc.disable()
    try:
        dep = _charger(store)
        # The loaded data lives as long as the session: keep later cyclic
        # collections from rescanning it (refcounting still frees it).
        gc.freeze()
        return dep
    finally:
        if reprendre:
            gc.enable()


def _charger(store: Store) -> Departement:
    dep = Departement()
    rows = store.rows
    dep.etablissements = {
        r[0]: Etablissement(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], bool(r[10]), r[11])
        for r in rows(
            "SELECT uai, nom, type, statut, code_commune, commune, code_postal, latitude, "
            "longitude, circonscription, ulis, pial_uai FROM etablissement"
        )
    }
    dep.secteurs = {r[0]: Secteur(*r) for r in rows("SELECT code, nom, erseh_nom, erseh_mail FROM secteur")}
    dep.secteur_par_uai = {
        uai: code for code, uai in rows("SELECT secteur_code, uai FROM secteur_etablissement")
    }
    dep.eleves = {
        r[0]: Eleve(r[0], r[1], r[2], _od(r[3]), r[4], r[5], r[6])
        for r in rows(
            "SELECT id, nom, prenom, date_naissance, etat_dossier, structure_soin, version FROM eleve"
        )
    }
    proches: dict[str, list[Proche]] = defaultdict(list)
    for r in rows("SELECT eleve_id, nom, prenom, lien, telephone, mail FROM proche"):
        proches[r[0]].append(Proche(*r))
    dep.proches = proches
    dep.scolarites = {
        r[0]: Scolarite(r[0], r[1], r[2], r[3], _d(r[4]), _od(r[5]))
        for r in rows("SELECT id, eleve_id, uai, classe, debut, fin FROM scolarite")
    }
    dep.decisions = {
        r[0]: Decision(r[0], r[1], r[2], r[3], r[4], r[5], _d(r[6]), _d(r[7]))
        for r in rows("SELECT id, eleve_id, type, heures, origine, nature, debut, fin FROM decision")
    }
    dep.aesh = {
        r[0]: Aesh(
            r[0], r[1], r[2], r[3], r[4], _od(r[5]), r[6], r[7], r[8], r[9], r[10], r[11],
            bool(r[12]), bool(r[13]), r[14],
        )
        for r in rows(
            "SELECT id, source, civilite, nom, prenom, date_naissance, adresse, code_postal, "
            "commune, latitude, longitude, transport, rqth, actif, version FROM aesh"
        )
    }
    dep.missions = {
        r[0]: Mission(
            r[0], r[1], r[2], r[3], r[4], r[5], _d(r[6]), _od(r[7]), r[8], r[9], r[10],
            bool(r[11]), r[12],
        )
        for r in rows(
            "SELECT id, aesh_id, contrat, nature, quotite, volume, debut, fin, uai_employeur, "
            "uai_payeur, source, actif, version FROM mission"
        )
    }
    dep.affectations = {
        r[0]: AffectationPial(r[0], r[1], r[2], r[3], r[4], _d(r[5]), _d(r[6]), r[7])
        for r in rows(
            "SELECT id, mission_id, pial_uai, annee, volume, debut, fin, version FROM affectation_pial"
        )
    }
    decision_ids: dict[str, list[str]] = defaultdict(list)
    for acc_id, dec_id in rows(
        "SELECT accompagnement_id, decision_id FROM accompagnement_decision "
        "ORDER BY accompagnement_id, rang"
    ):
        decision_ids[acc_id].append(dec_id)
    dep.accompagnements = {
        r[0]: Accompagnement(
            r[0], r[1], tuple(decision_ids.get(r[0], ())), r[2], _d(r[3]), _d(r[4]), r[5],
            bool(r[6]), bool(r[7]), bool(r[8]), bool(r[9]), r[10], r[11],
        )
        for r in rows(
            "SELECT id, mission_id, uai, debut, fin, heures, repas, pause_meridienne, "
            "previsionnel, maintien, version, remplace FROM accompagnement"
        )
    }
    dep.parametres = Parametres(
        references=[ReferenceTemps(*r) for r in rows("SELECT contrat, base, heures FROM reference_temps")],
        cartouche=dict(rows("SELECT champ, valeur FROM cartouche")),
        formules=dict(rows("SELECT annee, texte FROM formule")),
    )
    dep.changements = store.changements()
    dep.reindex()
    return dep

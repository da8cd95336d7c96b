"""The greedy rule a person would follow (SPEC §2.8), computed beside the
exact plan so that every run says how much better the plan is: the most
urgent décision first (priorité, SPEC §2.1), and for it the nearest AESH
with free hours first, as many as its hours need — within the same rules
and limits as the plan."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from ..nombres import EPSILON_HEURES
from .propositions_candidats import Offres


def ordre_urgence(offres: Offres) -> list[int]:
    """Needs, most urgent first: priorité 1 (nothing in place) before
    partial ones, undefined last; then the most hours, then by décision."""
    besoins = offres.pb.besoins
    return sorted(range(len(besoins)), key=lambda i: (
        besoins[i].priorite is None, -(besoins[i].priorite or 0.0), -besoins[i].heures,
        besoins[i].decision_ids, besoins[i].debut,
    ))


def glouton(offres: Offres) -> dict[int, float]:
    """Hours per pair (Offres.aretes index) of the greedy plan."""
    pb, dep = offres.pb, offres.dep
    lim = pb.limites
    aesh_de: dict[str, set[str]] = defaultdict(set, {k: set(v) for k, v in pb.aesh_en_place.items()})
    etablissements_de: dict[str, set[str]] = defaultdict(
        set, {k: set(v) for k, v in pb.etablissements_en_place.items()})
    ajouts: dict[str, list[tuple[date, date, float]]] = defaultdict(list)
    heures: dict[int, float] = {}
    for i in ordre_urgence(offres):
        b = pb.besoins[i]
        reste = b.heures
        k = 0
        while reste > EPSILON_HEURES:
            if k == len(offres.par_besoin[i]):
                if offres.epuise(i) or _complet(b.decision_ids, aesh_de, lim.aesh_par_decision):
                    break  # no AESH left to ask, or no new one allowed
                offres.etendre(i)  # the next nearest missions
                continue
            e = offres.par_besoin[i][k]
            k += 1
            a = offres.aretes[e]
            if any(a.aesh_id not in aesh_de[d] and len(aesh_de[d]) >= lim.aesh_par_decision
                   for d in b.decision_ids):
                continue
            if b.uai not in etablissements_de[a.aesh_id] and \
                    len(etablissements_de[a.aesh_id]) >= lim.etablissements_par_aesh:
                continue
            libre = offres.libre(dep.missions[a.mission_id], b.debut, b.fin, ajouts[a.mission_id])
            h = round(min(reste, a.plafond, libre), 6)
            if h <= EPSILON_HEURES:
                continue
            heures[e] = h
            reste -= h
            ajouts[a.mission_id].append((b.debut, b.fin, h))
            for d in b.decision_ids:
                aesh_de[d].add(a.aesh_id)
            etablissements_de[a.aesh_id].add(b.uai)
    return heures


def _complet(decision_ids: tuple[str, ...], aesh_de: dict[str, set[str]], limite: int) -> bool:
    """A décision of the need has all the AESH it may have."""
    return any(len(aesh_de[d]) >= limite for d in decision_ids)

"""A good plan fast (SPEC §2.8): the largest needs first, each given the
AESH whose free hours fit it best.

What makes the programme hard is its limit of ``aesh_par_decision`` AESH
per décision (measured on demo M: without it, the relaxation rounded
reaches its bound; with it, 5 % below). A décision of 24 h with two AESH
at most needs large free blocks, and large blocks are few: a small need
must not take one. Hence, as in bin packing (« best fit decreasing »):
needs by weighted hours, largest first; for each, the AESH whose free
hours are the least that cover what is left, else the one with the most
(then the next, as its limit allows); ties to the nearest. Every mission
within the distance is considered, its free hours known without the
rules; the rules are asked only of the one chosen, and a refusal moves to
the next. Measured on demo M: 5 006 weighted hours in 0.1 s, where the
relaxation rounded (propositions_arrondi) gave 4 890 and the greedy rule
3 180; on demo L 19 440 against 18 500 and 11 330.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from datetime import date

import numpy as np

from ..nombres import EPSILON_HEURES
from .propositions_candidats import Offres


def ordre_taille(offres: Offres) -> list[int]:
    """Needs, the most weighted hours first; then those with the fewest
    missions near; then by décision."""
    besoins = offres.pb.besoins
    return sorted(range(len(besoins)), key=lambda i: (
        -besoins[i].heures * besoins[i].poids, len(offres.ordre(i)), besoins[i].decision_ids,
        besoins[i].debut,
    ))


def au_plus_juste(offres: Offres, fin: float = math.inf) -> dict[int, float]:
    """Hours per pair (Offres.aretes index) of the best-fit plan, within
    every rule and limit, with what is in place; at ``time.monotonic()``
    ``fin``, the needs placed so far (a plan too)."""
    pb, dep = offres.pb, offres.dep
    lim = pb.limites
    aesh_de: dict[str, set[str]] = defaultdict(set, {k: set(v) for k, v in pb.aesh_en_place.items()})
    etablissements_de: dict[str, set[str]] = defaultdict(
        set, {k: set(v) for k, v in pb.etablissements_en_place.items()})
    # AESH with all their établissements, by number (Offres.numero_aesh).
    pleins = np.zeros(0, dtype=bool)
    for a, u in etablissements_de.items():
        if len(u) >= lim.etablissements_par_aesh:
            pleins = _agrandir(pleins, offres.numero_aesh(a))
            pleins[offres.numero_aesh(a)] = True
    ici: dict[str, set[int]] = defaultdict(set)  # établissement → its AESH, by number
    for aesh_id, uais in etablissements_de.items():
        for uai in uais:
            ici[uai].add(offres.numero_aesh(aesh_id))
    ajouts: dict[str, list[tuple[date, date, float]]] = defaultdict(list)
    heures: dict[int, float] = {}
    for n, i in enumerate(ordre_taille(offres)):
        if n % 64 == 0 and time.monotonic() > fin:
            break
        b = pb.besoins[i]
        t = offres.tableau(i)
        if not t.missions or offres.refus_etablissement(i) is not None:
            continue
        # Free hours without the plan's (an upper bound), made exact for a
        # mission when it is about to be chosen.
        libre = t.libre.copy()
        exact = np.array([m not in ajouts for m in t.missions], dtype=bool)
        exclus = np.zeros(len(t.missions), dtype=bool)
        for m in offres.refusees(i):
            exclus[t.missions.index(m)] = True
        pleins = _agrandir(pleins, int(t.numeros.max()))
        reste = b.heures
        while reste > EPSILON_HEURES:
            possibles = (libre > EPSILON_HEURES) & ~exclus
            for k in np.nonzero(pleins[t.numeros] & possibles)[0].tolist():
                possibles[k] = int(t.numeros[k]) in ici[b.uai]  # full, unless already there
            for d in b.decision_ids:
                if len(aesh_de[d]) >= lim.aesh_par_decision:  # only its AESH may come
                    possibles &= np.array([a in aesh_de[d] for a in t.aesh], dtype=bool)
            if not possibles.any():
                break
            places = min((lim.aesh_par_decision - len(aesh_de[d]) for d in b.decision_ids), default=1)
            k = _choix(libre, t.km, possibles, reste, places)
            m = t.missions[k]
            if not exact[k]:
                exact[k] = True
                libre[k] = min(libre[k], offres.libre(dep.missions[m], b.debut, b.fin, ajouts[m]))
                continue  # chosen again with its exact free hours
            e = _paire(offres, i, m)
            if e is None:  # the rules refuse it here: the next
                exclus[k] = True
                continue
            paire = offres.aretes[e]
            h = round(min(reste, libre[k], paire.plafond), 6)
            heures[e] = heures.get(e, 0.0) + h
            reste -= h
            libre[k] -= h
            ajouts[m].append((b.debut, b.fin, h))
            for d in b.decision_ids:
                aesh_de[d].add(paire.aesh_id)
            etablissements_de[paire.aesh_id].add(b.uai)
            ici[b.uai].add(int(t.numeros[k]))
            if len(etablissements_de[paire.aesh_id]) >= lim.etablissements_par_aesh:
                pleins[t.numeros[k]] = True
    return heures


def rapprocher(offres: Offres, heures: dict[int, float], fin: float = math.inf) -> dict[int, float]:
    """The same hours, on nearer AESH where they can take them (SPEC §2.8:
    the hours first, then km × hours): best fit looks at free hours, not
    at the road. Each line, the most km × hours first, moves whole to the
    nearest mission with the free hours that the rules and the limits
    accept, if one is nearer by a kilometre at least; at
    ``time.monotonic()`` ``fin``, the moves made so far."""
    pb, dep = offres.pb, offres.dep
    lim = pb.limites
    heures = dict(heures)
    # What the limits count: pairs of the plan per (décision, AESH) and
    # (AESH, établissement), beside what is in place.
    par_decision: Counter[tuple[str, str]] = Counter()
    par_etablissement: Counter[tuple[str, str]] = Counter()
    ajouts: dict[str, dict[int, tuple[date, date, float]]] = defaultdict(dict)
    for e, h in heures.items():
        a, b = offres.aretes[e], pb.besoins[offres.aretes[e].besoin]
        for d in b.decision_ids:
            par_decision[(d, a.aesh_id)] += 1
        par_etablissement[(a.aesh_id, b.uai)] += 1
        ajouts[a.mission_id][e] = (b.debut, b.fin, h)
    aesh_de: dict[str, set[str]] = defaultdict(set, {k: set(v) for k, v in pb.aesh_en_place.items()})
    etablissements_de: dict[str, set[str]] = defaultdict(
        set, {k: set(v) for k, v in pb.etablissements_en_place.items()})
    for d, aesh in par_decision:
        aesh_de[d].add(aesh)
    for aesh, uai in par_etablissement:
        etablissements_de[aesh].add(uai)
    en_place_d, en_place_e = pb.aesh_en_place, pb.etablissements_en_place

    def retirer(e: int) -> None:
        a, b = offres.aretes[e], pb.besoins[offres.aretes[e].besoin]
        for d in b.decision_ids:
            par_decision[(d, a.aesh_id)] -= 1
            if not par_decision[(d, a.aesh_id)] and a.aesh_id not in en_place_d.get(d, ()):
                aesh_de[d].discard(a.aesh_id)
        par_etablissement[(a.aesh_id, b.uai)] -= 1
        if not par_etablissement[(a.aesh_id, b.uai)] and b.uai not in en_place_e.get(a.aesh_id, ()):
            etablissements_de[a.aesh_id].discard(b.uai)
        del ajouts[a.mission_id][e]

    def ajouter(e: int, h: float) -> None:
        a, b = offres.aretes[e], pb.besoins[offres.aretes[e].besoin]
        for d in b.decision_ids:
            par_decision[(d, a.aesh_id)] += 1
            aesh_de[d].add(a.aesh_id)
        par_etablissement[(a.aesh_id, b.uai)] += 1
        etablissements_de[a.aesh_id].add(b.uai)
        ajouts[a.mission_id][e] = (b.debut, b.fin, h)

    for n, e in enumerate(sorted(heures, key=lambda e: (-heures[e] * offres.aretes[e].distance_km, e))):
        if n % 64 == 0 and time.monotonic() > fin:
            break
        a = offres.aretes[e]
        b, h = pb.besoins[a.besoin], heures[e]
        t = offres.tableau(a.besoin)
        plus_pres = np.nonzero((t.km < a.distance_km - 1.0) & (t.libre >= h - EPSILON_HEURES))[0]
        if not len(plus_pres):
            continue
        retirer(e)
        nouvelle = None
        for k in plus_pres[np.argsort(t.km[plus_pres], kind="stable")].tolist():
            m, aesh = t.missions[k], t.aesh[k]
            if any(aesh not in aesh_de[d] and len(aesh_de[d]) >= lim.aesh_par_decision
                   for d in b.decision_ids):
                continue
            if b.uai not in etablissements_de[aesh] and \
                    len(etablissements_de[aesh]) >= lim.etablissements_par_aesh:
                continue
            deja = [x for f, x in ajouts[m].items() if f != e]
            if offres.libre(dep.missions[m], b.debut, b.fin, deja) < h - EPSILON_HEURES:
                continue
            nouvelle = _paire(offres, a.besoin, m)
            if nouvelle is not None and \
                    offres.aretes[nouvelle].plafond >= heures.get(nouvelle, 0.0) + h - EPSILON_HEURES:
                break
            nouvelle = None
        if nouvelle is None:
            ajouter(e, h)  # stays where it was
            continue
        del heures[e]
        heures[nouvelle] = round(heures.get(nouvelle, 0.0) + h, 6)
        if nouvelle in ajouts[offres.aretes[nouvelle].mission_id]:
            retirer(nouvelle)
        ajouter(nouvelle, heures[nouvelle])
    return heures


def _choix(libre: np.ndarray, km: np.ndarray, possibles: np.ndarray, reste: float,
           places: int) -> int:
    """The mission to take for ``reste`` hours: the least free hours that
    cover them; else, with two AESH still allowed, the larger of the two
    whose free hours together cover them least over (its partner, or a
    better fit, comes next); else the most free hours. Ties to the nearest."""
    candidats = np.nonzero(possibles)[0]
    f = libre[candidats]
    assez = f >= reste - EPSILON_HEURES
    if assez.any():
        c = candidats[assez]
        return int(c[np.lexsort((km[c], libre[c]))[0]])
    if places >= 2 and len(candidats) >= 2:
        rang = np.lexsort((km[candidats], f))
        tri = f[rang]
        # For each, the least partner (another) that completes it.
        j = np.searchsorted(tri, reste - tri - EPSILON_HEURES)
        j = np.where(j == np.arange(len(tri)), j + 1, j)
        dedans = j < len(tri)
        if dedans.any():
            i = np.nonzero(dedans)[0]
            somme = tri[i] + tri[j[i]]
            meilleur = int(i[np.argmin(somme)])
            return int(candidats[rang[max(meilleur, int(j[meilleur]))]])
    return int(candidats[np.lexsort((km[candidats], -f))[0]])


def _agrandir(pleins: np.ndarray, numero: int) -> np.ndarray:
    """``pleins`` long enough to hold ``numero``."""
    if numero >= len(pleins):
        pleins = np.concatenate([pleins, np.zeros(numero + 1 - len(pleins), dtype=bool)])
    return pleins


def _paire(offres: Offres, besoin: int, mission_id: str) -> int | None:
    """The need's pair with the mission, the rules asked if they were not."""
    for e in offres.par_besoin[besoin]:
        if offres.aretes[e].mission_id == mission_id:
            return e
    return next((e for e in offres.demander(besoin, [mission_id]) if offres.aretes[e].besoin == besoin),
                None)

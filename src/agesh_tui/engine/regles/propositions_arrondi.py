"""A good plan fast (SPEC §2.8): the linear relaxation, rounded by choosing.

The programme's hard part is its limits (at most ``aesh_par_decision`` AESH
per décision, ``etablissements_par_aesh`` établissements per AESH): their
binaries make HiGHS's branch-and-bound slow to find good plans on a PIAL,
while the relaxation without them (hours of each need, free hours of each
mission on each stretch) is a linear programme solved in a blink. Its
answer says which AESH each décision and which établissements each AESH
should have; once those are chosen — the ones the relaxation uses most —
every plan of the linear programme restricted to them keeps the limits,
and its best plan is exact for that choice. The choice is refined a few
times: a décision or an AESH still below its limit is offered the others
again, the choices made coming first.

Measured on demo M: 4 680 weighted hours where the greedy rule covers
3 180 and a time-limited branch-and-bound 3 650, in under a second of CPU.
The solver (propositions_solveur) starts from it and improves it where
time allows.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Sequence

import highspy
import numpy as np

from .propositions_candidats import Offres

TOURS = 2  # refinements of the choice at most (the first gives most)
DEPARTAGE = 1e-5  # km × hours against hours: ties go to the shorter trip


def arrondi(offres: Offres, aretes: Sequence[int], fin: float = math.inf) -> dict[int, float]:
    """Hours per pair (Offres.aretes index, among ``aretes``) of a plan that
    keeps every row and every limit, with what is in place; at
    ``time.monotonic()`` ``fin``, the best found (none: empty)."""
    r = _Relaxation(offres, list(aretes), fin)
    if not r.aretes:
        return {}
    try:
        x = r.resoudre(r.haut)
        permis = r.choisir(x, {}, {})
        y = r.resoudre(np.where(permis, r.haut, 0.0), guide=False)
    except _Temps:
        return {}
    valeur = r.valeur(y)
    for _ in range(TOURS):
        aesh_de, etablissements_de = r.choix(y)
        try:
            x = r.resoudre(np.where(r.compatibles(aesh_de, etablissements_de), r.haut, 0.0))
            permis = r.choisir(x, aesh_de, etablissements_de)
            y2 = r.resoudre(np.where(permis, r.haut, 0.0), guide=False)
        except _Temps:
            break
        if r.valeur(y2) <= valeur + 1e-6:
            break
        y, valeur = y2, r.valeur(y2)
    return {e: float(h) for e, h in zip(r.aretes, y) if h > 1e-9}


class _Temps(Exception):
    """The time given is over."""


class _Relaxation:
    """The linear programme of the pairs: hours of each need, free hours of
    each mission on each stretch (Offres.capacites); no limit."""

    def __init__(self, offres: Offres, aretes: list[int], fin: float):
        pb = offres.pb
        self.fin = fin
        self.pb = pb
        self.aretes = aretes
        a = [offres.aretes[e] for e in aretes]
        self.aesh = [x.aesh_id for x in a]
        self.besoin = np.array([x.besoin for x in a], dtype=np.int64)
        self.uai = [pb.besoins[x.besoin].uai for x in a]
        self.decisions = [pb.besoins[x.besoin].decision_ids for x in a]
        self.poids = np.array([pb.besoins[x.besoin].poids for x in a])
        self.haut = np.array([x.plafond for x in a])
        km = np.array([x.distance_km for x in a])
        self.cout = -self.poids + DEPARTAGE * self.poids * km
        n = len(a)
        besoins = sorted(set(self.besoin.tolist()))
        ligne_de = {i: k for k, i in enumerate(besoins)}
        lignes = [np.array([ligne_de[i] for i in self.besoin.tolist()], dtype=np.int64)]
        colonnes = [np.arange(n, dtype=np.int64)]
        haut_lignes = [pb.besoins[i].heures for i in besoins]
        valeurs = [np.ones(n)]
        paires = [(x.besoin, x.mission_id, x.plafond) for x in a]
        for c in offres.capacites(paires):
            lignes.append(np.full(len(c.aretes), len(haut_lignes), dtype=np.int64))
            colonnes.append(np.array(c.aretes, dtype=np.int64))
            valeurs.append(np.ones(len(c.aretes)))
            haut_lignes.append(c.libre)
        # A décision's AESH, relaxed: a pair at its plafond counts one AESH,
        # at half of it half of one. Without it the relaxation spreads a
        # pupil's hours on every AESH near; with it, it prefers large blocks.
        # It guides the choice only: once chosen, the limit holds by itself.
        self.lignes_limites: list[int] = []
        par_decision: dict[str, list[int]] = defaultdict(list)
        for k, (ds, aesh) in enumerate(zip(self.decisions, self.aesh)):
            for d in ds:
                if aesh not in pb.aesh_en_place.get(d, ()):
                    par_decision[d].append(k)
        for d, ks in par_decision.items():
            reste = pb.limites.aesh_par_decision - len(pb.aesh_en_place.get(d, ()))
            if len({self.aesh[k] for k in ks}) > reste:
                self.lignes_limites.append(len(haut_lignes))
                lignes.append(np.full(len(ks), len(haut_lignes), dtype=np.int64))
                colonnes.append(np.array(ks, dtype=np.int64))
                valeurs.append(1.0 / np.maximum(self.haut[ks], 1e-6))
                haut_lignes.append(float(max(0, reste)))
        ligne = np.concatenate(lignes)
        colonne = np.concatenate(colonnes)
        ordre = np.lexsort((ligne, colonne))  # by column: HiGHS's CSC
        self.index = ligne[ordre].astype(np.int32)
        self.valeurs = np.concatenate(valeurs)[ordre]
        self.debuts = np.concatenate([[0], np.cumsum(np.bincount(colonne, minlength=n))]).astype(np.int32)
        self.haut_lignes = np.array(haut_lignes, dtype=float)
        self.highs: highspy.Highs | None = None
        self.colonnes = np.arange(n, dtype=np.int32)

    def resoudre(self, haut: np.ndarray, guide: bool = True) -> np.ndarray:
        """The best plan of the programme with these upper bounds, with the
        décisions' rows (``guide``) or without (the AESH chosen); from the
        previous one's basis (only bounds change: the simplex restarts
        where it was)."""
        if self.highs is not None:
            h = self.highs
            h.changeColsBounds(len(self.aretes), self.colonnes, np.zeros(len(self.aretes)), haut)
            if self.lignes_limites:
                k = np.array(self.lignes_limites, dtype=np.int32)
                h.changeRowsBounds(  # type: ignore[attr-defined]  # in highspy, not in its stubs
                    len(k), k, np.full(len(k), -np.inf),
                    self.haut_lignes[k] if guide else np.full(len(k), np.inf))
            return self._lancer(haut)
        h = self.highs = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("random_seed", 0)
        lp = highspy.HighsLp()
        lp.num_col_ = len(self.aretes)
        lp.num_row_ = len(self.haut_lignes)
        lp.col_cost_ = self.cout
        lp.col_lower_ = np.zeros(len(self.aretes))
        lp.col_upper_ = haut
        lp.row_lower_ = np.full(len(self.haut_lignes), -np.inf)
        lp.row_upper_ = self.haut_lignes
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = self.debuts
        lp.a_matrix_.index_ = self.index
        lp.a_matrix_.value_ = self.valeurs
        h.passModel(lp)
        return self._lancer(haut)

    def _lancer(self, haut: np.ndarray) -> np.ndarray:
        h = self.highs
        assert h is not None
        reste = self.fin - time.monotonic()
        if reste <= 0:
            raise _Temps
        if math.isfinite(reste):
            h.setOptionValue("time_limit", reste)
        h.run()
        if h.getModelStatus() == highspy.HighsModelStatus.kTimeLimit:
            raise _Temps
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"HiGHS : {h.modelStatusToString(h.getModelStatus())}")  # a bug
        # Clipped: the simplex's noise never exceeds a bound by more than 1e-9.
        return np.clip(np.array(h.getSolution().col_value), 0.0, haut)

    def valeur(self, x: np.ndarray) -> float:
        return float(np.dot(self.poids, x))

    def choix(self, x: np.ndarray) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        """The AESH of each décision and the établissements of each AESH in
        the plan ``x``."""
        aesh_de: dict[str, set[str]] = defaultdict(set)
        etablissements_de: dict[str, set[str]] = defaultdict(set)
        for k in np.nonzero(x > 1e-9)[0].tolist():
            for d in self.decisions[k]:
                aesh_de[d].add(self.aesh[k])
            etablissements_de[self.aesh[k]].add(self.uai[k])
        return aesh_de, etablissements_de

    def compatibles(self, aesh_de: dict[str, set[str]],
                    etablissements_de: dict[str, set[str]]) -> np.ndarray:
        """Pairs that keep the limits with the choices of a plan: a décision
        (an AESH) at its limit keeps its AESH (établissements)."""
        pb, lim = self.pb, self.pb.limites

        def libre_d(d: str, a: str) -> bool:
            choisis = aesh_de.get(d, set()) | pb.aesh_en_place.get(d, frozenset())
            return a in choisis or len(choisis) < lim.aesh_par_decision

        def libre_a(a: str, u: str) -> bool:
            choisis = etablissements_de.get(a, set()) | pb.etablissements_en_place.get(a, frozenset())
            return u in choisis or len(choisis) < lim.etablissements_par_aesh

        return np.array([all(libre_d(d, a) for d in ds) and libre_a(a, u)
                         for ds, a, u in zip(self.decisions, self.aesh, self.uai)], dtype=bool)

    def choisir(self, x: np.ndarray, aesh_de: dict[str, set[str]],
                etablissements_de: dict[str, set[str]]) -> np.ndarray:
        """Pairs kept: for each décision the AESH in place and, up to its
        limit, those ``x`` uses most (the choices ``aesh_de`` first); then
        for each AESH its établissements likewise."""
        pb, lim = self.pb, self.pb.limites
        actives = np.nonzero(x > 1e-9)[0].tolist()
        flux_d: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for k in actives:
            for d in self.decisions[k]:
                flux_d[d][self.aesh[k]] += x[k] * self.poids[k]
        garde_d: dict[str, set[str]] = {}
        for d, flux in flux_d.items():
            en_place = pb.aesh_en_place.get(d, frozenset())
            avant = aesh_de.get(d, set())
            nouveaux = sorted((a for a in flux if a not in en_place),
                              key=lambda a: (a not in avant, -flux[a], a))
            garde_d[d] = set(en_place) | set(nouveaux[:max(0, lim.aesh_par_decision - len(en_place))])
        permis = np.array([all(a in garde_d.get(d, ()) for d in ds)
                           for ds, a in zip(self.decisions, self.aesh)], dtype=bool)
        flux_a: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for k in actives:
            if permis[k]:
                flux_a[self.aesh[k]][self.uai[k]] += x[k] * self.poids[k]
        garde_a: dict[str, set[str]] = {}
        for a, flux in flux_a.items():
            en_place = pb.etablissements_en_place.get(a, frozenset())
            avant = etablissements_de.get(a, set())
            nouveaux = sorted((u for u in flux if u not in en_place),
                              key=lambda u: (u not in avant, -flux[u], u))
            garde_a[a] = set(en_place) | set(nouveaux[:max(0, lim.etablissements_par_aesh - len(en_place))])
        return permis & np.array([u in garde_a.get(a, ()) for a, u in zip(self.aesh, self.uai)],
                                 dtype=bool)

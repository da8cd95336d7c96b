"""A bound proved over every pair (SPEC §2.8): the linear relaxation of
the programme (``Relaxation``: hours of each need, free hours of each
mission on each stretch, each décision's AESH relaxed), solved on some
pairs, its prices applied to every mission within the distance.

A PIAL offers each need a hundred missions or more. The relaxation's rows'
prices (duals) say what a pair left out would bring: the weight of its
need's hours, less the price of the need, of its mission's stretches and
of its décisions' AESH. The pairs worth most are asked of the rules and
added, and the relaxation solved again (column generation) from its basis.

The same prices give the bound (Lagrangian duality): for prices π ≥ 0 of
rows A x ≤ b of a programme max p·x, 0 ≤ x ≤ u,

    p·x ≤ π·b + Σ over every pair u · max(0, p − π·A)

Every pair is counted — every mission within the distance with free hours
on the piece, but those the rules were asked about and refused —, so no
plan covers more, whatever pairs the relaxation holds. A row the
relaxation lacks counts at price 0, which keeps the bound true.
Measured (issue 14): on demo M it converges in five rounds to 5 155
weighted hours where the per-PIAL bound (propositions_solveur.borne) says
5 264; on demo L and XL it needs more rounds than the time limit leaves,
and the per-PIAL bound, within 0,6 % of the relaxation there, stays.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from datetime import date

import highspy
import numpy as np

from ..nombres import EPSILON_HEURES
from .propositions_candidats import Capacite, Offres, Tableau

RENTABLE = 1e-6  # a pair brings more than this per hour: worth asking the rules
NOUVELLES = 4  # pairs added per need and round, at most
DEPARTAGE = 1e-5  # km × hours against hours: ties go to the shorter trip
Base = tuple[dict[int, "highspy.HighsBasisStatus"], dict[tuple[object, ...], "highspy.HighsBasisStatus"]]


class Temps(Exception):
    """The time given is over."""


def borne_relaxation(offres: Offres, aretes: set[int], fin: float) -> float:
    """The least bound the relaxation's prices prove, from these pairs and
    each need's nearest asked, the pairs worth most added round after
    round until none is or ``time.monotonic()`` passes ``fin`` (none
    proved: infinite)."""
    actives = set(aretes)
    for liste in offres.par_besoin:
        actives.update(liste[:2])
    prix = Prix(offres)
    base: Base | None = None
    meilleure = math.inf
    while actives and time.monotonic() < fin:
        r = Relaxation(offres, sorted(actives), fin, base)
        try:
            r.resoudre()
        except Temps:
            break
        valeur, a_demander = prix.evaluer(r, NOUVELLES)
        meilleure = min(meilleure, valeur)
        if not a_demander:
            break
        base = r.base()
        actives |= ajouter(offres, a_demander)
    return meilleure




class Relaxation:
    """The linear programme of some pairs: hours of each need, free hours
    of each mission on each stretch (Offres.capacites), each décision's
    AESH relaxed; no binary. Its rows are kept by kind, so that their
    prices apply to the pairs left out."""

    def __init__(self, offres: Offres, aretes: list[int], fin: float,
                 depart: Base | None = None):
        pb = offres.pb
        self.depart = depart
        self.fin = fin
        self.pb = pb
        self.aretes = aretes
        a = [offres.aretes[e] for e in aretes]
        self.aesh = [x.aesh_id for x in a]
        self.besoin = np.array([x.besoin for x in a], dtype=np.int64)
        self.decisions = [pb.besoins[x.besoin].decision_ids for x in a]
        self.poids = np.array([pb.besoins[x.besoin].poids for x in a])
        self.haut = np.array([x.plafond for x in a])
        km = np.array([x.distance_km for x in a])
        self.cout = -self.poids + DEPARTAGE * self.poids * km
        n = len(a)
        besoins = sorted(set(self.besoin.tolist()))
        self.ligne_besoin = {i: k for k, i in enumerate(besoins)}
        self.cles: list[tuple[object, ...]] = [("b", i) for i in besoins]  # what each row is
        lignes = [np.array([self.ligne_besoin[i] for i in self.besoin.tolist()], dtype=np.int64)]
        colonnes = [np.arange(n, dtype=np.int64)]
        haut_lignes = [pb.besoins[i].heures for i in besoins]
        valeurs = [np.ones(n)]
        paires = [(x.besoin, x.mission_id, x.plafond) for x in a]
        self.capacites: list[tuple[int, Capacite]] = []
        for c in offres.capacites(paires):
            self.capacites.append((len(haut_lignes), c))
            self.cles.append(("c", c.mission_id, c.debut, c.fin))
            lignes.append(np.full(len(c.aretes), len(haut_lignes), dtype=np.int64))
            colonnes.append(np.array(c.aretes, dtype=np.int64))
            valeurs.append(np.ones(len(c.aretes)))
            haut_lignes.append(c.libre)
        # A décision's AESH, relaxed: Σ x / (plafond × k) ≤ the AESH it may
        # still have, k bounding the pairs one AESH may have for it (its
        # missions × the décision's pieces; 1 mostly). A plan keeps it (an
        # AESH's pairs, each at most its plafond, count at most one), so it
        # is a true relaxation; it makes the programme prefer large blocks
        # to a pupil's hours spread on every AESH near.
        self.ligne_decision: dict[str, int] = {}
        par_decision: dict[str, list[int]] = defaultdict(list)
        for k, (ds, aesh) in enumerate(zip(self.decisions, self.aesh)):
            for d in ds:
                if aesh not in pb.aesh_en_place.get(d, ()):
                    par_decision[d].append(k)
        for d, ks in par_decision.items():
            self.ligne_decision[d] = len(haut_lignes)
            self.cles.append(("d", d))
            lignes.append(np.full(len(ks), len(haut_lignes), dtype=np.int64))
            colonnes.append(np.array(ks, dtype=np.int64))
            multiple = np.array([offres.paires_possibles(d, self.aesh[k]) for k in ks], dtype=float)
            valeurs.append(1.0 / (np.maximum(self.haut[ks], 1e-6) * multiple))
            haut_lignes.append(float(max(0, pb.limites.aesh_par_decision - len(pb.aesh_en_place.get(d, ())))))
        ligne = np.concatenate(lignes)
        colonne = np.concatenate(colonnes)
        ordre = np.lexsort((ligne, colonne))  # by column: HiGHS's CSC
        self.index = ligne[ordre].astype(np.int32)
        self.valeurs = np.concatenate(valeurs)[ordre]
        self.debuts = np.concatenate([[0], np.cumsum(np.bincount(colonne, minlength=n))]).astype(np.int32)
        self.haut_lignes = np.array(haut_lignes, dtype=float)
        self.highs: highspy.Highs | None = None

    def base(self) -> Base:
        """The simplex's basis of the last programme solved, by pair and
        row: another relaxation with more pairs restarts from it."""
        assert self.highs is not None
        base = self.highs.getBasis()
        return (dict(zip(self.aretes, base.col_status)), dict(zip(self.cles, base.row_status)))

    def duales(self) -> np.ndarray:
        """The rows' prices of the last programme solved (≥ 0: hours one
        more unit of the row would let cover)."""
        assert self.highs is not None
        return np.maximum(0.0, -np.array(self.highs.getSolution().row_dual))

    def resoudre(self) -> np.ndarray:
        """The programme's best plan (hours per pair, in ``aretes`` order),
        from the basis it was given."""
        h = self.highs = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("random_seed", 0)
        lp = highspy.HighsLp()
        lp.num_col_ = len(self.aretes)
        lp.num_row_ = len(self.haut_lignes)
        lp.col_cost_ = self.cout
        lp.col_lower_ = np.zeros(len(self.aretes))
        lp.col_upper_ = self.haut
        lp.row_lower_ = np.full(len(self.haut_lignes), -np.inf)
        lp.row_upper_ = self.haut_lignes
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = self.debuts
        lp.a_matrix_.index_ = self.index
        lp.a_matrix_.value_ = self.valeurs
        h.passModel(lp)
        if self.depart is not None:
            # Pairs and rows new to this programme: out of the basis, and
            # basic; HiGHS completes a basis of the wrong size (« alien »).
            colonnes, lignes = self.depart
            base = highspy.HighsBasis()
            base.col_status = [colonnes.get(e, highspy.HighsBasisStatus.kLower) for e in self.aretes]
            base.row_status = [lignes.get(c, highspy.HighsBasisStatus.kBasic) for c in self.cles]
            base.alien = True
            base.valid = True
            h.setBasis(base)
        reste = self.fin - time.monotonic()
        if reste <= 0:
            raise Temps
        if math.isfinite(reste):
            h.setOptionValue("time_limit", reste)
        h.run()
        if h.getModelStatus() == highspy.HighsModelStatus.kTimeLimit:
            raise Temps
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"HiGHS : {h.modelStatusToString(h.getModelStatus())}")  # a bug
        # Clipped: the simplex's noise never exceeds a bound by more than 1e-9.
        return np.clip(np.array(h.getSolution().col_value), 0.0, self.haut)


class Prix:
    """Prices every pair of the problem from a relaxation's duals."""

    def __init__(self, offres: Offres):
        self.offres = offres
        self._admis: dict[int, np.ndarray] = {}

    def _possibles(self, i: int, groupe: Tableau) -> np.ndarray:
        """Missions the need may take: free hours, within the limits in
        place, not refused by the rules when asked."""
        masque = self._admis.get(i)
        if masque is None:
            admis = self.offres.admis(i)
            masque = self._admis[i] = (groupe.libre > EPSILON_HEURES) & np.array(
                [admis(a) for a in groupe.aesh], dtype=bool)
        refusees = self.offres.refusees(i)
        if not refusees:
            return masque
        return masque & np.array([m not in refusees for m in groupe.missions], dtype=bool)

    def evaluer(self, r: Relaxation, nouvelles: int) -> tuple[float, dict[int, list[str]]]:
        """The bound the relaxation's prices prove, and for each need the
        ``nouvelles`` missions left out of the programme worth most."""
        of, pb = self.offres, self.offres.pb
        pi = r.duales()
        borne = float(np.dot(pi, r.haut_lignes))
        # Prices of each mission's stretches, of each décision's AESH.
        tranches: dict[str, list[tuple[date, date, float]]] = defaultdict(list)
        for ligne, c in r.capacites:
            if pi[ligne] > 0:
                tranches[c.mission_id].append((c.debut, c.fin, float(pi[ligne])))
        prix_decision = {d: float(pi[l]) for d, l in r.ligne_decision.items() if pi[l] > 0}
        a_demander: dict[int, list[str]] = {}
        dans: dict[int, set[str]] = defaultdict(set)  # missions of each need's pairs in the programme
        for e in r.aretes:
            dans[of.aretes[e].besoin].add(of.aretes[e].mission_id)
        for besoins in of.groupes():
            i0 = besoins[0]
            groupe = of.tableau(i0)
            if not groupe.missions or of.refus_etablissement(i0) is not None:
                continue
            b0 = pb.besoins[i0]
            # A pair takes the stretches of its mission within its piece,
            # the same for every need of the group; the relaxation's
            # objective is the hours less a tie-break by distance.
            etirement = np.array([sum((p for debut, fin, p in tranches[m]
                                       if b0.debut <= debut and fin <= b0.fin), 0.0)
                                  if m in tranches else 0.0 for m in groupe.missions])
            net = 1.0 - DEPARTAGE * groupe.km
            for i in besoins:
                b = pb.besoins[i]
                possibles = self._possibles(i, groupe)
                haut = np.minimum(b.heures, groupe.libre)
                pi_besoin = pi[r.ligne_besoin[i]] if i in r.ligne_besoin else 0.0
                prix = b.poids * net - pi_besoin - etirement
                for d in b.decision_ids:
                    p = prix_decision.get(d)
                    if p is None:
                        continue
                    en_place = pb.aesh_en_place.get(d, frozenset())
                    charge = p / (np.maximum(haut, 1e-6) * groupe.missions_aesh * of.morceaux(d))
                    if en_place:
                        charge = np.where([a in en_place for a in groupe.aesh], 0.0, charge)
                    prix = prix - charge
                gain = np.where(possibles & (prix > 0), haut * prix, 0.0)
                borne += float(gain.sum())
                if nouvelles:
                    deja = dans[i]
                    rangs = np.argsort(-gain, kind="stable")
                    choix: list[str] = []
                    for k in rangs.tolist():
                        if gain[k] <= RENTABLE or len(choix) == nouvelles:
                            break
                        if groupe.missions[k] not in deja:
                            choix.append(groupe.missions[k])
                    if choix:
                        a_demander[i] = choix
        # Bounds the relaxation's objective; the hours' own is at most
        # 1 / (1 − DEPARTAGE × the distance) times it (the index's km are
        # the rules' up to rounding: a kilometre spare).
        return borne / (1.0 - DEPARTAGE * (pb.limites.distance_max_km + 1.0)), a_demander


def ajouter(offres: Offres, a_demander: dict[int, list[str]]) -> set[int]:
    """The pairs of these needs and missions, the rules asked where they
    were not yet."""
    out: set[int] = set()
    for i, missions in a_demander.items():
        voulues = set(missions)
        out.update(e for e in offres.par_besoin[i] if offres.aretes[e].mission_id in voulues)
        out.update(e for e in offres.demander(i, missions) if offres.aretes[e].besoin == i)
    return out

"""The exact plan (SPEC §2.8): a mixed-integer programme solved with HiGHS.

Variables: the hours ``x`` of each pair (need, mission) the rules offer
(propositions_candidats), and binaries ``z`` (the pair becomes an
accompagnement) where a limit or the count needs them. Rows: a need's
hours, a mission's free hours on each stretch (Capacite), at most
``aesh_par_decision`` AESH per décision and ``etablissements_par_aesh``
établissements per AESH, counting what is in place.

**Lexicographic objective, in three stages** — maximise the hours covered
(each need's hours weighted by its share of the period), then, with those
hours kept, minimise km × hours, then, with both kept, the number of
accompagnements. Each stage adds its value as a row of the next: the order
holds exactly, without weights to tune.

**A plan first** (propositions_arrondi): the linear relaxation without
the limits' binaries, rounded by choosing each décision's AESH and each
AESH's établissements, then solved again — a plan that keeps every rule,
far better than the greedy one (demo M: 4 700 weighted hours against
3 180), in a second. Measured (issue 14): HiGHS's branch-and-bound alone,
from the greedy plan, stayed near it on demo L (the binaries of the limits
make its relaxation weak: 5 130 on M for plans of 3 650), while model
building and the bound in Python took most of the time.

**Decomposition.** The needs and the pairs of the programme form
independent components (needs linked by a shared AESH or a shared
décision — a mission is one AESH's); each is solved exactly in three
stages from that plan, as long as time allows, with only what is in place
counted: components share nothing. Hors-PIAL établissements, AESH with
missions in two PIAL, missions affected to two join the PIAL concerned.

**Which pairs.** A PIAL offers each need a hundred missions or more, most
with an hour free here and there; the programme takes for each need the
nearest pairs, those with the largest free blocks (a décision has two AESH
at most: large blocks are what covers it) and every pair of the greedy
plan.

**The bound, proved over every pair** (``borne``): per PIAL, the least of
what its needs could get each on its own (the free hours of its
``aesh_par_decision`` best AESH among those the rules offer) and of what
the missions within the distance could give together; PIALs summed, each
with every mission's hours (a coupling relaxed is a relaxation). No plan
covers more; ``Plan.ecart`` is the distance to it. The bound is cheap,
hence loose where capacity is contested: a large gap may be the bound's
as much as the plan's.

**Time limit.** Global: checked between steps and components, and given
to HiGHS (the relaxation's programmes and each stage) as what is left.
At the limit the plan is the best found — the relaxation's, else the
greedy one — with statut LIMITE_TEMPS. The bound and the reasons of what
stays uncovered come after, short (and may be cancelled).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import highspy
import numpy as np

from ..nombres import EPSILON_HEURES
from .propositions import Probleme
from .propositions_arrondi import arrondi
from .propositions_candidats import Offres

Progression = Callable[[str, int, int], None]  # (étape, faites, total); may raise to cancel

PAIRES_PROCHES = 6  # the nearest pairs of each need in the programme
PAIRES_GRANDES = 6  # and those with the largest free blocks
TOLERANCE = 1e-6  # feasibility of a stage's row
# A stage stops when HiGHS proves its plan within this of the optimum: a
# branch-and-bound closes the last tenths of a percent slowly on these
# symmetric programmes (many AESH alike), and the answer states the gap.
ECART_VISE = 0.005
OPTIMAL, LIMITE_TEMPS = "optimal", "limite_de_temps"


@dataclass(frozen=True, slots=True)
class Solution:
    heures: dict[int, float]  # hours per pair (Offres.aretes index)
    borne_heures: float  # no plan covers more (weighted hours, proved)
    statut: str  # OPTIMAL, or LIMITE_TEMPS: the best plan found in the time given
    composantes: int
    composantes_plusieurs_pial: int  # components joining several PIAL (hors-PIAL établissements…)
    paires: int  # pairs the rules were asked about and the solver kept


# -- components -----------------------------------------------------------------------
class _Union:
    def __init__(self) -> None:
        self.parent: dict[object, object] = {}

    def trouver(self, x: object) -> object:
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def unir(self, a: object, b: object) -> None:
        ra, rb = self.trouver(a), self.trouver(b)
        if ra != rb:
            self.parent[ra] = rb


def _composantes(offres: Offres, besoins: Iterable[int],
                 actives: Iterable[int]) -> list[tuple[list[int], list[int]]]:
    """(needs, pairs) of each independent component of these needs, in a
    stable order."""
    pb = offres.pb
    union = _Union()
    besoins = list(besoins)
    for i in besoins:
        union.trouver(("b", i))
        for d in pb.besoins[i].decision_ids:
            union.unir(("b", i), ("d", d))
    aretes = sorted(actives)
    for e in aretes:
        union.unir(("b", offres.aretes[e].besoin), ("a", offres.aretes[e].aesh_id))
    groupes: dict[object, list[int]] = defaultdict(list)
    for i in besoins:
        groupes[union.trouver(("b", i))].append(i)
    paires: dict[object, list[int]] = defaultdict(list)
    for e in aretes:
        paires[union.trouver(("b", offres.aretes[e].besoin))].append(e)
    return sorted(((b, paires.get(r, [])) for r, b in groupes.items()), key=lambda c: c[0][0])


# -- the programme of one component ------------------------------------------------------
@dataclass
class _Programme:
    """One stage of one component, as HiGHS takes it (rows by entries)."""

    cout: list[float] = field(default_factory=list)
    bas: list[float] = field(default_factory=list)
    haut: list[float] = field(default_factory=list)
    entier: list[int] = field(default_factory=list)
    lignes_bas: list[float] = field(default_factory=list)
    lignes_haut: list[float] = field(default_factory=list)
    entrees: list[list[tuple[int, float]]] = field(default_factory=list)

    def colonne(self, cout: float, haut: float, entier: bool) -> int:
        self.cout.append(cout)
        self.bas.append(0.0)
        self.haut.append(haut)
        self.entier.append(1 if entier else 0)
        return len(self.cout) - 1

    def ligne(self, entrees: list[tuple[int, float]], bas: float, haut: float) -> int:
        self.entrees.append(entrees)
        self.lignes_bas.append(bas)
        self.lignes_haut.append(haut)
        return len(self.entrees) - 1

    def highs(self, relache: bool) -> highspy.Highs:
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("random_seed", 0)
        h.setOptionValue("mip_rel_gap", ECART_VISE)
        lp = highspy.HighsLp()
        lp.num_col_ = len(self.cout)
        lp.num_row_ = len(self.entrees)
        lp.col_cost_ = np.array(self.cout)
        lp.col_lower_ = np.array(self.bas)
        lp.col_upper_ = np.array(self.haut)
        lp.row_lower_ = np.array(self.lignes_bas)
        lp.row_upper_ = np.array(self.lignes_haut)
        debuts, index, valeurs = [0], [], []
        for entrees in self.entrees:
            for col, val in entrees:
                index.append(col)
                valeurs.append(val)
            debuts.append(len(index))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.array(debuts, dtype=np.int32)
        lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
        lp.a_matrix_.value_ = np.array(valeurs)
        if not relache and any(self.entier):
            lp.integrality_ = [highspy.HighsVarType.kInteger if e else highspy.HighsVarType.kContinuous
                               for e in self.entier]
        h.passModel(lp)
        return h


@dataclass
class _Reserve:
    """What is in place that the limits and the free hours count."""

    aesh_de: dict[str, set[str]]  # décision → AESH, in place or planned
    etablissements_de: dict[str, set[str]]  # AESH → établissements, in place or planned
    ajouts: dict[str, list[tuple[date, date, float]]]  # mission → hours planned (début, fin, h)

    @classmethod
    def de(cls, pb: Probleme) -> _Reserve:
        return cls(defaultdict(set, {k: set(v) for k, v in pb.aesh_en_place.items()}),
                   defaultdict(set, {k: set(v) for k, v in pb.etablissements_en_place.items()}),
                   defaultdict(list))


@dataclass
class _Modele:
    prog: _Programme
    x: dict[int, int]  # pair → column
    z: dict[int, int]  # pair → binary column
    auxiliaires: list[tuple[int, list[int]]]  # (binary column, the z columns it bounds)


def _modele(offres: Offres, reserve: _Reserve, aretes: Sequence[int], etape: int,
            heures_min: float | None = None, distance_max: float | None = None) -> _Modele:
    pb = offres.pb
    lim = pb.limites
    prog = _Programme()
    x: dict[int, int] = {}
    plafond: dict[int, float] = {}
    for e in aretes:
        a = offres.aretes[e]
        b = pb.besoins[a.besoin]
        plafond[e] = max(0.0, min(a.plafond, offres.libre(
            offres.dep.missions[a.mission_id], b.debut, b.fin, reserve.ajouts.get(a.mission_id, ()))))
        cout = -b.poids if etape == 1 else b.poids * a.distance_km if etape == 2 else 0.0
        x[e] = prog.colonne(cout, plafond[e], False)
    par_besoin: dict[int, list[int]] = defaultdict(list)
    for e in aretes:
        par_besoin[offres.aretes[e].besoin].append(e)
    for i, liste in sorted(par_besoin.items()):
        prog.ligne([(x[e], 1.0) for e in liste], -math.inf, pb.besoins[i].heures)
    paires = [(offres.aretes[e].besoin, offres.aretes[e].mission_id, plafond[e]) for e in aretes]
    for c in offres.capacites(paires, reserve.ajouts):
        prog.ligne([(x[aretes[k]], 1.0) for k in c.aretes], -math.inf, c.libre)

    # Limits: the groups of pairs that could break one.
    groupes: list[tuple[int, dict[str, list[int]]]] = []
    par_decision: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    par_aesh: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for e in aretes:
        a = offres.aretes[e]
        b = pb.besoins[a.besoin]
        for d in b.decision_ids:
            if a.aesh_id not in reserve.aesh_de.get(d, ()):
                par_decision[d][a.aesh_id].append(e)
        if b.uai not in reserve.etablissements_de.get(a.aesh_id, ()):
            par_aesh[a.aesh_id][b.uai].append(e)
    for d, par in sorted(par_decision.items()):
        reste = lim.aesh_par_decision - len(reserve.aesh_de.get(d, ()))
        if len(par) > reste:
            groupes.append((max(0, reste), par))
    for aesh, par in sorted(par_aesh.items()):
        reste = lim.etablissements_par_aesh - len(reserve.etablissements_de.get(aesh, ()))
        if len(par) > reste:
            groupes.append((max(0, reste), par))
    binaires = set(aretes) if etape == 3 else {e for _, par in groupes for l in par.values() for e in l}
    z: dict[int, int] = {}
    for e in sorted(binaires):
        z[e] = prog.colonne(1.0 if etape == 3 else 0.0, 1.0, True)
        prog.ligne([(x[e], 1.0), (z[e], -plafond[e])], -math.inf, 0.0)
    auxiliaires: list[tuple[int, list[int]]] = []
    for reste, par in groupes:
        utilises = []
        for cle in sorted(par):
            liste = par[cle]
            if len(liste) == 1:
                utilises.append(z[liste[0]])
                continue
            y = prog.colonne(0.0, 1.0, True)
            for e in liste:
                prog.ligne([(z[e], 1.0), (y, -1.0)], -math.inf, 0.0)
            auxiliaires.append((y, [z[e] for e in liste]))
            utilises.append(y)
        prog.ligne([(v, 1.0) for v in utilises], -math.inf, float(reste))

    if heures_min is not None:
        prog.ligne([(x[e], pb.besoins[offres.aretes[e].besoin].poids) for e in aretes],
                   heures_min - TOLERANCE * max(1.0, heures_min), math.inf)
    if distance_max is not None:
        prog.ligne([(x[e], pb.besoins[offres.aretes[e].besoin].poids * offres.aretes[e].distance_km)
                    for e in aretes], -math.inf, distance_max + TOLERANCE * max(1.0, distance_max))
    return _Modele(prog, x, z, auxiliaires)


def _depart(m: _Modele, heures: dict[int, float]) -> list[float]:
    """A full column vector for HiGHS from the hours of a plan (binaries
    follow: a pair with hours is an accompagnement)."""
    valeurs = [0.0] * len(m.prog.cout)
    for e, col in m.x.items():
        valeurs[col] = heures.get(e, 0.0)
    for e, col in m.z.items():
        valeurs[col] = 1.0 if heures.get(e, 0.0) > EPSILON_HEURES else 0.0
    for y, zs in m.auxiliaires:
        valeurs[y] = max(valeurs[c] for c in zs)
    return valeurs


# -- stages ---------------------------------------------------------------------------
@dataclass
class _Etat:
    offres: Offres
    heures: dict[int, float]  # the current plan (the greedy one to start with)
    fin: float  # time.monotonic() deadline
    statut: str = OPTIMAL

    def reste(self) -> float:
        return max(0.0, self.fin - time.monotonic())


def _valeur(offres: Offres, heures: dict[int, float], aretes: Iterable[int], etape: int) -> float:
    pb = offres.pb
    if etape == 1:
        return sum(heures.get(e, 0.0) * pb.besoins[offres.aretes[e].besoin].poids for e in aretes)
    if etape == 2:
        return sum(heures.get(e, 0.0) * pb.besoins[offres.aretes[e].besoin].poids
                   * offres.aretes[e].distance_km for e in aretes)
    return float(sum(1 for e in aretes if heures.get(e, 0.0) > EPSILON_HEURES))


def _composante(etat: _Etat, reserve: _Reserve, aretes: list[int], budget: float) -> None:
    """The three stages on one component, each from the plan of the
    previous one (the first from the greedy plan, when the lots before left
    it feasible)."""
    valeurs: list[float] = []
    for etape, part in ((1, 0.5), (2, 0.6), (3, 1.0)):
        if etat.reste() <= 0:
            etat.statut = LIMITE_TEMPS
            return
        m = _modele(etat.offres, reserve, aretes, etape, *valeurs)
        _resoudre(etat, m, budget * part)
        budget *= 1 - part
        valeurs.append(_valeur(etat.offres, etat.heures, aretes, etape))


def _resoudre(etat: _Etat, m: _Modele, limite: float) -> None:
    h = m.prog.highs(relache=False)
    if any(m.prog.entier):
        h.setOptionValue("time_limit", max(0.05, min(limite, etat.reste())))
        depart = _depart(m, etat.heures)
        h.setSolution(len(depart), np.arange(len(depart), dtype=np.int32), np.array(depart))
    h.run()
    statut = h.getModelStatus()
    if statut == highspy.HighsModelStatus.kTimeLimit:
        etat.statut = LIMITE_TEMPS
    elif statut != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"HiGHS : {h.modelStatusToString(statut)}")  # a bug of the model
    if h.getInfo().primal_solution_status != 2:  # kSolutionStatusFeasible: none found in time
        return  # the component keeps its plan, feasible with the others'
    valeurs = h.getSolution().col_value
    for e, col in m.x.items():
        v = valeurs[col]
        if v > EPSILON_HEURES:
            etat.heures[e] = v
        else:
            etat.heures.pop(e, None)


# -- the bound ------------------------------------------------------------------------
def borne(offres: Offres, progression: Progression | None = None, rapide: bool = False) -> float:
    """No plan covers more weighted hours: per PIAL (hors PIAL together),
    the least of what its needs could get each on its own — the free hours
    of the ``aesh_par_decision`` AESH offering it most — and of what the
    missions within the distance could give together. A mission gives at
    most its free hours of its least occupied day, whatever the pieces; an
    AESH the sum of its missions'; the rules are asked only of the AESH
    that would count. Each PIAL counted with every mission's hours: a
    coupling relaxed is a relaxation. ``rapide`` (out of time): each need
    counts all its hours, the rules asked nothing — a rougher bound, as
    true."""
    pb = offres.pb
    lots: dict[str, list[int]] = defaultdict(list)
    for i, b in enumerate(pb.besoins):
        lots[b.pial_uai or "~"].append(i)
    rappel = progression or (lambda etape, faites, total: None)
    total = 0.0
    for n, cle in enumerate(sorted(lots)):
        rappel("Borne du plan", n, len(lots))
        demande = 0.0
        missions: set[str] = set()
        vus: set[int] = set()  # groups of needs (établissement, piece) already counted
        for i in lots[cle]:
            b = pb.besoins[i]
            demande += b.poids * (b.heures if rapide else min(b.heures, _au_plus(offres, i)))
            groupe = offres.groupe(i)
            if groupe not in vus:
                vus.add(groupe)
                missions.update(offres.ordre(i))
        total += min(demande, sum(max(0.0, offres.libre_au_mieux(m)) for m in missions))
    rappel("Borne du plan", len(lots), len(lots))
    return total


def _au_plus(offres: Offres, besoin: int) -> float:
    """What the need could get on its own: the free hours of its
    ``aesh_par_decision`` best AESH (enough once they make its hours)."""
    b = offres.pb.besoins[besoin]
    admis = offres.admis(besoin)
    meilleurs: list[float] = []
    for h, aesh in offres.aesh_au_mieux(besoin):
        if admis(aesh) and offres.offre(besoin, aesh):
            meilleurs.append(h)
            if len(meilleurs) == offres.pb.limites.aesh_par_decision or sum(meilleurs) >= b.heures:
                break
    return sum(meilleurs)


# -- the plan ------------------------------------------------------------------------
def resoudre(offres: Offres, glouton: dict[int, float], temps_max: float,
             progression: Progression | None = None) -> Solution:
    """The plan: the pairs of the programme (nearest, largest free blocks,
    the greedy plan's); a plan from its relaxation (propositions_arrondi)
    if better than the greedy one; the bound over every pair; then
    each independent component solved exactly in three stages from that
    plan — as long as time allows. At
    ``temps_max`` seconds (checked between components and given to HiGHS),
    the best plan found so far (statut LIMITE_TEMPS)."""
    pb = offres.pb
    rappel = progression or (lambda etape, faites, total: None)
    etat = _Etat(offres, dict(glouton), time.monotonic() + temps_max)
    actives = set(glouton)
    for i, b in enumerate(pb.besoins):
        if i % 64 == 0:
            rappel("Paires du programme", i, len(pb.besoins))
            if etat.reste() <= 0:
                break
        offres.etendre_jusqua(i, PAIRES_PROCHES, b.heures)
        offres.etendre_grands(i, PAIRES_GRANDES)
        liste = offres.par_besoin[i]
        actives.update(liste[:PAIRES_PROCHES])
        actives.update(sorted(liste, key=lambda e: (-offres.aretes[e].plafond, e))[:PAIRES_GRANDES])
    rappel("Relaxation linéaire", 0, 1)
    depart = arrondi(offres, sorted(actives), etat.fin)
    if _valeur(offres, depart, depart, 1) > _valeur(offres, glouton, glouton, 1) + EPSILON_HEURES:
        etat.heures = depart
    # The exact stages below get what time is left; out of time, a rougher
    # bound rather than a late answer.
    borne_heures = borne(offres, rappel, rapide=etat.reste() <= 0)
    composantes = _composantes(offres, range(len(pb.besoins)), actives)
    # Components share no mission, AESH nor décision: what the others plan
    # leaves each one's rows as they are; only what is in place counts.
    reserve = _Reserve.de(pb)
    reste = sum(len(b) for b, a in composantes if a) or 1
    plusieurs = paires = 0
    for n, (besoins, aretes) in enumerate(composantes):
        rappel("Calcul du plan", n, len(composantes))
        plusieurs += len({pb.besoins[i].pial_uai for i in besoins}) > 1
        paires += len(aretes)
        if not aretes:
            continue
        if etat.reste() <= 0:
            etat.statut = LIMITE_TEMPS  # the component keeps the plan of the relaxation
            continue
        _composante(etat, reserve, aretes, etat.reste() * len(besoins) / reste)
        reste -= len(besoins)
    rappel("Calcul du plan", len(composantes), len(composantes))
    return Solution(etat.heures, borne_heures, etat.statut, len(composantes), plusieurs, paires)

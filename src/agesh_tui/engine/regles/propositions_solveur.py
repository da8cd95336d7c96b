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

**A plan first** (propositions_ajuste): best fit, the largest needs
first. Measured (issue 14, demo M): the limit of AESH per décision is
what makes the programme hard — without it the linear relaxation rounded
reaches its bound, with it 5 % below (rounded in one go or a few choices
at a time alike); best fit gives 5 040 weighted hours where the rounded
relaxation gave 4 890, in a tenth of the time, and HiGHS on the whole
programme 4 620 after 40 s (5 080 after 60 s from the rounded plan).

**Then neighbourhoods** (``_voisinages``): the needs of a PIAL, split
into independent components (needs linked by a shared AESH or décision),
each solved exactly in three stages from the plan, the rest of the plan
held as if in place — the PIAL that misses most hours first, every one
once (the distance and count stages), then again those that miss hours
while a round improves the plan.

**Which pairs.** A PIAL offers each need a hundred missions or more, most
with an hour free here and there; a neighbourhood's programme takes for
each need the nearest pairs, those with the largest free blocks and every
pair of the plan. Best fit and the bounds consider every mission within
the distance.

**Bounds, proved over every pair**: ``borne`` per PIAL, the least of what
its needs could get each on its own and of what the missions within the
distance could give together — cheap, loose where capacity is contested;
then, for a share of the time, the linear relaxation's by column
generation (propositions_colonnes), its prices applied to every mission
within the distance. The least is the plan's bound; ``Plan.ecart`` the
distance to it, an upper bound of the distance to the optimum.

**Time limit.** Global: checked between steps and neighbourhoods, and
given to HiGHS as what is left. At the limit the plan is the best found
— the neighbourhoods' so far, else best fit's, else the greedy one — with
statut LIMITE_TEMPS; STABLE when a round improves nothing and the gap is
above ``ECART_VISE``; OPTIMAL when within it.
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
from .propositions_ajuste import au_plus_juste, rapprocher
from .propositions_candidats import Offres
from .propositions_colonnes import borne_relaxation

Progression = Callable[[str, int, int], None]  # (étape, faites, total); may raise to cancel

PAIRES_PROCHES = 6  # the nearest pairs of each need in the programme
PAIRES_GRANDES = 6  # and those with the largest free blocks
# Feasibility of a stage's row: relative for km × hours; for the hours
# (weighted by days), HiGHS's own tolerance, so that no line loses a
# hundredth of an hour — relative, a plan of 5 000 h let a line of 24 h
# become 23,99 h, and a piece of 11 days magnifies what it loses 25 times.
TOLERANCE = 1e-6
TOLERANCE_HEURES = 1e-7
# A stage stops when HiGHS proves its plan within this of the optimum: a
# branch-and-bound closes the last tenths of a percent slowly on these
# symmetric programmes (many AESH alike), and the answer states the gap.
ECART_VISE = 0.005
OPTIMAL, LIMITE_TEMPS, STABLE = "optimal", "limite_de_temps", "stable"
PART_BORNE = 0.25  # of the time left after the first plan, at most, for the relaxation's bound


@dataclass(frozen=True, slots=True)
class Solution:
    heures: dict[int, float]  # hours per pair (Offres.aretes index)
    borne_heures: float  # no plan covers more (weighted hours, proved)
    statut: str  # OPTIMAL (gap ≤ ECART_VISE), STABLE (no neighbourhood improves), LIMITE_TEMPS
    composantes: int  # neighbourhoods' components solved
    composantes_plusieurs_pial: int  # components joining several PIAL (hors-PIAL établissements…)
    paires: int  # pairs of their programmes


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
                   heures_min - TOLERANCE_HEURES, math.inf)
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
    """The plan: the best-fit one (propositions_ajuste) if better than the
    greedy one; the bound, the cheap one then, for a share of the time,
    the relaxation's over every pair (propositions_colonnes); then the
    plan improved one PIAL at a time, the others' hours held
    (``_voisinages``), as long as time allows and the gap is above
    ``ECART_VISE``. At ``temps_max`` seconds (checked between steps and
    given to HiGHS), the best plan found so far (statut LIMITE_TEMPS)."""
    rappel = progression or (lambda etape, faites, total: None)
    etat = _Etat(offres, dict(glouton), time.monotonic() + temps_max)
    rappel("Plan au plus juste", 0, 1)
    depart = au_plus_juste(offres, etat.fin)
    if _valeur(offres, depart, depart, 1) > _valeur(offres, glouton, glouton, 1) + EPSILON_HEURES:
        etat.heures = rapprocher(offres, depart, etat.fin)
    borne_heures = borne(offres, rappel, rapide=etat.reste() <= 0)
    if etat.reste() > 0:
        rappel("Borne du plan", 0, 1)
        borne_heures = min(borne_heures, borne_relaxation(
            offres, set(etat.heures) | set(glouton),
            min(etat.fin, time.monotonic() + PART_BORNE * etat.reste())))
    composantes, plusieurs, paires = _voisinages(etat, borne_heures, rappel)
    return Solution(etat.heures, borne_heures, etat.statut, composantes, plusieurs, paires)


def _couvert(etat: _Etat, besoins: Iterable[int]) -> float:
    """Weighted hours the plan gives these needs."""
    dedans = set(besoins)
    pb = etat.offres.pb
    return sum(h * pb.besoins[etat.offres.aretes[e].besoin].poids
               for e, h in etat.heures.items() if etat.offres.aretes[e].besoin in dedans)


def _voisinages(etat: _Etat, borne_heures: float, rappel: Progression) -> tuple[int, int, int]:
    """Improves the plan a neighbourhood at a time: the needs of a PIAL
    (hors-PIAL établissements together) split into independent
    components, each solved exactly in three stages (hours, km × hours,
    count) with the rest of the plan held as if in place. Every
    neighbourhood once, those that miss most hours first; then again those
    that miss hours, while a round improves the plan, time allows and the
    gap to the bound is above ``ECART_VISE``. (components, those joining
    several PIAL, pairs of their programmes)."""
    offres, pb = etat.offres, etat.offres.pb
    lots: dict[str, list[int]] = defaultdict(list)
    for i, b in enumerate(pb.besoins):
        lots[b.pial_uai or "~"].append(i)
    unites: dict[str, list[tuple[list[int], list[int]]]] = {}

    def besoin(l: Iterable[int]) -> float:
        return sum(pb.besoins[i].heures * pb.besoins[i].poids for i in l)

    def fin(statut: str) -> tuple[int, int, int]:
        etat.statut = statut
        toutes = [u for us in unites.values() for u in us]
        return (len(toutes), sum(len({pb.besoins[i].pial_uai for i in b}) > 1 for b, _ in toutes),
                sum(len(a) for _, a in toutes))

    tour = 0
    while True:
        avant = _valeur(offres, etat.heures, etat.heures, 1)
        if tour and borne_heures - avant <= ECART_VISE * borne_heures:
            return fin(OPTIMAL)
        manque = {c: besoin(l) - _couvert(etat, l) for c, l in lots.items()}
        ordre = sorted((c for c in lots if not tour or manque[c] > EPSILON_HEURES),
                       key=lambda c: (-manque[c], c))
        # Each its share of the time left, as it misses hours (and, the
        # first round, as it has hours to place); what one solved early
        # leaves goes to the next.
        parts = {c: max(0.0, manque[c]) + 1e-3 * besoin(lots[c]) for c in ordre}
        total = sum(parts.values())
        for n, cle in enumerate(ordre):
            rappel("Calcul du plan" if not tour else f"Calcul du plan, passe {tour + 1}", n, len(ordre))
            if cle not in unites:
                unites[cle] = [(b, a) for b, a in _composantes(offres, lots[cle], _paires(etat, lots[cle]))
                               if a]
            for besoins, aretes in unites[cle]:
                if etat.reste() <= 0:
                    return fin(LIMITE_TEMPS)
                part = max(0.0, besoin(besoins) - _couvert(etat, besoins)) + 1e-3 * besoin(besoins)
                _ameliorer(etat, besoins, aretes, etat.reste() * min(1.0, part / max(total, 1e-9)))
                total -= part
        tour += 1
        if _valeur(offres, etat.heures, etat.heures, 1) <= avant + EPSILON_HEURES:
            # No neighbourhood improves on its own: the best plan found.
            ecart = borne_heures - _valeur(offres, etat.heures, etat.heures, 1)
            return fin(OPTIMAL if ecart <= ECART_VISE * borne_heures else STABLE)


def _paires(etat: _Etat, besoins: list[int]) -> list[int]:
    """The pairs of a neighbourhood's programme: for each need the nearest,
    those with the largest free blocks and the plan's."""
    offres = etat.offres
    out = {e for e in etat.heures if offres.aretes[e].besoin in set(besoins)}
    for n, i in enumerate(besoins):
        if n % 32 == 0 and etat.reste() <= 0:
            break  # the caller stops there too
        offres.etendre_jusqua(i, PAIRES_PROCHES, offres.pb.besoins[i].heures)
        offres.etendre_grands(i, PAIRES_GRANDES)
        liste = offres.par_besoin[i]
        out.update(liste[:PAIRES_PROCHES])
        out.update(sorted(liste, key=lambda e: (-offres.aretes[e].plafond, e))[:PAIRES_GRANDES])
    return sorted(out)


def _ameliorer(etat: _Etat, besoins: list[int], aretes: list[int], budget: float) -> None:
    """The three stages on a neighbourhood's pairs, what the plan gives the
    other needs held; kept only if it covers at least as many hours."""
    offres, pb = etat.offres, etat.offres.pb
    dedans = set(besoins)
    reserve = _Reserve.de(pb)
    for e, h in etat.heures.items():
        a = offres.aretes[e]
        if a.besoin in dedans:
            continue
        b = pb.besoins[a.besoin]
        for d in b.decision_ids:
            reserve.aesh_de[d].add(a.aesh_id)
        reserve.etablissements_de[a.aesh_id].add(b.uai)
        reserve.ajouts[a.mission_id].append((b.debut, b.fin, h))
    avant = {e: h for e, h in etat.heures.items() if offres.aretes[e].besoin in dedans}
    valeur = _valeur(offres, avant, avant, 1)
    statut = etat.statut
    _composante(etat, reserve, aretes, budget)
    apres = {e: h for e, h in etat.heures.items() if offres.aretes[e].besoin in dedans}
    if _valeur(offres, apres, apres, 1) < valeur - TOLERANCE_HEURES - EPSILON_HEURES:
        # HiGHS out of time with a worse plan than the one it was given
        # (the later stages keep the hours up to their rows' tolerance).
        for e in apres:
            del etat.heures[e]
        etat.heures.update(avant)
    etat.statut = statut if etat.reste() > 0 else LIMITE_TEMPS

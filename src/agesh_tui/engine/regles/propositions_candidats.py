"""The missions each need may take (SPEC §2.8, « means »), asked of the
rules as they are needed.

A mission is offered to a need only when the rules of the creation form
(``regles.accompagnement``: ``refus_cadre`` for the établissement and the
period, ``mission_possible`` for the mission — the filter of ``candidats``)
accept it there then, with free hours on the need's piece, within the
distance, and without breaking a limit already reached by what is in
place. A PIAL offers a hundred missions or more to each need and a plan
uses a handful: ``Offres`` asks about the nearest ones (``LOT`` at a time)
or those with the largest free blocks, when the greedy rule or the solver
want them. The orders come from two indexes that decide nothing: the
missions affected to the établissement's PIAL on the period (the only ones
the rules may offer there, SPEC §2.3.6; hors PIAL, any), and the distance
of their AESH. The rules' answer for a mission depends on the
établissement only through its PIAL: it is asked once per PIAL and piece.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from ..calendrier import lendemain, veille
from ..geo import RAYON_TERRE_KM, distance_km
from ..modele.departement import Departement
from ..modele.model import Mission
from ..nombres import EPSILON_HEURES
from .accompagnement import mission_possible, refus_cadre
from .occupation import PeriodeOccupation, sommes
from .propositions import Besoin, Periode, Probleme

LOT = 8  # missions asked of the rules at a time, for the needs of one établissement and piece


@dataclass(frozen=True, slots=True)
class Arete:
    """A mission offered to a need: one possible accompagnement."""

    besoin: int  # index in Probleme.besoins
    mission_id: str
    aesh_id: str
    distance_km: float
    plafond: float  # at most: the need's hours, the mission's free hours on the need's piece


@dataclass(frozen=True, slots=True)
class Capacite:
    """A mission's free hours on one stretch of the period, shared by the
    pairs whose need covers the stretch."""

    mission_id: str
    debut: date
    fin: date
    libre: float
    aretes: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Filtrage:
    """How many missions each step kept for a need (once all were asked):
    what the explanation of an uncovered need says (propositions_motifs)."""

    index: int  # affected to the PIAL on the period (hors PIAL: any, in the cells around)
    proches: int  # of an AESH within the distance
    eligibles: int  # offered by the rules (candidats)
    libres: int  # with free hours on the piece
    retenues: int  # within the limits already reached by what is in place
    distance_min_km: float | None  # the nearest AESH of the index, when none is within


@dataclass
class _Groupe:
    """Needs sharing an établissement and a piece: the rules answer once for them."""

    uai: str
    debut: date
    fin: date
    besoins: list[int]
    ordre: list[str]  # missions of an AESH within the distance, nearest first
    distances: list[float]
    index: int
    plus_proche: float | None
    lus: int = 0  # how far along ``ordre`` the rules were asked about
    demandees: set[str] = field(default_factory=set)  # missions asked about, in either order
    par_libre: list[str] | None = None  # ``ordre`` by free hours on the piece, most first
    eligibles: int = 0
    libres: int = 0
    cadre_verifie: bool = False
    refus: str | None = None  # why the rules refuse the établissement itself

    @property
    def epuise(self) -> bool:
        return self.refus is not None or self.lus >= len(self.ordre)


@dataclass
class Offres:
    dep: Departement
    pb: Probleme
    aretes: list[Arete] = field(default_factory=list)
    par_besoin: list[list[int]] = field(default_factory=list)
    _groupes: list[_Groupe] = field(default_factory=list)
    _groupe_de: list[int] = field(default_factory=list)
    _occupations: dict[str, list[PeriodeOccupation]] = field(default_factory=dict)
    _possibles: dict[tuple[str, str | None, date, date], bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.par_besoin = [[] for _ in self.pb.besoins]
        cles: dict[tuple[str, date, date], int] = {}
        ordres: dict[str, tuple[list[str], list[float], int, float | None]] = {}
        index = _Index(self.dep, self.pb.periode, self.pb.limites.distance_max_km)
        for i, b in enumerate(self.pb.besoins):
            cle = (b.uai, b.debut, b.fin)
            if cle not in cles:
                if b.uai not in ordres:
                    ordres[b.uai] = index.ordre(b.uai)
                ordre, distances, n, plus_proche = ordres[b.uai]
                cles[cle] = len(self._groupes)
                self._groupes.append(_Groupe(b.uai, b.debut, b.fin, [], ordre, distances, n, plus_proche))
            self._groupes[cles[cle]].besoins.append(i)
            self._groupe_de.append(cles[cle])

    # -- asking the rules ---------------------------------------------------------------
    def epuise(self, besoin: int) -> bool:
        return self._groupes[self._groupe_de[besoin]].epuise

    def etendre(self, besoin: int, nombre: int = LOT) -> list[int]:
        """Ask the rules about the next ``nombre`` missions of the need's
        établissement and piece; the new pairs (of every need sharing them)."""
        g = self._groupes[self._groupe_de[besoin]]
        if g.epuise:
            return []
        lot: list[Mission] = []
        while g.lus < len(g.ordre) and len(lot) < nombre:
            if g.ordre[g.lus] not in g.demandees:
                lot.append(self.dep.missions[g.ordre[g.lus]])
            g.lus += 1
        return self._demander(g, lot)

    def etendre_grands(self, besoin: int, nombre: int = LOT) -> list[int]:
        """Ask the rules about the ``nombre`` missions of the need's
        établissement and piece with the most free hours there, not asked
        yet: an AESH with a large free block serves a need whose décision
        may have few AESH better than several near ones with an hour each."""
        g = self._groupes[self._groupe_de[besoin]]
        if g.refus is not None:
            return []
        if g.par_libre is None:
            g.par_libre = sorted(g.ordre, key=lambda m: (-self.libre_max(m, g.debut, g.fin), m))
        lot = [self.dep.missions[m] for m in g.par_libre if m not in g.demandees][:nombre]
        return self._demander(g, lot)

    def _demander(self, g: _Groupe, lot: list[Mission]) -> list[int]:
        g.demandees.update(m.id for m in lot)
        dep, pb = self.dep, self.pb
        if not g.cadre_verifie:
            g.cadre_verifie = True
            refus = refus_cadre(dep, g.uai, g.debut, g.fin)
            if refus:  # the établissement itself (unknown, not a school)
                g.refus = refus[0].message
                return []
        etab = dep.etablissements[g.uai]
        km = pb.limites.distance_max_km
        nouvelles = []
        offertes = []
        for m in lot:
            if not math.isfinite(m.volume):
                continue  # a volume written before the bounds offers nothing measurable
            distance = distance_km(dep.aesh.get(m.aesh_id), etab)
            if distance is None or distance > km or not self._possible(m, g):
                continue
            offertes.append((distance, m))
        g.eligibles += len(offertes)
        for distance, m in sorted(offertes, key=lambda o: (o[0], o[1].id)):
            libre = self.libre_max(m.id, g.debut, g.fin)
            if libre <= EPSILON_HEURES:
                continue
            g.libres += 1
            for i in g.besoins:
                b = pb.besoins[i]
                if not dans_limites(pb, b, m.aesh_id):
                    continue
                self.par_besoin[i].append(len(self.aretes))
                nouvelles.append(len(self.aretes))
                self.aretes.append(Arete(i, m.id, m.aesh_id, distance, round(min(b.heures, libre), 6)))
        return nouvelles

    def _possible(self, m: Mission, g: _Groupe) -> bool:
        """The rules' answer for the mission there then, asked once per PIAL
        and piece: the établissement enters them only through its PIAL (hors
        PIAL: none), so its neighbours share the answer."""
        cle = (m.id, self.dep.pial_de(g.uai), g.debut, g.fin)
        possible = self._possibles.get(cle)
        if possible is None:
            possible = self._possibles[cle] = mission_possible(self.dep, m, g.uai, g.debut, g.fin)
        return possible

    def etendre_jusqua(self, besoin: int, nombre: int, heures: float) -> None:
        """Ask until the need has ``nombre`` pairs offering ``heures`` together, or no more."""
        while not self.epuise(besoin) and (
            len(self.par_besoin[besoin]) < nombre
            or sum(self.aretes[e].plafond for e in self.par_besoin[besoin]) < heures
        ):
            self.etendre(besoin)

    def filtrage(self, besoin: int) -> Filtrage:
        """Every mission asked about (the explanation needs them all)."""
        while not self.epuise(besoin):
            self.etendre(besoin, 4 * LOT)
        g = self._groupes[self._groupe_de[besoin]]
        return Filtrage(g.index, len(g.ordre), g.eligibles, g.libres, len(self.par_besoin[besoin]),
                        g.plus_proche)

    def refus_etablissement(self, besoin: int) -> str | None:
        """Why the rules refuse the need's établissement itself, if they do."""
        return self._groupes[self._groupe_de[besoin]].refus

    # -- free hours ----------------------------------------------------------------------
    def occupation(self, mission_id: str) -> list[PeriodeOccupation]:
        """The mission's occupation in place over the period, once."""
        occ = self._occupations.get(mission_id)
        if occ is None:
            p = self.pb.periode
            accs = self.dep.accompagnements_par_mission.get(mission_id, ())
            occ = self._occupations[mission_id] = sommes(
                ((a.debut, a.fin, a.heures) for a in accs), p.debut, p.fin)
        return occ

    def libre_max(self, mission_id: str, debut: date, fin: date) -> float:
        """The mission's free hours on every day of [debut, fin] with what
        is in place, whatever the rules say of it (an upper bound of what
        it may offer there)."""
        pire = max((o.heures for o in self.occupation(mission_id) if o.debut <= fin and o.fin >= debut),
                   default=0.0)
        return self.dep.missions[mission_id].volume - pire

    def libre_au_mieux(self, mission_id: str) -> float:
        """The mission's free hours on its least occupied day of the period:
        no plan takes more of it, whatever the pieces (weighted by days)."""
        moins = min((o.heures for o in self.occupation(mission_id)), default=0.0)
        return self.dep.missions[mission_id].volume - moins

    def toutes(self, besoin: int) -> list[tuple[str, float]]:
        """Every (mission, plafond) the need may take — what ``etendre``
        would give once all were asked, or a few more — without making
        pairs of them (the bound of propositions_solveur)."""
        g = self._groupes[self._groupe_de[besoin]]
        b = self.pb.besoins[besoin]
        if refus_cadre(self.dep, g.uai, g.debut, g.fin):
            return []
        out = []
        for mission_id in g.ordre:  # within the distance (up to rounding: a few more, never fewer)
            m = self.dep.missions[mission_id]
            if not dans_limites(self.pb, b, m.aesh_id) or not self._possible(m, g):
                continue
            plafond = round(min(b.heures, self.libre_max(mission_id, g.debut, g.fin)), 6)
            if plafond > EPSILON_HEURES:
                out.append((mission_id, plafond))
        return out

    def libre(self, mission: Mission, debut: date, fin: date,
              ajouts: Sequence[tuple[date, date, float]] = ()) -> float:
        """Free hours of the mission on every day of [debut, fin], with
        ``ajouts`` (début, fin, heures) proposed on top of what is in place."""
        tranches = [(o.debut, o.fin, o.heures) for o in self.occupation(mission.id)]
        pire = max((o.heures for o in sommes([*tranches, *ajouts], debut, fin)), default=0.0)
        return round(mission.volume - pire, 6)

    def capacites(self, paires: Sequence[tuple[int, str, float]],
                  ajouts: dict[str, list[tuple[date, date, float]]] | None = None) -> list[Capacite]:
        """Rows of free hours for these (need, mission, plafond) pairs: per
        mission, the stretches of the period between the bounds of their
        needs, with the free hours there (``Capacite.aretes``: positions in
        ``paires``). A stretch its pairs cannot fill together binds nothing
        and is left out; a pair's plafond already holds on its own piece."""
        par_mission: dict[str, list[int]] = defaultdict(list)
        for k, (_, mission_id, _) in enumerate(paires):
            par_mission[mission_id].append(k)
        out = []
        for mission_id in sorted(par_mission):
            liste = par_mission[mission_id]
            if len(liste) < 2:
                continue
            besoins = [self.pb.besoins[paires[k][0]] for k in liste]
            coupes = sorted({b.debut for b in besoins} | {lendemain(b.fin) for b in besoins})
            for debut, suivant in zip(coupes, coupes[1:]):
                fin = veille(suivant)
                dessus = tuple(k for k, b in zip(liste, besoins) if b.debut <= debut and b.fin >= fin)
                demande = sum(paires[k][2] for k in dessus)
                if len(dessus) < 2 or demande <= EPSILON_HEURES:
                    continue
                mission = self.dep.missions[mission_id]
                libre = self.libre(mission, debut, fin, (ajouts or {}).get(mission_id, ()))
                if demande > libre + EPSILON_HEURES:
                    out.append(Capacite(mission_id, debut, fin, max(0.0, libre), dessus))
        return out


def dans_limites(pb: Probleme, besoin: Besoin, aesh_id: str) -> bool:
    """False when the pair would break a limit already reached by what is
    in place: the décision has its AESH, or the AESH its établissements."""
    lim = pb.limites
    for d in besoin.decision_ids:
        deja = pb.aesh_en_place.get(d, frozenset())
        if aesh_id not in deja and len(deja) >= lim.aesh_par_decision:
            return False
    deja = pb.etablissements_en_place.get(aesh_id, frozenset())
    return besoin.uai in deja or len(deja) < lim.etablissements_par_aesh


class _Index:
    """The missions to ask the rules about for an établissement, nearest
    first: in a PIAL those affected to it on the period, hors PIAL any of an
    AESH in the cells around; only of an AESH within the distance."""

    def __init__(self, dep: Departement, p: Periode, km: float):
        self.dep, self.p, self.km = dep, p, km
        self.par_pial: dict[str, set[str]] = defaultdict(set)
        for a in dep.affectations.values():
            if a.debut <= p.fin and a.fin >= p.debut:
                self.par_pial[a.pial_uai].add(a.mission_id)
        # Cells about the distance wide: the AESH within it of a point are in
        # its cell or the eight around. Longitude cells as wide as latitude
        # ones at 60° N, never narrower than the distance in France.
        self.pas = km / 111.0  # a degree of latitude is 111 km
        self.cellules: dict[tuple[int, int], list[str]] = defaultdict(list)
        for aesh in dep.aesh.values():
            if aesh.latitude is not None and aesh.longitude is not None:
                self.cellules[self._cellule(aesh.latitude, aesh.longitude)].append(aesh.id)

    def _cellule(self, lat: float, lon: float) -> tuple[int, int]:
        return int(lat // self.pas), int(lon // (2 * self.pas))

    def _recouvre(self, m: Mission) -> bool:
        return m.debut <= self.p.fin and (m.fin is None or m.fin >= self.p.debut)

    def ordre(self, uai: str) -> tuple[list[str], list[float], int, float | None]:
        """(missions within the distance nearest first, their distances,
        how many before the distance, the nearest distance when none is within)."""
        dep = self.dep
        etab = dep.etablissements.get(uai)
        if etab is None:
            return [], [], 0, None
        if etab.pial_uai:
            index = [dep.missions[i] for i in sorted(self.par_pial.get(etab.pial_uai, ()))
                     if i in dep.missions]
        elif etab.latitude is not None and etab.longitude is not None:
            i, j = self._cellule(etab.latitude, etab.longitude)
            index = [m for di in (-1, 0, 1) for dj in (-1, 0, 1)
                     for a in self.cellules.get((i + di, j + dj), ())
                     for m in dep.missions_par_aesh.get(a, ()) if self._recouvre(m)]
        else:
            index = [m for m in dep.missions.values() if self._recouvre(m)]
        if etab.latitude is None or etab.longitude is None or not index:
            return [], [], len(index), None
        coordonnees = [(k, a.latitude, a.longitude) for k, a in
                       ((k, dep.aesh.get(m.aesh_id)) for k, m in enumerate(index))
                       if a is not None and a.latitude is not None and a.longitude is not None]
        if not coordonnees:
            return [], [], len(index), None
        connus = [k for k, _, _ in coordonnees]
        lat = np.radians([la for _, la, _ in coordonnees])
        lon = np.radians([lo for _, _, lo in coordonnees])
        km = _haversine(lat, lon, math.radians(etab.latitude), math.radians(etab.longitude))
        # geo.distance_km decides in the rules; this order only needs to be
        # the same up to rounding, hence the margin.
        dedans = [(float(d), index[k].id) for d, k in zip(km, connus) if d <= self.km + 1e-6]
        dedans.sort()
        plus_proche = None if dedans else float(km.min())
        return [m for _, m in dedans], [d for d, _ in dedans], len(index), plus_proche


def _haversine(lat: np.ndarray, lon: np.ndarray, lat0: float, lon0: float) -> np.ndarray:
    """geo.haversine_km over arrays."""
    h = np.sin((lat - lat0) / 2) ** 2 + np.cos(lat0) * np.cos(lat) * np.sin((lon - lon0) / 2) ** 2
    return 2 * RAYON_TERRE_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))

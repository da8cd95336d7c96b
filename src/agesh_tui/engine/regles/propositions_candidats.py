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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
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


@dataclass(frozen=True, slots=True)
class Tableau:
    """The missions of an AESH within the distance of a need's
    établissement (``Offres.ordre``), as arrays: what pricing them all and
    choosing among them all take."""

    missions: list[str]
    aesh: list[str]
    libre: np.ndarray  # free hours on the piece with what is in place, whatever the rules say
    km: np.ndarray
    missions_aesh: np.ndarray  # missions of each one's AESH (Offres.paires_possibles)
    numeros: np.ndarray  # each one's AESH as Offres.numero_aesh


@dataclass
class _Groupe:
    """Needs sharing an établissement and a piece: the rules answer once for them."""

    uai: str
    pial: str | None
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
    cadre_verifie: bool = False
    refus: str | None = None  # why the rules refuse the établissement itself
    # Every mission the rules offer here with free hours: (mission, km, free
    # hours), nearest first; and how many the rules offered. Asked once, for
    # the bound and the explanations (``catalogue``).
    offertes: list[tuple[Mission, float, float]] | None = None
    offertes_eligibles: int = 0
    par_aesh: list[tuple[float, str]] | None = None  # see Offres.aesh_au_mieux
    tableau: Tableau | None = None

    @property
    def dans_ordre(self) -> set[str]:
        if self._dans_ordre is None:
            self._dans_ordre = set(self.ordre)
        return self._dans_ordre

    _dans_ordre: set[str] | None = None

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
    _libres: dict[tuple[str, date, date], float] = field(default_factory=dict)
    _constantes: dict[str, float] = field(default_factory=dict)  # free hours the same all the period
    _libres_au_mieux: dict[str, float] = field(default_factory=dict)

    _admis: dict[int, Callable[[str], bool]] = field(default_factory=dict)
    _pleins: dict[str, frozenset[str]] = field(default_factory=dict)
    _morceaux: dict[str, int] = field(default_factory=dict)  # décision → its needs (pieces)
    _numeros: dict[str, int] = field(default_factory=dict)
    _missions_aesh: np.ndarray = field(default_factory=lambda: np.ones(0))  # by numero_aesh
    _tableaux: dict[str, Tableau] = field(default_factory=dict)  # by établissement, free hours aside
    _numeros_missions: dict[str, np.ndarray] = field(default_factory=dict)  # ordre's, by établissement
    _numeros_mission: dict[str, int] = field(default_factory=dict)
    _libres_constants: np.ndarray = field(default_factory=lambda: np.zeros(0))  # NaN: not known

    def __post_init__(self) -> None:
        self.par_besoin = [[] for _ in self.pb.besoins]
        self._pleins = {a: e for a, e in self.pb.etablissements_en_place.items()
                        if len(e) >= self.pb.limites.etablissements_par_aesh}
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
                self._groupes.append(_Groupe(b.uai, self.dep.pial_de(b.uai), b.debut, b.fin, [], ordre,
                                             distances, n, plus_proche))
            self._groupes[cles[cle]].besoins.append(i)
            self._groupe_de.append(cles[cle])
            for d in b.decision_ids:
                self._morceaux[d] = self._morceaux.get(d, 0) + 1

    def paires_possibles(self, decision_id: str, aesh_id: str) -> int:
        """How many pairs an AESH may have for a décision, at most: its
        missions × the décision's pieces."""
        return max(1, len(self.dep.missions_par_aesh.get(aesh_id, ()))) * self.morceaux(decision_id)

    def morceaux(self, decision_id: str) -> int:
        """The décision's needs (one per piece of the period)."""
        return self._morceaux.get(decision_id, 1)

    # -- asking the rules ---------------------------------------------------------------
    def groupe(self, besoin: int) -> int:
        """Needs of one établissement and piece share their group (and
        everything the rules say of it)."""
        return self._groupe_de[besoin]

    def ordre(self, besoin: int) -> list[str]:
        """Missions of an AESH within the distance of the need's établissement."""
        return self._groupes[self._groupe_de[besoin]].ordre

    def tableau(self, besoin: int) -> Tableau:
        """``ordre`` of the need's établissement and piece as arrays, once:
        what depends on the établissement only is shared by its pieces."""
        g = self._groupes[self._groupe_de[besoin]]
        if g.tableau is None:
            base = self._tableaux.get(g.uai)
            if base is None:
                missions = self.dep.missions
                aesh = [missions[m].aesh_id for m in g.ordre]
                numeros = np.array([self.numero_aesh(a) for a in aesh], dtype=np.int64)
                base = self._tableaux[g.uai] = Tableau(
                    g.ordre, aesh, np.zeros(0), np.array(g.distances, dtype=float),
                    self._missions_aesh[numeros], numeros)
                self._numeros_missions[g.uai] = np.array(
                    [self._numero_mission(m) for m in g.ordre], dtype=np.int64)
            numeros = self._numeros_missions[g.uai]
            libre = self._libres_constants[numeros]
            for k in np.nonzero(np.isnan(libre))[0].tolist():
                m = g.ordre[k]
                libre[k] = self.libre_max(m, g.debut, g.fin)
                if m in self._constantes:  # the same on every piece: known for the next ones
                    self._libres_constants[numeros[k]] = self._constantes[m]
            g.tableau = replace(base, libre=np.nan_to_num(libre, nan=0.0, posinf=0.0, neginf=0.0))
        return g.tableau

    def _numero_mission(self, mission_id: str) -> int:
        numero = self._numeros_mission.get(mission_id)
        if numero is None:
            numero = self._numeros_mission[mission_id] = len(self._numeros_mission)
            if numero >= len(self._libres_constants):
                self._libres_constants = np.concatenate(
                    [self._libres_constants, np.full(max(64, numero), np.nan)])
        return numero

    def numero_aesh(self, aesh_id: str) -> int:
        """A number for each AESH, from 0: an index of arrays about them."""
        numero = self._numeros.get(aesh_id)
        if numero is None:
            numero = self._numeros[aesh_id] = len(self._numeros)
            if numero >= len(self._missions_aesh):
                self._missions_aesh = np.concatenate([self._missions_aesh, np.ones(max(64, numero), dtype=float)])
            self._missions_aesh[numero] = max(1, len(self.dep.missions_par_aesh.get(aesh_id, ())))
        return numero

    def groupes(self) -> list[list[int]]:
        """The needs of each établissement and piece."""
        return [g.besoins for g in self._groupes]

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
            constantes = self._constantes
            libres = [-constantes[m] if m in constantes else -self.libre_max(m, g.debut, g.fin)
                      for m in g.ordre]
            g.par_libre = [m for _, m in sorted(zip(libres, g.ordre))]
        lot = [self.dep.missions[m] for m in g.par_libre if m not in g.demandees][:nombre]
        return self._demander(g, lot)

    def demander(self, besoin: int, mission_ids: Sequence[str]) -> list[int]:
        """Ask the rules about these missions (of ``ordre``) for the need's
        établissement and piece; the new pairs (of every need sharing them)."""
        g = self._groupes[self._groupe_de[besoin]]
        return self._demander(g, [self.dep.missions[m] for m in mission_ids if m not in g.demandees])

    def missions_offertes(self, besoin: int) -> set[str]:
        """Missions of the need's pairs so far."""
        return {self.aretes[e].mission_id for e in self.par_besoin[besoin]}

    def refusees(self, besoin: int) -> set[str]:
        """Missions asked about for the need's établissement and piece that
        gave the need no pair: the rules, the exact distance, free hours or
        the limits in place refuse them."""
        g = self._groupes[self._groupe_de[besoin]]
        if len(g.demandees) == len(self.par_besoin[besoin]):
            return set()
        return g.demandees - self.missions_offertes(besoin)

    def _demander(self, g: _Groupe, lot: list[Mission]) -> list[int]:
        g.demandees.update(m.id for m in lot)
        pb = self.pb
        if self._cadre(g) is not None:
            return []
        offertes = self._offertes(g, lot)
        nouvelles = []
        for distance, m in sorted(offertes, key=lambda o: (o[0], o[1].id)):
            libre = self.libre_max(m.id, g.debut, g.fin)
            if libre <= EPSILON_HEURES:
                continue
            for i in g.besoins:
                b = pb.besoins[i]
                if not self.admis(i)(m.aesh_id):
                    continue
                self.par_besoin[i].append(len(self.aretes))
                nouvelles.append(len(self.aretes))
                self.aretes.append(Arete(i, m.id, m.aesh_id, distance, round(min(b.heures, libre), 6)))
        return nouvelles

    def _offertes(self, g: _Groupe, lot: Sequence[Mission]) -> list[tuple[float, Mission]]:
        """(km, mission) of those of ``lot`` the rules offer to the group
        within the distance (the établissement itself already checked)."""
        dep = self.dep
        etab = dep.etablissements[g.uai]
        km = self.pb.limites.distance_max_km
        out = []
        for m in lot:
            if not math.isfinite(m.volume):
                continue  # a volume written before the bounds offers nothing measurable
            distance = distance_km(dep.aesh.get(m.aesh_id), etab)
            if distance is None or distance > km or not self._possible(m, g):
                continue
            out.append((distance, m))
        return out

    def catalogue(self, besoin: int) -> list[tuple[Mission, float, float]]:
        """Every mission the rules offer to the need's établissement and
        piece with free hours there: (mission, km, free hours), nearest
        first — asked once for all the needs sharing them, without making
        pairs (the bound and the explanations need them all, the
        programme a few)."""
        g = self._groupes[self._groupe_de[besoin]]
        if g.offertes is None:
            offertes = sorted(self._parcourir(g), key=lambda o: (o[0], o[1].id))
            g.offertes_eligibles = len(offertes)
            g.offertes = [(m, d, libre) for d, m in offertes
                          if (libre := self.libre_max(m.id, g.debut, g.fin)) > EPSILON_HEURES]
        return g.offertes

    def existe(self, besoin: int, libre: bool, admise: bool) -> bool:
        """Whether the rules offer the need a mission (with free hours on
        its piece, of an AESH within the limits in place): the catalogue's
        questions, stopped at the first answer."""
        g = self._groupes[self._groupe_de[besoin]]
        if g.offertes is not None:
            return bool(g.offertes_eligibles) if not libre else any(
                not admise or self.admis(besoin)(m.aesh_id) for m, _, _ in g.offertes)
        test = self.admis(besoin)
        return any((not libre or self.libre_max(m.id, g.debut, g.fin) > EPSILON_HEURES)
                   and (not admise or test(m.aesh_id)) for _, m in self._parcourir(g))

    def _parcourir(self, g: _Groupe) -> Iterator[tuple[float, Mission]]:
        """(km, mission) of the missions the rules offer to the group (free
        hours aside), about nearest first."""
        if self._cadre(g) is not None:
            return
        # The index's distances hold but near the limit, where
        # geo.distance_km (the rules') decides.
        km = self.pb.limites.distance_max_km - 1e-3
        missions = self.dep.missions
        for mission_id, d in zip(g.ordre, g.distances):
            m = missions[mission_id]
            if d > km:
                yield from self._offertes(g, [m])
            elif math.isfinite(m.volume) and self._possible(m, g):
                yield d, m

    def admis(self, besoin: int) -> Callable[[str], bool]:
        """Whether a pair of the need with an AESH keeps within the limits
        already reached by what is in place (worked out once per need)."""
        test = self._admis.get(besoin)
        if test is None:
            test = self._admis[besoin] = _admis(self.pb, self.pb.besoins[besoin], self._pleins)
        return test

    def _possible(self, m: Mission, g: _Groupe) -> bool:
        """The rules' answer for the mission there then, asked once per PIAL
        and piece: the établissement enters them only through its PIAL (hors
        PIAL: none), so its neighbours share the answer."""
        # The rules ask the mission (its contract, its affectations to the
        # PIAL) to cover the piece: what they accept for the whole period
        # they accept for any piece of it, asked once per PIAL.
        p = self.pb.periode
        entiere = (m.id, g.pial, p.debut, p.fin)
        possible = self._possibles.get(entiere)
        if possible is None:
            possible = self._possibles[entiere] = mission_possible(self.dep, m, g.uai, p.debut, p.fin)
        if possible:
            return True
        cle = (m.id, g.pial, g.debut, g.fin)
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
        offertes = self.catalogue(besoin)
        g = self._groupes[self._groupe_de[besoin]]
        admis = self.admis(besoin)
        retenues = sum(1 for m, _, _ in offertes if admis(m.aesh_id))
        return Filtrage(g.index, len(g.ordre), g.offertes_eligibles, len(offertes), retenues,
                        g.plus_proche)

    def reperes(self, besoin: int) -> tuple[int, int, float | None]:
        """``Filtrage``'s first counts (index, proches, distance_min_km), which
        ask the rules nothing."""
        g = self._groupes[self._groupe_de[besoin]]
        return g.index, len(g.ordre), g.plus_proche

    def refus_etablissement(self, besoin: int) -> str | None:
        """Why the rules refuse the need's établissement itself, if they do."""
        return self._cadre(self._groupes[self._groupe_de[besoin]])

    def _cadre(self, g: _Groupe) -> str | None:
        if not g.cadre_verifie:
            g.cadre_verifie = True
            refus = refus_cadre(self.dep, g.uai, g.debut, g.fin)
            if refus:  # the établissement itself (unknown, not a school)
                g.refus = refus[0].message
        return g.refus

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
        libre = self._constantes.get(mission_id)
        if libre is not None:
            return libre
        occupation = self.occupation(mission_id)
        if len(occupation) <= 1:  # the same every day (most missions): no piece to tell apart
            pire = max((o.heures for o in occupation), default=0.0)
            libre = self._constantes[mission_id] = self.dep.missions[mission_id].volume - pire
            return libre
        cle = (mission_id, debut, fin)
        libre = self._libres.get(cle)
        if libre is None:
            pire = max((o.heures for o in occupation if o.debut <= fin and o.fin >= debut), default=0.0)
            libre = self._libres[cle] = self.dep.missions[mission_id].volume - pire
        return libre

    def libre_au_mieux(self, mission_id: str) -> float:
        """The mission's free hours on its least occupied day of the period:
        no plan takes more of it, whatever the pieces (weighted by days)."""
        libre = self._libres_au_mieux.get(mission_id)
        if libre is None:
            moins = min((o.heures for o in self.occupation(mission_id)), default=0.0)
            libre = self._libres_au_mieux[mission_id] = self.dep.missions[mission_id].volume - moins
        return libre

    def aesh_au_mieux(self, besoin: int) -> list[tuple[float, str]]:
        """(at most, AESH) of the AESH with a mission within the distance of
        the need's établissement, the most first: at most the free hours of
        its missions on the need's piece, together (no pair of the AESH
        takes more, whatever the rules say). The rules are left to the
        caller (``offre``): the bound asks them of the first few only."""
        g = self._groupes[self._groupe_de[besoin]]
        if g.par_aesh is None:
            somme: dict[str, float] = defaultdict(float)
            missions = self.dep.missions
            constantes = self._constantes
            for m in g.ordre:
                libre = constantes[m] if m in constantes else self.libre_max(m, g.debut, g.fin)
                if libre > 0 and math.isfinite(libre):
                    somme[missions[m].aesh_id] += libre
            g.par_aesh = [(-h, a) for h, a in sorted((-h, a) for a, h in somme.items())]
        return g.par_aesh

    def offre(self, besoin: int, aesh_id: str) -> bool:
        """Whether the rules offer one of the AESH's missions to the need's
        établissement and piece (free hours aside)."""
        g = self._groupes[self._groupe_de[besoin]]
        return self._cadre(g) is None and any(
            math.isfinite(m.volume) and self._possible(m, g)
            for m in self.dep.missions_par_aesh.get(aesh_id, ()) if m.id in g.dans_ordre)

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


def _admis(pb: Probleme, besoin: Besoin, pleins: dict[str, frozenset[str]]) -> Callable[[str], bool]:
    """Whether a pair of the need with an AESH keeps within the limits
    already reached by what is in place: the décision has its AESH, or the
    AESH its établissements (``pleins``: those AESH, with them)."""
    seuls: frozenset[str] | None = None  # a décision with all its AESH: only those may come
    for d in besoin.decision_ids:
        deja = pb.aesh_en_place.get(d, frozenset())
        if len(deja) >= pb.limites.aesh_par_decision:
            seuls = deja if seuls is None else seuls & deja
    uai = besoin.uai

    def admis(aesh_id: str) -> bool:
        if seuls is not None and aesh_id not in seuls:
            return False
        plein = pleins.get(aesh_id)
        return plein is None or uai in plein
    return admis


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
        self._pials: dict[str, tuple[list[Mission], list[int], np.ndarray, np.ndarray]] = {}
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
            index, connus, lat, lon = self._du_pial(etab.pial_uai)
            if etab.latitude is None or etab.longitude is None or not connus:
                return [], [], len(index), None
            return self._par_distance(index, connus, lat, lon, etab.latitude, etab.longitude)
        if etab.latitude is not None and etab.longitude is not None:
            i, j = self._cellule(etab.latitude, etab.longitude)
            index = [m for di in (-1, 0, 1) for dj in (-1, 0, 1)
                     for a in self.cellules.get((i + di, j + dj), ())
                     for m in dep.missions_par_aesh.get(a, ()) if self._recouvre(m)]
        else:
            index = [m for m in dep.missions.values() if self._recouvre(m)]
        if etab.latitude is None or etab.longitude is None or not index:
            return [], [], len(index), None
        connus, lat, lon = self._coordonnees(index)
        if not connus:
            return [], [], len(index), None
        return self._par_distance(index, connus, lat, lon, etab.latitude, etab.longitude)

    def _du_pial(self, pial: str) -> tuple[list[Mission], list[int], np.ndarray, np.ndarray]:
        """The PIAL's missions and their AESH's coordinates, once per PIAL."""
        du = self._pials.get(pial)
        if du is None:
            index = [self.dep.missions[i] for i in sorted(self.par_pial.get(pial, ()))
                     if i in self.dep.missions]
            du = self._pials[pial] = (index, *self._coordonnees(index))
        return du

    def _coordonnees(self, index: list[Mission]) -> tuple[list[int], np.ndarray, np.ndarray]:
        coordonnees = [(k, a.latitude, a.longitude) for k, a in
                       ((k, self.dep.aesh.get(m.aesh_id)) for k, m in enumerate(index))
                       if a is not None and a.latitude is not None and a.longitude is not None]
        return ([k for k, _, _ in coordonnees], np.radians([la for _, la, _ in coordonnees]),
                np.radians([lo for _, _, lo in coordonnees]))

    def _par_distance(self, index: list[Mission], connus: list[int], lat: np.ndarray, lon: np.ndarray,
                      lat0: float, lon0: float) -> tuple[list[str], list[float], int, float | None]:
        km = _haversine(lat, lon, math.radians(lat0), math.radians(lon0))
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

"""Occupation of a mission (SPEC §2.2, guide §8): Σ hours of its
accompagnements on each sub-period of the mission."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from ..calendrier import annee_scolaire, fin_annee, lendemain, veille
from ..modele.departement import Departement
from ..modele.model import Accompagnement, Mission

# Colour states of the occupation bar.
LIBRE, PARTIELLE, COMPLETE, SURCHARGE = "libre", "partielle", "complete", "surcharge"


@dataclass(frozen=True, slots=True)
class PeriodeOccupation:
    debut: date
    fin: date
    heures: float

    def etat(self, volume: float) -> str:
        if self.heures <= 0:
            return LIBRE
        if self.heures < volume:
            return PARTIELLE
        if self.heures == volume:
            return COMPLETE
        return SURCHARGE


def fin_affichee(mission: Mission, accompagnements: Iterable[Accompagnement],
                 today: date | None = None) -> date:
    """An open-ended mission (CDI) is drawn up to the end of the school year
    of its last accompagnement or of today, whichever is later."""
    if mission.fin is not None:
        return mission.fin
    candidates = [fin_annee(annee_scolaire(mission.debut))]
    candidates += [a.fin for a in accompagnements]
    if today is not None:
        candidates.append(fin_annee(annee_scolaire(today)))
    return max(candidates)


def sommes(intervalles: Iterable[tuple[date, date, float]], debut: date, fin: date) -> list[PeriodeOccupation]:
    """Tile [debut, fin] with the Σ of the weights of the (debut, fin, poids)
    intervals on each piece: a sweep over boundaries, not a walk over days."""
    if fin < debut:
        return []
    deltas: dict[date, float] = {}
    for a_debut, a_fin, poids in intervalles:
        lo, hi = max(a_debut, debut), min(a_fin, fin)
        if lo > hi:
            continue
        deltas[lo] = deltas.get(lo, 0.0) + poids
        after = lendemain(hi)
        deltas[after] = deltas.get(after, 0.0) - poids
    points = sorted(p for p in deltas if debut < p <= fin)
    out: list[PeriodeOccupation] = []
    courant = deltas.get(debut, 0.0)
    start = debut
    for p in points:
        out.append(PeriodeOccupation(start, veille(p), round(courant, 6)))
        courant += deltas[p]
        start = p
    out.append(PeriodeOccupation(start, fin, round(courant, 6)))
    return _fusion(out)


def _fusion(periodes: list[PeriodeOccupation]) -> list[PeriodeOccupation]:
    merged: list[PeriodeOccupation] = []
    for p in periodes:
        if merged and merged[-1].heures == p.heures:
            merged[-1] = PeriodeOccupation(merged[-1].debut, p.fin, p.heures)
        else:
            merged.append(p)
    return merged


def occupation(dep: Departement, mission: Mission, debut: date | None = None, fin: date | None = None,
               today: date | None = None) -> list[PeriodeOccupation]:
    """The mission's occupation over its period, or over [debut, fin]."""
    accs = dep.accompagnements_par_mission.get(mission.id, ())
    lo = debut or mission.debut
    hi = fin or fin_affichee(mission, accs, today)
    return sommes(((a.debut, a.fin, a.heures) for a in accs), lo, hi)


def heures_max(dep: Departement, mission: Mission, debut: date, fin: date,
               ignorer: Collection[str] = ()) -> float:
    """The highest Σ hours the mission carries on any day of [debut, fin]
    (accompagnements in ``ignorer`` left out, for a modification)."""
    accs = [
        (a.debut, a.fin, a.heures)
        for a in dep.accompagnements_par_mission.get(mission.id, ())
        if a.id not in ignorer
    ]
    return max((p.heures for p in sommes(accs, debut, fin)), default=0.0)

"""The frise de mise en œuvre of a décision and its couverture (SPEC §2.1).

The décision's period is cut at every boundary of the élève's scolarités and
of the accompagnements that include the décision; each piece gets a state
and modifiers. Maintien accompagnements add pieces after the décision's end.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from ..calendrier import lendemain, veille
from ..modele.departement import Departement
from ..modele.model import Decision

SANS_SCOLARITE = "sans_scolarite"
SANS_ACCOMPAGNEMENT = "sans_accompagnement"
PARTIELLE = "partielle"
COMPLETE = "complete"
EXCEDENTAIRE = "excedentaire"
ETATS = (SANS_SCOLARITE, SANS_ACCOMPAGNEMENT, PARTIELLE, COMPLETE, EXCEDENTAIRE)


@dataclass(frozen=True, slots=True)
class Segment:
    debut: date
    fin: date
    etat: str
    heures: float = 0.0
    previsionnel: bool = False
    anomalie: bool = False
    maintien: bool = False

    @property
    def jours(self) -> int:
        return (self.fin - self.debut).days + 1


@dataclass(frozen=True, slots=True)
class Frise:
    decision_id: str
    debut: date
    fin: date  # end of the drawing: the décision's end, or the last maintien day
    segments: tuple[Segment, ...]
    couverture: float | None  # percent; None when no day has a scolarité
    priorite: float | None  # None sorts last


def etat_du_jour(individuelle: bool, notifiees: float | None, scolarise: bool, heures: float,
                 accompagne: bool) -> str:
    if not scolarise:
        return SANS_SCOLARITE
    if not accompagne:
        return SANS_ACCOMPAGNEMENT
    if not individuelle:
        return COMPLETE
    if notifiees is None or heures < notifiees:
        return PARTIELLE if heures > 0 else SANS_ACCOMPAGNEMENT
    return COMPLETE if heures == notifiees else EXCEDENTAIRE


def frise(dep: Departement, decision: Decision, anomalies: Collection[str] = ()) -> Frise:
    """Segments, couverture and priorité of one décision."""
    debut, fin = decision.debut, decision.fin
    individuelle = decision.type == "individuelle"
    notifiees = decision.heures
    scolarites = [
        (s.debut, s.fin or date.max)
        for s in dep.scolarites_par_eleve.get(decision.eleve_id, ())
    ]
    accs = dep.accompagnements_par_decision.get(decision.id, ())
    # (début, fin, heures, prévisionnel, anomalie, maintien) of each accompagnement
    pieces = [
        (a.debut, a.fin, a.heures, dep.accompagnement_previsionnel(a), a.id in anomalies, a.maintien)
        for a in accs
    ]
    fin_dessin = max([fin] + [p[1] for p in pieces if p[5]])

    cuts = {debut, lendemain(fin)}
    for s_debut, s_fin in scolarites:
        cuts.add(s_debut)
        if s_fin != date.max:
            cuts.add(lendemain(s_fin))
    for p in pieces:
        cuts.add(p[0])
        cuts.add(lendemain(p[1]))
    if fin_dessin > fin:
        cuts.add(lendemain(fin_dessin))
    points = sorted(c for c in cuts if debut <= c <= lendemain(fin_dessin))

    segments: list[Segment] = []
    jours_scolarises = 0
    somme_ratios = 0.0
    for i in range(len(points) - 1):
        s_debut, s_fin = points[i], veille(points[i + 1])
        apres_fin = s_debut > fin
        heures = 0.0
        accompagne = previsionnel = anomalie = maintien = False
        for p in pieces:
            if p[0] <= s_debut and s_fin <= p[1]:
                if apres_fin and not p[5]:
                    continue
                heures += p[2]
                accompagne = True
                previsionnel |= p[3]
                anomalie |= p[4]
                maintien |= p[5]
        if apres_fin and not accompagne:
            continue  # a gap between maintien pieces is not part of the frise
        # 1.1 + 9.2 + 1.7 must make 12 h, whatever the order of the sum.
        heures = round(heures, 6)
        scolarise = any(a <= s_debut and s_fin <= b for a, b in scolarites)
        etat = etat_du_jour(individuelle, notifiees, scolarise, heures, accompagne)
        seg = Segment(s_debut, s_fin, etat, heures, previsionnel, anomalie, maintien)
        if segments and _meme_aspect(segments[-1], seg):
            seg = Segment(segments[-1].debut, s_fin, etat, seg.heures, previsionnel, anomalie, maintien)
            segments[-1] = seg
        else:
            segments.append(seg)
        if scolarise and not apres_fin:
            n = (s_fin - s_debut).days + 1
            jours_scolarises += n
            if individuelle:
                somme_ratios += n * (heures / notifiees if notifiees else 0.0)
            elif accompagne:
                somme_ratios += n

    couverture = 100.0 * somme_ratios / jours_scolarises if jours_scolarises else None
    return Frise(decision.id, debut, fin_dessin, tuple(segments), couverture,
                 priorite(segments, couverture, fin))


def couverture_entre(f: Frise, decision: Decision, debut: date, fin: date) -> float | None:
    """The décision's couverture (percent) over [debut, fin] only — its days
    there with a scolarité —, from its frise: what a school year counts (a
    décision of three years is not « 58 % » in a year fully covered). None
    when none of those days has a scolarité."""
    lo, hi = max(debut, decision.debut), min(fin, decision.fin)
    jours_scolarises = 0
    somme_ratios = 0.0
    for s in f.segments:
        a, b = max(s.debut, lo), min(s.fin, hi)
        if a > b or s.etat == SANS_SCOLARITE:
            continue
        n = (b - a).days + 1
        jours_scolarises += n
        if decision.type == "individuelle":
            somme_ratios += n * (s.heures / decision.heures if decision.heures else 0.0)
        elif s.etat != SANS_ACCOMPAGNEMENT:
            somme_ratios += n
    return 100.0 * somme_ratios / jours_scolarises if jours_scolarises else None


def mise_en_oeuvre(couvertures: Iterable[tuple[float | None, float | None]]) -> float | None:
    """The mise en œuvre of a group of décisions individuelles (a PIAL's),
    from each one's (notified hours, couverture in percent): their
    couverture weighted by their hours, each capped at 100 % — one's hours
    in excess cover no other's lack. Percent; None when no décision has
    hours and a couverture (mutualisées, no scolarité)."""
    total = somme = 0.0
    for heures, couverture in couvertures:
        if heures is None or couverture is None or not (0 < heures < math.inf):
            continue  # a non-finite value of the base measures nothing
        total += heures
        somme += heures * min(couverture, 100.0)
    return somme / total if total else None


def mise_en_oeuvre_entre(frises: Iterable[tuple[Decision, Frise]], debut: date,
                        fin: date) -> float | None:
    """``mise_en_oeuvre`` of the décisions individuelles among these, each
    counted over [debut, fin] only (a PIAL's school year)."""
    return mise_en_oeuvre((d.heures, couverture_entre(f, d, debut, fin))
                          for d, f in frises if d.type == "individuelle")


def _meme_aspect(a: Segment, b: Segment) -> bool:
    return (
        lendemain(a.fin) == b.debut
        and a.etat == b.etat
        and a.heures == b.heures
        and a.previsionnel == b.previsionnel
        and a.anomalie == b.anomalie
        and a.maintien == b.maintien
    )


def priorite(segments: Sequence[Segment], couverture: float | None, fin: date) -> float | None:
    """0 when complete, 1 when nothing is in place, else 1 − couverture
    (clamped to [0, 1]); None (no scolarité) sorts last."""
    if couverture is None:
        return None
    dans_periode = [s for s in segments if s.debut <= fin and s.etat != SANS_SCOLARITE]
    if all(s.etat in (COMPLETE, EXCEDENTAIRE) for s in dans_periode):
        return 0.0
    if couverture == 0:
        return 1.0
    return min(1.0, max(0.0, 1.0 - couverture / 100.0))


def frises(dep: Departement, decisions: Iterable[Decision] | None = None, anomalies: Collection[str] = ()) -> dict[str, Frise]:
    """Frises of many décisions (all by default)."""
    anomalies = anomalies if isinstance(anomalies, (set, frozenset)) else set(anomalies)
    items = dep.decisions.values() if decisions is None else decisions
    return {d.id: frise(dep, d, anomalies) for d in items}

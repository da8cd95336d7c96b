"""The plan seen three ways (SPEC §2.8 « the gestionnaire reviews the plan
per PIAL, per décision, per AESH »): before → after, for a screen or a
command to show as they are. Lines removed by the gestionnaire (``sans``)
are left out of the « after »."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date

from ..calendrier import annee_scolaire, debut_annee, fin_annee
from ..modele.departement import Departement
from ..modele.model import Decision
from .couverture import Frise, Segment, frise, mise_en_oeuvre_entre
from .occupation import PeriodeOccupation, occupation
from .perimetre import dans_perimetre
from .pial import decisions_des_groupes, hors_pial
from .propositions_motifs import NonCouvert
from .propositions_plan import Ligne, Plan, simuler


@dataclass(frozen=True, slots=True)
class VuePial:
    pial_uai: str | None  # None: the hors-PIAL établissements
    nom: str
    lignes: tuple[str, ...]  # ids of the plan's lines
    heures_proposees: float  # weekly hours of the lines
    non_couverts: int  # needs left (partly) uncovered
    # The mise en œuvre over the plan's school year of the PIAL's décisions
    # individuelles of its secteurs (couverture.mise_en_oeuvre), without and with the
    # plan: what applying it moves (its couverture moyenne, moyens ÷
    # besoin, counts missions affectées, which a plan does not change).
    mise_en_oeuvre_avant: float | None = None
    mise_en_oeuvre_apres: float | None = None


@dataclass(frozen=True, slots=True)
class VueDecision:
    decision_id: str
    eleve: str
    lignes: tuple[str, ...]
    avant: Frise
    apres: Frise
    non_couvert: NonCouvert | None
    # The « after » on the plan's period only: what each stretch of it
    # holds, so that a proposal ending before the period does says why
    # (an accompagnement in place, prévisionnel or not, takes over…).
    periode_apres: tuple[Segment, ...] = ()


@dataclass(frozen=True, slots=True)
class VueMission:
    mission_id: str
    avant: tuple[PeriodeOccupation, ...]  # over the plan's period
    apres: tuple[PeriodeOccupation, ...]


@dataclass(frozen=True, slots=True)
class VueAesh:
    aesh_id: str
    nom: str
    lignes: tuple[str, ...]
    km_heures: float  # Σ km × weekly hours of its lines
    etablissements_avant: tuple[str, ...]
    etablissements_apres: tuple[str, ...]
    missions: tuple[VueMission, ...]


@dataclass(frozen=True, slots=True)
class Vues:
    par_pial: tuple[VuePial, ...]
    par_decision: tuple[VueDecision, ...]
    par_aesh: tuple[VueAesh, ...]


def vues(dep: Departement, plan: Plan, sans: Collection[str] = (),
         anomalies: Collection[str] = ()) -> Vues:
    lignes = [l for l in plan.lignes if l.id not in sans]
    apres = simuler(dep, (replace(l.accompagnement(dep), id=f"proposition:{l.id}") for l in lignes))
    par_decision = _par_decision(dep, apres, plan, lignes, anomalies)
    return Vues(_par_pial(dep, plan, lignes, par_decision), par_decision,
                _par_aesh(dep, apres, plan, lignes))


def _par_pial(dep: Departement, plan: Plan, lignes: list[Ligne],
              par_decision: tuple[VueDecision, ...]) -> tuple[VuePial, ...]:
    par: dict[str | None, list[Ligne]] = defaultdict(list)
    for l in lignes:
        par[l.pial_uai].append(l)
    manquants: dict[str | None, int] = defaultdict(int)
    for n in plan.non_couverts:
        manquants[dep.pial_de(n.uai)] += 1
    pials = sorted(par.keys() | manquants.keys(), key=lambda p: p or "~")
    secteurs = plan.perimetre.secteurs
    annee = annee_scolaire(plan.periode.debut)
    decisions = decisions_des_groupes(
        dep, {p: dep.membres_pial.get(p, ()) if p else hors_pial(dep, secteurs) for p in pials},
        annee)
    # The décisions a line includes: their frises before and after, already drawn.
    vues_decision = {v.decision_id: v for v in par_decision}
    out = []
    for pial in pials:
        tete = dep.etablissements.get(pial) if pial else None
        nom = tete.nom if tete else (pial or "Hors PIAL")
        avant, apres = _mise_en_oeuvre(dep, decisions[pial], secteurs, vues_decision, annee)
        out.append(VuePial(pial, nom, tuple(l.id for l in par.get(pial, ())),
                           round(sum(l.heures for l in par.get(pial, ())), 6), manquants[pial],
                           avant, apres))
    return tuple(out)


def _mise_en_oeuvre(dep: Departement, ids: list[str], secteurs: Collection[str],
                    vues_decision: dict[str, VueDecision],
                    annee: int) -> tuple[float | None, float | None]:
    """The mise en œuvre of these décisions over the school year without and
    with the plan (a décision no line includes is the same after)."""
    avant: list[tuple[Decision, Frise]] = []
    apres: list[tuple[Decision, Frise]] = []
    for i in ids:
        d = dep.decisions[i]
        if not d.individuelle or not dans_perimetre(dep, d, secteurs):
            continue
        vue = vues_decision.get(i)
        f = vue.avant if vue is not None else frise(dep, d)
        avant.append((d, f))
        apres.append((d, vue.apres if vue is not None else f))
    lo, hi = debut_annee(annee), fin_annee(annee)
    return mise_en_oeuvre_entre(avant, lo, hi), mise_en_oeuvre_entre(apres, lo, hi)


def _par_decision(dep: Departement, apres: Departement, plan: Plan, lignes: list[Ligne],
                  anomalies: Collection[str]) -> tuple[VueDecision, ...]:
    par: dict[str, list[str]] = defaultdict(list)
    for l in lignes:
        for d in l.decision_ids:
            par[d].append(l.id)
    manque = {d: n for n in plan.non_couverts for d in n.decision_ids}
    out = []
    for d in sorted(par.keys() | manque.keys()):
        decision = dep.decisions[d]
        eleve = dep.eleves.get(decision.eleve_id)
        f_apres = frise(apres, decision, anomalies)
        out.append(VueDecision(
            d, f"{eleve.nom} {eleve.prenom}" if eleve else decision.eleve_id, tuple(par.get(d, ())),
            frise(dep, decision, anomalies), f_apres, manque.get(d),
            _sur(f_apres, plan.periode.debut, plan.periode.fin),
        ))
    return tuple(out)


def _sur(f: Frise, debut: date, fin: date) -> tuple[Segment, ...]:
    """The frise's segments within [debut, fin], cut at its bounds."""
    return tuple(replace(s, debut=max(s.debut, debut), fin=min(s.fin, fin))
                 for s in f.segments if s.debut <= fin and s.fin >= debut)


def _par_aesh(dep: Departement, apres: Departement, plan: Plan,
              lignes: list[Ligne]) -> tuple[VueAesh, ...]:
    p = plan.periode
    par: dict[str, list[Ligne]] = defaultdict(list)
    for l in lignes:
        par[l.aesh_id].append(l)
    out = []
    for aesh_id in sorted(par):
        aesh = dep.aesh[aesh_id]
        siennes = par[aesh_id]
        avant = sorted({a.uai for m in dep.missions_par_aesh.get(aesh_id, ())
                        for a in dep.accompagnements_par_mission.get(m.id, ())
                        if a.debut <= p.fin and a.fin >= p.debut})
        missions = tuple(
            VueMission(m, tuple(occupation(dep, dep.missions[m], p.debut, p.fin)),
                       tuple(occupation(apres, dep.missions[m], p.debut, p.fin)))
            for m in sorted({l.mission_id for l in siennes})
        )
        out.append(VueAesh(aesh_id, f"{aesh.nom} {aesh.prenom}", tuple(l.id for l in siennes),
                           round(sum(l.distance_km * l.heures for l in siennes), 6), tuple(avant),
                           tuple(sorted(set(avant) | {l.uai for l in siennes})), missions))
    return tuple(out)

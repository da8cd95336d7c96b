"""The propositions d'affectation as a problem (SPEC §2.8): the needs of
the décisions of a perimeter on a period, and the limits.

Pure: the missions each need may take (propositions_candidats), the greedy
rule (propositions_glouton), the solver (propositions_solveur), the
explanations (propositions_motifs) and the plan (propositions_plan) start
from the ``Probleme`` built here; nothing is written.

**[choice]** Needs are cut where the situation changes during the period
(a scolarité ends, an accompagnement in place starts or ends): each piece
is constant, so an accompagnement on a piece with at most its missing
hours never makes a day excédentaire, and the pupil is schooled in its
établissement on every day of it (no incohérence 4). A piece's hours count
in proportion to its days (``poids``): covering 12 h for a month is not
covering them for the year. Uncovered décisions mutualisées of one
établissement and piece form one need of the formula's hours (SPEC §2.5),
met by accompagnements that include them all.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from ..calendrier import annee_scolaire, debut_annee, fin_annee, format_date, jours, lendemain, veille
from ..modele.departement import Departement
from ..modele.model import Decision, Limites
from ..nombres import EPSILON_HEURES, nombre
from .accompagnement import Refus, RegleRefusee, refus_dossiers, texte_periode
from .besoin import formule_de
from .couverture import frise
from .formule import FormuleError, parse
from .perimetre import dans_perimetre

# Bounds of the limits a superviseur may set: beyond, a « limit » no longer limits.
DISTANCE_MAX_KM = 200.0
NOMBRE_MAX = 20


@dataclass(frozen=True, slots=True)
class Periode:
    debut: date
    fin: date

    @property
    def jours(self) -> int:
        return jours(self.debut, self.fin)


@dataclass(frozen=True, slots=True)
class Perimetre:
    """Which décisions the plan is for: the secteurs (empty = the whole
    département), optionally one PIAL (its établissements) and a selection
    of décisions (None = all of the perimeter)."""

    secteurs: tuple[str, ...] = ()
    pial_uai: str | None = None
    decision_ids: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class Besoin:
    """Missing hours of one décision individuelle, or the hours of the
    formula for uncovered décisions mutualisées of one établissement, on a
    piece of the period where they are constant."""

    decision_ids: tuple[str, ...]
    uai: str
    pial_uai: str | None
    debut: date
    fin: date
    heures: float  # weekly hours to cover
    poids: float  # the piece's share of the period's days
    priorite: float | None  # SPEC §2.1, the most urgent décision's (greedy order)
    en_place: float  # weekly hours already in place on the piece (individuelle)
    cm: int | None = None  # mutualisées: how many, the formula's cM

    @property
    def mutualise(self) -> bool:
        return self.cm is not None


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A décision of the perimeter that has no need in the problem, and why
    (a code of propositions_motifs and a French sentence)."""

    decision_id: str
    motif: str
    message: str


@dataclass
class Probleme:
    """What the plan is about: the needs, what the limits count as already
    in place, and the décisions left out with their reason. The missions
    each need may take are asked of the rules as the solver goes
    (propositions_candidats.Offres)."""

    periode: Periode
    limites: Limites
    changements: int  # the data's change counter the problem was built on
    besoins: list[Besoin] = field(default_factory=list)
    aesh_en_place: dict[str, frozenset[str]] = field(default_factory=dict)  # décision → AESH
    etablissements_en_place: dict[str, frozenset[str]] = field(default_factory=dict)  # AESH → UAI
    exclusions: list[Exclusion] = field(default_factory=list)
    decisions: int = 0  # décisions of the perimeter with a scolarité on the period
    heures_en_place: float = 0.0  # notified hours of individuelles already covered (weighted like needs)

    @property
    def heures_a_couvrir(self) -> float:
        return sum(b.heures * b.poids for b in self.besoins)


# -- period and limits ---------------------------------------------------------------
def periode(today: date, annee: int | None = None, debut: date | None = None,
            fin: date | None = None) -> Periode:
    """SPEC §2.8: from today, or the start of the school year if later, to
    31/08 — of ``annee`` when given, else of today's school year; ``debut``
    and ``fin`` override. One school year at most (an accompagnement never
    crosses 31/08). Raises RegleRefusee."""
    if annee is None:
        annee = annee_scolaire(debut or today)
    lo = debut or max(today, debut_annee(annee))
    hi = fin or fin_annee(annee)
    if lo > hi:
        if debut is not None:
            raison = "le début est après la fin"
        elif fin is not None:
            raison = ("la fin est avant le premier jour par défaut (aujourd'hui, ou la rentrée si elle "
                      "est plus tard) ; précisez le début")
        else:
            raison = f"l'année scolaire {annee}-{annee + 1} est déjà passée ; précisez le début"
        raise RegleRefusee([Refus("periode", f"période vide : du {format_date(lo)} au {format_date(hi)} ({raison}).")])
    limite = fin_annee(annee_scolaire(lo))
    if hi > limite:
        raise RegleRefusee([Refus(
            "periode",
            f"la période {texte_periode(lo, hi)} dépasse le 31/08 de son année scolaire "
            f"({format_date(limite)}) : un accompagnement ne la traverse pas.",
        )])
    return Periode(lo, hi)


def refus_limites(limites: Limites) -> list[Refus]:
    """Values a superviseur (or a command line) may not set."""
    out = []
    d = limites.distance_max_km
    if not (isinstance(d, float | int) and math.isfinite(d) and 0 < d <= DISTANCE_MAX_KM):
        out.append(Refus("limites", f"distance maximale invalide ({d}) : attendu un nombre de km "
                                    f"supérieur à 0 et au plus {nombre(DISTANCE_MAX_KM)}."))
    for valeur, libelle in (
        (limites.etablissements_par_aesh, "d'établissements par AESH"),
        (limites.aesh_par_decision, "d'AESH par élève"),
    ):
        if not (isinstance(valeur, int) and 1 <= valeur <= NOMBRE_MAX):
            out.append(Refus("limites", f"nombre maximal {libelle} invalide ({valeur}) : attendu un "
                                        f"entier de 1 à {NOMBRE_MAX}."))
    return out


# -- needs ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Morceau:
    debut: date
    fin: date
    uai: str | None  # None: no scolarité on the piece
    heures: float  # in place (Σ hours)
    nombre: int  # accompagnements in place


def _morceaux(dep: Departement, decision: Decision, lo: date, hi: date) -> list[_Morceau]:
    """[lo, hi] cut at the bounds of the élève's scolarités and of the
    décision's accompagnements; adjacent pieces alike are merged."""
    scolarites = dep.scolarites_par_eleve.get(decision.eleve_id, ())
    accs = [a for a in dep.accompagnements_par_decision.get(decision.id, ())
            if a.debut <= hi and a.fin >= lo]
    coupes = {lo, lendemain(hi)}
    for s in scolarites:
        coupes.add(s.debut)
        if s.fin is not None:
            coupes.add(lendemain(s.fin))
    for a in accs:
        coupes.add(a.debut)
        coupes.add(lendemain(a.fin))
    points = sorted(c for c in coupes if lo <= c <= lendemain(hi))
    out: list[_Morceau] = []
    for a_debut, suivant in zip(points, points[1:]):
        a_fin = veille(suivant)
        uai = next((s.uai for s in scolarites
                    if s.debut <= a_debut and (s.fin is None or s.fin >= a_fin)), None)
        dessus = [a for a in accs if a.debut <= a_debut and a.fin >= a_fin]
        heures = round(sum(a.heures for a in dessus), 6)
        if out and (out[-1].uai, out[-1].heures, out[-1].nombre) == (uai, heures, len(dessus)):
            out[-1] = _Morceau(out[-1].debut, a_fin, uai, heures, len(dessus))
        else:
            out.append(_Morceau(a_debut, a_fin, uai, heures, len(dessus)))
    return out


def _decisions(dep: Departement, p: Periode, perimetre: Perimetre) -> list[Decision]:
    choisies = perimetre.decision_ids
    return sorted(
        (d for d in dep.decisions.values()
         if d.debut <= p.fin and d.fin >= p.debut
         and (choisies is None or d.id in choisies)
         and dans_perimetre(dep, d, perimetre.secteurs)),
        key=lambda d: d.id,
    )


def _besoins(dep: Departement, p: Periode, perimetre: Perimetre,
             pb: Probleme) -> None:
    """The needs of the perimeter's décisions (pb.besoins, pb.exclusions)."""
    mutualisees: dict[tuple[str, date, date], list[str]] = defaultdict(list)
    priorites: dict[str, float | None] = {}
    decisions = _decisions(dep, p, perimetre)

    def dans_pial(uai: str) -> bool:
        return perimetre.pial_uai is None or dep.pial_de(uai) == perimetre.pial_uai

    for d in decisions:
        lo, hi = max(p.debut, d.debut), min(p.fin, d.fin)
        morceaux = [m for m in _morceaux(dep, d, lo, hi) if m.uai is not None]
        if not morceaux:
            if perimetre.pial_uai is None:
                pb.decisions += 1
                pb.exclusions.append(Exclusion(
                    d.id, "sans_scolarite",
                    f"aucune scolarité de l'élève {texte_periode(lo, hi)} : pas de besoin à couvrir.",
                ))
            continue
        morceaux = [m for m in morceaux if m.uai is not None and dans_pial(m.uai)]
        if not morceaux:
            continue  # schooled outside the PIAL asked for
        pb.decisions += 1
        if d.heures is not None and not math.isfinite(d.heures):
            # Written before the bounds: no need can be measured from it.
            pb.exclusions.append(Exclusion(
                d.id, "heures_invalides",
                f"heures notifiées invalides dans la base ({d.heures}) : corrigez la décision.",
            ))
            continue
        if d.individuelle:
            pb.heures_en_place += sum(min(m.heures, d.heures or 0.0) * jours(m.debut, m.fin)
                                      for m in morceaux) / p.jours
        manquants = [m for m in morceaux if m.uai is not None
                     if (d.individuelle and (d.heures or 0.0) - m.heures > EPSILON_HEURES)
                     or (not d.individuelle and m.nombre == 0)]
        if not manquants:
            continue  # covered: nothing to propose
        refus = refus_dossiers(dep, [d.id])
        if refus:
            pb.exclusions.append(Exclusion(d.id, "dossier", refus[0].message))
            continue
        priorites[d.id] = frise(dep, d).priorite
        for m in manquants:
            uai = m.uai or ""  # never empty: pieces without a scolarité were left out
            if d.individuelle:
                _ajouter_besoin(dep, pb, (d.id,), uai, m.debut, m.fin,
                                round((d.heures or 0.0) - m.heures, 6), priorites[d.id], m.heures)
            else:
                mutualisees[(uai, m.debut, m.fin)].append(d.id)
    _besoins_mutualises(dep, pb, mutualisees, priorites)


def _besoins_mutualises(dep: Departement, pb: Probleme,
                        groupes: dict[tuple[str, date, date], list[str]],
                        priorites: dict[str, float | None]) -> None:
    """One need per établissement and piece: the formula of the year for cM
    décisions mutualisées left uncovered there (SPEC §2.8)."""
    formule = None
    annee = annee_scolaire(pb.periode.debut)
    try:
        formule = parse(formule_de(dep, annee))
    except FormuleError as exc:
        erreur = str(exc)
    for (uai, debut, fin), ids in sorted(groupes.items()):
        try:
            if formule is None:
                raise FormuleError(erreur, 0)
            heures = formule.evaluate(len(ids))
        except FormuleError as exc:
            for i in ids:
                pb.exclusions.append(Exclusion(
                    i, "formule", f"formule du besoin inapplicable ({exc}) : pas d'heures à proposer "
                                  "pour les décisions mutualisées.",
                ))
            continue
        if heures <= EPSILON_HEURES:
            continue
        urgence = max((p for p in (priorites[i] for i in ids) if p is not None), default=None)
        _ajouter_besoin(dep, pb, tuple(ids), uai, debut, fin, float(heures), urgence, 0.0, len(ids))


def _ajouter_besoin(dep: Departement, pb: Probleme, ids: tuple[str, ...], uai: str, debut: date,
                    fin: date, heures: float, priorite: float | None, en_place: float,
                    cm: int | None = None) -> None:
    pb.besoins.append(Besoin(
        ids, uai, dep.pial_de(uai), debut, fin, heures, jours(debut, fin) / pb.periode.jours,
        priorite, en_place, cm,
    ))


def _en_place(dep: Departement, p: Periode, decisions: Collection[str]) -> tuple[
        dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """AESH already accompanying each décision on the period, and
    établissements where each AESH already accompanies: what the limits count."""
    par_decision: dict[str, set[str]] = defaultdict(set)
    par_aesh: dict[str, set[str]] = defaultdict(set)
    for acc in dep.accompagnements.values():
        if acc.debut > p.fin or acc.fin < p.debut:
            continue
        mission = dep.missions.get(acc.mission_id)
        if mission is None:
            continue
        par_aesh[mission.aesh_id].add(acc.uai)
        for d in acc.decision_ids:
            if d in decisions:
                par_decision[d].add(mission.aesh_id)
    return ({k: frozenset(v) for k, v in par_decision.items()},
            {k: frozenset(v) for k, v in par_aesh.items()})


# -- the problem ----------------------------------------------------------------------
def probleme(dep: Departement, p: Periode, perimetre: Perimetre, limites: Limites) -> Probleme:
    """The needs of the perimeter on the period, and the limits."""
    refus = refus_limites(limites)
    if refus:
        raise RegleRefusee(refus)
    pb = Probleme(p, limites, dep.changements)
    _besoins(dep, p, perimetre, pb)
    pb.aesh_en_place, pb.etablissements_en_place = _en_place(
        dep, p, {d for b in pb.besoins for d in b.decision_ids})
    return pb

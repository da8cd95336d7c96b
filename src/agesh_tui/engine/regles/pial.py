"""Affecter une mission à un PIAL by hand, change or remove it (SPEC F11,
guide §9.1, §9.4), and what the PIAL screens count beside the stored
aggregates: the PIAL of a perimeter, the décisions of a PIAL, the row of
the établissements hors PIAL.

Choices where the guide is silent:

* an affectation covers the overlap of the mission and the school year
  (as the affectation automatique's, SPEC §2.7);
* a mission may be shared between PIAL: the volume still available for a
  year is the mission's volume minus the volumes of its affectations of
  that year (each counted whole, whatever its days: the sure side);
* any nature may be affected (an AESH référent coordinates in a PIAL,
  guide §8): the screen's « accompagnant » filter keeps the others apart;
  an inactive mission or AESH cannot be affected any more;
* a mission is affected once per PIAL and year: to give it more hours
  there, its volume is changed;
* the row « hors PIAL » counts the décisions of pupils schooled in an
  établissement without PIAL, and as moyens the missions employed by one
  (day-weighted volumes, as the PIAL moyens), since no affectation names it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from ..calendrier import chevauchement, debut_annee, fin_annee, jours, libelle_annee
from ..modele.departement import Departement
from ..modele.model import AffectationPial, Mission
from ..nombres import EPSILON_HEURES, HEURES_MAX, heures
from .accompagnement import Refus
from .besoin import couverture
from .formule import FormuleError
from .formule import parse as parse_formule

K = TypeVar("K")


def periode_affectation(mission: Mission, annee: int) -> tuple[date, date] | None:
    """(début, fin) of an affectation of the mission for the year, None
    when the mission is not valid during it."""
    return chevauchement(mission.debut, mission.fin, debut_annee(annee), fin_annee(annee))


def affectations_de(dep: Departement, mission_id: str, annee: int) -> list[AffectationPial]:
    return [a for a in dep.affectations_par_mission.get(mission_id, ()) if a.annee == annee]


def volume_disponible(dep: Departement, mission: Mission, annee: int,
                      ignorer: str | None = None) -> float:
    """Weekly hours of the mission not yet affected for the year (the
    affectation ``ignorer`` counted as free: the one being changed)."""
    pris = sum(a.volume for a in affectations_de(dep, mission.id, annee) if a.id != ignorer)
    return max(0.0, mission.volume - pris)


def affectations_de_l_annee(dep: Departement, annee: int) -> dict[str, list[AffectationPial]]:
    """The year's affectations by PIAL (one pass: a detail reads many missions)."""
    par_pial: dict[str, list[AffectationPial]] = {}
    for a in dep.affectations.values():
        if a.annee == annee:
            par_pial.setdefault(a.pial_uai, []).append(a)
    return par_pial


def volumes_pris(par_pial: dict[str, list[AffectationPial]]) -> dict[str, float]:
    """Weekly hours of each mission affected this year (``volume_disponible``'s sum)."""
    pris: dict[str, float] = {}
    for affectations in par_pial.values():
        for a in affectations:
            pris[a.mission_id] = pris.get(a.mission_id, 0.0) + a.volume
    return pris


def _refus_volume(volume: float, maximum: float) -> list[Refus]:
    if volume <= 0 or volume > HEURES_MAX:
        return [Refus("volume", "le volume horaire hebdomadaire doit être supérieur à 0 h.")]
    if volume > maximum + EPSILON_HEURES:
        return [Refus("volume", f"{heures(volume)} dépasse le volume encore disponible de la "
                                f"mission : {heures(maximum)} au plus.")]
    return []


def verifier_affectation(dep: Departement, mission_id: str, pial_uai: str, annee: int,
                         volume: float) -> list[Refus]:
    """Every rule a new affectation breaks (empty: it may be written)."""
    mission = dep.missions.get(mission_id)
    if mission is None:
        return [Refus("mission", f"la mission {mission_id} n'existe pas.")]
    if pial_uai not in dep.membres_pial:
        return [Refus("pial", f"{pial_uai} n'est pas un établissement tête de PIAL.")]
    aesh = dep.aesh.get(mission.aesh_id)
    if not mission.actif or aesh is None or not aesh.actif:
        return [Refus("mission", f"la mission {mission_id} ou son AESH est inactif : elle ne "
                                 "s'affecte plus.")]
    if periode_affectation(mission, annee) is None:
        return [Refus("periode", f"la mission {mission_id} n'est pas valide pendant l'année "
                                 f"scolaire {libelle_annee(annee)}.")]
    if any(a.pial_uai == pial_uai for a in affectations_de(dep, mission_id, annee)):
        return [Refus("deja", f"la mission {mission_id} est déjà affectée à ce PIAL pour "
                              f"{libelle_annee(annee)} : modifiez le volume de cette "
                              "affectation.")]
    return _refus_volume(volume, volume_disponible(dep, mission, annee))


def verifier_volume(dep: Departement, affectation: AffectationPial, volume: float) -> list[Refus]:
    """The rules of a new volume for an existing affectation."""
    mission = dep.missions.get(affectation.mission_id)
    if mission is None:
        return [Refus("mission", f"la mission {affectation.mission_id} n'existe plus.")]
    return _refus_volume(volume, volume_disponible(dep, mission, affectation.annee,
                                                   ignorer=affectation.id))


# -- what the screens count ------------------------------------------------------------
def piaux_du_perimetre(dep: Departement, secteurs: Collection[str]) -> list[str]:
    """The têtes de PIAL with a member in the chosen secteurs (all when
    none is chosen), by UAI."""
    if not secteurs:
        return sorted(dep.membres_pial)
    return sorted(p for p, membres in dep.membres_pial.items()
                  if any(dep.secteur_par_uai.get(u) in secteurs for u in membres))


def _scolarise_dans(dep: Departement, eleve_id: str, debut: date, fin: date,
                    uais: Collection[str]) -> bool:
    return any(s.uai in uais and s.debut <= fin and (s.fin is None or s.fin >= debut)
               for s in dep.scolarites_par_eleve.get(eleve_id, ()))


def decisions_dans(dep: Departement, uais: Collection[str], annee: int) -> list[str]:
    """Ids of the décisions active during the year whose pupil is schooled,
    on the overlap, in one of ``uais`` (regles.besoin's counting rule)."""
    return decisions_des_groupes(dep, {"": uais}, annee)[""]


def decisions_des_groupes(dep: Departement, groupes: Mapping[K, Collection[str]],
                          annee: int) -> dict[K, list[str]]:
    """``decisions_dans`` for each group of établissements (the PIAL of a
    plan…), the scolarités read once for all."""
    debut, fin = debut_annee(annee), fin_annee(annee)
    ensembles = {k: set(uais) for k, uais in groupes.items()}
    groupes_de: dict[str, list[K]] = defaultdict(list)
    for k, uais in ensembles.items():
        for uai in uais:
            groupes_de[uai].append(k)
    # The pupils ever schooled there first: a PIAL holds a few of the département's.
    eleves: dict[K, set[str]] = {k: set() for k in ensembles}
    for s in dep.scolarites.values():
        if s.uai in groupes_de and s.debut <= fin and (s.fin is None or s.fin >= debut):
            for k in groupes_de[s.uai]:
                eleves[k].add(s.eleve_id)
    out: dict[K, list[str]] = {}
    for k, uais in ensembles.items():
        ids = []
        for eleve_id in eleves[k]:
            for d in dep.decisions_par_eleve.get(eleve_id, ()):
                periode = chevauchement(d.debut, d.fin, debut, fin)
                if periode is not None and _scolarise_dans(dep, eleve_id, *periode, uais):
                    ids.append(d.id)
        out[k] = sorted(ids)
    return out


def hors_pial(dep: Departement, secteurs: Collection[str] = ()) -> list[str]:
    """The établissements without PIAL (of the chosen secteurs), by UAI."""
    return sorted(e.uai for e in dep.etablissements.values()
                  if not e.pial_uai and (not secteurs or dep.secteur_par_uai.get(e.uai) in secteurs))


@dataclass(frozen=True, slots=True)
class ChiffresHorsPial:
    decisions_individuelles: int
    decisions_mutualisees: int
    heures_individuelles: float
    besoin: float
    missions: int
    moyens: float
    couverture: float | None


def chiffres_hors_pial(dep: Departement, uais: Collection[str], annee: int,
                       formule_texte: str) -> ChiffresHorsPial:
    """Besoin and moyens of the établissements hors PIAL ``uais`` taken
    together. FormuleError when the formula fails on their values."""
    decisions = [dep.decisions[i] for i in decisions_dans(dep, uais, annee)]
    c_i = sum(1 for d in decisions if d.individuelle)
    h_i = sum(d.heures or 0.0 for d in decisions if d.individuelle)
    c_m = len(decisions) - c_i
    try:
        besoin = h_i + parse_formule(formule_texte).evaluate(c_m, c_i, h_i)
    except FormuleError as exc:
        raise FormuleError(f"{exc.message} hors PIAL (cM = {c_m}, cI = {c_i})", exc.position) from exc
    debut, fin = debut_annee(annee), fin_annee(annee)
    duree = jours(debut, fin)
    missions, moyens = 0, 0.0
    uais = set(uais)
    for m in dep.missions.values():
        if m.uai_employeur not in uais or not m.actif:
            continue
        periode = chevauchement(m.debut, m.fin, debut, fin)
        if periode is not None:
            missions += 1
            moyens += m.volume * jours(*periode) / duree
    return ChiffresHorsPial(c_i, c_m, h_i, besoin, missions, moyens, couverture(moyens, besoin))

"""Why a need is left uncovered by the plan (issue 14, item 5): so that the
gestionnaire knows whether to recruit, to affect a mission to the PIAL or
to relax a limit. A stable code for programs, a French sentence, and
what to do."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ..nombres import EPSILON_HEURES, nombre
from ..nombres import heures as texte_heures
from .propositions_candidats import Offres

RECRUTER = "recruter un AESH (ou ajouter une mission prévisionnelle) près de l'établissement"
AFFECTER = "affecter une mission au PIAL pour la période (PIAL › affecter des AESH)"
DISTANCE = "relever la distance maximale (paramètres du département) ou recruter plus près"
LIMITE_AESH = "relever le nombre maximal d'AESH par élève (paramètres du département)"
LIMITE_ETABLISSEMENTS = "relever le nombre maximal d'établissements par AESH (paramètres du département)"


@dataclass(frozen=True, slots=True)
class NonCouvert:
    """A need the plan leaves (partly) uncovered, and why."""

    decision_ids: tuple[str, ...]
    uai: str
    debut: date
    fin: date
    heures: float  # weekly hours of the need
    couvertes: float  # weekly hours the plan gives it
    motif: str
    message: str
    conseil: str

    @property
    def manquantes(self) -> float:
        return self.heures - self.couvertes


def non_couverts(offres: Offres, heures: dict[int, float],
                 progression: Callable[[str, int, int], None] | None = None) -> list[NonCouvert]:
    """The needs of ``offres.pb`` that the plan ``heures`` (per pair) does
    not cover in full, each with its reason. ``progression(étape, faites,
    total)`` is told as it goes; an exception it raises stops it."""
    rappel = progression or (lambda etape, faites, total: None)
    pb = offres.pb
    par_besoin = [0.0] * len(pb.besoins)
    aesh_de: list[set[str]] = [set() for _ in pb.besoins]
    etablissements: dict[str, set[str]] = {k: set(v) for k, v in pb.etablissements_en_place.items()}
    for e, h in heures.items():
        a = offres.aretes[e]
        par_besoin[a.besoin] += h
        aesh_de[a.besoin].add(a.aesh_id)
        etablissements.setdefault(a.aesh_id, set()).add(pb.besoins[a.besoin].uai)
    out = []
    for i, b in enumerate(pb.besoins):
        if i % 64 == 0:
            rappel("Besoins non couverts", i, len(pb.besoins))
        couvertes = round(par_besoin[i], 6)
        if couvertes >= b.heures - EPSILON_HEURES:
            continue
        motif, message, conseil = _motif(offres, i, couvertes, aesh_de[i], etablissements)
        out.append(NonCouvert(b.decision_ids, b.uai, b.debut, b.fin, b.heures, couvertes,
                              motif, message, conseil))
    return out


def _motif(offres: Offres, i: int, couvertes: float, aesh: set[str],
           etablissements: dict[str, set[str]]) -> tuple[str, str, str]:
    """``aesh``: those the plan gives the need; ``etablissements``: per AESH,
    where it accompanies with the plan."""
    pb, dep = offres.pb, offres.dep
    b = pb.besoins[i]
    lim = pb.limites
    refus = offres.refus_etablissement(i)
    if refus:
        return "etablissement", refus, "vérifier la scolarité de l'élève (établissement de scolarisation)"
    index, proches, distance_min_km = offres.reperes(i)
    km = f"{nombre(lim.distance_max_km)} km"
    etab = dep.etablissements.get(b.uai)
    if index == 0:
        if b.pial_uai:
            tete = dep.etablissements.get(b.pial_uai)
            nom = tete.nom if tete else b.pial_uai
            return ("aucune_mission_pial",
                    f"aucune mission n'est affectée au PIAL {nom} ({b.pial_uai}) sur la période.",
                    AFFECTER)
        return ("aucune_mission",
                f"établissement hors PIAL sans aucune mission d'accompagnement à moins de {km}.",
                RECRUTER)
    if proches == 0:
        if etab is None or etab.latitude is None or etab.longitude is None:
            return ("distance", "coordonnées de l'établissement inconnues : la distance ne peut pas "
                                "être vérifiée.", "compléter le référentiel des établissements")
        loin = (f" (la plus proche à {nombre(distance_min_km)} km)"
                if distance_min_km is not None else "")
        return "distance", f"aucune mission éligible à moins de {km}{loin}.", DISTANCE
    if not offres.existe(i, libre=False, admise=False):
        return ("regles",
                f"aucune des {proches} missions à moins de {km} ne peut porter l'accompagnement sur "
                "la période (mission ou AESH inactif, nature de support, fin de contrat, affectation "
                "au PIAL).", AFFECTER if b.pial_uai else RECRUTER)
    if not offres.existe(i, libre=True, admise=False):
        f = offres.filtrage(i)
        return ("missions_pleines",
                f"les {f.eligibles} missions éligibles à moins de {km} sont pleines sur la période.",
                RECRUTER)
    if not offres.existe(i, libre=True, admise=True):
        if any(len(pb.aesh_en_place.get(d, ())) >= lim.aesh_par_decision for d in b.decision_ids):
            return ("limite_aesh",
                    f"l'élève a déjà {lim.aesh_par_decision} AESH sur la période, aucun n'a d'heures "
                    "libres ici.", LIMITE_AESH)
        return ("limite_etablissements",
                f"les AESH qui ont des heures libres accompagnent déjà dans "
                f"{lim.etablissements_par_aesh} établissements.", LIMITE_ETABLISSEMENTS)
    en_place = set().union(*(pb.aesh_en_place.get(d, frozenset()) for d in b.decision_ids))
    partie = (f"couverte en partie ({texte_heures(couvertes)} sur {texte_heures(b.heures)}) : "
              if couvertes > EPSILON_HEURES else "")
    if len(aesh | en_place) >= lim.aesh_par_decision:
        return ("limite_aesh",
                f"{partie}au plus {lim.aesh_par_decision} AESH par élève, et ceux qui ont le plus "
                "d'heures libres ici n'en ont pas assez.", LIMITE_AESH)
    offrants = {offres.aretes[e].aesh_id for e in offres.par_besoin[i]}
    if all(b.uai not in etablissements.get(a, ()) and
           len(etablissements.get(a, ())) >= lim.etablissements_par_aesh for a in offrants - aesh):
        return ("limite_etablissements",
                f"{partie}les AESH qui ont des heures libres ici accompagnent, avec le plan, dans "
                f"{lim.etablissements_par_aesh} établissements déjà.", LIMITE_ETABLISSEMENTS)
    return ("concurrence",
            f"{partie}les heures libres des {offres.filtrage(i).libres} missions éligibles vont à "
            "d'autres besoins du plan.", RECRUTER)

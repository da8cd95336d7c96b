"""The Carte des AESH of a PIAL (guide §9.5 « Positionnements géographiques
des AESH »): the tête de PIAL, its établissements, and the AESH placed at
their residence — those whose missions are affected to the PIAL for the
year, and those free nearby (an accompanying mission, active, valid in the
year, affected to no PIAL that year, with free hours today, within the
distance limit of the propositions) —, nearest first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..engine.calendrier import debut_annee, fin_annee
from ..engine.geo import distance_km
from ..engine.modele.model import Aesh, Etablissement
from ..engine.modele.natures import accompagnante
from ..engine.texte import propre
from .vues_missions import heures_du_jour

if TYPE_CHECKING:
    from .session import Session

AFFECTE, DISPONIBLE = "affecte", "disponible"


@dataclass(frozen=True, slots=True)
class PointEtablissement:
    uai: str
    nom: str
    commune: str
    latitude: float
    longitude: float
    tete: bool


@dataclass(frozen=True, slots=True)
class PointAesh:
    aesh_id: str
    nom: str  # « NOM Prénom », cleaned
    commune: str
    latitude: float
    longitude: float
    distance_km: float  # from the tête de PIAL
    heures_libres: float  # today, over the missions shown
    statut: str  # AFFECTE | DISPONIBLE


@dataclass(frozen=True, slots=True)
class CartePial:
    pial_uai: str
    nom: str  # of the tête de PIAL, cleaned
    annee: int
    tete: PointEtablissement | None  # None: the tête has no coordinates
    etablissements: tuple[PointEtablissement, ...]  # the tête first
    aesh: tuple[PointAesh, ...]  # nearest first
    sans_position: int  # AESH of the PIAL that cannot be placed (no coordinates)
    distance_max_km: float  # how far « nearby » goes


def _point(etab: Etablissement, tete: bool) -> PointEtablissement | None:
    if etab.latitude is None or etab.longitude is None:
        return None
    return PointEtablissement(etab.uai, propre(etab.nom), propre(etab.commune),
                              etab.latitude, etab.longitude, tete)


def carte_pial(session: Session, pial_uai: str, annee: int) -> CartePial | None:
    """The map of the PIAL for the school year, None when no such PIAL."""
    dep, today = session.dep, session.today
    tete_etab = dep.etablissements.get(pial_uai)
    membres = dep.membres_pial.get(pial_uai)
    if tete_etab is None or not membres:
        return None
    tete = _point(tete_etab, True)
    etabs = [tete] if tete else []
    for uai in sorted(membres):
        if uai != pial_uai and (p := _point(dep.etablissements[uai], False)) is not None:
            etabs.append(p)
    debut, fin = debut_annee(annee), fin_annee(annee)
    affectees: dict[str, str] = {}  # mission → PIAL affected to this year
    for a in dep.affectations.values():
        if a.annee == annee:
            affectees[a.mission_id] = a.pial_uai
    limite = dep.parametres.limites.distance_max_km
    libres: dict[str, float] = {}
    statuts: dict[str, str] = {}
    for m in dep.missions.values():
        pial = affectees.get(m.id)
        if pial is not None and pial != pial_uai:
            continue
        if pial is None and not (m.actif and accompagnante(m.nature) and m.debut <= fin
                                 and (m.fin is None or m.fin >= debut)):
            continue
        libre = max(0.0, m.volume - heures_du_jour(dep.accompagnements_par_mission.get(m.id, ()),
                                                   today))
        if pial is None and libre <= 0:
            continue
        libres[m.aesh_id] = libres.get(m.aesh_id, 0.0) + libre
        if pial is not None or m.aesh_id not in statuts:
            statuts[m.aesh_id] = AFFECTE if pial is not None else DISPONIBLE
    points: list[PointAesh] = []
    sans_position = 0
    for aesh_id, statut in statuts.items():
        aesh = dep.aesh.get(aesh_id)
        if aesh is None or (statut == DISPONIBLE and not aesh.actif):
            continue
        d = distance_km(aesh, tete_etab)
        if d is None or aesh.latitude is None or aesh.longitude is None:
            sans_position += statut == AFFECTE
            continue
        if statut == DISPONIBLE and d > limite:
            continue
        points.append(_point_aesh(aesh, d, libres[aesh_id], statut))
    points.sort(key=lambda p: (p.distance_km, p.nom, p.aesh_id))
    return CartePial(pial_uai, propre(tete_etab.nom), annee, tete, tuple(etabs), tuple(points),
                     sans_position, limite)


def _point_aesh(aesh: Aesh, distance: float, libres: float, statut: str) -> PointAesh:
    assert aesh.latitude is not None and aesh.longitude is not None
    return PointAesh(aesh.id, propre(f"{aesh.nom} {aesh.prenom}"), propre(aesh.commune),
                     aesh.latitude, aesh.longitude, distance, libres, statut)

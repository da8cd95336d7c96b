"""Affectations of missions to a PIAL by hand (SPEC F11, guide §9.1, §9.4):
affecter une mission disponible, changer le volume affecté (22 h → 20 h),
retirer l'affectation.

Each operation checks the rules (regles.pial), then writes in one
transaction the row, the message and the journal line, then applies the
change to the in-memory département. A refusal raises RegleRefusee and
writes nothing. Concurrency is per record, as operations.aesh: a change or
a removal names the version the screen showed (StaleWriteError when
another session changed it since); an affectation is refused when the
mission's affectations of the year changed in the base since the load
(its volume still available was computed on them).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from ..calendrier import libelle_annee
from ..modele.departement import Departement
from ..modele.model import AffectationPial
from ..nombres import heures
from ..regles.accompagnement import RegleRefusee
from ..regles.pial import periode_affectation, verifier_affectation, verifier_volume
from ..stockage import StaleWriteError, Stockage, StoreError
from ..stockage import affectations as lignes
from ..stockage.journal import consigner

RELANCER = ("rien n'a été enregistré ; rechargez les données (R) puis recommencez.")


def _suivre(dep: Departement, compteur: int) -> None:
    """``dep`` follows the write when nothing else was written since it was loaded."""
    if dep.changements == compteur:
        dep.changements = compteur + 1


def _texte(dep: Departement, a: AffectationPial) -> str:
    """« mission M1 (MOREAU Claire) au PIAL Collège A (0350001A), 24 h, 2026-2027 »."""
    mission = dep.missions.get(a.mission_id)
    aesh = dep.aesh.get(mission.aesh_id) if mission else None
    qui = f" ({aesh.nom} {aesh.prenom})" if aesh else ""
    etab = dep.etablissements.get(a.pial_uai)
    pial = f"{etab.nom} ({a.pial_uai})" if etab else a.pial_uai
    return f"mission {a.mission_id}{qui} au PIAL {pial}, {heures(a.volume)}, {libelle_annee(a.annee)}"


def _secteurs(dep: Departement, a: AffectationPial) -> list[str | None]:
    return [dep.secteur_par_uai.get(a.pial_uai)]


def _affectation(dep: Departement, affectation_id: str) -> AffectationPial:
    a = dep.affectations.get(affectation_id)
    if a is None:
        raise StoreError(f"l'affectation {affectation_id} n'existe plus.")
    return a


def affecter(store: Stockage, dep: Departement, auteur: str, mission_id: str, pial_uai: str,
             annee: int, volume: float, *, quand: datetime | None = None) -> AffectationPial:
    """« Affecter » a mission disponible to the PIAL for the school year."""
    refus = verifier_affectation(dep, mission_id, pial_uai, annee, volume)
    if refus:
        raise RegleRefusee(refus)
    periode = periode_affectation(dep.missions[mission_id], annee)
    assert periode is not None, "verifier_affectation checked it"
    connues = {a.id: a.version for a in dep.affectations_par_mission.get(mission_id, ())
               if a.annee == annee}
    with store.ecriture() as tx:
        compteur = tx.compteur_initial
        if lignes.de_mission(tx, mission_id, annee) != connues:
            raise StaleWriteError(f"les affectations de la mission {mission_id} ont changé "
                                  f"depuis le chargement (une autre session) : {RELANCER}")
        ident = f"AF{annee}-{lignes.premier_numero(tx, annee):06d}"
        nouvelle = AffectationPial(ident, mission_id, pial_uai, annee, volume, *periode)
        lignes.inserer(tx, nouvelle)
        texte = f"Affectation {ident} : {_texte(dep, nouvelle)}"
        consigner(tx, quand, auteur, "affectation_pial", texte, texte, _secteurs(dep, nouvelle))
    dep.ajouter_affectation(nouvelle)
    _suivre(dep, compteur)
    return nouvelle


def modifier_volume(store: Stockage, dep: Departement, auteur: str, affectation_id: str,
                    version: int, volume: float, *,
                    quand: datetime | None = None) -> AffectationPial:
    """Change the weekly volume affected (e.g. 22 h → 20 h); ``version``:
    the affectation's as the screen showed it."""
    ancienne = _affectation(dep, affectation_id)
    refus = verifier_volume(dep, ancienne, volume)
    if refus:
        raise RegleRefusee(refus)
    with store.ecriture() as tx:
        compteur = tx.compteur_initial
        nouvelle = lignes.modifier_volume(tx, replace(ancienne, version=version), volume)
        texte = (f"Affectation {affectation_id} modifiée : {_texte(dep, nouvelle)} "
                 f"(au lieu de {heures(ancienne.volume)})")
        consigner(tx, quand, auteur, "affectation_pial", texte, texte, _secteurs(dep, nouvelle))
    dep.retirer_affectation(affectation_id)
    dep.ajouter_affectation(nouvelle)
    _suivre(dep, compteur)
    return nouvelle


def retirer(store: Stockage, dep: Departement, auteur: str, affectation_id: str, version: int,
            *, quand: datetime | None = None) -> AffectationPial:
    """Remove the affectation (the mission becomes disponible again)."""
    ancienne = _affectation(dep, affectation_id)
    with store.ecriture() as tx:
        compteur = tx.compteur_initial
        lignes.supprimer(tx, replace(ancienne, version=version))
        texte = f"Affectation {affectation_id} retirée : {_texte(dep, ancienne)}"
        consigner(tx, quand, auteur, "affectation_pial", texte, texte, _secteurs(dep, ancienne))
    dep.retirer_affectation(affectation_id)
    _suivre(dep, compteur)
    return ancienne

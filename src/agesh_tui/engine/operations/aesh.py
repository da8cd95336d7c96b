"""Writes of what the gestionnaires enter about AESH and missions (SPEC F8,
F9, guide §7–8): modifier un AESH, ajouter un AESH prévisionnel with its
missions prévisionnelles, ajouter or modifier une mission prévisionnelle.

Each operation checks the rules (regles.aesh), then writes in one
transaction the rows, the message and the journal line, then applies the
change to the in-memory département. A refusal raises RegleRefusee and
writes nothing.

Concurrency is per record: a modification names the version of the record
the form loaded, and is refused when another session changed the record
since (ModifieAilleurs, a StaleWriteError saying what changed, field by
field). A write elsewhere in the base does not refuse it — except, for a
mission, a change of the accompagnements it carries, on which its rules
were checked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from ..modele.departement import Departement
from ..modele.model import Aesh, Mission
from ..nombres import heures
from ..regles.accompagnement import texte_periode
from ..regles.aesh import (
    COMPARES_AESH,
    COMPARES_MISSION,
    Refus,
    RegleRefusee,
    SaisieAesh,
    SaisieMission,
    appliquer_aesh,
    appliquer_mission,
    champs_modifiables,
    nouvel_aesh,
    nouvelle_mission,
    refus_accompagnements_portes,
    verifier_aesh,
    verifier_mission,
)
from ..regles.differences import Champ, Difference, differences, texte_differences
from ..stockage import StaleWriteError, Stockage, StoreError, rh
from ..stockage import accompagnements as lignes_accompagnements
from ..stockage.journal import consigner

__all__ = [
    "ModifieAilleurs", "RegleRefusee", "creer_aesh", "creer_mission", "modifier_aesh",
    "modifier_mission",
]


class ModifieAilleurs(StaleWriteError):
    """The record changed in the base since it was loaded: nothing was
    written. ``actuel``: the record as the base holds it now;
    ``differences``: what changed, from what this session loaded."""

    def __init__(self, message: str, actuel: Aesh | Mission, diffs: Sequence[Difference]):
        super().__init__(message)
        self.actuel = actuel
        self.differences = list(diffs)


# -- shared ------------------------------------------------------------------------------
def _nom(aesh: Aesh) -> str:
    return f"{aesh.nom} {aesh.prenom}"


def _aesh(dep: Departement, aesh_id: str) -> Aesh:
    aesh = dep.aesh.get(aesh_id)
    if aesh is None:
        raise StoreError(f"AESH inconnu : {aesh_id}.")
    return aesh


def _resume(m: Mission) -> str:
    """« MP000001 CDD HI2D 24 h du 01/09/2026 au 31/08/2027 »."""
    return f"{m.id} {m.contrat} {m.nature} {heures(m.volume)} {texte_periode(m.debut, m.fin)}"


def _secteurs(dep: Departement, missions: Sequence[Mission]) -> list[str | None]:
    """The secteurs of the missions' établissements employeurs; [None]
    (the gestionnaires' list only) when none is known."""
    codes: list[str | None] = []
    for m in missions:
        code = dep.secteur_par_uai.get(m.uai_employeur or "")
        if code and code not in codes:
            codes.append(code)
    return codes or [None]


def _suivre(dep: Departement, compteur: int) -> None:
    """``dep`` follows the write when nothing else was written since it was
    loaded; otherwise it stays behind, and the session sees it stale."""
    if dep.changements == compteur:
        dep.changements = compteur + 1


def _a_jour(actuel: Aesh | Mission | None, connu: Aesh | Mission, version: int,
            champs: Mapping[str, Champ], sujet: str, accord: str = "") -> None:
    """Refuse when the record is no longer at ``version`` in the base,
    saying what changed from ``connu`` (what this session loaded)."""
    if actuel is None:
        raise StoreError(f"{sujet} n'existe plus : supprimé{accord} entre-temps.")
    if actuel.version == version:
        return
    diffs = differences(connu, actuel, champs)
    quoi = texte_differences(diffs) if diffs else "ses valeurs ne sont plus celles affichées"
    raise ModifieAilleurs(
        f"{sujet} a été modifié{accord} par une autre session depuis son chargement ({quoi}) : "
        "rien n'a été enregistré ; rechargez les données puis enregistrez de nouveau.",
        actuel, diffs,
    )


# -- AESH --------------------------------------------------------------------------------
def modifier_aesh(store: Stockage, dep: Departement, auteur: str, aesh_id: str, version: int,
                  saisie: SaisieAesh, *, today: date, quand: datetime | None = None) -> Aesh:
    """« Modifier cet AESH »: the fields a gestionnaire enters (all of a
    prévisionnel AESH, the moyen de transport of an RH one) take the form's
    values; the others are left as they are. ``version``: the AESH's as the
    form loaded it. A call that changes nothing writes nothing."""
    ancien = _aesh(dep, aesh_id)
    champs = champs_modifiables(ancien)
    refus = verifier_aesh(saisie, today, champs)
    if refus:
        raise RegleRefusee(refus)
    nouveau = appliquer_aesh(ancien, saisie, champs)
    changes = differences(ancien, nouveau, COMPARES_AESH)
    if not changes:
        return ancien
    sujet = f"l'AESH {_nom(ancien)} ({aesh_id})"
    with store.ecriture() as tx:
        compteur = tx.compteur_initial
        _a_jour(rh.lire_aesh(tx, aesh_id), ancien, version, COMPARES_AESH, sujet)
        nouveau = rh.modifier_aesh(tx, version, nouveau)
        texte = f"AESH {_nom(nouveau)} ({aesh_id}) modifié : {texte_differences(changes)}"
        consigner(tx, quand, auteur, "modification_aesh", texte, f"{aesh_id} : {texte}")
    dep.ajouter_aesh(nouveau)
    _suivre(dep, compteur)
    return nouveau


def creer_aesh(store: Stockage, dep: Departement, auteur: str, saisie: SaisieAesh,
               missions: Sequence[SaisieMission] = (), *, today: date,
               quand: datetime | None = None) -> tuple[Aesh, list[Mission]]:
    """« Ajouter un AESH » prévisionnel (guide §7.2) with its missions
    prévisionnelles, in one transaction; returns them with their ids."""
    refus = verifier_aesh(saisie, today)
    for rang, mission in enumerate(missions, 1):
        refus += [Refus(f"mission{rang}.{r.regle}", f"Mission {rang} : {r.message}")
                  for r in verifier_mission(mission, dep.etablissements)]
    if refus:
        raise RegleRefusee(refus)
    with store.ecriture() as tx:
        compteur = tx.compteur_initial
        aesh = rh.inserer_aesh(tx, nouvel_aesh(saisie))
        crees = [rh.inserer_mission(tx, nouvelle_mission(aesh.id, s)) for s in missions]
        texte = f"AESH prévisionnel {_nom(aesh)} ({aesh.id}) créé"
        if crees:
            texte += (f" avec {len(crees)} mission(s) prévisionnelle(s) : "
                      + ", ".join(_resume(m) for m in crees))
        consigner(tx, quand, auteur, "creation_aesh", texte, f"{aesh.id} : {texte}",
                  _secteurs(dep, crees))
    dep.ajouter_aesh(aesh)
    for cree in crees:
        dep.ajouter_mission(cree)
    _suivre(dep, compteur)
    return aesh, crees


# -- missions ----------------------------------------------------------------------------
def creer_mission(store: Stockage, dep: Departement, auteur: str, aesh_id: str,
                  saisie: SaisieMission, *, quand: datetime | None = None) -> Mission:
    """« Ajouter une mission » prévisionnelle (guide §8.2) to an AESH, from
    the RH bases or prévisionnel."""
    aesh = _aesh(dep, aesh_id)
    refus = verifier_mission(saisie, dep.etablissements)
    if refus:
        raise RegleRefusee(refus)
    with store.ecriture() as tx:
        compteur = tx.compteur_initial
        mission = rh.inserer_mission(tx, nouvelle_mission(aesh_id, saisie))
        texte = f"Mission prévisionnelle {_resume(mission)} créée pour l'AESH {_nom(aesh)} ({aesh_id})"
        consigner(tx, quand, auteur, "creation_mission", texte, f"{mission.id} : {texte}",
                  _secteurs(dep, [mission]))
    dep.ajouter_mission(mission)
    _suivre(dep, compteur)
    return mission


def modifier_mission(store: Stockage, dep: Departement, auteur: str, mission_id: str,
                     version: int, saisie: SaisieMission, *,
                     quand: datetime | None = None) -> Mission:
    """Modify a prévisionnelle mission (an RH one is read-only: refused).
    It must still carry its accompagnements (regles.aesh); a call that
    changes nothing writes nothing."""
    ancienne = dep.missions.get(mission_id)
    if ancienne is None:
        raise StoreError(f"mission inconnue : {mission_id}.")
    if not ancienne.previsionnel:
        raise RegleRefusee([Refus(
            "source",
            f"la mission {mission_id} vient de la base RH {ancienne.source} : synchronisée "
            "depuis les bases RH, elle ne se modifie pas ici.",
        )])
    refus = verifier_mission(saisie, dep.etablissements)
    if refus:
        raise RegleRefusee(refus)
    nouvelle = appliquer_mission(ancienne, saisie)
    changes = differences(ancienne, nouvelle, COMPARES_MISSION)
    if not changes:
        return ancienne
    refus = refus_accompagnements_portes(dep, nouvelle)
    if refus:
        raise RegleRefusee(refus)
    portes = {a.id: a.version for a in dep.accompagnements_par_mission.get(mission_id, ())}
    with store.ecriture() as tx:
        compteur = tx.compteur_initial
        _a_jour(rh.lire_mission(tx, mission_id), ancienne, version, COMPARES_MISSION,
                f"la mission {mission_id}", "e")
        if compteur != dep.changements and lignes_accompagnements.versions_de_mission(
                tx, mission_id) != portes:
            raise StaleWriteError(
                f"les accompagnements de la mission {mission_id} ont changé depuis le chargement "
                "(une autre session) : rien n'a été enregistré ; rechargez les données puis "
                "enregistrez de nouveau."
            )
        nouvelle = rh.modifier_mission(tx, version, nouvelle)
        aesh = dep.aesh.get(nouvelle.aesh_id)
        pour = f" de l'AESH {_nom(aesh)} ({aesh.id})" if aesh else ""
        texte = f"Mission prévisionnelle {mission_id}{pour} modifiée : {texte_differences(changes)}"
        consigner(tx, quand, auteur, "modification_mission", texte, f"{mission_id} : {texte}",
                  _secteurs(dep, [ancienne, nouvelle]))
    dep.ajouter_mission(nouvelle)
    _suivre(dep, compteur)
    return nouvelle


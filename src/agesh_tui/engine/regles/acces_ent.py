"""ENT access of the AESH (SPEC §6, seeds 000 and 001): for an
établissement and a day, who needs access and to which classes, and —
against what a previous run gave — what to add and what to remove.

An AESH needs access while an accompagnement there covers the day, on an
active mission of an active AESH; the classes are those of the
accompanied pupils' scolarités there that day. Everything else loses it: an
AESH whose accompagnements ended, an AESH or mission now inactive, a
classe the pupil left. Pure: the previous run comes in as records.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass
from datetime import date

from ..modele.departement import Departement
from ..modele.model import Accompagnement


@dataclass(frozen=True, slots=True)
class ProfilEnt:
    """How one ENT names what the AESH are given."""

    nom: str
    groupes: tuple[str, ...]  # the établissement's AESH group(s), in the order they are given
    fonction: str  # the fonction of the account (the ENT's CSV import)


ENTS: dict[str, ProfilEnt] = {
    # Seed 000: the profile group gives Pronote and Moodle, then « Invités Moodle ».
    "toutatice": ProfilEnt("Toutatice", ("Assistants d'éducation - Soutien au Handicap", "Invités Moodle"),
                           "Assistant d'éducation - Soutien au Handicap"),
    # Seed 001: a free group with rights A–F, the fonction of the seed's account form.
    "entmip": ProfilEnt("ENT MIP", ("GD_AESH (AVS)",), "ASS EDUCATION-AUXILIAIRE DE VIE SCOLAIRE"),
    # [choice] No seed: Open ENT NG gives access through a manual group of the
    # établissement, created in its administration console.
    "open-ent-ng": ProfilEnt("Open ENT NG", ("AESH",), "AESH"),
}

AJOUT_ACCOMPAGNEMENT = "nouvel accompagnement"
AJOUT_CLASSE = "nouvelle classe"
RETRAIT_FIN = "fin d'accompagnement"
RETRAIT_INACTIF = "AESH inactif"
RETRAIT_CLASSE = "classe quittée"


@dataclass(frozen=True, slots=True)
class AccesAesh:
    """What one AESH needs in the établissement's ENT."""

    aesh_id: str
    civilite: str
    nom: str
    prenom: str
    naissance: date | None
    classes: tuple[str, ...]  # sorted


@dataclass(frozen=True, slots=True)
class Changement:
    """A line « ajouter » or « retirer »: the groups (joining or leaving
    the établissement's AESH group) and the classes concerned."""

    aesh_id: str
    civilite: str
    nom: str
    prenom: str
    naissance: date | None
    groupes: tuple[str, ...]
    classes: tuple[str, ...]
    motif: str


@dataclass(frozen=True, slots=True)
class ClasseManquante:
    """An accompanied pupil whose scolarité there has no classe: his AESH
    gets the group, not the class space (``agesh siecle`` fills it)."""

    aesh_id: str
    eleve_id: str
    decision_id: str


def besoins(dep: Departement, uai: str, jour: date,
            accompagnements: Iterable[Accompagnement] | None = None,
            ) -> tuple[list[AccesAesh], list[ClasseManquante]]:
    """Who needs access to the ENT of ``uai`` on ``jour``, by nom, prénom.
    ``accompagnements``: those of ``uai`` when the caller has them indexed
    (every établissement in turn), else all are looked at."""
    classes: dict[str, set[str]] = {}
    manquantes: list[ClasseManquante] = []
    for acc in dep.accompagnements.values() if accompagnements is None else accompagnements:
        if acc.uai != uai or not acc.debut <= jour <= acc.fin:
            continue
        mission = dep.missions.get(acc.mission_id)
        aesh = dep.aesh.get(mission.aesh_id) if mission else None
        if mission is None or aesh is None or not mission.actif or not aesh.actif:
            continue
        des_classes = classes.setdefault(aesh.id, set())
        for decision_id in acc.decision_ids:
            decision = dep.decisions.get(decision_id)
            if decision is None:
                continue
            classe = _classe(dep, decision.eleve_id, uai, jour)
            if classe:
                des_classes.add(classe)
            else:
                manquantes.append(ClasseManquante(aesh.id, decision.eleve_id, decision_id))
    acces = []
    for aesh_id, des_classes in classes.items():
        a = dep.aesh[aesh_id]
        acces.append(AccesAesh(a.id, a.civilite, a.nom, a.prenom, a.date_naissance,
                               tuple(sorted(des_classes))))
    acces.sort(key=lambda x: (x.nom.casefold(), x.prenom.casefold(), x.aesh_id))
    manquantes.sort(key=lambda m: (m.aesh_id, m.eleve_id, m.decision_id))
    return acces, manquantes


def _classe(dep: Departement, eleve_id: str, uai: str, jour: date) -> str:
    for s in dep.scolarites_par_eleve.get(eleve_id, ()):
        if s.uai == uai and s.debut <= jour and (s.fin is None or jour <= s.fin):
            return s.classe.strip()
    return ""


def comparer(precedents: Sequence[AccesAesh] | None, actuels: Sequence[AccesAesh],
             groupes: tuple[str, ...], inactifs: Set[str] = frozenset()
             ) -> tuple[list[Changement], list[Changement]]:
    """(ajouter, retirer) since ``precedents`` (None: a first run, where
    everything is to add). ``inactifs``: AESH now inactive, so that their
    removal says why (a set: a département's runs share it, not copied)."""
    avant = {a.aesh_id: a for a in precedents or ()}
    maintenant = {a.aesh_id: a for a in actuels}
    ajouter, retirer = [], []
    for a in actuels:
        ancien = avant.get(a.aesh_id)
        if ancien is None:
            ajouter.append(_changement(a, groupes, a.classes, AJOUT_ACCOMPAGNEMENT))
            continue
        nouvelles = tuple(c for c in a.classes if c not in ancien.classes)
        quittees = tuple(c for c in ancien.classes if c not in a.classes)
        if nouvelles:
            ajouter.append(_changement(a, (), nouvelles, AJOUT_CLASSE))
        if quittees:
            retirer.append(_changement(a, (), quittees, RETRAIT_CLASSE))
    for ancien in precedents or ():
        if ancien.aesh_id not in maintenant:
            motif = RETRAIT_INACTIF if ancien.aesh_id in inactifs else RETRAIT_FIN
            retirer.append(_changement(ancien, groupes, ancien.classes, motif))
    ordre = lambda c: (c.nom.casefold(), c.prenom.casefold(), c.aesh_id)  # noqa: E731
    return sorted(ajouter, key=ordre), sorted(retirer, key=ordre)


def _changement(a: AccesAesh, groupes: tuple[str, ...], classes: tuple[str, ...], motif: str) -> Changement:
    return Changement(a.aesh_id, a.civilite, a.nom, a.prenom, a.naissance, groupes, classes, motif)


def espaces_classes(precedents: Sequence[AccesAesh] | None,
                    actuels: Sequence[AccesAesh]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(to open, to close): where the ENT gives class spaces to the AESH
    group as a whole (ENT MIP's rights D–F), a classe is opened when a
    first AESH needs it and closed when none does any more."""
    avant = {c for a in precedents or () for c in a.classes}
    maintenant = {c for a in actuels for c in a.classes}
    return tuple(sorted(maintenant - avant)), tuple(sorted(avant - maintenant))

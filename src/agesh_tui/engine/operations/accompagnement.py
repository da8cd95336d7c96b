"""Writes of accompagnements (SPEC §2.3.8–9, guide §10.2–10.3): créer,
modifier, insérer, maintenir, supprimer.

Each operation checks the rules (regles.accompagnement), then writes in one
transaction the rows, one message per ERSEH secteur concerned and one
journal line, then applies the change to the in-memory département. A
refusal raises RegleRefusee and writes nothing; a stale version raises the
store's StaleWriteError.

An inserted accompagnement remembers what it replaced (its ``remplace``):
deleting it is the undo of the insertion and gives the original back.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from ..calendrier import annee_scolaire, fin_annee, lendemain, veille
from ..modele.departement import Departement
from ..modele.model import Accompagnement
from ..regles.accompagnement import (
    Refus,
    RegleRefusee,
    etablissement_par_defaut,
    nom_aesh,
    proposition,
    refus_dossiers,
    refus_insertion,
    restes_insertion,
    texte_heures,
    texte_periode,
    verifier,
)
from ..stockage import StaleWriteError, Stockage, StoreError, Transaction
from ..stockage import accompagnements as lignes
from ..stockage.journal import journaliser, notifier_erseh

__all__ = [
    "RegleRefusee", "StaleWriteError", "Suppression", "creer", "ecrire_creation", "modifier",
    "inserer", "maintenir", "supprimer",
]

# The original's values an insertion remembers, besides its id and décisions.
_VALEURS_ORIGINE = (
    "mission_id", "uai", "heures", "repas", "pause_meridienne", "previsionnel", "maintien",
)


def _transaction(store: Stockage, dep: Departement) -> AbstractContextManager[Transaction]:
    """The rules were checked on ``dep``: refuse when another session wrote
    since it was loaded (two gestionnaires filling the same mission)."""
    return store.ecriture(dep, "recommencez l'opération")


# -- messages and journal -------------------------------------------------------------
def _eleves(dep: Departement, acc: Accompagnement) -> list[str]:
    ids: list[str] = []
    for decision_id in acc.decision_ids:
        decision = dep.decisions.get(decision_id)
        if decision and decision.eleve_id not in ids:
            ids.append(decision.eleve_id)
    return ids


def _secteurs(dep: Departement, acc: Accompagnement) -> list[str | None]:
    """The secteur of the accompagnement's établissement, then those of the
    élèves' scolarités during it; [None] when none is known (the message
    then only reaches the gestionnaires' list)."""
    uais = [acc.uai]
    for eleve_id in _eleves(dep, acc):
        for s in dep.scolarites_par_eleve.get(eleve_id, ()):
            if s.debut <= acc.fin and (s.fin is None or s.fin >= acc.debut):
                uais.append(s.uai)
    codes: list[str | None] = []
    for uai in uais:
        code = dep.secteur_par_uai.get(uai)
        if code and code not in codes:
            codes.append(code)
    return codes or [None]


def resume(dep: Departement, acc: Accompagnement) -> str:
    """« pour DUPONT Léa (AESH MARTIN Anne, 12 h, du 01/09/2026 au 31/08/2027) »"""
    noms = []
    for eleve_id in _eleves(dep, acc):
        eleve = dep.eleves.get(eleve_id)
        noms.append(f"{eleve.nom} {eleve.prenom}" if eleve else eleve_id)
    mission = dep.missions.get(acc.mission_id)
    aesh = nom_aesh(dep.aesh.get(mission.aesh_id), mission) if mission else acc.mission_id
    return (
        f"pour {', '.join(noms)} (AESH {aesh}, {texte_heures(acc.heures)}, "
        f"{texte_periode(acc.debut, acc.fin)})"
    )


def _notifier(tx: Transaction, dep: Departement, auteur: str, quand: datetime | None,
              action: str, texte: str, acc: Accompagnement) -> None:
    notifier_erseh(tx, quand, auteur, texte, _secteurs(dep, acc), action)
    journaliser(tx, quand, auteur, action,
                f"{acc.id} : {texte} ; mission {acc.mission_id}, décisions "
                f"{', '.join(acc.decision_ids)}, établissement {acc.uai}")


# -- rules -----------------------------------------------------------------------------
def _controler(dep: Departement, acc: Accompagnement, ignorer: Sequence[str] = (),
               avant: Accompagnement | None = None) -> None:
    refus = verifier(
        dep, acc.mission_id, acc.decision_ids, acc.uai, acc.debut, acc.fin, acc.heures,
        acc.maintien, ignorer, avant,
    )
    if refus:
        raise RegleRefusee(refus)


def _existant(dep: Departement, acc_id: str) -> Accompagnement:
    acc = dep.accompagnements.get(acc_id)
    if acc is None:
        raise StoreError(f"accompagnement inconnu : {acc_id}.")
    return acc


# -- insertion memory ------------------------------------------------------------------
def _memoire(ancien: Accompagnement, debut: date, fin: date,
             morceaux: Sequence[Accompagnement]) -> str:
    """What an insertion replaced (Accompagnement.remplace): the original's
    values (its own memory included, for when it comes back whole), the
    replaced period and the pieces the original became, each with its
    version, to tell later whether it is still as the insertion left it."""
    return json.dumps({
        "id": ancien.id,
        "decision_ids": list(ancien.decision_ids),
        **{nom: getattr(ancien, nom) for nom in _VALEURS_ORIGINE},
        "remplace": ancien.remplace,
        "debut": debut.isoformat(),
        "fin": fin.isoformat(),
        "morceaux": [
            {"id": m.id, "version": m.version, "debut": m.debut.isoformat(), "fin": m.fin.isoformat()}
            for m in morceaux
        ],
    }, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class _Retablissement:
    """How deleting an inserted accompagnement gives its original back."""

    origine: Accompagnement  # as it will stand; id "" = a new one
    garde: Accompagnement | None  # the intact piece widened into it, if any
    fondus: tuple[Accompagnement, ...]  # other intact pieces it absorbs (deleted)

    @property
    def remplaces(self) -> tuple[str, ...]:
        return tuple(m.id for m in (self.garde, *self.fondus) if m is not None)


def _intact(dep: Departement, morceau: dict[str, Any], memoire: dict[str, Any]) -> Accompagnement | None:
    """The piece if it is still as the insertion left it (version, dates and
    values), else None. The values are compared too: a deleted piece's id
    may have been given to another accompagnement since."""
    acc = dep.accompagnements.get(morceau["id"])
    if acc is None or (acc.version, acc.debut.isoformat(), acc.fin.isoformat()) != (
        morceau["version"], morceau["debut"], morceau["fin"]
    ):
        return None
    if list(acc.decision_ids) != memoire["decision_ids"] or any(
        getattr(acc, nom) != memoire[nom] for nom in _VALEURS_ORIGINE
    ):
        return None
    return acc


def _retablissement(dep: Departement, acc: Accompagnement) -> _Retablissement | None:
    """What deleting ``acc`` gives back; None when it was not inserted or no
    longer stands in for its original (décisions changed, dates moved off the
    replaced period).

    Only the days of the replaced period ``acc`` still covers come back.
    They rejoin the pieces of the original that are still as the insertion
    left them, on either side, the piece carrying the original's id first:
    when nothing touched them meanwhile, the original comes back whole under
    its id. A piece changed or deleted meanwhile is left alone (it is
    someone's later decision): the days come back as a new accompagnement,
    under the original's id only when the insertion had deleted the original
    and the id is still free."""
    if acc.remplace is None:
        return None
    memoire = json.loads(acc.remplace)
    debut = max(acc.debut, date.fromisoformat(memoire["debut"]))
    fin = min(acc.fin, date.fromisoformat(memoire["fin"]))
    if debut > fin or set(acc.decision_ids) != set(memoire["decision_ids"]):
        return None
    intacts = [m for m in (_intact(dep, x, memoire) for x in memoire["morceaux"]) if m]
    gauche = next((m for m in intacts if lendemain(m.fin) == debut), None)
    droite = next((m for m in intacts if veille(m.debut) == fin), None)
    voisins = sorted((m for m in (gauche, droite) if m), key=lambda m: m.id != memoire["id"])
    if gauche:
        debut = gauche.debut
    if droite:
        fin = droite.fin
    if voisins:
        garde, *fondus = voisins
        return _Retablissement(replace(garde, debut=debut, fin=fin), garde, tuple(fondus))
    reprise = not memoire["morceaux"] and memoire["id"] not in dep.accompagnements
    origine = Accompagnement(
        memoire["id"] if reprise else "", memoire["mission_id"], tuple(memoire["decision_ids"]),
        memoire["uai"], debut, fin, memoire["heures"], memoire["repas"],
        memoire["pause_meridienne"], memoire["previsionnel"], memoire["maintien"],
        remplace=memoire["remplace"],
    )
    return _Retablissement(origine, None, ())


def _retablir(tx: Transaction, plan: _Retablissement) -> Accompagnement:
    for morceau in plan.fondus:
        lignes.supprimer(tx, morceau.id, morceau.version)
    if plan.garde is None:
        return lignes.inserer(tx, plan.origine, garder_id=bool(plan.origine.id))
    return lignes.modifier(tx, plan.garde, plan.garde.version, plan.origine)


# -- operations ------------------------------------------------------------------------
def creer(
    store: Stockage,
    dep: Departement,
    auteur: str,
    mission_id: str,
    decision_ids: Sequence[str],
    uai: str | None = None,
    debut: date | None = None,
    fin: date | None = None,
    heures: float | None = None,
    repas: bool = False,
    pause_meridienne: bool = False,
    previsionnel: bool | None = None,
    maintien: bool = False,
    *,
    today: date,
    quand: datetime | None = None,
) -> Accompagnement:
    """Create an accompagnement; values left out come from ``proposition``
    (a début given alone keeps the end within its school year and the
    décisions), the établissement from the élèves' scolarité at the start,
    ``previsionnel`` from the mission or AESH being prévisionnel."""
    decision_ids = tuple(decision_ids)
    prop = proposition(dep, decision_ids, today)
    if fin is None:
        if debut is None:
            fin = prop.fin
        else:
            fin_commune = min(dep.decisions[i].fin for i in decision_ids)
            fin = min(fin_commune, fin_annee(annee_scolaire(debut)))
    if debut is None:
        debut = prop.debut
    if heures is None:
        heures = prop.heures
    if uai is None:
        uai = etablissement_par_defaut(dep, decision_ids, debut)
    if previsionnel is None:
        previsionnel = dep.mission_previsionnelle(mission_id)
    # _controler's checks, on the values before the Accompagnement exists:
    # the hours may still be missing (mutualisé), which verifier refuses.
    refus = verifier(dep, mission_id, decision_ids, uai, debut, fin, heures, maintien)
    if refus:
        raise RegleRefusee(refus)
    assert heures is not None, "verifier refuses missing hours"
    acc = Accompagnement(
        "", mission_id, decision_ids, uai, debut, fin, heures,
        repas, pause_meridienne, previsionnel, maintien,
    )
    with _transaction(store, dep) as tx:
        acc = ecrire_creation(tx, dep, auteur, quand, acc)
    dep.ajouter_accompagnement(acc)
    return acc


def ecrire_creation(tx: Transaction, dep: Departement, auteur: str, quand: datetime | None,
                    acc: Accompagnement) -> Accompagnement:
    """Inside a write: the row of a new accompagnement (checked by the
    caller), its messages and its journal line; returns it with its id.
    Shared with the propositions d'affectation, whose lines are created
    exactly as manual ones."""
    acc = lignes.inserer(tx, acc)
    verbe = "Accompagnement de maintien créé" if acc.maintien else "Accompagnement créé"
    _notifier(tx, dep, auteur, quand, "creation_accompagnement", f"{verbe} {resume(dep, acc)}", acc)
    return acc


def modifier(
    store: Stockage,
    dep: Departement,
    auteur: str,
    acc_id: str,
    version: int,
    *,
    debut: date | None = None,
    fin: date | None = None,
    decision_ids: Sequence[str] | None = None,
    mission_id: str | None = None,
    uai: str | None = None,
    heures: float | None = None,
    repas: bool | None = None,
    pause_meridienne: bool | None = None,
    previsionnel: bool | None = None,
    quand: datetime | None = None,
) -> Accompagnement:
    """Change an accompagnement (None = unchanged); the result passes every
    rule, its own former self left out of the mission's occupation. A call
    that changes nothing writes nothing.

    A reduction (same mission, établissement and décisions or fewer, period
    within the former one, no more hours; see regles.accompagnement.verifier)
    is not refused by the checks tied to choosing the mission (mission or
    AESH inactive, nature, PIAL, volume and occupation): the tableau de bord
    asks the gestionnaire to shorten or end such accompagnements. The
    period checks still apply; any other change is checked in full."""
    ancien = _existant(dep, acc_id)
    nouveau = replace(
        ancien,
        debut=ancien.debut if debut is None else debut,
        fin=ancien.fin if fin is None else fin,
        mission_id=ancien.mission_id if mission_id is None else mission_id,
        uai=ancien.uai if uai is None else uai,
        heures=ancien.heures if heures is None else heures,
        repas=ancien.repas if repas is None else repas,
        pause_meridienne=ancien.pause_meridienne if pause_meridienne is None else pause_meridienne,
        previsionnel=ancien.previsionnel if previsionnel is None else previsionnel,
        decision_ids=ancien.decision_ids if decision_ids is None else tuple(decision_ids),
    )
    if nouveau == ancien:
        return ancien
    _controler(dep, nouveau, ignorer=(acc_id,), avant=ancien)
    with _transaction(store, dep) as tx:
        nouveau = lignes.modifier(tx, ancien, version, nouveau)
        _notifier(tx, dep, auteur, quand, "modification_accompagnement",
                  f"Accompagnement modifié {resume(dep, nouveau)}", nouveau)
    dep.retirer_accompagnement(acc_id)
    dep.ajouter_accompagnement(nouveau)
    return nouveau


def inserer(
    store: Stockage,
    dep: Departement,
    auteur: str,
    acc_id: str,
    version: int,
    debut: date,
    fin: date,
    mission_id: str | None = None,
    heures: float | None = None,
    repas: bool | None = None,
    pause_meridienne: bool | None = None,
    previsionnel: bool | None = None,
    *,
    quand: datetime | None = None,
) -> list[Accompagnement]:
    """Insert a new accompagnement (same décisions and établissement, other
    values defaulting to the original's) that replaces the original on their
    overlap: the original is shortened, cut in two (the second part gets a
    new id) or deleted when fully covered. The new one remembers what it
    replaced (see supprimer). Returns the accompagnements that now stand in
    the original's place, by start date."""
    ancien = _existant(dep, acc_id)
    nouveau = replace(
        ancien,
        id="",
        remplace=None,
        debut=debut,
        fin=fin,
        mission_id=ancien.mission_id if mission_id is None else mission_id,
        heures=ancien.heures if heures is None else heures,
        repas=ancien.repas if repas is None else repas,
        pause_meridienne=ancien.pause_meridienne if pause_meridienne is None else pause_meridienne,
        previsionnel=ancien.previsionnel if previsionnel is None else previsionnel,
    )
    refus = refus_insertion(ancien, debut, fin)
    if refus:
        raise RegleRefusee(refus)
    _controler(dep, nouveau, ignorer=(acc_id,))
    # Both pieces keep the original's own memory: each still stands in, on
    # its days, for what the original had replaced.
    avant, apres = restes_insertion(ancien, debut, fin)
    with _transaction(store, dep) as tx:
        nouveau = lignes.inserer(tx, nouveau)
        restes = []
        reste = avant or apres  # the original's first remaining piece, if any
        if reste is None:
            lignes.supprimer(tx, acc_id, version)
        else:
            restes.append(lignes.modifier(tx, ancien, version, reste))
            if avant is not None and apres is not None:
                restes.append(lignes.inserer(tx, apres))
        # written last: the pieces' ids and versions are known only now
        nouveau = replace(nouveau, remplace=_memoire(
            ancien, max(debut, ancien.debut), min(fin, ancien.fin), restes,
        ))
        lignes.ecrire_remplace(tx, nouveau.id, nouveau.remplace)
        _notifier(tx, dep, auteur, quand, "insertion_accompagnement",
                  f"Accompagnement inséré {resume(dep, nouveau)} à la place de {acc_id} "
                  "sur cette période", nouveau)
    dep.retirer_accompagnement(acc_id)
    for acc in (nouveau, *restes):
        dep.ajouter_accompagnement(acc)
    return sorted((nouveau, *restes), key=lambda a: a.debut)


def maintenir(
    store: Stockage,
    dep: Departement,
    auteur: str,
    acc_id: str,
    debut: date,
    fin: date,
    mission_id: str | None = None,
    heures: float | None = None,
    repas: bool | None = None,
    pause_meridienne: bool | None = None,
    *,
    quand: datetime | None = None,
) -> Accompagnement:
    """A maintien of an existing accompagnement after its décisions' end
    (guide §10.2): same élèves and établissement, flagged maintien, on its
    mission or another one that covers the new period. Refused, like a
    création, when an élève's dossier is gelé or clôturé."""
    ancien = _existant(dep, acc_id)
    # A new accompagnement: it would be born an incohérence 5.
    refus = refus_dossiers(dep, ancien.decision_ids)
    if refus:
        raise RegleRefusee(refus)
    mission_id = ancien.mission_id if mission_id is None else mission_id
    acc = replace(
        ancien,
        id="",
        debut=debut,
        fin=fin,
        mission_id=mission_id,
        heures=ancien.heures if heures is None else heures,
        repas=ancien.repas if repas is None else repas,
        pause_meridienne=ancien.pause_meridienne if pause_meridienne is None else pause_meridienne,
        previsionnel=ancien.previsionnel or dep.mission_previsionnelle(mission_id),
        maintien=True,
        remplace=None,
    )
    _controler(dep, acc)
    with _transaction(store, dep) as tx:
        acc = lignes.inserer(tx, acc)
        _notifier(tx, dep, auteur, quand, "maintien_accompagnement",
                  f"Accompagnement maintenu {resume(dep, acc)} (maintien de {acc_id})", acc)
    dep.ajouter_accompagnement(acc)
    return acc


@dataclass(frozen=True, slots=True)
class Suppression:
    """What a deletion gave back: the original of an inserted accompagnement
    (None: nothing to give back, or refused), and the rules that refused it."""

    retabli: Accompagnement | None = None
    refus: tuple[Refus, ...] = ()


def supprimer(store: Stockage, dep: Departement, auteur: str, acc_id: str, version: int, *,
              quand: datetime | None = None) -> Suppression:
    """Delete an accompagnement (asking for confirmation is the caller's job).

    Deleting an inserted accompagnement undoes its insertion: in the same
    transaction, its original comes back on the days it replaced, merged
    with its untouched pieces (see _retablissement), checked by the rules
    like any write. When the rules now refuse it (mission since filled,
    ended or made inactive…), the accompagnement is still deleted but the
    original is not given back: a confirmed deletion is never blocked, and
    nothing that breaks a rule is ever written; the message, the journal and
    the returned Suppression say why the days are left uncovered."""
    acc = _existant(dep, acc_id)
    plan = _retablissement(dep, acc)
    refus: list[Refus] = []
    if plan is not None:
        origine = plan.origine
        refus = verifier(
            dep, origine.mission_id, origine.decision_ids, origine.uai, origine.debut,
            origine.fin, origine.heures, origine.maintien, ignorer=(acc_id, *plan.remplaces),
        )
    texte = f"Accompagnement supprimé {resume(dep, acc)}"
    retabli = None
    with _transaction(store, dep) as tx:
        if refus:
            raisons = " ; ".join(r.message.rstrip(".") for r in refus)
            texte += (
                f" ; l'accompagnement d'origine n'a pas pu être rétabli "
                f"{texte_periode(origine.debut, origine.fin)} : {raisons}."
            )
        elif plan is not None:
            # before the deletion, so that a new id never repeats the deleted one's
            retabli = _retablir(tx, plan)
            texte += (
                f" ; accompagnement d'origine rétabli {texte_periode(retabli.debut, retabli.fin)} "
                f"({retabli.id})"
            )
        lignes.supprimer(tx, acc_id, version)
        _notifier(tx, dep, auteur, quand, "suppression_accompagnement", texte, acc)
    dep.retirer_accompagnement(acc_id)
    if retabli is not None:
        assert plan is not None, "retabli comes from the plan"
        for ident in plan.remplaces:
            dep.retirer_accompagnement(ident)
        dep.ajouter_accompagnement(retabli)
    return Suppression(retabli, tuple(refus))

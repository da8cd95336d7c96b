"""Mon compte's writes (SPEC F2, F3, guide §2): the user's coordonnées (a
stale write refused with what changed), the secteurs of their perimeter,
the read marks of their messages. Each in one transaction; none is a data
change (the PIAL aggregates stay valid, other sessions do not reload)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from ..modele.model import Message, Utilisateur
from ..regles.accompagnement import RegleRefusee
from ..regles.compte import (
    COMPARES_COORDONNEES,
    SaisieCoordonnees,
    coordonnees_a_ecrire,
    dedoublonner,
    message_visible,
    nature_message,
    verifier_coordonnees,
    verifier_secteurs,
)
from ..regles.differences import Difference, differences, texte_differences
from ..stockage import StaleWriteError, Stockage, StoreError
from ..stockage import compte as lignes
from ..stockage.journal import journaliser
from .aesh import ModifieAilleurs


class CoordonneesModifiees(ModifieAilleurs):
    """The coordonnées changed in the base (another session of the same
    user) since they were shown: nothing was written. ``utilisateur``: the
    user as the base holds it now; ``differences``: what changed. A kind of
    ModifieAilleurs: the forms offer to take the entry up again the same way."""

    def __init__(self, message: str, actuel: Utilisateur, diffs: Sequence[Difference]):
        StaleWriteError.__init__(self, message)
        self.utilisateur = actuel
        self.differences = list(diffs)


def lire_utilisateur(store: Stockage, utilisateur: Utilisateur) -> Utilisateur | None:
    """``utilisateur`` with its account as the base holds it now."""
    with store.lecture() as tx:
        compte = lignes.lire_compte(tx, utilisateur.login)
    return None if compte is None else _avec(utilisateur, compte)


def _avec(utilisateur: Utilisateur, compte: tuple) -> Utilisateur:
    mail, telephone, adresse, secteurs, version = compte
    return replace(utilisateur, mail=mail, telephone=telephone, adresse=adresse,
                   secteurs=secteurs, version=version)


def enregistrer_coordonnees(store: Stockage, utilisateur: Utilisateur, saisie: SaisieCoordonnees,
                            *, quand: datetime | None = None) -> Utilisateur:
    """Write the coordonnées of ``utilisateur`` (as the form loaded it: its
    version). Refused (RegleRefusee) when a rule is broken; refused
    (CoordonneesModifiees) when another session changed them since — a
    change of the secteurs alone does not refuse them. Unchanged: nothing
    is written."""
    refus = verifier_coordonnees(saisie)
    if refus:
        raise RegleRefusee(refus)
    s = coordonnees_a_ecrire(saisie)
    voulu = replace(utilisateur, mail=s.mail, telephone=s.telephone, adresse=s.adresse)
    with store.ecriture(compter=False) as tx:
        compte = lignes.lire_compte(tx, utilisateur.login)
        if compte is None:
            raise StoreError(f"l'utilisateur « {utilisateur.login} » n'existe plus.")
        actuel = _avec(utilisateur, compte)
        if actuel.version != utilisateur.version:
            diffs = differences(utilisateur, actuel, COMPARES_COORDONNEES)
            if diffs:
                raise CoordonneesModifiees(
                    f"vos coordonnées ont été modifiées par une autre session depuis leur "
                    f"affichage ({texte_differences(diffs)}) : rien n'a été enregistré.",
                    actuel, diffs)
        changes = differences(actuel, voulu, COMPARES_COORDONNEES)
        if not changes:
            return actuel
        version = lignes.ecrire_coordonnees(tx, utilisateur.login, s.mail, s.telephone,
                                            s.adresse)
        journaliser(tx, quand, utilisateur.login, "coordonnees",
                    f"coordonnées modifiées : {texte_differences(changes)}")
    return replace(actuel, mail=s.mail, telephone=s.telephone, adresse=s.adresse,
                   version=version)


def enregistrer_secteurs(store: Stockage, utilisateur: Utilisateur, secteurs: Iterable[str],
                         connus: Collection[str], *, quand: datetime | None = None) -> Utilisateur:
    """The secteurs of the user's perimeter (none: the whole département),
    in the order of ``connus``. The user's own choice: the last one made
    wins (no stale-write refusal between two sessions of the same user)."""
    choisis = list(dict.fromkeys(secteurs))
    refus = verifier_secteurs(choisis, connus)
    if refus:
        raise RegleRefusee(refus)
    ordre = [c for c in connus if c in choisis]
    with store.ecriture(compter=False) as tx:
        compte = lignes.lire_compte(tx, utilisateur.login)
        if compte is None:
            raise StoreError(f"l'utilisateur « {utilisateur.login} » n'existe plus.")
        version = lignes.ecrire_secteurs(tx, utilisateur.login, ordre)
        journaliser(tx, quand, utilisateur.login, "secteurs",
                    "secteurs : " + (", ".join(ordre) or "tout le département"))
    return replace(_avec(utilisateur, compte), secteurs=tuple(ordre), version=version)


def messages(store: Stockage, login: str,
             secteurs: Collection[str]) -> list[tuple[Message, str, tuple[int, ...]]]:
    """The messages of the perimeter of ``secteurs``, each operation once:
    (message, kind — a key of regles.compte.NATURES_MESSAGE —, ids of its
    copies), unread first, newest first in each."""
    with store.lecture() as tx:
        tous = lignes.lire_messages(tx, login)
    visibles = [(m, nature_message(nature, m.texte), ids) for m, nature, ids in dedoublonner(tous)
                if message_visible(m.secteur_code, secteurs)]
    # Stable: the base gave them newest first.
    return sorted(visibles, key=lambda mni: mni[0].lu)


def marquer_lus(store: Stockage, login: str, ids: Iterable[int], lus: bool = True) -> int:
    """Mark these messages read (``lus`` False: unread again) for ``login``."""
    with store.ecriture(compter=False) as tx:
        return lignes.marquer(tx, login, ids, lus)

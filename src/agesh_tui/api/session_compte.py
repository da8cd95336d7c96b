"""The Session's door to Mon compte (SPEC F2, F3, guide §2): the user's
coordonnées (any profile: they are the user's own), their messages and
read marks, the secteurs of their perimeter, the établissements of the
département. A mixin of ``Session`` (api/session.py).

Errors: RegleRefusee (a rule; nothing written), CoordonneesModifiees (a
StaleWriteError: another session of the same user changed the coordonnées
since they were shown), StoreError."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from ..engine.modele.model import Utilisateur
from ..engine.operations.compte import CoordonneesModifiees
from ..engine.regles.compte import Refus, SaisieCoordonnees, verifier_coordonnees

if TYPE_CHECKING:
    from ..engine.modele.departement import Departement
    from ..engine.stockage import Stockage
    from .vues_compte import LigneEtablissement, LigneMessage, LigneSecteur

__all__ = ["CoordonneesModifiees", "SessionCompte"]
T = TypeVar("T")


class SessionCompte:
    """Mixed into Session, whose attributes these methods use."""

    if TYPE_CHECKING:
        _stockage: Stockage
        utilisateur: Utilisateur

        @property
        def secteurs(self) -> tuple[str, ...]: ...
        @property
        def dep(self) -> Departement: ...
        _donnees: Any

        def vue(self, cle: str, calcul: Callable[[Any], T]) -> T: ...

    # -- Mes coordonnées -------------------------------------------------------------------
    def verifier_coordonnees(self, saisie: SaisieCoordonnees) -> list[Refus]:
        """Every rule the coordonnées break (empty: they may be saved)."""
        return verifier_coordonnees(saisie)

    def compte_actuel(self) -> Utilisateur | None:
        """The user's account as the base holds it now (slow: from a worker);
        the session follows it (another session of the same user may have
        changed it). None when the user no longer exists."""
        from ..engine.operations.compte import lire_utilisateur

        actuel = lire_utilisateur(self._stockage, self.utilisateur)
        if actuel is not None:
            secteurs_avant = self.utilisateur.secteurs
            self.utilisateur = actuel
            if actuel.secteurs != secteurs_avant:
                self._perimetre_change()
        return actuel

    def enregistrer_coordonnees(self, saisie: SaisieCoordonnees) -> Utilisateur:
        """Mail fonctionnel, téléphone, adresse: what the documents print
        (guide §2.1). Any profile: they are the user's own."""
        from ..engine.operations.compte import enregistrer_coordonnees

        self.utilisateur = enregistrer_coordonnees(self._stockage, self.utilisateur, saisie)
        return self.utilisateur

    # -- Mes secteurs ----------------------------------------------------------------------
    def lignes_secteurs(self) -> list[LigneSecteur]:
        from .vues_compte import lignes_secteurs

        return lignes_secteurs(self.dep)

    def enregistrer_secteurs(self, secteurs: Iterable[str]) -> Utilisateur:
        """Restrict every list, count and document to these secteurs (none:
        the whole département), remembered for the user. The callers then
        redraw what they show: the views of the loaded data follow."""
        from ..engine.operations.compte import enregistrer_secteurs

        self.utilisateur = enregistrer_secteurs(self._stockage, self.utilisateur, secteurs,
                                                list(self.dep.secteurs))
        self._perimetre_change()
        return self.utilisateur

    # -- Mes messages ----------------------------------------------------------------------
    def messages(self) -> list[LigneMessage]:
        """The messages of the perimeter, unread first, newest first in each
        (read from the base: call it from a worker)."""
        from ..engine.operations.compte import messages
        from .vues_compte import lignes_messages

        secteurs = self.dep.secteurs if self._donnees is not None else {}
        return lignes_messages(secteurs, messages(self._stockage, self.utilisateur.login,
                                                  self.secteurs))

    def marquer_messages(self, ids: Iterable[int], lus: bool = True) -> int:
        """Mark these messages read (``lus`` False: unread) for this user."""
        from ..engine.operations.compte import marquer_lus

        return marquer_lus(self._stockage, self.utilisateur.login, ids, lus)

    # -- Établissements du département -----------------------------------------------------
    def lignes_etablissements(self) -> list[LigneEtablissement]:
        """The référentiel with PIAL, secteur and coordinates, built once per load."""
        from .vues_compte import lignes_etablissements

        return self.vue("etablissements", lignes_etablissements)

    def _perimetre_change(self) -> None:
        """The secteurs changed: the views built for the old perimeter (rows
        of the lists, counts) are dropped, the data and what does not depend
        on the perimeter (frises, anomalies) kept — one assignment, as a load."""
        from .session import _Donnees

        donnees = self._donnees
        if donnees is not None:
            self._donnees = _Donnees(donnees.dep, donnees.calculees, donnees.frises)

"""The Session's door to the Éditions and the search of an élève (SPEC F12,
F13, guide §11, §12): the dossiers élèves of the perimeter, the dossier of
one élève, the tableau de bord, and the search across the whole base (the
Departement loaded is the whole base; the perimeter is only a filter). A
mixin of ``Session`` (api/session.py). Everything here only reads: an
élève outside the perimeter is shown for consultation, the writes keep
refusing it (Session._exiger_perimetre)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from ..engine.modele.departement import Departement
    from ..engine.regles.incoherences import CasParticulier, Incoherence
    from .session import Session
    from .vues_editions import LigneCasIncoherence, LigneCasParticulier
    from .vues_eleves import FicheEleve, IndexNoms, LigneEleve, ResultatRecherche

T = TypeVar("T")


class SessionEleves:
    """Mixed into Session, whose attributes these methods use."""

    if TYPE_CHECKING:
        today: date

        @property
        def dep(self) -> Departement: ...
        @property
        def secteurs(self) -> tuple[str, ...]: ...
        def vue(self, cle: str, calcul: Callable[[Session], T]) -> T: ...
        def cas_particuliers(self) -> list[CasParticulier]: ...

    # -- Dossiers élèves par secteur ERSEH (guide §11.1) ----------------------------------
    def lignes_eleves(self) -> list[LigneEleve]:
        """The élèves of the perimeter with where they are schooled, once per load."""
        from .vues_eleves import lignes_eleves

        return self.vue("eleves", lignes_eleves)

    def fiche_eleve(self, eleve_id: str) -> FicheEleve | None:
        """The dossier of an élève of the whole base (None: unknown); its
        ``dans_perimetre`` says whether it is the user's."""
        from .vues_eleves import fiche_eleve

        return fiche_eleve(self._moi(), eleve_id)

    # -- Rechercher un élève (SPEC F13, guide §12) ----------------------------------------
    def rechercher_eleves(self, nom: str, prenom: str,
                          naissance: date | None = None) -> list[ResultatRecherche]:
        """The élèves of the whole base whose nom and prénom are exactly
        these once case and accents are folded, born on ``naissance`` when
        given. The index of names is built once per load."""
        from .vues_eleves import rechercher

        return rechercher(self._moi(), self.index_eleves(), nom, prenom, naissance)

    def index_eleves(self) -> IndexNoms:
        """The folded names of every élève of the base, built once per load
        (a second on an académie: Session.preparer_vues builds it ahead)."""
        from .vues_eleves import index_noms

        return self.vue("eleves:index", lambda s: index_noms(s.dep))

    # -- Tableau de bord (guide §11.2, SPEC §2.4) -------------------------------------------
    # Computed once per load: a save makes the views anew, so a count
    # follows the fix at once.
    def incoherences_par_type(self) -> dict[int, tuple[Incoherence, ...]]:
        """The eight incohérences of the perimeter, by type (1..8, all present)."""
        from .vues_editions import incoherences_par_type

        return self.vue("tableau:incoherences", incoherences_par_type)

    def cas_particuliers_par_type(self) -> dict[str, tuple[CasParticulier, ...]]:
        """The two cas particuliers of the perimeter, by type (both present)."""
        from .vues_editions import cas_par_type

        return self.vue("tableau:cas", cas_par_type)

    def cas_incoherence(self, type_: int) -> list[LigneCasIncoherence]:
        from .vues_editions import lignes_incoherence

        return lignes_incoherence(self._moi(), self.incoherences_par_type().get(type_, ()))

    def cas_particuliers_lignes(self, type_: str) -> list[LigneCasParticulier]:
        from .vues_editions import lignes_cas_particuliers

        return lignes_cas_particuliers(self._moi(), self.cas_particuliers_par_type().get(type_, ()))

    def _moi(self) -> Session:
        # The views take the Session; this mixin is always one.
        return self  # type: ignore[return-value]

"""The Session's paramètres du département (SPEC F4, guide §3 — superviseur
only, reads and writes alike) and the Carte des AESH of a PIAL (guide §9.5,
every profile)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, TypeVar

from ..engine.modele.model import ReferenceTemps
from ..engine.operations.synchro_rh import BilanReferences

if TYPE_CHECKING:
    from ..engine.modele.departement import Departement
    from ..engine.regles.apercu_besoin import Apercu
    from ..engine.regles.besoin import AgregatPial
    from ..engine.stockage import Stockage
    from .session import Session
    from .vues_carte import CartePial

T = TypeVar("T")
__all__ = ["BilanReferences", "SessionParametres"]  # the screens read the bilan's type here


class SessionParametres:
    """Mixed into Session, whose attributes these methods use."""

    if TYPE_CHECKING:
        _stockage: Stockage
        today: date

        @property
        def login(self) -> str: ...
        @property
        def dep(self) -> Departement: ...
        def exiger_superviseur(self) -> None: ...
        def _apres_ecriture(self) -> None: ...
        def charger(self) -> None: ...
        def vue(self, cle: str, calcul: Callable[[Session], T]) -> T: ...
        def agregats_pial(self, annee: int) -> list: ...

    # -- the map (every profile) -------------------------------------------------------------
    def carte_pial(self, pial_uai: str, annee: int) -> CartePial | None:
        """The tête de PIAL, its établissements and the AESH around (None:
        no such PIAL)."""
        from .vues_carte import carte_pial

        # Once per load: opening the map again is immediate.
        return self.vue(f"carte.{pial_uai}.{annee}", lambda s: carte_pial(s, pial_uai, annee))

    # -- cartouche courrier ---------------------------------------------------------------
    def cartouche(self) -> dict[str, str]:
        self.exiger_superviseur()
        return dict(self.dep.parametres.cartouche)

    def enregistrer_cartouche(self, valeurs: dict[str, str]) -> None:
        """RegleRefusee for a missing field; StaleWriteError when another
        session wrote since the load."""
        from ..engine.operations.parametres import enregistrer_cartouche

        self.exiger_superviseur()
        enregistrer_cartouche(self._stockage, self.dep, self.login, valeurs)
        self._apres_ecriture()

    # -- références de temps de travail ------------------------------------------------
    def references_temps(self) -> list[ReferenceTemps]:
        self.exiger_superviseur()
        return sorted(self.dep.parametres.references, key=lambda r: (r.contrat, r.base))

    def enregistrer_reference(self, contrat: str, base: str, heures: float) -> BilanReferences:
        """Create or change a référence, then the volumes it gives follow
        (guide §3.1: « mis à jour automatiquement »). Slow on a big base:
        call it from a worker."""
        from ..engine.operations.parametres import enregistrer_reference

        self.exiger_superviseur()
        enregistrer_reference(self._stockage, self.dep, self.login,
                              ReferenceTemps(contrat, base, heures))
        return self.forcer_temps_de_travail()

    def forcer_temps_de_travail(self) -> BilanReferences:
        """« Forcer la mise à jour » of the volumes from the références; the
        data is reloaded when a volume moved (call it from a worker)."""
        from ..engine.operations.synchro_rh import appliquer_references

        self.exiger_superviseur()
        bilan = appliquer_references(self._stockage, self.today)
        if bilan.missions_modifiees:
            self.charger()
        else:
            self._apres_ecriture()
        return bilan

    # -- expression du besoin -------------------------------------------------------------
    def apercu_besoin(self, annee: int, texte: str) -> Apercu:
        """What ``texte`` would give: its error (with its position), the
        guide's cM examples, the besoin of each PIAL and of the département.
        The décisions are counted once per load and year."""
        from ..engine.regles.apercu_besoin import apercu
        from ..engine.regles.besoin import agregats

        self.exiger_superviseur()

        def comptes(session: Session) -> list[AgregatPial]:
            return agregats(session.dep, annee, "0")  # cI, cM, hI: the formula aside

        return apercu(texte, self.vue(f"parametres.comptes.{annee}", comptes))

    def dernier_recalcul(self, annee: int) -> tuple[datetime | None, bool]:
        """When the year's aggregates were last computed (None: never) and
        whether they are still up to date (no write since)."""
        self.exiger_superviseur()
        stockes = self.agregats_pial(annee)
        if not stockes:
            return None, False
        return max(a.calcule_le for a in stockes), all(a.a_jour for a in stockes)

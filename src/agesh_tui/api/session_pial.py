"""The Session's door to the PIAL screens (SPEC F11, guide §9): the table
of the PIAL of the perimeter, a PIAL's detail, and the affectations by hand
— affecter une mission disponible, changer le volume, retirer — which are
the gestionnaire's, within the perimeter. A mixin of ``Session``
(api/session.py).

Errors: RegleRefusee (a rule; nothing written), StaleWriteError (another
session changed the affectation since it was shown), PermissionRefusee,
StoreError.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import TYPE_CHECKING

from ..engine.modele.model import AffectationPial

if TYPE_CHECKING:
    from ..engine.modele.departement import Departement
    from ..engine.operations.affectation_automatique import Progress, Rapport
    from ..engine.regles.besoin import AgregatStocke
    from ..engine.stockage import Stockage
    from .vues_missions import LigneMission
    from .vues_pial import FichePial, RapportAuto, TableauPial


class AffectationAnnulee(Exception):
    """The user cancelled the affectation automatique while it ran: the
    transaction is rolled back, nothing written."""


class SessionPial:
    """Mixed into Session, whose attributes these methods use."""

    if TYPE_CHECKING:
        _stockage: Stockage
        today: date

        @property
        def login(self) -> str: ...
        @property
        def dep(self) -> Departement: ...
        @property
        def secteurs(self) -> tuple[str, ...]: ...
        @property
        def superviseur(self) -> bool: ...
        def exiger_gestionnaire(self) -> None: ...
        def _apres_ecriture(self, missions: Collection[str] | None = None) -> None: ...
        def agregats_pial(self, annee: int) -> list[AgregatStocke]: ...
        def affectation_automatique(self, annee: int, maintenant: datetime,
                                    dry_run: bool = False,
                                    progress: Progress | None = None) -> Rapport: ...

    # -- queries ---------------------------------------------------------------------------
    def tableau_pial(self, annee: int) -> TableauPial:
        """The PIAL of the perimeter for the school year (reads the stored
        aggregates: call it from a worker)."""
        from .vues_pial import tableau_pial

        return tableau_pial(self, annee)  # type: ignore[arg-type]

    def fiche_pial(self, pial_uai: str, annee: int) -> FichePial | None:
        """A PIAL's detail, or None when it is not a tête de PIAL (any more)."""
        from .vues_pial import fiche_pial

        return fiche_pial(self, pial_uai, annee)  # type: ignore[arg-type]

    def preparer_detail_pial(self, annee: int) -> None:
        """Compute beforehand (in a worker) what every PIAL's detail of the
        year shares — the missions that may be affected, Accueil's rows by
        id — once per load."""
        from .vues_pial import preparer_detail

        preparer_detail(self, annee)  # type: ignore[arg-type]

    def occupation_mission(self, mission_id: str) -> LigneMission | None:
        """A mission's row with its occupation (its bar), computed once per load."""
        from .vues_pial import occupation_mission

        return occupation_mission(self, mission_id)  # type: ignore[arg-type]

    def affectation(self, affectation_id: str) -> AffectationPial | None:
        return self.dep.affectations.get(affectation_id)

    # -- commands (the gestionnaire's) -------------------------------------------------------
    def _exiger_pial(self, pial_uai: str) -> None:
        from ..engine.regles.pial import piaux_du_perimetre
        from .session import PermissionRefusee

        self.exiger_gestionnaire()
        if pial_uai not in piaux_du_perimetre(self.dep, self.secteurs):
            raise PermissionRefusee(f"le PIAL {pial_uai} n'est pas dans vos secteurs "
                                    "(Mon compte › Mes secteurs).")

    def affecter_mission(self, mission_id: str, pial_uai: str, annee: int,
                         volume: float) -> AffectationPial:
        from ..engine.operations.pial import affecter

        self._exiger_pial(pial_uai)
        resultat = affecter(self._stockage, self.dep, self.login, mission_id, pial_uai, annee,
                            volume)
        self._apres_affectation()
        return resultat

    def modifier_volume_affectation(self, affectation_id: str, version: int,
                                    volume: float) -> AffectationPial:
        from ..engine.operations.pial import modifier_volume

        self._exiger_affectation(affectation_id)
        resultat = modifier_volume(self._stockage, self.dep, self.login, affectation_id, version,
                                   volume)
        self._apres_affectation()
        return resultat

    def retirer_affectation(self, affectation_id: str, version: int) -> AffectationPial:
        from ..engine.operations.pial import retirer

        self._exiger_affectation(affectation_id)
        resultat = retirer(self._stockage, self.dep, self.login, affectation_id, version)
        self._apres_affectation()
        return resultat

    def _apres_affectation(self) -> None:
        """After affectations to PIAL were written: no accompagnement changed
        and the incohérences do not read the affectations
        (engine/regles/incoherences.py), so the anomalies are kept as they
        are, not computed again for the whole département (0.4 s of the
        affectation automatique's run on demo L); the other views follow."""
        self._apres_ecriture(missions=())

    def _exiger_affectation(self, affectation_id: str) -> None:
        from ..engine.stockage import StoreError

        self.exiger_gestionnaire()
        a = self.dep.affectations.get(affectation_id)
        if a is None:
            raise StoreError(f"l'affectation {affectation_id} n'existe plus.")
        self._exiger_pial(a.pial_uai)

    def rapport_affectation_auto(self, annee: int, dry_run: bool,
                                 progress: Progress | None = None) -> RapportAuto:
        """The affectation automatique (SPEC §2.7) run (or simulated) now,
        its report as the screen shows it; ``progress`` may raise
        AffectationAnnulee to stop a run: rolled back."""
        from .vues_pial import rapport_auto

        rapport = self.affectation_automatique(annee, self.maintenant(), dry_run=dry_run,
                                               progress=progress)
        return rapport_auto(self, rapport)  # type: ignore[arg-type]

    def maintenant(self) -> datetime:
        """Now, on the session's day (stamps coherent with an injected today)."""
        return datetime.combine(self.today, datetime.now().time().replace(microsecond=0))

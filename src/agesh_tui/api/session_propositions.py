"""The Session's door to the propositions d'affectation (SPEC §2.8): the
limits (paramètres of the département), a plan for a period and a
perimeter, its views per PIAL, per décision and per AESH, and applying it.
A mixin of ``Session`` (api/session.py).

For a screen: ``propositions`` is slow (seconds on a large département):
call it from a worker with ``progression(étape, faites, total)``, which
may raise (e.g. ChargementAnnule) to cancel between two steps — nothing
is kept. The plan and its views are frozen dataclasses; lines are named
by ``Ligne.id``, the ``sans`` of ``vues_propositions`` and
``appliquer_propositions``.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import TYPE_CHECKING

from ..engine.modele.model import Accompagnement, Limites

if TYPE_CHECKING:
    # The plan's modules (numpy, the HiGHS solver) are imported when a plan
    # is asked for: every other command of the process starts without them.
    from ..engine.modele.departement import Departement
    from ..engine.regles.propositions_plan import Plan
    from ..engine.regles.propositions_solveur import Progression
    from ..engine.regles.propositions_vues import Vues
    from ..engine.stockage import Stockage


class SessionPropositions:
    """Mixed into Session, whose attributes these methods use."""

    if TYPE_CHECKING:
        _stockage: Stockage
        today: date

        @property
        def secteurs(self) -> tuple[str, ...]: ...
        @property
        def login(self) -> str: ...
        @property
        def dep(self) -> Departement: ...
        @property
        def anomalies(self) -> frozenset[str]: ...
        def exiger_gestionnaire(self) -> None: ...
        def exiger_superviseur(self) -> None: ...
        def _exiger_perimetre(self, decision_ids: Collection[str]) -> None: ...
        def _apres_ecriture(self) -> None: ...

    # -- limits (paramètres du département, superviseur) ------------------------------
    def limites_propositions(self) -> Limites:
        return self.dep.parametres.limites

    def enregistrer_limites_propositions(self, limites: Limites) -> None:
        """RegleRefusee for values that cannot be; StaleWriteError when
        another session wrote since the load."""
        from ..engine.operations.parametres import enregistrer_limites

        self.exiger_superviseur()
        enregistrer_limites(self._stockage, self.dep, self.login, limites)
        self._apres_ecriture()

    # -- a plan ---------------------------------------------------------------------
    def propositions(self, *, annee: int | None = None, debut: date | None = None,
                     fin: date | None = None, secteurs: tuple[str, ...] | None = None,
                     pial_uai: str | None = None, decision_ids: Collection[str] | None = None,
                     distance_max_km: float | None = None,
                     etablissements_par_aesh: int | None = None,
                     aesh_par_decision: int | None = None, temps_max: float | None = None,
                     progression: Progression | None = None) -> Plan:
        """The plan for the perimeter (the session's secteurs, or some of
        them; one PIAL; a selection of décisions) on the period (SPEC §2.8
        default); the limits are the département's unless given for this
        run; ``temps_max`` (seconds), by the size of the problem unless given
        (propositions_plan.temps_par_defaut).
        Computing changes nothing: both profiles may."""
        from ..engine.regles.accompagnement import Refus, RegleRefusee
        from ..engine.regles.propositions import Perimetre, periode
        from ..engine.regles.propositions_plan import proposer
        from .session import PermissionRefusee

        if pial_uai is not None and pial_uai not in self.dep.membres_pial:
            raise RegleRefusee([Refus("pial", f"PIAL inconnu : {pial_uai} (attendu l'UAI d'une tête de PIAL).")])
        if secteurs and self.secteurs and not set(secteurs) <= set(self.secteurs):
            raise PermissionRefusee("secteur hors de vos secteurs (Mon compte › Mes secteurs).")
        limites = self.dep.parametres.limites
        limites = Limites(
            limites.distance_max_km if distance_max_km is None else distance_max_km,
            limites.etablissements_par_aesh if etablissements_par_aesh is None else etablissements_par_aesh,
            limites.aesh_par_decision if aesh_par_decision is None else aesh_par_decision,
        )
        perimetre = Perimetre(secteurs or self.secteurs, pial_uai,
                              None if decision_ids is None else frozenset(decision_ids))
        return proposer(self.dep, periode(self.today, annee, debut, fin), perimetre, limites,
                        self.today, temps_max, progression)

    def vues_propositions(self, plan: Plan, sans: Collection[str] = ()) -> Vues:
        """Per PIAL, per décision (frise before → after), per AESH
        (occupation before → after, km), without the lines ``sans``."""
        from ..engine.regles.propositions_vues import vues

        return vues(self.dep, plan, sans, self.anomalies)

    def appliquer_propositions(self, plan: Plan, sans: Collection[str] = ()) -> list[Accompagnement]:
        """Create the plan's accompagnements but ``sans``, in one
        transaction; StaleWriteError when the data changed since the plan,
        RegleRefusee when a rule refuses a line: then nothing is written."""
        from ..engine.operations.propositions import appliquer

        self.exiger_gestionnaire()
        self._exiger_perimetre([d for l in plan.lignes if l.id not in sans for d in l.decision_ids])
        crees = appliquer(self._stockage, self.dep, self.login, plan, self.today, sans)
        if crees:  # nothing written: the derived views are still right
            self._apres_ecriture()
        return crees

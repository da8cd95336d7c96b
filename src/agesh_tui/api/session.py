"""An authenticated session: who is working, with which profile, on which
perimeter. Screens call this, never the store directly; permission checks
live here so that no screen can forget one."""

from __future__ import annotations

import json
from datetime import date
from functools import cached_property

from ..engine.couverture import Frise, frise
from ..engine.departement import Departement, charger
from ..engine.model import LIBELLES_PROFIL, Utilisateur
from ..engine.perimetre import dans_perimetre
from ..engine.store import Store, StoreError


class PermissionRefusee(StoreError):
    """The profile does not allow this action."""


class Session:
    def __init__(self, store: Store, utilisateur: Utilisateur, profil: str, today: date):
        if profil not in utilisateur.profils:
            raise PermissionRefusee(f"le profil « {profil} » n'est pas attribué à {utilisateur.login}.")
        self.store = store
        self.utilisateur = utilisateur
        self.profil = profil
        self.today = today
        self._dep: Departement | None = None
        self._frises: dict[str, Frise] = {}

    # -- who and where -------------------------------------------------------
    @property
    def libelle_profil(self) -> str:
        return LIBELLES_PROFIL[self.profil]

    @property
    def superviseur(self) -> bool:
        return self.profil == "superviseur"

    def exiger_superviseur(self) -> None:
        if not self.superviseur:
            raise PermissionRefusee("réservé au profil Superviseur AESH.")

    @property
    def secteurs(self) -> tuple[str, ...]:
        """The chosen secteurs; empty = the whole département (guide §2.4)."""
        return self.utilisateur.secteurs

    # -- data ------------------------------------------------------------------
    def charger(self) -> Departement:
        """Load the département (slow: call it from a worker)."""
        self._dep = charger(self.store)
        self._frises.clear()
        self.__dict__.pop("anomalies", None)
        return self._dep

    @property
    def dep(self) -> Departement:
        if self._dep is None:
            raise StoreError("données non chargées")
        return self._dep

    def perime(self) -> bool:
        """True when another session wrote since we loaded."""
        return self._dep is not None and self.store.changements() != self._dep.changements

    @cached_property
    def anomalies(self) -> frozenset[str]:
        from ..engine.incoherences import accompagnements_en_anomalie

        return frozenset(accompagnements_en_anomalie(self.dep))

    def frise(self, decision_id: str) -> Frise:
        cached = self._frises.get(decision_id)
        if cached is None:
            cached = frise(self.dep, self.dep.decisions[decision_id], self.anomalies)
            self._frises[decision_id] = cached
        return cached

    def decisions(self):
        """Décisions of the perimeter."""
        dep, secteurs = self.dep, self.secteurs
        return [d for d in dep.decisions.values() if dans_perimetre(dep, d, secteurs)]

    # -- per-user choices (columns, filters, sorts) ------------------------------
    def preference(self, cle: str, defaut=None):
        row = self.store.rows(
            "SELECT valeur FROM preference WHERE login = ? AND cle = ?",
            (self.utilisateur.login, cle),
        )
        if not row:
            return defaut
        try:
            return json.loads(row[0][0])
        except ValueError:
            return defaut

    def enregistrer_preference(self, cle: str, valeur) -> None:
        # Preferences are not domain data: they must not make aggregates stale.
        with self.store.write(compter=False) as con:
            con.execute(
                "INSERT INTO preference VALUES (?, ?, ?) "
                "ON CONFLICT(login, cle) DO UPDATE SET valeur = excluded.valeur",
                (self.utilisateur.login, cle, json.dumps(valeur, ensure_ascii=False)),
            )

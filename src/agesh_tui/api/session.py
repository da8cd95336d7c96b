"""An authenticated session: who is working, with which profile, on which
perimeter. Screens call this, never the store directly; permission checks
live here so that no screen can forget one."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from ..engine.regles.couverture import Frise, frise
from ..engine.modele.departement import Departement, charger
from ..engine.modele.model import LIBELLES_PROFIL, Utilisateur
from ..engine.regles.perimetre import dans_perimetre, decisions_filtrees
from ..engine.stockage.sqlite import Store, StoreError


class PermissionRefusee(StoreError):
    """The profile does not allow this action."""


T = TypeVar("T")


@dataclass(slots=True, eq=False)
class _Donnees:
    """One load of the département with what is derived from it. Replaced
    as a whole, in one assignment: a thread painting or sorting meanwhile
    sees the old data or the new, never a frise of new data with old anomalies."""

    dep: Departement
    anomalies: frozenset[str]
    frises: dict[str, Frise] = field(default_factory=dict)
    vues: dict[str, object] = field(default_factory=dict)

    @classmethod
    def de(cls, dep: Departement) -> _Donnees:
        from ..engine.regles.incoherences import accompagnements_en_anomalie

        return cls(dep, frozenset(accompagnements_en_anomalie(dep)))


def message_sqlite(exc: sqlite3.Error) -> str:
    """A SQLite error in French words: mostly another session holding the base."""
    if getattr(exc, "sqlite_errorcode", 0) & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return "la base est occupée par une autre session, réessayez dans un instant"
    return f"erreur de la base de données ({exc})"


class Session:
    def __init__(self, store: Store, utilisateur: Utilisateur, profil: str, today: date):
        if profil not in utilisateur.profils:
            raise PermissionRefusee(f"le profil « {profil} » n'est pas attribué à {utilisateur.login}.")
        self.store = store
        self.utilisateur = utilisateur
        self.profil = profil
        self.today = today
        self._donnees: _Donnees | None = None

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

    def exiger_gestionnaire(self) -> None:
        # The superviseur consults what gestionnaires manage (guide §1.3).
        if self.profil != "gestionnaire":
            raise PermissionRefusee(
                "réservé au profil Gestionnaire AESH (le superviseur consulte seulement)."
            )

    @property
    def secteurs(self) -> tuple[str, ...]:
        """The chosen secteurs; empty = the whole département (guide §2.4)."""
        return self.utilisateur.secteurs

    # -- data ------------------------------------------------------------------
    def charger(self) -> Departement:
        """Load the département and its anomalies (slow: call it from a worker)."""
        donnees = _Donnees.de(charger(self.store))
        self._donnees = donnees
        return donnees.dep

    def _charge(self) -> _Donnees:
        donnees = self._donnees
        if donnees is None:
            raise StoreError("données non chargées")
        return donnees

    @property
    def dep(self) -> Departement:
        return self._charge().dep

    def perime(self) -> bool:
        """True when another session wrote since we loaded."""
        donnees = self._donnees
        return donnees is not None and self.store.changements() != donnees.dep.changements

    @property
    def anomalies(self) -> frozenset[str]:
        return self._charge().anomalies

    def frise(self, decision_id: str) -> Frise | None:
        """None for a décision that a reload removed (rows of the old data
        may still be painted): the caller shows an empty cell."""
        donnees = self._charge()  # once: dep, anomalies and cache of the same load
        cached = donnees.frises.get(decision_id)
        if cached is None:
            decision = donnees.dep.decisions.get(decision_id)
            if decision is None:
                return None
            cached = frise(donnees.dep, decision, donnees.anomalies)
            donnees.frises[decision_id] = cached
        return cached

    def vue(self, cle: str, calcul: Callable[[Session], T]) -> T:
        """A view derived from the loaded data (Accueil's rows), computed once
        per load: the loading worker prepares it, the screen gets it at once."""
        donnees = self._charge()
        if cle not in donnees.vues:
            donnees.vues[cle] = calcul(self)
        return donnees.vues[cle]

    def decisions(self):
        """Décisions of the perimeter."""
        return list(decisions_filtrees(self.dep, secteurs=self.secteurs))

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
        """StoreError when the base refuses (another session holds it)."""
        try:
            # Preferences are not domain data: they must not make aggregates stale.
            with self.store.write(compter=False) as con:
                con.execute(
                    "INSERT INTO preference VALUES (?, ?, ?) "
                    "ON CONFLICT(login, cle) DO UPDATE SET valeur = excluded.valeur",
                    (self.utilisateur.login, cle, json.dumps(valeur, ensure_ascii=False)),
                )
        except sqlite3.Error as exc:
            raise StoreError(message_sqlite(exc)) from exc

    # -- rules and commands (SPEC §2) ---------------------------------------------
    def _apres_ecriture(self) -> None:
        """Derived views (anomalies, frises…) follow the data just written."""
        self._donnees = _Donnees.de(self.dep)

    def _exiger_perimetre(self, decision_ids) -> None:
        dep = self.dep
        for decision_id in decision_ids:
            decision = dep.decisions.get(decision_id)
            if decision is not None and not dans_perimetre(dep, decision, self.secteurs):
                raise PermissionRefusee(
                    f"la décision {decision_id} n'est pas dans vos secteurs (Mon compte › Mes secteurs)."
                )

    def indicateurs(self):
        """The indicators of the perimeter for the school year of today (F6)."""
        from ..engine.regles.indicateurs import indicateurs

        return indicateurs(self.decisions(), self.dep.accompagnements_par_decision, self.today)

    def incoherences(self):
        """Incohérences of the accompagnements of the perimeter (SPEC §2.4)."""
        from ..engine.regles.incoherences import incoherences

        dep, secteurs = self.dep, self.secteurs
        ids = [
            a.id for a in dep.accompagnements.values()
            if any(d in dep.decisions and dans_perimetre(dep, dep.decisions[d], secteurs)
                   for d in a.decision_ids)
        ] if secteurs else None
        return incoherences(dep, ids)

    def incoherences_accompagnement(self, acc):
        from ..engine.regles.incoherences import incoherences_accompagnement

        return incoherences_accompagnement(self.dep, acc)

    def cas_particuliers(self):
        from ..engine.regles.incoherences import cas_particuliers

        dep, secteurs = self.dep, self.secteurs
        return [c for c in cas_particuliers(dep, self.today)
                if dans_perimetre(dep, dep.decisions[c.decision_id], secteurs)]

    def proposer_accompagnement(self, decision_ids):
        """Default dates and hours for a new accompagnement of the selection,
        or RegleRefusee / PermissionRefusee."""
        from ..engine.regles.accompagnement import proposition

        self.exiger_gestionnaire()
        self._exiger_perimetre(decision_ids)
        return proposition(self.dep, list(decision_ids), self.today)

    def creer_accompagnement(self, mission_id: str, decision_ids, **valeurs):
        from ..engine.operations import accompagnement as ops

        self.exiger_gestionnaire()
        self._exiger_perimetre(decision_ids)
        acc = ops.creer(self.store, self.dep, self.utilisateur.login, mission_id,
                        list(decision_ids), today=self.today, **valeurs)
        self._apres_ecriture()
        return acc

    def modifier_accompagnement(self, acc_id: str, version: int, **changements):
        return self._operation("modifier", acc_id, version, **changements)

    def inserer_accompagnement(self, acc_id: str, version: int, debut, fin, **valeurs):
        return self._operation("inserer", acc_id, version, debut, fin, **valeurs)

    def maintenir_accompagnement(self, acc_id: str, debut, fin, **valeurs):
        return self._operation("maintenir", acc_id, debut, fin, **valeurs)

    def supprimer_accompagnement(self, acc_id: str, version: int):
        """Returns the Suppression: what an undone insertion gave back."""
        return self._operation("supprimer", acc_id, version)

    def _operation(self, nom: str, acc_id: str, *args, **kwargs):
        from ..engine.operations import accompagnement as ops

        self.exiger_gestionnaire()
        acc = self.dep.accompagnements.get(acc_id)
        if acc is not None:
            self._exiger_perimetre(acc.decision_ids)
        # A modification may bring in décisions: they must be ours too.
        self._exiger_perimetre(kwargs.get("decision_ids") or ())
        resultat = getattr(ops, nom)(self.store, self.dep, self.utilisateur.login, acc_id,
                                     *args, **kwargs)
        self._apres_ecriture()
        return resultat

    def agregats_pial(self, annee: int):
        from ..engine.regles.besoin import lire_agregats

        return lire_agregats(self.store, annee)

    def recalculer_agregats(self, annee: int, maintenant) -> int:
        from ..engine.regles.besoin import recalculer

        self.exiger_superviseur()
        return recalculer(self.store, self.dep, annee, maintenant)

    def enregistrer_formule(self, annee: int, texte: str, version_attendue: int | None = None) -> bool:
        """``version_attendue``: the version shown (engine.besoin.lire_formule);
        a formula changed meanwhile by another superviseur is not overwritten."""
        from ..engine.regles.besoin import enregistrer_formule

        self.exiger_superviseur()
        return enregistrer_formule(self.store, annee, texte, self.dep, version_attendue)

    def affectation_automatique(self, annee: int, maintenant, dry_run: bool = False,
                                progress=None):
        from ..engine.operations.affectation_automatique import affectation_automatique

        if not dry_run:
            self.exiger_gestionnaire()
        rapport = affectation_automatique(self.store, self.dep, annee, maintenant, dry_run=dry_run,
                                          progress=progress, auteur=self.utilisateur.login)
        self._apres_ecriture()
        return rapport

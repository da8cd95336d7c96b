"""An authenticated session: who is working, with which profile, on which
perimeter — the only door of the screens and of the batch commands.

Queries return plain rows and records built here (api/vues_*); commands
check the profile and the perimeter, then call the engine's operations.
Errors reach the callers as the storage's exceptions (StoreError and its
kinds), RegleRefusee or PermissionRefusee: French messages, no driver types.
"""

from __future__ import annotations

import gc
import json
import threading
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from ..engine.memoire import liberer_plus_tard
from ..engine.modele.departement import Departement
from ..engine.modele.model import (
    LIBELLES_PROFIL,
    Accompagnement,
    Decision,
    Mission,
    Proche,
    Utilisateur,
)
from ..engine.regles.couverture import Frise, frise
from ..engine.regles.incoherences import accompagnements_en_anomalie
from ..engine.regles.perimetre import active_pendant, dans_perimetre, decisions_filtrees
from ..engine.stockage import Ecoute, Stockage, StoreError
from ..engine.stockage import preferences as prefs
from ..engine.stockage.chargement import charger
from .session_aesh import SessionAesh
from .session_compte import SessionCompte
from .session_documents import SessionDocuments
from .session_eleves import SessionEleves
from .session_parametres import SessionParametres
from .session_pial import SessionPial
from .session_propositions import SessionPropositions
from .session_voisins import SessionVoisins

if TYPE_CHECKING:
    from ..engine.operations.accompagnement import Suppression
    from ..engine.operations.affectation_automatique import Progress, Rapport
    from ..engine.regles.accompagnement import Candidat, MissionRefusee, Proposition, Refus
    from ..engine.regles.besoin import AgregatStocke
    from ..engine.regles.incoherences import CasParticulier, Incoherence
    from ..engine.regles.indicateurs import Indicateurs
    from ..engine.regles.occupation import PeriodeOccupation
    from .vues_accompagnements import FicheAccompagnement, LigneAccompagnement
    from .vues_accueil import LigneDecision
    from .vues_aesh import DossierAesh, LigneAesh
    from .vues_choix_decisions import DecisionProche
    from .vues_decision import FicheDecision
    from .vues_missions import FicheMission, LigneMission


class PermissionRefusee(StoreError):
    """The profile does not allow this action."""


class ChargementAnnule(Exception):
    """The user stopped the loading (Échap): nothing changed."""


T = TypeVar("T")

# The keys of the lists' rows among the views (Session.vue): a list screen
# asks Session.vue_calculee whether its rows are ready.
VUE_AESH, VUE_MISSIONS, VUE_ACCOMPAGNEMENTS = "aesh", "missions", "accompagnements"
Etape = Callable[[str, int, int], None]  # (what, done, total); may raise to cancel


@dataclass(slots=True, eq=False)
class _Donnees:
    """One load of the département with what is derived from it. Replaced
    as a whole, in one assignment: a thread painting or sorting meanwhile
    sees the old data or the new, never a frise of new data with old anomalies."""

    dep: Departement
    # None until first asked, for a load that deferred them (``de``).
    calculees: frozenset[str] | None
    frises: dict[str, Frise] = field(default_factory=dict)
    vues: dict[str, object] = field(default_factory=dict)

    @classmethod
    def de(cls, dep: Departement, anomalies: bool = True) -> _Donnees:
        """``anomalies``: computed now (by the TUI's loading worker), else
        when first asked — a batch command that never shows them saves
        their half second on demo L, at each load and each write."""
        return cls(dep, frozenset(accompagnements_en_anomalie(dep)) if anomalies else None)

    @property
    def anomalies(self) -> frozenset[str]:
        if self.calculees is None:
            self.calculees = frozenset(accompagnements_en_anomalie(self.dep))
        return self.calculees


class Session(SessionVoisins, SessionPropositions, SessionAesh, SessionEleves, SessionParametres,
              SessionPial, SessionCompte, SessionDocuments):
    def __init__(self, stockage: Stockage, utilisateur: Utilisateur, profil: str, today: date):
        if profil not in utilisateur.profils:
            raise PermissionRefusee(f"le profil « {profil} » n'est pas attribué à {utilisateur.login}.")
        self._stockage = stockage
        self.utilisateur = utilisateur
        self.profil = profil
        self.today = today
        self._donnees: _Donnees | None = None
        self._abonnes: list[Callable[[], None]] = []
        self._ecoute: Ecoute | None = None
        self._verrou_abonnes = threading.Lock()
        # The last deletion of this session, for its undo: what was
        # deleted, and what the deletion gave back.
        self._derniere_suppression: tuple[Accompagnement, Suppression] | None = None

    # -- who and where -------------------------------------------------------
    @property
    def login(self) -> str:
        return self.utilisateur.login

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

    def avec_profil(self, profil: str) -> Session:
        """The same user on another of their profiles (the data stays loaded)."""
        autre = Session(self._stockage, self.utilisateur, profil, self.today)
        autre._donnees = self._donnees
        return autre

    @property
    def secteurs(self) -> tuple[str, ...]:
        """The chosen secteurs; empty = the whole département (guide §2.4)."""
        return self.utilisateur.secteurs

    def libelle_perimetre(self) -> str:
        if not self.secteurs:
            return "tout le département"
        from ..engine.texte import propre

        secteurs = self.dep.secteurs
        return "secteurs " + ", ".join(
            propre(secteurs[c].nom) if c in secteurs else propre(c) for c in self.secteurs
        )

    # -- data ------------------------------------------------------------------
    def charger(self, etape: Etape | None = None, anomalies: bool = True) -> None:
        """Load the département and its anomalies from one snapshot of the
        base (slow: call it from a worker). ``etape`` reports progress; an
        exception it raises (ChargementAnnule) stops the load, nothing changed.
        ``anomalies`` false defers them to their first use, and so do the
        writes of this load (a batch command)."""
        donnees = _Donnees.de(charger(self._stockage, etape), anomalies)
        self._donnees = donnees

    @property
    def charge(self) -> bool:
        return self._donnees is not None

    def _charge(self) -> _Donnees:
        donnees = self._donnees
        if donnees is None:
            raise StoreError("données non chargées")
        return donnees

    @property
    def dep(self) -> Departement:
        """The loaded département: for the api's views and the engine, not
        for screens (they ask the typed queries below)."""
        return self._charge().dep

    def perime(self) -> bool:
        """True when another session wrote since we loaded."""
        donnees = self._donnees
        return donnees is not None and self._stockage.changements() != donnees.dep.changements

    def abonner(self, rappel: Callable[[], None]) -> Callable[[], None]:
        """``rappel()`` (from a background thread) each time another process
        changes the data; returns the function that ends the subscription."""
        with self._verrou_abonnes:
            self._abonnes.append(rappel)
            if self._ecoute is None:
                self._ecoute = self._stockage.ecouter(self._changement_vu)

        def desabonner() -> None:
            with self._verrou_abonnes:
                if rappel in self._abonnes:
                    self._abonnes.remove(rappel)
                if not self._abonnes and self._ecoute is not None:
                    self._ecoute.arreter()
                    self._ecoute = None
        return desabonner

    def _changement_vu(self, compteur: int) -> None:
        # perime() takes the store's lock: our own write still catching up
        # (counter committed, dep not yet moved) is never taken for another's.
        try:
            if not self.perime():
                return
        except StoreError:
            return
        with self._verrou_abonnes:
            abonnes = list(self._abonnes)
        for rappel in abonnes:
            rappel()

    def fermer(self) -> None:
        with self._verrou_abonnes:
            self._abonnes.clear()
            if self._ecoute is not None:
                self._ecoute.arreter()
                self._ecoute = None

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

    def vue_calculee(self, cle: str) -> bool:
        """Whether the view ``cle`` is computed for this load: its method then
        returns at once, and a screen may show it before its first paint."""
        return cle in self._charge().vues

    def vue(self, cle: str, calcul: Callable[[Session], T]) -> T:
        """A view derived from the loaded data, computed once per load: the
        loading worker prepares it, the screen gets it at once."""
        donnees = self._charge()
        if cle not in donnees.vues:
            donnees.vues[cle] = calcul(self)
        # The cache holds any view: the one under ``cle`` is what ``calcul`` gives.
        return donnees.vues[cle]  # type: ignore[return-value]

    # -- queries (SPEC F6, F7, §2.1–2.4) ---------------------------------------------------
    def decisions(self, annee: int | None = None) -> list[Decision]:
        """Décisions of the perimeter (active on the school year ``annee``)."""
        return list(decisions_filtrees(self.dep, annee, secteurs=self.secteurs))

    def lignes_accueil(self) -> list[LigneDecision]:
        """Accueil's rows, built once per load (0.3 s on 25 000 décisions)."""
        from .vues_accueil import lignes_decisions

        return self.vue("accueil", lignes_decisions)

    def fiche_decision(self, decision_id: str) -> FicheDecision | None:
        """The détail of a décision, or None when it no longer exists."""
        from .vues_decision import fiche_decision

        return fiche_decision(self, decision_id)

    def proches(self, eleve_id: str) -> tuple[Proche, ...] | None:
        """The élève's proches, read from the base when shown (not loaded
        with the département); None when the base cannot be read now."""
        from ..engine.stockage.chargement import proches

        try:
            with self._stockage.lecture() as tx:
                return tuple(proches(tx, eleve_id))
        except StoreError:
            return None

    def distance_du_jour(self, decision_id: str) -> float | None:
        """Km from the AESH of the accompagnement covering today to its
        établissement (docs/application.md)."""
        dep = self.dep
        acc = dep.accompagnement_du_jour(decision_id, self.today)
        return dep.distance_aesh(acc) if acc else None

    def missions(self, annee: int | None = None) -> list[Mission]:
        """Missions valid on the school year ``annee`` (all when None), by id."""
        return [m for m in sorted(self.dep.missions.values(), key=lambda m: m.id)
                if annee is None or active_pendant(m.debut, m.fin, annee)]

    def occupation(self, mission: Mission) -> list[PeriodeOccupation]:
        from ..engine.regles.occupation import occupation

        return occupation(self.dep, mission, today=self.today)

    def mission_previsionnelle(self, mission_id: str) -> bool:
        return self.dep.mission_previsionnelle(mission_id)

    # -- Missions (issue 10) -----------------------------------------------------------
    def lignes_missions(self) -> list[LigneMission]:
        """The Missions list's rows (SPEC F9) with their occupation, built once per load."""
        from .vues_missions import lignes_missions

        return self.vue(VUE_MISSIONS, lignes_missions)

    def fiche_mission(self, mission_id: str) -> FicheMission | None:
        """The detail of a mission, or None when it no longer exists."""
        from .vues_missions import fiche_mission

        return fiche_mission(self, mission_id)
    def decisions_proches(self, mission_id: str) -> list[DecisionProche]:
        """The décisions this mission could cover, nearest to its AESH first."""
        from .vues_choix_decisions import decisions_proches

        return self.vue(f"decisions_proches:{mission_id}",
                        lambda session: decisions_proches(session, mission_id))
    # -- end of Missions (issue 10) ------------------------------------------------------

    def secteur_existe(self, code: str) -> bool:
        return code in self.dep.secteurs

    def nom_etablissement(self, uai: str) -> str:
        etab = self.dep.etablissements.get(uai)
        return etab.nom if etab else ""

    def libelle_etablissement(self, uai: str) -> str:
        """« Nom, Commune » (cleaned of control characters), the UAI when
        the établissement is unknown: how a choice of établissement reads."""
        from ..engine.texte import propre

        etab = self.dep.etablissements.get(uai)
        if etab is None:
            return uai
        return propre(f"{etab.nom}, {etab.commune}" if etab.commune else etab.nom)

    def nom_aesh_de_mission(self, mission_id: str) -> str:
        mission = self.dep.missions.get(mission_id)
        aesh = self.dep.aesh.get(mission.aesh_id) if mission else None
        return f"{aesh.nom} {aesh.prenom}" if aesh else ""

    def accompagnement(self, acc_id: str) -> Accompagnement | None:
        return self.dep.accompagnements.get(acc_id)

    def indicateurs(self) -> Indicateurs:
        """The indicators of the perimeter for the school year of today (F6)."""
        from ..engine.regles.indicateurs import indicateurs

        return indicateurs(self.decisions(), self.dep.accompagnements_par_decision, self.today)

    def incoherences(self) -> list[Incoherence]:
        """Incohérences of the accompagnements of the perimeter (SPEC §2.4)."""
        from ..engine.regles.incoherences import incoherences

        dep, secteurs = self.dep, self.secteurs
        ids = [
            a.id for a in dep.accompagnements.values()
            if any(d in dep.decisions and dans_perimetre(dep, dep.decisions[d], secteurs)
                   for d in a.decision_ids)
        ] if secteurs else None
        return incoherences(dep, ids)

    def incoherences_accompagnement(self, acc: Accompagnement) -> list[Incoherence]:
        from ..engine.regles.incoherences import incoherences_accompagnement

        return incoherences_accompagnement(self.dep, acc)

    # -- Accompagnements (issue 10) ---------------------------------------------------
    def lignes_accompagnements(self) -> list[LigneAccompagnement]:
        """The Accompagnements list's rows (SPEC F10), built once per load."""
        from .vues_accompagnements import lignes_accompagnements

        return self.vue(VUE_ACCOMPAGNEMENTS, lignes_accompagnements)

    def fiche_accompagnement(self, acc_id: str) -> FicheAccompagnement | None:
        """The détail of an accompagnement, or None when it no longer exists."""
        from .vues_accompagnements import fiche_accompagnement

        return fiche_accompagnement(self, acc_id)

    def cas_particuliers(self) -> list[CasParticulier]:
        from ..engine.regles.incoherences import cas_particuliers

        dep, secteurs = self.dep, self.secteurs
        return [c for c in cas_particuliers(dep, self.today)
                if dans_perimetre(dep, dep.decisions[c.decision_id], secteurs)]

    def candidats(self, uai: str, debut: date, fin: date, secteur: str | None = None,
                  tri: str = "occupation", ignorer: Collection[str] = ()) -> list[Candidat]:
        """Missions that may carry an accompagnement there then (SPEC §2.3.7);
        ``ignorer``: the accompagnement being changed, its hours free."""
        from ..engine.regles.accompagnement import candidats, trier_candidats

        return trier_candidats(candidats(self.dep, uai, debut, fin, secteur, ignorer), tri)

    # -- Formulaire d'accompagnement (issue 10) ---------------------------------------
    def etablissement_accompagnement(self, decision_ids: Iterable[str], debut: date) -> str:
        """The établissement where the selection's pupils are schooled on
        ``debut`` (RegleRefusee when none or several)."""
        from ..engine.regles.accompagnement import etablissement_par_defaut

        ids = list(decision_ids)
        self._exiger_perimetre(ids)
        return etablissement_par_defaut(self.dep, ids, debut)

    def verifier_accompagnement(self, mission_id: str, decision_ids: Iterable[str], uai: str,
                                debut: date, fin: date, heures: float | None, *,
                                maintien: bool = False, ignorer: Collection[str] = (),
                                avant: Accompagnement | None = None) -> list[Refus]:
        """Every rule the accompagnement would break, as the form is filled
        (empty: it may be saved); ``ignorer`` and ``avant`` as in
        regles.accompagnement.verifier (a modification, an insertion)."""
        from ..engine.regles.accompagnement import verifier

        ids = list(decision_ids)
        self._exiger_perimetre(ids)
        return verifier(self.dep, mission_id, ids, uai, debut, fin, heures, maintien, ignorer, avant)

    def missions_refusees(self, uai: str, debut: date, fin: date,
                          ignorer: Collection[str] = ()) -> list[MissionRefusee]:
        """The missions not offered there then, and why (nearest first)."""
        from ..engine.regles.accompagnement import missions_refusees

        return missions_refusees(self.dep, uai, debut, fin, ignorer=ignorer)

    def proposition_depuis(self, acc_id: str, operation: str) -> tuple[Proposition, list[str]]:
        """Default values of the form that modifies, inserts into or
        maintains the accompagnement, and its pupils' names (KeyError: unknown)."""
        from ..engine.regles.accompagnement import proposition_depuis
        from .vues_accompagnements import noms_eleves

        acc = self.dep.accompagnements[acc_id]
        self._exiger_perimetre(acc.decision_ids)
        return (proposition_depuis(self.dep, acc, operation, self.today),
                noms_eleves(self.dep, acc.decision_ids))

    # -- AESH (issue 10) ------------------------------------------------------------
    def preparer_vues(self) -> None:
        """Compute the rows of the lists of the menus (AESH, Missions,
        Accompagnements) and the index of the search of an élève ahead of
        their opening; for a worker thread."""
        for vue in (self.lignes_aesh, self.lignes_missions, self.lignes_accompagnements,
                    self.index_eleves):
            if not self.charge:
                return
            vue()
        # These rows live as long as the load, like the département that
        # charger() froze: keep the cyclic collector off them too. Left to
        # it, each full collection rescanned them all (0.2 to 0.35 s on demo
        # L, on the event loop as often as in a worker), a pause that fell
        # on any screen's paint.
        gc.freeze()

    def lignes_aesh(self) -> list[LigneAesh]:
        """The AESH list's rows (SPEC F8), built once per load."""
        from .vues_aesh import lignes_aesh

        return self.vue(VUE_AESH, lignes_aesh)

    def dossier_aesh(self, aesh_id: str) -> DossierAesh | None:
        """The dossier of an AESH, or None when it no longer exists."""
        from .vues_aesh import dossier_aesh

        return dossier_aesh(self, aesh_id)

    # -- per-user choices (columns, filters, sorts) ------------------------------
    def preference(self, cle: str, defaut: Any = None) -> Any:
        valeur = prefs.lire(self._stockage, self.login, cle)
        if valeur is None:
            return defaut
        try:
            return json.loads(valeur)
        except ValueError:
            return defaut

    def enregistrer_preference(self, cle: str, valeur: Any) -> None:
        """StoreError (BaseOccupee…) when the base refuses."""
        prefs.ecrire(self._stockage, self.login, cle, json.dumps(valeur, ensure_ascii=False))

    # -- commands (SPEC §2) ---------------------------------------------------------
    def _apres_ecriture(self, missions: Collection[str] | None = None) -> None:
        """Derived views (anomalies, frises…) follow the data just written.

        ``missions``: the write changed only accompagnements, and only those
        of these missions. An accompagnement's incohérences depend on itself,
        its mission (and AESH) and that mission's other accompagnements, its
        décisions and pupils: only the anomalies of these missions'
        accompagnements are computed again (a fifth of a second saved on
        demo L at each save)."""
        from ..engine.regles.incoherences import incoherences

        dep = self.dep
        anciennes = self._charge()
        differees = anciennes.calculees is None
        if missions is None or differees:
            self._donnees = _Donnees.de(dep, anomalies=not differees)
        else:
            ailleurs = {i for i in anciennes.anomalies
                        if i in dep.accompagnements and dep.accompagnements[i].mission_id not in missions}
            ici = [a.id for m in missions for a in dep.accompagnements_par_mission.get(m, ())]
            self._donnees = _Donnees(dep, frozenset(ailleurs | {i.accompagnement_id
                                                               for i in incoherences(dep, ici)}))
        liberer_plus_tard(anciennes)

    def _exiger_perimetre(self, decision_ids: Iterable[str]) -> None:
        dep = self.dep
        for decision_id in decision_ids:
            decision = dep.decisions.get(decision_id)
            if decision is not None and not dans_perimetre(dep, decision, self.secteurs):
                raise PermissionRefusee(
                    f"la décision {decision_id} n'est pas dans vos secteurs (Mon compte › Mes secteurs)."
                )

    def proposer_accompagnement(self, decision_ids: Iterable[str]) -> Proposition:
        """Default dates and hours for a new accompagnement of the selection,
        or RegleRefusee / PermissionRefusee."""
        from ..engine.regles.accompagnement import proposition

        self.exiger_gestionnaire()
        self._exiger_perimetre(decision_ids)
        return proposition(self.dep, list(decision_ids), self.today)

    def creer_accompagnement(self, mission_id: str, decision_ids: Iterable[str],
                             **valeurs: Any) -> Accompagnement:
        from ..engine.operations import accompagnement as ops

        self.exiger_gestionnaire()
        self._exiger_perimetre(decision_ids)
        acc = ops.creer(self._stockage, self.dep, self.login, mission_id,
                        list(decision_ids), today=self.today, **valeurs)
        self._apres_ecriture({acc.mission_id})
        return acc

    # The keyword values are those of engine.operations.accompagnement's
    # functions, passed on as they are.
    def modifier_accompagnement(self, acc_id: str, version: int, **changements: Any) -> Accompagnement:
        from ..engine.operations import accompagnement as ops

        return self._operation(ops.modifier, acc_id, version, **changements)

    def inserer_accompagnement(self, acc_id: str, version: int, debut: date, fin: date,
                               **valeurs: Any) -> list[Accompagnement]:
        from ..engine.operations import accompagnement as ops

        return self._operation(ops.inserer, acc_id, version, debut, fin, **valeurs)

    def maintenir_accompagnement(self, acc_id: str, debut: date, fin: date,
                                 **valeurs: Any) -> Accompagnement:
        from ..engine.operations import accompagnement as ops

        return self._operation(ops.maintenir, acc_id, debut, fin, **valeurs)

    def supprimer_accompagnement(self, acc_id: str, version: int) -> Suppression:
        """Returns the Suppression: what an undone insertion gave back. The
        deletion is remembered for ``annuler_suppression``."""
        from ..engine.operations import accompagnement as ops

        supprime = self.dep.accompagnements.get(acc_id)
        resultat = self._operation(ops.supprimer, acc_id, version)
        if supprime is not None:
            self._derniere_suppression = (supprime, resultat)
        return resultat

    def resume_accompagnement(self, acc_id: str) -> str:
        """« pour DUPONT Léa (AESH MARTIN Anne, 12 h, du … au …) », as the
        messages say it (KeyError: unknown)."""
        from ..engine.operations.accompagnement import resume

        return resume(self.dep, self.dep.accompagnements[acc_id])

    @property
    def suppression_annulable(self) -> Accompagnement | None:
        """The accompagnement this session deleted last, while its deletion
        may still be undone."""
        return self._derniere_suppression[0] if self._derniere_suppression else None

    def annuler_suppression(self) -> list[Accompagnement]:
        """Undo this session's last deletion: the accompagnement is written
        again with its values (under a new id), checked by the rules like
        any write — RegleRefusee when the mission has been filled since. A
        deleted insertion had given its original back: the undo inserts it
        into that original again. Returns what now stands in its place."""
        from ..engine.operations import accompagnement as ops
        from ..engine.regles.accompagnement import Refus, RegleRefusee

        if self._derniere_suppression is None:
            raise RegleRefusee([Refus("annulation", "aucune suppression à annuler dans cette session.")])
        acc, resultat = self._derniere_suppression
        valeurs = dict(heures=acc.heures, repas=acc.repas, pause_meridienne=acc.pause_meridienne,
                       previsionnel=acc.previsionnel)
        if resultat.retabli is not None:
            origine = self.dep.accompagnements.get(resultat.retabli.id)
            if origine is None or origine.version != resultat.retabli.version:
                raise RegleRefusee([Refus(
                    "annulation",
                    f"l'accompagnement {resultat.retabli.id}, rétabli par la suppression, a changé "
                    "depuis : la suppression ne peut plus être annulée.",
                )])
            restaures = self._operation(ops.inserer, origine.id, origine.version, acc.debut, acc.fin,
                                        mission_id=acc.mission_id, **valeurs)
        else:
            restaures = [self.creer_accompagnement(
                acc.mission_id, acc.decision_ids, uai=acc.uai, debut=acc.debut, fin=acc.fin,
                maintien=acc.maintien, **valeurs)]
        self._derniere_suppression = None
        return restaures

    def _operation(self, operation: Callable[..., T], acc_id: str, *args: Any, **kwargs: Any) -> T:
        """``operation(store, dep, login, acc_id, *args, **kwargs)``, checked
        against the profile and the perimeter, then the views follow."""
        self.exiger_gestionnaire()
        acc = self.dep.accompagnements.get(acc_id)
        if acc is not None:
            self._exiger_perimetre(acc.decision_ids)
        # A modification may bring in décisions: they must be ours too.
        self._exiger_perimetre(kwargs.get("decision_ids") or ())
        resultat = operation(self._stockage, self.dep, self.login, acc_id, *args, **kwargs)
        self._apres_ecriture(_missions_touchees(acc, resultat))
        return resultat

    def agregats_pial(self, annee: int) -> list[AgregatStocke]:
        from ..engine.operations.agregats import lire_agregats

        return lire_agregats(self._stockage, annee)

    def formule(self, annee: int) -> tuple[str | None, int]:
        """The stored formula of the year and its version (None, 0: none):
        the loaded data's (no read of the base on a screen's thread), else
        the base's."""
        from ..engine.operations.agregats import lire_formule

        if self._donnees is None:
            return lire_formule(self._stockage, annee)
        p = self.dep.parametres
        return p.formules.get(annee), p.versions_formules.get(annee, 0)

    def recalculer_agregats(self, annee: int, maintenant: datetime) -> int:
        from ..engine.operations.agregats import recalculer

        self.exiger_superviseur()
        return recalculer(self._stockage, self.dep, annee, maintenant)

    def enregistrer_formule(self, annee: int, texte: str, version_attendue: int | None = None) -> bool:
        """``version_attendue``: the version shown (formule()); a formula
        changed meanwhile by another superviseur is not overwritten."""
        from ..engine.operations.agregats import enregistrer_formule

        self.exiger_superviseur()
        dep = self.dep if self._donnees is not None else None  # kept in step when loaded
        return enregistrer_formule(self._stockage, annee, texte, dep, version_attendue)

    def supprimer_formule(self, annee: int, version_attendue: int | None = None) -> bool:
        from ..engine.operations.agregats import supprimer_formule

        self.exiger_superviseur()
        dep = self.dep if self._donnees is not None else None  # kept in step when loaded
        return supprimer_formule(self._stockage, annee, dep, version_attendue)

    def affectation_automatique(self, annee: int, maintenant: datetime, dry_run: bool = False,
                                progress: Progress | None = None) -> Rapport:
        from ..engine.operations.affectation_automatique import affectation_automatique

        if not dry_run:
            self.exiger_gestionnaire()
        rapport = affectation_automatique(self._stockage, self.dep, annee, maintenant,
                                          dry_run=dry_run, progress=progress, auteur=self.login)
        if rapport.affectations and not dry_run:  # a simulation keeps the views (and their caches)
            self._apres_affectation()
        return rapport


def _missions_touchees(avant: Accompagnement | None, resultat: object) -> set[str] | None:
    """The missions whose accompagnements an operation changed: the one it
    started from and those of what it wrote (None: unknown, recompute all)."""
    if avant is None:
        return None
    ecrits: list[object] = []
    if isinstance(resultat, list):
        ecrits = list(resultat)
    elif resultat is not None:
        ecrits = [getattr(resultat, "retabli", resultat)]
    return {avant.mission_id} | {a.mission_id for a in ecrits if isinstance(a, Accompagnement)}

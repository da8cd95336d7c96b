"""Créer un accompagnement from a mission (SPEC F9, guide §8): first the
décision(s) — those of the perimeter still to cover this school year,
nearest to the mission's AESH first —, then the accompagnement form with
the mission already chosen (checked there like any other choice)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from ..api.erreurs import PermissionRefusee, RegleRefusee
from ..api.vues_choix_decisions import DecisionProche
from ..widgets.affichage import distance, heures, pourcent, propre
from ..widgets.liste import Colonne, ListeDonnees
from ..widgets.outils_liste import OutilsListe
from .base import EcranMenu
from .formulaire_accompagnement import FormulaireAccompagnement


@dataclass
class DecisionsPretes(Message):
    lignes: list[DecisionProche]


class ListeChoix(ListeDonnees):
    """The list's Entrée, named for what it does here."""

    BINDINGS = [
        Binding("enter", "choisir", "Créer l'accompagnement", id="choix_decisions.choisir"),
    ]


class ChoixDecisions(EcranMenu):
    """Returns the ids written by the form, or None when abandoned."""

    MENU = "missions"
    AIDE = (
        "Créer un accompagnement sur une mission : les décisions de votre périmètre encore à "
        "couvrir cette année scolaire, les plus proches de l'AESH d'abord. Espace sélectionne "
        "plusieurs décisions mutualisées ; Entrée ou a ouvre le formulaire avec la sélection "
        "(ou la ligne du curseur), la mission déjà choisie. / recherche, Échap revient."
    )
    BINDINGS = [
        # Entrée does the same (ListeChoix); « a » as on Accueil.
        Binding("a", "continuer", "Créer l'accompagnement", id="choix_decisions.continuer",
                show=False),
        Binding("escape", "retour", "Retour", id="choix_decisions.retour"),
    ]

    def __init__(self, mission_id: str) -> None:
        super().__init__()
        self.mission_id = mission_id

    def contenu(self) -> ComposeResult:
        session = self.app.session_ouverte
        yield Static(Text.assemble(
            ("Créer un accompagnement", "bold"),
            f" sur la mission {propre(self.mission_id)} "
            f"({session.nom_aesh_de_mission(self.mission_id)}) : choisissez la ou les décisions"),
            id="choix-titre")
        liste = ListeChoix(self._colonnes(), cle_ligne=lambda d: d.ligne.id, id="choix-decisions")
        liste.loading = True
        yield OutilsListe(liste, unite=("décision", "décisions"), today=self.app.today)

    def _colonnes(self) -> list[Colonne]:
        return [
            Colonne("nom", "Nom prénom", 22, lambda d: d.ligne.nom),
            Colonne("type", "Type", 12, lambda d: d.ligne.type),
            Colonne("heures", "Heures", 6, lambda d: d.ligne.heures,
                    texte=lambda d: heures(d.ligne.heures), alignement="droite"),
            Colonne("couverture", "Couverture", 10, lambda d: d.couverture,
                    texte=lambda d: pourcent(d.couverture), alignement="droite"),
            Colonne("distance", "Distance", 9, lambda d: d.distance_km,
                    texte=lambda d: distance(d.distance_km), alignement="droite"),
            Colonne("etablissements", "Établissement(s) de scolarisation", 30,
                    lambda d: ", ".join(d.ligne.etablissements)),
            Colonne("debut", "Début", 10, lambda d: d.ligne.debut),
            Colonne("fin", "Fin", 10, lambda d: d.ligne.fin),
            Colonne("id", "Décision", 11, lambda d: d.ligne.id, visible=False),
        ]

    def on_mount(self) -> None:
        self._charger()

    @work(thread=True, exclusive=True, group="choix-decisions")
    def _charger(self) -> None:
        # Off the event loop: the frises of the perimeter, once per load.
        lignes = self.app.session_ouverte.decisions_proches(self.mission_id)
        if not get_current_worker().is_cancelled:
            self.post_message(DecisionsPretes(lignes))

    def on_decisions_pretes(self, message: DecisionsPretes) -> None:
        liste = self.query_one(ListeDonnees)
        liste.definir_lignes(message.lignes)
        liste.loading = False
        liste.focus()

    def donnees_rechargees(self) -> None:
        self._charger()

    @on(ListeDonnees.LigneChoisie)
    def _ligne_choisie(self) -> None:
        self.action_continuer()

    def action_continuer(self) -> None:
        liste = self.query_one(ListeDonnees)
        choisies = liste.selection() or [l for l in [liste.ligne_courante()] if l is not None]
        if not choisies:
            self.notify("Aucune décision à couvrir : la liste est vide.", severity="warning")
            return
        try:
            prop = self.app.session_ouverte.proposer_accompagnement([d.ligne.id for d in choisies])
        except (RegleRefusee, PermissionRefusee) as exc:
            self.notify(f"Création impossible : {exc}", severity="error", timeout=10, markup=False)
            return
        noms = {d.ligne.id: d.ligne.nom for d in choisies}
        self.app.push_screen(
            FormulaireAccompagnement(prop, [noms[i] for i in prop.decision_ids],
                                     mission_id=self.mission_id),
            self._fini)

    def _fini(self, ecrits: list[str] | None) -> None:
        if ecrits is not None:
            self.dismiss(ecrits)

    def action_retour(self) -> None:
        self.dismiss(None)

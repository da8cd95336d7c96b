"""AESH (SPEC F8, guide §7): the personnels AESH of the département with the
list tools of §4 (colonnes, filtres, recherche, tri, remembered per user),
an inactive AESH marked « [I] », the prévisionnels apart through the
« Source » filter; Entrée opens the AESH's dossier."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ..api.session import VUE_AESH, Session
from ..api.vues_aesh import INACTIF, LigneAesh
from ..widgets.affichage import heures
from ..widgets.filtres import Filtre
from ..widgets.liste import Colonne, ListeDonnees
from ..widgets.outils_liste import OutilsListe
from .base import EcranMenu
from .dossier_aesh import DossierAesh
from .formulaire_aesh import FormulaireAesh
from .lignes_de_vue import ChargeurLignes
from .preferences import ListeMemorisee

PREFERENCE = "aesh"
ACTIF, INACTIF_LIBELLE = "actif", f"inactif {INACTIF}"


class ListeAesh(ListeMemorisee, ChargeurLignes, EcranMenu):
    MENU = "aesh"
    PREFERENCE = PREFERENCE
    AIDE = (
        "AESH : les personnels AESH du département, remontés des bases RH (EPP, ASSED) ou "
        "saisis en prévisionnel. Un AESH inactif (plus dans les bases RH) est marqué [I] dans "
        "la colonne « État ». Le filtre « Source » montre à part les AESH prévisionnels. "
        "Entrée ouvre le dossier de l'AESH ; s trie par la colonne du curseur (← →) ; a ajoute un "
        "AESH prévisionnel (pas encore dans les bases RH) et ses missions."
    )
    BINDINGS = [Binding("a", "ajouter", "Ajouter un AESH", id="aesh.ajouter")]
    CSS_PATH = "aesh.tcss"
    VUE, CALCUL = VUE_AESH, Session.lignes_aesh

    def contenu(self) -> ComposeResult:
        yield Static(Text.assemble(("Personnels AESH", "bold"), " · tout le département"),
                     id="aesh-titre")
        # The rows come with on_mount (from a worker when not yet computed).
        liste = ListeDonnees(self._colonnes(), cle_ligne=lambda ligne: ligne.id,
                             filtres=self._filtres(), id="aesh")
        self.restaurer_choix(liste)
        yield OutilsListe(liste, unite=("AESH", "AESH"), feminin=False, today=self.app.today,
                          tableur="aesh")

    def on_mount(self) -> None:
        self.query_one(ListeDonnees).focus()
        self.charger_lignes()

    # -- columns and filters ---------------------------------------------------------
    @staticmethod
    def _colonnes() -> list[Colonne]:
        # At 80 columns: État to Volume shown without scrolling sideways.
        return [
            # Keys as in api.tableaux's AESH list: the export writes this one as « Actif ».
            Colonne("actif", "État", 4, lambda l: l.etat),
            Colonne("nom", "Nom prénom", 22, lambda l: l.nom),
            Colonne("source", "Source", 12, lambda l: l.source),
            Colonne("code_postal", "CP", 5, lambda l: l.code_postal),
            Colonne("commune", "Commune", 11, lambda l: l.commune),
            Colonne("missions", "Missions", 8, lambda l: l.missions, alignement="droite"),
            Colonne("volume", "Volume", 7, lambda l: l.volume, texte=lambda l: heures(l.volume),
                    alignement="droite"),
            Colonne("transport", "Moyen de transport", 18, lambda l: l.transport),
            Colonne("rqth", "RQTH", 4, lambda l: l.rqth),
            Colonne("id", "Identifiant", 11, lambda l: l.id),
            Colonne("civilite", "Civilité", 8, lambda l: l.civilite, visible=False),
            Colonne("date_naissance", "Date de naissance", 10, lambda l: l.date_naissance,
                    visible=False),
            Colonne("adresse", "Adresse", 30, lambda l: l.adresse, visible=False),
        ]

    @staticmethod
    def _filtres() -> list[Filtre]:
        return [
            # The prévisionnels apart (guide §7): « Source : prévisionnel ».
            Filtre("source", "Source (bases RH ou prévisionnel)", "choix", lambda l: l.source,
                   propose=True, court="source"),
            Filtre("etat", "État", "choix", lambda l: ACTIF if l.actif else INACTIF_LIBELLE,
                   choix=(ACTIF, INACTIF_LIBELLE), court="état"),
            Filtre("commune", "Commune", "choix", lambda l: l.commune, court="commune"),
            Filtre("transport", "Moyen de transport", "choix", lambda l: l.transport,
                   court="transport"),
        ]

    # -- actions -------------------------------------------------------------------
    @on(ListeDonnees.LigneChoisie)
    def _ouvrir(self, event: ListeDonnees.LigneChoisie) -> None:
        self.app.push_screen(DossierAesh(event.ligne.id))

    def action_ajouter(self) -> None:
        """« Ajouter un AESH » prévisionnel; its dossier opens once saved."""
        self.app.push_screen(FormulaireAesh(), self._ajoute)

    def _ajoute(self, aesh_id: str | None) -> None:
        if aesh_id is not None:
            self.app.push_screen(DossierAesh(aesh_id))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "ajouter":
            return self.app.session_ouverte.saisie_permise  # the superviseur consults
        return True

    def montrer_lignes(self, lignes: list[LigneAesh]) -> None:
        self.query_one(ListeDonnees).definir_lignes(lignes)

"""Mon compte › Établissements du département (guide §2): the référentiel
— each école, collège and lycée with its PIAL, its secteur ERSEH and its
coordinates — with the list tools of §4 (colonnes, filtres, recherche, tri,
remembered per user). Read only: the référentiel comes from the Annuaire de
l'éducation (`agesh referentiel`)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from ..api.vues_compte import LigneEtablissement
from ..widgets.filtres import Filtre
from ..widgets.liste import Colonne, ListeDonnees
from ..widgets.outils_liste import OutilsListe
from .base import EcranMenu
from .preferences import ListeMemorisee

PREFERENCE = "etablissements"


@dataclass
class LignesEtablissements(Message):
    """The rows, built by the worker (off the event loop)."""

    lignes: list[LigneEtablissement]


class Etablissements(ListeMemorisee, EcranMenu):
    MENU = "compte"
    PREFERENCE = PREFERENCE
    AIDE = (
        "Établissements du département : le référentiel (Annuaire de l'éducation), chaque "
        "établissement avec son PIAL, son secteur ERSEH et ses coordonnées. f filtre (type, "
        "PIAL, secteur, commune), / cherche, s trie par la colonne du curseur (← →), c choisit "
        "les colonnes. Échap revient à Mon compte."
    )
    BINDINGS = [Binding("escape", "retour", "Retour", id="etablissements.retour")]
    CSS_PATH = "etablissements.tcss"

    def contenu(self) -> ComposeResult:
        yield Static(Text.assemble(("Établissements du département", "bold"),
                                   " · référentiel, PIAL, secteurs ERSEH, coordonnées"),
                     id="etablissements-titre")
        liste = ListeDonnees(self._colonnes(), cle_ligne=lambda l: l.uai, filtres=self._filtres(),
                             id="etablissements")
        self.restaurer_choix(liste)
        yield OutilsListe(liste, unite=("établissement", "établissements"), feminin=False,
                          today=self.app.today)
        yield Static(id="etablissements-fiche")

    def on_mount(self) -> None:
        self.query_one(ListeDonnees).focus()
        self.query_one("#etablissements-fiche", Static).display = False
        self._charger_lignes()

    @staticmethod
    def _colonnes() -> list[Colonne]:
        # At 80 columns: UAI, name, type, commune and PIAL without scrolling sideways.
        return [
            Colonne("uai", "UAI", 8, lambda l: l.uai),
            Colonne("nom", "Nom", 26, lambda l: l.nom),
            Colonne("type", "Type", 8, lambda l: l.type),
            Colonne("commune", "Commune", 14, lambda l: l.commune),
            Colonne("pial", "PIAL", 24, lambda l: l.pial),
            Colonne("secteur", "Secteur", 16, lambda l: l.secteur),
            Colonne("code_postal", "CP", 5, lambda l: l.code_postal),
            Colonne("coordonnees", "Latitude ; longitude", 20, lambda l: l.latitude,
                    texte=lambda l: l.coordonnees),
            Colonne("statut", "Statut", 7, lambda l: l.statut, visible=False),
            Colonne("circonscription", "Circonscription", 20, lambda l: l.circonscription,
                    visible=False),
            Colonne("ulis", "ULIS", 4, lambda l: l.ulis, visible=False),
        ]

    @staticmethod
    def _filtres() -> list[Filtre]:
        return [
            Filtre("type", "Type", "choix", lambda l: l.type, propose=True, court="type"),
            Filtre("pial", "PIAL", "choix", lambda l: l.pial, propose=True, court="PIAL"),
            Filtre("secteur", "Secteur", "choix", lambda l: l.secteur or "sans secteur",
                   propose=True, court="secteur"),
            Filtre("commune", "Commune", "choix", lambda l: l.commune, court="commune"),
        ]

    @work(thread=True, exclusive=True, group="etablissements-lignes")
    def _charger_lignes(self) -> None:
        lignes = self.app.session_ouverte.lignes_etablissements()
        if not get_current_worker().is_cancelled:
            self.post_message(LignesEtablissements(lignes))

    def on_lignes_etablissements(self, message: LignesEtablissements) -> None:
        self.query_one(ListeDonnees).definir_lignes(message.lignes)

    def donnees_rechargees(self) -> None:
        self._charger_lignes()

    @on(ListeDonnees.LigneChoisie)
    def _afficher(self, event: ListeDonnees.LigneChoisie) -> None:
        """Entrée: the établissement in full under the list."""
        fiche = self.query_one("#etablissements-fiche", Static)
        fiche.update(fiche_etablissement(event.ligne))
        fiche.display = True

    def action_retour(self) -> None:
        fiche = self.query_one("#etablissements-fiche", Static)
        if fiche.display:  # Échap closes the établissement shown first
            fiche.display = False
            return
        self.dismiss()


def fiche_etablissement(l: LigneEtablissement) -> Text:
    """Every field of the row, as plain text (data, never markup)."""
    lignes = [
        " · ".join(x for x in (f"{l.nom} ({l.uai})", l.type, l.statut,
                               f"{l.code_postal} {l.commune}".strip()) if x),
        " · ".join(x for x in (f"PIAL {l.pial}",
                               f"secteur {l.secteur_erseh}" if l.secteur else "sans secteur",
                               f"circonscription {l.circonscription}" if l.circonscription else "",
                               "ULIS" if l.ulis else "") if x),
        f"Coordonnées : {l.coordonnees}" if l.coordonnees else "Coordonnées inconnues",
    ]
    return Text("\n".join(lignes))

"""OutilsListe: a list with the guide's tools (§4) around it — the search
bar above, the status line under, and the Colonnes and Filtres modals one
key away. Accueil, AESH, Missions and Accompagnements use it the same way:

    liste = ListeDonnees(colonnes, lignes, cle_ligne=..., filtres=[...])
    yield OutilsListe(liste, unite=("décision", "décisions"), today=today)

and save ``ListeDonnees.EtatModifie.etat`` with ``screens.preferences.Preferences``
(off the event loop; ``liste.restaurer(session.preference(...))`` before
mounting brings it back).
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical

from .choix_filtres import ChoixFiltres
from .colonnes import ChoixColonnes
from .etat_liste import EtatListe
from .liste import ListeDonnees
from .recherche import BarreRecherche


class OutilsListe(Vertical):
    """Search bar, list and status line, with the tool keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "rechercher", "Rechercher", id="outils.rechercher"),
        Binding("c", "colonnes", "Colonnes", id="outils.colonnes"),
        Binding("f", "filtres", "Filtres", id="outils.filtres"),
    ]

    DEFAULT_CSS = """
    OutilsListe {
        height: 1fr;
    }
    """

    def __init__(
        self,
        liste: ListeDonnees,
        *,
        today: date,
        unite: tuple[str, str] = ("ligne", "lignes"),
        feminin: bool = True,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.liste = liste
        self.today = today
        self.barre = BarreRecherche(liste)
        self.etat_liste = EtatListe(unite, feminin)

    def compose(self) -> ComposeResult:
        yield self.barre
        yield self.liste
        yield self.etat_liste

    def on_mount(self) -> None:
        self.etat_liste.actualiser(self.liste)

    @on(ListeDonnees.AffichageModifie)
    @on(ListeDonnees.SelectionModifiee)
    def _actualiser_etat(self) -> None:
        self.etat_liste.actualiser(self.liste)

    def action_rechercher(self) -> None:
        self.barre.focus()

    def action_colonnes(self) -> None:
        def appliquer(cles: list[str] | None) -> None:
            if cles is not None:
                self.liste.colonnes_visibles(cles)

        visibles = [c.cle for c in self.liste.colonnes_affichees]
        self.app.push_screen(ChoixColonnes(self.liste.colonnes, visibles), appliquer)

    def action_filtres(self) -> None:
        def appliquer(parametres: dict | None) -> None:
            if parametres is not None:
                self.liste.appliquer_filtres(parametres)

        self.app.push_screen(
            ChoixFiltres(
                self.liste.filtres, self.liste.parametres_filtres, self.liste.lignes, today=self.today
            ),
            appliquer,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A list without filter definitions offers no Filtres tool.
        if action == "filtres":
            return bool(self.liste.filtres)
        return True

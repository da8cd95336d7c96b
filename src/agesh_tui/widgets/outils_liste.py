"""OutilsListe: a list with the guide's tools (§4) around it — the search
bar above, the status line under, and the Colonnes and Filtres modals one
key away. Accueil, AESH, Missions and Accompagnements use it the same way:

    liste = ListeDonnees(colonnes, lignes, cle_ligne=..., filtres=[...])
    yield OutilsListe(liste, unite=("décision", "décisions"), today=today, tableur="decisions")

and save ``ListeDonnees.EtatModifie.etat`` with ``screens.preferences.Preferences``
(off the event loop; ``liste.restaurer(session.preference(...))`` before
mounting brings it back).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical

from .choix_filtres import ChoixFiltres
from .colonnes import ChoixColonnes
from .etat_liste import EtatListe
from .export_tableur import ExportTableur, dossier_par_defaut, nom_par_defaut
from .liste import ListeDonnees
from .recherche import BarreRecherche

if TYPE_CHECKING:
    from textual import getters

    from ..app import AgeshApp


class OutilsListe(Vertical):
    """Search bar, list and status line, with the tool keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "rechercher", "Rechercher", id="outils.rechercher"),
        Binding("c", "colonnes", "Colonnes", id="outils.colonnes"),
        Binding("f", "filtres", "Filtres", id="outils.filtres"),
        # In the palette and the help; the footer keeps the daily keys.
        Binding("e", "exporter", "Exporter en tableur", show=False, id="outils.exporter"),
    ]

    if TYPE_CHECKING:
        app = getters.app(AgeshApp)  # see widgets/base.py

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
        tableur: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``tableur``: the list's name for the spreadsheet export
        (api.tableaux.LISTES); None offers no export."""
        super().__init__(id=id, classes=classes)
        self.liste = liste
        self.today = today
        self.tableur = tableur
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

    def action_exporter(self) -> None:
        """The list as shown — visible columns, filters, search, sort — to a
        spreadsheet file (SPEC §6)."""
        if self.tableur is None:
            return
        session = self.app.session_ouverte
        tableau = session.tableau_affiche(self.tableur, self.liste.lignes_affichees(),
                                          [c.cle for c in self.liste.colonnes_affichees])

        def ecrire(chemin: Path, remplacer: bool) -> int:
            return session.exporter_tableau(tableau, chemin, remplacer=remplacer)

        def ecrit(resultat: tuple[Path, int] | None) -> None:
            if resultat is not None:
                chemin, lignes = resultat
                pluriel = "s" if lignes > 1 else ""
                self.notify(f"{lignes} ligne{pluriel} écrite{pluriel} dans {chemin}.",
                            title="Export tableur", markup=False)

        defaut = nom_par_defaut(self.tableur, self.today, dossier_par_defaut())
        self.app.push_screen(ExportTableur(tableau.titre, len(tableau.lignes), defaut, ecrire), ecrit)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A list without filter definitions offers no Filtres tool.
        if action == "filtres":
            return bool(self.liste.filtres)
        if action == "exporter":
            return self.tableur is not None
        return True

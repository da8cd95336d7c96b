"""Colonnes (guide §4.2): the modal where the user shows or hides the
columns of a list."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import SelectionList, Static

from .boite_outil import BoiteOutil
from .cases import ListeCases
from .liste import Colonne
from .pied import PiedDePage


class ChoixColonnes(BoiteOutil[list[str] | None]):
    """Checked columns are shown. Returns the keys of the columns to show
    (in the declared order), or None when cancelled."""

    AIDE = "Colonnes : Espace affiche ou masque la colonne, Entrée valide, Échap annule."

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: the list would take Enter to check a line; Space does that.
        Binding("enter", "valider", "Valider", priority=True, id="colonnes.valider"),
    ]

    CSS_PATH = [*BoiteOutil.CSS_PATH, Path(__file__).with_name("colonnes.tcss")]

    def __init__(self, colonnes: Sequence[Colonne], visibles: Iterable[str]) -> None:
        super().__init__()
        self.colonnes = tuple(colonnes)
        self._visibles = set(visibles)

    def compose(self) -> ComposeResult:
        with Vertical(id="boite") as boite:
            boite.border_title = "Colonnes"
            yield Static(Text("Espace : afficher ou masquer la colonne."), classes="aide")
            yield ListeCases[str](
                *((Text(c.titre), c.cle, c.cle in self._visibles) for c in self.colonnes)
            )
        yield PiedDePage()

    def action_valider(self) -> None:
        choisies = set(self.query_one(SelectionList).selected)
        if not choisies:
            self.notify("Gardez au moins une colonne affichée.", severity="error")
            return
        self.dismiss([c.cle for c in self.colonnes if c.cle in choisies])

"""Recherche (guide §4.4): the search bar above a list. Every keystroke
narrows the list at once (no debounce: a search over 25 000 rows takes a
few milliseconds, see bench/bench_liste.py)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input

from .liste import ListeDonnees


class BarreRecherche(Input):
    """Words combined with AND, searched in every column of ``liste``."""

    AIDE = (
        "Recherche : les lignes qui contiennent tous les mots tapés, dans n'importe quelle colonne, "
        "sans tenir compte des majuscules ni des accents. Entrée ou ↓ : aller à la liste ; "
        "Échap : effacer la recherche."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "effacer", "Effacer la recherche", id="recherche.effacer"),
        Binding("down", "retour_liste", "Aller à la liste", show=False, id="recherche.aller_liste"),
    ]

    def __init__(self, liste: ListeDonnees, *, id: str | None = None) -> None:
        super().__init__(placeholder="Rechercher… (/)", id=id, compact=True)
        self.liste = liste

    def _on_input_changed(self, event: Input.Changed) -> None:
        if event.input is self:
            self.liste.definir_recherche(event.value)

    def _on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input is self:
            self.liste.focus()

    def action_effacer(self) -> None:
        self.value = ""
        self.liste.definir_recherche("")
        self.liste.focus()

    def action_retour_liste(self) -> None:
        self.liste.focus()

"""A menu whose screens come with a later version: said plainly."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.widgets import Static

from ..menus import MENUS_PAR_CLE
from .base import EcranMenu


class Indisponible(EcranMenu):
    AIDE = "Ce menu n'est pas encore disponible dans cette version."
    CSS_PATH = "indisponible.tcss"

    def __init__(self, menu: str):
        self.MENU = menu
        super().__init__(name=menu)

    def contenu(self) -> ComposeResult:
        libelle = MENUS_PAR_CLE[self.MENU].libelle
        with Middle():
            with Center():
                yield Static(
                    f"Pas encore disponible : {libelle} arrive dans une prochaine version.",
                    id="indisponible", markup=False,
                )

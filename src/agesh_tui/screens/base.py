"""What every menu screen shares: the header, the menu bar, the footer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer

from ..widgets.base import EcranAgesh
from ..widgets.entete import BarreMenus, Entete


class EcranMenu(EcranAgesh):
    """A screen of one menu of the guide. Subclasses set ``MENU`` (the menu
    it belongs to) and yield their widgets from ``contenu``."""

    MENU = "accueil"
    # A short French description for the help screen (?).
    AIDE = ""

    def compose(self) -> ComposeResult:
        yield Entete()
        yield BarreMenus(self.MENU)
        yield from self.contenu()
        yield Footer()

    # Textual runs every class's on_mount in turn: a subclass's own on_mount
    # must not call this one again (it would subscribe twice).
    def on_mount(self) -> None:
        self.app.signal_donnees.subscribe(self, lambda _: self.donnees_rechargees())

    def contenu(self) -> ComposeResult:
        yield from ()

    def donnees_rechargees(self) -> None:
        """Called after « R » reloaded the département: redraw from it."""

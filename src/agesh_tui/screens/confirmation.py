"""A question before anything is destroyed: what will go, named in full,
and two answers — « o » (or Entrée on « Oui ») does it, Échap or « n »
keeps everything. The answer is the screen's result (True: confirmed)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ..widgets.pied import PiedDePage


class Confirmation(ModalScreen[bool]):
    AIDE = ("Confirmation : o (ou Entrée sur « Oui ») confirme ; n ou Échap renonce, "
            "rien n'est changé.")
    BINDINGS = [
        Binding("o", "repondre(True)", "Oui", id="confirmation.oui"),
        Binding("n,escape", "repondre(False)", "Non", id="confirmation.non"),
    ]
    CSS_PATH = "confirmation.tcss"

    def __init__(self, titre: str, lignes: Sequence[str], oui: str = "Oui") -> None:
        super().__init__()
        self.titre = titre
        self.lignes = list(lignes)
        self.oui = oui

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="confirmation") as boite:
            boite.border_title = self.titre
            for ligne in self.lignes:
                yield Static(Text(ligne), classes="ligne")
            with Horizontal(id="reponses"):
                yield Button(f"{self.oui} (o)", variant="error", id="oui")
                yield Button("Non (n)", id="non")
        yield PiedDePage()

    def on_mount(self) -> None:
        # Entrée on the focused button: « Non » first, the harmless answer;
        # a long question is read from its first line (the buttons' keys are
        # in the footer), not scrolled down to them.
        self.query_one("#non", Button).focus(scroll_visible=False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "oui")

    def action_repondre(self, oui: bool) -> None:
        self.dismiss(oui)

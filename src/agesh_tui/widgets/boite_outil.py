"""The frame shared by the list tools' dialogs (Colonnes, Filtres): a
centred bordered box, Échap to cancel."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

Resultat = TypeVar("Resultat")


class BoiteOutil(ModalScreen[Resultat]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "annuler", "Annuler")]

    DEFAULT_CSS = """
    BoiteOutil {
        align: center middle;
        & > #boite {
            height: auto;
            max-height: 100%;
            border: round $primary;
            border-title-style: bold;
            background: $surface;
            padding: 0 1;
        }
        & .aide {
            color: $text-muted;
        }
    }
    """

    def action_annuler(self) -> None:
        self.dismiss(None)

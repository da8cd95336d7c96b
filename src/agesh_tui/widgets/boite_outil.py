"""The frame shared by the list tools' dialogs (Colonnes, Filtres): a
centred bordered box, Échap to cancel. A dialog adds its own .tcss to
``CSS_PATH`` (a screen's styles live in files, not in DEFAULT_CSS)."""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

Resultat = TypeVar("Resultat")


class BoiteOutil(ModalScreen[Resultat]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "annuler", "Annuler", id="dialogue.annuler")]

    CSS_PATH: ClassVar[list[str | PurePath]] = [Path(__file__).with_name("boite_outil.tcss")]

    def action_annuler(self) -> None:
        self.dismiss(None)

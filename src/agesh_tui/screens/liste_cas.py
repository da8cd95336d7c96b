"""What the two lists of cases of the tableau de bord share (an incohérence's
accompagnements, a cas particulier's décisions): the title with the number
of cases, the rows computed off the event loop and again after every
reload or save (a fixed case leaves at once), Échap back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from ..widgets.liste import ListeDonnees
from .base import EcranMenu


@dataclass
class LignesCas(Message):
    lignes: list[Any]


class EcranCas(EcranMenu):
    """Subclasses give ``en_tete`` (the title without the count),
    ``lignes_cas`` (called in a thread) and compose a ListeDonnees and a
    Static ``#cas-titre``."""

    MENU = "editions"
    A_FAIRE = "à corriger"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "retour", "Retour au tableau de bord", id="cas.retour")]

    def __init__(self, type_: Any) -> None:
        super().__init__()
        self.type = type_
        self.nombre: int | None = None

    # Each subclass defines both as methods.
    en_tete: Callable[[], Text]
    lignes_cas: Callable[[], list[Any]]

    def titre(self) -> Text:
        titre = self.en_tete()
        if self.nombre is not None:
            titre.append(f" · {self.nombre} {self.A_FAIRE}" if self.nombre else " · aucun cas",
                         style="bold")
        return titre

    def on_mount(self) -> None:
        self.query_one(ListeDonnees).focus()
        self._calculer()

    @work(thread=True, exclusive=True, group="cas-lignes")
    def _calculer(self) -> None:
        lignes = self.lignes_cas()
        if not get_current_worker().is_cancelled:
            self.post_message(LignesCas(lignes))

    def on_lignes_cas(self, message: LignesCas) -> None:
        self.nombre = len(message.lignes)
        self.query_one(ListeDonnees).definir_lignes(message.lignes)
        self.query_one("#cas-titre", Static).update(self.titre())

    def donnees_rechargees(self) -> None:
        self._calculer()

    def action_retour(self) -> None:
        self.dismiss()

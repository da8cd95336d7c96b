"""How a list screen gets its rows when they are a view of the Session
(Session.vue, computed once per load): at once when already computed —
before the first paint, without a thread's round trip and a paint more —,
else in a thread, off the event loop."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import work
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from ..api.session import Session


@dataclass
class LignesDeVue(Message):
    """The rows, computed in the thread."""

    lignes: list[Any]


class ChargeurLignes(Screen):
    """Mixed into a menu screen: ``VUE`` is the Session view's key, ``CALCUL``
    the Session method giving it; ``montrer_lignes`` shows them. Loaded on
    mount and after each reload (``donnees_rechargees``)."""

    VUE: ClassVar[str]
    CALCUL: ClassVar[Callable[[Session], list[Any]]]
    # Each subclass defines it as a method: its rows shown.
    montrer_lignes: Callable[[list[Any]], None]

    def charger_lignes(self) -> None:
        session = self.app.session_ouverte  # type: ignore[attr-defined]
        if session.vue_calculee(self.VUE):
            self.montrer_lignes(type(self).CALCUL(session))
        else:
            self._calculer_lignes()

    @work(thread=True, exclusive=True, group="lignes-de-vue")
    def _calculer_lignes(self) -> None:
        lignes = type(self).CALCUL(self.app.session_ouverte)  # type: ignore[attr-defined]
        if not get_current_worker().is_cancelled:
            self.post_message(LignesDeVue(lignes))

    def on_lignes_de_vue(self, message: LignesDeVue) -> None:
        self.montrer_lignes(message.lignes)

    def donnees_rechargees(self) -> None:
        self.charger_lignes()

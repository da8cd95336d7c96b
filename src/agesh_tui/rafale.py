"""Keys typed in one burst (a password manager's auto-type, a fast typist,
a paste into the terminal) are handled one after the other, each once the
previous one has finished what it started.

Textual hands each key from the terminal to the widget focused *when the
application reads it*, while the key before it is still travelling up the
widgets (where Tab moves the focus, Enter submits a field, « f » opens a
dialog). In a burst the next keys are handed out before that: « Tab 123456 »
typed in the identifiant all lands in the identifiant, digits typed while a
dialog mounts land on the screen below. Here a key waits until the one
before it has travelled up from the focused widget to the application, and
once more (what it made the widgets post: Input.Submitted, a focus moved),
until the focus and the screen stay put, and the screen is laid out."""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable

from textual import events
from textual.app import App
from textual.dom import DOMNode
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget

# A key whose journey is lost (its widget removed meanwhile) must never
# block the keyboard: the next one goes after this long.
DELAI_MAXIMUM = 0.5

Etat = tuple[Screen, Widget | None]


class Rafale:
    """The keys waiting for the previous one. ``traiter(key)`` is the
    application's own handling of a key (priority bindings, then the
    focused widget)."""

    def __init__(self, app: App, traiter: Callable[[events.Key], Awaitable[None]]) -> None:
        self.app = app
        self._traiter = traiter
        self._attente: deque[events.Key] = deque()
        self._en_cours = 0  # the number of the key travelling, 0 when none
        self._numero = 0
        self._garde: Timer | None = None

    @property
    def en_attente(self) -> int:
        """The keys not handled yet, the travelling one included."""
        return len(self._attente) + (1 if self._en_cours else 0)

    async def recevoir(self, touche: events.Key) -> None:
        """A key from the terminal: handled now, or after those before it."""
        self._attente.append(touche)
        if not self._en_cours:
            await self._suivante()

    async def _suivante(self) -> None:
        if not self._attente:
            self._en_cours = 0
            return
        touche = self._attente.popleft()
        self._numero += 1
        numero = self._en_cours = self._numero
        await self._traiter(touche)
        app = self.app
        self._garde = app.set_timer(DELAI_MAXIMUM, lambda: app.call_later(self._liberer, numero))
        self._voyage(numero, restants=2)

    def _etat(self) -> Etat:
        return self.app.screen, self.app.focused

    def _voyage(self, numero: int, restants: int) -> None:
        """Behind the key, through the queue of the focused widget and of
        each of its ancestors, up to the application: each twice, so that
        what the key made a node post to itself is handled too."""
        depart = self._etat()
        chemin = list((self.app.focused or self.app.screen).ancestors_with_self)
        self._passer(chemin, 0, False, numero, depart, restants)

    def _passer(self, chemin: list[DOMNode], rang: int, deuxieme: bool, numero: int,
                depart: Etat, restants: int) -> None:
        while rang < len(chemin):
            if chemin[rang].call_later(self._passe, chemin, rang, deuxieme, numero, depart,
                                       restants):
                return
            rang, deuxieme = rang + 1, False  # a node closing: its parent
        if self._etat() != depart or restants > 1:
            # The focus moved or a screen opened (or this was the first
            # journey): once more, from where the focus is now.
            self._voyage(numero, restants=max(1, restants - 1))
        else:
            # After the layout too: Tab orders widgets by their place on
            # screen, and a field just shown has none before it.
            self.app.call_after_refresh(self._liberer, numero)

    def _passe(self, chemin: list[DOMNode], rang: int, deuxieme: bool, numero: int,
               depart: Etat, restants: int) -> None:
        if numero != self._en_cours:
            return  # released by the delay meanwhile
        if deuxieme:
            rang, deuxieme = rang + 1, False
        else:
            deuxieme = True
        self._passer(chemin, rang, deuxieme, numero, depart, restants)

    async def _liberer(self, numero: int) -> None:
        if numero != self._en_cours:
            return  # already released (by the delay, or the journey)
        if self._garde is not None:
            self._garde.stop()
            self._garde = None
        await self._suivante()

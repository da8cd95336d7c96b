"""Loading the département (a few seconds on a large one): in a thread
worker, with a loading indicator, so the interface never freezes."""

from __future__ import annotations

import gc
from collections.abc import Callable

from textual import work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, LoadingIndicator, Static
from textual.worker import get_current_worker

from ..api.session import Session
from ..engine.stockage.sqlite import StoreError
from ..widgets.entete import Entete


class Chargement(Screen[bool]):
    """Loads the session's département, then dismisses itself with True
    (False when loading failed: the message stays on screen)."""

    AIDE = "Chargement des données du département : patientez quelques secondes."

    def __init__(self, preparer: Callable[[Session], object] | None = None) -> None:
        """``preparer(session)`` runs in the worker after loading: what the
        next screen shows (Accueil's rows), so that it is not built on the
        event loop."""
        super().__init__()
        self.preparer = preparer

    def compose(self) -> ComposeResult:
        yield Entete()
        yield Static("Chargement des données du département…", id="chargement-titre", markup=False)
        yield LoadingIndicator()
        yield Footer()

    def on_mount(self) -> None:
        self.charger()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def charger(self) -> None:
        session = self.app.session
        try:
            session.charger()
            if self.preparer is not None:
                self.preparer(session)
            # charger() froze the département; the rows just prepared for
            # the screens live as long, so keep the collector off them too.
            gc.freeze()
        except StoreError as exc:
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._echec, str(exc))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.dismiss, True)

    def _echec(self, message: str) -> None:
        self.query_one(LoadingIndicator).display = False
        self.query_one("#chargement-titre", Static).update(
            f"✖ Chargement impossible : {message}"
        )

"""Loading the département (a few seconds on a large one): in a thread
worker that posts its progress as messages, so the interface never
freezes; Échap stops it."""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static
from textual.worker import Worker, get_current_worker

from ..api.erreurs import ChargementAnnule, StoreError
from ..api.session import Session
from ..widgets.base import EcranAgesh
from ..widgets.entete import Entete
from ..widgets.pied import PiedDePage

LARGEUR_BARRE = 30
FAIT, A_FAIRE = "█", "░"  # the bar reads without colour too


@dataclass
class Etape(Message):
    """The worker starts a group of tables (``faites`` of ``total`` done)."""

    quoi: str
    faites: int
    total: int


@dataclass
class Charge(Message):
    """The département is loaded and the next screen's rows prepared."""


@dataclass
class Echec(Message):
    message: str


@dataclass
class Annule(Message):
    """The load stopped at the user's request: nothing changed."""


def barre(faites: int, total: int, quoi: str) -> Text:
    """« ██████░░░░ 3/7 · Scolarités »."""
    pleines = LARGEUR_BARRE * faites // total if total else 0
    return Text.assemble((FAIT * pleines, "bold"), A_FAIRE * (LARGEUR_BARRE - pleines),
                         f" {faites}/{total} · {quoi}")


class Chargement(EcranAgesh[bool]):
    """Loads the session's département, then dismisses itself with True;
    with False when the user stopped it (Échap), the data left as it was. A
    failure stays on screen with its message until Échap."""

    AIDE = ("Chargement des données du département : patientez quelques secondes. Échap "
            "l'arrête (au premier chargement, l'application se ferme).")
    BINDINGS = [Binding("escape", "annuler", "Arrêter le chargement", id="chargement.annuler")]

    def __init__(self, preparer: Callable[[Session], object] | None = None) -> None:
        """``preparer(session)`` runs in the worker after loading: what the
        next screen shows (Accueil's rows), so that it is not built on the
        event loop."""
        super().__init__()
        self.preparer = preparer
        self._travail: Worker | None = None

    def compose(self) -> ComposeResult:
        yield Entete()
        yield Static("Chargement des données du département…", id="chargement-titre", markup=False)
        yield Static(barre(0, 1, "ouverture de la base"), id="chargement-etape")
        yield PiedDePage()

    def on_mount(self) -> None:
        self._travail = self.charger()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def charger(self) -> None:
        worker = get_current_worker()

        def etape(quoi: str, faites: int, total: int) -> None:
            # Between two groups of tables: the place to stop (the read
            # transaction ends, the session keeps its data).
            if worker.is_cancelled:
                raise ChargementAnnule()
            self.post_message(Etape(quoi, faites, total))

        session = self.app.session_ouverte
        try:
            session.charger(etape)
        except ChargementAnnule:
            self.post_message(Annule())
            return
        except StoreError as exc:
            self.post_message(Echec(str(exc)))
            return
        # Loaded: too late to stop, the session holds the new data.
        if self.preparer is not None:
            self.post_message(Etape("Préparation des listes", 1, 1))
            self.preparer(session)
        # charger() froze the département; the rows just prepared for the
        # screens live as long, so keep the collector off them too.
        gc.freeze()
        self.post_message(Charge())

    def on_etape(self, message: Etape) -> None:
        self.query_one("#chargement-etape", Static).update(
            barre(message.faites, message.total, message.quoi)
        )

    def on_charge(self) -> None:
        self.dismiss(True)

    def on_annule(self) -> None:
        self.dismiss(False)

    def on_echec(self, message: Echec) -> None:
        self.query_one("#chargement-etape", Static).display = False
        self.query_one("#chargement-titre", Static).update(
            f"✖ Chargement impossible : {message.message}. Échap pour fermer."
        )

    def action_annuler(self) -> None:
        if self._travail is not None and not self._travail.is_finished:
            self._travail.cancel()  # it stops at its next step, then Annule
            self.query_one("#chargement-titre", Static).update("Arrêt du chargement…")
        else:
            self.dismiss(False)  # failed: nothing left to stop

"""A weekly volume entered before an affectation is written (guide §9.1,
§9.4): the field holds the volume proposed — the maximum still available
for « Affecter », the current one for a change — and Entrée gives what is
typed. Only its reading is checked here (« 20 », « 20,5 »); the rules
(above the maximum…) are the Session's, which says them in French. The
answer is the screen's result (None: abandoned)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ..engine.nombres import lire_nombre, nombre
from ..widgets.pied import PiedDePage


class SaisieVolume(ModalScreen[float | None]):
    AIDE = ("Volume horaire hebdomadaire : tapez le nombre d'heures (« 20 » ou « 20,5 »), "
            "Entrée valide ; Échap renonce, rien n'est changé.")
    BINDINGS = [Binding("escape", "renoncer", "Renoncer", id="volume.renoncer")]
    CSS_PATH = "saisie_volume.tcss"

    def __init__(self, titre: str, lignes: Sequence[str], volume: float) -> None:
        super().__init__()
        self.titre = titre
        self.lignes = list(lignes)
        self.volume = volume

    def compose(self) -> ComposeResult:
        with Vertical(id="saisie-volume") as boite:
            boite.border_title = self.titre
            for ligne in self.lignes:
                yield Static(Text(ligne), classes="ligne")
            yield Input(nombre(self.volume, 2), id="volume")
            yield Static("", id="volume-message", markup=False)
        yield PiedDePage()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        valeur = lire_nombre(event.value)
        if valeur is None:
            self.query_one("#volume-message", Static).update(
                Text("Un nombre d'heures, par exemple « 20 » ou « 20,5 ».", style="bold"))
            return
        self.dismiss(valeur)

    def action_renoncer(self) -> None:
        self.dismiss(None)

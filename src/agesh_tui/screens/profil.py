"""Sélection du profil (guide §1.3): only for users with several profiles,
at login and later (« Changer de profil »: a superviseur becomes
gestionnaire without logging out)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..engine.modele.model import LIBELLES_PROFIL, Utilisateur
from ..widgets.entete import Entete
from ..widgets.pied import PiedDePage

DESCRIPTIONS = {
    "superviseur": "consultation de tout le département et paramètres département",
    "gestionnaire": "mise en œuvre des accompagnements sur vos secteurs",
}


class Profil(Screen[str | None]):
    """Returns the chosen profile (``superviseur`` or ``gestionnaire``), or
    None when Échap leaves the choice."""

    AIDE = ("Sélection du profil : choisissez avec ↑ ↓ puis Entrée le profil de cette session ; "
            "Échap revient sans changer.")
    BINDINGS = [Binding("escape", "annuler", "Revenir", id="profil.annuler")]

    def __init__(self, utilisateur: Utilisateur, actuel: str | None = None):
        """``actuel``: the profile of the session, when changing it."""
        super().__init__()
        self.utilisateur = utilisateur
        self.actuel = actuel

    def compose(self) -> ComposeResult:
        yield Entete()
        with Center():
            with Vertical(id="profil"):
                yield Static("Sélection du profil", id="profil-titre")
                yield Static(
                    f"{self.utilisateur.nom}, vous avez plusieurs profils : "
                    "choisissez celui de cette session (↑ ↓ puis Entrée).",
                    markup=False,
                )
                yield OptionList(
                    *(
                        Option(f"{LIBELLES_PROFIL[p]} — {DESCRIPTIONS[p]}", id=p)
                        for p in self.utilisateur.profils
                    ),
                    id="profils",
                )
        yield PiedDePage()

    def on_mount(self) -> None:
        profils = self.utilisateur.profils
        self.query_one(OptionList).highlighted = (
            profils.index(self.actuel) if self.actuel in profils else 0
        )

    def action_annuler(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _choisi(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

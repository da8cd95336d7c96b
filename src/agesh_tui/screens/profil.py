"""Sélection du profil (guide §1.3): only for users with several profiles."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ..engine.modele.model import LIBELLES_PROFIL, Utilisateur
from ..widgets.entete import Entete

DESCRIPTIONS = {
    "superviseur": "consultation de tout le département et paramètres département",
    "gestionnaire": "mise en œuvre des accompagnements sur vos secteurs",
}


class Profil(Screen[str]):
    """Returns the chosen profile (``superviseur`` or ``gestionnaire``)."""

    AIDE = "Sélection du profil : choisissez avec ↑ ↓ puis Entrée le profil de cette session."
    def __init__(self, utilisateur: Utilisateur):
        super().__init__()
        self.utilisateur = utilisateur

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
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    @on(OptionList.OptionSelected)
    def _choisi(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

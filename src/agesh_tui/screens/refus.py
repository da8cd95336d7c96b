"""Why a selection cannot make an accompagnement: a short summary for the
notification (a selection of 35 décisions used to fill the screen with two
toasts of names), and this screen with every reason in full, on demand."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..api.erreurs import RegleRefusee
from ..engine.regles.accompagnement import Refus
from ..widgets.pied import PiedDePage

# Reasons longer than this in all (a few lines of a notification), or one
# about more décisions than this, are summarised.
LONGUEUR_MAXIMUM = 320
DECISIONS_MAXIMUM = 3
# What the décisions set aside by a rule have in common, counted
# (singular, plural).
COMMUNS = {
    "dossier": ("dossier gelé ou clôturé", "dossiers gelés ou clôturés"),
    "etablissement": ("élève hors de l'établissement", "élèves d'établissements différents"),
}


def a_resumer(refus: Sequence[Refus]) -> bool:
    return (sum(len(r.message) for r in refus) > LONGUEUR_MAXIMUM
            or any(len(r.decisions) > DECISIONS_MAXIMUM for r in refus))


def resume(refus: Sequence[Refus], touche_detail: str) -> str:
    """« 35 décisions écartées : 12 dossiers gelés ou clôturés, … — détail : d »."""
    comptees = [r for r in refus if r.decisions and r.regle in COMMUNS]
    parties = [f"{len(r.decisions)} {COMMUNS[r.regle][len(r.decisions) > 1]}" for r in comptees]
    if comptees:
        n = len({i for r in comptees for i in r.decisions})
        s = "s" if n > 1 else ""
        parties = [f"{n} décision{s} écartée{s} : {', '.join(parties)}"]
    parties += [r.message.rstrip(".") for r in refus if r not in comptees]
    return f"{' ; '.join(parties)} — détail : {touche_detail}"


class DetailRefus(ModalScreen[None]):
    """Every reason of a refusal, in full."""

    AIDE = "Détail du refus : chaque règle non respectée, en toutes lettres. Échap pour revenir."
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Revenir", id="refus.fermer")]
    CSS_PATH = "refus.tcss"

    def __init__(self, titre: str, refus: RegleRefusee) -> None:
        super().__init__()
        self.titre = titre
        self.refus = refus.refus

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="refus") as boite:
            boite.border_title = self.titre
            for r in self.refus:
                yield Static(Text(f"– {r.message}"), classes="raison")
        yield PiedDePage()

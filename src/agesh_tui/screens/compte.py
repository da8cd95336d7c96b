"""Mon compte (SPEC F2, guide §2): four entries — Mes coordonnées, Mes
messages (with how many are unread), Mes secteurs (the perimeter now),
Établissements du département. Each opens its screen in this menu; Échap
comes back here."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ..api.erreurs import StoreError
from ..widgets.affichage import propre
from .base import EcranMenu
from .coordonnees import Coordonnees
from .etablissements import Etablissements
from .messages import Messages
from .secteurs import Secteurs

ECRANS: dict[str, type[Screen]] = {"coordonnees": Coordonnees, "messages": Messages,
                                   "secteurs": Secteurs, "etablissements": Etablissements}
# (entry, key, label): the entries, in the guide's order.
ENTREES = (
    ("coordonnees", "c", "Mes coordonnées"),
    ("messages", "m", "Mes messages"),
    ("secteurs", "s", "Mes secteurs"),
    ("etablissements", "e", "Établissements du département"),
)


@dataclass
class NonLus(Message):
    """How many messages of the perimeter are unread (None: unreadable now)."""

    nombre: int | None


class Compte(EcranMenu):
    MENU = "compte"
    AIDE = (
        "Mon compte : vos coordonnées professionnelles (utilisées dans les courriers), vos "
        "messages (le journal des opérations de votre périmètre), vos secteurs (le périmètre de "
        "toutes vos listes) et les établissements du département. ↑ ↓ puis Entrée, ou la "
        "lettre de chaque rubrique ; Échap revient ici."
    )
    BINDINGS = [
        Binding(touche, f"ouvrir('{cle}')", libelle, id=f"compte.{cle}")
        for cle, touche, libelle in ENTREES
    ]
    CSS_PATH = "compte.tcss"

    def __init__(self) -> None:
        super().__init__()
        self._non_lus: int | None = None

    def contenu(self) -> ComposeResult:
        with VerticalScroll(id="compte"):
            yield Static(self._titre(), id="compte-titre")
            yield OptionList(*self._options(), id="compte-entrees")
            yield Static(Text(
                "Vos coordonnées professionnelles remplacent vos coordonnées personnelles dans "
                "les courriers ; vos secteurs restreignent toutes vos listes.", style="italic"),
                id="compte-resume")

    def _titre(self) -> Text:
        u = self.app.session_ouverte.utilisateur
        return Text.assemble(("Mon compte", "bold"), f" · {propre(u.nom)} ({propre(u.login)})")

    def _options(self) -> list[Option]:
        session = self.app.session_ouverte
        u = session.utilisateur
        coordonnees = " · ".join(propre(x) for x in (u.mail, u.telephone) if x) or "à renseigner"
        if self._non_lus is None:
            messages = "journal des opérations de votre périmètre"
        elif self._non_lus:
            messages = f"{self._non_lus} non lu{'s' if self._non_lus > 1 else ''}"
        else:
            messages = "aucun non lu"
        details = {
            "coordonnees": coordonnees,
            "messages": messages,
            "secteurs": session.libelle_perimetre(),
            "etablissements": "PIAL, secteurs, coordonnées",
        }
        return [Option(Text.assemble((f"{touche}  ", "bold"), (libelle, "bold"), " — ",
                                     details[cle]), id=cle)
                for cle, touche, libelle in ENTREES]

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._compter()

    def on_screen_resume(self) -> None:
        # Back from an entry: the coordonnées, the perimeter, the unread may have changed.
        self._redessiner()
        self._compter()

    def _redessiner(self) -> None:
        liste = self.query_one(OptionList)
        position = liste.highlighted
        liste.clear_options()
        liste.add_options(self._options())
        liste.highlighted = position if position is not None else 0
        self.query_one("#compte-titre", Static).update(self._titre())

    @work(thread=True, exclusive=True, group="compte-non-lus")
    def _compter(self) -> None:
        try:
            nombre: int | None = sum(not m.lu for m in self.app.session_ouverte.messages())
        except StoreError:
            nombre = None
        if not get_current_worker().is_cancelled:
            self.post_message(NonLus(nombre))

    def on_non_lus(self, message: NonLus) -> None:
        self._non_lus = message.nombre
        self._redessiner()

    @on(OptionList.OptionSelected)
    def _choisi(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.action_ouvrir(event.option.id)

    def action_ouvrir(self, cle: str) -> None:
        self.app.push_screen(ECRANS[cle]())

    def donnees_rechargees(self) -> None:
        self._redessiner()


"""Exporter en tableur (SPEC §6): the dialog that writes the list as the
screen shows it — visible columns, filters, search, sort — to a ``.xlsx``
or ``.csv`` file. The file's name is typed (a sensible default is offered);
the format follows its extension; an existing file is replaced only after
a question; the writing runs off the event loop."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

from platformdirs import user_documents_dir
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from ..api.erreurs import RefusFichier
from .boite_outil import BoiteOutil
from .pied import PiedDePage

FORMATS = (".xlsx", ".csv")


def dossier_par_defaut() -> Path:
    """The user's documents folder when it exists (a desktop), else the
    home folder (a server reached by SSH has no Documents)."""
    documents = Path(user_documents_dir())
    return documents if documents.is_dir() else Path.home()


def nom_par_defaut(liste: str, today: date, dossier: Path) -> Path:
    return dossier / f"{liste}-{today.isoformat()}.xlsx"


def chemin_saisi(texte: str, formats: tuple[str, ...] = FORMATS) -> tuple[Path | None, str | None]:
    """(the path, None) or (None, why it is refused — French)."""
    texte = texte.strip()
    if not texte:
        return None, "Indiquez le fichier à écrire."
    chemin = Path(texte).expanduser()
    if chemin.suffix.lower() not in formats:
        if formats != FORMATS:
            return None, f"Le nom doit finir par {' ou '.join(formats)}."
        return None, "Le nom doit finir par .xlsx (classeur) ou .csv (texte, « ; »)."
    return chemin, None


@dataclass
class Ecrit(Message):
    """The worker wrote ``lignes`` rows to ``chemin``."""

    chemin: Path
    lignes: int


@dataclass
class Refuse(Message):
    """The worker wrote nothing: ``existe`` when only the question of
    replacing the file stands in the way."""

    raison: str
    existe: bool


class ExportTableur(BoiteOutil[tuple[Path, int] | None]):
    """Returns (file, rows written), or None when cancelled."""

    AIDE = ("Exporter : le nom du fichier (.xlsx ou .csv) ; Entrée écrit la liste telle que l'écran "
            "la montre (colonnes, filtres, recherche, tri), Échap annule.")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "valider", "Écrire", priority=True, id="export.ecrire"),
    ]

    CSS_PATH = [*BoiteOutil.CSS_PATH, Path(__file__).with_name("export_tableur.tcss")]
    # A subclass writing another kind of file (widgets/export_document.py) changes these.
    FORMATS_ACCEPTES: ClassVar[tuple[str, ...]] = FORMATS
    INDICATION = "Fichier .xlsx (classeur) ou .csv (texte, « ; »)."
    VERBE = "Exporter"

    def __init__(self, titre: str, lignes: int, defaut: Path,
                 ecrire: Callable[[Path, bool], int]) -> None:
        """``ecrire(chemin, remplacer)`` writes and returns the rows written
        (RefusFichier otherwise); it is called in a thread."""
        super().__init__()
        self._titre = titre
        self._lignes = lignes
        self._defaut = defaut
        self._ecrire = ecrire
        # The file the user agreed to replace (asked once, for that name).
        self._remplacer: Path | None = None
        self._en_cours = False

    def compose(self) -> ComposeResult:
        with Vertical(id="boite") as boite:
            boite.border_title = f"{self.VERBE} : {self._titre}"
            yield Static(Text(self.description()), classes="aide")
            yield Input(str(self._defaut), id="chemin", select_on_focus=False)
            yield Static(Text(self.INDICATION), id="message", classes="aide")
        yield PiedDePage()

    def description(self) -> str:
        pluriel = "s" if self._lignes > 1 else ""
        return f"{self._lignes} ligne{pluriel}, colonnes affichées, dans l'ordre de l'écran."

    def verifier(self, texte: str) -> tuple[Path | None, str | None]:
        """(the target, None) or (None, why it is refused)."""
        return chemin_saisi(texte, self.FORMATS_ACCEPTES)

    def on_mount(self) -> None:
        champ = self.query_one("#chemin", Input)
        champ.focus()
        champ.cursor_position = len(champ.value)

    def _dire(self, texte: str, erreur: bool = False) -> None:
        message = self.query_one("#message", Static)
        message.update(Text(texte))
        message.set_class(erreur, "erreur")

    @on(Input.Changed, "#chemin")
    def _nom_change(self) -> None:
        if self._remplacer is not None:
            self._remplacer = None
            self._dire(self.INDICATION)

    def action_valider(self) -> None:
        if self._en_cours:
            return
        chemin, erreur = self.verifier(self.query_one("#chemin", Input).value)
        if chemin is None:
            self._dire(erreur or "", erreur=True)
            return
        self._en_cours = True
        self._dire("Écriture…")
        self._ecrire_fichier(chemin, chemin == self._remplacer)

    @work(thread=True, exclusive=True, group="export-tableur")
    def _ecrire_fichier(self, chemin: Path, remplacer: bool) -> None:
        try:
            lignes = self._ecrire(chemin, remplacer)
        except RefusFichier as exc:
            self.post_message(Refuse(str(exc), exc.existe))
            return
        self.post_message(Ecrit(chemin, lignes))

    def on_refuse(self, message: Refuse) -> None:
        self._en_cours = False
        if message.existe:
            self._remplacer = Path(self.query_one("#chemin", Input).value.strip()).expanduser()
            self._dire("Ce fichier existe déjà : Entrée le remplace, ou changez le nom.", erreur=True)
        else:
            self._dire(f"Rien n'a été écrit : {message.raison.rstrip('.')}.", erreur=True)

    def on_ecrit(self, message: Ecrit) -> None:
        self.dismiss((message.chemin, message.lignes))

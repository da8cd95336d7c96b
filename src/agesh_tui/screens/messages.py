"""Mon compte › Mes messages (SPEC F2, guide §2.2): the journal of the
operations of the user's perimeter — scolarité or décision added, dossier
updated by an ERSEH, accompagnement created, modified or deleted… —, unread
first (« ● »), newest first, with the list tools of §4 (filter by kind, by
read or not, by secteur; search; sort). « l » marks read the selection or
the message under the cursor, « L » every message shown, « n » unread
again; Entrée shows a message in full (and marks it read). The marks are
the user's own; the texts are data, shown as plain text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from ..api.erreurs import StoreError
from ..api.vues_compte import LigneMessage
from ..engine.calendrier import format_date
from ..engine.regles.compte import NATURES_MESSAGE
from ..widgets.filtres import Filtre
from ..widgets.liste import Colonne, ListeDonnees
from ..widgets.outils_liste import OutilsListe
from .base import EcranMenu
from .preferences import ListeMemorisee

PREFERENCE = "messages"


@dataclass
class LignesMessages(Message):
    """The rows read by the worker, or why they could not be."""

    lignes: list[LigneMessage]
    erreur: str | None = None


@dataclass
class Marques(Message):
    """The worker wrote the marks: these ids are now ``lus`` (or not)."""

    ids: frozenset[int]
    lus: bool
    erreur: str | None = None


def _quand(ligne: LigneMessage) -> str:
    return f"{format_date(ligne.quand.date())} {ligne.quand:%H:%M}"


class Messages(ListeMemorisee, EcranMenu):
    MENU = "compte"
    PREFERENCE = PREFERENCE
    AIDE = (
        "Mes messages : le journal des opérations de votre périmètre (scolarité ou décision "
        "ajoutée, dossier mis à jour par l'ERSEH, accompagnement créé, modifié ou supprimé…), "
        "les non lus (●) d'abord, les plus récents d'abord. l marque comme lus les messages "
        "sélectionnés (Espace) ou celui du curseur, L tous ceux affichés, n remet en non lu ; "
        "Entrée affiche le message en entier. f filtre par nature, par lecture ou par secteur. "
        "Échap revient à Mon compte."
    )
    BINDINGS = [
        Binding("l", "marquer(True)", "Marquer lu", id="messages.lu"),
        Binding("L", "tout_lire", "Tout marquer lu", id="messages.tout_lu"),
        Binding("n", "marquer(False)", "Marquer non lu", id="messages.non_lu"),
        Binding("escape", "retour", "Retour", id="messages.retour"),
    ]
    CSS_PATH = "messages.tcss"

    def __init__(self) -> None:
        super().__init__()
        self._en_cours = False

    def contenu(self) -> ComposeResult:
        yield Static(self._titre(None), id="messages-titre")
        liste = ListeDonnees(self._colonnes(), cle_ligne=lambda l: str(l.id),
                             filtres=self._filtres(), id="messages")
        self.restaurer_choix(liste)
        yield OutilsListe(liste, unite=("message", "messages"), feminin=False,
                          today=self.app.today)
        yield Static(id="messages-texte")

    def _titre(self, lignes: Sequence[LigneMessage] | None) -> Text:
        titre = Text.assemble(("Mes messages", "bold"),
                              f" · périmètre : {self.app.session_ouverte.libelle_perimetre()}")
        if lignes is not None:
            non_lus = sum(not l.lu for l in lignes)
            titre.append(f" · {non_lus} non lu{'s' if non_lus > 1 else ''}" if non_lus
                         else " · tout est lu")
        return titre

    def on_mount(self) -> None:
        self.query_one(ListeDonnees).focus()
        self.query_one("#messages-texte", Static).display = False
        self._lire()

    # -- columns and filters ---------------------------------------------------------
    @staticmethod
    def _colonnes() -> list[Colonne]:
        # At 80 columns: the mark, the date and most of the text without scrolling sideways.
        return [
            Colonne("lu", "●", 1, lambda l: l.etat),
            Colonne("quand", "Date", 16, lambda l: l.quand, texte=_quand),
            Colonne("texte", "Message", 48, lambda l: l.texte),
            Colonne("nature", "Nature", 22, lambda l: l.libelle_nature),
            Colonne("secteur", "Secteur", 16, lambda l: l.secteur),
            Colonne("auteur", "Auteur", 18, lambda l: l.auteur),
        ]

    @staticmethod
    def _filtres() -> list[Filtre]:
        return [
            Filtre("nature", "Nature du message", "choix", lambda l: l.libelle_nature,
                   choix=tuple(libelle for libelle, _ in NATURES_MESSAGE.values()),
                   propose=True, court="nature"),
            Filtre("lecture", "Lu ou non lu", "choix", lambda l: l.lecture,
                   choix=("non lu", "lu"), propose=True, court="lecture"),
            Filtre("secteur", "Secteur", "choix", lambda l: l.secteur, court="secteur"),
        ]

    # -- reading -------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="messages-lignes")
    def _lire(self) -> None:
        try:
            message = LignesMessages(self.app.session_ouverte.messages())
        except StoreError as exc:
            message = LignesMessages([], str(exc))
        if not get_current_worker().is_cancelled:
            self.post_message(message)

    def on_lignes_messages(self, message: LignesMessages) -> None:
        if message.erreur is not None:
            self.notify(f"Vos messages n'ont pas pu être lus : {message.erreur}.",
                        severity="error", markup=False)
            return
        self.query_one(ListeDonnees).definir_lignes(message.lignes)
        self.query_one("#messages-titre", Static).update(self._titre(message.lignes))

    def donnees_rechargees(self) -> None:
        self._lire()  # new operations wrote new messages

    # -- marks ----------------------------------------------------------------------
    def action_marquer(self, lus: bool) -> None:
        liste = self.query_one(ListeDonnees)
        lignes = liste.selection() or [l for l in (liste.ligne_courante(),) if l is not None]
        self._marquer([l for l in lignes if l.lu != lus], lus)
        if len(lignes) == 1 and not liste.nombre_selectionne:
            liste.action_ligne(1)  # « l l l »: down the list, one message at a time

    def action_tout_lire(self) -> None:
        self._marquer([l for l in self.query_one(ListeDonnees).lignes_affichees() if not l.lu],
                      True)

    def _marquer(self, lignes: list[LigneMessage], lus: bool) -> None:
        if not lignes or self._en_cours:
            return
        self._en_cours = True
        self._ecrire(frozenset(i for l in lignes for i in l.ids), lus)

    @work(thread=True, group="messages-marques")
    def _ecrire(self, ids: frozenset[int], lus: bool) -> None:
        try:
            self.app.session_ouverte.marquer_messages(ids, lus)
        except StoreError as exc:
            self.post_message(Marques(ids, lus, str(exc)))
            return
        self.post_message(Marques(ids, lus))

    def on_marques(self, message: Marques) -> None:
        self._en_cours = False
        if message.erreur is not None:
            self.notify(f"Rien n'a été marqué : {message.erreur}.", severity="error",
                        markup=False)
            return
        liste = self.query_one(ListeDonnees)
        # In place: a message read stays where it is until the list is opened again.
        lignes = [replace(l, lu=message.lus) if l.id in message.ids else l for l in liste.lignes]
        liste.definir_lignes(lignes)
        if liste.nombre_selectionne:
            liste.action_vider_selection()
        self.query_one("#messages-titre", Static).update(self._titre(lignes))

    # -- one message in full -----------------------------------------------------------
    @on(ListeDonnees.LigneChoisie)
    def _afficher(self, event: ListeDonnees.LigneChoisie) -> None:
        ligne: LigneMessage = event.ligne
        texte = self.query_one("#messages-texte", Static)
        texte.update(Text.assemble((f"{_quand(ligne)} · {ligne.libelle_nature} · "
                                    f"{ligne.secteur} · {ligne.auteur}\n", "bold"), ligne.texte))
        texte.display = True
        if not ligne.lu:
            self._marquer([ligne], True)

    def action_retour(self) -> None:
        texte = self.query_one("#messages-texte", Static)
        if texte.display:  # Échap closes the message shown first
            texte.display = False
            return
        self.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("marquer", "tout_lire"):
            return not self._en_cours
        return True

"""« Courriel » (SPEC F12, guide §10.3): the synthèse of an établissement,
as a PDF, sent by e-mail to the établissement with copies typed by the
user. The preview shows what will leave — from, to, cc, subject, body, the
attachment's name and size, the server — before Ctrl+S sends it, once, in a
worker; the sending is journaled by the Session. A server that cannot be
reached or refuses the login: a French message, nothing sent."""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, Static

from ..api.erreurs import PermissionRefusee, RefusFichier
from ..api.session_documents import Courriel, CourrielImpossible
from ..documents.courriel import ConfigSmtp, lire_adresses
from ..widgets.export_document import taille_lisible
from .base import EcranMenu


@dataclass
class Prepare(Message):
    courriel: Courriel
    config: ConfigSmtp | None
    pas_de_config: str  # why there is no configuration (French), or ""


@dataclass
class Envoye(Message):
    courriel: Courriel
    refuses: list[str]


@dataclass
class NonEnvoye(Message):
    raison: str


class CourrielEtablissement(EcranMenu):
    """Dismissed with True once sent, None otherwise."""

    MENU = "editions"
    AIDE = (
        "Courriel : la synthèse de l'établissement (élèves notifiés et AESH accompagnateurs), en "
        "PDF, envoyée à l'adresse de l'établissement. « À » : l'adresse de l'établissement ; "
        "« Cc » : d'autres destinataires en copie, séparés par des virgules. L'aperçu montre le "
        "message tel qu'il partira. Ctrl+S l'envoie (une seule fois), Échap annule. Le serveur de "
        "courriel se configure dans config.toml ([courriel]) ou $AGESH_SMTP (docs/application.md)."
    )
    BINDINGS = [
        Binding("ctrl+s", "envoyer", "Envoyer", priority=True, id="courriel.envoyer"),
        Binding("escape", "annuler", "Annuler", id="courriel.annuler"),
    ]
    CSS_PATH = "courriel.tcss"

    def __init__(self, uai: str) -> None:
        super().__init__()
        self.uai = uai
        self._courriel: Courriel | None = None
        self._config: ConfigSmtp | None = None
        self._pas_de_config = ""
        self._en_cours = False

    def contenu(self) -> ComposeResult:
        nom = self.app.session_ouverte.libelle_etablissement(self.uai)
        yield Static(Text(f"Courriel — synthèse de {nom} ({self.uai})", style="bold"),
                     classes="detail-titre")
        with Horizontal(classes="champ"):
            yield Label("À ")
            yield Input(id="courriel-a", placeholder="adresse de l'établissement", disabled=True)
        with Horizontal(classes="champ"):
            yield Label("Cc")
            yield Input(id="courriel-cc", placeholder="en copie, séparées par des virgules",
                        disabled=True)
        yield Static(Text("Préparation de la synthèse…", style="italic"), id="courriel-message")
        with VerticalScroll(id="courriel-apercu"):
            yield Static(id="courriel-entetes")
            yield Static(id="courriel-corps")

    def on_mount(self) -> None:
        self._preparer()

    @work(thread=True, exclusive=True, group="courriel-preparer")
    def _preparer(self) -> None:
        # The PDF is laid out here: tens of milliseconds, off the event loop.
        session = self.app.session_ouverte
        try:
            config: ConfigSmtp | None = session.config_courriel()
            pourquoi = ""
        except CourrielImpossible as exc:
            config, pourquoi = None, str(exc)
        try:
            courriel = session.preparer_courriel(self.uai, config)
        except (RefusFichier, PermissionRefusee) as exc:  # gone, or out of the perimeter
            self.post_message(NonEnvoye(str(exc)))
            return
        self.post_message(Prepare(courriel, config, pourquoi))

    def on_prepare(self, message: Prepare) -> None:
        self._courriel, self._config = message.courriel, message.config
        self._pas_de_config = message.pas_de_config
        a = self.query_one("#courriel-a", Input)
        a.value = ", ".join(message.courriel.a)
        for champ in self.query(Input):
            champ.disabled = False
        (a if not a.value else self.query_one("#courriel-cc", Input)).focus()
        self._apercu()
        if self._pas_de_config:
            self._dire(f"Envoi impossible : {self._pas_de_config}", erreur=True)
        else:
            self._dire("Vérifiez l'aperçu, puis Ctrl+S pour envoyer.")

    def _dire(self, texte: str, erreur: bool = False) -> None:
        message = self.query_one("#courriel-message", Static)
        message.update(Text(texte))
        message.set_class(erreur, "erreur")

    def _saisi(self) -> tuple[Courriel | None, list[str]]:
        """The message with the addresses typed, and those refused."""
        if self._courriel is None:
            return None, []
        a, refus_a = lire_adresses(self.query_one("#courriel-a", Input).value)
        cc, refus_cc = lire_adresses(self.query_one("#courriel-cc", Input).value)
        return replace(self._courriel, a=tuple(a), cc=tuple(c for c in cc if c not in a)), refus_a + refus_cc

    @on(Input.Changed)
    def _change(self) -> None:
        if self._courriel is not None:
            self._apercu()

    def _apercu(self) -> None:
        courriel, refus = self._saisi()
        if courriel is None:
            return
        piece = courriel.piece
        lignes = [
            ("De", courriel.expediteur or "(aucune adresse d'expéditeur)"),
            ("À", ", ".join(courriel.a) or "(à indiquer)"),
            ("Cc", ", ".join(courriel.cc) or "—"),
            ("Objet", courriel.sujet),
            ("Pièce jointe", f"{piece.nom} ({taille_lisible(len(piece.contenu))}, PDF)"),
            ("Serveur", courriel.serveur or "non configuré"),
        ]
        entetes = Text("\n").join(Text.assemble((f"{k:<13}", "bold"), v) for k, v in lignes)
        if refus:
            entetes.append(f"\nAdresse(s) invalide(s) : {', '.join(refus)}", style="bold")
        self.query_one("#courriel-entetes", Static).update(entetes)
        self.query_one("#courriel-corps", Static).update(Text(courriel.corps))

    def action_envoyer(self) -> None:
        if self._en_cours or self._courriel is None:
            return
        if self._config is None:
            self._dire(f"Envoi impossible : {self._pas_de_config}", erreur=True)
            return
        courriel, refus = self._saisi()
        if refus:
            self._dire(f"Adresse(s) invalide(s) : {', '.join(refus)} — corrigez avant d'envoyer.",
                       erreur=True)
            return
        if courriel is None or not courriel.a:
            self._dire("Indiquez l'adresse de l'établissement (À).", erreur=True)
            return
        self._en_cours = True
        for champ in self.query(Input):
            champ.disabled = True
        self._dire(f"Envoi par {courriel.serveur}…")
        self._envoyer(courriel, self._config)

    @work(thread=True, exclusive=True, group="courriel-envoyer")
    def _envoyer(self, courriel: Courriel, config: ConfigSmtp) -> None:
        try:
            refuses = self.app.session_ouverte.envoyer_courriel(courriel, config)
        except CourrielImpossible as exc:
            self.post_message(NonEnvoye(str(exc)))
            return
        self.post_message(Envoye(courriel, refuses))

    def on_non_envoye(self, message: NonEnvoye) -> None:
        self._en_cours = False
        for champ in self.query(Input):
            champ.disabled = False
        self._dire(f"Non envoyé : {message.raison}", erreur=True)

    def on_envoye(self, message: Envoye) -> None:
        c = message.courriel
        refuses = message.refuses
        self.notify(f"Synthèse envoyée à {', '.join(c.a)}"
                    + (f" (copie : {', '.join(c.cc)})" if c.cc else "") + "."
                    + (f" Refusé par le serveur : {', '.join(refuses)}." if refuses else ""),
                    title="Courriel", markup=False, severity="warning" if refuses else "information",
                    timeout=12 if refuses else 5)
        self.dismiss(True)

    def action_annuler(self) -> None:
        if not self._en_cours:
            self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "envoyer":
            return self._courriel is not None and not self._en_cours
        return True

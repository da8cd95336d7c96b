"""Connexion (SPEC F1, guide §1.2): identifiant and the 6-digit code of the
OTP key. The rules (drift, replay, growing wait, journal) live in api.auth;
this screen only asks, shows the French answer, and hands the user on."""

from __future__ import annotations

import os
import shlex
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, Static

from ..api.auth import CODE_REJOUE, ResultatConnexion
from ..api.base import Base
from ..api.erreurs import BaseOccupee, StoreError
from ..widgets.base import EcranAgesh
from ..widgets.entete import Entete
from ..widgets.pied import PiedDePage

ESSAIS_BASE_OCCUPEE = 6  # × the store's own wait (10 s): a long import ends meanwhile
PAUSE_ENTRE_ESSAIS = 1.0
PAS_TOTP = 30  # seconds a code of the key lasts (RFC 6238, api.auth)


def raccourcir(chemin: str) -> str:
    """A path to type in a shell, the home folder as « ~ » (shorter on
    screen, same for the shell): « ~/.local/share/agesh-tui/demo.sqlite3 »."""
    maison = Path.home()
    try:
        reste = Path(chemin).resolve().relative_to(maison.resolve())
    except (ValueError, OSError):
        return shlex.quote(chemin)
    return "~/" + shlex.quote(str(reste)) if str(reste) != "." else "~"


def commande_otp(base: Base) -> tuple[str, str]:
    """The command that gives a demo code, in two pieces that a narrow
    screen puts on two lines: the program and login, then ``--db`` (when it
    is not the default base, so that the copied command works)."""
    # A launcher that runs agesh from a venv says how to reach it from
    # another terminal, where that venv is not on the PATH.
    programme = os.environ.get("AGESH_COMMANDE")
    debut = f"{raccourcir(programme) if programme else 'agesh'} otp demo.gestionnaire"
    option = base.option_db()
    return debut, f"--db {raccourcir(option)}" if option else ""


def secondes_avant_code_suivant(instant: datetime) -> int:
    return PAS_TOTP - int(instant.timestamp()) % PAS_TOTP


class IndicationDemo(Static):
    """How to get a code on a demo base: the command on lines of its own,
    never cut — split before ``--db`` with a shell continuation (« \\ »)
    when it is wider than the screen, so that it still copies and runs."""

    def __init__(self, commande: tuple[str, str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.commande = commande

    def on_resize(self) -> None:
        debut, db = self.commande
        une_ligne = f"  {debut} {db}".rstrip()
        if len(une_ligne) <= self.content_size.width:
            lignes = [une_ligne]
        else:
            lignes = [f"  {debut} \\", f"      {db}"]
        texte = Text("Base de démonstration : obtenez un code dans un autre terminal avec\n")
        texte.append("\n".join(lignes), style="bold")
        texte.append("\n(ou demo.superviseur, qui a les deux profils).")
        self.update(texte)


@dataclass
class Attente(Message):
    """The base is held by another process: the attempt is tried again."""

    essai: int


@dataclass
class Reponse(Message):
    resultat: ResultatConnexion | None
    erreur: str = ""


class Connexion(EcranAgesh):
    AIDE = (
        "Connexion : saisissez votre identifiant académique puis le code à 6 chiffres "
        "affiché par votre clé OTP (ou votre application d'authentification)."
    )
    BINDINGS = [Binding("enter", "valider", "Se connecter", id="connexion.valider")]

    def __init__(self) -> None:
        super().__init__()
        self._instant: datetime | None = None  # of the attempt being checked

    def compose(self) -> ComposeResult:
        yield Entete()
        with Center():
            with Vertical(id="connexion"):
                yield Static("Connexion à AGESH", id="connexion-titre")
                yield Label("Identifiant")
                yield Input(placeholder="prenom.nom", id="login", max_length=64)
                yield Label("Code de la clé OTP (6 chiffres)")
                # Not « •••••• »: that reads as a code already typed.
                yield Input(
                    placeholder="6 chiffres", id="code", password=True, max_length=7,
                    restrict=r"[0-9 ]*",
                )
                yield Button("Se connecter", id="valider", variant="primary")
                yield Static("", id="message", markup=False)
        if self.app.base.est_demo:
            yield IndicationDemo(commande_otp(self.app.base), id="indication-demo")
        yield PiedDePage()

    @on(Input.Submitted, "#login")
    def _login_saisi(self) -> None:
        self.query_one("#code", Input).focus()

    @on(Input.Submitted, "#code")
    @on(Button.Pressed, "#valider")
    def action_valider(self) -> None:
        login = self.query_one("#login", Input).value.strip()
        champ_code = self.query_one("#code", Input)
        if not login:
            self._dire("✖ Saisissez votre identifiant.")
            self.query_one("#login", Input).focus()
            return
        if not champ_code.value.strip():
            self._dire("✖ Saisissez le code à 6 chiffres de votre clé OTP.")
            champ_code.focus()
            return
        # Off the event loop: the check writes (the attempt is journaled)
        # and may wait for another session holding the base.
        self._instant = self.app.horloge()
        self._verifier(login, champ_code.value, self._instant)
        champ_code.value = ""
        self.query_one("#valider", Button).disabled = True

    @work(thread=True, exclusive=True, group="connexion", exit_on_error=False)
    def _verifier(self, login: str, code: str, instant) -> None:
        for essai in range(1, ESSAIS_BASE_OCCUPEE + 1):
            try:
                resultat = self.app.base.connexion(login, code, instant)
            except BaseOccupee:
                self.post_message(Attente(essai))
                time.sleep(PAUSE_ENTRE_ESSAIS)
                continue
            except StoreError as exc:
                self.post_message(Reponse(None, str(exc)))
                return
            self.post_message(Reponse(resultat))
            return
        self.post_message(Reponse(None, "la base est restée occupée par un autre traitement ; "
                                        "réessayez dans un moment"))

    def on_attente(self, message: Attente) -> None:
        self._dire(f"⏳ Base occupée par un autre traitement : nouvelle tentative ({message.essai}/"
                   f"{ESSAIS_BASE_OCCUPEE})…")

    def on_reponse(self, message: Reponse) -> None:
        self.query_one("#valider", Button).disabled = False
        champ_code = self.query_one("#code", Input)
        resultat = message.resultat
        if resultat is None:
            self._dire(f"✖ Connexion impossible : {message.erreur}.")
            champ_code.focus()
            return
        if not resultat.ok:
            texte = resultat.message
            if texte.startswith(CODE_REJOUE) and self._instant is not None:
                # The key shows the next code at the next 30 s step: say when.
                secondes = secondes_avant_code_suivant(self._instant)
                texte = texte.replace(CODE_REJOUE, f"{CODE_REJOUE} (dans {secondes} s)", 1)
            self._dire(f"✖ {texte[0].upper()}{texte[1:]}.")
            champ_code.focus()
            return
        self._dire(f"✔ {resultat.message}")
        if resultat.utilisateur is None:  # an accepted login always carries its user
            raise RuntimeError("Connexion acceptée sans utilisateur.")
        self.app.connecte(resultat.utilisateur)

    def _dire(self, texte: str) -> None:
        message = self.query_one("#message", Static)
        message.update(texte)
        message.set_class(texte.startswith("✖"), "erreur")

"""Connexion (SPEC F1, guide §1.2): identifiant and the 6-digit code of the
OTP key. The rules (drift, replay, growing wait, journal) live in api.auth;
this screen only asks, shows the French answer, and hands the user on."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Static

from ..api.auth import verifier
from ..widgets.entete import Entete


class Connexion(Screen):
    AIDE = (
        "Connexion : saisissez votre identifiant académique puis le code à 6 chiffres "
        "affiché par votre clé OTP (ou votre application d'authentification)."
    )
    BINDINGS = [Binding("enter", "valider", "Se connecter")]

    def compose(self) -> ComposeResult:
        yield Entete()
        with Center():
            with Vertical(id="connexion"):
                yield Static("Connexion à AGESH", id="connexion-titre")
                yield Label("Identifiant")
                yield Input(placeholder="prenom.nom", id="login", max_length=64)
                yield Label("Code de la clé OTP (6 chiffres)")
                yield Input(
                    placeholder="••••••", id="code", password=True, max_length=7,
                    restrict=r"[0-9 ]*",
                )
                yield Button("Se connecter", id="valider", variant="primary")
                yield Static("", id="message", markup=False)
        indication = self.app.indication_otp()
        if indication:
            yield Static(indication, id="indication-demo", markup=False)
        yield Footer()

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
        resultat = verifier(self.app.store, login, champ_code.value, self.app.horloge())
        champ_code.value = ""
        if not resultat.ok:
            self._dire(f"✖ {resultat.message[0].upper()}{resultat.message[1:]}.")
            champ_code.focus()
            return
        self._dire(f"✔ {resultat.message}")
        self.app.connecte(resultat.utilisateur)

    def _dire(self, texte: str) -> None:
        message = self.query_one("#message", Static)
        message.update(texte)
        message.set_class(texte.startswith("✖"), "erreur")

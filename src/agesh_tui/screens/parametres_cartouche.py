"""« Cartouche courrier » (guide §3.2, SPEC F4): the fields the PV
d'affectation print — académie, service, adresse, signataire… —, every one
required, each checked as it is typed; Ctrl+S saves (superviseur)."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from ..engine.regles.parametres import CHAMPS_CARTOUCHE, LONGUEUR_MAX_CHAMP, refus_cartouche
from ..widgets.saisie import LigneSaisie, champ_texte
from .parametres_saisie import EcranParametre
from .saisie import Enregistre


class ParametresCartouche(EcranParametre):
    AIDE = (
        "Cartouche courrier : les informations imprimées sur les PV d'affectation des AESH au "
        "PIAL (académie, service, division, adresse, code postal, ville, téléphone, courriel, "
        "signataire et sa qualité). Tous les champs sont obligatoires. Ctrl+S enregistre ; Échap "
        "abandonne (deux fois quand la saisie a changé)."
    )

    def __init__(self) -> None:
        super().__init__()
        self._origine: dict[str, str] = {}

    def contenu(self) -> ComposeResult:
        self._origine = self.app.session_ouverte.cartouche()
        with VerticalScroll(id="saisie"):
            yield Static(Text("Cartouche courrier", style="bold"), id="saisie-titre")
            yield Static(Text("Imprimée sur les PV d'affectation : tous les champs sont "
                              "obligatoires."), classes="saisie-note")
            for champ, libelle in CHAMPS_CARTOUCHE:
                yield LigneSaisie(libelle, champ_texte(self._origine.get(champ, ""), champ,
                                                       max_length=LONGUEUR_MAX_CHAMP), champ=champ)
            yield Static(id="saisie-message")

    def on_mount(self) -> None:
        self.verifier()
        self.query_one(f"#{CHAMPS_CARTOUCHE[0][0]}", Input).focus()

    def valeurs(self) -> dict[str, str]:
        return {champ: self.query_one(f"#{champ}", Input).value for champ, _ in CHAMPS_CARTOUCHE}

    def modifie(self) -> bool:
        return any(v.strip() != self._origine.get(c, "").strip() for c, v in self.valeurs().items())

    @on(Input.Changed)
    def _changement(self) -> None:
        self.verifier()

    def verifier(self) -> list:
        refus = refus_cartouche(self.valeurs())
        par_champ = {r.regle: r.message for r in reversed(refus)}
        for champ, _ in CHAMPS_CARTOUCHE:
            self.ligne(champ).dire(par_champ.get(champ, ""))
        return refus

    def enregistrer(self) -> None:
        if self.verifier():
            self.refus_a_corriger()
            return
        if not self.modifie():
            self.dire("Aucun changement : rien à enregistrer.", refus=False)
            return
        self.ecrire(partial(self.app.session_ouverte.enregistrer_cartouche, self.valeurs()))

    def on_enregistre(self, message: Enregistre) -> None:
        self._en_cours = False
        self._origine = self.app.session_ouverte.cartouche()
        self.app.signal_donnees.publish(None)
        self.notify("Cartouche courrier enregistrée.", title="Paramètres", markup=False)
        self.dismiss(True)

    def donnees_rechargees(self) -> None:
        # A field left as it opened takes the value another session gave it;
        # what was typed here stays.
        actuelle = self.app.session_ouverte.cartouche()
        for champ, valeur in self.valeurs().items():
            if valeur == self._origine.get(champ, "") and actuelle.get(champ, "") != valeur:
                self.query_one(f"#{champ}", Input).value = actuelle.get(champ, "")
        self._origine = actuelle
        self.verifier()

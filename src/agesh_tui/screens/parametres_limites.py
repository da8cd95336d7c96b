"""« Limites des propositions » (SPEC §2.8, paramètres du département): the
distance AESH → établissement, the établissements per AESH and the AESH per
décision a plan d'affectation may not exceed. Each value checked as it is
typed, its refusal next to its field; Ctrl+S saves (superviseur)."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from ..engine.modele.model import Limites
from ..engine.nombres import lire_nombre, nombre
from ..engine.regles.propositions import refus_limites
from ..widgets.saisie import LigneSaisie, champ_texte
from .parametres_saisie import EcranParametre
from .saisie import Enregistre

# field id, label, Limites attribute, whole number
CHAMPS = (
    ("distance", "Distance max", "distance_max_km", False),
    ("etablissements", "Établ./AESH", "etablissements_par_aesh", True),
    ("aesh", "AESH/décision", "aesh_par_decision", True),
)
SENS = {
    "distance": "km au plus entre la résidence de l'AESH et l'établissement",
    "etablissements": "établissements au plus pour un AESH sur la période",
    "aesh": "AESH au plus pour un élève sur une décision",
}


class ParametresLimites(EcranParametre):
    AIDE = (
        "Limites des propositions d'affectation : la distance maximale (km) entre la résidence "
        "d'un AESH et l'établissement, le nombre maximal d'établissements par AESH et d'AESH par "
        "élève. Valeurs par défaut : 20 km, 3, 2. Ctrl+S enregistre ; Échap abandonne (deux fois "
        "quand la saisie a changé)."
    )

    def __init__(self) -> None:
        super().__init__()
        self._origine = Limites()

    def contenu(self) -> ComposeResult:
        self._origine = self.app.session_ouverte.limites_propositions()
        with VerticalScroll(id="saisie"):
            yield Static(Text("Limites des propositions d'affectation", style="bold"),
                         id="saisie-titre")
            yield Static(Text("Par défaut : 20 km, 3 établissements par AESH, 2 AESH par élève."),
                         classes="saisie-note")
            for ident, libelle, attribut, _ in CHAMPS:
                valeur = nombre(getattr(self._origine, attribut), 2)
                yield LigneSaisie(libelle, champ_texte(valeur, ident, max_length=8), champ=ident)
            yield Static(id="saisie-message")

    def on_mount(self) -> None:
        self.verifier()
        self.query_one("#distance", Input).focus()

    def _textes(self) -> dict[str, str]:
        return {ident: self.query_one(f"#{ident}", Input).value for ident, *_ in CHAMPS}

    def modifie(self) -> bool:
        return self._textes() != {i: nombre(getattr(self._origine, a), 2) for i, _, a, _ in CHAMPS}

    @on(Input.Changed)
    def _changement(self) -> None:
        self.verifier()

    def verifier(self) -> Limites | None:
        """The limits typed, or None when a field refuses its value."""
        valeurs: dict[str, float | int] = {}
        bon = True
        for ident, libelle, attribut, entier in CHAMPS:
            ligne = self.ligne(ident)
            lu = lire_nombre(self.query_one(f"#{ident}", Input).value)
            if lu is None or (entier and lu != int(lu)):
                ligne.dire(f"{libelle} : {'un nombre entier' if entier else 'un nombre (12,5)'}.")
                bon = False
                continue
            valeur: float | int = int(lu) if entier else float(lu)
            refus = refus_limites(replace(Limites(), **{attribut: valeur}))  # type: ignore[arg-type]
            if refus:
                ligne.dire(refus[0].message)
                bon = False
                continue
            valeurs[attribut] = valeur
            ligne.dire(SENS[ident], refus=False)
        return Limites(**valeurs) if bon else None  # type: ignore[arg-type]

    def enregistrer(self) -> None:
        limites = self.verifier()
        if limites is None:
            self.refus_a_corriger()
            return
        if limites == self._origine:
            self.dire("Aucun changement : rien à enregistrer.", refus=False)
            return
        self.ecrire(partial(self.app.session_ouverte.enregistrer_limites_propositions, limites))

    def on_enregistre(self, message: Enregistre) -> None:
        self._en_cours = False
        self._origine = self.app.session_ouverte.limites_propositions()
        self.app.signal_donnees.publish(None)
        self.refresh_bindings()
        self.notify("Limites des propositions enregistrées.", title="Paramètres", markup=False)
        self.dismiss(True)

    def donnees_rechargees(self) -> None:
        # The form keeps what was typed; what it compares with follows the base.
        self._origine = self.app.session_ouverte.limites_propositions()
        self.verifier()

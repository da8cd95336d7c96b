"""« Temps de travail » (guide §3.1, SPEC F4): the références — weekly
hours of a full-time contract per contrat and base RH — that give the
weekly volume of the RH missions whose extract has only a quotité. Creating
or changing one updates those volumes at once; Ctrl+U forces the update
(« forcer la mise à jour »). Both run in a thread worker."""

from __future__ import annotations

from functools import partial

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Input, Select, Static

from ..api.session_parametres import BilanReferences
from ..engine.nombres import heures, lire_nombre
from ..engine.regles.parametres import BASES_RH, refus_reference
from ..engine.texte import propre
from ..widgets.saisie import LigneSaisie, champ_texte, texte_select
from .parametres_saisie import EcranParametre
from .saisie import Enregistre


def bilan_texte(bilan: BilanReferences) -> str:
    n = len(bilan.missions_modifiees)
    texte = ("Aucun volume de mission n'a changé." if n == 0 else
             f"{n} mission{'s' if n > 1 else ''} : volume hebdomadaire mis à jour.")
    for avertissement in bilan.avertissements:
        texte += f"\nAttention : {avertissement}."
    return texte


class ParametresTemps(EcranParametre):
    AIDE = (
        "Références de temps de travail : les heures hebdomadaires d'un contrat à temps plein, "
        "par contrat et base RH (EPP, ASSED). Elles donnent le volume des missions RH dont "
        "l'extrait n'a qu'une quotité. Saisir un contrat et une base existants modifie leur "
        "référence. Ctrl+S enregistre et met à jour les volumes ; Ctrl+U force la mise à jour "
        "sans rien changer aux références."
    )
    BINDINGS = [
        Binding("ctrl+u", "forcer", "Forcer la mise à jour", priority=True,
                id="parametres.forcer_temps"),
    ]

    def contenu(self) -> ComposeResult:
        references = self.app.session_ouverte.references_temps()
        contrats = sorted({r.contrat for r in references} | {"CDD", "CDI"})
        with VerticalScroll(id="saisie"):
            yield Static(Text("Références de temps de travail", style="bold"), id="saisie-titre")
            yield Static(self._tableau(), id="temps-references")
            yield Static(Text("Créer ou modifier une référence :"), classes="saisie-section")
            yield LigneSaisie("Contrat", champ_texte("", "contrat", max_length=20, placeholder="CDD",
                                                     suggester=SuggestFromList(contrats)),
                              champ="contrat")
            yield LigneSaisie("Base RH", Select([(b, b) for b in BASES_RH], prompt="choisir",
                                                compact=True, id="base"), champ="base")
            yield LigneSaisie("Heures", champ_texte("", "heures", max_length=6,
                                                    restrict=r"[0-9,.]*", placeholder="par ex. 41"),
                              champ="heures")
            yield Static(id="saisie-message")

    def _tableau(self) -> Table | Text:
        references = self.app.session_ouverte.references_temps()
        if not references:
            return Text("Aucune référence : les missions sans volume propre ont un volume de 0 h.")
        grille = Table(box=None, padding=(0, 2), show_edge=False)
        grille.add_column("Contrat")
        grille.add_column("Base RH")
        grille.add_column("Temps plein", justify="right")
        for r in references:
            grille.add_row(Text(propre(r.contrat)), Text(propre(r.base)), heures(r.heures))
        return grille

    def on_mount(self) -> None:
        self.query_one("#contrat", Input).focus()

    def _saisie(self) -> tuple[str, str, str]:
        return (self.query_one("#contrat", Input).value, texte_select(self.query_one("#base", Select)),
                self.query_one("#heures", Input).value)

    def modifie(self) -> bool:
        return any(self._saisie())

    @on(Input.Changed)
    @on(Select.Changed)
    def _changement(self) -> None:
        self.verifier()

    def verifier(self, tout: bool = False) -> list:
        contrat, base, texte = self._saisie()
        lu = lire_nombre(texte)
        refus = refus_reference(contrat, base, lu if lu is not None else float("nan"))
        par_champ = {r.regle: r.message for r in reversed(refus)}
        saisis = {"contrat": contrat, "base": base, "heures": texte}
        for champ in ("contrat", "base", "heures"):
            self.ligne(champ).dire(par_champ.get(champ, "") if tout or saisis[champ] else "")
        if not refus:
            existante = next((r for r in self.app.session_ouverte.references_temps()
                              if (r.contrat, r.base) == (contrat.strip(), base)), None)
            self.ligne("heures").dire(
                f"remplace {heures(existante.heures)}" if existante else "nouvelle référence",
                refus=False)
        return refus

    def enregistrer(self) -> None:
        if self.verifier(tout=True):
            self.refus_a_corriger()
            return
        contrat, base, texte = self._saisie()
        lu = lire_nombre(texte)
        assert lu is not None, "verifier refuses an unreadable number"
        self.dire("Enregistrement et mise à jour des volumes…", refus=False)
        self.ecrire(partial(self.app.session_ouverte.enregistrer_reference, contrat.strip(), base, lu))

    def action_forcer(self) -> None:
        if self._en_cours:
            return
        if not self.app.session_ouverte.superviseur:
            self.dire("Réservé au profil Superviseur AESH : rien n'a été mis à jour.")
            return
        self.dire("Mise à jour des volumes des missions…", refus=False)
        self.ecrire(self.app.session_ouverte.forcer_temps_de_travail)

    def on_enregistre(self, message: Enregistre) -> None:
        self._en_cours = False
        self.refresh_bindings()
        assert isinstance(message.resultat, BilanReferences)
        for champ in ("#contrat", "#heures"):
            self.query_one(champ, Input).value = ""
        self.query_one("#base", Select).clear()
        self.query_one("#temps-references", Static).update(self._tableau())
        self.app.signal_donnees.publish(None)
        self.verifier()
        self.dire(f"Enregistré. {bilan_texte(message.resultat)}", refus=False)

    def donnees_rechargees(self) -> None:
        self.query_one("#temps-references", Static).update(self._tableau())
        self.verifier()

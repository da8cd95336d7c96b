"""Paramètres département (SPEC F4, guide §3 — superviseur only): the
hub listing the five settings, each with what it holds now; Entrée opens
its form."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..api.erreurs import PermissionRefusee
from ..engine.calendrier import annee_scolaire, libelle_annee
from ..engine.nombres import nombre
from ..engine.regles.parametres import CHAMPS_CARTOUCHE
from .base import EcranMenu
from .parametres_cartouche import ParametresCartouche
from .parametres_formule import ParametresFormule
from .parametres_limites import ParametresLimites
from .parametres_recalcul import ParametresRecalcul, quand
from .parametres_temps import ParametresTemps

# id, title, the screen
SECTIONS: tuple[tuple[str, str, Callable[[], Screen]], ...] = (
    ("temps", "Temps de travail", ParametresTemps),
    ("cartouche", "Cartouche courrier", ParametresCartouche),
    ("formule", "Expression du besoin", ParametresFormule),
    ("recalcul", "Recalcul des agrégats", ParametresRecalcul),
    ("limites", "Limites des propositions", ParametresLimites),
)


class Parametres(EcranMenu):
    MENU = "parametres"
    AIDE = (
        "Paramètres du département (profil Superviseur AESH) : références de temps de travail, "
        "cartouche courrier des PV d'affectation, formule d'expression du besoin par année "
        "scolaire, recalcul des agrégats des PIAL, limites des propositions d'affectation. "
        "↑ ↓ pour choisir, Entrée ouvre."
    )
    BINDINGS = [Binding("enter", "ouvrir", "Ouvrir", id="parametres.ouvrir")]
    CSS_PATH = "parametres.tcss"

    def contenu(self) -> ComposeResult:
        with VerticalScroll(id="parametres"):
            yield Static(Text("Paramètres du département", style="bold"), id="parametres-titre")
            try:
                options = self._options()
            except PermissionRefusee as exc:
                yield Static(Text(f"Paramètres du département : {exc}"), id="parametres-refus")
                return
            yield OptionList(*options, id="parametres-sections")

    def _options(self) -> list[Option]:
        session = self.app.session_ouverte
        annee = annee_scolaire(self.app.today)
        references = session.references_temps()
        cartouche = session.cartouche()
        texte_formule, _ = session.formule(annee)
        instant, a_jour = session.dernier_recalcul(annee)
        limites = session.limites_propositions()
        manque = sum(not cartouche.get(c, "").strip() for c, _ in CHAMPS_CARTOUCHE)
        resumes = {
            "temps": f"{len(references)} référence{'s' if len(references) > 1 else ''} "
                     "(heures d'un temps plein par contrat et base RH)",
            "cartouche": "complète" if not manque else f"{manque} champ{'s' if manque > 1 else ''} "
                                                        "à remplir",
            "formule": f"{libelle_annee(annee)} : "
                       + ("formule du département" if texte_formule else "recommandation nationale"),
            "recalcul": f"{libelle_annee(annee)} : " + (
                "jamais calculés" if instant is None else
                f"{quand(instant)}, {'à jour' if a_jour else 'à relancer'}"),
            "limites": f"{nombre(limites.distance_max_km)} km, {limites.etablissements_par_aesh} "
                       f"établissements par AESH, {limites.aesh_par_decision} AESH par élève",
        }
        return [Option(Text.assemble((titre, "bold"), "\n  ", resumes[ident]), id=ident)
                for ident, titre, _ in SECTIONS]

    def on_mount(self) -> None:
        for liste in self.query(OptionList):
            liste.focus()

    def action_ouvrir(self) -> None:
        listes = list(self.query(OptionList))
        if listes and listes[0].highlighted is not None:
            self._ouvrir(listes[0].get_option_at_index(listes[0].highlighted).id)

    @on(OptionList.OptionSelected)
    def _choisie(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._ouvrir(event.option.id)

    def _ouvrir(self, ident: str | None) -> None:
        ecran = next((fabrique for i, _, fabrique in SECTIONS if i == ident), None)
        if ecran is not None:
            self.app.push_screen(ecran(), lambda _: self.donnees_rechargees())

    def donnees_rechargees(self) -> None:
        listes = list(self.query(OptionList))
        if not listes:
            return
        liste, surligne = listes[0], listes[0].highlighted
        liste.clear_options()
        liste.add_options(self._options())
        liste.highlighted = surligne

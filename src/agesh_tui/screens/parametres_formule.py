"""« Expression du besoin » (SPEC §2.5, F4, guide §3.3): the formula of a
school year, checked as it is typed — an error says where, a caret under
the column —, and beside it what it would give: the guide's cM examples,
the besoin of the département and of each PIAL. The preview is computed
in a thread worker, a few milliseconds after the last key (debounced), so
that typing never waits for it. Ctrl+S saves (superviseur); a recalcul of
the aggregates is then needed (Recalcul)."""

from __future__ import annotations

from functools import partial

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.timer import Timer
from textual.widgets import Input, Select, Static

from ..engine.calendrier import annee_scolaire, libelle_annee
from ..engine.nombres import heures
from ..engine.regles.apercu_besoin import Apercu
from ..engine.regles.formule import FORMULE_PAR_DEFAUT, MAX_LENGTH
from ..engine.texte import propre
from ..widgets.saisie import LigneSaisie
from .parametres_saisie import EcranParametre
from .saisie import Enregistre

# Seconds after the last key before the preview is computed.
DELAI_APERCU = 0.05
# PIAL listed in the preview (the largest besoins first).
PIAL_MONTRES = 12


def texte_erreur(texte: str, apercu: Apercu) -> Text:
    """« colonne 7 : … », the formula's line, a caret under the column."""
    erreur = apercu.erreur
    assert erreur is not None
    pos = min(erreur.position, len(texte))
    debut = max(0, pos - 50)  # the part around the column, on one line
    extrait = propre(texte[debut:pos + 20].replace("\t", " "))
    out = Text(f"Formule invalide, {erreur}\n", style="bold")
    # No-break spaces: a wrapped line's leading spaces would be dropped.
    retrait = "\u00a0" * 2
    out.append(f"{retrait}{extrait}\n{retrait}{chr(0xa0) * (pos - debut)}^")
    return out


class ParametresFormule(EcranParametre):
    AIDE = (
        "Expression du besoin : la formule qui donne les heures hebdomadaires des décisions "
        "mutualisées d'une année scolaire (variables cM, cI, hI ; + - * / %, comparaisons, "
        "&& || !, c ? a : b, intdiv, min, max, round, floor, ceil, abs). Elle est vérifiée à "
        "chaque touche : une erreur dit à quelle colonne ; à côté, ce qu'elle donnerait pour les "
        "exemples du guide, pour le département et pour chaque PIAL. Ctrl+S enregistre ; Ctrl+N "
        "remet la recommandation nationale. Après un changement, recalculez les agrégats "
        "(Paramètres › Recalcul des agrégats, ou r dans le tableau des PIAL)."
    )
    BINDINGS = [
        Binding("ctrl+n", "recommandation", "Recommandation nationale",
                id="parametres.formule_nationale"),
    ]

    def __init__(self, annee: int | None = None) -> None:
        super().__init__()
        self.annee = annee
        self._stockee: str | None = None
        self._version = 0
        self._minuteur: Timer | None = None
        self.apercu: Apercu | None = None  # the preview shown (tests)

    def contenu(self) -> ComposeResult:
        if self.annee is None:
            self.annee = annee_scolaire(self.app.today)
        self._lire()
        annees = [(libelle_annee(a), a) for a in range(self.annee - 1, self.annee + 2)]
        with VerticalScroll(id="saisie"):
            yield Static(Text("Expression du besoin d'aide humaine mutualisée", style="bold"),
                         id="saisie-titre")
            yield LigneSaisie("Année", Select(annees, value=self.annee, allow_blank=False,
                                              compact=True, id="annee"), champ="annee")
            yield Static(Text(self._origine_texte()), id="formule-origine", classes="saisie-note")
            yield Input(self._texte_initial(), id="formule", max_length=MAX_LENGTH, compact=True)
            yield Static(id="formule-message")
            # Above the preview, which may run below the screen: always seen.
            yield Static(id="saisie-message")
            yield Static(id="formule-apercu")

    def _lire(self) -> None:
        assert self.annee is not None
        self._stockee, self._version = self.app.session_ouverte.formule(self.annee)

    def _texte_initial(self) -> str:
        return self._stockee if self._stockee is not None else FORMULE_PAR_DEFAUT

    def _origine_texte(self) -> str:
        if self._stockee is None:
            return ("Aucune formule enregistrée pour cette année : la recommandation nationale "
                    "s'applique.")
        return "Formule enregistrée pour cette année (variables cM, cI, hI)."

    def on_mount(self) -> None:
        self.query_one("#formule", Input).focus()
        self._calculer(self.query_one("#formule", Input).value)

    # -- the entry ------------------------------------------------------------------------
    @property
    def texte(self) -> str:
        return self.query_one("#formule", Input).value

    def modifie(self) -> bool:
        return self.texte != self._texte_initial()

    @on(Input.Changed, "#formule")
    def _formule_changee(self) -> None:
        if self._minuteur is not None:
            self._minuteur.stop()
        self._minuteur = self.set_timer(DELAI_APERCU, lambda: self._calculer(self.texte))

    @on(Select.Changed, "#annee")
    def _annee_changee(self, event: Select.Changed) -> None:
        if not isinstance(event.value, int) or event.value == self.annee:
            return
        garder = self.modifie()  # what was typed stays, for another year
        self.annee = event.value
        self._lire()
        self.query_one("#formule-origine", Static).update(Text(self._origine_texte()))
        if not garder:
            self.query_one("#formule", Input).value = self._texte_initial()
        self._calculer(self.texte)

    def action_recommandation(self) -> None:
        self.query_one("#formule", Input).value = FORMULE_PAR_DEFAUT

    # -- the preview ------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="parametres-apercu")
    def _calculer(self, texte: str) -> None:
        assert self.annee is not None
        apercu = self.app.session_ouverte.apercu_besoin(self.annee, texte)
        self.app.call_from_thread(self._afficher, texte, apercu)

    def _afficher(self, texte: str, apercu: Apercu) -> None:
        if texte != self.texte or not self.is_mounted:
            return  # typed on since: the next preview comes
        self.apercu = apercu
        message = self.query_one("#formule-message", Static)
        if apercu.erreur is not None:
            message.update(texte_erreur(texte, apercu))
            message.set_class(True, "refus")
            self.query_one("#formule-apercu", Static).update("")
            return
        message.update(Text("Formule valide."))
        message.set_class(False, "refus")
        self.query_one("#formule-apercu", Static).update(self._tableau(apercu))

    def _en_vigueur(self, apercu: Apercu) -> Apercu | None:
        """The preview of the formula in force (stored, else the national
        one) when the text typed is another: what the change does. From the
        counts the worker just used, a few microseconds."""
        en_vigueur = self._stockee if self._stockee is not None else FORMULE_PAR_DEFAUT
        if self.texte == en_vigueur:
            return None
        avant = self.app.session_ouverte.apercu_besoin(self.annee or 0, en_vigueur)
        return avant if avant.valide else None

    def _tableau(self, apercu: Apercu) -> Group:
        avant = self._en_vigueur(apercu)
        entete = Table.grid(padding=(0, 2))
        entete.add_column(style="bold", no_wrap=True)
        entete.add_column()
        exemples = " · ".join(f"{cm} → {heures(h)}" for cm, h in apercu.exemples)
        entete.add_row("Exemples", Text(exemples))
        total = f"{heures(apercu.total)} par semaine ({len(apercu.besoins)} PIAL)"
        if avant is not None:
            total += f", {heures(avant.total)} avec la formule en vigueur"
        entete.add_row("Département", Text(total))
        # One column per figure, the hours right-aligned: they read down.
        grille = Table.grid(padding=(0, 2))
        grille.add_column(style="bold", no_wrap=True)
        grille.add_column(justify="right", no_wrap=True)
        if avant is not None:
            grille.add_column(justify="right", no_wrap=True, style="dim")
        grille.add_column(no_wrap=True, overflow="ellipsis")
        if avant is not None:
            grille.add_row("", Text("Besoin"), Text("En vigueur"), "")
        dep = self.app.session_ouverte.dep
        anciens = dict(avant.besoins) if avant is not None else {}
        plus_grands = sorted(apercu.besoins, key=lambda b: (-b[1], b[0]))[:PIAL_MONTRES]
        for uai, besoin in plus_grands:
            etab = dep.etablissements.get(uai)
            cellules = [Text(uai, style=""), Text(heures(besoin))]
            if avant is not None:
                cellules.append(Text(heures(anciens.get(uai, 0.0))))
            cellules.append(Text(propre(etab.nom) if etab else ""))
            grille.add_row(*cellules)
        return Group(entete, grille)

    # -- saving ----------------------------------------------------------------------
    def enregistrer(self) -> None:
        apercu = self.app.session_ouverte.apercu_besoin(self.annee or 0, self.texte)
        if apercu.erreur is not None:
            self._afficher(self.texte, apercu)
            self.dire("La formule est invalide (voir le message sous la formule) : rien n'a été "
                      "enregistré.")
            return
        if self.texte == self._stockee:
            self.dire("Aucun changement : rien à enregistrer.", refus=False)
            return
        session = self.app.session_ouverte
        assert self.annee is not None
        self.ecrire(partial(session.enregistrer_formule, self.annee, self.texte, self._version))

    def on_enregistre(self, message: Enregistre) -> None:
        self._en_cours = False
        self._lire()
        self.app.signal_donnees.publish(None)
        self.refresh_bindings()
        self.query_one("#formule-origine", Static).update(Text(self._origine_texte()))
        self.dire(f"Formule {libelle_annee(self.annee or 0)} enregistrée. Recalculez les agrégats "
                  "des PIAL de cette année pour qu'ils en tiennent compte : Paramètres › Recalcul des "
                  "agrégats, ou r dans le tableau des PIAL (menu 7).", refus=False)

    def donnees_rechargees(self) -> None:
        # What was typed stays; the version to hand back follows the base.
        self._lire()
        self.query_one("#formule-origine", Static).update(Text(self._origine_texte()))
        self._calculer(self.texte)

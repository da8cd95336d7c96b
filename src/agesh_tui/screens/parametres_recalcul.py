"""« Recalcul des agrégats » (SPEC §2.5, F4, guide §3.3): the besoin, the
moyens and the couverture of every PIAL for a school year, computed again
and stored — needed after any change of the formula. Says when the last
recalcul was and whether data changed since; the run is a thread worker
(one transaction: it completes or leaves the old aggregates)."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import ProgressBar, Select, Static

from ..api.erreurs import PermissionRefusee, StoreError
from ..engine.calendrier import annee_scolaire, format_date, libelle_annee
from ..engine.regles.formule import FormuleError
from ..widgets.saisie import LigneSaisie
from .base import EcranMenu


def quand(instant: datetime) -> str:
    return f"le {format_date(instant.date())} à {instant:%H:%M}"


class ParametresRecalcul(EcranMenu):
    MENU = "parametres"
    AIDE = (
        "Recalcul des agrégats des PIAL d'une année scolaire : besoin (formule de l'année), "
        "moyens et couverture. Nécessaire après chaque changement de la formule. L'écran dit "
        "quand a eu lieu le dernier recalcul et si des données ont changé depuis. c lance le "
        "recalcul ; Échap revient aux paramètres."
    )
    BINDINGS = [
        Binding("c", "recalculer", "Lancer le recalcul", id="parametres.recalculer"),
        Binding("escape", "retour", "Retour", id="parametres.recalcul_retour"),
    ]
    CSS_PATH = ["saisie.tcss", "parametres.tcss"]

    def __init__(self) -> None:
        super().__init__()
        self.annee = 0
        self.en_cours = False

    def contenu(self) -> ComposeResult:
        self.annee = annee_scolaire(self.app.today)
        annees = [(libelle_annee(a), a) for a in range(self.annee - 1, self.annee + 2)]
        with VerticalScroll(id="saisie"):
            yield Static(Text("Recalcul des agrégats des PIAL", style="bold"), id="saisie-titre")
            yield LigneSaisie("Année", Select(annees, value=self.annee, allow_blank=False,
                                              compact=True, id="annee"), champ="annee")
            yield Static(id="recalcul-etat")
            yield ProgressBar(total=None, show_eta=False, id="recalcul-progression")
            yield Static(id="saisie-message")

    def on_mount(self) -> None:
        self.query_one("#recalcul-progression").display = False
        self.query_one("#annee", Select).focus()
        self._etat()

    @on(Select.Changed, "#annee")
    def _annee(self, event: Select.Changed) -> None:
        if isinstance(event.value, int):
            self.annee = event.value
            self._etat()

    @property
    def etat(self) -> str:
        """What the screen says of the year's aggregates (tests)."""
        return str(self.query_one("#recalcul-etat", Static).render())

    def _etat(self) -> None:
        session = self.app.session_ouverte
        instant, a_jour = session.dernier_recalcul(self.annee)
        annee = libelle_annee(self.annee)
        if instant is None:
            texte = f"Les agrégats {annee} n'ont jamais été calculés."
        elif a_jour:
            texte = f"Dernier recalcul {annee} : {quand(instant)} — à jour."
        else:
            texte = (f"Dernier recalcul {annee} : {quand(instant)} — des données ont changé "
                     "depuis (formule, décisions, affectations) : à relancer.")
        texte += f"\n{self.app.touche('parametres.recalculer')} lance le recalcul."
        self.query_one("#recalcul-etat", Static).update(Text(texte))

    def action_recalculer(self) -> None:
        if self.en_cours:
            return
        self.en_cours = True
        self.query_one("#recalcul-progression").display = True
        self._dire(f"Recalcul {libelle_annee(self.annee)} en cours…", refus=False)
        # Local time on the application's today (a fixed day in tests and demos).
        heure = self.app.horloge().astimezone().time().replace(microsecond=0, tzinfo=None)
        maintenant = datetime.combine(self.app.today, heure)
        self._recalculer(self.annee, maintenant)

    @work(thread=True, exclusive=True, group="parametres-recalcul")
    def _recalculer(self, annee: int, maintenant: datetime) -> None:
        try:
            nombre = self.app.session_ouverte.recalculer_agregats(annee, maintenant)
        except (PermissionRefusee, StoreError, FormuleError) as exc:
            self.app.call_from_thread(self._fini, f"Rien n'a été recalculé : {exc}", True)
            return
        self.app.call_from_thread(
            self._fini, f"Agrégats {libelle_annee(annee)} recalculés pour {nombre} PIAL.", False)

    def _fini(self, texte: str, refus: bool) -> None:
        self.en_cours = False
        self.query_one("#recalcul-progression").display = False
        self._dire(texte, refus)
        self._etat()
        if not refus:
            self.app.signal_donnees.publish(None)

    def _dire(self, texte: str, refus: bool) -> None:
        widget = self.query_one("#saisie-message", Static)
        widget.update(Text(texte))
        widget.set_class(refus, "refus")

    def donnees_rechargees(self) -> None:
        self._etat()

    def action_retour(self) -> None:
        self.dismiss(None)

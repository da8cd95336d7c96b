"""Mon compte › Mes secteurs (SPEC F3, guide §2.4): the secteurs ERSEH of
the user's perimeter, checked in a list (none: the whole département).
Ctrl+S saves the choice for the user, off the event loop; then every menu
starts again on the new perimeter — Accueil's décisions, the missions and
accompagnements lists, the counts and the documents follow at once."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static
from textual.widgets.selection_list import Selection

from ..api.erreurs import RegleRefusee, StoreError
from ..widgets.cases import ListeCases
from ..widgets.saisie import lignes_propres
from .base import EcranMenu


@dataclass
class SecteursEnregistres(Message):
    """The worker saved (``erreur`` None) or was refused."""

    erreur: str | None = None


class Secteurs(EcranMenu):
    MENU = "compte"
    AIDE = (
        "Mes secteurs : cochez (Espace) les secteurs ERSEH de votre périmètre ; aucun coché, "
        "c'est tout le département. Ctrl+S enregistre votre choix (il est gardé d'une session à "
        "l'autre) : toutes les listes, les comptes et les documents suivent aussitôt. t décoche "
        "tout ; Échap revient sans enregistrer."
    )
    BINDINGS = [
        Binding("ctrl+s", "enregistrer", "Enregistrer", priority=True, id="secteurs.enregistrer"),
        Binding("t", "tout_departement", "Tout le département", id="secteurs.tout"),
        Binding("escape", "retour", "Retour", id="secteurs.retour"),
    ]
    CSS_PATH = "secteurs.tcss"

    def __init__(self) -> None:
        super().__init__()
        self._en_cours = False

    def contenu(self) -> ComposeResult:
        session = self.app.session_ouverte
        choisis = set(session.secteurs)
        yield Static(Text("Mes secteurs", style="bold"), id="secteurs-titre")
        yield Static(id="secteurs-resume")
        yield ListeCases[str](
            *(Selection(Text.assemble((l.nom, "bold"), f" · {l.etablissements} "
                                      f"établissement{'s' if l.etablissements > 1 else ''}"
                                      + (f" · ERSEH {l.erseh}" if l.erseh else "")),
                        l.code, l.code in choisis)
              for l in session.lignes_secteurs()),
            id="secteurs")
        yield Static(id="secteurs-message")

    def on_mount(self) -> None:
        self.query_one(ListeCases).focus()
        self._resumer()

    def _choisis(self) -> list[str]:
        return list(self.query_one(ListeCases).selected)

    def _resumer(self) -> None:
        choisis = self._choisis()
        texte = (f"{len(choisis)} secteur{'s' if len(choisis) > 1 else ''} coché"
                 f"{'s' if len(choisis) > 1 else ''} : vos listes ne montreront que leurs dossiers."
                 if choisis else "Aucun secteur coché : votre périmètre est tout le département.")
        self.query_one("#secteurs-resume", Static).update(Text(texte, style="italic"))

    def on_selection_list_selected_changed(self) -> None:
        self._resumer()

    def action_tout_departement(self) -> None:
        self.query_one(ListeCases).deselect_all()

    def modifie(self) -> bool:
        return set(self._choisis()) != set(self.app.session_ouverte.secteurs)

    # -- saving ------------------------------------------------------------------------
    def action_enregistrer(self) -> None:
        if self._en_cours:
            return
        if not self.modifie():
            self._dire("Aucun changement : rien à enregistrer.", refus=False)
            return
        self._en_cours = True
        self._ecrire(self._choisis())

    @work(thread=True, exclusive=True, group="secteurs-enregistrer")
    def _ecrire(self, choisis: list[str]) -> None:
        try:
            self.app.session_ouverte.enregistrer_secteurs(choisis)
        except RegleRefusee as exc:
            self.post_message(SecteursEnregistres("; ".join(r.message for r in exc.refus)))
            return
        except StoreError as exc:
            self.post_message(SecteursEnregistres(str(exc)))
            return
        self.post_message(SecteursEnregistres())

    async def on_secteurs_enregistres(self, message: SecteursEnregistres) -> None:
        self._en_cours = False
        if message.erreur is not None:
            self._dire(f"Rien n'a été enregistré : {message.erreur}")
            return
        await self.app.perimetre_change(garder=self.MENU)
        self.notify(f"Périmètre : {self.app.session_ouverte.libelle_perimetre()}. Toutes les "
                    "listes suivent.", title="Mes secteurs", markup=False)
        self.dismiss()

    def _dire(self, texte: str, refus: bool = True) -> None:
        widget = self.query_one("#secteurs-message", Static)
        widget.update(lignes_propres(texte))
        widget.set_class(refus, "refus")

    def action_retour(self) -> None:
        if self.modifie():
            self.notify("Vos secteurs n'ont pas changé (rien n'a été enregistré).", markup=False)
        self.dismiss()

"""Dossiers élèves par secteur ERSEH (SPEC F12, guide §11.1): the élèves of
the perimeter with their scolarisation (dates, établissement, secteur),
with the list tools of §4; Entrée opens the dossier of the élève."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from ..api.vues_eleves import LigneEleve
from ..engine.calendrier import format_date
from ..engine.modele.model import LIBELLES_ETAT_DOSSIER
from ..widgets.filtres import Filtre
from ..widgets.liste import Colonne, ListeDonnees
from ..widgets.outils_liste import OutilsListe
from .base import EcranMenu
from .dossier_eleve import DossierEleve
from .preferences import ListeMemorisee

PREFERENCE = "dossiers_eleves"


@dataclass
class LignesEleves(Message):
    lignes: list[LigneEleve]


def texte_scolarisation(ligne: LigneEleve) -> str:
    if ligne.debut is None:
        return "aucune scolarité"
    fin = format_date(ligne.fin) if ligne.fin else "…"
    return f"{format_date(ligne.debut)} → {fin}"


class DossiersEleves(ListeMemorisee, EcranMenu):
    MENU = "editions"
    PREFERENCE = PREFERENCE
    AIDE = (
        "Dossiers élèves par secteur ERSEH : les élèves de vos secteurs, avec leur scolarisation "
        "du jour (sinon la dernière) : dates, établissement, secteur. / recherche, f filtre (par "
        "secteur, établissement, état du dossier), c choisit les colonnes, les titres trient. "
        "Entrée ouvre le dossier de l'élève ; Échap revient aux Éditions."
    )
    BINDINGS = [Binding("escape", "retour", "Retour aux Éditions", id="eleves.retour")]
    CSS_PATH = "dossiers_eleves.tcss"

    def contenu(self) -> ComposeResult:
        session = self.app.session_ouverte
        yield Static(Text.assemble(("Dossiers élèves par secteur ERSEH", "bold"),
                                   f" · {session.libelle_perimetre()}"), id="eleves-titre")
        yield Static("Lecture des dossiers…", id="eleves-calcul")
        liste = ListeDonnees(self._colonnes(), cle_ligne=lambda ligne: ligne.id,
                             filtres=self._filtres(), id="eleves")
        self.restaurer_choix(liste)
        yield OutilsListe(liste, unite=("élève", "élèves"), feminin=False, today=self.app.today)

    def on_mount(self) -> None:
        self.query_one(ListeDonnees).focus()
        self._calculer_lignes()

    @work(thread=True, exclusive=True, group="eleves-lignes")
    def _calculer_lignes(self) -> None:
        lignes = self.app.session_ouverte.lignes_eleves()
        if not get_current_worker().is_cancelled:
            self.post_message(LignesEleves(lignes))

    def on_lignes_eleves(self, message: LignesEleves) -> None:
        self.query_one(ListeDonnees).definir_lignes(message.lignes)
        self.query_one("#eleves-calcul", Static).display = False

    def donnees_rechargees(self) -> None:
        self._calculer_lignes()

    def _colonnes(self) -> list[Colonne]:
        return [
            Colonne("nom", "Nom prénom", 28, lambda l: l.nom),
            Colonne("scolarisation", "Scolarisation", 23, lambda l: l.debut,
                    texte=texte_scolarisation),
            Colonne("etablissement", "Établissement", 26, lambda l: l.etablissement),
            Colonne("secteur", "Secteur", 16, lambda l: l.secteur),
            Colonne("naissance", "Naissance", 10, lambda l: l.naissance, visible=False),
            Colonne("etat", "Dossier", 8, lambda l: LIBELLES_ETAT_DOSSIER.get(l.etat, l.etat),
                    visible=False),
            Colonne("uai", "UAI", 8, lambda l: l.uai, visible=False),
            Colonne("id", "Identifiant", 12, lambda l: l.id, visible=False),
        ]

    def _filtres(self) -> list[Filtre]:
        session = self.app.session_ouverte
        return [
            Filtre("secteur", "Secteur ERSEH", "choix", lambda l: l.secteur or None, court="secteur"),
            Filtre("etablissement", "Établissement de scolarisation", "choix",
                   lambda l: l.uai or None, court="établissement",
                   libelle_code=session.libelle_etablissement),
            Filtre("etat", "État du dossier", "choix",
                   lambda l: LIBELLES_ETAT_DOSSIER.get(l.etat, l.etat), court="dossier"),
        ]

    @on(ListeDonnees.LigneChoisie)
    def _ouvrir(self, event: ListeDonnees.LigneChoisie) -> None:
        self.app.push_screen(DossierEleve(event.ligne.id))

    def action_retour(self) -> None:
        self.dismiss()

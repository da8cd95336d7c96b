"""Rechercher un élève (SPEC F13, guide §12): across the whole base, not
only the user's secteurs. Nom and prénom must match exactly, once case and
accents are folded (« dupont lea » finds DUPONT Léa, « DUP » finds nobody);
the date de naissance is optional. Entrée on a result opens the élève's
dossier — for consultation only outside the user's secteurs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from ..api.vues_eleves import ResultatRecherche
from ..engine.calendrier import NAISSANCE_MIN, format_date
from ..widgets.date_saisie import DateSaisie
from ..widgets.liste import Colonne, ListeDonnees
from ..widgets.saisie import LigneSaisie, champ_date, champ_texte
from .base import EcranMenu
from .dossier_eleve import DossierEleve

HORS_PERIMETRE = "hors secteurs"


@dataclass
class Trouves(Message):
    resultats: list[ResultatRecherche]
    recherche: str  # how the search is said back


def texte_scolarisation(r: ResultatRecherche) -> str:
    l = r.ligne
    return l.etablissement or "aucune scolarité"


class RechercheEleve(EcranMenu):
    MENU = "recherche"
    AIDE = (
        "Rechercher un élève dans toute l'académie, pas seulement dans vos secteurs. Le nom et le "
        "prénom doivent être exacts (majuscules et accents sans importance) ; la date de "
        "naissance est facultative. Entrée lance la recherche ; Entrée sur un résultat ouvre le "
        "dossier de l'élève, en consultation seule s'il est hors de vos secteurs. Ctrl+L efface "
        "la recherche."
    )
    BINDINGS = [
        Binding("ctrl+l", "effacer", "Effacer", id="eleve_recherche.effacer"),
    ]
    CSS_PATH = "recherche_eleve.tcss"

    def contenu(self) -> ComposeResult:
        yield Static(Text.assemble(("Rechercher un élève", "bold"),
                                   " · dans toute l'académie ; nom et prénom exacts"),
                     id="recherche-titre")
        with Vertical(id="recherche-champs"):
            yield LigneSaisie("Nom", champ_texte("", "nom", max_length=100))
            yield LigneSaisie("Prénom", champ_texte("", "prenom", max_length=100))
            yield LigneSaisie("Né(e) le", champ_date(None, "naissance", today=self.app.today,
                                                     minimum=NAISSANCE_MIN, maximum=self.app.today))
        yield Static(Text("Saisissez le nom et le prénom, puis Entrée (date de naissance "
                          "facultative).", style="italic"), id="recherche-etat")
        yield ListeDonnees(self._colonnes(), cle_ligne=lambda r: r.ligne.id, id="resultats")

    def on_mount(self) -> None:
        self.query_one("#nom", Input).focus()

    def _colonnes(self) -> list[Colonne]:
        return [
            Colonne("nom", "Nom prénom", 28, lambda r: r.ligne.nom),
            Colonne("naissance", "Naissance", 10, lambda r: r.ligne.naissance,
                    texte=lambda r: format_date(r.ligne.naissance) if r.ligne.naissance else "—"),
            Colonne("perimetre", "Périmètre", 13, lambda r: r.dans_perimetre,
                    texte=lambda r: "vos secteurs" if r.dans_perimetre else HORS_PERIMETRE),
            Colonne("etablissement", "Établissement", 24, lambda r: r.ligne.etablissement,
                    texte=texte_scolarisation),
            Colonne("secteur", "Secteur", 14, lambda r: r.ligne.secteur),
            Colonne("id", "Identifiant", 12, lambda r: r.ligne.id, visible=False),
        ]

    def _etat(self, texte: str, erreur: bool = False) -> None:
        self.query_one("#recherche-etat", Static).update(
            Text(texte, style="bold" if erreur else "italic"))

    @on(Input.Submitted)
    def _rechercher(self, event: Input.Submitted) -> None:
        event.stop()
        nom = self.query_one("#nom", Input).value.strip()
        prenom = self.query_one("#prenom", Input).value.strip()
        date_saisie = self.query_one("#naissance", DateSaisie)
        if not nom or not prenom:
            self._etat("Saisissez le nom et le prénom : la recherche est exacte sur les deux.",
                       erreur=True)
            return
        if not date_saisie.valide:
            self._etat(f"Date de naissance : {date_saisie.erreur or 'à corriger'}", erreur=True)
            return
        self._etat("Recherche…")
        self._chercher(nom, prenom, date_saisie.value)

    @work(thread=True, exclusive=True, group="recherche-eleve")
    def _chercher(self, nom: str, prenom: str, naissance: date | None) -> None:
        # The first search of a load builds the index of the whole base.
        resultats = self.app.session_ouverte.rechercher_eleves(nom, prenom, naissance)
        dit = f"« {nom} {prenom} »" + (f" né(e) le {format_date(naissance)}" if naissance else "")
        if not get_current_worker().is_cancelled:
            self.post_message(Trouves(resultats, dit))

    def on_trouves(self, message: Trouves) -> None:
        liste = self.query_one("#resultats", ListeDonnees)
        liste.definir_lignes(message.resultats)
        n = len(message.resultats)
        if n == 0:
            self._etat(f"Aucun élève {message.recherche} dans l'académie (nom et prénom exacts).")
            return
        hors = sum(not r.dans_perimetre for r in message.resultats)
        texte = f"{n} élève{'s' if n > 1 else ''} {message.recherche}"
        if hors:
            texte += f", dont {hors} hors de vos secteurs (consultation seule)"
        self._etat(texte + " : Entrée ouvre le dossier.")
        liste.focus()

    @on(ListeDonnees.LigneChoisie)
    def _ouvrir(self, event: ListeDonnees.LigneChoisie) -> None:
        resultat: ResultatRecherche = event.ligne
        self.app.push_screen(DossierEleve(resultat.ligne.id, lecture_seule=not resultat.dans_perimetre))

    def action_effacer(self) -> None:
        for ident in ("#nom", "#prenom"):
            self.query_one(ident, Input).value = ""
        self.query_one("#naissance", DateSaisie).value = None
        self.query_one("#resultats", ListeDonnees).definir_lignes([])
        self._etat("Saisissez le nom et le prénom, puis Entrée (date de naissance facultative).")
        self.query_one("#nom", Input).focus()

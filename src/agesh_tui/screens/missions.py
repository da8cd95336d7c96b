"""Missions (SPEC F9, guide §8): the AESH's missions, past, current and
prévisionnelles, with the list tools of §4 and the occupation bar of each
mission (SPEC §2.2); Entrée opens a mission's detail."""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ..api.session import VUE_MISSIONS, Session
from ..api.vues_missions import LigneMission
from ..engine.calendrier import format_date
from ..widgets.affichage import heures, pourcent
from ..widgets.barre_occupation import Occupation, segments_barre
from ..widgets.filtres import Filtre, filtre_annee_scolaire
from ..widgets.liste import Colonne, ListeDonnees
from ..widgets.outils_liste import OutilsListe
from .base import EcranMenu
from .detail_mission import DetailMission
from .formulaire_mission import FormulaireMission
from .lignes_de_vue import ChargeurLignes
from .preferences import ListeMemorisee

PREFERENCE = "missions"
OUI_NON = ("oui", "non")


def occupation_de(ligne: LigneMission) -> Occupation:
    return Occupation(ligne.debut, ligne.fin_barre, ligne.occupation, ligne.volume)


def texte_contrat(ligne: LigneMission) -> str:
    """« CDD », with « prév. » for a prévisionnelle and [I] for an inactive
    one (no emoji in a list cell: terminals disagree on its width)."""
    marques = [ligne.contrat]
    if ligne.previsionnel:
        marques.append("prév.")
    if not ligne.actif:
        marques.append("[I]")
    return " ".join(marques)


class ListeMissions(ListeMemorisee, ChargeurLignes, EcranMenu):
    MENU = "missions"
    PREFERENCE = PREFERENCE
    AIDE = (
        "Missions : les missions des AESH (passées, en cours, prévisionnelles « prév. », inactives [I]). "
        "Par défaut, celles de l'année scolaire en cours : enlevez ce filtre (f) pour voir tout "
        "l'historique ; le filtre « Nature accompagnante » garde les missions qui peuvent porter "
        "des accompagnements d'élèves. La colonne « Occupation » est la barre d'occupation sur la "
        "période de la mission (░ rouge : aucun accompagnement, ▓ orange : des heures encore "
        "disponibles, █ vert : tout le volume, ■ bleu : plus que le volume, ┃ aujourd'hui) ; elle "
        "se trie par les heures occupées aujourd'hui. Entrée ouvre le détail de la mission ; a "
        "ajoute une mission prévisionnelle."
    )
    BINDINGS = [Binding("a", "ajouter", "Ajouter une mission", id="missions.ajouter")]
    CSS_PATH = "missions.tcss"
    # The rows hold an occupation per mission.
    VUE, CALCUL = VUE_MISSIONS, Session.lignes_missions

    def contenu(self) -> ComposeResult:
        yield Static(Text.assemble(("Missions", "bold"),
                                   " · toutes les missions des employeurs du département"),
                     id="missions-titre")
        calcul = Static("Calcul de l'occupation des missions…", id="missions-calcul")
        yield calcul
        liste = ListeDonnees(self._colonnes(), cle_ligne=lambda ligne: ligne.id,
                             filtres=self._filtres(), id="missions")
        self.restaurer_choix(liste)
        # The same keys as api/tableaux.py's « missions »: e exports what is shown.
        yield OutilsListe(liste, unite=("mission", "missions"), today=self.app.today,
                          tableur="missions")

    def on_mount(self) -> None:
        self.query_one(ListeDonnees).focus()
        self.charger_lignes()

    def montrer_lignes(self, lignes: list[LigneMission]) -> None:
        self.query_one(ListeDonnees).definir_lignes(lignes)
        self.query_one("#missions-calcul", Static).display = False

    # -- columns and filters ---------------------------------------------------------
    def _colonnes(self) -> list[Colonne]:
        today = self.app.today

        def barre(ligne: LigneMission, largeur: int) -> list[Segment]:
            return segments_barre(occupation_de(ligne), largeur, today)

        # The guide's columns (§8) under the spreadsheet's keys, the bar moved up after the name so that
        # it shows on an 80-column terminal without scrolling sideways; all
        # of them fit 160 columns.
        return [
            Colonne("nom", "Nom prénom", 20, lambda l: l.nom),
            # Sorted by the hours taken today (the spreadsheet's value).
            Colonne("occupation", "Occupation", 22, lambda l: l.heures_aujourdhui,
                    texte=lambda l: "", cellule=barre),
            Colonne("contrat", "Contrat", 9, lambda l: l.contrat, texte=texte_contrat),
            Colonne("debut", "Début", 10, lambda l: l.debut),
            Colonne("fin", "Fin", 10, lambda l: l.fin,
                    texte=lambda l: format_date(l.fin) if l.fin else "sans fin"),
            Colonne("nature", "Nature", 6, lambda l: l.nature),
            Colonne("quotite", "Quotité", 7, lambda l: l.quotite, texte=lambda l: pourcent(l.quotite),
                    alignement="droite"),
            Colonne("volume", "Volume", 6, lambda l: l.volume, texte=lambda l: heures(l.volume),
                    alignement="droite"),
            Colonne("code_postal", "CP", 5, lambda l: l.code_postal),
            Colonne("commune", "Commune", 14, lambda l: l.commune),
            Colonne("transport", "Transport", 10, lambda l: l.transport),
            Colonne("employeur", "Établissement employeur", 25, lambda l: l.employeur),
            Colonne("id", "Mission", 10, lambda l: l.id, visible=False),
            Colonne("actif", "Active", 6, lambda l: l.actif, visible=False),
            Colonne("previsionnel", "Prévisionnelle", 14, lambda l: l.previsionnel, visible=False),
            Colonne("uai_employeur", "UAI employeur", 13, lambda l: l.uai_employeur, visible=False),
        ]

    def _filtres(self) -> list[Filtre]:
        session = self.app.session_ouverte
        return [
            filtre_annee_scolaire("annee", lambda l: (l.debut, l.fin), self.app.today),
            Filtre("accompagnant", "Nature accompagnante (peut porter des accompagnements)",
                   "choix", lambda l: "oui" if l.accompagnant else "non", choix=OUI_NON,
                   court="accompagnante"),
            Filtre("contrat", "Type de contrat", "choix", lambda l: l.contrat, court="contrat"),
            Filtre("nature", "Nature du support", "choix", lambda l: l.nature, court="nature"),
            Filtre("employeur", "Établissement employeur", "choix",
                   lambda l: l.uai_employeur or None, court="employeur",
                   libelle_code=session.libelle_etablissement),
            Filtre("actif", "Active dans les bases RH", "choix",
                   lambda l: "oui" if l.actif else "non", choix=OUI_NON, court="active"),
            Filtre("previsionnel", "Prévisionnelle", "choix",
                   lambda l: "oui" if l.previsionnel else "non", choix=OUI_NON,
                   court="prévisionnelle"),
        ]

    @on(ListeDonnees.LigneChoisie)
    def _ouvrir(self, event: ListeDonnees.LigneChoisie) -> None:
        self.app.push_screen(DetailMission(event.ligne.id))

    def action_ajouter(self) -> None:
        """« Ajouter une mission » prévisionnelle, its AESH typed in the form."""
        self.app.push_screen(FormulaireMission())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "ajouter":
            return self.app.session_ouverte.saisie_permise  # the superviseur consults
        return True

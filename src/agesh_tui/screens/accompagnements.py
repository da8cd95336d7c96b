"""Accompagnements (SPEC F10, guide §10.1): the accompagnements of the
perimeter with the list tools of §4 — AESH, période, type, nombre de
décisions, établissement, heures, and the marks prévisionnel 📅, maintien 🔗
and anomalie ! (an incohérence of SPEC §2.4). Entrée opens the détail.

Read-only for now: the creation and modification forms come with the rest
of issue 10."""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ..api.session import VUE_ACCOMPAGNEMENTS, Session
from ..api.vues_accompagnements import (
    ANOMALIE,
    INDIVIDUALISE,
    MAINTIEN,
    MUTUALISE,
    PREVISIONNEL,
    LigneAccompagnement,
)
from ..widgets.affichage import heures
from ..widgets.couleurs import ORANGE
from ..widgets.filtres import Filtre, filtre_annee_scolaire
from ..widgets.liste import Colonne, ListeDonnees, ajuster
from ..widgets.outils_liste import OutilsListe
from .detail_accompagnement import DetailAccompagnement, annoncer_pv
from .lignes_de_vue import ChargeurLignes
from .operations_accompagnement import AIDE_OPERATIONS, BINDINGS_OPERATIONS, EcranAccompagnements
from .preferences import ListeMemorisee

PREFERENCE = "accompagnements"


@dataclass(frozen=True, slots=True)
class Marque:
    """How a mark reads in the list: an icon with colours, a bracketed
    letter under NO_COLOR (a terminal over SSH may lack the emoji font; the
    project's inactive AESH read « [I] » the same way)."""

    icone: str
    texte: str  # NO_COLOR
    sens: str


MARQUES = {
    PREVISIONNEL: Marque("📅", "[P]", PREVISIONNEL),
    MAINTIEN: Marque("🔗", "[M]", MAINTIEN),
    ANOMALIE: Marque("!", "[!]", ANOMALIE),
}


# The marks' column keys: those of the spreadsheet export (api.tableaux).
CLES_TABLEUR = {PREVISIONNEL: "previsionnel", MAINTIEN: "maintien", ANOMALIE: "anomalie"}


def legende_marques(couleurs: bool) -> str:
    """« 📅 prévisionnel · 🔗 maintien · ! anomalie » (« [P] … » without colours)."""
    return " · ".join(f"{m.icone if couleurs else m.texte} {m.sens}" for m in MARQUES.values())


class ListeAccompagnements(ListeMemorisee, ChargeurLignes, EcranAccompagnements):
    MENU = "accompagnements"
    PREFERENCE = PREFERENCE
    AIDE = (
        "Accompagnements : ceux de votre périmètre (par défaut, ceux de l'année scolaire en "
        "cours). Entrée ouvre le détail (mission, AESH, décisions et leur frise, incohérences). "
        "Marques : 📅 prévisionnel (accompagnement, mission ou AESH prévisionnel), 🔗 maintien "
        "après la fin de la décision, ! anomalie (une incohérence, voir le détail) ; sans "
        "couleurs [P], [M], [!]. La recherche trouve aussi ces mots et les élèves accompagnés. "
        "s trie par la colonne du curseur (← →), S ajoute un tri ; f les filtres, c les colonnes. "
        + AIDE_OPERATIONS
    )
    BINDINGS = [
        Binding("p", "pv", "PV d'affectation", id="accompagnements.pv"),
        *BINDINGS_OPERATIONS,
    ]
    VUE, CALCUL = VUE_ACCOMPAGNEMENTS, Session.lignes_accompagnements

    def contenu(self) -> ComposeResult:
        session = self.app.session_ouverte
        yield Static(Text.assemble(("Accompagnements", "bold"),
                                   f" · périmètre : {session.libelle_perimetre()} · ",
                                   legende_marques(not self.app.no_color)),
                     id="accompagnements-titre")
        liste = ListeDonnees(self._colonnes(), cle_ligne=lambda ligne: ligne.id,
                             filtres=self._filtres(), id="accompagnements")
        self.restaurer_choix(liste)
        # The rows come with on_mount (from a worker when not yet computed):
        # « chargement » until then.
        liste.loading = True
        yield OutilsListe(liste, unite=("accompagnement", "accompagnements"), feminin=False,
                          today=self.app.today, tableur="accompagnements")

    def on_mount(self) -> None:
        # EcranMenu.on_mount runs too (Textual calls the handler of every
        # class of the MRO): calling it again would subscribe twice.
        self.query_one(ListeDonnees).focus()
        self.charger_lignes()

    # -- columns and filters ---------------------------------------------------------
    def _colonnes(self) -> list[Colonne]:
        couleurs = not self.app.no_color
        largeur_marque = 2 if couleurs else 3  # cells: an emoji is two

        def marque(cle: str, present) -> Colonne:
            m = MARQUES[cle]
            signe = m.icone if couleurs else m.texte
            cellule = None
            if couleurs and cle == ANOMALIE:
                style = Style(color=ORANGE.code, bold=True)

                def cellule(ligne: LigneAccompagnement, largeur: int) -> list[Segment]:
                    return [Segment(ajuster(signe if present(ligne) else "", largeur),
                                    style if present(ligne) else None)]
            # Sorted marked rows first: what a gestionnaire looks for.
            return Colonne(CLES_TABLEUR[cle], signe, largeur_marque, present,
                           texte=lambda l: signe if present(l) else "", cellule=cellule,
                           decroissant_d_abord=True)

        def aesh(ligne: LigneAccompagnement) -> str:
            nom = ligne.aesh or f"mission {ligne.mission_id}"
            return nom if ligne.aesh_actif else f"{nom} [I]"

        # The guide's columns (§10.1), the marks before the établissement so
        # that they show on an 80-column terminal without scrolling sideways.
        return [
            Colonne("aesh", "AESH", 16, lambda l: l.aesh, texte=aesh),
            Colonne("debut", "Début", 10, lambda l: l.debut),
            Colonne("fin", "Fin", 10, lambda l: l.fin),
            Colonne("type", "Type", 13, lambda l: l.type),
            Colonne("decisions", "Déc.", 4, lambda l: l.decisions, alignement="droite"),
            marque(PREVISIONNEL, lambda l: l.previsionnel),
            marque(MAINTIEN, lambda l: l.maintien),
            marque(ANOMALIE, lambda l: l.anomalie),
            Colonne("etablissement", "Établissement", 26, lambda l: l.etablissement or l.uai),
            Colonne("heures", "Heures", 6, lambda l: l.heures, texte=lambda l: heures(l.heures),
                    alignement="droite"),
            # Hidden, yet searched like every column: « MARTIN », « anomalie ».
            Colonne("eleves", "Élève(s)", 30, lambda l: ", ".join(l.eleves), visible=False),
            Colonne("marques", "Marques", 30, lambda l: ", ".join(l.marques), visible=False),
            Colonne("mission", "Mission", 10, lambda l: l.mission_id, visible=False),
            Colonne("uai", "UAI", 9, lambda l: l.uai, visible=False),
            Colonne("id", "Accompagnement", 14, lambda l: l.id, visible=False),
        ]

    def _filtres(self) -> list[Filtre]:
        session = self.app.session_ouverte
        return [
            filtre_annee_scolaire("annee", lambda l: (l.debut, l.fin), self.app.today),
            Filtre("type", "Type d'accompagnement", "choix", lambda l: l.type,
                   choix=(INDIVIDUALISE, MUTUALISE), court="type"),
            Filtre("marques", "Prévisionnel, maintien, anomalie", "choix", lambda l: l.marques,
                   choix=(PREVISIONNEL, MAINTIEN, ANOMALIE), court="marques"),
            Filtre("etablissement", "Établissement", "choix", lambda l: l.uai,
                   court="établissement", libelle_code=session.libelle_etablissement),
            Filtre("aesh", "AESH", "choix", lambda l: l.aesh, court="AESH"),
        ]

    # -- rows ------------------------------------------------------------------------
    def montrer_lignes(self, lignes: list[LigneAccompagnement]) -> None:
        liste = self.query_one(ListeDonnees)
        liste.definir_lignes(lignes)
        liste.loading = False
        # A loading list cannot take the focus: it goes to the list now,
        # unless the user went on to something else meanwhile.
        barre = self.query_one(OutilsListe).barre
        if self.focused is None or (self.focused is barre and not barre.value):
            liste.focus()

    # -- actions -------------------------------------------------------------------
    @on(ListeDonnees.LigneChoisie)
    def _ouvrir(self, event: ListeDonnees.LigneChoisie) -> None:
        self.app.push_screen(DetailAccompagnement(event.ligne.id))

    def accompagnement_vise(self) -> str | None:
        ligne = self.query_one(ListeDonnees).ligne_courante()
        return ligne.id if ligne is not None else None

    def action_pv(self) -> None:
        ligne = self.query_one(ListeDonnees).ligne_courante()
        if ligne is None:
            self.notify("Aucun accompagnement : la liste est vide.", severity="warning")
            return
        annoncer_pv(self, ligne.id)

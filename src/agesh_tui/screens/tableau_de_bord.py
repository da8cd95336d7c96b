"""Tableau de bord (SPEC F12, §2.4, guide §11.2): the indicateurs Décisions
/ Dossiers with their chart by month (the widgets of screens/indicateurs.py),
the eight incohérences of the accompagnements, each a line with its count,
and the two cas particuliers. Entrée on a line opens its cases; there, each
accompagnement is corrected on the spot and the count follows the save.

Readable without colour: ✓ before a line without case (vert), ! before an
incohérence to correct (orange), ◆ before a cas particulier to check
(jaune), › on the focused line."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from ..api.vues_editions import TYPES_CAS, TYPES_INCOHERENCES
from ..engine.calendrier import libelle_annee
from ..engine.regles.incoherences import (
    LIBELLES_CAS_PARTICULIERS,
    LIBELLES_INCOHERENCES,
    CasParticulier,
)
from ..engine.regles.indicateurs import PERIMETRE
from ..engine.regles.indicateurs import Indicateurs as DonneesIndicateurs
from ..widgets.affichage import entier
from ..widgets.couleurs import JAUNE, ORANGE, VERT
from .base import EcranMenu
from .cas_incoherence import CasIncoherence
from .cas_particuliers import CasParticuliers
from .indicateurs import CATEGORIES, MARQUE_FOCUS, Activable, Compteur, Evolution

# The guide's lines, shortened for 80 columns (the whole sentence from 110).
COURTS_INCOHERENCES = {
    1: "Début avant le début de la mission",
    2: "Fin après la fin de la mission",
    3: "Début avant le début d'une décision",
    4: "Pas couvert à 100 % par une scolarité dans l'établissement",
    5: "Dossier élève gelé ou clôturé",
    6: "Temps de travail au-delà du volume de la mission",
    7: "Mission ou AESH inactif (absent des bases RH)",
    8: "Fin après la fin d'une décision (hors maintien)",
}
COURTS_CAS = {
    "non_couverte": "Accompagnement suivi d'une décision non couverte",
    "non_renouvelee": "Décisions arrivant à échéance non renouvelées",
}
GLYPHE_AUCUN = "✓"
GLYPHE_INCOHERENCE = "!"
GLYPHE_CAS = "◆"


class LigneCompte(Activable):
    """One line of the tableau de bord: its mark, its count, its words;
    Entrée (or a click) opens its cases."""

    AIDE = ("Une ligne du tableau de bord : le nombre de cas. Entrée (ou un clic) ouvre la liste "
            "des cas ; ↑ ↓ passent d'une ligne à l'autre.")
    BINDINGS = [
        Binding("enter", "voir", "Voir les cas", id="tableau.voir"),
        Binding("up", "app.focus_previous", "Ligne précédente", show=False, id="tableau.precedente"),
        Binding("down", "app.focus_next", "Ligne suivante", show=False, id="tableau.suivante"),
    ]
    DEFAULT_CSS = """
    LigneCompte {
        height: 1;
        &:focus { background: $boost; text-style: bold; }
    }
    """

    class Choisie(Message):
        def __init__(self, cle: int | str) -> None:
            super().__init__()
            self.cle = cle

    def __init__(self, cle: int | str) -> None:
        incoherence = isinstance(cle, int)
        super().__init__(id=f"ligne-{cle}", classes="incoherence" if incoherence else "cas")
        self.cle = cle
        self.incoherence = incoherence
        self.nombre: int | None = None

    def montrer(self, nombre: int) -> None:
        self.nombre = nombre
        self.refresh()

    def libelles(self) -> tuple[str, str]:
        """(short, the guide's sentence), numbered for the incohérences."""
        if isinstance(self.cle, int):
            return (f"{self.cle}. {COURTS_INCOHERENCES[self.cle]}",
                    f"{self.cle}. {LIBELLES_INCOHERENCES[self.cle]}")
        return COURTS_CAS[self.cle], LIBELLES_CAS_PARTICULIERS[self.cle]

    def render(self) -> Text:
        couleurs = not self.app.no_color
        marque = MARQUE_FOCUS if self.has_focus else " "
        if self.nombre is None:
            glyphe, couleur, valeur = " ", "", "…"
        elif self.nombre == 0:
            glyphe, couleur, valeur = GLYPHE_AUCUN, VERT.code, "0"
        elif self.incoherence:
            glyphe, couleur, valeur = GLYPHE_INCOHERENCE, ORANGE.code, entier(self.nombre)
        else:
            glyphe, couleur, valeur = GLYPHE_CAS, JAUNE.code, entier(self.nombre)
        style = f"bold {couleur}" if couleurs and couleur else "bold"
        court, long = self.libelles()
        tete = Text.assemble(marque, " ", (glyphe, style), (f"{valeur:>6}", style), "  ")
        libelle = long if tete.cell_len + len(long) <= self.size.width else court
        ligne = Text.assemble(tete, libelle, no_wrap=True, overflow="ellipsis")
        ligne.truncate(max(1, self.size.width), overflow="ellipsis")
        return ligne

    def choix(self) -> Message:
        return self.Choisie(self.cle)


@dataclass
class CasComptes(Message):
    """The cas particuliers and the indicateurs, counted in a thread."""

    cas: dict[str, tuple[CasParticulier, ...]]
    indicateurs: DonneesIndicateurs


class TableauDeBord(EcranMenu):
    MENU = "editions"
    AIDE = (
        "Tableau de bord : les huit incohérences des accompagnements de vos secteurs (✓ 0 en vert : "
        "rien à corriger ; ! en orange : des accompagnements à corriger), les cas particuliers "
        "(◆ : des décisions à vérifier), puis les indicateurs Décisions / Dossiers de l'année "
        "scolaire et leur évolution par mois. ↑ ↓ ou Tab passent d'une ligne à l'autre, Entrée "
        "ouvre ses cas : on y corrige l'accompagnement, le nombre baisse dès l'enregistrement. "
        "Entrée sur un indicateur ouvre Accueil réduit à ces décisions. Échap revient aux Éditions."
    )
    BINDINGS = [Binding("escape", "retour", "Retour aux Éditions", id="tableau.retour")]
    CSS_PATH = "tableau_de_bord.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.indicateurs: DonneesIndicateurs | None = None

    def contenu(self) -> ComposeResult:
        yield Static(id="tableau-titre")
        with VerticalScroll(id="tableau"), Horizontal(id="tableau-corps"):
            with Vertical(id="tableau-anomalies"):
                yield Static(Text("Incohérences · accompagnements à corriger", style="bold underline"),
                             classes="tableau-section")
                for type_ in TYPES_INCOHERENCES:
                    yield LigneCompte(type_)
                yield Static(Text("Cas particuliers · décisions à vérifier", style="bold underline"),
                             classes="tableau-section")
                for cas in TYPES_CAS:
                    yield LigneCompte(cas)
            with Vertical(id="tableau-indicateurs"):
                yield Static(Text("Indicateurs Décisions / Dossiers", style="bold underline"),
                             classes="tableau-section")
                with Container(id="compteurs"):
                    for categorie in CATEGORIES:
                        yield Compteur(categorie)
                yield Evolution(self.app.today, id="evolution")

    def on_mount(self) -> None:
        self._titre()
        self.query_one(LigneCompte).focus()
        self._compter()

    def _titre(self) -> None:
        session = self.app.session_ouverte
        annee = "…" if self.indicateurs is None else libelle_annee(self.indicateurs.annee)
        self.query_one("#tableau-titre", Static).update(Text.assemble(
            ("Tableau de bord", "bold"),
            f" · année scolaire {annee} · périmètre : {session.libelle_perimetre()}",
        ))

    def _compter(self) -> None:
        # The eight counts on the event loop, before the first paint: they
        # only recheck the accompagnements already known in anomalie (7 ms on
        # demo L, 30 ms on XL), where a thread would cost a paint without
        # them. The slower cas particuliers (a pass over every décision) in
        # a thread once these are painted.
        incoherences = self.app.session_ouverte.incoherences_par_type()
        for ligne in self.query(LigneCompte):
            if isinstance(ligne.cle, int):
                ligne.montrer(len(incoherences.get(ligne.cle, ())))
        self.app.refresh_bindings()
        self.call_after_refresh(self._compter_cas)

    @work(thread=True, exclusive=True, group="tableau-de-bord-cas")
    def _compter_cas(self) -> None:
        session = self.app.session_ouverte
        cas = session.cas_particuliers_par_type()
        indicateurs = session.indicateurs()
        if not get_current_worker().is_cancelled:
            self.post_message(CasComptes(cas, indicateurs))

    def on_cas_comptes(self, message: CasComptes) -> None:
        self.indicateurs = message.indicateurs
        for ligne in self.query(LigneCompte):
            if isinstance(ligne.cle, str):
                ligne.montrer(len(message.cas.get(ligne.cle, ())))
        total = message.indicateurs.nombre(PERIMETRE)
        for compteur in self.query(Compteur):
            # What Compteur.montrer does, less its refresh of the bindings:
            # each one rebuilds the footer; one for all, below.
            compteur.nombre = message.indicateurs.nombre(compteur.categorie.cle)
            compteur.total = total
            compteur.refresh()
        self.query_one(Evolution).montrer(message.indicateurs)
        self._titre()
        self.app.refresh_bindings()

    def on_ligne_compte_choisie(self, message: LigneCompte.Choisie) -> None:
        if isinstance(message.cle, int):
            self.app.push_screen(CasIncoherence(message.cle))
        else:
            self.app.push_screen(CasParticuliers(message.cle))

    async def on_compteur_choisi(self, message: Compteur.Choisi) -> None:
        """An indicateur: Accueil's list reduced to its décisions, as from
        Accueil's own indicateurs."""
        if self.indicateurs is None:
            return
        choix = (message.categorie, self.indicateurs.ids[message.categorie])
        from .accueil import Accueil

        await self.app.switch_mode("accueil")
        ecran = self.app.screen
        if isinstance(ecran, Accueil):
            ecran._voir_indicateur(choix)
        else:
            self.app.notify("Revenez à la liste d'Accueil (Échap) pour voir ces décisions.",
                            severity="warning", markup=False)

    def action_retour(self) -> None:
        self.dismiss()

    def donnees_rechargees(self) -> None:
        self._compter()

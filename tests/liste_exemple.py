"""A small list of décisions and a test App around ListeDonnees, shared by
the list, list tools and snapshot tests. Two pupils carry hostile names: one
is Textual markup, the other a terminal escape sequence."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date

import pytest
from rich.segment import Segment
from rich.style import Style
from textual import on
from textual.app import App, ComposeResult
from textual.widgets import Footer, Input

from agesh_tui.widgets.filtres import Filtre, filtre_annee_scolaire
from agesh_tui.widgets.liste import Colonne, ListeDonnees
from agesh_tui.widgets.outils_liste import OutilsListe

TODAY = date(2026, 11, 22)
NOM_MARKUP = "[@click=app.quit]X"
NOM_ECHAPPEMENT = "\x1b[31mROUGE"


@dataclass(frozen=True)
class Decision:
    id: str
    nom: str
    prenom: str
    type: str
    heures: float | None
    debut: date
    fin: date | None
    etablissements: tuple[str, ...]
    priorite: float | None


JF, AB, VH = "École Jules Ferry", "Collège Anne de Bretagne", "Lycée Victor Hugo"

DECISIONS = [
    Decision("E001", "MARTIN", "Léo", "individuelle", 12, date(2026, 9, 1), date(2027, 8, 31), (JF,), 1.0),
    Decision("E002", "DUPONT", "Léa", "mutualisée", None, date(2025, 9, 1), date(2026, 7, 4), (AB,), 0.0),
    Decision("E003", NOM_MARKUP, "Zoé", "individuelle", 6, date(2026, 1, 10), date(2028, 8, 31), (JF, AB), 0.5),
    Decision("E004", NOM_ECHAPPEMENT, "Jean", "mutualisée", None, date(2024, 9, 1), date(2025, 8, 31), (VH,), None),
    Decision("E005", "ÉTIENNE", "Chloé", "individuelle", 24, date(2027, 9, 1), None, (VH,), 0.25),
    Decision("E006", "BERNARD", "Léon", "individuelle", 12, date(2026, 3, 2), date(2026, 9, 1), (AB,), 1.0),
    Decision("E007", "martin", "Anaïs", "mutualisée", None, date(2026, 9, 1), date(2027, 8, 31), (JF,), 0.0),
    Decision("E008", "LEROY", "Noé", "individuelle", 18, date(2025, 11, 3), date(2026, 8, 31), (JF,), 0.75),
]

_PLEIN = Style(color="green", bgcolor="black")
_VIDE = Style(color="red", bgcolor="black")


def mise_en_oeuvre(d: Decision, largeur: int) -> list[Segment]:
    """A frise-like cell: one pre-styled segment per cell."""
    pleins = 0 if d.priorite is None else round((1 - d.priorite) * largeur)
    return [Segment("█", _PLEIN)] * pleins + [Segment("░", _VIDE)] * (largeur - pleins)


COLONNES = [
    Colonne("id", "Identifiant", 11, lambda d: d.id),
    Colonne("nom", "Nom", 18, lambda d: d.nom),
    Colonne("prenom", "Prénom", 8, lambda d: d.prenom),
    Colonne("type", "Type", 12, lambda d: d.type),
    Colonne("heures", "Heures", 8, lambda d: d.heures, alignement="droite"),
    Colonne("debut", "Début", 10, lambda d: d.debut),
    Colonne("fin", "Fin", 10, lambda d: d.fin),
    Colonne("etab", "Établissement(s)", 20, lambda d: ", ".join(d.etablissements)),
    Colonne(
        "mise",
        "Mise en œuvre",
        8,
        lambda d: d.priorite,
        texte=lambda d: "",
        cle_tri=lambda d: d.priorite,
        cellule=mise_en_oeuvre,
        decroissant_d_abord=True,
    ),
    Colonne(
        "couverture",
        "Couverture",
        10,
        lambda d: None if d.priorite is None else round(100 * (1 - d.priorite)),
        texte=lambda d: "—" if d.priorite is None else f"{round(100 * (1 - d.priorite))} %",
        visible=False,
        alignement="droite",
    ),
]


def filtres() -> list[Filtre]:
    return [
        Filtre("type", "Type de décision", "choix", lambda d: d.type, propose=True),
        Filtre("etab", "Établissement", "choix", lambda d: d.etablissements),
        Filtre("nom", "Nom contient", "texte", lambda d: d.nom),
        filtre_annee_scolaire("annee", lambda d: (d.debut, d.fin), TODAY, propose=False),
    ]


def nouvelle_liste(lignes=DECISIONS) -> ListeDonnees:
    return ListeDonnees(COLONNES, lignes, cle_ligne=lambda d: d.id, filtres=filtres(), id="liste")


class AppListe(App):
    """The list with its tools, as a screen would use it; deterministic:
    no animation, no cursor blink."""

    def __init__(self, lignes=DECISIONS) -> None:
        super().__init__()
        self.animation_level = "none"
        self.liste = nouvelle_liste(lignes)
        self.choisies: list[Decision] = []
        self.selections: list[int] = []
        self.etats: list[dict] = []

    def compose(self) -> ComposeResult:
        yield OutilsListe(self.liste, today=TODAY, unite=("décision", "décisions"))
        yield Footer()

    def on_mount(self) -> None:
        self.liste.focus()

    @on(ListeDonnees.LigneChoisie)
    def _choisie(self, event: ListeDonnees.LigneChoisie) -> None:
        self.choisies.append(event.ligne)

    @on(ListeDonnees.SelectionModifiee)
    def _selection(self, event: ListeDonnees.SelectionModifiee) -> None:
        self.selections.append(event.nombre)

    @on(ListeDonnees.EtatModifie)
    def _etat(self, event: ListeDonnees.EtatModifie) -> None:
        self.etats.append(event.etat)


def sans_clignotement(app: App) -> None:
    """Stop every Input's cursor blink on the current screen (snapshots)."""
    for champ in app.screen.query(Input):
        champ.cursor_blink = False


def textes(liste: ListeDonnees) -> list[str]:
    """The lines the list paints now, as text."""
    return [liste.render_line(y).text for y in range(liste.size.height)]


class Retenue:
    """A function held in its thread until the test lets it go, noting the
    threads it ran in (the event loop's must not be one of them)."""

    def __init__(self, fonction):
        self.fonction = fonction
        self.libre = threading.Event()
        self.fils: list[threading.Thread] = []

    def __call__(self, *args):
        self.fils.append(threading.current_thread())
        self.libre.wait(5)
        return self.fonction(*args)

    @property
    def hors_boucle(self) -> bool:
        return bool(self.fils) and threading.main_thread() not in self.fils


@pytest.fixture
def anyio_backend():
    """Pilot tests run on asyncio (anyio's pytest plugin, marker ``anyio``)."""
    return "asyncio"

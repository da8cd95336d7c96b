"""Éditions (SPEC F12, guide §11): the menu of the three éditions —
dossiers élèves par secteur ERSEH, tableau de bord, accompagnement par
établissement. Entrée (or the key of each line) opens one."""

from __future__ import annotations

from importlib import import_module

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from .base import EcranMenu
from .dossiers_eleves import DossiersEleves
from .tableau_de_bord import TableauDeBord

# (key, title, what it shows, the binding's action)
EDITIONS = (
    ("d", "Dossiers élèves par secteur ERSEH",
     "les élèves de vos secteurs, leur scolarisation ; le dossier de chacun", "dossiers"),
    ("t", "Tableau de bord",
     "indicateurs, les huit incohérences à corriger, les cas particuliers", "tableau"),
    ("b", "Accompagnement par établissement",
     "décisions, accompagnements et AESH par établissement ou PIAL", "etablissements"),
)


class Editions(EcranMenu):
    MENU = "editions"
    AIDE = (
        "Éditions : d ouvre les dossiers élèves par secteur ERSEH, t le tableau de bord "
        "(indicateurs, incohérences, cas particuliers), b l'accompagnement par établissement. "
        "↑ ↓ puis Entrée choisissent aussi."
    )
    BINDINGS = [
        Binding("d", "dossiers", "Dossiers élèves", id="editions.dossiers"),
        Binding("t", "tableau", "Tableau de bord", id="editions.tableau"),
        Binding("b", "etablissements", "Par établissement", id="editions.etablissements"),
    ]
    CSS_PATH = "editions.tcss"

    def contenu(self) -> ComposeResult:
        yield Static(Text.assemble(("Éditions", "bold"), " · outils et rapports sur les moyens "
                                   "et les accompagnements"), id="editions-titre")
        options = []
        for touche, titre, description, action in EDITIONS:
            options.append(Option(Text.assemble((f"{touche}  ", "bold"), (titre, "bold"), "\n   ",
                                                (description, "italic")), id=action))
        yield OptionList(*options, id="editions-menu")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._preparer()

    @work(thread=True, exclusive=True, group="editions-preparer")
    def _preparer(self) -> None:
        # The tableau de bord's slow part (cas particuliers: every décision),
        # computed while the user reads the menu; kept with the loaded data.
        self.app.session_ouverte.cas_particuliers_par_type()

    @on(OptionList.OptionSelected)
    async def _choisi(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            await self.run_action(event.option.id)

    def action_dossiers(self) -> None:
        self.app.push_screen(DossiersEleves())

    def action_tableau(self) -> None:
        self.app.push_screen(TableauDeBord())

    def action_etablissements(self) -> None:
        # Built apart (issue 12, documents): said plainly when it is not there.
        try:
            module = import_module(".accompagnement_etablissement", __package__)
            ecran: Screen = module.AccompagnementEtablissements()
        except (ImportError, AttributeError):
            self.notify("L'édition « Accompagnement par établissement » n'est pas encore "
                        "disponible dans cette version.", title="Éditions", severity="warning",
                        markup=False)
            return
        self.app.push_screen(ecran)

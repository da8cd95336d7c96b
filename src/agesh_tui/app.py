"""The Textual application: menus, bindings, command palette, theme."""

from __future__ import annotations

from datetime import date

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from .engine.store import Store


class AgeshApp(App):
    """AGESH dans le terminal."""

    TITLE = "AGESH — Gestionnaire AESH"
    BINDINGS = [Binding("ctrl+q", "quit", "Quitter", priority=True)]

    def __init__(self, store: Store, today: date):
        super().__init__()
        self.store = store
        self.today = today

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="accueil")
        yield Footer()

    def on_mount(self) -> None:
        etabs, decisions = self.store.rows(
            "SELECT (SELECT count(*) FROM etablissement), (SELECT count(*) FROM decision)"
        )[0]
        self.sub_title = f"base {self.store.path.name}"
        self.query_one("#accueil", Static).update(
            f"{etabs} établissements, {decisions} décisions. "
            "Les écrans arrivent avec les prochaines versions : pas encore disponibles."
        )

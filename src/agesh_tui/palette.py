"""The command palette (Ctrl+P): every menu the profile may open (saying
which ones are not built yet), and every action of the project bound on
the current screen (the help's notion, so all French: Textual's own « Focus
Next », « Scroll Up »… are left out), found by typing part of its name."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from .screens.aide import binding_du_projet

if TYPE_CHECKING:
    from .app import AgeshApp

# Actions offered under their own name below, or meaningless in the palette.
_DEJA_LA = {"menu", "app.menu", "command_palette", "app.command_palette", "quit", "app.quit",
            "aide", "app.aide"}
# Moving the cursor from the palette is noise: these keys do it directly
# (the help still lists them).
_DEPLACEMENTS = {"up", "down", "left", "right", "pageup", "pagedown", "home", "end",
                 "ctrl+home", "ctrl+end", "tab", "shift+tab"}


class PaletteCommandes(CommandPalette):
    """Textual's palette with a French prompt."""

    def __init__(self) -> None:
        super().__init__(id="--command-palette", placeholder="Rechercher une commande…")


class CommandesAgesh(Provider):
    if TYPE_CHECKING:
        # Provider types its app as a plain App (see widgets/base.py).
        @property
        def app(self) -> AgeshApp: ...

    def _commandes(self) -> Iterator[tuple[str, str, Callable]]:
        app = self.app
        for menu in app.menus_ouverts():
            aide = f"touche {app.touche(f'menu.{menu.cle}')} — {menu.description}"
            yield f"Aller à : {menu.libelle}", aide, partial(app.action_menu, menu.cle)
        vus: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            nom_action = binding.action.split("(")[0]
            if (not binding_du_projet(binding, active.node) or nom_action in _DEJA_LA
                    or binding.key in _DEPLACEMENTS or binding.description in vus
                    or not active.enabled):
                continue
            vus.add(binding.description)
            yield (binding.description, f"touche {app.get_key_display(binding)}",
                   partial(app.run_action, binding.action, active.node))
        yield ("Aide", f"touche {app.touche('app.aide')} — touches de l'écran et légende de la frise",
               app.action_aide)
        yield "Quitter", f"touche {app.touche('app.quitter')}", app.action_quit

    async def discover(self) -> Hits:
        for titre, aide, commande in self._commandes():
            yield DiscoveryHit(titre, commande, help=aide)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        trouve = False
        for titre, aide, commande in self._commandes():
            score = matcher.match(titre)
            if score > 0:
                trouve = True
                yield Hit(score, matcher.highlight(titre), commande, help=aide)
        if not trouve:
            # In place of Textual's « No matches found » (this is the only
            # provider): choosing it just closes the palette. What was typed
            # is shown as typed, never read as markup.
            yield Hit(1, Content(f"Aucune commande ne contient « {query} »"), lambda: None,
                      help="Entrée ou Échap : revenir à l'écran.")

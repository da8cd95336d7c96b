"""The command palette (ctrl+p): every menu the profile may open, and every
action of the project bound on the current screen (the help's notion, so
all French: Textual's own « Focus Next », « Scroll Up »… are left out),
found by typing part of its name."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .screens.aide import binding_du_projet

# Actions offered under their own name below, or meaningless in the palette.
_DEJA_LA = {"menu", "app.menu", "command_palette", "app.command_palette", "quit", "app.quit",
            "aide", "app.aide"}
# Moving the cursor from the palette is noise: these keys do it directly
# (the help still lists them).
_DEPLACEMENTS = {"up", "down", "left", "right", "pageup", "pagedown", "home", "end",
                 "ctrl+home", "ctrl+end", "tab", "shift+tab"}


class CommandesAgesh(Provider):
    def _commandes(self) -> Iterator[tuple[str, str, Callable]]:
        app = self.app
        for menu in app.menus_ouverts():
            yield (f"Aller à : {menu.libelle}", f"touche {menu.touche} — {menu.description}",
                   partial(app.action_menu, menu.cle))
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
        yield ("Aide", "touche ? — touches de l'écran et légende de la frise", app.action_aide)
        yield ("Quitter", "touche ctrl+q", app.action_quit)

    async def discover(self) -> Hits:
        for titre, aide, commande in self._commandes():
            yield DiscoveryHit(titre, commande, help=aide)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for titre, aide, commande in self._commandes():
            score = matcher.match(titre)
            if score > 0:
                yield Hit(score, matcher.highlight(titre), commande, help=aide)

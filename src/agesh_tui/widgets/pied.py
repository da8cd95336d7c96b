"""The footer of every screen: Textual's, rebuilt only when what it shows
changed. Textual's Footer removes and mounts all its keys again at each
bindings update (each focus change, each refresh_bindings), and each key
mounted restyles itself: opening a list did it 7–8 times for the same keys,
the main part of the time between the key press and the first paint."""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class PiedDePage(Footer):
    _montre: Hashable = None  # what the keys mounted show

    def _a_montrer(self) -> Hashable:
        """What ``compose`` would show, from the screen's active bindings."""
        actives = self.screen.active_bindings
        return self.show_command_palette, tuple((b, on, bulle) for (_, b, on, bulle) in actives.values())

    def compose(self) -> ComposeResult:
        self._montre = self._a_montrer() if self._bindings_ready else None
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                # Born with the footer's compactness (which data_bind keeps):
                # else each key restyles itself twice as it mounts, its
                # default then the footer's value.
                widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(self.compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recomposer)

    async def _recomposer(self) -> None:
        # Several updates queued before the refresh rebuild once, or not at all.
        if self.is_attached and self._a_montrer() != self._montre:
            await self.recompose()

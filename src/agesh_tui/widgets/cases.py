"""Check boxes whose state reads without colour.

Textual draws the same « X » for a checked and an unchecked box and tells
them apart by colour only; over SSH with NO_COLOR or 16 colours that is
unreadable. These show « ✓ » when checked and a blank when not."""

from __future__ import annotations

from typing import TypeVar

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList
from textual.widgets._toggle_button import ToggleButton

COCHEE, VIDE = "✓", " "
Valeur = TypeVar("Valeur")


class Case(Checkbox):
    # override: Textual's button reads BUTTON_INNER, a class attribute, at
    # each render; a read-only property makes it follow the value (nothing
    # assigns it). N802: the name is Textual's.
    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802
        return COCHEE if self.value else VIDE


class ListeCases(SelectionList[Valeur]):
    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        # The box is the segment carrying Textual's inner glyph and, in its
        # style's meta, the index of the option it belongs to.
        for i, segment in enumerate(segments[:4]):
            meta = segment.style.meta if segment.style else {}
            if segment.text == ToggleButton.BUTTON_INNER and "option" in meta:
                coche = self.get_option_at_index(meta["option"]).value in self._selected
                segments[i] = Segment(COCHEE if coche else VIDE, segment.style)
                return Strip(segments, strip.cell_length)
        return strip

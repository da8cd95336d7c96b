"""The bases of the screens and widgets that read the application (its
session, today, its keys): ``self.app`` typed as ``AgeshApp``.

Textual types ``app`` as a plain ``App``; ``textual.getters.app`` is its
way to name the subclass. It is declared for the type checker only, as
Textual does in ``MessagePump`` itself: at run time ``app`` stays Textual's
own property (``agesh_tui.app`` imports the screens, so they cannot import
it back), and a screen works the same under any ``App``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen, ScreenResultType
from textual.widget import Widget

if TYPE_CHECKING:
    from textual import getters

    from ..app import AgeshApp


class EcranAgesh(Screen[ScreenResultType]):
    """A screen of the application."""

    if TYPE_CHECKING:
        app = getters.app(AgeshApp)


class WidgetAgesh(Widget):
    """A widget of the application."""

    if TYPE_CHECKING:
        app = getters.app(AgeshApp)

"""Check boxes read without colour: ✓ when checked, blank when not."""

import pytest
from textual.app import App, ComposeResult

from agesh_tui.widgets.cases import Case, ListeCases


class Cases(App):
    def compose(self) -> ComposeResult:
        yield Case("Secteur", False, id="case")
        yield ListeCases[str](("Nom", "nom", True), ("Début", "debut", False), id="liste")


def ligne(app, widget_id: str, y: int = 0) -> str:
    return app.query_one(f"#{widget_id}").render_line(y).text


@pytest.mark.anyio
async def test_checkbox_glyph_follows_value():
    app = Cases()
    async with app.run_test(size=(40, 8)) as pilot:
        case = app.query_one("#case", Case)
        assert "✓" not in case.render().plain
        case.value = True
        await pilot.pause()
        assert "✓" in case.render().plain


@pytest.mark.anyio
async def test_selection_list_glyph_follows_selection():
    app = Cases()
    async with app.run_test(size=(40, 8)) as pilot:
        liste = app.query_one("#liste", ListeCases)
        assert "✓" in ligne(app, "liste", 0) and "Nom" in ligne(app, "liste", 0)
        assert "✓" not in ligne(app, "liste", 1)
        liste.select("debut")
        liste.deselect("nom")
        await pilot.pause()
        assert "✓" not in ligne(app, "liste", 0)
        assert "✓" in ligne(app, "liste", 1)

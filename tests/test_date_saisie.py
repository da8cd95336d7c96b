"""DateSaisie (SPEC §1.2): the a/z/t/+/-/>/< keys, typing, invalid dates."""

from __future__ import annotations

from datetime import date

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input

from agesh_tui.widgets.date_saisie import DateSaisie, ajouter_mois, analyser
from liste_exemple import anyio_backend  # noqa: F401 (fixture)

pytestmark = pytest.mark.anyio
TODAY = date(2026, 11, 22)


class AppDate(App):
    def __init__(self, valeur: date | None = None, annee: int | None = None) -> None:
        super().__init__()
        self.animation_level = "none"
        self.saisie = DateSaisie(valeur, today=TODAY, annee=annee)
        self.changements: list[date | None] = []

    def compose(self) -> ComposeResult:
        yield self.saisie
        yield Input(id="autre")

    def on_mount(self) -> None:
        self.saisie.focus()

    def on_date_saisie_changed(self, event: DateSaisie.Changed) -> None:
        self.changements.append(event.value)


async def saisir(*touches: str, valeur: date | None = None, annee: int | None = None) -> AppDate:
    app = AppDate(valeur, annee)
    async with app.run_test() as pilot:
        await pilot.press(*touches)
        await pilot.pause()
    return app


@pytest.mark.parametrize(
    ("touches", "attendu"),
    [
        (("a",), date(2026, 9, 1)),
        (("z",), date(2027, 8, 31)),
        (("t",), TODAY),
        (("plus",), date(2026, 11, 23)),
        (("minus",), date(2026, 11, 21)),
        (("greater_than_sign",), date(2026, 12, 22)),
        (("less_than_sign",), date(2026, 10, 22)),
        (("t", "plus", "plus", "minus"), date(2026, 11, 23)),
        (("z", "a"), date(2026, 9, 1)),  # z keeps the school year: 2026-2027
    ],
)
async def test_touches(touches, attendu):
    app = await saisir(*touches)
    assert app.saisie.value == attendu
    assert app.saisie.texte == attendu.strftime("%d/%m/%Y")
    assert app.changements[-1] == attendu


async def test_annee_du_champ_et_de_la_date_saisie():
    assert (await saisir("a", annee=2025)).saisie.value == date(2025, 9, 1)
    assert (await saisir("z", annee=2025)).saisie.value == date(2026, 8, 31)
    # Without annee, the school year of the date in the field.
    assert (await saisir("a", valeur=date(2024, 3, 15))).saisie.value == date(2023, 9, 1)
    assert (await saisir("minus", valeur=date(2027, 1, 1))).saisie.value == date(2026, 12, 31)
    assert (await saisir("greater_than_sign", valeur=date(2027, 1, 31))).saisie.value == date(2027, 2, 28)


async def test_chiffres_tapes():
    app = await saisir(*"31/12/2026")
    assert app.saisie.value == date(2026, 12, 31)
    app = await saisir(*"01092027")  # without slashes: shown the usual way
    assert app.saisie.value == date(2027, 9, 1)
    assert app.saisie.texte == "01/09/2027"
    app = await saisir("x", "é", "1")  # letters other than the keys are refused
    assert app.saisie.texte == "1"


async def test_date_invalide():
    app = AppDate()
    async with app.run_test() as pilot:
        await pilot.press(*"31/02/2026")
        await pilot.pause()
        saisie = app.saisie
        assert saisie.value is None and not saisie.valide
        assert saisie.erreur == "Le 31/02/2026 n'existe pas."
        assert saisie.query_one(Input).has_class("-invalid")
        assert saisie.query_one(".erreur").display
        # Back to a real date: the error goes.
        await pilot.press("t")
        assert saisie.value == TODAY and saisie.erreur is None
        assert not saisie.query_one(Input).has_class("-invalid")


async def test_date_incomplete_signalee_en_quittant_le_champ():
    app = AppDate()
    async with app.run_test() as pilot:
        await pilot.press("1", "2", "/", "0")
        await pilot.pause()
        assert app.saisie.erreur is None  # still typing
        assert app.saisie.value is None and not app.saisie.valide
        await pilot.press("tab")
        await pilot.pause()
        assert app.saisie.erreur == "Date incomplète : saisir jj/mm/aaaa."
        assert app.saisie.has_class("-invalide")


async def test_valeur_par_programme_et_vide():
    app = AppDate(date(2026, 9, 1))
    async with app.run_test() as pilot:
        assert app.saisie.texte == "01/09/2026"
        app.saisie.value = None
        await pilot.pause()
        assert app.saisie.texte == "" and app.saisie.valide and app.saisie.value is None
        assert app.changements == [None]


class AppPeriode(App):
    """A « du »/« au » pair, as the filters' période editor builds it."""

    def compose(self) -> ComposeResult:
        self.du = DateSaisie(date(2026, 9, 1), today=TODAY)
        self.au = DateSaisie(date(2027, 8, 31), today=TODAY, debut=self.du)
        yield self.du
        yield self.au


async def test_au_prend_l_annee_scolaire_de_du():
    """SPEC §1.2: a/z refer to the school year of the form; in « au » that is
    the year of « du », not of the date « au » holds."""
    app = AppPeriode()
    async with app.run_test() as pilot:
        app.du.value = date(2027, 9, 1)
        app.au.focus()
        await pilot.press("z")
        assert app.au.value == date(2028, 8, 31)
        await pilot.press("a")
        assert app.au.value == date(2027, 9, 1)
        # « du » empty or invalid: the year of the date in « au » again.
        app.du.value = None
        app.au.value = date(2030, 1, 15)
        await pilot.press("z")
        assert app.au.value == date(2030, 8, 31)


async def test_date_entiere_visible_avec_le_curseur_apres():
    """The field is wide enough for jj/mm/aaaa and the cursor after it: a
    narrower Input scrolls and shows « 1/09/2027 »."""
    app = AppDate()
    async with app.run_test() as pilot:
        await pilot.press(*"31/08/2027", "plus")
        await pilot.pause()
        champ = app.saisie.query_one(Input)
        assert champ.cursor_position == 10
        assert champ.scroll_offset.x == 0
        assert "01/09/2027" in champ.render_line(0).text


def test_analyser_et_mois():
    assert analyser("") == (None, None)
    assert analyser("1/9/2026") == (date(2026, 9, 1), None)
    assert analyser("29/02/2028") == (date(2028, 2, 29), None)
    assert analyser("29/02/2027")[1] == "Le 29/02/2027 n'existe pas."
    assert analyser("2026-09-01")[1] == "Date incomplète : saisir jj/mm/aaaa."
    assert ajouter_mois(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert ajouter_mois(date(2027, 1, 15), -1) == date(2026, 12, 15)
    assert ajouter_mois(date(2028, 3, 31), -1) == date(2028, 2, 29)


async def test_touches_dans_le_pied_de_page_et_l_aide():
    app = AppDate()
    async with app.run_test():
        actives = app.screen.active_bindings
        for touche in ("a", "z", "t", "plus", "minus", "greater_than_sign", "less_than_sign"):
            assert actives[touche].binding.description
        assert "> / <" in str(app.saisie.query_one(Input).tooltip)


@pytest.mark.parametrize("texte", ["31/12/9999", "01/01/0001", "01012101", "31/12/1949"])
async def test_une_date_hors_limites_est_refusee_et_plus_ne_deborde_pas(texte):
    """Issue 8 item 3: a typed 31/12/9999 was accepted, then « + » crashed the
    application (OverflowError). Out of range is an error in the field."""
    app = AppDate()
    async with app.run_test() as pilot:
        await pilot.press(*texte)
        await pilot.pause()
        assert app.saisie.value is None and not app.saisie.valide
        assert app.saisie.erreur.startswith("Date hors limites")
        assert "(attendu du 01/01/1950 au 31/12/2100)" in app.saisie.erreur
        await pilot.press("plus", "greater_than_sign", "minus")  # from today: no crash
        assert app.saisie.value == date(2026, 12, 22)


async def test_plus_au_dernier_jour_accepte_y_reste():
    assert (await saisir("plus", valeur=date(2100, 12, 31))).saisie.value == date(2100, 12, 31)
    assert (await saisir("greater_than_sign", valeur=date(2100, 12, 15))).saisie.value == date(2100, 12, 31)
    assert (await saisir("minus", valeur=date(1950, 1, 1))).saisie.value == date(1950, 1, 1)
    assert (await saisir("less_than_sign", valeur=date(1950, 1, 20))).saisie.value == date(1950, 1, 1)

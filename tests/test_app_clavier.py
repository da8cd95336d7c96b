"""The keyboard: every action has a Binding with an id, the user's own keys
from a TOML file (checked, French messages, never a crash), key names in
French everywhere, and keys typed in one burst that all reach the widget
they were meant for."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.console import Console
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import Input, Static

import agesh_tui.app  # noqa: F401  (loads every screen and widget class)
from agesh_tui.screens.accueil import Accueil
from agesh_tui.touches import dossier_configuration, liaisons_du_projet, nom_touche
from agesh_tui.widgets.choix_filtres import ChoixFiltres
from agesh_tui.widgets.entete import Entete
from agesh_tui.widgets.liste import ListeDonnees
from base_app import (
    TOTP,
    application,
    attendre_chargement,
    session_de,
    taper_d_un_coup,
    texte_ecran,
)

pytestmark = pytest.mark.anyio
DOCS = Path(__file__).parent.parent / "docs" / "application.md"


def ouvrir(store, login="paul", profil="gestionnaire"):
    app = application(store, session=session_de(store, login, profil))
    notes: list[str] = []
    notifier = app.notify

    def capturer(message, **kwargs):
        notes.append(message)
        notifier(message, **kwargs)

    app.notify = capturer
    return app, notes


def ecrire_touches(contenu: str, nom: str = "touches.toml") -> Path:
    dossier = dossier_configuration()
    dossier.mkdir(parents=True, exist_ok=True)
    (dossier / nom).write_text(contenu, encoding="utf-8")
    return dossier / nom


def classes_du_projet() -> list[type]:
    a_voir, vues = list(DOMNode.__subclasses__()), []
    while a_voir:
        classe = a_voir.pop()
        a_voir.extend(classe.__subclasses__())
        if classe.__module__.startswith("agesh_tui."):
            vues.append(classe)
    return vues


# -- ids, documented -------------------------------------------------------------------------
def test_every_binding_of_the_project_has_a_unique_id_and_is_documented():
    ids: dict[str, tuple[str, Binding]] = {}
    for classe in classes_du_projet():
        for binding in Binding.make_bindings(classe.__dict__.get("BINDINGS", ())):
            assert binding.id, f"{classe.__name__} : {binding.key} → {binding.action} sans id"
            ailleurs, premier = ids.setdefault(binding.id, (classe.__qualname__, binding))
            # One id, one meaning: several screens may share one definition
            # (the operations on an accompagnement), never two different ones.
            assert ailleurs == classe.__qualname__ or binding == premier, \
                f"id {binding.id} dans {ailleurs} et {classe}"
    assert set(ids) == set(liaisons_du_projet())
    assert {"app.quitter", "liste.trier", "menu.accueil", "chargement.annuler"} <= set(ids)
    documentation = DOCS.read_text(encoding="utf-8")
    non_documentes = sorted(i for i in ids if f"`{i}`" not in documentation)
    assert non_documentes == []


# -- the user's keys --------------------------------------------------------------------------
async def test_a_key_remapped_in_touches_toml_works_and_is_shown(base):
    ecrire_touches('"liste.trier" = "t"\n"app.quitter" = "ctrl+x"\n')
    app, notes = ouvrir(base)
    async with app.run_test(size=(200, 30)) as pilot:
        await attendre_chargement(pilot)
        liste = app.screen.query_one(ListeDonnees)
        await pilot.press("right", "s")  # no longer sorts
        assert liste.etat()["tri"] == []
        await pilot.press("t")
        assert liste.etat()["tri"] == [["nom", "asc"]]
        pied = " ".join(texte_ecran(app)[-1:])
        assert "t Trier" in pied and "Ctrl+X Quitter" in pied
        await pilot.press("ctrl+c")
        assert notes[-1] == "Pour quitter, appuyez sur Ctrl+X."
        await pilot.press("ctrl+x")
    assert not app.is_running and notes == ["Pour quitter, appuyez sur Ctrl+X."]


async def test_the_touches_table_of_config_toml_is_read_too(base):
    ecrire_touches('[affichage]\ntheme = "sombre"\n\n[touches]\n"accueil.indicateurs" = "I"\n',
                   "config.toml")
    app, notes = ouvrir(base)
    async with app.run_test(size=(120, 30)) as pilot:
        await attendre_chargement(pilot)
        await pilot.press("I")
        assert type(app.screen).__name__ == "Indicateurs"
    assert notes == []


@pytest.mark.parametrize("contenu, attendu", [
    ('"liste.trier" = \n', "n'est pas un fichier TOML valide (erreur ligne 1, colonne 17) : ignoré."),
    ('"liste.trie" = "t"\n', "« liste.trie » n'est l'identifiant d'aucune action"),
    ('"liste.trier" = 3\n', "« liste.trier » doit recevoir une touche entre guillemets"),
    ('"liste.trier" = "ctrl+truc"\n', "« liste.trier » : touche inconnue « ctrl+truc » : ignoré."),
])
async def test_a_bad_file_is_said_in_french_and_the_default_keys_stay(base, contenu, attendu):
    chemin = ecrire_touches(contenu)
    app, notes = ouvrir(base)
    async with app.run_test(size=(120, 30)) as pilot:
        await attendre_chargement(pilot)
        assert app.is_running
        assert any(n.startswith(str(chemin)) and attendu in n for n in notes), notes
        liste = app.screen.query_one(ListeDonnees)
        await pilot.press("right", "s")  # the default key still sorts
        assert liste.etat()["tri"] == [["nom", "asc"]]


async def test_one_key_for_two_actions_is_said_once(base):
    ecrire_touches('"liste.trier" = "enter"\n')  # Entrée is the list's « Ouvrir »
    app, notes = ouvrir(base)
    async with app.run_test(size=(120, 30)) as pilot:
        await attendre_chargement(pilot)
        await pilot.press("right", "enter", "down", "down")
        assert app.screen.query_one(ListeDonnees).etat()["tri"] == [["nom", "asc"]]
        assert app.is_running and isinstance(app.screen, Accueil)
    # The form's list of missions and the list of décisions to cover from a
    # mission (ListeDonnees) choose with Entrée too: each action that lost
    # its key is named once.
    assert sorted(notes) == [
        "la touche Entrée donnée à « liste.trier » était celle de « choix_decisions.choisir », qui "
        "n'en a plus.",
        "la touche Entrée donnée à « liste.trier » était celle de « formulaire.choisir », qui n'en a plus.",
        "la touche Entrée donnée à « liste.trier » était celle de « liste.ouvrir », qui n'en a plus.",
    ]


# -- French key names (issue 9 #9) ------------------------------------------------------------
ANGLAIS = re.compile(r"\b(space|pgup|pgdn|home|end|esc|tab|enter|ctrl\+\w|shift|No matches)\b|\^[a-z]")


def test_key_names_are_french():
    assert [nom_touche(k) for k in ("space", "pageup", "pagedown", "home", "end", "escape",
                                    "tab", "shift+tab", "ctrl+q", "enter", "question_mark", "f1")] == [
        "Espace", "Page préc.", "Page suiv.", "Début", "Fin", "Échap", "Tab", "Maj+Tab", "Ctrl+Q",
        "Entrée", "?", "F1",
    ]


async def test_footer_header_help_and_palette_name_keys_in_french(base):
    app, notes = ouvrir(base)
    async with app.run_test(size=(200, 40)) as pilot:
        await attendre_chargement(pilot)
        ecran = "\n".join(texte_ecran(app))
        assert not ANGLAIS.search(ecran), ANGLAIS.search(ecran)
        assert "Espace Sélectionner" in ecran and "Ctrl+Q Quitter" in ecran
        assert "Ctrl+P commandes" in str(app.screen.query_one(Entete).render())
        await pilot.press("question_mark")
        console = Console(width=100, record=True, file=io.StringIO())
        console.print(app.screen.query_one("#aide-texte", Static).content)
        aide = console.export_text()
        assert not ANGLAIS.search(aide), ANGLAIS.search(aide)
        for nom in ("Page préc.", "Page suiv.", "Début, Ctrl+Début", "Espace", "Échap", "Tab, Maj+Tab",
                    "Ctrl+A", "Ctrl+Q"):
            assert nom in aide
        await pilot.press("escape", "ctrl+p")
        await pilot.press(*"zzzz")
        await pilot.pause(0.7)  # past Textual's « No matches found » delay
        palette = "\n".join(texte_ecran(app))
        assert "No matches" not in palette and "Aucune commande ne contient « zzzz »" in palette
        await pilot.press("escape", "ctrl+c")
        assert notes[-1] == "Pour quitter, appuyez sur Ctrl+Q."


# -- keys typed in one burst (issue 9 #2) -------------------------------------------------------
async def test_login_typed_in_one_burst_with_tab(base):
    app = application(base)
    async with app.run_test(size=(100, 30)) as pilot:
        await taper_d_un_coup(pilot, *"demo.paul", "tab", *"123456")
        assert app.screen.query_one("#login", Input).value == "demo.paul"
        assert app.screen.query_one("#code", Input).value == "123456"


async def test_login_typed_in_one_burst_with_enter_logs_in(base):
    app = application(base)
    async with app.run_test(size=(100, 30)) as pilot:
        await taper_d_un_coup(pilot, *"paul", "enter", *TOTP.at(app.horloge()), "enter")
        await attendre_chargement(pilot)
        assert app.session.login == "paul" and isinstance(app.screen, Accueil)


async def test_filtres_dates_typed_in_one_burst_as_the_dialog_opens(base):
    app, _ = ouvrir(base)
    async with app.run_test(size=(100, 30)) as pilot:
        await attendre_chargement(pilot)
        await taper_d_un_coup(pilot, "f", "tab", *"01/09/2025", "tab", *"31/08/2026", "enter")
        assert not isinstance(app.screen, ChoixFiltres)
        liste = app.screen.query_one(ListeDonnees)
        assert liste.parametres_filtres["valeurs"]["annee"] == ["2025-09-01", "2026-08-31"]


async def test_a_burst_after_a_dialog_opens_goes_to_that_dialog(base):
    """« f », Échap and « / » in one go: the Filtres dialog opens and is
    cancelled, then the search bar of Accueil takes the focus — the Échap
    is not lost on the list while the dialog mounts."""
    app, _ = ouvrir(base)
    async with app.run_test(size=(100, 30)) as pilot:
        await attendre_chargement(pilot)
        await taper_d_un_coup(pilot, "f", "escape", "slash", *"dupont")
        assert isinstance(app.screen, Accueil)
        assert app.screen.query_one(ListeDonnees).recherche == "dupont"


async def test_a_filter_checked_and_its_value_in_one_burst(base):
    """Espace shows the filter's values, Tab at once goes to them: Tab
    orders widgets by their place on screen, which a list just shown only
    has once the screen is laid out."""
    app, _ = ouvrir(base)
    async with app.run_test(size=(100, 30)) as pilot:
        await attendre_chargement(pilot)
        await taper_d_un_coup(pilot, "f", "tab", "tab", "tab", "space", "tab", "space", "enter")
        liste = app.screen.query_one(ListeDonnees)
        assert liste.parametres_filtres["valeurs"]["type"] == ["individuelle"]
        assert sorted(l.id for l in liste.lignes_affichees()) == ["D1", "D3"]

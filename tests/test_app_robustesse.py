"""Accueil stays responsive and alive whatever happens behind it: a base
held by another session while the display choices are saved, a reload
while the search haystacks are built, rows and slow sort keys computed off
the event loop."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from agesh_tui.api import vues_accueil
from agesh_tui.screens.accueil import Accueil
from agesh_tui.screens.preferences import DELAI
from agesh_tui.widgets import liste as module_liste
from agesh_tui.widgets.etat_liste import EtatListe
from agesh_tui.widgets.liste import ListeDonnees
from base_app import (
    application,
    attendre_chargement,
    attendre_travaux,
    session_de,
)
from liste_exemple import Retenue

pytestmark = pytest.mark.anyio

OCCUPEE = ("Vos choix d'affichage n'ont pas pu être enregistrés : la base est occupée par "
           "une autre session (un import ou un traitement en cours) : réessayez dans un instant.")


def ouvrir(store):
    app = application(store, session=session_de(store, "paul"))
    notes: list[tuple[str, str]] = []
    notifier = app.notify

    def capturer(message, **kwargs):
        notes.append((message, kwargs.get("severity", "information")))
        notifier(message, **kwargs)

    app.notify = capturer
    return app, notes


def liste(app) -> ListeDonnees:
    return app.screen.query_one(ListeDonnees)


def ids(app) -> list[str]:
    return [l.id for l in liste(app).lignes_affichees()]


async def attendre(pilot, condition, delai: float = 10.0) -> None:
    """Until ``condition()``, without waiting for every worker (one is held)."""
    fin = time.monotonic() + delai
    while not condition():
        assert time.monotonic() < fin, "la condition attendue n'est pas venue"
        await pilot.pause(0.01)


async def attendre_enregistrement(pilot) -> None:
    """The save delay, then the save."""
    await pilot.pause(DELAI + 0.1)
    await attendre_travaux(pilot)


# -- display choices while another session holds the base -------------------------
async def test_a_sort_while_the_base_is_held_warns_and_a_later_change_is_saved(base):
    """SQLite: another connection holds the write lock (BEGIN IMMEDIATE)."""
    # Shorter than the product's 10 s, so that the test does not wait that long.
    base.con.execute("PRAGMA busy_timeout=200")
    app, notes = ouvrir(base)
    session = app.session
    async with app.run_test(size=(120, 30)) as pilot:
        await attendre_chargement(pilot)
        autre = sqlite3.connect(base.path, isolation_level=None)
        autre.execute("BEGIN IMMEDIATE")  # another session's write in progress
        try:
            await pilot.press("right", "s")  # Nom prénom ▲
            assert ids(app) == ["D2", "D4", "D1", "D3"]  # sorted at once (« [ » first)
            await attendre_enregistrement(pilot)
            assert app.is_running
            assert notes[-1] == (OCCUPEE, "warning")
        finally:
            autre.execute("ROLLBACK")
            autre.close()
        enregistrements = []
        enregistrer = session.enregistrer_preference

        def compter(cle, valeur):
            enregistrements.append(valeur["tri"])
            enregistrer(cle, valeur)

        session.enregistrer_preference = compter
        await pilot.press("s", "s")  # ▼ then ▲ again within the delay: one save, the last
        await attendre_enregistrement(pilot)
        assert enregistrements == [[["nom", "asc"]]]
        await pilot.press("s")
        await attendre_enregistrement(pilot)
        assert session.preference("accueil")["tri"] == [["nom", "desc"]]
        assert notes[-1] == (OCCUPEE, "warning")  # no new warning


async def test_a_change_just_before_quitting_is_saved(base):
    app, _ = ouvrir(base)
    async with app.run_test(size=(120, 30)) as pilot:
        await attendre_chargement(pilot)
        await pilot.press("right", "s")
    assert session_de(base, "paul").preference("accueil")["tri"] == [["nom", "asc"]]


# -- search haystacks built in a thread, the data reloaded meanwhile -------------------
async def test_reload_while_the_haystacks_are_built_then_a_search_typed_before_they_are(
        base, monkeypatch):
    construire = Retenue(module_liste.construire_bottes)
    monkeypatch.setattr(module_liste, "construire_bottes", construire)
    app, _ = ouvrir(base)
    async with app.run_test(size=(120, 30)) as pilot:
        await attendre(pilot, lambda: isinstance(app.screen, Accueil) and construire.fils)
        with base.ecriture() as tx:  # another gestionnaire removes D2
            tx.execute("DELETE FROM accompagnement_decision WHERE decision_id = 'D2'")
            tx.execute("DELETE FROM decision WHERE id = 'D2'")
        app.action_recharger()
        await attendre(pilot, lambda: isinstance(app.screen, Accueil)
                       and liste(app).nombre_total == 3)
        await pilot.press("slash", *"bernard")
        assert liste(app).recherche_en_cours
        assert str(app.screen.query_one(EtatListe).render()).startswith("Recherche…")
        # The first build goes on over the old rows, D2 included: it must
        # neither end the application nor be used for the new rows.
        construire.libre.set()
        await attendre_travaux(pilot)
        assert app.is_running
        assert ids(app) == ["D4"]
        assert len(construire.fils) == 2 and construire.hors_boucle


# -- rows and slow sort keys off the event loop --------------------------------------
async def test_rows_and_a_saved_sort_by_frise_are_computed_off_the_event_loop(base,
                                                                             monkeypatch):
    session_de(base, "paul").enregistrer_preference(
        "accueil", {"tri": [["mise_en_oeuvre", "desc"]]})
    fils: dict[str, list[threading.Thread]] = {"lignes": [], "mise_en_oeuvre": []}
    lignes_decisions, cles_de_tri = vues_accueil.lignes_decisions, module_liste.cles_de_tri

    def lignes(session):
        fils["lignes"].append(threading.current_thread())
        return lignes_decisions(session)

    def cles(colonne, lignes):
        fils.setdefault(colonne.cle, []).append(threading.current_thread())
        return cles_de_tri(colonne, lignes)

    monkeypatch.setattr(vues_accueil, "lignes_decisions", lignes)
    monkeypatch.setattr(module_liste, "cles_de_tri", cles)
    app, _ = ouvrir(base)
    async with app.run_test(size=(120, 30)) as pilot:
        await attendre_chargement(pilot)
        # Priorité descending: the least covered first (D3: 21 %), the most last (D1: 67 %).
        assert ids(app) == ["D3", "D2", "D4", "D1"]
        assert liste(app).curseur == 0
        app.action_recharger()
        await attendre_travaux(pilot)
        await attendre_travaux(pilot)
        assert len(fils["lignes"]) == 2 and len(fils["mise_en_oeuvre"]) == 2
        assert threading.main_thread() not in fils["lignes"] + fils["mise_en_oeuvre"]


@pytest.mark.parametrize("touche", ["1", "2", "3", "4"])
async def test_a_reload_redraws_each_menu_screen_once(base, touche, monkeypatch):
    """Textual runs every class's on_mount: a screen that also called its
    base's subscribed twice to the reload, and a detail then closed itself
    twice after « R » (ScreenStackError)."""
    from agesh_tui.screens.base import EcranMenu

    appels: list[str] = []
    originale = EcranMenu.donnees_rechargees

    def compter(self):
        appels.append(type(self).__name__)
        return originale(self)

    app = application(base, session=session_de(base, "paul"))
    async with app.run_test(size=(120, 30)) as pilot:
        await attendre_chargement(pilot)
        await pilot.press(touche)
        await attendre_travaux(pilot)
        ecran = app.screen
        monkeypatch.setattr(type(ecran), "donnees_rechargees", compter)
        app.signal_donnees.publish(None)
        await attendre_travaux(pilot)
        assert appels.count(type(ecran).__name__) == 1

"""Data changed by another session shows on its own (issue 10 item 6): the
store's watch (SQLite: the counter polled 4 times a second; PostgreSQL:
LISTEN/NOTIFY) makes the application reload in the background, then every
list and detail redraws, the cursor, the selection and the scroll kept.
A burst of writes makes one more reload, not one each; a reload that fails
keeps the data shown and « R ». The other session is a second Session on its
own connection to the same base, as another process would be."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from textual.widgets import Static

from agesh_tui.api.erreurs import BaseOccupee
from agesh_tui.app import AgeshApp
from agesh_tui.engine.stockage import ouvrir
from agesh_tui.screens.accompagnements import ListeAccompagnements
from agesh_tui.screens.decision import DetailDecision
from agesh_tui.screens.detail_accompagnement import DetailAccompagnement
from agesh_tui.widgets.entete import AVERTISSEMENT_PERIME
from agesh_tui.widgets.liste import ListeDonnees
from base_app import (
    application,
    attendre_chargement,
    attendre_travaux,
    creer_base,
    isoler,
    monde_app,
    session_de,
    texte_ecran,
)
from liste_exemple import textes
from monde import Monde

pytestmark = pytest.mark.anyio

DELAI = 3.0  # seconds: the watch looks 4 times a second, the reload is quick


def monde_rafraichissement() -> Monde:
    """The application's world and 30 more accompagnements (AC10…AC39, one
    per décision and mission), enough to scroll; D40 has none yet, in a
    lycée hors PIAL, M40 free for it."""
    m = monde_app()
    for i in range(10, 40):
        m.eleve(f"E{i}", f"NOM{i}", "Prénom", date(2014, 1, 1))
        m.scolarite(f"SE{i}", f"E{i}", "0350001A", date(2024, 9, 1), None, "6e")
        m.decision(f"D{i}", f"E{i}", "individuelle", 6.0, date(2026, 9, 1), date(2027, 8, 31))
        m.mission(f"M{i}", "A1", "HI2D", 24.0, date(2020, 9, 1), None)
        m.accompagnement(f"AC{i}", f"M{i}", [f"D{i}"], "0350001A", date(2026, 9, 1),
                         date(2027, 7, 4), 6.0)
    m.eleve("E40", "NOUVEAU", "Élève", date(2014, 1, 1))
    m.scolarite("SE40", "E40", "0350003C", date(2024, 9, 1), None, "2nde 1")
    m.decision("D40", "E40", "individuelle", 6.0, date(2026, 9, 1), date(2027, 8, 31))
    m.mission("M40", "A2", "HI2D", 24.0, date(2020, 9, 1), None)
    return m


class Bases:
    """The base of the application and another session on its own connection."""

    def __init__(self, url, moteur: str):
        self.moteur = moteur
        self.store = creer_base(url, monde_rafraichissement())
        self.autre_store = ouvrir(url)
        self.autre = session_de(self.autre_store, "paul")
        self.autre.charger()

    def supprimer(self, acc_id: str) -> None:
        if self.autre.perime():  # after a write in SQL
            self.autre.charger()
        self.autre.supprimer_accompagnement(acc_id, self.autre.accompagnement(acc_id).version)

    def fermer(self) -> None:
        self.autre.fermer()
        self.autre_store.fermer()
        self.store.fermer()


@pytest.fixture
def bases(url_base, moteur, tmp_path, monkeypatch):
    """On each engine."""
    isoler(tmp_path, monkeypatch)
    b = Bases(url_base, moteur)
    yield b
    b.fermer()


@pytest.fixture
def bases_sqlite(tmp_path, monkeypatch):
    isoler(tmp_path, monkeypatch)
    b = Bases(tmp_path / "agesh.sqlite3", "sqlite")
    yield b
    b.fermer()


def ouvrir_app(store) -> tuple[AgeshApp, list[str]]:
    app = application(store, session=session_de(store, "paul"))
    notes: list[str] = []
    notifier = app.notify

    def capturer(message, **kwargs):
        notes.append(message)
        notifier(message, **kwargs)

    app.notify = capturer
    return app, notes


def compter_chargements(session, avant=None) -> list[threading.Thread]:
    """The calls of ``session.charger`` from now on (``avant()`` first)."""
    appels: list[threading.Thread] = []
    charger = session.charger

    def compte(etape=None):
        appels.append(threading.current_thread())
        if avant is not None:
            avant()
        charger(etape)

    session.charger = compte
    return appels


async def attendre(pilot, condition, quoi: str, delai: float = DELAI) -> None:
    fin = time.monotonic() + delai
    while not condition():
        assert time.monotonic() < fin, f"pas dans les {delai} s : {quoi}"
        await pilot.pause(0.02)


def a_jour(app) -> bool:
    """Nothing left to reload: the application's data is the base's."""
    return not app.perime and not app.rafraichissement and not app.session.perime()


async def ouvrir_accompagnements(pilot) -> ListeDonnees:
    await attendre_chargement(pilot)
    await pilot.press("4")
    await attendre_travaux(pilot)
    assert isinstance(pilot.app.screen, ListeAccompagnements)
    return pilot.app.screen.query_one(ListeDonnees)


def ids(liste: ListeDonnees) -> list[str]:
    return [l.id for l in liste.lignes_affichees()]


async def test_a_write_elsewhere_shows_on_its_own_keeping_cursor_selection_and_scroll(bases):
    app, notes = ouvrir_app(bases.store)
    async with app.run_test(size=(120, 20)) as pilot:
        liste = await ouvrir_accompagnements(pilot)
        ecran = app.screen
        chargements = compter_chargements(app.session)
        assert liste.nombre_total == 33
        await pilot.press(*["down"] * 22, "space", "down", "down")
        liste.scroll_relative(y=-2, animate=False)  # a turn of the wheel
        await pilot.pause()
        cle, choisies = liste.cle_courante(), [l.id for l in liste.selection()]
        y, vue = liste.scroll_offset.y, textes(liste)
        assert y > 2 and len(choisies) == 1 and cle not in choisies

        # Another session deletes a row above the view…
        disparue = ids(liste)[0]
        bases.supprimer(disparue)
        await attendre(pilot, lambda: disparue not in ids(liste), "la ligne supprimée disparaît")
        await attendre(pilot, lambda: a_jour(app), "les données à jour")
        await attendre_travaux(pilot)
        # … without a key pressed, nothing in the way, nothing moved.
        assert app.screen is ecran and app.focused is liste
        assert liste.nombre_total == 32 and len(chargements) == 1
        assert liste.cle_courante() == cle and [l.id for l in liste.selection()] == choisies
        assert liste.scroll_offset.y == y - 1 and textes(liste) == vue
        assert not app.perime and app.check_action("recharger", ()) is False
        assert "Données rechargées." not in notes  # only « R » says so

        # … then creates one: it shows, the cursor keeps its row and its line.
        ligne_vue = liste.curseur - liste.scroll_offset.y
        cree = bases.autre.creer_accompagnement("M40", ["D40"])
        await attendre(pilot, lambda: cree.id in ids(liste), "le nouvel accompagnement paraît")
        await attendre(pilot, lambda: a_jour(app), "les données à jour")
        await attendre_travaux(pilot)
        assert liste.nombre_total == 33 and len(chargements) == 2
        assert liste.cle_courante() == cle and [l.id for l in liste.selection()] == choisies
        assert liste.curseur - liste.scroll_offset.y == ligne_vue
        assert app.screen is ecran and app.focused is liste and app.is_running


async def test_a_burst_of_writes_makes_one_more_reload_not_one_each(bases, monkeypatch):
    vues: list[int] = []
    entendu = AgeshApp.on_donnees_modifiees

    def noter(self):
        vues.append(1)
        entendu(self)

    monkeypatch.setattr(AgeshApp, "on_donnees_modifiees", noter)
    fins: list[bool] = []
    fini = AgeshApp.on_rafraichi

    def noter_fin(self, message):
        fins.append(message.charge)
        fini(self, message)

    monkeypatch.setattr(AgeshApp, "on_rafraichi", noter_fin)
    app, _ = ouvrir_app(bases.store)
    async with app.run_test(size=(120, 30)) as pilot:
        liste = await ouvrir_accompagnements(pilot)
        libre = threading.Event()
        chargements = compter_chargements(app.session, avant=lambda: libre.wait(5))
        bases.supprimer("AC11")
        await attendre(pilot, lambda: len(chargements) == 1, "le rechargement commence")
        for acc_id in ("AC12", "AC13", "AC14", "AC15"):
            bases.supprimer(acc_id)
        # While the reload is held: every NOTIFY heard (PostgreSQL), or the
        # poll's next look (SQLite, one for the four writes).
        attendus = 5 if bases.moteur == "postgresql" else 2
        await attendre(pilot, lambda: len(vues) >= attendus, "les changements entendus")
        assert app.rafraichissement and app.perime
        assert "mise à jour…" in texte_ecran(app)[0]  # the header says it
        libre.set()
        await attendre(pilot, lambda: a_jour(app), "les données à jour")
        await attendre_travaux(pilot)
        assert not {"AC11", "AC12", "AC13", "AC14", "AC15"} & set(ids(liste))
        # The held reload read the base after the burst; the one more after
        # it found nothing new to load.
        assert len(chargements) == 1 and fins == [True, False]


async def test_a_failed_reload_keeps_the_rows_and_r_then_r_reloads(bases_sqlite):
    bases = bases_sqlite
    app, notes = ouvrir_app(bases.store)
    async with app.run_test(size=(120, 30)) as pilot:
        liste = await ouvrir_accompagnements(pilot)
        essais: list[int] = []

        def echouer(etape=None):
            essais.append(1)
            raise BaseOccupee("la base est occupée par une autre session : réessayez dans un instant")

        app.session.charger = echouer
        bases.supprimer("AC11")
        await attendre(pilot, lambda: essais and not app.rafraichissement, "l'échec")
        await pilot.pause()
        assert "AC11" in ids(liste) and liste.nombre_total == 33
        assert app.perime and app.check_action("recharger", ()) is True
        assert AVERTISSEMENT_PERIME.format(touche="R") in "".join(texte_ecran(app))
        echecs = [n for n in notes if n.startswith("Mise à jour automatique impossible")]
        assert echecs == ["Mise à jour automatique impossible : la base est occupée par une autre "
                          "session : réessayez dans un instant. Les données affichées restent "
                          "celles d'avant ; R pour réessayer."]
        # Failing again (another write): said once only.
        bases.supprimer("AC12")
        await attendre(pilot, lambda: len(essais) == 2 and not app.rafraichissement, "le 2e échec")
        assert len([n for n in notes if n.startswith("Mise à jour automatique")]) == 1
        assert app.perime and "AC12" in ids(liste)

        del app.session.charger  # the base answers again
        await pilot.press("R")  # the Chargement screen, then back to the list
        await attendre(pilot, lambda: isinstance(app.screen, ListeAccompagnements), "la liste")
        await attendre_travaux(pilot)
        assert not app.perime and notes[-1] == "Données rechargées."
        assert not {"AC11", "AC12"} & set(ids(liste))


async def test_details_follow_a_reload_and_say_when_their_record_is_gone(bases_sqlite):
    bases = bases_sqlite
    app, notes = ouvrir_app(bases.store)
    async with app.run_test(size=(120, 20)) as pilot:
        await ouvrir_accompagnements(pilot)
        # A décision's detail left open in Accueil, under another menu.
        await app.switch_mode("accueil")
        await app.push_screen(DetailDecision("D21"))
        await attendre_travaux(pilot)
        await app.switch_mode("accompagnements")
        await app.push_screen(DetailAccompagnement("AC3"))
        await attendre_travaux(pilot)
        detail = app.screen
        titre = detail.query_one(".detail-titre", Static)
        defilement = detail.query_one("#detail")
        defilement.scroll_end(animate=False)
        await pilot.pause()
        y = defilement.scroll_offset.y
        assert y > 0

        # Another record changes: the detail does not move at all.
        bases.supprimer("AC11")
        await attendre(pilot, lambda: a_jour(app), "les données à jour")
        await attendre_travaux(pilot)
        assert app.screen is detail and detail.query_one(".detail-titre", Static) is titre
        assert defilement.scroll_offset.y == y

        # Its own record changes: redrawn from the new data, at the same place.
        with bases.autre_store.ecriture() as tx:
            tx.execute("UPDATE accompagnement SET heures = 7 WHERE id = 'AC3'")
        await attendre(pilot, lambda: a_jour(app), "les données à jour")
        await attendre_travaux(pilot)
        await pilot.pause()
        assert app.screen is detail and detail.query_one(".detail-titre", Static) is not titre
        assert detail.query_one("#detail").scroll_offset.y == y
        detail.query_one("#detail").scroll_home(animate=False)
        await pilot.pause()
        assert any("Heures" in l and "7 h par semaine" in l for l in texte_ecran(app))

        # D21 removed: the screen in front stays (closing D21's detail must not
        # close it); D21's detail, out of sight, follows when shown again.
        with bases.autre_store.ecriture() as tx:
            tx.execute("DELETE FROM accompagnement_decision WHERE decision_id = 'D21'")
            tx.execute("DELETE FROM decision WHERE id = 'D21'")
        await attendre(pilot, lambda: a_jour(app), "les données à jour")
        await attendre_travaux(pilot)
        assert app.screen is detail and app.is_running

        # AC3 removed: its detail, in front, closes and says why.
        bases.supprimer("AC3")
        await attendre(pilot, lambda: isinstance(app.screen, ListeAccompagnements), "la liste")
        await attendre_travaux(pilot)
        assert any(n.startswith("Cet accompagnement n'existe plus") for n in notes)
        assert "AC3" not in ids(app.screen.query_one(ListeDonnees))
        await app.switch_mode("accueil")
        await attendre(pilot, lambda: not isinstance(app.screen, DetailDecision), "D21 fermée")
        assert "Cette décision n'existe plus après le rechargement." in notes

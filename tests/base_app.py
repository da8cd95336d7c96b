"""A small département for the application's Pilot and snapshot tests, built
with the test world (monde.py) and written raw (no import cleaning): so a
pupil whose name is markup or holds an escape sequence reaches the screens
exactly as a hostile file could bring it."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import pyotp
import pytest
from textual import events
from textual.keys import _character_to_key
from textual.widgets import Input
from textual.worker import WorkerCancelled

from agesh_tui.api.base import Base
from agesh_tui.api.session import Session
from agesh_tui.app import AgeshApp
from agesh_tui.engine.stockage import Stockage, cle, ouvrir
from agesh_tui.engine.stockage.utilisateurs import ajouter, charger_utilisateur, enregistrer_secteurs
from monde import Monde

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
TOTP = pyotp.TOTP(SECRET)
T0 = datetime(2026, 11, 22, 9, 0, 0, tzinfo=UTC)  # start of a 30 s step
TODAY = date(2026, 11, 22)

NOM_PIEGE = "[@click=app.quit]X"
PRENOM_PIEGE = "\x1b[31mRouge"

ETABLISSEMENTS = [
    # uai, nom, type, commune, lat, lon, pial
    ("0350001A", "Collège Anne de Bretagne", "Collège", "Rennes", 48.11, -1.68, "0350001A"),
    ("0350002B", "École Bourg-l'Évêque", "Ecole", "Rennes", 48.12, -1.69, "0350001A"),
    ("0350003C", "Lycée Chateaubriand", "Lycée", "Saint-Malo", 48.65, -2.01, None),
]
SECTEURS = [("S1", "Rennes Nord", ["0350001A", "0350002B"]), ("S2", "Saint-Malo", ["0350003C"])]
ELEVES = [
    # id, nom, prénom, naissance, état, structure de soin, uai, classe
    ("E1", "DUPONT", "Léa", "2013-03-14", "actif", "SESSAD Rennes", "0350001A", "6e B"),
    ("E2", NOM_PIEGE, PRENOM_PIEGE, "2015-06-01", "actif", "", "0350002B", "CM1 A"),
    ("E3", "MARTIN", "Hugo", "2010-01-20", "gele", "", "0350003C", "2nde 3"),
    ("E4", "BERNARD", "Inès", "2016-02-02", "actif", "", "0350002B", "CE2"),
]
DECISIONS = [
    # id, élève, type, heures, début, fin
    ("D1", "E1", "individuelle", 24.0, "2026-09-01", "2027-08-31"),
    ("D2", "E2", "mutualisee", None, "2026-09-01", "2028-08-31"),
    ("D3", "E3", "individuelle", 12.0, "2025-09-01", "2027-08-31"),
    ("D4", "E4", "mutualisee", None, "2026-10-01", "2027-07-07"),
]
AESH = [("A1", "MOREAU", "Claire", 48.10, -1.67), ("A2", "PETIT", "Jean", 48.60, -2.00)]
MISSIONS = [("M1", "A1", "HI2D", 41.0), ("M2", "A2", "HI2D", 41.0)]
ACCOMPAGNEMENTS = [
    # id, mission, décisions, uai, début, fin, heures, prévisionnel
    ("AC1", "M1", ["D1"], "0350001A", "2026-11-02", "2027-07-04", 24.0, 0),
    ("AC2", "M2", ["D3"], "0350003C", "2026-09-01", "2027-07-04", 6.0, 0),
    ("AC3", "M1", ["D2", "D4"], "0350002B", "2027-01-04", "2027-07-04", 8.0, 1),
]


def monde_app() -> Monde:
    """The small département of the application's tests."""
    m = Monde()
    for uai, nom, typ, commune, lat, lon, pial in ETABLISSEMENTS:
        m.etablissement(uai, nom, typ, commune, lat, lon, pial)
    for code, nom, uais in SECTEURS:
        m.secteur(code, nom, uais)
    for eid, nom, prenom, naissance, etat, soin, uai, classe in ELEVES:
        m.eleve(eid, nom, prenom, date.fromisoformat(naissance), etat, soin)
        m.scolarite(f"S{eid}", eid, uai, date(2024, 9, 1), None, classe)
    m.proche("E1", "DUPONT", "Marc", "père", "0601020304", "marc.dupont@example.org")
    for did, eid, typ, heures, debut, fin in DECISIONS:
        m.decision(did, eid, typ, heures, date.fromisoformat(debut), date.fromisoformat(fin))
    for aid, nom, prenom, lat, lon in AESH:
        m.aesh(aid, nom, prenom, lat, lon)
    for mid, aid, nature, volume in MISSIONS:
        m.mission(mid, aid, nature, volume, date(2020, 9, 1), None)
    for acid, mid, dids, uai, debut, fin, heures, prev in ACCOMPAGNEMENTS:
        m.accompagnement(acid, mid, dids, uai, date.fromisoformat(debut), date.fromisoformat(fin),
                         heures, previsionnel=bool(prev))
    m.metas["demo"] = "1"
    return m


def creer_base(url, monde: Monde | None = None) -> Stockage:
    """The base (of ``monde``, default monde_app()), with users marie.curie
    (two profiles), paul (gestionnaire, whole département) and malo
    (gestionnaire of secteur S2 only), all on SECRET. Needs $AGESH_KEY_FILE
    pointing into a temporary folder."""
    store = ouvrir(url)
    (monde or monde_app()).ecrire(store)
    ajouter(store, "marie.curie", "Marie Curie", ("superviseur", "gestionnaire"), secret=SECRET)
    ajouter(store, "paul", "Paul Gestion", ("gestionnaire",), secret=SECRET)
    ajouter(store, "malo", "Malo Secteur", ("gestionnaire",), secret=SECRET)
    enregistrer_secteurs(store, "malo", ("S2",))
    return store


def isoler(tmp_path, monkeypatch) -> None:
    """Screens must not depend on the developer's machine: the key file,
    demarrer-demo's hint, NO_COLOR, their own keys (touches.toml)."""
    monkeypatch.setenv(cle.ENV_KEY_FILE, str(tmp_path / "cle-otp.key"))
    monkeypatch.delenv("AGESH_COMMANDE", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "configuration"))


@pytest.fixture
def base(tmp_path, monkeypatch) -> Stockage:
    """The application's base (SQLite: the screens do not depend on the engine)."""
    isoler(tmp_path, monkeypatch)
    store = creer_base(tmp_path / "agesh.sqlite3")
    yield store
    store.fermer()


@pytest.fixture
def base_deux_moteurs(url_base, cle_temporaire) -> Stockage:
    """The same base on each engine (tests of the Session through storage)."""
    store = creer_base(url_base)
    yield store
    store.fermer()


class Horloge:
    """The login screen's clock, moved by the test."""

    def __init__(self, instant: datetime = T0):
        self.instant = instant

    def __call__(self) -> datetime:
        return self.instant

    def avancer(self, secondes: float) -> None:
        self.instant += timedelta(seconds=secondes)


def application(store: Stockage, horloge=None, session: Session | None = None) -> AgeshApp:
    app = AgeshApp(Base(store), TODAY, session=session, horloge=horloge or Horloge())
    app.animation_level = "none"
    return app


def session_de(store: Stockage, login: str, profil: str = "gestionnaire") -> Session:
    return Session(store, charger_utilisateur(store, login), profil, TODAY)


async def se_connecter(pilot, login: str, code: str) -> None:
    app = pilot.app
    app.screen.query_one("#login").value = login
    app.screen.query_one("#code").value = code
    app.screen.query_one("#code").focus()
    await pilot.press("enter")
    await attendre_travaux(pilot)  # the check runs in a worker


async def taper_d_un_coup(pilot, *touches: str) -> None:
    """Keys sent the way a terminal sends a burst (auto-type, a fast
    typist): all at once, none waiting for the one before to be handled.
    ``pilot.press`` waits for the application to be idle after every key,
    which hides what a burst does. A one-character string is that
    character; a longer one is a key name (« tab », « enter »)."""
    app = pilot.app
    for touche in touches:
        if len(touche) == 1:
            cle, caractere = _character_to_key(touche), touche
        else:
            cle, caractere = touche, {"tab": "\t", "enter": "\r", "space": " "}.get(touche)
        app._driver.send_message(events.Key(cle, caractere))
    fin = time.monotonic() + 10
    await pilot.pause()
    while app.rafale.en_attente:
        assert time.monotonic() < fin, "les touches tapées n'ont pas toutes été traitées"
        await pilot.pause(0.02)
    await attendre_travaux(pilot)


def texte_ecran(app) -> list[str]:
    """What the terminal shows now, line by line."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def attendre_travaux(pilot) -> None:
    """Until the workers are done (a cancelled one, replaced by a newer, is fine)."""
    try:
        await pilot.app.workers.wait_for_complete()
    except WorkerCancelled:
        pass
    await pilot.pause()


async def attendre_a_jour(pilot, delai: float = 5.0) -> None:
    """Until the data changed elsewhere is reloaded on its own (the store's
    watch looks 4 times a second) and the screens are redrawn from it."""
    app = pilot.app
    fin = time.monotonic() + delai
    while app.perime or app.rafraichissement or app.session_ouverte.perime():
        assert time.monotonic() < fin, "les données n'ont pas été mises à jour"
        await pilot.pause(0.05)
    await attendre_travaux(pilot)
    await attendre_travaux(pilot)
    await pilot.pause()


async def attendre_chargement(pilot) -> None:
    """Until the département is loaded and Accueil shows."""
    for _ in range(200):
        await attendre_travaux(pilot)
        if pilot.app.current_mode == "accueil":
            await attendre_travaux(pilot)
            return
    raise AssertionError("Accueil ne s'est pas affiché")


@pytest.fixture
def anyio_backend():
    """Pilot tests run on asyncio (anyio's pytest plugin, marker ``anyio``)."""
    return "asyncio"


# -- the fixed world of the snapshots ------------------------------------------------------
NOM_BASE_ECRAN = "ecran.sqlite3"


def monde_ecran() -> Monde:
    """The application's world and a dozen more décisions, one for each look
    a screen can take (complete, partielle, nothing in place, excédentaire,
    prévisionnel, maintien, incohérence, no scolarité, ended, coming, a
    pupil who changed school): a change of the demo generator never
    rewrites a snapshot."""
    m = monde_app()
    d = date
    m.etablissement("0350004D", "École Jean Moulin", "Ecole", "Rennes", 48.10, -1.66, "0350001A")
    m.etablissement("0350005E", "Collège Les Gayeulles", "Collège", "Rennes", 48.13, -1.64, "0350005E")
    m.secteur_de.update({"0350004D": "S1", "0350005E": "S1"})
    autres = [
        # id, nom, prénom, uai, classe, type, heures, début, fin
        ("E5", "LEROY", "Chloé", "0350004D", "CE1", "individuelle", 12.0, d(2026, 9, 1), d(2027, 7, 4)),
        ("E6", "MOREL", "Nathan", "0350005E", "5e A", "individuelle", 18.0, d(2026, 9, 1), d(2027, 8, 31)),
        ("E7", "GIRARD", "Emma", "0350005E", "4e B", "individuelle", 6.0, d(2025, 9, 1), d(2026, 12, 18)),
        ("E8", "ANDRE", "Lucas", "0350004D", "CM2", "mutualisee", None, d(2026, 9, 1), d(2027, 7, 4)),
        ("E9", "MERCIER", "Jade", "0350004D", "CM2", "mutualisee", None, d(2026, 9, 1), d(2027, 7, 4)),
        ("E10", "BLANC", "Louis", "0350005E", "6e C", "individuelle", 9.0, d(2027, 1, 4), d(2027, 7, 4)),
        ("E11", "GUERIN", "Manon", "0350001A", "3e A", "individuelle", 15.0, d(2024, 9, 1), d(2026, 8, 31)),
        ("E12", "FAURE", "Hugo", "0350005E", "5e B", "individuelle", 10.0, d(2026, 9, 1), d(2027, 8, 31)),
        ("E13", "ROBIN", "Tom", "0350004D", "CM2", "individuelle", 8.0, d(2025, 9, 1), d(2027, 8, 31)),
    ]
    for eid, nom, prenom, uai, classe, typ, heures, debut, fin in autres:
        m.eleve(eid, nom, prenom, d(2014, 5, 2))
        if eid == "E13":  # E13: went up to the collège this year
            m.scolarite(f"S{eid}", eid, uai, d(2024, 9, 1), d(2026, 8, 31), classe)
            m.scolarite(f"S{eid}b", eid, "0350005E", d(2026, 9, 1), None, "6e A")
        elif eid != "E12":  # E12: notified, not yet schooled (the ERSEH has not entered it)
            m.scolarite(f"S{eid}", eid, uai, d(2024, 9, 1), None, classe)
        m.decision(f"D{eid[1:]}", eid, typ, heures, debut, fin, "Réexamen")
    m.aesh("A3", "ROUSSEL", "Inès", 48.12, -1.65)
    m.aesh("A4", "NOEL", "Paul", 48.20, -1.60, source="previsionnel")
    m.mission("M3", "A3", "HP1D", 24.0, d(2024, 9, 1), d(2027, 8, 31), contrat="CDD")
    m.mission("M4", "A4", "HI2D", 20.0, d(2026, 9, 1), d(2027, 8, 31), contrat="CDD",
              source="previsionnel")
    for ident, mission, decisions, uai, debut, fin, heures, flags in (
        ("AC5", "M3", ["D5"], "0350004D", d(2026, 9, 1), d(2027, 7, 4), 12.0, {}),
        ("AC6", "M3", ["D6"], "0350005E", d(2026, 9, 1), d(2026, 12, 31), 9.0, {}),
        ("AC7", "M4", ["D6"], "0350005E", d(2027, 1, 4), d(2027, 8, 31), 18.0, {"previsionnel": True}),
        ("AC8", "M1", ["D7"], "0350005E", d(2025, 9, 1), d(2026, 12, 18), 8.0, {}),
        ("AC9", "M3", ["D8", "D9"], "0350004D", d(2026, 10, 5), d(2027, 7, 4), 6.0, {}),
        ("AC10", "M2", ["D11"], "0350001A", d(2026, 9, 1), d(2026, 10, 16), 15.0, {"maintien": True}),
    ):
        m.accompagnement(ident, mission, decisions, uai, debut, fin, heures, **flags)
    return m


def creer_base_ecran(url) -> Stockage:
    """The snapshots' base, users demo.gestionnaire and demo.superviseur (two
    profiles) on SECRET."""
    store = ouvrir(url)
    monde_ecran().ecrire(store)
    ajouter(store, "demo.gestionnaire", "Gestionnaire de démonstration", ("gestionnaire",),
            secret=SECRET)
    ajouter(store, "demo.superviseur", "Superviseur de démonstration",
            ("superviseur", "gestionnaire"), secret=SECRET)
    return store


@pytest.fixture
def base_ecran(tmp_path, monkeypatch):
    """The fixed world of the snapshots (monde_ecran), opened from its
    folder by a relative name, so that every path on screen is the same on
    every run."""
    isoler(tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)
    store = creer_base_ecran(NOM_BASE_ECRAN)
    yield store
    store.fermer()


def app_de(store, login: str | None = "demo.gestionnaire", profil: str = "gestionnaire") -> AgeshApp:
    """The application on the snapshots' base, logged in as ``login`` (None:
    on the login screen)."""
    session = None
    if login:
        session = Session(store, charger_utilisateur(store, login), profil, TODAY)
    app = AgeshApp(Base(store), TODAY, session=session)
    app.animation_level = "none"
    return app


async def figer(pilot) -> None:
    """Loaded, idle, and every text cursor shown steadily."""
    await attendre_travaux(pilot)
    for champ in pilot.app.screen.query(Input):
        champ.cursor_blink = False
    await pilot.pause()

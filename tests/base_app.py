"""A small département for the application's Pilot tests, written straight
into SQLite (no import cleaning): so a pupil whose name is markup or holds an
escape sequence reaches the screens exactly as a hostile file could bring it."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pyotp
import pytest
from textual.worker import WorkerCancelled

from agesh_tui.api.session import Session
from agesh_tui.app import AgeshApp
from agesh_tui.engine.stockage import cle
from agesh_tui.engine.stockage.sqlite import Store, open_store
from agesh_tui.engine.stockage.utilisateurs import ajouter, charger_utilisateur

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
TOTP = pyotp.TOTP(SECRET)
T0 = datetime(2026, 11, 22, 9, 0, 0, tzinfo=timezone.utc)  # start of a 30 s step
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


def creer_base(path) -> Store:
    """The base, with users marie.curie (two profiles), paul (gestionnaire,
    whole département) and malo (gestionnaire of secteur S2 only), all on
    SECRET. Needs $AGESH_KEY_FILE pointing into a temporary folder."""
    store = open_store(path)
    with store.write() as con:
        for uai, nom, typ, commune, lat, lon, pial in ETABLISSEMENTS:
            con.execute(
                "INSERT INTO etablissement VALUES (?, ?, ?, 'Public', '35238', ?, '35000', ?, ?, "
                "'Rennes', 0, ?)", (uai, nom, typ, commune, lat, lon, pial),
            )
        for code, nom, uais in SECTEURS:
            con.execute("INSERT INTO secteur VALUES (?, ?, 'ERSEH', 'erseh@ac-rennes.fr')", (code, nom))
            for uai in uais:
                con.execute("INSERT INTO secteur_etablissement VALUES (?, ?)", (code, uai))
        for eid, nom, prenom, naissance, etat, soin, uai, classe in ELEVES:
            con.execute("INSERT INTO eleve (id, nom, prenom, date_naissance, etat_dossier, "
                        "structure_soin) VALUES (?, ?, ?, ?, ?, ?)",
                        (eid, nom, prenom, naissance, etat, soin))
            con.execute("INSERT INTO scolarite VALUES (?, ?, ?, ?, '2024-09-01', NULL)",
                        (f"S{eid}", eid, uai, classe))
        con.execute("INSERT INTO proche VALUES ('E1', 'DUPONT', 'Marc', 'père', '0601020304', "
                    "'marc.dupont@example.org')")
        for did, eid, typ, heures, debut, fin in DECISIONS:
            con.execute("INSERT INTO decision VALUES (?, ?, ?, ?, 'Première demande', "
                        "'projet cible', ?, ?)", (did, eid, typ, heures, debut, fin))
        for aid, nom, prenom, lat, lon in AESH:
            con.execute("INSERT INTO aesh (id, source, civilite, nom, prenom, adresse, "
                        "code_postal, commune, latitude, longitude, transport, rqth, actif) "
                        "VALUES (?, 'EPP', 'Mme', ?, ?, '', '35000', 'Rennes', ?, ?, '', 0, 1)",
                        (aid, nom, prenom, lat, lon))
        for mid, aid, nature, volume in MISSIONS:
            con.execute("INSERT INTO mission (id, aesh_id, contrat, nature, quotite, volume, "
                        "debut, fin, uai_employeur, uai_payeur, source, actif) VALUES "
                        "(?, ?, 'CDI', ?, 100, ?, '2020-09-01', NULL, NULL, NULL, 'EPP', 1)",
                        (mid, aid, nature, volume))
        for acid, mid, dids, uai, debut, fin, heures, prev in ACCOMPAGNEMENTS:
            con.execute("INSERT INTO accompagnement (id, mission_id, uai, debut, fin, heures, "
                        "repas, pause_meridienne, previsionnel, maintien) VALUES "
                        "(?, ?, ?, ?, ?, ?, 0, 0, ?, 0)", (acid, mid, uai, debut, fin, heures, prev))
            for rang, did in enumerate(dids):
                con.execute("INSERT INTO accompagnement_decision VALUES (?, ?, ?)", (acid, did, rang))
        store.set_meta(con, "demo", "1")
    ajouter(store, "marie.curie", "Marie Curie", ("superviseur", "gestionnaire"), secret=SECRET)
    ajouter(store, "paul", "Paul Gestion", ("gestionnaire",), secret=SECRET)
    ajouter(store, "malo", "Malo Secteur", ("gestionnaire",), secret=SECRET)
    with store.write(compter=False) as con:
        con.execute("UPDATE utilisateur SET secteurs = 'S2' WHERE login = 'malo'")
    return store


@pytest.fixture
def base(tmp_path, monkeypatch) -> Store:
    monkeypatch.setenv(cle.ENV_KEY_FILE, str(tmp_path / "cle-otp.key"))
    # Screens must not depend on the developer's shell (demarrer-demo's hint, NO_COLOR).
    monkeypatch.delenv("AGESH_COMMANDE", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    store = creer_base(tmp_path / "agesh.sqlite3")
    yield store
    store.close()


class Horloge:
    """The login screen's clock, moved by the test."""

    def __init__(self, instant: datetime = T0):
        self.instant = instant

    def __call__(self) -> datetime:
        return self.instant

    def avancer(self, secondes: float) -> None:
        self.instant += timedelta(seconds=secondes)


def application(store: Store, horloge=None, session: Session | None = None) -> AgeshApp:
    app = AgeshApp(store, TODAY, session=session, horloge=horloge or Horloge())
    app.animation_level = "none"
    return app


def session_de(store: Store, login: str, profil: str = "gestionnaire") -> Session:
    return Session(store, charger_utilisateur(store, login), profil, TODAY)


async def se_connecter(pilot, login: str, code: str) -> None:
    app = pilot.app
    app.screen.query_one("#login").value = login
    app.screen.query_one("#code").value = code
    app.screen.query_one("#code").focus()
    await pilot.press("enter")
    await pilot.pause()


async def attendre_travaux(pilot) -> None:
    """Until the workers are done (a cancelled one, replaced by a newer, is fine)."""
    try:
        await pilot.app.workers.wait_for_complete()
    except WorkerCancelled:
        pass
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

"""The demo département (``agesh demo``): a whole, plausible, reproducible
database built on the real Ille-et-Vilaine référentiel.

Same size, seed and "today" → the same content, row for row: one
``random.Random(seed)``, no clock (dates are anchored on the "today" passed
in), no iteration over sets. The only exception is the encrypted TOTP
secret of the demo users (Fernet adds a random IV), whose clear value is
itself derived from the seed.

Sizes: S ≈ 300 décisions (tests), M ≈ 6 000 décisions and 2 500 AESH
(Ille-et-Vilaine today), L ≈ 25 000, XL ≈ 100 000 décisions (the académie:
the référentiel copied under 022, 029 and 056).

The database is built in a file beside the target and renamed over it at
the end: an interrupted build leaves the previous file as it was.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import random
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from urllib.parse import quote

from ..modele.model import Accompagnement
from ..stockage.sqlite import Store, StoreError
from .aesh import (
    PART_AESH_PAR_DECISION,
    Fabrique,
    Personnel,
    Zones,
    affecter_missions,
    generer_affectations,
    generer_personnel,
)
from .besoins import generer_besoins
from .eleves import Dossier, generer_eleves
from .outils import Contexte
from .plantes import Planteur
from .territoire import Territoire, charger_territoire

TAILLES: dict[str, tuple[int, tuple[str, ...]]] = {
    "S": (300, ("035",)),
    "M": (6000, ("035",)),
    "L": (25000, ("035",)),
    "XL": (100000, ("035", "022", "029", "056")),
}
UTILISATEURS = (
    ("demo.superviseur", "Superviseur de démonstration", ("superviseur", "gestionnaire")),
    ("demo.gestionnaire", "Gestionnaire de démonstration", ("gestionnaire",)),
)

Progression = Callable[[str, int, int], None]  # (étape, faites, total)


class DemoError(StoreError):
    """A demo that cannot be built (French message)."""


@dataclass
class Demo:
    ctx: Contexte
    taille: str
    graine: int
    territoire: Territoire
    dossiers: list[Dossier]
    personnel: Personnel
    accompagnements: list[Accompagnement]
    plantes: dict[str, list[str]]
    formule: str

    @property
    def dossier_de(self) -> dict[str, Dossier]:
        return {d.eleve.id: d for d in self.dossiers}


ETAPES = ("Référentiel", "Élèves et décisions", "Accompagnements prévus", "AESH et missions",
          "Affectations", "Anomalies plantées", "Écriture", "Agrégats PIAL")


def generer(taille: str, graine: int, today: date, progression: Progression | None = None) -> Demo:
    """Everything in memory (no database)."""
    from ..regles.formule import FORMULE_PAR_DEFAUT
    from ..echange.referentiel import chemin_demo, lire_annuaire

    if taille not in TAILLES:
        raise DemoError(f"taille « {taille} » inconnue : attendu {', '.join(TAILLES)}.")
    cible, departements = TAILLES[taille]
    etape = _etapes(progression)
    ctx = Contexte(random.Random(graine), today)

    etape()
    referentiel = lire_annuaire(chemin_demo() / "fr-en-annuaire-education-035.csv")
    territoire = charger_territoire(referentiel, departements, ctx.rng)
    etape()
    dossiers = generer_eleves(ctx, territoire, cible)
    etape()
    besoins = generer_besoins(ctx, territoire, dossiers)
    etape()
    personnel = generer_personnel(ctx, territoire, besoins, round(cible * PART_AESH_PAR_DECISION))
    besoins = affecter_missions(ctx, personnel, besoins)
    etape()
    generer_affectations(ctx, territoire, personnel, besoins)
    accs = []
    for b in besoins:
        accs.append(Accompagnement(
            ctx.ident("AC", b.uai[:3]), b.mission.id, tuple(d.id for d in b.decisions), b.uai,
            b.debut, b.fin, b.heures, b.repas, b.pause,
            b.previsionnel or b.mission.source == "previsionnel", b.maintien,
        ))
    etape()
    k = max(1, round(len(accs) * 0.012 / 9))
    planteur = Planteur(ctx, territoire, Fabrique(ctx, territoire, Zones(territoire), personnel),
                        personnel, dossiers, accs)
    plantes = planteur.planter(k)
    return Demo(ctx, taille, graine, territoire, dossiers, personnel, planteur.resultat(), plantes,
                FORMULE_PAR_DEFAUT)


def _etapes(progression: Progression | None):
    compteur = iter(range(len(ETAPES)))

    def etape():
        i = next(compteur)
        if progression is not None:
            progression(ETAPES[i], i, len(ETAPES))
    return etape


def secret_demo(login: str, graine: int) -> str:
    """The demo users' TOTP secret (base32, 160 bits), derived from the seed."""
    return base64.b32encode(hashlib.sha256(f"agesh-demo:{login}:{graine}".encode()).digest()[:20]).decode()


def _table_remplie(con: sqlite3.Connection) -> str | None:
    """The first table holding a row, SQLite's and the meta counters aside:
    anything there, even a single user or paramètre, is not a demo's to erase."""
    for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
        if table in ("meta", "sqlite_sequence"):
            continue
        if con.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone():
            return table
    return None


def verifier_cible(chemin: Path) -> None:
    """Refuse a file that holds anything but a previous demo."""
    if not chemin.exists() or (chemin.is_file() and chemin.stat().st_size == 0):
        return
    if not chemin.is_file():
        raise DemoError(f"{chemin} n'est pas un fichier : la démonstration ne peut pas l'y construire.")
    try:
        con = sqlite3.connect(f"file:{quote(str(chemin.resolve()))}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            demo = None
            if "meta" in tables:
                row = con.execute("SELECT valeur FROM meta WHERE cle = 'demo'").fetchone()
                demo = row[0] if row else None
            if demo == "1":
                return
            if tables and "meta" not in tables:
                raise DemoError(
                    f"{chemin} est une base SQLite qui n'est pas une base agesh-tui : "
                    "la démonstration ne l'écrase pas. Choisissez un autre fichier avec --db."
                )
            table = _table_remplie(con)
            if table:
                raise DemoError(
                    f"la base {chemin} contient des données qui ne sont pas une démonstration "
                    f"(table {table}) : elle n'est pas écrasée. Choisissez un autre fichier "
                    "avec --db (ou $AGESH_DB)."
                )
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise DemoError(
            f"{chemin} n'est pas une base agesh-tui lisible ({exc}) : la démonstration ne l'écrase pas."
        ) from exc


def _supprimer(chemin: Path) -> None:
    for suffixe in ("", "-wal", "-shm", "-journal"):
        try:
            os.unlink(f"{chemin}{suffixe}")
        except FileNotFoundError:
            pass


def _vider_demo(store: Store) -> None:
    """Empty a store that holds a previous demo (or nothing); refuse other data."""
    tables = [r[0] for r in store.rows("SELECT name FROM sqlite_master WHERE type = 'table'")]
    if store.get_meta("demo") != "1":
        table = _table_remplie(store.con)
        if table:
            raise DemoError(
                f"la base {store.path} contient des données qui ne sont pas une démonstration "
                f"(table {table}) : elle n'est pas écrasée."
            )
    with store.write() as con:
        for table in tables:
            if table == "meta":
                con.execute("DELETE FROM meta WHERE cle != 'changements'")
            elif table != "sqlite_sequence":
                con.execute(f"DELETE FROM {table}")


def _remplir(store: Store, demo: Demo, annoncer) -> dict[str, int]:
    """Write the demo, its users and meta in one transaction; returns the
    rows per table."""
    from ..stockage.utilisateurs import ajouter
    from .ecriture import ecrire

    annoncer()
    # the foreign keys are checked once, at the end, instead of per row
    store.con.execute("PRAGMA foreign_keys=OFF")
    try:
        with store.write() as con:
            comptes = ecrire(con, demo)
            violations = con.execute("PRAGMA foreign_key_check").fetchall()
            if violations:
                raise DemoError(f"démonstration incohérente (clés étrangères) : {violations[:3]}")
            for login, nom, profils in UTILISATEURS:
                ajouter(store, login, nom, profils, secret=secret_demo(login, demo.graine))
                con.execute(
                    "UPDATE utilisateur SET mail = ?, telephone = ?, adresse = ? WHERE login = ?",
                    (f"{login}@ac-rennes.fr", "02 61 91 35 00",
                     "DSDEN d'Ille-et-Vilaine, 1 quai Dujardin, 35705 Rennes Cedex 7", login),
                )
            deps = TAILLES[demo.taille][1]
            for cle, valeur in (
                ("demo", "1"), ("departement", deps[0]), ("departements", ",".join(deps)),
                ("taille", demo.taille), ("graine", str(demo.graine)),
                ("demo_aujourdhui", demo.ctx.today.isoformat()),
                ("demo_plantes", json.dumps(demo.plantes, sort_keys=True)),
            ):
                Store.set_meta(con, cle, valeur)
    finally:
        store.con.execute("PRAGMA foreign_keys=ON")
    return comptes


def _agreger(store: Store, today: date) -> int:
    """The PIAL aggregates of the current school year, computed from the
    stored data (the PIAL screen shows them « à jour »)."""
    from ..regles.besoin import recalculer
    from ..calendrier import annee_scolaire
    from ..modele.departement import charger

    return recalculer(store, charger(store), annee_scolaire(today), datetime.combine(today, time(6, 30)))


def _annonceur(progression: Progression | None):
    compteur = iter(ETAPES[len(ETAPES) - 2:])  # the steps after generer()

    def annoncer():
        if progression is not None:
            nom = next(compteur)
            progression(nom, ETAPES.index(nom), len(ETAPES))
    return annoncer


def construire(chemin: Path, taille: str = "M", graine: int = 1, today: date | None = None,
               progression: Progression | None = None, agregats: bool = True) -> dict:
    """Build the demo database at ``chemin`` (replacing a previous demo);
    returns the summary printed by ``agesh demo --json``."""
    today = today or date(2026, 11, 22)
    chemin = Path(chemin)
    verifier_cible(chemin)
    demo = generer(taille, graine, today, progression)
    temporaire = chemin.with_name(chemin.name + ".construction")
    _supprimer(temporaire)
    try:
        store = Store(temporaire)
        try:
            # a scratch file until renamed: no need for durability on the way
            for pragma in ("synchronous=OFF", "journal_mode=MEMORY", "cache_size=-200000"):
                store.con.execute(f"PRAGMA {pragma}")
            annoncer = _annonceur(progression)
            resume = _resume(demo, _remplir(store, demo, annoncer), str(chemin))
            del demo  # the generated objects: memory for the aggregates
            annoncer()
            resume["agregats_pial"] = _agreger(store, today) if agregats else 0
            store.con.execute("PRAGMA journal_mode=DELETE")
        finally:
            store.close()
        _supprimer(chemin)
        os.replace(temporaire, chemin)
    except BaseException:
        _supprimer(temporaire)
        raise
    return resume


def construire_demo(store: Store, taille: str = "M", graine: int = 1, today: date | None = None,
                    progression: Progression | None = None, agregats: bool = True) -> dict:
    """The same, into an open store (empty, or holding a previous demo that
    is emptied first)."""
    today = today or date(2026, 11, 22)
    _vider_demo(store)
    demo = generer(taille, graine, today, progression)
    annoncer = _annonceur(progression)
    resume = _resume(demo, _remplir(store, demo, annoncer), str(store.path))
    del demo
    annoncer()
    resume["agregats_pial"] = _agreger(store, today) if agregats else 0
    return resume


def _resume(demo: Demo, comptes: dict[str, int], base: str) -> dict:
    plantes = {k: len(v) for k, v in sorted(demo.plantes.items())}
    return {
        "taille": demo.taille,
        "graine": demo.graine,
        "aujourdhui": demo.ctx.today.isoformat(),
        "base": base,
        "departements": list(TAILLES[demo.taille][1]),
        "etablissements": comptes["etablissement"],
        "secteurs": comptes["secteur"],
        "eleves": comptes["eleve"],
        "scolarites": comptes["scolarite"],
        "decisions": comptes["decision"],
        "aesh": comptes["aesh"],
        "missions": comptes["mission"],
        "affectations": comptes["affectation_pial"],
        "accompagnements": comptes["accompagnement"],
        "agregats_pial": 0,
        "plantes": plantes,
        "utilisateurs": [login for login, _, _ in UTILISATEURS],
    }

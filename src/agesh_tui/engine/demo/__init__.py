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

A SQLite demo is built in a file beside the target and renamed over it at
the end; a PostgreSQL demo replaces the previous one in one transaction:
either way, an interrupted build leaves the previous base as it was.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from ..modele.model import Accompagnement
from ..stockage import BaseIntrouvable, Stockage, StoreError, chemin_sqlite, ouvrir
from ..stockage.tables import table_remplie, vider
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
    from ..echange.referentiel import chemin_demo, lire_annuaire
    from ..regles.formule import FORMULE_PAR_DEFAUT

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
        assert b.mission is not None, "affecter_missions keeps the plans that got a mission"
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


def _refuser_autre(store: Stockage, tx) -> None:
    """Anything but a previous demo, even a single user or paramètre, is
    not a demo's to erase."""
    if tx.meta("demo") == "1":
        return
    table = table_remplie(tx)
    if table:
        raise DemoError(
            f"la base {store.description} contient des données qui ne sont pas une "
            f"démonstration (table {table}) : elle n'est pas écrasée. Choisissez une autre "
            "base avec --db (ou $AGESH_DB)."
        )


def verifier_cible(chemin: Path) -> None:
    """Refuse a file that holds anything but a previous demo."""
    if not chemin.exists() or (chemin.is_file() and chemin.stat().st_size == 0):
        return
    if not chemin.is_file():
        raise DemoError(f"{chemin} n'est pas un fichier : la démonstration ne peut pas l'y construire.")
    try:
        store = ouvrir(chemin, creer=False)
    except BaseIntrouvable as exc:
        raise DemoError(
            f"{chemin} n'est pas une base agesh-tui : la démonstration ne l'écrase pas. "
            "Choisissez un autre fichier avec --db."
        ) from exc
    except StoreError as exc:
        raise DemoError(f"{exc} — la démonstration ne l'écrase pas.") from exc
    try:
        with store.lecture() as tx:
            _refuser_autre(store, tx)
    finally:
        store.fermer()


def _remplir(store: Stockage, demo: Demo, today: date, annoncer, agregats: bool) -> dict:
    """Empty the base (a previous demo, or nothing), write the demo, its
    users, meta and aggregates — in one transaction; returns the summary."""
    from ..stockage.utilisateurs import ajouter, coordonnees
    from .ecriture import ecrire

    annoncer()
    with store.ecriture() as tx:
        _refuser_autre(store, tx)
        vider(tx)
        store.recaler_identites(tx)  # messages and journal numbered from 1 again
        comptes = ecrire(tx, demo)
        violations = store.violations_cles(tx)
        if violations:
            raise DemoError(f"démonstration incohérente (clés étrangères) : {violations[:3]}")
        for login, nom, profils in UTILISATEURS:
            ajouter(store, login, nom, profils, secret=secret_demo(login, demo.graine))
            coordonnees(tx, login, f"{login}@ac-rennes.fr", "02 61 91 35 00",
                        "DSDEN d'Ille-et-Vilaine, 1 quai Dujardin, 35705 Rennes Cedex 7")
        deps = TAILLES[demo.taille][1]
        for cle, valeur in (
            ("demo", "1"), ("departement", deps[0]), ("departements", ",".join(deps)),
            ("taille", demo.taille), ("graine", str(demo.graine)),
            ("demo_aujourdhui", demo.ctx.today.isoformat()),
            ("demo_plantes", json.dumps(demo.plantes, sort_keys=True)),
        ):
            tx.set_meta(cle, valeur)
        resume = _resume(demo, comptes, store.description)
        annoncer()
        resume["agregats_pial"] = _agreger(store, today) if agregats else 0
    return resume


def _agreger(store: Stockage, today: date) -> int:
    """The PIAL aggregates of the current school year, computed from the
    stored data (the PIAL screen shows them « à jour »)."""
    from ..calendrier import annee_scolaire
    from ..operations.agregats import recalculer
    from ..stockage.chargement import charger

    return recalculer(store, charger(store), annee_scolaire(today), datetime.combine(today, time(6, 30)))


def _annonceur(progression: Progression | None):
    compteur = iter(ETAPES[len(ETAPES) - 2:])  # the steps after generer()

    def annoncer():
        if progression is not None:
            nom = next(compteur)
            progression(nom, ETAPES.index(nom), len(ETAPES))
    return annoncer


def construire(url: str | os.PathLike | None, taille: str = "M", graine: int = 1,
               today: date | None = None, progression: Progression | None = None,
               agregats: bool = True) -> dict:
    """Build the demo in the base ``url`` names (replacing a previous demo,
    refusing anything else); returns the summary printed by ``agesh demo --json``."""
    today = today or date(2026, 11, 22)
    chemin = chemin_sqlite(url)
    if chemin is None:
        store = ouvrir(url)
        try:
            return construire_demo(store, taille, graine, today, progression, agregats)
        finally:
            store.fermer()
    from ..stockage.sqlite import StockageSqlite, remplacer_base

    verifier_cible(chemin)
    demo = generer(taille, graine, today, progression)
    temporaire = chemin.with_name(chemin.name + ".construction")
    _supprimer(temporaire)
    try:
        store = StockageSqlite(temporaire, construction=True)
        try:
            resume = _remplir(store, demo, today, _annonceur(progression), agregats)
        finally:
            store.fermer()
        resume["base"] = str(chemin)
        remplacer_base(temporaire, chemin)
    except BaseException:
        _supprimer(temporaire)
        raise
    return resume


def _supprimer(chemin: Path) -> None:
    for suffixe in ("", "-wal", "-shm", "-journal"):
        try:
            os.unlink(f"{chemin}{suffixe}")
        except FileNotFoundError:
            pass


def construire_demo(store: Stockage, taille: str = "M", graine: int = 1, today: date | None = None,
                    progression: Progression | None = None, agregats: bool = True) -> dict:
    """The same, into an open store (empty, or holding a previous demo that
    is replaced in the same transaction)."""
    today = today or date(2026, 11, 22)
    with store.lecture() as tx:
        _refuser_autre(store, tx)
    demo = generer(taille, graine, today, progression)
    return _remplir(store, demo, today, _annonceur(progression), agregats)


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

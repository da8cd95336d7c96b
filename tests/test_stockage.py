"""The storage contract (engine/stockage/contrat.py), on SQLite and on a
real PostgreSQL server alike: transactions, versions, the change counter,
the consistent load, change notifications, a busy base, file modes."""

from __future__ import annotations

import os
import stat
import threading
import time
from datetime import UTC, date, datetime

import pytest

from agesh_tui.engine.modele.model import Accompagnement
from agesh_tui.engine.stockage import (
    BaseIntrouvable,
    BaseOccupee,
    RienAEcrire,
    StaleWriteError,
    StoreError,
    ouvrir,
)
from agesh_tui.engine.stockage import accompagnements as lignes
from agesh_tui.engine.stockage.chargement import charger
from agesh_tui.engine.stockage.journal import horodatage, lire_horodatage
from agesh_tui.engine.stockage.schema import SCHEMA_VERSION
from monde import Monde

D = date


def petit_monde() -> Monde:
    m = Monde()
    m.etablissement("0350001A", "Collège A")
    m.eleve("E1", "DUPONT", "Léa", scolarites=[("0350001A", D(2025, 9, 1), None)])
    m.decision("D1", "E1", heures=12.0)
    m.aesh("A1")
    m.mission("M1", "A1", volume=24.0)
    return m


@pytest.fixture
def rempli(stockage):
    petit_monde().ecrire(stockage)
    return stockage


def test_schema_is_current_and_reopening_keeps_it(url_base, cle_temporaire):
    store = ouvrir(url_base)
    assert store.version_schema() == SCHEMA_VERSION
    store.fermer()
    store = ouvrir(url_base, creer=False)  # already there: nothing created, nothing migrated
    assert store.version_schema() == SCHEMA_VERSION
    store.fermer()


def test_a_write_is_all_or_nothing(rempli):
    avant = rempli.changements()
    with pytest.raises(RuntimeError):
        with rempli.ecriture() as tx:
            tx.execute("UPDATE eleve SET nom = 'X' WHERE id = 'E1'")
            raise RuntimeError("coupure au milieu de l'écriture")
    assert charger(rempli).eleves["E1"].nom == "DUPONT"
    assert rempli.changements() == avant
    with rempli.ecriture() as tx:
        tx.execute("UPDATE eleve SET nom = 'Y' WHERE id = 'E1'")
    assert charger(rempli).eleves["E1"].nom == "Y"
    assert rempli.changements() == avant + 1


def test_nothing_to_write_moves_no_counter(rempli):
    avant = rempli.changements()
    with pytest.raises(RienAEcrire):
        with rempli.ecriture():
            raise RienAEcrire
    assert rempli.changements() == avant


def test_bookkeeping_writes_do_not_count(rempli):
    avant = rempli.changements()
    with rempli.ecriture(compter=False) as tx:
        tx.set_meta("essai", "1")
    assert rempli.changements() == avant
    assert rempli.meta("essai") == "1"


def test_a_write_decided_on_stale_data_is_refused(rempli, url_base):
    dep = charger(rempli)
    autre = ouvrir(url_base)
    with autre.ecriture() as tx:
        tx.execute("UPDATE eleve SET nom = 'AUTRE' WHERE id = 'E1'")
    autre.fermer()
    with pytest.raises(StaleWriteError, match="modifiées par ailleurs"):
        with rempli.ecriture(dep, "recommencez") as tx:
            tx.execute("UPDATE eleve SET nom = 'MOI' WHERE id = 'E1'")
    assert charger(rempli).eleves["E1"].nom == "AUTRE"
    # Reloaded, the same write goes through, and dep follows the counter.
    dep = charger(rempli)
    with rempli.ecriture(dep) as tx:
        tx.execute("UPDATE eleve SET nom = 'MOI' WHERE id = 'E1'")
    assert dep.changements == rempli.changements()


def test_versioned_rows_refuse_a_stale_version(rempli):
    acc = Accompagnement("", "M1", ("D1",), "0350001A", D(2026, 9, 1), D(2026, 12, 1), 12.0)
    with rempli.ecriture() as tx:
        acc = lignes.inserer(tx, acc)
    with rempli.ecriture() as tx:
        lignes.modifier(tx, acc, acc.version, acc)
    with pytest.raises(StaleWriteError, match="version 2, attendue 1"):
        with rempli.ecriture() as tx:
            lignes.modifier(tx, acc, 1, acc)
    with pytest.raises(StoreError, match="n'existe plus"):
        with rempli.ecriture() as tx:
            lignes.supprimer(tx, "AC999999", 1)


def test_the_load_reads_one_snapshot(rempli, url_base):
    """A write committed by another session during the load is wholly out of
    the loaded data, and the counter loaded says so: a write decided on it
    is refused. (Before: the counter was read last, the write passed.)"""
    autre = ouvrir(url_base)
    deja = []

    def ecrire_pendant(quoi, faites, total):
        if quoi == "Décisions" and not deja:
            deja.append(True)
            with autre.ecriture() as tx:  # another process, between two tables
                tx.execute("UPDATE eleve SET nom = 'PENDANT' WHERE id = 'E1'")
                tx.execute("UPDATE decision SET heures = 20 WHERE id = 'D1'")

    dep = charger(rempli, ecrire_pendant)
    autre.fermer()
    assert deja
    assert dep.eleves["E1"].nom == "DUPONT" and dep.decisions["D1"].heures == 12.0
    assert dep.changements == rempli.changements() - 1
    with pytest.raises(StaleWriteError):
        with rempli.ecriture(dep):
            pass


def test_a_read_waits_for_another_threads_transaction(rempli):
    """One connection shared by the interface and its thread workers: a
    transaction is never interleaved with another thread's reads."""
    avant = rempli.changements()
    ecrit, libre = threading.Event(), threading.Event()

    def ecrire():  # a worker's write, slow between its statements
        with rempli.ecriture() as tx:
            tx.execute("UPDATE eleve SET nom = 'DURAND' WHERE id = 'E1'")
            ecrit.set()
            libre.wait(5)

    lus: list = []
    ecriture = threading.Thread(target=ecrire)
    ecriture.start()
    assert ecrit.wait(5)
    lecture = threading.Thread(target=lambda: lus.append(
        (rempli.changements(), charger(rempli).eleves["E1"].nom)))
    lecture.start()
    lecture.join(0.2)
    assert lecture.is_alive() and not lus  # not inside the write's transaction
    libre.set()
    ecriture.join()
    lecture.join(5)
    assert lus == [(avant + 1, "DURAND")]


def test_other_processes_writes_are_announced(rempli, url_base):
    vus: list[int] = []
    ecoute = rempli.ecouter(vus.append)
    try:
        time.sleep(0.3)  # the watch has seen the counter once
        autre = ouvrir(url_base)
        with autre.ecriture() as tx:
            tx.execute("UPDATE eleve SET nom = 'AILLEURS' WHERE id = 'E1'")
        attendu = autre.changements()
        autre.fermer()
        fin = time.monotonic() + 5
        while attendu not in vus and time.monotonic() < fin:
            time.sleep(0.05)
        assert attendu in vus
    finally:
        ecoute.arreter()


def test_a_base_held_by_another_writer_is_busy_in_french(rempli, url_base, monkeypatch):
    from agesh_tui.engine.stockage import postgresql, sqlite

    monkeypatch.setattr(sqlite, "ATTENTE_VERROU_MS", 200)
    monkeypatch.setattr(postgresql, "ATTENTE_VERROU", "200ms")
    impatient = ouvrir(url_base)
    tient, libre = threading.Event(), threading.Event()

    def tenir():
        with rempli.ecriture() as tx:
            tx.execute("UPDATE eleve SET nom = 'LONG' WHERE id = 'E1'")
            tient.set()
            libre.wait(10)

    fil = threading.Thread(target=tenir)
    fil.start()
    try:
        assert tient.wait(5)
        with pytest.raises(BaseOccupee, match="occupée par une autre session"):
            with impatient.ecriture() as tx:
                tx.execute("UPDATE eleve SET nom = 'VITE' WHERE id = 'E1'")
        # Reading is never blocked by a writer.
        assert charger(impatient).eleves["E1"].nom == "DUPONT"
    finally:
        libre.set()
        fil.join()
        impatient.fermer()


def test_a_read_only_command_never_creates_a_base(tmp_path):
    with pytest.raises(BaseIntrouvable, match="n'existe pas"):
        ouvrir(tmp_path / "faute-de-frappe.sqlite3", creer=False)
    assert not (tmp_path / "faute-de-frappe.sqlite3").exists()


def test_an_empty_postgresql_base_is_not_an_agesh_base(moteur, url_base):
    if moteur != "postgresql":
        pytest.skip("une base PostgreSQL existe avant agesh : son schéma vide est refusé en lecture")
    with pytest.raises(BaseIntrouvable, match="ne contient pas de base agesh-tui"):
        ouvrir(url_base, creer=False)


def test_sqlite_files_are_private_whatever_the_umask(tmp_path, cle_temporaire):
    ancien = os.umask(0o000)
    try:
        dossier = tmp_path / "donnees" / "agesh"
        store = ouvrir(dossier / "base.sqlite3")
        with store.ecriture() as tx:
            tx.set_meta("x", "1")
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in dossier.iterdir()}
        store.fermer()
    finally:
        os.umask(ancien)
    assert stat.S_IMODE(dossier.stat().st_mode) == 0o700
    assert stat.S_IMODE(dossier.parent.stat().st_mode) == 0o700
    assert modes["base.sqlite3"] == 0o600
    assert modes.get("base.sqlite3-wal", 0o600) == 0o600
    assert modes.get("base.sqlite3-shm", 0o600) == 0o600


def test_a_base_readable_by_all_opens_with_a_warning(tmp_path, cle_temporaire):
    chemin = tmp_path / "base.sqlite3"
    ouvrir(chemin).fermer()
    os.chmod(chemin, 0o644)
    store = ouvrir(chemin)
    assert any("lisible par tous" in a and "chmod 600" in a for a in store.avertissements)
    store.fermer()
    os.chmod(chemin, 0o660)  # shared within a group on purpose: no warning
    store = ouvrir(chemin)
    assert store.avertissements == []
    store.fermer()


def test_journal_times_are_local_without_offset_whatever_the_clock_given(monkeypatch):
    """A command's clock in UTC and the application's local clock write the
    same form, so that the journal reads and sorts alike (seen by review:
    « 2026-12-07T20:00:18 » beside « 2026-12-07T19:57:53+00:00 »); rows
    written before in the other form read as local and naive too."""
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    try:
        assert horodatage(datetime(2026, 12, 7, 19, 0, 5, tzinfo=UTC)) == "2026-12-07T20:00:05"
        assert horodatage(datetime(2026, 12, 7, 20, 0, 5, 999)) == "2026-12-07T20:00:05"
        lus = [lire_horodatage(t) for t in ("2026-12-07T19:57:53+00:00", "2026-12-07T20:00:18")]
        assert lus == [datetime(2026, 12, 7, 20, 57, 53), datetime(2026, 12, 7, 20, 0, 18)]
        assert sorted(lus)[0] == datetime(2026, 12, 7, 20, 0, 18)  # naive and aware never meet
    finally:
        monkeypatch.undo()
        time.tzset()

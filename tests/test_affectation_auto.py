"""Affectation automatique (SPEC §2.7): candidates, anomalies, before/after,
dry run, idempotence, and atomicity even under SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, datetime

import pytest

from agesh_tui.cli import main
from agesh_tui.engine.operations.affectation_automatique import affectation_automatique
from agesh_tui.engine.regles.besoin import agregats, lire_agregats, recalculer
from agesh_tui.engine.modele.departement import charger
from agesh_tui.engine.modele.model import AffectationPial, Mission
from agesh_tui.engine.stockage.sqlite import StoreError, open_store

from monde_pial import (
    HORS_PIAL, PIAL_A, PIAL_C, affectation, aesh, decision, departement, dump, eleve, mission,
    sauver,
)

ANNEE = 2026
RENTREE, FIN = date(2026, 9, 1), date(2027, 8, 31)
MAINTENANT = datetime(2026, 11, 22, 10, 30)


def base(tmp_path, dep):
    store = open_store(tmp_path / "base.sqlite3")
    sauver(store, dep)
    return store


def lancer(store, **kwargs):
    dep = charger(store)
    return dep, affectation_automatique(store, dep, ANNEE, MAINTENANT, **kwargs)


def un_monde():
    """Besoin in PIAL A (5 mutualisées = 32 h); one good mission there."""
    dep = departement()
    for i in range(5):
        eleve(dep, f"E{i}", (PIAL_A, date(2020, 9, 1), None))
        decision(dep, f"D{i}", f"E{i}", "mutualisee")
    aesh(dep, "A1")
    mission(dep, "M1", volume=24.0, debut=date(2025, 9, 1), fin=date(2027, 2, 28),
            employeur="0350002B")  # école of PIAL A
    return dep


def test_a_mission_is_affected_to_the_pial_of_its_etablissement_for_the_overlap(tmp_path):
    store = base(tmp_path, un_monde())
    dep, rapport = lancer(store)
    assert rapport.affectations == [
        AffectationPial("AF2026-000001", "M1", PIAL_A, ANNEE, 24.0, RENTREE, date(2027, 2, 28))
    ]
    assert rapport.anomalies == []
    rows = store.rows("SELECT id, mission_id, pial_uai, annee, volume, debut, fin, version "
                      "FROM affectation_pial")
    assert rows == [("AF2026-000001", "M1", PIAL_A, 2026, 24.0, "2026-09-01", "2027-02-28", 1)]
    # the in-memory département follows, up to date with the store
    assert dep.affectations_par_mission["M1"] == rapport.affectations
    assert dep.changements == store.changements()
    assert store.rows("SELECT login, action, detail FROM journal") == [
        ("agesh", "affectation automatique", "2026-2027 : 1 mission(s) affectée(s), 0 anomalie(s)")
    ]


def test_the_payeur_is_used_when_there_is_no_employeur(tmp_path):
    dep = un_monde()
    mission(dep, "M1", employeur=None, payeur=PIAL_C)
    _, rapport = lancer(base(tmp_path, dep))
    assert [a.pial_uai for a in rapport.affectations] == [PIAL_C]


def test_missions_that_cannot_accompany_or_are_not_in_the_year_are_not_candidates(tmp_path):
    dep = un_monde()
    mission(dep, "INACTIVE", actif=False)
    mission(dep, "REFERENT", nature="AHRE")
    mission(dep, "COLLECTIF", nature="HC1D")
    mission(dep, "FINIE", fin=date(2026, 8, 31))
    mission(dep, "FUTURE", debut=date(2027, 9, 1))
    _, rapport = lancer(base(tmp_path, dep))
    assert [a.mission_id for a in rapport.affectations] == ["M1"]
    assert rapport.anomalies == []


@pytest.mark.parametrize("changer, motif", [
    (lambda dep: mission(dep, "M1", employeur=None, payeur=None),
     "mission sans établissement employeur ni payeur"),
    (lambda dep: mission(dep, "M1", employeur="0359999X"),
     "établissement employeur 0359999X inconnu"),
    (lambda dep: mission(dep, "M1", employeur=HORS_PIAL),
     "établissement employeur 0350009Z (Lycée Z) hors PIAL"),
    # the employeur decides: no fallback to a payeur in a PIAL
    (lambda dep: mission(dep, "M1", employeur=HORS_PIAL, payeur=PIAL_A),
     "établissement employeur 0350009Z (Lycée Z) hors PIAL"),
    (lambda dep: mission(dep, "M1", employeur=None, payeur=HORS_PIAL),
     "établissement payeur 0350009Z (Lycée Z) hors PIAL"),
    (lambda dep: mission(dep, "M1", volume=0.0), "volume horaire nul"),
    (lambda dep: aesh(dep, "A1", actif=False), "AESH NOMA1 Anne inactif"),
    (lambda dep: affectation(dep, "X1", "M1", PIAL_C, 5.0, RENTREE, FIN),
     "déjà affectée pour 2026-2027 (PIAL 0350003C)"),
])
def test_each_anomaly(tmp_path, changer, motif):
    dep = un_monde()
    changer(dep)
    store = base(tmp_path, dep)
    avant = dump(store)
    _, rapport = lancer(store)
    assert rapport.affectations == []
    assert [(a.mission_id, a.motif) for a in rapport.anomalies] == [("M1", motif)]
    assert dump(store) == avant  # nothing to affect: nothing written


def test_an_affectation_of_another_year_does_not_prevent_this_one(tmp_path):
    dep = un_monde()
    affectation(dep, "X1", "M1", PIAL_C, 5.0, date(2025, 9, 1), date(2026, 8, 31), annee=2025)
    _, rapport = lancer(base(tmp_path, dep))
    assert [a.mission_id for a in rapport.affectations] == ["M1"]


def test_before_and_after_per_pial(tmp_path):
    store = base(tmp_path, un_monde())
    dep, rapport = lancer(store)
    bilans = {b.pial_uai: b for b in rapport.pial}
    assert list(bilans) == [PIAL_A, PIAL_C]
    a = bilans[PIAL_A]
    assert (a.avant.besoin, a.avant.moyens, a.avant.couverture) == (32.0, 0.0, 0.0)
    jours = (date(2027, 2, 28) - RENTREE).days + 1
    assert a.apres.moyens == pytest.approx(24.0 * jours / 365)
    assert a.apres.couverture == pytest.approx(a.apres.moyens / 32 * 100)
    assert bilans[PIAL_C].avant == bilans[PIAL_C].apres
    # "après" is what a recalcul on the new data gives
    assert [b.apres for b in rapport.pial] == agregats(dep, ANNEE)
    assert [b.apres for b in rapport.pial] == agregats(charger(store), ANNEE)


def test_a_dry_run_writes_nothing_and_reports_the_same(tmp_path):
    store = base(tmp_path, un_monde())
    avant, compteur = dump(store), store.changements()
    dep, simulation = lancer(store, dry_run=True)
    assert dump(store) == avant
    assert store.changements() == compteur
    assert dep.affectations == {} and dep.changements == compteur
    _, reel = lancer(store)
    assert simulation.dry_run and not reel.dry_run
    assert (simulation.affectations, simulation.anomalies, simulation.pial) == (
        reel.affectations, reel.anomalies, reel.pial)


def test_a_second_run_finds_everything_already_affected(tmp_path):
    dep = un_monde()
    mission(dep, "M2", employeur=PIAL_C)
    mission(dep, "M3", employeur=HORS_PIAL)
    store = base(tmp_path, dep)
    _, premier = lancer(store)
    assert [a.mission_id for a in premier.affectations] == ["M1", "M2"]
    recalculer(store, charger(store), ANNEE, MAINTENANT)
    avant = dump(store)
    _, second = lancer(store)
    assert second.affectations == []
    assert [(a.mission_id, a.motif) for a in second.anomalies] == [
        ("M1", "déjà affectée pour 2026-2027 (PIAL 0350001A)"),
        ("M2", "déjà affectée pour 2026-2027 (PIAL 0350003C)"),
        ("M3", "établissement employeur 0350009Z (Lycée Z) hors PIAL"),
    ]
    assert all(b.avant == b.apres for b in second.pial)
    assert dump(store) == avant
    assert all(a.a_jour for a in lire_agregats(store, ANNEE))


def test_ids_never_collide_with_existing_ones(tmp_path):
    dep = un_monde()
    mission(dep, "M0")
    affectation(dep, "AF2026-000041", "M0", PIAL_A, 1.0, RENTREE, FIN)
    affectation(dep, "AF2026-ancien", "M0", PIAL_A, 1.0, date(2025, 9, 1), date(2026, 8, 31),
                annee=2025)
    mission(dep, "M2")
    _, rapport = lancer(base(tmp_path, dep))
    assert [a.id for a in rapport.affectations] == ["AF2026-000042", "AF2026-000043"]


def test_progress_is_reported_while_writing(tmp_path):
    dep = un_monde()
    mission(dep, "M2")
    mission(dep, "M3", employeur=None)
    store = base(tmp_path, dep)
    appels = []

    def progress(done, total):
        # called inside the transaction: the rows written so far are not visible elsewhere
        autre = sqlite3.connect(store.path)
        visibles = autre.execute("SELECT COUNT(*) FROM affectation_pial").fetchone()[0]
        autre.close()
        appels.append((done, total, visibles))

    lancer(store, progress=progress)
    assert appels == [(0, 2, 0), (1, 2, 0), (2, 2, 0)]


def test_a_progress_callback_that_raises_cancels_the_run(tmp_path):
    dep = un_monde()
    mission(dep, "M2")
    store = base(tmp_path, dep)
    avant = dump(store)

    class Annule(Exception):
        pass

    def progress(done, total):
        if done == 1:
            raise Annule

    dep = charger(store)
    with pytest.raises(Annule):
        affectation_automatique(store, dep, ANNEE, MAINTENANT, progress=progress)
    assert dump(store) == avant
    assert dep.affectations == {} and dep.changements == store.changements()


def test_a_run_on_data_behind_the_store_is_refused(tmp_path):
    store = base(tmp_path, un_monde())
    dep = charger(store)
    with store.write() as con:
        con.execute("INSERT INTO affectation_pial (id, mission_id, pial_uai, annee, volume, debut, "
                    "fin) VALUES ('AUTRE', 'M1', ?, 2026, 24, '2026-09-01', '2027-02-28')",
                    (PIAL_A,))
    avant = dump(store)
    with pytest.raises(StoreError, match="rechargez"):
        affectation_automatique(store, dep, ANNEE, MAINTENANT)
    assert dump(store) == avant


# -- command ------------------------------------------------------------------------------

def test_command_json(tmp_path, capsys):
    dep = un_monde()
    mission(dep, "M2", volume=0.0)
    store = base(tmp_path, dep)
    argv = ["affectation-auto", "--db", str(store.path), "--annee", "2026", "--json"]
    assert main(argv + ["--dry-run"]) == 0
    simulation = json.loads(capsys.readouterr().out)
    assert store.rows("SELECT COUNT(*) FROM affectation_pial") == [(0,)]
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["affectations"] == simulation["affectations"] == [
        {"id": "AF2026-000001", "mission_id": "M1", "pial_uai": PIAL_A, "annee": 2026,
         "volume": 24.0, "debut": "2026-09-01", "fin": "2027-02-28"}
    ]
    assert doc["anomalies"] == [{"mission_id": "M2", "motif": "volume horaire nul"}]
    assert doc["pial"][0]["pial_uai"] == PIAL_A
    assert doc["pial"][0]["avant"] == {"besoin": 32.0, "moyens": 0.0, "couverture": 0.0}
    assert doc["pial"][0]["apres"]["moyens"] == round(24.0 * 181 / 365, 2)
    assert (doc["dry_run"], simulation["dry_run"]) == (False, True)


def test_command_summary(tmp_path, capsys):
    dep = un_monde()
    mission(dep, "M2", employeur="[b]X")
    store = base(tmp_path, dep)
    assert main(["affectation-auto", "--db", str(store.path), "--annee", "2026"]) == 0
    out = capsys.readouterr().out
    assert "Affectation automatique 2026-2027 : 1 mission(s) affectée(s), 1 anomalie(s)." in out
    assert "établissement employeur [b]X inconnu" in out  # user data is never markup
    assert "Collège A" in out and "agesh recalcul --annee 2026" in out


# -- SIGKILL in the middle of the transaction ---------------------------------------------

# Run in a subprocess: a progress callback (no hook in the product) signals
# through a file once half the rows are written, then waits to be killed. A
# tiny page cache makes SQLite spill uncommitted pages into the WAL first, so
# the kill really leaves a half-written transaction on disk.
_TUE_EN_COURS = """
import sys, time
from datetime import datetime
from pathlib import Path
from agesh_tui.engine.operations.affectation_automatique import affectation_automatique
from agesh_tui.engine.modele.departement import charger
from agesh_tui.engine.stockage.sqlite import open_store

store = open_store(sys.argv[1])
store.con.execute("PRAGMA cache_size = 4")
dep = charger(store)

def progress(done, total):
    if done == total // 2:
        Path(sys.argv[2]).write_text(str(done))
        time.sleep(600)

affectation_automatique(store, dep, 2026, datetime(2026, 11, 22), progress=progress)
"""


def test_sigkill_during_a_run_leaves_the_base_as_before(tmp_path):
    dep = un_monde()
    # built directly: reindexing after each of 3000 missions would be slow
    for i in range(3000):
        dep.missions[f"MX{i:04d}"] = Mission(f"MX{i:04d}", "A1", "CDD", "HP2D", 100.0, 24.0,
                                             date(2025, 9, 1), None,
                                             PIAL_A if i % 2 else PIAL_C, None, "EPP", True)
    dep.reindex()
    store = base(tmp_path, dep)
    recalculer(store, charger(store), ANNEE, MAINTENANT)
    avant = dump(store)
    store.close()

    pret = tmp_path / "pret"
    wal = tmp_path / "base.sqlite3-wal"
    taille_wal = wal.stat().st_size if wal.exists() else 0
    proc = subprocess.Popen([sys.executable, "-c", _TUE_EN_COURS, str(tmp_path / "base.sqlite3"),
                             str(pret)])
    try:
        limite = time.monotonic() + 60
        while not pret.exists():
            assert proc.poll() is None, "the run ended before reaching the middle"
            assert time.monotonic() < limite, "the run never reached the middle"
            time.sleep(0.05)
        assert int(pret.read_text()) == 1500
        assert wal.stat().st_size > taille_wal  # uncommitted pages are on disk
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL

    store = open_store(tmp_path / "base.sqlite3")
    try:
        assert store.rows("PRAGMA integrity_check") == [("ok",)]
        assert dump(store) == avant
        assert store.rows("SELECT COUNT(*) FROM affectation_pial") == [(0,)]
        assert all(a.a_jour for a in lire_agregats(store, ANNEE))
    finally:
        store.close()

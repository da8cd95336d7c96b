"""Affectation automatique (SPEC §2.7): candidates, anomalies, before/after,
dry run, idempotence, and atomicity even under SIGKILL — on each engine."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date, datetime

import pytest

from agesh_tui.cli import main
from agesh_tui.engine.modele.model import AffectationPial
from agesh_tui.engine.operations.affectation_automatique import affectation_automatique
from agesh_tui.engine.operations.agregats import lire_agregats, recalculer
from agesh_tui.engine.regles.besoin import agregats
from agesh_tui.engine.stockage import StoreError, chemin_sqlite, ouvrir
from agesh_tui.engine.stockage.chargement import charger
from monde import Monde, contenu, ecrire_lignes
from monde_pial import ECOLE_B, HORS_PIAL, PIAL_A, PIAL_C, mission, monde_pial

ANNEE = 2026
RENTREE, FIN = date(2026, 9, 1), date(2027, 8, 31)
MAINTENANT = datetime(2026, 11, 22, 10, 30)


def base(stockage, m):
    """The world ``m`` written into the (empty) base."""
    m.ecrire(stockage)
    return stockage


def lignes(store, sql, params=()):
    with store.lecture() as tx:
        return tx.lignes(sql, params)


def lancer(store, **kwargs):
    dep = charger(store)
    return dep, affectation_automatique(store, dep, ANNEE, MAINTENANT, **kwargs)


def un_monde():
    """Besoin in PIAL A (5 mutualisées = 32 h); one good mission there."""
    m = monde_pial()
    for i in range(5):
        m.eleve(f"E{i}", scolarites=[(PIAL_A, date(2020, 9, 1), None)])
        m.decision(f"D{i}", f"E{i}", "mutualisee")
    m.aesh("A1")
    mission(m, "M1", volume=24.0, debut=date(2025, 9, 1), fin=date(2027, 2, 28),
            employeur=ECOLE_B)  # école of PIAL A
    return m


def test_a_mission_is_affected_to_the_pial_of_its_etablissement_for_the_overlap(stockage):
    store = base(stockage, un_monde())
    dep, rapport = lancer(store)
    assert rapport.affectations == [
        AffectationPial("AF2026-000001", "M1", PIAL_A, ANNEE, 24.0, RENTREE, date(2027, 2, 28))
    ]
    assert rapport.anomalies == []
    rows = lignes(store, "SELECT id, mission_id, pial_uai, annee, volume, debut, fin, version "
                         "FROM affectation_pial")
    assert rows == [("AF2026-000001", "M1", PIAL_A, 2026, 24.0, "2026-09-01", "2027-02-28", 1)]
    # the in-memory département follows, up to date with the store
    assert dep.affectations_par_mission["M1"] == rapport.affectations
    assert dep.changements == store.changements()
    assert lignes(store, "SELECT login, action, detail FROM journal") == [
        ("agesh", "affectation automatique", "2026-2027 : 1 mission(s) affectée(s), 0 anomalie(s)")
    ]


def test_the_payeur_is_used_when_there_is_no_employeur(stockage):
    m = un_monde()
    mission(m, "M1", employeur=None, payeur=PIAL_C)
    _, rapport = lancer(base(stockage, m))
    assert [a.pial_uai for a in rapport.affectations] == [PIAL_C]


def test_missions_that_cannot_accompany_or_are_not_in_the_year_are_not_candidates(stockage):
    m = un_monde()
    mission(m, "INACTIVE", actif=False)
    mission(m, "REFERENT", nature="AHRE")
    mission(m, "COLLECTIF", nature="HC1D")
    mission(m, "FINIE", fin=date(2026, 8, 31))
    mission(m, "FUTURE", debut=date(2027, 9, 1))
    _, rapport = lancer(base(stockage, m))
    assert [a.mission_id for a in rapport.affectations] == ["M1"]
    assert rapport.anomalies == []


@pytest.mark.parametrize("changer, motif", [
    (lambda m: mission(m, "M1", employeur=None, payeur=None),
     "mission sans établissement employeur ni payeur"),
    (lambda m: mission(m, "M1", employeur="0359999X"),
     "établissement employeur 0359999X inconnu"),
    (lambda m: mission(m, "M1", employeur=HORS_PIAL),
     "établissement employeur 0350009Z (Lycée Z) hors PIAL"),
    # the employeur decides: no fallback to a payeur in a PIAL
    (lambda m: mission(m, "M1", employeur=HORS_PIAL, payeur=PIAL_A),
     "établissement employeur 0350009Z (Lycée Z) hors PIAL"),
    (lambda m: mission(m, "M1", employeur=None, payeur=HORS_PIAL),
     "établissement payeur 0350009Z (Lycée Z) hors PIAL"),
    (lambda m: mission(m, "M1", volume=0.0), "volume horaire nul"),
    (lambda m: m.aesh("A1", actif=False), "AESH NOMA1 Anne inactif"),
    (lambda m: m.affectation("X1", "M1", PIAL_C, 5.0, RENTREE, FIN),
     "déjà affectée pour 2026-2027 (PIAL 0350003C)"),
])
def test_each_anomaly(stockage, changer, motif):
    m = un_monde()
    changer(m)
    store = base(stockage, m)
    avant = contenu(store)
    _, rapport = lancer(store)
    assert rapport.affectations == []
    assert [(a.mission_id, a.motif) for a in rapport.anomalies] == [("M1", motif)]
    assert contenu(store) == avant  # nothing to affect: nothing written


def test_an_affectation_of_another_year_does_not_prevent_this_one(stockage):
    m = un_monde()
    m.affectation("X1", "M1", PIAL_C, 5.0, date(2025, 9, 1), date(2026, 8, 31), annee=2025)
    _, rapport = lancer(base(stockage, m))
    assert [a.mission_id for a in rapport.affectations] == ["M1"]


def test_before_and_after_per_pial(stockage):
    store = base(stockage, un_monde())
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


def test_a_dry_run_writes_nothing_and_reports_the_same(stockage):
    store = base(stockage, un_monde())
    avant, compteur = contenu(store), store.changements()
    dep, simulation = lancer(store, dry_run=True)
    assert contenu(store) == avant
    assert store.changements() == compteur
    assert dep.affectations == {} and dep.changements == compteur
    _, reel = lancer(store)
    assert simulation.dry_run and not reel.dry_run
    assert (simulation.affectations, simulation.anomalies, simulation.pial) == (
        reel.affectations, reel.anomalies, reel.pial)


def test_a_second_run_finds_everything_already_affected(stockage):
    m = un_monde()
    mission(m, "M2", employeur=PIAL_C)
    mission(m, "M3", employeur=HORS_PIAL)
    store = base(stockage, m)
    _, premier = lancer(store)
    assert [a.mission_id for a in premier.affectations] == ["M1", "M2"]
    recalculer(store, charger(store), ANNEE, MAINTENANT)
    avant = contenu(store)
    _, second = lancer(store)
    assert second.affectations == []
    assert [(a.mission_id, a.motif) for a in second.anomalies] == [
        ("M1", "déjà affectée pour 2026-2027 (PIAL 0350001A)"),
        ("M2", "déjà affectée pour 2026-2027 (PIAL 0350003C)"),
        ("M3", "établissement employeur 0350009Z (Lycée Z) hors PIAL"),
    ]
    assert all(b.avant == b.apres for b in second.pial)
    assert contenu(store) == avant
    assert all(a.a_jour for a in lire_agregats(store, ANNEE))


def test_ids_never_collide_with_existing_ones(stockage):
    m = un_monde()
    mission(m, "M0")
    m.affectation("AF2026-000041", "M0", PIAL_A, 1.0, RENTREE, FIN)
    m.affectation("AF2026-ancien", "M0", PIAL_A, 1.0, date(2025, 9, 1), date(2026, 8, 31),
                  annee=2025)
    mission(m, "M2")
    _, rapport = lancer(base(stockage, m))
    assert [a.id for a in rapport.affectations] == ["AF2026-000042", "AF2026-000043"]


def test_progress_is_reported_while_writing(stockage, url_base):
    m = un_monde()
    mission(m, "M2")
    mission(m, "M3", employeur=None)
    store = base(stockage, m)
    autre = ouvrir(url_base, creer=False)  # another session on the same base
    appels = []

    def progress(done, total):
        # called inside the transaction: the rows written so far are not visible elsewhere
        (visibles,) = lignes(autre, "SELECT COUNT(*) FROM affectation_pial")[0]
        appels.append((done, total, visibles))

    try:
        lancer(store, progress=progress)
        assert appels == [(0, 2, 0), (1, 2, 0), (2, 2, 0)]
        assert lignes(autre, "SELECT COUNT(*) FROM affectation_pial") == [(2,)]  # once committed
    finally:
        autre.fermer()


def test_a_progress_callback_that_raises_cancels_the_run(stockage):
    m = un_monde()
    mission(m, "M2")
    store = base(stockage, m)
    avant = contenu(store)

    class Annule(Exception):
        pass

    def progress(done, total):
        if done == 1:
            raise Annule

    dep = charger(store)
    with pytest.raises(Annule):
        affectation_automatique(store, dep, ANNEE, MAINTENANT, progress=progress)
    assert contenu(store) == avant
    assert dep.affectations == {} and dep.changements == store.changements()


def test_a_run_on_data_behind_the_store_is_refused(stockage):
    store = base(stockage, un_monde())
    dep = charger(store)
    ailleurs = Monde()  # another session affects M1 meanwhile
    ailleurs.affectation("AUTRE", "M1", PIAL_A, 24.0, RENTREE, date(2027, 2, 28))
    with store.ecriture() as tx:
        ecrire_lignes(tx, ailleurs)
    avant = contenu(store)
    with pytest.raises(StoreError, match="rechargez"):
        affectation_automatique(store, dep, ANNEE, MAINTENANT)
    assert contenu(store) == avant


# -- command ------------------------------------------------------------------------------

def test_command_json(stockage, url_base, capsys):
    m = un_monde()
    mission(m, "M2", volume=0.0)
    store = base(stockage, m)
    argv = ["affectation-auto", "--db", url_base, "--annee", "2026", "--json"]
    assert main(argv + ["--dry-run"]) == 0
    simulation = json.loads(capsys.readouterr().out)
    assert lignes(store, "SELECT COUNT(*) FROM affectation_pial") == [(0,)]
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


def test_command_summary(stockage, url_base, capsys):
    m = un_monde()
    mission(m, "M2", employeur="[b]X")
    base(stockage, m)
    assert main(["affectation-auto", "--db", url_base, "--annee", "2026"]) == 0
    out = capsys.readouterr().out
    assert "Affectation automatique 2026-2027 : 1 mission(s) affectée(s), 1 anomalie(s)." in out
    assert "établissement employeur [b]X inconnu" in out  # user data is never markup
    assert "Collège A" in out and "agesh recalcul --annee 2026" in out


# -- SIGKILL in the middle of the transaction ---------------------------------------------

# Run in a subprocess: a progress callback (no hook in the product) signals
# through a file once half the rows are written, then waits to be killed. On
# SQLite, a tiny page cache makes it spill uncommitted pages into the WAL
# first, so the kill really leaves a half-written transaction on disk; on
# PostgreSQL, the server holds the open transaction of a client that dies.
_TUE_EN_COURS = """
import sys, time
from datetime import datetime
from pathlib import Path
from agesh_tui.engine.operations.affectation_automatique import affectation_automatique
from agesh_tui.engine.stockage import ouvrir
from agesh_tui.engine.stockage.chargement import charger

store = ouvrir(sys.argv[1], creer=False)
if store.moteur == "sqlite":
    store.con.execute("PRAGMA cache_size = 4")
dep = charger(store)

def progress(done, total):
    if done == total // 2:
        Path(sys.argv[2]).write_text(str(done))
        time.sleep(600)

affectation_automatique(store, dep, 2026, datetime(2026, 11, 22), progress=progress)
"""

# PostgreSQL only: the sessions of this database, other than the asking one,
# with a transaction open.
_EN_TRANSACTION = (
    "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
    "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
)


def test_sigkill_during_a_run_leaves_the_base_as_before(stockage, url_base, tmp_path):
    m = un_monde()
    for i in range(3000):
        mission(m, f"MX{i:04d}", employeur=PIAL_A if i % 2 else PIAL_C)
    store = base(stockage, m)
    recalculer(store, charger(store), ANNEE, MAINTENANT)
    avant = contenu(store)
    moteur = store.moteur
    store.fermer()

    pret = tmp_path / "pret"
    chemin = chemin_sqlite(url_base)
    wal = chemin.with_name(chemin.name + "-wal") if chemin else None
    taille_wal = wal.stat().st_size if wal and wal.exists() else 0
    proc = subprocess.Popen([sys.executable, "-c", _TUE_EN_COURS, url_base, str(pret)])
    try:
        limite = time.monotonic() + 60
        while not pret.exists():
            assert proc.poll() is None, "the run ended before reaching the middle"
            assert time.monotonic() < limite, "the run never reached the middle"
            time.sleep(0.05)
        assert int(pret.read_text()) == 1500
        autre = ouvrir(url_base, creer=False)  # another session, meanwhile
        try:
            assert lignes(autre, "SELECT COUNT(*) FROM affectation_pial") == [(0,)]
            if moteur == "sqlite":
                assert wal.stat().st_size > taille_wal  # uncommitted pages are on disk
            else:
                assert lignes(autre, _EN_TRANSACTION) == [(1,)]  # the run's, still open
        finally:
            autre.fermer()
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL

    store = ouvrir(url_base, creer=False)
    try:
        if moteur == "sqlite":
            assert lignes(store, "PRAGMA integrity_check") == [("ok",)]
        else:  # the server rolled the dead client's transaction back
            limite = time.monotonic() + 10
            while lignes(store, _EN_TRANSACTION) != [(0,)]:
                assert time.monotonic() < limite, "the killed run's transaction stayed open"
                time.sleep(0.05)
        assert contenu(store) == avant
        assert lignes(store, "SELECT COUNT(*) FROM affectation_pial") == [(0,)]
        assert all(a.a_jour for a in lire_agregats(store, ANNEE))
    finally:
        store.fermer()

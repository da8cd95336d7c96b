"""Two processes racing for one mission (issue « surréservation »): a
conflicting write never succeeds against data it has not seen, on SQLite and
on PostgreSQL. Each round, two OS processes load the département and create
a 23.5 h accompagnement on the same 23.5 h mission; loads and writes overlap
in every order. Exactly one succeeds; the other is refused in French (stale
data, or the mission already full when it loaded after the first write)."""

from __future__ import annotations

import multiprocessing
import queue
import subprocess
import sys
from collections import Counter

import pytest

from agesh_tui.engine.stockage import ouvrir
from agesh_tui.engine.stockage.chargement import charger
from course import concurrent, monde_course

ROUNDS = 400


def test_two_processes_never_overbook_a_mission(url_base, cle_temporaire, tmp_path):
    store = ouvrir(url_base)
    monde_course(ROUNDS).ecrire(store)
    store.fermer()
    contexte = multiprocessing.get_context("spawn")
    barriere = contexte.Barrier(2)
    resultats = contexte.Queue()
    cle = str(tmp_path / "cle-otp.key")
    processus = [contexte.Process(target=concurrent, args=(url_base, cle, ROUNDS, barriere,
                                                           resultats, graine))
                 for graine in (1, 2)]
    for p in processus:
        p.start()
    issues: dict[int, list[str]] = {}
    try:
        for _ in range(2 * ROUNDS):
            i, issue, message = resultats.get(timeout=120)
            issues.setdefault(i, []).append(issue)
            if issue == "perime":  # loaded before the other's write
                assert "modifiées par ailleurs" in message or "occupée" in message, message
            elif issue == "regle":  # loaded after it: the mission is full
                assert "dépasseraient son volume" in message, message
    except queue.Empty:
        pytest.fail("un processus de la course ne répond plus")
    finally:
        for p in processus:
            p.join(30)
    assert all(p.exitcode == 0 for p in processus)
    for i, deux in issues.items():
        assert sorted(deux).count("cree") == 1, (i, deux)
    dep = charger(ouvrir(url_base))
    par_mission = Counter(a.mission_id for a in dep.accompagnements.values())
    assert par_mission == {f"M{i}": 1 for i in range(ROUNDS)}
    # Both kinds of refusal happened: the race was really run both ways.
    kinds = Counter(x for deux in issues.values() for x in deux)
    assert kinds["cree"] == ROUNDS and kinds["perime"] + kinds["regle"] == ROUNDS


def test_two_agesh_commands_at_once_book_the_mission_once(url_base, cle_temporaire, tmp_path):
    """The command of the report, as typed: started together, N times."""
    rounds = 8
    store = ouvrir(url_base)
    monde_course(rounds).ecrire(store)
    store.fermer()
    for i in range(rounds):
        commande = [sys.executable, "-m", "agesh_tui", "accompagnement", "creer", "--db", url_base,
                    "--mission", f"M{i}", "--decisions", f"D{i}", "--heures", "23.5",
                    "--debut", "2026-09-01", "--fin", "2027-06-30", "--today", "2026-11-22"]
        deux = [subprocess.Popen(commande, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(2)]
        sorties = [p.communicate(timeout=60) for p in deux]
        codes = sorted(p.returncode for p in deux)
        assert codes == [0, 1], sorties
        refus = next(err for p, (_, err) in zip(deux, sorties) if p.returncode == 1)
        assert refus.startswith("agesh : ") and "Traceback" not in refus
        assert "touche" not in refus  # « touche R » exists only in the application
    dep = charger(ouvrir(url_base))
    assert Counter(a.mission_id for a in dep.accompagnements.values()) == {
        f"M{i}": 1 for i in range(rounds)}

"""The sample SIECLE and ONDE exports of docs/exemples/ are those the demo
makes (scripts/exemples_voisins.py), and they read against it as the
README says: classes to update, one pupil « sans scolarité »."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from agesh_tui.cli import main

RACINE = Path(__file__).resolve().parent.parent


def _script():
    spec = importlib.util.spec_from_file_location("exemples_voisins", RACINE / "scripts" / "exemples_voisins.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_samples_are_what_the_demo_makes(tmp_path, cle_temporaire):
    fichiers = _script().fichiers(tmp_path)
    assert sorted(fichiers) == sorted(p.name for p in (RACINE / "docs" / "exemples").glob("*")
                                      if p.name.startswith(("ElevesSansAdresses-", "onde-")))
    for nom, contenu in fichiers.items():
        assert (RACINE / "docs" / "exemples" / nom).read_bytes() == contenu, (
            f"{nom} ne correspond plus à la démo : relancez scripts/exemples_voisins.py")


def test_the_samples_read_against_the_demo(tmp_path, cle_temporaire, capsys):
    _script().fichiers(tmp_path)
    base = ["--db", str(tmp_path / "demo-S.sqlite3"), "--today", "2026-11-22", "--dry-run", "--json"]
    (siecle,) = (RACINE / "docs" / "exemples").glob("ElevesSansAdresses-*.xml")
    (onde,) = (RACINE / "docs" / "exemples").glob("onde-*.csv")
    uai = onde.stem.removeprefix("onde-")
    for argv in (["siecle", str(siecle)], ["onde", str(onde), "--uai", uai, "--date", "2026-11-22"]):
        assert main([*argv, *base]) == 0
        doc = json.loads(capsys.readouterr().out)
        assert doc["classes_mises_a_jour"] >= 1 and doc["inchangees"] >= 1
        assert len(doc["sans_scolarite"]) == 1
        assert doc["ambigus"] == [] and len(doc["eleves_inconnus"]) == 24

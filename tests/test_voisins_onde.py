"""``agesh onde`` (SPEC §6): the ONDE pupils CSV of a primary school, its
encodings and headers, the matching and the write, hostile files refused."""

from __future__ import annotations

import json
import time

import pytest

from agesh_tui.cli import main
from agesh_tui.engine.echange.classes import ExportInvalide
from agesh_tui.engine.echange.format import EchangeError
from agesh_tui.engine.echange.onde import lire_onde
from monde import contenu
from monde_voisins import COLLEGE, JOUR, LIGNES_EXPORT, csv_onde, monde_voisins


@pytest.mark.parametrize("encodage,separateur", [("windows-1252", ";"), ("utf-8-sig", ";"), ("utf-8", ",")])
def test_encodings_and_separators(tmp_path, encodage, separateur):
    chemin = tmp_path / "eleves.csv"
    chemin.write_bytes(csv_onde(encodage=encodage, separateur=separateur))
    export = lire_onde(chemin, COLLEGE, JOUR)
    assert (export.source, export.uai, export.jour) == ("ONDE", COLLEGE, JOUR)
    assert [(e.ligne, e.ine, e.nom, e.prenom, e.classe) for e in export.eleves] == [
        (n, ine, nom, prenom, classe) for n, (ine, nom, prenom, _, classe) in enumerate(LIGNES_EXPORT, 2)]
    assert export.eleves[0].prenom == "Léa"  # accents read right in every encoding


def test_headers_are_matched_whatever_their_case_and_accents(tmp_path):
    chemin = tmp_path / "eleves.csv"
    chemin.write_bytes("PRENOM ELEVE;nom  eleve;date naissance;libelle classe\nLéa;DUPONT;12/03/2012;CM1 A\n"
                       .encode())
    (eleve,) = lire_onde(chemin, COLLEGE, JOUR).eleves
    assert (eleve.nom, eleve.prenom, eleve.ine, eleve.classe) == ("DUPONT", "Léa", "", "CM1 A")


def test_a_missing_column_is_named(tmp_path):
    chemin = tmp_path / "eleves.csv"
    chemin.write_bytes(b"Nom \xe9l\xe8ve;Pr\xe9nom \xe9l\xe8ve;INE\nDUPONT;L\xe9a;E1\n")
    with pytest.raises(ExportInvalide, match=r"eleves.csv:1 : colonne\(s\) manquante\(s\) : Date naissance, "
                                             "Libellé classe"):
        lire_onde(chemin, COLLEGE, JOUR)


def test_bad_cells_give_line_and_column(tmp_path):
    lignes = [LIGNES_EXPORT[0], ("E2", "LEFEVRE", "Zoé", "2012-13-05", "CM1"), ("E\x1b[2J", "X", "Y", "", "CM1")]
    chemin = tmp_path / "eleves.csv"
    chemin.write_bytes(csv_onde(lignes, encodage="utf-8"))
    with pytest.raises(ExportInvalide) as exc:
        lire_onde(chemin, COLLEGE, JOUR)
    assert [str(e).removeprefix(f"{chemin}:") for e in exc.value.erreurs] == [
        "3:4 (Date naissance) : date de naissance invalide « 2012-13-05 » (attendu jj/mm/aaaa)",
        "4:6 (INE) : INE « E[2J » invalide (lettres et chiffres attendus)",  # the escape is never shown
    ]


def test_a_forced_encoding_that_does_not_fit_says_where(tmp_path):
    chemin = tmp_path / "eleves.csv"
    chemin.write_bytes(csv_onde(encodage="windows-1252"))
    with pytest.raises(ExportInvalide, match="eleves.csv:1 : octet 0xE9 invalide en utf-8"):
        lire_onde(chemin, COLLEGE, JOUR, encodage="utf-8")
    with pytest.raises(EchangeError, match="encodage « ebcdic » non pris en charge"):
        lire_onde(chemin, COLLEGE, JOUR, encodage="ebcdic")


def test_a_huge_file_is_refused_before_reading(tmp_path):
    chemin = tmp_path / "eleves.csv"
    with open(chemin, "wb") as f:
        f.write(csv_onde())
        f.seek(200 * 1024 * 1024)
        f.write(b"\n")  # 200 Mo, sparse: nothing to read before the refusal
    t0 = time.perf_counter()
    with pytest.raises(EchangeError, match="fichier de plus de 8 Mo, refusé"):
        lire_onde(chemin, COLLEGE, JOUR)
    assert time.perf_counter() - t0 < 0.1


def test_a_quote_left_open_is_refused(tmp_path):
    chemin = tmp_path / "eleves.csv"
    chemin.write_bytes(csv_onde(encodage="utf-8") + b'"DURAND;;Jo;01/01/2012;;CM1;CM1 A\n')
    with pytest.raises(ExportInvalide, match="guillemets mal placés"):
        lire_onde(chemin, COLLEGE, JOUR)


def test_onde_matches_and_writes_like_siecle(stockage, url_base, tmp_path, capsys):
    monde_voisins().ecrire(stockage)
    chemin = tmp_path / "eleves.csv"
    chemin.write_bytes(csv_onde())
    avant = contenu(stockage)
    argv = ["onde", str(chemin), "--uai", COLLEGE.lower(), "--date", "2026-01-15", "--db", url_base,
            "--today", "2026-01-15", "--json"]
    assert main([*argv, "--dry-run"]) == 0
    assert contenu(stockage) == avant
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out.split("\n}\n", 1)[1])
    assert (doc["source"], doc["classes_mises_a_jour"], doc["inchangees"]) == ("ONDE", 1, 1)
    assert doc["mises_a_jour"] == [{"scolarite_id": "E1-S1", "eleve_id": "E1", "ancienne": "301",
                                    "nouvelle": "302", "ligne": 2}]
    assert [a["ligne"] for a in doc["ambigus"]] == [4]
    assert [s["eleve_id"] for s in doc["sans_scolarite"]] == ["E5"]
    with stockage.lecture() as tx:
        assert tx.ligne("SELECT classe FROM scolarite WHERE id = 'E1-S1'") == ("302",)

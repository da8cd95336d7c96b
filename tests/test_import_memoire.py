"""The import's memory does not grow with the rows of the folder (issue 8,
item 11: 1M rows took 1.2 GB): rows are read as a stream and kept in an
anonymous temporary file; only keys stay in memory (for the duplicate check
and the references)."""

from __future__ import annotations

import tracemalloc
from contextlib import ExitStack
from datetime import date

from agesh_tui.engine.echange.lecture import lire_dossier


def dossier_de_proches(chemin, n: int):
    """proches.csv of ``n`` rows (a file no other file references: no key
    of it needs to stay in memory)."""
    chemin.mkdir()
    with (chemin / "proches.csv").open("w", encoding="utf-8") as f:
        f.write("eleve_id;nom;prenom;lien;telephone;mail\n")
        for i in range(n):
            f.write(f"E{i};DUPONT-{i};Marie-Christine;mère;06 12 34 56 {i % 100:02d};"
                    f"marie.christine.dupont{i}@example.org\n")
    return chemin


def pic_de_lecture(dossier) -> tuple[int, int]:
    """(peak bytes allocated while reading and checking, rows read)."""
    tracemalloc.start()
    try:
        with ExitStack() as pile:
            contenus, erreurs = lire_dossier(dossier, date(2026, 11, 22), pile)
            assert erreurs == []
            _, pic = tracemalloc.get_traced_memory()
            lus = sum(1 for _ in contenus["proches.csv"].reserve)
    finally:
        tracemalloc.stop()
    return pic, lus


def test_reading_a_folder_keeps_only_its_keys_in_memory(tmp_path):
    petit, n_petit = pic_de_lecture(dossier_de_proches(tmp_path / "petit", 5_000))
    grand, n_grand = pic_de_lecture(dossier_de_proches(tmp_path / "grand", 40_000))
    assert (n_petit, n_grand) == (5_000, 40_000)  # every row kept, none lost
    # What 35 000 more rows add: their keys for the duplicate check (one
    # short text each, ~130 bytes). Rows held in memory, as before, took
    # ~1 230 bytes each, the whole file and its decoded text besides.
    par_ligne = (grand - petit) / 35_000
    assert par_ligne < 250, par_ligne

"""Export of the database as an interchange folder (SPEC §4).

The output is canonical — ``;``, UTF-8 without BOM, LF, rows sorted by key,
numbers without a useless ``.0`` — so that exporting what was imported from
an export gives the same bytes. Only the eleven file names are written, each
through a temporary file renamed into place: a crash never leaves half a file.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from .format import FICHIERS, EchangeError, Fichier
from ..stockage.sqlite import Store


def exporter(store: Store, dossier: Path) -> dict[str, int]:
    """Write the eleven files into ``dossier`` (created if needed); returns
    the number of rows per file."""
    # One read transaction: the files describe a single state of the base
    # even if another session writes meanwhile.
    with store.lecture():
        tables = {f.nom: _lignes(store, f) for f in FICHIERS}
    try:
        dossier.mkdir(parents=True, exist_ok=True)
        for fichier in FICHIERS:
            _ecrire_atomique(dossier / fichier.nom, _csv(fichier, tables[fichier.nom]))
    except OSError as exc:
        raise EchangeError(f"écriture impossible dans {dossier} : {exc.strerror or exc}") from exc
    return {nom: len(rows) for nom, rows in tables.items()}


def _lignes(store: Store, fichier: Fichier) -> list[tuple]:
    colonnes = ", ".join(fichier.colonnes_table)
    rows = store.rows(
        f"SELECT {colonnes} FROM {fichier.table} ORDER BY {', '.join(fichier.cle)}"
    )
    if "decision_ids" not in fichier.noms:
        return rows
    ids: dict[str, list[str]] = {}
    for acc_id, dec_id in store.rows(
        "SELECT accompagnement_id, decision_id FROM accompagnement_decision "
        "ORDER BY accompagnement_id, rang"
    ):
        ids.setdefault(acc_id, []).append(dec_id)
    i = fichier.noms.index("decision_ids")
    return [r[:i] + (tuple(ids.get(r[0], ())),) + r[i:] for r in rows]


def _csv(fichier: Fichier, rows: list[tuple]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(fichier.noms)
    ecrire = [c.ecrire for c in fichier.colonnes]
    writer.writerows([f(v) for f, v in zip(ecrire, row)] for row in rows)
    return out.getvalue().encode("utf-8")


def _ecrire_atomique(chemin: Path, data: bytes) -> None:
    temporaire = chemin.with_name(f".{chemin.name}.tmp")
    try:
        with open(temporaire, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporaire, chemin)
    except BaseException:
        temporaire.unlink(missing_ok=True)
        raise

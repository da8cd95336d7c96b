"""Export of the database as an interchange folder (SPEC §4).

The output is canonical — ``;``, UTF-8 without BOM, LF, rows sorted by key,
numbers without a useless ``.0`` — so that exporting what was imported from
an export gives the same bytes, from SQLite or PostgreSQL alike (rows are
sorted here, by code point, never by a server's collation). Only the eleven
file names are written, each 600 through a fresh temporary file renamed into
place: a crash never leaves half a file, a planted link is never followed.
Every file is made and every target checked before the first is written:
an export refused (a link planted in the folder, a number no cell can
carry) writes nothing. Text cells are neutralised so that no spreadsheet
runs them as formulas (format.neutraliser).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..fichiers import creer_dossier_prive, ecrire_prive, raison_fichier, verifier_cible
from ..stockage import Stockage, Transaction
from ..stockage.accompagnements import liens_decisions
from .format import FICHIERS, Colonne, EchangeError, Fichier, NonExportable, montrer


def exporter(store: Stockage, dossier: Path) -> dict[str, int]:
    """Write the eleven files into ``dossier`` (created 700 if needed);
    returns the number of rows per file."""
    # One read transaction: the files describe a single state of the base
    # even if another session writes meanwhile.
    with store.lecture() as tx:
        tables = {f.nom: _lignes(tx, f) for f in FICHIERS}
    donnees = {f.nom: _csv(f, tables[f.nom]) for f in FICHIERS}
    try:
        for nom in donnees:
            verifier_cible(dossier / nom)
        creer_dossier_prive(dossier)
        for nom, data in donnees.items():
            ecrire_prive(dossier / nom, data)
    except OSError as exc:
        raise EchangeError(f"export refusé, écriture impossible dans {dossier} : "
                           f"{raison_fichier(exc)}") from exc
    return {nom: len(rows) for nom, rows in tables.items()}


def _lignes(tx: Transaction, fichier: Fichier) -> list[tuple]:
    cle = [fichier.colonnes_table.index(c) for c in fichier.cle]
    rows = sorted(tx.table(fichier.table, fichier.colonnes_table),
                  key=lambda r: tuple(r[i] for i in cle))
    if "decision_ids" not in fichier.noms:
        return rows
    ids = liens_decisions(tx)
    i = fichier.noms.index("decision_ids")
    return [r[:i] + (tuple(ids.get(r[0], ())),) + r[i:] for r in rows]


def _csv(fichier: Fichier, rows: list[tuple]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(fichier.noms)
    ecrire = [c.ecrire for c in fichier.colonnes]
    for row in rows:
        try:
            writer.writerow([f(v) for f, v in zip(ecrire, row)])
        except NonExportable as exc:
            colonne = next(c.nom for c, v in zip(fichier.colonnes, row) if _refuse(c, v))
            raise EchangeError(
                f"export refusé, rien n'a été écrit : {fichier.nom}, ligne « {montrer(str(row[0]))} », "
                f"colonne {colonne} : {exc} ; corrigez cette valeur (dans l'application, ou par "
                "un import du format d'échange) puis exportez de nouveau"
            ) from exc
    return out.getvalue().encode("utf-8")


def _refuse(colonne: Colonne, valeur: object) -> bool:
    try:
        colonne.ecrire(valeur)
    except NonExportable:
        return True
    return False

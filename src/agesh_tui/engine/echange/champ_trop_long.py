"""A field over the csv module's size limit (128 KiB): a truncated file or
a quote never closed swallows the rest of the file into one field. The csv
module only says « field larger than field limit »; this finds the column,
so that the message can name file, line and column."""

from __future__ import annotations

import csv
from typing import TextIO


def est_trop_long(exc: csv.Error) -> bool:
    return "field larger than field limit" in str(exc)


def raison() -> str:
    return (f"champ de plus de {csv.field_size_limit()} caractères : trop long pour une cellule "
            "(fichier tronqué ou guillemet jamais fermé ?)")


def colonne_trop_longue(texte: TextIO, separateur: str) -> int | None:
    """The position of the first field over the limit in the record that
    starts where ``texte`` stands, its quotes followed as the csv module
    does (a quoted field may hold separators and newlines); None when the
    record ends first."""
    limite = csv.field_size_limit()
    colonne, longueur = 1, 0
    etat = "debut"  # of a field; then "libre", "guillemets" or "guillemet" (one seen inside)
    while morceau := texte.read(65536):
        for c in morceau:
            if etat == "guillemets":
                if c == '"':
                    etat = "guillemet"
                    continue
            elif c == separateur:
                colonne, longueur, etat = colonne + 1, 0, "debut"
                continue
            elif c in "\r\n":
                return None
            elif c == '"' and etat == "debut":
                etat = "guillemets"
                continue
            else:
                # A doubled quote inside quotes is one character of the field.
                etat = "guillemets" if etat == "guillemet" and c == '"' else "libre"
            longueur += 1
            if longueur > limite:
                return colonne
    return None

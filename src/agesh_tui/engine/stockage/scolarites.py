"""Rows of scolarités: their classe, as SIECLE or ONDE give it (SPEC §6)."""

from __future__ import annotations

from collections.abc import Sequence

from .erreurs import StaleWriteError
from .transaction import Transaction


def modifier_classes(tx: Transaction, changements: Sequence[tuple[str, str, str]]) -> None:
    """Set the classe of each scolarité, given as ``(id, ancienne, nouvelle)``.
    A scolarité whose classe is no longer ``ancienne`` (changed or removed
    by another session since the plan was made) refuses the whole write."""
    for ident, ancienne, nouvelle in changements:
        curseur = tx.execute("UPDATE scolarite SET classe = ? WHERE id = ? AND classe = ?",
                             (nouvelle, ident, ancienne))
        if curseur.rowcount != 1:
            raise StaleWriteError(
                f"la scolarité {ident} a été modifiée ou supprimée par ailleurs : rien n'a été "
                "enregistré ; rechargez puis relancez."
            )

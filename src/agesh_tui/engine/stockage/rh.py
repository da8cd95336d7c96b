"""Reads of the RH synchronisation: références de temps de travail and the
missions whose volume they give."""

from __future__ import annotations

from collections.abc import Sequence

from .transaction import Transaction


def references(tx: Transaction) -> dict[tuple[str, str], float]:
    """Weekly hours at 100 % per (contrat, base)."""
    return {(c, b): h for c, b, h in tx.lignes("SELECT contrat, base, heures FROM reference_temps")}


def missions_au_volume_calcule(tx: Transaction, bases: Sequence[str], limite: str) -> list[tuple]:
    """(id, contrat, base, quotite, volume) of the active RH missions whose
    volume comes from the références (a quotité, no volume of their own in
    the extract), not ended before ``limite``."""
    marques = ", ".join("?" for _ in bases)
    return tx.lignes(
        "SELECT id, contrat, source, quotite, volume FROM mission "
        f"WHERE source IN ({marques}) AND actif = 1 AND quotite IS NOT NULL "
        "AND volume_rh IS NULL AND (fin IS NULL OR fin >= ?)",
        (*bases, limite),
    )

"""Rows of the stored PIAL aggregates and of the formule du besoin per year."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from .contrat import Stockage
from .transaction import Transaction


def remplacer(tx: Transaction, annee: int, resultat: Sequence[Any], quand: datetime,
              compteur: int) -> None:
    """The year's aggregates, stamped with the counter of the data they
    were computed from."""
    tx.execute("DELETE FROM agregat_pial WHERE annee = ?", (annee,))
    tx.executemany(
        "INSERT INTO agregat_pial (annee, pial_uai, decisions_individuelles, "
        "decisions_mutualisees, heures_individuelles, besoin, moyens, couverture, "
        "calcule_le, changements) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (annee, a.pial_uai, a.decisions_individuelles, a.decisions_mutualisees,
             a.heures_individuelles, a.besoin, a.moyens, a.couverture,
             quand.isoformat(timespec="seconds"), compteur)
            for a in resultat
        ],
    )


def lire(store: Stockage, annee: int) -> tuple[int, list[tuple]]:
    """The change counter and the stored aggregate rows of the year (the
    fields of regles.besoin.AgregatPial, then calcule_le and the counter
    they were computed at)."""
    # One read transaction: rows and counter from the same state.
    with store.lecture() as tx:
        compteur = tx.compteur()
        rows = tx.lignes(
            "SELECT pial_uai, decisions_individuelles, decisions_mutualisees, "
            "heures_individuelles, besoin, moyens, couverture, calcule_le, changements "
            "FROM agregat_pial WHERE annee = ?",
            (annee,),
        )
    return compteur, rows


def formule(tx: Transaction, annee: int) -> tuple[str | None, int]:
    """The stored formula of the year and its version (None, 0 when none)."""
    ligne = tx.ligne("SELECT texte, version FROM formule WHERE annee = ?", (annee,))
    return (ligne[0], ligne[1]) if ligne else (None, 0)


def ecrire_formule(tx: Transaction, annee: int, texte: str | None) -> None:
    """Store (None: remove) the year's formula; its version moves."""
    if texte is None:
        tx.execute("DELETE FROM formule WHERE annee = ?", (annee,))
    else:
        tx.execute(
            "INSERT INTO formule (annee, texte) VALUES (?, ?) ON CONFLICT (annee) "
            "DO UPDATE SET texte = excluded.texte, version = formule.version + 1",
            (annee, texte),
        )

"""The journal of operations and the messages to the ERSEH (SPEC §1, F2):
written in the same transaction as what they describe."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from .transaction import Transaction


def lire_horodatage(texte: str) -> datetime:
    """A stored time as local and naive, whichever form it was written in
    (rows written before the form was one may carry an offset): naive and
    aware times never meet in a sort."""
    quand = datetime.fromisoformat(texte)
    return quand.astimezone().replace(tzinfo=None) if quand.tzinfo is not None else quand


def horodatage(quand: datetime | None) -> str:
    """Local time to the second, without offset: an aware moment (a
    command's clock in UTC…) is converted, so that every row reads, and
    sorts, alike."""
    quand = quand or datetime.now()
    if quand.tzinfo is not None:
        quand = quand.astimezone().replace(tzinfo=None)
    return quand.isoformat(timespec="seconds")


def journaliser(tx: Transaction, quand: datetime | None, login: str, action: str,
                detail: str) -> None:
    tx.execute(
        "INSERT INTO journal (quand, login, action, detail) VALUES (?, ?, ?, ?)",
        (horodatage(quand), login[:64], action, detail),
    )


def notifier_erseh(tx: Transaction, quand: datetime | None, auteur: str, texte: str,
                   secteurs: Iterable[str | None], nature: str = "") -> None:
    """One message per secteur (None: the gestionnaires' list only);
    ``nature``: the action that wrote it (Mes messages filters by it)."""
    tx.executemany(
        "INSERT INTO message (quand, auteur, texte, destinataire, secteur_code, nature) "
        "VALUES (?, ?, ?, 'erseh', ?, ?)",
        [(horodatage(quand), auteur, texte, code, nature) for code in secteurs],
    )


def consigner(tx: Transaction, quand: datetime | None, auteur: str, action: str, texte: str,
              detail: str, secteurs: Iterable[str | None] = (None,)) -> None:
    """What every operation of the gestionnaires leaves: its message (one
    per secteur, None: the gestionnaires' list only) and its journal line."""
    notifier_erseh(tx, quand, auteur, texte, secteurs, action)
    journaliser(tx, quand, auteur, action, detail)


def lignes_journal(tx: Transaction) -> list[tuple]:
    """Every journal line (quand, login, action, detail), oldest first."""
    return tx.lignes("SELECT quand, login, action, detail FROM journal ORDER BY id")

"""Per-user choices of the screens (columns, filters, sorts), as JSON text."""

from __future__ import annotations

from .contrat import Stockage


def lire(store: Stockage, login: str, cle: str) -> str | None:
    with store.lecture() as tx:
        ligne = tx.ligne("SELECT valeur FROM preference WHERE login = ? AND cle = ?", (login, cle))
    return ligne[0] if ligne else None


def ecrire(store: Stockage, login: str, cle: str, valeur: str) -> None:
    # Preferences are not domain data: they must not make aggregates stale.
    with store.ecriture(compter=False) as tx:
        tx.execute(
            "INSERT INTO preference (login, cle, valeur) VALUES (?, ?, ?) "
            "ON CONFLICT (login, cle) DO UPDATE SET valeur = excluded.valeur",
            (login, cle, valeur),
        )

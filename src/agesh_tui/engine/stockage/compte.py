"""The rows of Mon compte (SPEC F2): a user's coordonnées and secteurs with
their version, the messages with this user's read marks."""

from __future__ import annotations

from collections.abc import Iterable

from ..modele.model import Message
from .journal import lire_horodatage
from .transaction import Transaction


def lire_compte(tx: Transaction, login: str) -> tuple[str, str, str, tuple[str, ...], int] | None:
    """(mail, téléphone, adresse, secteurs, version) of ``login``, None when unknown."""
    ligne = tx.ligne("SELECT mail, telephone, adresse, secteurs, version FROM utilisateur "
                     "WHERE login = ?", (login,))
    if ligne is None:
        return None
    mail, telephone, adresse, secteurs, version = ligne
    return mail, telephone, adresse, tuple(s for s in secteurs.split(",") if s), version


def ecrire_coordonnees(tx: Transaction, login: str, mail: str, telephone: str,
                       adresse: str) -> int:
    """Write the coordonnées; returns the user's new version."""
    tx.execute("UPDATE utilisateur SET mail = ?, telephone = ?, adresse = ?, "
               "version = version + 1 WHERE login = ?", (mail, telephone, adresse, login))
    return _version(tx, login)


def ecrire_secteurs(tx: Transaction, login: str, secteurs: Iterable[str]) -> int:
    """Write the secteurs chosen; returns the user's new version."""
    tx.execute("UPDATE utilisateur SET secteurs = ?, version = version + 1 WHERE login = ?",
               (",".join(secteurs), login))
    return _version(tx, login)


def _version(tx: Transaction, login: str) -> int:
    ligne = tx.ligne("SELECT version FROM utilisateur WHERE login = ?", (login,))
    return int(ligne[0]) if ligne else 0


def lire_messages(tx: Transaction, login: str) -> list[tuple[Message, str]]:
    """Every message with its stored kind ('' on rows older than schema 6),
    ``lu`` as ``login`` marked it (else as the message says); newest first."""
    lignes = tx.lignes(
        "SELECT m.id, m.quand, m.auteur, m.texte, m.destinataire, m.secteur_code, m.nature, "
        "COALESCE(l.lu, m.lu) FROM message m "
        "LEFT JOIN message_lu l ON l.message_id = m.id AND l.login = ? "
        "ORDER BY m.quand DESC, m.id DESC",
        (login,),
    )
    return [(Message(int(ident), lire_horodatage(quand), auteur, texte, destinataire,
                     secteur, bool(lu)), nature or "")
            for ident, quand, auteur, texte, destinataire, secteur, nature, lu in lignes]


def marquer(tx: Transaction, login: str, ids: Iterable[int], lu: bool) -> int:
    """Mark the messages read (``lu``) or unread for ``login``; the ids
    that name no message are left. Returns how many were marked."""
    demandes = {int(i) for i in ids}
    if not demandes:
        return 0
    existants = {int(r[0]) for r in tx.lignes("SELECT id FROM message")} & demandes
    tx.executemany(
        "INSERT INTO message_lu (login, message_id, lu) VALUES (?, ?, ?) "
        "ON CONFLICT (login, message_id) DO UPDATE SET lu = excluded.lu",
        [(login, i, int(lu)) for i in sorted(existants)])
    return len(existants)

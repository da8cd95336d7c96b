"""Application users: creation with a fresh TOTP secret, loading, listing.

The secret leaves this module exactly once, from ``ajouter``, to be shown as
an otpauth:// URI / QR code; it is stored encrypted (see cle.py).
"""

from __future__ import annotations

import base64
import binascii
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import pyotp

from . import cle
from ..modele.model import PROFILS, Utilisateur
from .sqlite import Store, StoreError
from ..texte import nettoyer

EMETTEUR = "AGESH TUI"
_LOGIN = re.compile(r"[a-z0-9._-]{2,64}")
_COLONNES = "login, nom, profils, mail, telephone, adresse, secteurs, version"


class UtilisateurError(StoreError):
    """An invalid user creation (French message)."""


def ajouter(
    store: Store,
    login: str,
    nom: str,
    profils: Iterable[str],
    secret: str | None = None,
) -> tuple[Utilisateur, str]:
    """Create a user; returns it with its base32 TOTP secret (to show once).

    Runs in its own write transaction, or joins the one already open on
    ``store`` (e.g. the demo generator's), so it rolls back with it."""
    login = nettoyer(login)
    if not _LOGIN.fullmatch(login):
        raise UtilisateurError(
            f"identifiant « {login} » invalide : 2 à 64 caractères parmi les lettres "
            "minuscules sans accent, les chiffres, « . », « - » et « _ »."
        )
    demandes = {profils} if isinstance(profils, str) else set(profils)
    inconnus = sorted(demandes - set(PROFILS))
    if inconnus:
        raise UtilisateurError(
            f"profil « {inconnus[0]} » inconnu : attendu {' ou '.join(PROFILS)}."
        )
    if not demandes:
        raise UtilisateurError("un utilisateur a au moins un profil (superviseur ou gestionnaire).")
    secret = pyotp.random_base32() if secret is None else _normaliser_secret(secret)
    utilisateur = Utilisateur(
        login=login,
        nom=nettoyer(nom) or login,
        profils=tuple(p for p in PROFILS if p in demandes),
    )
    with _transaction(store) as con:
        if con.execute("SELECT 1 FROM utilisateur WHERE login = ?", (login,)).fetchone():
            raise UtilisateurError(f"l'identifiant « {login} » existe déjà.")
        con.execute(
            "INSERT INTO utilisateur (login, nom, profils, otp_secret) VALUES (?, ?, ?, ?)",
            (login, utilisateur.nom, ",".join(utilisateur.profils),
             cle.chiffrer(store, con, secret)),
        )
    return utilisateur, secret


def charger_utilisateur(store: Store, login: str) -> Utilisateur | None:
    rows = store.rows(f"SELECT {_COLONNES} FROM utilisateur WHERE login = ?", (login,))
    return _utilisateur(rows[0]) if rows else None


def lister(store: Store) -> list[Utilisateur]:
    rows = store.rows(f"SELECT {_COLONNES} FROM utilisateur ORDER BY login")
    return [_utilisateur(r) for r in rows]


def uri_otp(login: str, secret: str) -> str:
    """The otpauth:// URI that authenticator apps read (from a QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=login, issuer_name=EMETTEUR)


def _utilisateur(row: tuple) -> Utilisateur:
    login, nom, profils, mail, telephone, adresse, secteurs, version = row
    return Utilisateur(
        login=login,
        nom=nom,
        profils=tuple(p for p in profils.split(",") if p),
        mail=mail,
        telephone=telephone,
        adresse=adresse,
        secteurs=tuple(s for s in secteurs.split(",") if s),
        version=version,
    )


def _normaliser_secret(secret: str) -> str:
    texte = secret.replace(" ", "").rstrip("=").upper()
    try:
        octets = base64.b32decode(texte + "=" * (-len(texte) % 8))
    except binascii.Error as exc:
        raise UtilisateurError("secret TOTP invalide : attendu du base32 (A-Z, 2-7).") from exc
    # RFC 4226 §4 asks for at least 128 bits; pyotp generates 160.
    if len(octets) < 16:
        raise UtilisateurError(
            "secret TOTP trop court : au moins 128 bits (26 caractères base32)."
        )
    return texte


@contextmanager
def _transaction(store: Store) -> Iterator[sqlite3.Connection]:
    # Under the store's lock: the transaction seen is this thread's own,
    # never a worker's write in progress.
    with store.verrou:
        if store.con.in_transaction:
            yield store.con
        else:
            with store.write() as con:
                yield con

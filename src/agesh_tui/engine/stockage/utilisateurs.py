"""Application users: creation with a fresh TOTP secret, loading, listing.

The secret leaves this module exactly once, from ``ajouter``, to be shown as
an otpauth:// URI / QR code; it is stored encrypted (see cle.py). The rows
of the login checks (api/auth.py) are read and written here too.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable

import pyotp

from ..modele.model import PROFILS, Utilisateur
from ..texte import nettoyer
from . import cle
from .contrat import Stockage
from .erreurs import StoreError
from .transaction import Transaction

_LOGIN = re.compile(r"[a-z0-9._-]{2,64}")
_COLONNES = "login, nom, profils, mail, telephone, adresse, secteurs, version"


class UtilisateurError(StoreError):
    """An invalid user creation (French message)."""


def ajouter(
    store: Stockage,
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
    # Not a data change: a new user must not make the PIAL aggregates stale.
    with store.ecriture(compter=False) as tx:
        if tx.ligne("SELECT 1 FROM utilisateur WHERE login = ?", (login,)):
            raise UtilisateurError(f"l'identifiant « {login} » existe déjà.")
        tx.execute(
            "INSERT INTO utilisateur (login, nom, profils, otp_secret) VALUES (?, ?, ?, ?)",
            (login, utilisateur.nom, ",".join(utilisateur.profils),
             cle.chiffrer(store, tx, secret)),
        )
    return utilisateur, secret


def charger_utilisateur(store: Stockage, login: str) -> Utilisateur | None:
    with store.lecture() as tx:
        row = tx.ligne(f"SELECT {_COLONNES} FROM utilisateur WHERE login = ?", (login,))
    return _utilisateur(row) if row else None


def lister(store: Stockage) -> list[Utilisateur]:
    with store.lecture() as tx:
        rows = tx.lignes(f"SELECT {_COLONNES} FROM utilisateur")
    return sorted((_utilisateur(r) for r in rows), key=lambda u: u.login)


def coordonnees(tx: Transaction, login: str, mail: str, telephone: str, adresse: str) -> None:
    tx.execute(
        "UPDATE utilisateur SET mail = ?, telephone = ?, adresse = ? WHERE login = ?",
        (mail, telephone, adresse, login),
    )


# -- login checks (api/auth.py decides; these are its rows) -----------------------------

def etat_connexion(tx: Transaction, login: str) -> tuple | None:
    """(secret chiffré, dernier pas accepté, échecs, bloqué jusqu'à) or None."""
    return tx.ligne(
        "SELECT otp_secret, otp_dernier_pas, echecs, bloque_jusqua FROM utilisateur "
        "WHERE login = ?",
        (login,),
    )


def noter_reussite(tx: Transaction, login: str, pas: int) -> None:
    tx.execute(
        "UPDATE utilisateur SET otp_dernier_pas = ?, echecs = 0, bloque_jusqua = NULL "
        "WHERE login = ?",
        (pas, login),
    )


def noter_echec(tx: Transaction, login: str, echecs: int, bloque_jusqua: str | None) -> None:
    tx.execute(
        "UPDATE utilisateur SET echecs = ?, bloque_jusqua = ? WHERE login = ?",
        (echecs, bloque_jusqua, login),
    )


def a_des_utilisateurs(tx: Transaction) -> bool:
    return tx.ligne("SELECT 1 FROM utilisateur LIMIT 1") is not None


def echecs_inconnu(tx: Transaction, empreinte: str) -> tuple[int, str | None]:
    """Failures counted for an identifiant that names no user (by its HMAC)."""
    ligne = tx.ligne("SELECT echecs, bloque_jusqua FROM echec_connexion WHERE cle = ?",
                     (empreinte,))
    return (ligne[0], ligne[1]) if ligne else (0, None)


def noter_echec_inconnu(tx: Transaction, empreinte: str, echecs: int,
                        bloque_jusqua: str | None) -> None:
    tx.execute(
        "INSERT INTO echec_connexion (cle, echecs, bloque_jusqua) VALUES (?, ?, ?) "
        "ON CONFLICT (cle) DO UPDATE SET echecs = excluded.echecs, "
        "bloque_jusqua = excluded.bloque_jusqua",
        (empreinte, echecs, bloque_jusqua),
    )


def secret_chiffre(store: Stockage, login: str) -> bytes | None:
    with store.lecture() as tx:
        ligne = tx.ligne("SELECT otp_secret FROM utilisateur WHERE login = ?", (login,))
    return bytes(ligne[0]) if ligne else None


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


def enregistrer_secteurs(store: Stockage, login: str, secteurs: Iterable[str]) -> None:
    """The secteurs a user works on (Mon compte › Mes secteurs); none = the
    whole département."""
    with store.ecriture(compter=False) as tx:
        tx.execute("UPDATE utilisateur SET secteurs = ?, version = version + 1 WHERE login = ?",
                   (",".join(secteurs), login))

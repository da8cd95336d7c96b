"""The key that encrypts the TOTP secrets, kept in a file apart from the database.

A copy of the database alone (a backup, a file sent by mistake) then gives
nobody the means to generate a user's codes. The key's fingerprint is
recorded in ``meta`` so that a base opened with another key file, or without
its key file, says so plainly instead of failing on an undecipherable secret.
See docs/securite.md.
"""

from __future__ import annotations

import base64
import hashlib
import os
import sqlite3
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from platformdirs import user_config_dir

from .sqlite import APP_NAME, Store, StoreError

ENV_KEY_FILE = "AGESH_KEY_FILE"
NOM_FICHIER = "cle-otp.key"
META_EMPREINTE = "cle_otp_empreinte"


class CleError(StoreError):
    """The key file is missing, too open, corrupt or not the base's one."""


def chemin_cle() -> Path:
    """$AGESH_KEY_FILE, else ``cle-otp.key`` in the user configuration
    directory (never next to the database, which lives in the data directory)."""
    env = os.environ.get(ENV_KEY_FILE)
    if env:
        return Path(env).expanduser()
    return Path(user_config_dir(APP_NAME, appauthor=False)) / NOM_FICHIER


def empreinte(cle: bytes) -> str:
    """A short, non-secret identifier of a key, safe to store and display."""
    return hashlib.sha256(cle).hexdigest()[:16]


def cle_de_la_base(store: Store, creer: bool = False) -> bytes:
    """The key of this base. With ``creer``, a base that has no key yet gets
    the key file (created on first need); once a base has a fingerprint, only
    the file with that fingerprint is accepted."""
    chemin = chemin_cle()
    attendue = store.get_meta(META_EMPREINTE)
    cle = _lire(chemin)
    if cle is None:
        if attendue is not None or not creer:
            raise CleError(
                f"fichier de clé introuvable : {chemin}. Les secrets TOTP de cette base "
                f"sont chiffrés avec la clé d'empreinte {attendue or 'inconnue'} : restaurez "
                f"ce fichier depuis votre sauvegarde, ou indiquez son emplacement avec "
                f"${ENV_KEY_FILE} (voir docs/securite.md)."
            )
        cle = _creer(chemin)
    if attendue is not None and empreinte(cle) != attendue:
        raise CleError(
            f"le fichier de clé {chemin} (empreinte {empreinte(cle)}) n'est pas celui de "
            f"cette base (empreinte {attendue}) : indiquez le bon fichier avec "
            f"${ENV_KEY_FILE} (voir docs/securite.md)."
        )
    return cle


def chiffrer(store: Store, con: sqlite3.Connection, secret: str) -> bytes:
    """Encrypt a secret for storage, within the caller's write transaction
    ``con``; the first secret of a base records the key's fingerprint."""
    cle = cle_de_la_base(store, creer=True)
    if store.get_meta(META_EMPREINTE) is None:
        Store.set_meta(con, META_EMPREINTE, empreinte(cle))
    return Fernet(cle).encrypt(secret.encode("ascii"))


def dechiffrer(store: Store, jeton: bytes) -> str:
    try:
        return Fernet(cle_de_la_base(store)).decrypt(jeton).decode("ascii")
    except InvalidToken as exc:
        raise CleError(
            "un secret TOTP de la base ne se déchiffre pas avec la clé "
            f"{chemin_cle()} : la base ou la clé a été altérée (voir docs/securite.md)."
        ) from exc


def dechiffrer_leurre(store: Store, secret: str) -> str:
    """Encrypt ``secret`` with the base's key and decrypt it again: the work
    of reading a user's secret, for an identifiant that names no user (so
    that the time taken does not tell which identifiants exist)."""
    fernet = Fernet(cle_de_la_base(store))
    return fernet.decrypt(fernet.encrypt(secret.encode("ascii"))).decode("ascii")


def derivee(store: Store, usage: bytes) -> bytes:
    """A 32-byte key for ``usage``, derived from the base's key (HKDF-SHA256):
    a copy of the database alone cannot recompute what it protects, and it
    reveals nothing of the key that encrypts the secrets."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=usage).derive(
        base64.urlsafe_b64decode(cle_de_la_base(store))
    )


def _lire(chemin: Path) -> bytes | None:
    try:
        fd = os.open(chemin, os.O_RDONLY)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CleError(f"impossible de lire le fichier de clé {chemin} : {exc.strerror}.") from exc
    with os.fdopen(fd, "rb") as fichier:
        # Checked on the open file, not the path, so it cannot change in between.
        mode = os.fstat(fichier.fileno()).st_mode
        if os.name == "posix" and mode & 0o077:
            raise CleError(
                f"le fichier de clé {chemin} est accessible à d'autres comptes "
                f"(droits {mode & 0o777:03o}) : il est refusé. Restreignez-le avec "
                f"« chmod 600 {chemin} »."
            )
        cle = fichier.read().strip()
    try:
        Fernet(cle)
    except ValueError as exc:
        raise CleError(
            f"le fichier de clé {chemin} est corrompu : restaurez-le depuis votre "
            "sauvegarde (voir docs/securite.md)."
        ) from exc
    return cle


def _creer(chemin: Path) -> bytes:
    cle = Fernet.generate_key()
    try:
        chemin.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # O_EXCL with the mode given at creation: never a moment where the
        # file exists readable by others, whatever the umask; and two
        # processes creating it at once cannot overwrite each other's key.
        fd = os.open(chemin, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _lire(chemin)
    except OSError as exc:
        raise CleError(
            f"impossible de créer le fichier de clé {chemin} : {exc.strerror}."
        ) from exc
    with os.fdopen(fd, "wb") as fichier:
        fichier.write(cle + b"\n")
        fichier.flush()
        os.fsync(fichier.fileno())
    return cle

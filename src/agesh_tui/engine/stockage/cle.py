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
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from platformdirs import user_config_dir

from ..fichiers import raison_fichier
from . import APP_NAME
from .contrat import Stockage
from .erreurs import StoreError
from .transaction import Transaction

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


def cle_de_la_base(store: Stockage, creer: bool = False) -> bytes:
    """The key of this base. With ``creer``, a base that has no key yet gets
    the key file (created on first need); once a base has a fingerprint, only
    the file with that fingerprint is accepted."""
    chemin = chemin_cle()
    attendue = store.meta(META_EMPREINTE)
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


def chiffrer(store: Stockage, tx: Transaction, secret: str) -> bytes:
    """Encrypt a secret for storage, within the caller's write transaction
    ``tx``; the first secret of a base records the key's fingerprint."""
    cle = cle_de_la_base(store, creer=True)
    if tx.meta(META_EMPREINTE) is None:
        tx.set_meta(META_EMPREINTE, empreinte(cle))
    return Fernet(cle).encrypt(secret.encode("ascii"))


def dechiffrer(store: Stockage, jeton: bytes) -> str:
    return trousseau(store).dechiffrer(jeton)


@dataclass(frozen=True)
class Trousseau:
    """The base's key, read once for an operation that uses it several
    times (a login: a secret to decrypt, an identifiant to hash)."""

    cle: bytes

    def dechiffrer(self, jeton: bytes) -> str:
        try:
            return Fernet(self.cle).decrypt(jeton).decode("ascii")
        except InvalidToken as exc:
            raise CleError(
                "un secret TOTP de la base ne se déchiffre pas avec la clé "
                f"{chemin_cle()} : la base ou la clé a été altérée (voir docs/securite.md)."
            ) from exc

    def derivee(self, usage: bytes) -> bytes:
        """A 32-byte key for ``usage``, derived from the base's key
        (HKDF-SHA256): a copy of the database alone cannot recompute what it
        protects, and it reveals nothing of the key that encrypts the secrets."""
        return _derivee(self.cle, usage)

    def leurre(self, secret: str) -> bytes:
        """``secret`` encrypted with the base's key, as a user's secret is:
        for an identifiant that names no user, decrypting it is the same work
        as decrypting a real secret of the same length."""
        return _leurre(self.cle, secret)


def trousseau(store: Stockage) -> Trousseau:
    return Trousseau(cle_de_la_base(store))


# Computed once per key and process: a login must not do, for an unknown
# identifiant, work that a known one does not (the time would tell).
@lru_cache(maxsize=8)
def _derivee(cle: bytes, usage: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=usage).derive(
        base64.urlsafe_b64decode(cle)
    )


@lru_cache(maxsize=8)
def _leurre(cle: bytes, secret: str) -> bytes:
    return Fernet(cle).encrypt(secret.encode("ascii"))


def _lire(chemin: Path) -> bytes | None:
    try:
        fd = os.open(chemin, os.O_RDONLY)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CleError(f"impossible de lire le fichier de clé {chemin} : {raison_fichier(exc)}.") from exc
    with os.fdopen(fd, "rb") as fichier:
        # Checked on the open file, not the path, so it cannot change in between.
        # Readable by its group is allowed (640: a base shared within a Unix
        # group on purpose, docs/securite.md); writable by the group, or
        # anything for the others, is not.
        mode = os.fstat(fichier.fileno()).st_mode
        if os.name == "posix" and mode & 0o027:
            raise CleError(
                f"le fichier de clé {chemin} est accessible à d'autres comptes "
                f"(droits {mode & 0o777:03o}) : il est refusé. Restreignez-le avec "
                f"« chmod 600 {chemin} » (ou 640 pour le groupe d'une base partagée, "
                "voir docs/securite.md)."
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
        # Another process created it first: use its key (or create again if
        # it vanished in between).
        return _lire(chemin) or _creer(chemin)
    except OSError as exc:
        raise CleError(
            f"impossible de créer le fichier de clé {chemin} : {raison_fichier(exc)}."
        ) from exc
    with os.fdopen(fd, "wb") as fichier:
        fichier.write(cle + b"\n")
        fichier.flush()
        os.fsync(fichier.fileno())
    return cle

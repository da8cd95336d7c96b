"""The SQLite engine (the default): one file, WAL, synchronous writes.

Files holding data about minors are the owner's only: the base, its ``-wal``
and ``-shm`` (SQLite gives them the base's mode) are created 600 in a
folder created 700, whatever the umask; an existing base readable by other
accounts opens with a warning (docs/securite.md says how to share a base
within a Unix group on purpose).
"""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from ..fichiers import creer_dossier_prive, raison_fichier
from .contrat import INTERVALLE_ECOUTE, Stockage
from .erreurs import BaseIntrouvable, BaseOccupee, ConflitIntegrite, StoreError
from .transaction import Dialecte, Transaction

DIALECTE = Dialecte("sqlite", "?", "")
ATTENTE_VERROU_MS = 10000


class StockageSqlite(Stockage):
    moteur = "sqlite"
    dialecte = DIALECTE

    def __init__(self, path: Path, creer: bool = True, construction: bool = False):
        """``creer=False``: a base that does not exist is an error, never an
        empty new file. ``construction``: a scratch file being filled before
        it replaces a base (no durability needed on the way)."""
        super().__init__()
        self.path = path
        nouvelle = not path.exists()
        if nouvelle and not creer:
            raise BaseIntrouvable(
                f"la base {path} n'existe pas : vérifiez --db ou $AGESH_DB "
                "(« agesh demo » ou « agesh import » créent une base)."
            )
        try:
            if nouvelle:
                creer_dossier_prive(path.parent)
                _creer_fichier_prive(path)
            elif path.is_dir():  # SQLite would only say « unable to open database file »
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
            else:
                self._signaler_droits()
            self.con = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        except OSError as exc:
            raise StoreError(f"impossible d'ouvrir la base {path} : {raison_fichier(exc)}") from exc
        except sqlite3.Error as exc:
            raise StoreError(f"impossible d'ouvrir la base {path} : SQLite ne peut pas l'ouvrir, vérifiez "
                             "le chemin et les droits sur le fichier et son dossier") from exc
        try:
            self.con.execute(f"PRAGMA busy_timeout={ATTENTE_VERROU_MS}")
            # Checked before journal_mode=WAL, which writes the file's header:
            # a file that is not an agesh-tui base (empty, or another
            # program's SQLite base) is left exactly as it was.
            if not creer and self.con.execute("PRAGMA user_version").fetchone()[0] == 0:
                raise BaseIntrouvable(
                    f"{path} ne contient pas de base agesh-tui : vérifiez --db ou $AGESH_DB."
                )
            # A scratch file checks its foreign keys once, at the end
            # (violations_cles), rather than on each of its rows.
            pragmas = (
                ("synchronous=OFF", "journal_mode=MEMORY", "cache_size=-200000", "foreign_keys=OFF")
                if construction else ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON")
            )
            for pragma in pragmas:
                self.con.execute(f"PRAGMA {pragma}")
            self._migrer()
        except sqlite3.DatabaseError as exc:
            self.con.close()
            raise StoreError(
                f"{path} n'est pas une base agesh-tui lisible ({exc}) : vérifiez le chemin donné "
                "par --db ou $AGESH_DB."
            ) from exc
        except BaseException:
            self.con.close()
            raise

    @property
    def description(self) -> str:
        return str(self.path)

    @property
    def nom_court(self) -> str:
        return self.path.name

    @property
    def adresse(self) -> str:
        return str(self.path)

    def _signaler_droits(self) -> None:
        try:
            mode = self.path.stat().st_mode
        except OSError:
            return
        if mode & (stat.S_IROTH | stat.S_IWOTH):
            self.avertissements.append(
                f"la base {self.path} est lisible par tous les comptes de la machine "
                f"(droits {stat.filemode(mode)[1:]}) : elle contient des données sur des mineurs. "
                f"Restreignez-la avec « chmod 600 {self.path} » (ou 660 pour un groupe, "
                "voir docs/securite.md)."
            )

    # -- transactions -------------------------------------------------------------------
    def _commencer(self, ecriture: bool) -> sqlite3.Connection:
        # IMMEDIATE takes the write lock now (waiting up to the busy timeout),
        # not at the first write: a write decided on what it read is never
        # overtaken. A plain BEGIN reads one snapshot of the WAL.
        self.con.execute("BEGIN IMMEDIATE" if ecriture else "BEGIN")
        return self.con

    def _valider(self) -> None:
        self.con.execute("COMMIT")

    def _annuler(self) -> None:
        if self.con.in_transaction:
            self.con.execute("ROLLBACK")

    def _traduire(self, exc: BaseException) -> BaseException | None:
        if not isinstance(exc, sqlite3.Error):
            return None
        return traduire(exc, self.description)

    def _apres_increment(self, tx: Transaction, compteur: int) -> None:
        pass  # the others poll the counter

    def _version_schema(self, tx: Transaction) -> int:
        version = tx.ligne("PRAGMA user_version")
        assert version is not None, "PRAGMA user_version always gives one row"
        return int(version[0])

    def _ecrire_version_schema(self, tx: Transaction, version: int) -> None:
        tx.execute(f"PRAGMA user_version={int(version)}")

    def _verrouiller_migration(self, tx: Transaction) -> None:
        pass  # BEGIN IMMEDIATE already excludes every other writer

    def _boucle_ecoute(self, rappel: Callable[[int], None], stop: threading.Event) -> None:
        # A connection of its own, read-only: the shared one may be held by a
        # long write of this process.
        uri = f"file:{quote(str(self.path.resolve()))}?mode=ro"
        try:
            con = sqlite3.connect(uri, uri=True, check_same_thread=False)
        except sqlite3.Error:
            return
        try:
            con.execute(f"PRAGMA busy_timeout={ATTENTE_VERROU_MS}")
            vu = None
            while not stop.wait(INTERVALLE_ECOUTE if vu is not None else 0):
                try:
                    ligne = con.execute("SELECT valeur FROM meta WHERE cle = 'changements'").fetchone()
                except sqlite3.Error:
                    continue  # busy or being replaced: look again in a second
                compteur = int(ligne[0]) if ligne else 0
                if compteur != vu:
                    if vu is not None:
                        rappel(compteur)
                    vu = compteur
        finally:
            con.close()

    def violations_cles(self, tx: Transaction) -> list[tuple]:
        return tx.lignes("PRAGMA foreign_key_check")

    def mode_journal_simple(self) -> None:
        """Leave WAL for a single file (before the base is replaced)."""
        with self._verrou:
            self.con.execute("PRAGMA journal_mode=DELETE")

    def fermer(self) -> None:
        with self._verrou:
            self.con.close()


def traduire(exc: sqlite3.Error, base: str) -> StoreError:
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in str(exc):
        return BaseOccupee(
            "la base est occupée par une autre session (un import ou un traitement en cours) : "
            "réessayez dans un instant"
        )
    if isinstance(exc, sqlite3.IntegrityError):
        return ConflitIntegrite(
            f"la base a refusé l'écriture ({exc}) : rien n'a été enregistré ; une autre session "
            "a sans doute modifié les données entre-temps, relancez l'opération"
        )
    return StoreError(f"erreur de la base de données {base} ({exc}) : rien n'a été enregistré")


def _creer_fichier_prive(path: Path) -> None:
    """An empty base file, 600 whatever the umask (SQLite then gives its
    -wal and -shm the same mode)."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def remplacer_base(construite: Path, cible: Path) -> None:
    """Put the base built at ``construite`` in place of ``cible`` in one
    rename: a crash at any moment leaves the old base or the new one.
    The old base's WAL is folded into it first, so that no ``-wal`` of the
    old base can ever be replayed onto the new file."""
    if cible.exists():
        ancienne = StockageSqlite(cible)
        try:
            ancienne.mode_journal_simple()
        finally:
            ancienne.fermer()
    os.replace(construite, cible)
    for suffixe in ("-wal", "-shm"):
        try:
            os.unlink(f"{cible}{suffixe}")
        except FileNotFoundError:
            pass

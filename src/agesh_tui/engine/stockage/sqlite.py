"""Persistent storage: SQLite by default, chosen by a database URL.

The URL form (``sqlite:///chemin``, a plain path, later ``postgresql://…``)
keeps the choice of engine out of the rules. Every write runs in one
``BEGIN IMMEDIATE`` transaction and bumps a change counter, which lets
another process notice that the data moved and lets the PIAL aggregates say
whether they are stale. Editable rows carry a version: a write that names a
stale version is refused, never silently applied.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from platformdirs import user_data_dir

from .schema import MIGRATIONS, SCHEMA_VERSION

ENV_DB = "AGESH_DB"
APP_NAME = "agesh-tui"


class StoreError(Exception):
    """A storage problem to show to the user (French message)."""


class RienAEcrire(Exception):
    """Raised inside ``write()`` when the database already holds what was to
    be written: the transaction rolls back, so even the change counter stays
    (a re-import or an identical synchronisation is a true no-op)."""


class StaleWriteError(StoreError):
    """Someone else changed the row since it was read."""


def default_path() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "agesh.sqlite3"


def resolve_url(url: str | os.PathLike | None) -> Path:
    """The SQLite file a URL or path names (``--db``, then $AGESH_DB, then
    the user data directory)."""
    if url is None:
        url = os.environ.get(ENV_DB) or default_path()
    text = os.fspath(url)
    if "://" in text:
        scheme, _, rest = text.partition("://")
        if scheme != "sqlite":
            raise StoreError(
                f"base de données « {scheme}:// » non prise en charge : "
                "seul SQLite (sqlite:///chemin ou un chemin de fichier) l'est pour l'instant."
            )
        # sqlite:///abs/path → /abs/path ; sqlite://rel/path → rel/path
        text = rest
    return Path(text).expanduser()


class Store:
    def __init__(self, path: Path):
        self.path = path
        # One connection shared by the interface and its thread workers: a
        # worker's write and the interface's reads must never interleave
        # inside one transaction. Re-entrant: write_a_jour reads within write.
        self.verrou = threading.RLock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.con = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"impossible d'ouvrir la base {path} : {exc}") from exc
        self.con.row_factory = None
        try:
            for pragma in (
                "PRAGMA journal_mode=WAL",
                "PRAGMA synchronous=FULL",
                "PRAGMA foreign_keys=ON",
                "PRAGMA busy_timeout=10000",
            ):
                self.con.execute(pragma)
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.con.close()
            raise StoreError(
                f"{path} n'est pas une base agesh-tui lisible ({exc}) : vérifiez le chemin donné "
                "par --db ou $AGESH_DB."
            ) from exc

    # -- schema -------------------------------------------------------------
    def schema_version(self) -> int:
        return self.con.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"la base {self.path} vient d'une version plus récente de l'application "
                f"(schéma {current}, connu : {SCHEMA_VERSION}) : mettez agesh-tui à jour."
            )
        for number in range(current, SCHEMA_VERSION):
            self.con.execute("BEGIN IMMEDIATE")
            try:
                # Another process may have migrated while we waited for the lock.
                if self.schema_version() > number:
                    self.con.execute("COMMIT")
                    continue
                for statement in _statements(MIGRATIONS[number]):
                    self.con.execute(statement)
                self.con.execute(f"PRAGMA user_version={number + 1}")
                self.con.execute("COMMIT")
            except BaseException:
                self.con.execute("ROLLBACK")
                raise

    # -- transactions -------------------------------------------------------
    @contextmanager
    def write(self, compter: bool = True) -> Iterator[sqlite3.Connection]:
        """One atomic write: all of it lands, or none of it (even on SIGKILL,
        thanks to the journal). ``compter=False`` for bookkeeping that changes
        no domain data (login attempts): it must not make the PIAL aggregates
        stale nor make other sessions reload."""
        with self.verrou:
            self.con.execute("BEGIN IMMEDIATE")
            try:
                yield self.con
                if compter:
                    self.con.execute(
                        "UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 "
                        "WHERE cle = 'changements'"
                    )
                self.con.execute("COMMIT")
            except BaseException:
                self.con.execute("ROLLBACK")
                raise

    @contextmanager
    def lecture(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: several reads from a single state of the
        base, even if another session writes meanwhile."""
        with self.verrou:
            self.con.execute("BEGIN")
            try:
                yield self.con
            finally:
                self.con.execute("COMMIT")

    def changements(self) -> int:
        """The change counter: grows with every committed write."""
        return int(self.get_meta("changements") or 0)

    @staticmethod
    def compteur(con: sqlite3.Connection) -> int:
        """The change counter as seen inside a transaction."""
        return int(con.execute("SELECT valeur FROM meta WHERE cle = 'changements'").fetchone()[0])

    @contextmanager
    def write_a_jour(self, dep, relancer: str, compter: bool = True) -> Iterator[sqlite3.Connection]:
        """A write decided on the in-memory data ``dep``: refused when another
        session wrote since it was loaded (the decision may no longer hold:
        two gestionnaires filling the same mission), then ``dep`` moves along
        with the write. ``relancer`` says what to do again after reloading."""
        # The lock spans the commit and dep catching up: a staleness check
        # in between would take our own write for someone else's.
        with self.verrou:
            with self.write(compter) as con:
                compteur = self.compteur(con)
                if compteur != dep.changements:
                    raise StaleWriteError(
                        "les données ont été modifiées par ailleurs depuis leur chargement : "
                        f"rechargez-les (touche R) puis {relancer}."
                    )
                yield con
            if compter:
                dep.changements = compteur + 1

    def get_meta(self, cle: str) -> str | None:
        with self.verrou:
            row = self.con.execute("SELECT valeur FROM meta WHERE cle = ?", (cle,)).fetchone()
        return row[0] if row else None

    @staticmethod
    def set_meta(con: sqlite3.Connection, cle: str, valeur: str) -> None:
        con.execute(
            "INSERT INTO meta VALUES (?, ?) ON CONFLICT(cle) DO UPDATE SET valeur = excluded.valeur",
            (cle, valeur),
        )

    def rows(self, sql: str, params: Sequence = ()) -> list[tuple]:
        with self.verrou:
            return self.con.execute(sql, params).fetchall()

    def close(self) -> None:
        self.con.close()

    # -- generic row operations ----------------------------------------------
    @staticmethod
    def upsert(
        con: sqlite3.Connection,
        table: str,
        columns: Sequence[str],
        key: Sequence[str],
        rows: Iterable[Sequence],
        versioned: bool = False,
    ) -> tuple[int, int]:
        """Insert new rows and update changed ones; identical rows are left
        alone (so a re-import changes nothing, not even a version).
        Returns (inserted, updated)."""
        key_idx = [columns.index(k) for k in key]
        cols = ", ".join(columns)
        existing = {
            tuple(r[i] for i in key_idx): tuple(r)
            for r in con.execute(f"SELECT {cols} FROM {table}")
        }
        insert = (
            f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' for _ in columns)})"
        )
        non_key = [c for c in columns if c not in key]
        bump = ", version = version + 1" if versioned else ""
        update = (
            f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in non_key)}{bump} "
            f"WHERE {' AND '.join(f'{k} = ?' for k in key)}"
        )
        non_key_idx = [columns.index(c) for c in non_key]
        to_insert, to_update = [], []
        for row in rows:
            row = tuple(row)
            k = tuple(row[i] for i in key_idx)
            old = existing.get(k)
            if old is None:
                to_insert.append(row)
                existing[k] = row
            elif old != row:
                to_update.append(tuple(row[i] for i in non_key_idx) + k)
                existing[k] = row
        con.executemany(insert, to_insert)
        if non_key:
            con.executemany(update, to_update)
        return len(to_insert), len(to_update)

    @staticmethod
    def update_versioned(
        con: sqlite3.Connection,
        table: str,
        key_column: str,
        key: str,
        expected_version: int,
        values: dict[str, object],
    ) -> int:
        """Apply ``values`` to one row if nobody changed it since it was read
        at ``expected_version``; returns the new version."""
        sets = ", ".join(f"{c} = ?" for c in values)
        cur = con.execute(
            f"UPDATE {table} SET {sets}, version = version + 1 "
            f"WHERE {key_column} = ? AND version = ?",
            (*values.values(), key, expected_version),
        )
        if cur.rowcount != 1:
            exists = con.execute(
                f"SELECT version FROM {table} WHERE {key_column} = ?", (key,)
            ).fetchone()
            if exists is None:
                raise StoreError(f"« {key} » n'existe plus : il a été supprimé entre-temps.")
            raise StaleWriteError(
                f"« {key} » a été modifié par ailleurs depuis son affichage "
                f"(version {exists[0]}, attendue {expected_version}) : rechargez avant de modifier."
            )
        return expected_version + 1


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def open_store(url: str | os.PathLike | None = None) -> Store:
    return Store(resolve_url(url))

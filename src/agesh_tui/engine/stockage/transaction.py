"""One transaction on either engine, and the SQL every store module shares.

The SQL of the project is written once, in the subset SQLite and PostgreSQL
both speak, with ``?`` placeholders; a Dialecte supplies what differs
(placeholders, column types, row locks). Only modules of engine/stockage
call ``execute``: elsewhere, the storage is used through their functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .erreurs import StaleWriteError, StoreError


@dataclass(frozen=True)
class Dialecte:
    nom: str
    parametre: str  # the driver's placeholder
    pour_maj: str  # row lock suffix of a SELECT, "" where the whole base is locked
    types: tuple[tuple[str, str], ...] = ()  # DDL rewrites, in order

    def sql(self, texte: str) -> str:
        if self.parametre != "?":
            texte = texte.replace("%", "%%").replace("?", self.parametre)
        return texte

    def ddl(self, texte: str) -> str:
        for avant, apres in self.types:
            texte = texte.replace(avant, apres)
        return texte


class Transaction:
    """A read or write transaction opened by a Stockage (never directly)."""

    def __init__(self, con: Any, dialecte: Dialecte, ecriture: bool):
        self._con = con
        self.dialecte = dialecte
        self.ecriture = ecriture
        self.compteur_initial = 0  # in a write: the counter before it (set by Stockage)
        # What store modules read once per transaction (the next free id…):
        # valid as long as it lasts, a write holding the lock.
        self.memo: dict[str, Any] = {}
        self._cache: dict[str, str] = {}

    # -- primitives (store modules only) ------------------------------------------
    def _sql(self, texte: str) -> str:
        sql = self._cache.get(texte)
        if sql is None:
            sql = self._cache[texte] = self.dialecte.sql(texte)
        return sql

    def execute(self, sql: str, params: Sequence = ()) -> Any:
        return self._con.execute(self._sql(sql), tuple(params))

    def executemany(self, sql: str, lignes: Iterable[Sequence]) -> None:
        lignes = [tuple(x) for x in lignes]
        if lignes:
            self._con.cursor().executemany(self._sql(sql), lignes)

    def lignes(self, sql: str, params: Sequence = ()) -> list[tuple]:
        # Both drivers give plain tuples (no row factory is ever set).
        return self.execute(sql, params).fetchall()

    def ligne(self, sql: str, params: Sequence = ()) -> tuple | None:
        return self.execute(sql, params).fetchone()

    # -- change counter and meta --------------------------------------------------------
    def compteur(self) -> int:
        """The change counter as this transaction sees it; in a write, the
        row is locked until the commit (PostgreSQL), so that two writers
        decided on the same counter cannot both commit."""
        suffixe = self.dialecte.pour_maj if self.ecriture else ""
        ligne = self.ligne(f"SELECT valeur FROM meta WHERE cle = 'changements'{suffixe}")
        return int(ligne[0]) if ligne else 0

    def incrementer(self) -> None:
        self.execute(
            "UPDATE meta SET valeur = CAST(CAST(valeur AS INTEGER) + 1 AS TEXT) "
            "WHERE cle = 'changements'"
        )

    def meta(self, cle: str) -> str | None:
        ligne = self.ligne("SELECT valeur FROM meta WHERE cle = ?", (cle,))
        return ligne[0] if ligne else None

    def set_meta(self, cle: str, valeur: str) -> None:
        self.execute(
            "INSERT INTO meta (cle, valeur) VALUES (?, ?) "
            "ON CONFLICT (cle) DO UPDATE SET valeur = excluded.valeur",
            (cle, valeur),
        )

    # -- generic rows (tables named by the schema) ----------------------------------
    def table(self, table: str, colonnes: Sequence[str]) -> list[tuple]:
        """Every row of ``table`` (in no particular order: sort where it matters)."""
        return self.lignes(f"SELECT {', '.join(colonnes)} FROM {table}")

    def colonnes(self, table: str) -> list[str]:
        """The columns of a table, in the schema's order."""
        curseur = self.execute(f"SELECT * FROM {table} WHERE 1 = 0")
        return [d[0] for d in curseur.description]

    def valeurs(self, table: str, colonne: str) -> set:
        """The distinct values of one column (keys a file may reference)."""
        return {r[0] for r in self.lignes(f"SELECT {colonne} FROM {table}")}

    def inserer(self, table: str, colonnes: Sequence[str], lignes: Iterable[Sequence]) -> int:
        lignes = list(lignes)
        self.executemany(
            f"INSERT INTO {table} ({', '.join(colonnes)}) "
            f"VALUES ({', '.join('?' for _ in colonnes)})",
            lignes,
        )
        return len(lignes)

    def upsert(
        self,
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
        existing = {tuple(r[i] for i in key_idx): r for r in self.table(table, columns)}
        non_key = [c for c in columns if c not in key]
        non_key_idx = [columns.index(c) for c in non_key]
        bump = ", version = version + 1" if versioned else ""
        update = (
            f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in non_key)}{bump} "
            f"WHERE {' AND '.join(f'{k} = ?' for k in key)}"
        )
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
        self.inserer(table, columns, to_insert)
        if non_key:
            self.executemany(update, to_update)
        return len(to_insert), len(to_update)

    def update_versioned(self, table: str, key_column: str, key: str, expected_version: int,
                         values: dict[str, object]) -> int:
        """Apply ``values`` to one row if nobody changed it since it was read
        at ``expected_version``; returns the new version."""
        sets = ", ".join(f"{c} = ?" for c in values)
        cur = self.execute(
            f"UPDATE {table} SET {sets}, version = version + 1 "
            f"WHERE {key_column} = ? AND version = ?",
            (*values.values(), key, expected_version),
        )
        if cur.rowcount != 1:
            self.refuser_version(table, key_column, key, expected_version, "modifier")
        return expected_version + 1

    def delete_versioned(self, table: str, key_column: str, key: str, expected_version: int) -> None:
        cur = self.execute(
            f"DELETE FROM {table} WHERE {key_column} = ? AND version = ?", (key, expected_version)
        )
        if cur.rowcount != 1:
            self.refuser_version(table, key_column, key, expected_version, "supprimer")

    def refuser_version(self, table: str, key_column: str, key: str, expected: int,
                        verbe: str) -> None:
        ligne = self.ligne(f"SELECT version FROM {table} WHERE {key_column} = ?", (key,))
        if ligne is None:
            raise StoreError(f"« {key} » n'existe plus : il a été supprimé entre-temps.")
        raise StaleWriteError(
            f"« {key} » a été modifié par ailleurs depuis son affichage "
            f"(version {ligne[0]}, attendue {expected}) : rechargez avant de {verbe}."
        )

    def numeros(self, table: str, prefixe: str) -> list[str]:
        """The digits after ``prefixe`` of the ids of ``table`` that are
        ``prefixe`` and ASCII digits (to number a new one). Filtered here
        rather than by the engine: half the time of a save on demo L."""
        n = len(prefixe)
        return [s for (ident,) in self.lignes(f"SELECT id FROM {table}")
                if ident.startswith(prefixe) and (s := ident[n:]).isascii() and s.isdigit()]

    def nouvel_id(self, table: str, prefixe: str, largeur: int = 6) -> str:
        """``prefixe`` + the next number after the highest of the ids of
        ``table`` that are ``prefixe`` and digits, as wide as they are (at
        least ``largeur``): AC035000408 → AC035000409. Read inside the write,
        so two sessions never get the same id; once per transaction (it
        holds the write lock): thousands of new rows do not rescan every id."""
        cle = f"suivant:{table}:{prefixe}"
        suivant = self.memo.get(cle)
        if suivant is None:
            plus_grand = max(self.numeros(table, prefixe), key=int, default="0")
            suivant = (int(plus_grand) + 1, max(largeur, len(plus_grand)))
        numero, chiffres = suivant
        self.memo[cle] = (numero + 1, chiffres)
        return f"{prefixe}{numero:0{chiffres}d}"

"""Bases of both engines for the tests: a SQLite file, or a schema of its
own in a database created for this test run on a real PostgreSQL server.

The server is $AGESH_TEST_POSTGRES (a URL), else the machine's local one
(postgresql://root@127.0.0.1:5432/postgres). Without a server, the
PostgreSQL cases are skipped with a message — unless
$AGESH_TEST_POSTGRES_REQUIS is set (CI): then they fail.
"""

from __future__ import annotations

import os
import secrets
from urllib.parse import quote

import pytest

SERVEUR_LOCAL = "postgresql://root@127.0.0.1:5432/postgres"
MOTEURS = ("sqlite", "postgresql")


class Serveur:
    """The PostgreSQL database of this test run (created at first use,
    dropped at the end)."""

    def __init__(self) -> None:
        self.admin_url = os.environ.get("AGESH_TEST_POSTGRES") or SERVEUR_LOCAL
        self.base = f"agesh_tests_{os.getpid()}_{secrets.token_hex(3)}"
        self.erreur: str | None = None
        self.cree = False

    def _admin(self):
        import psycopg

        return psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5)

    def preparer(self) -> None:
        if self.cree or self.erreur:
            return
        try:
            with self._admin() as con:
                con.execute(f'CREATE DATABASE "{self.base}"')
            self.cree = True
        except Exception as exc:  # noqa: BLE001 — any failure means: no server for these tests
            self.erreur = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)

    def url(self, schema: str | None = None) -> str:
        """A URL, as a user gives it to --db, of this run's database (and schema)."""
        from psycopg.conninfo import conninfo_to_dict

        infos = conninfo_to_dict(self.admin_url)
        compte = quote(infos.get("user", ""))
        if infos.get("password"):
            compte += ":" + quote(infos["password"])
        compte = f"{compte}@" if compte else ""
        port = f":{infos['port']}" if infos.get("port") else ""
        options = f"?options={quote(f'-csearch_path={schema}')}" if schema else ""
        return f"postgresql://{compte}{infos.get('host', '')}{port}/{self.base}{options}"

    def nouveau_schema(self) -> str:
        import psycopg

        schema = f"t_{secrets.token_hex(6)}"
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f'CREATE SCHEMA "{schema}"')
        return schema

    def supprimer_schema(self, schema: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    def terminer(self) -> None:
        if not self.cree:
            return
        with self._admin() as con:
            con.execute(f'DROP DATABASE IF EXISTS "{self.base}" WITH (FORCE)')


SERVEUR = Serveur()


def url_de(moteur: str, tmp_path, request) -> str:
    """A new empty base of ``moteur`` for one test (removed after it)."""
    if moteur == "sqlite":
        return str(tmp_path / "agesh.sqlite3")
    SERVEUR.preparer()
    if SERVEUR.erreur:
        message = (f"PostgreSQL indisponible ({SERVEUR.erreur}) : définissez AGESH_TEST_POSTGRES="
                   "postgresql://utilisateur@serveur/base pour lancer ces tests (voir README)")
        if os.environ.get("AGESH_TEST_POSTGRES_REQUIS"):
            pytest.fail(message)
        pytest.skip(message)
    schema = SERVEUR.nouveau_schema()
    request.addfinalizer(lambda: SERVEUR.supprimer_schema(schema))
    return SERVEUR.url(schema)

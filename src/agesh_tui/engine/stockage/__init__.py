"""Storage: the contract (contrat.py) and its two engines, chosen by URL.

``--db chemin`` or ``sqlite:///chemin`` opens SQLite (the default: the
user data directory); ``postgresql://utilisateur@serveur/base`` opens
PostgreSQL. Nothing outside this package imports a database driver or
writes SQL.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

from .contrat import Ecoute, Stockage
from .erreurs import (
    BaseIntrouvable,
    BaseOccupee,
    ConflitIntegrite,
    RienAEcrire,
    StaleWriteError,
    StoreError,
)
from .transaction import Transaction

__all__ = [
    "APP_NAME", "ENV_DB", "BaseIntrouvable", "BaseOccupee", "ConflitIntegrite", "Ecoute",
    "RienAEcrire", "StaleWriteError", "Stockage", "StoreError", "Transaction", "chemin_sqlite",
    "default_path", "ouvrir",
]

ENV_DB = "AGESH_DB"
APP_NAME = "agesh-tui"
SCHEMAS_POSTGRESQL = ("postgresql", "postgres")


def default_path() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "agesh.sqlite3"


def _url(url: str | os.PathLike | None) -> str:
    if url is None:
        url = os.environ.get(ENV_DB) or default_path()
    return os.fspath(url)


def chemin_sqlite(url: str | os.PathLike | None) -> Path | None:
    """The SQLite file a URL or path names (``--db``, then $AGESH_DB, then
    the user data directory); None for a PostgreSQL URL."""
    texte = _url(url)
    if "://" in texte:
        schema, _, reste = texte.partition("://")
        if schema in SCHEMAS_POSTGRESQL:
            return None
        if schema != "sqlite":
            raise StoreError(
                f"base de données « {schema}:// » non prise en charge : attendu un chemin de "
                "fichier, sqlite:///chemin ou postgresql://utilisateur@serveur/base."
            )
        texte = reste  # sqlite:///abs/path → /abs/path ; sqlite://rel/path → rel/path
    return Path(texte).expanduser()


def ouvrir(url: str | os.PathLike | None = None, creer: bool = True) -> Stockage:
    """Open the base ``url`` names. ``creer=False`` (commands that only
    read): a base that does not exist, or holds no agesh-tui schema, is an
    error (BaseIntrouvable), never created empty."""
    chemin = chemin_sqlite(url)
    if chemin is None:
        from .postgresql import StockagePostgresql

        return StockagePostgresql(_url(url), creer=creer)
    from .sqlite import StockageSqlite

    return StockageSqlite(chemin, creer=creer)

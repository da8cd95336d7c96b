"""Subcommands of ``agesh``, one module each.

Each module exposes ``register(subparsers, common)`` that adds its parser
(with ``parents=[common]``) and sets ``handler=`` to a function taking the
parsed arguments and returning an exit status. Heavy imports stay inside
the handlers so that ``agesh --help`` and the application start fast.
"""

from __future__ import annotations

import argparse
import json
import sys

COMMAND_MODULES = (
    "echange",
    "referentiel",
    "listes",
    "anomalies",
    "utilisateur",
    "otp",
    "accompagnement",
    "pial",
    "affectation_auto",
    "synchro_rh",
    "demo",
    "application",
)


class CommandError(Exception):
    """A user error: its French message is printed, the exit status is 1."""


def date_iso(text: str):
    """An ISO date argument; a malformed one is a usage error (status 2)."""
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date invalide « {text} » (attendu aaaa-mm-jj)") from None


def nombre_positif(text: str) -> float:
    """A number of hours or the like: decimal comma accepted; NaN, infinity
    and negatives are usage errors (they would pass every comparison)."""
    import math

    try:
        valeur = float(text.replace(",", "."))
    except ValueError:
        valeur = math.nan
    if not math.isfinite(valeur) or valeur < 0:
        raise argparse.ArgumentTypeError(f"nombre invalide « {text} » (attendu un nombre positif)")
    return valeur


def entier_positif(text: str) -> int:
    try:
        valeur = int(text)
    except ValueError:
        valeur = -1
    if valeur < 0:
        raise argparse.ArgumentTypeError(f"entier invalide « {text} » (attendu 0 ou plus)")
    return valeur


def common_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", metavar="URL_OU_CHEMIN", default=argparse.SUPPRESS,
        help="base de données (défaut : $AGESH_DB, sinon le dossier de données de l'utilisateur)",
    )
    common.add_argument(
        "--today", metavar="AAAA-MM-JJ", default=argparse.SUPPRESS, type=date_iso,
        help="date du jour à utiliser (défaut : $AGESH_TODAY, sinon la date système)",
    )
    return common


def emit_json(document) -> None:
    # allow_nan=False: a NaN would make the document invalid JSON for scripts.
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2, default=str, allow_nan=False)
    sys.stdout.write("\n")


def print_table(headers, rows) -> None:
    """A rich table on stdout whose cells are plain text, never markup:
    data such as « [b]X » must show as typed."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(*headers)
    for row in rows:
        table.add_row(*(Text("" if cell is None else str(cell)) for cell in row))
    Console().print(table)


def add_auteur(parser) -> None:
    parser.add_argument("--auteur", metavar="LOGIN",
                        help="auteur inscrit au journal (défaut : l'utilisateur du système)")


def auteur_of(args) -> str:
    """Who the journal names for a batch write: --auteur, else the system user."""
    import getpass

    if getattr(args, "auteur", None):
        return args.auteur
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "inconnu"


def store_of(args):
    from ..engine.stockage.sqlite import open_store

    return open_store(getattr(args, "db", None))


def today_of(args):
    from ..engine.calendrier import ENV_TODAY, today

    try:
        return today(getattr(args, "today", None))
    except ValueError as exc:
        raise CommandError(f"${ENV_TODAY} invalide : attendu aaaa-mm-jj.") from exc

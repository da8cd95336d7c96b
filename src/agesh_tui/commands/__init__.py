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
from collections.abc import Iterator
from contextlib import contextmanager

COMMAND_MODULES = (
    "echange",
    "copie",
    "referentiel",
    "listes",
    "classes",
    "acces_ent",
    "pv",
    "synthese",
    "anomalies",
    "utilisateur",
    "otp",
    "accompagnement",
    "pial",
    "affectation_auto",
    "propositions",
    "synchro_rh",
    "demo",
    "application",
)


class CommandError(Exception):
    """A user error: its French message is printed, the exit status is 1."""


def date_iso(text: str):
    """An ISO date argument within calendrier's bounds; a malformed or
    implausible one is a usage error (status 2)."""
    from datetime import date

    from ..engine.calendrier import hors_periode

    try:
        jour = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date invalide « {text} » (attendu aaaa-mm-jj)") from None
    raison = hors_periode(jour)
    if raison:
        raise argparse.ArgumentTypeError(raison)
    return jour


def identifiants(text: str) -> tuple[str, ...]:
    """``ID[,ID]``: at least one id, blanks around the commas ignored. With
    ``action="extend"`` the option is also repeatable: every id given counts
    (with the default ``store`` only the last option would)."""
    ids = tuple(i.strip() for i in text.split(",") if i.strip())
    if not ids:
        raise argparse.ArgumentTypeError(f"liste d'identifiants vide « {text} » (attendu ID[,ID])")
    return ids


def annee(text: str) -> int:
    """A school year's starting year (``--annee``), within calendrier's bounds."""
    from ..engine.calendrier import hors_annees

    try:
        valeur = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"année invalide « {text} » (attendu l'année de début, ex. 2026)") from None
    raison = hors_annees(valeur)
    if raison:
        raise argparse.ArgumentTypeError(raison)
    return valeur


def _decimal(text: str) -> float:
    """A decimal number, comma accepted; NaN when it is none (NaN passes no
    bound check, so every type below refuses it)."""
    import math

    try:
        return float(text.replace(",", "."))
    except ValueError:
        return math.nan


def nombre_positif(text: str) -> float:
    """A number of weekly hours: decimal comma accepted; NaN, infinity,
    negatives and more than a week's hours are usage errors (they would pass
    every comparison, or be no hours at all)."""
    from ..engine.nombres import HEURES_MAX

    return _dans(text, 0 <= (valeur := _decimal(text)) <= HEURES_MAX, valeur, "nombre",
                 f"un nombre d'heures de 0 à {HEURES_MAX:g}")


def _dans(text: str, dedans: bool, valeur: float, quoi: str, attendu: str) -> float:
    """``valeur`` if within its bounds, else the usage error naming what is expected."""
    if not dedans:
        raise argparse.ArgumentTypeError(f"{quoi} invalide « {text} » (attendu {attendu})")
    return valeur


def distance_km(text: str) -> float:
    """A distance limit in km, within the bounds a superviseur may set
    (regles.propositions.DISTANCE_MAX_KM)."""
    from ..engine.regles.propositions import DISTANCE_MAX_KM

    return _dans(text, 0 < (valeur := _decimal(text)) <= DISTANCE_MAX_KM, valeur, "distance",
                 f"un nombre de km supérieur à 0 et au plus {DISTANCE_MAX_KM:g}")


SECONDES_MAX = 3600.0  # a computation's time limit: an hour is already far beyond need


def secondes(text: str) -> float:
    """A time limit in seconds, 0 (the first plan found) to SECONDES_MAX."""
    return _dans(text, 0 <= (valeur := _decimal(text)) <= SECONDES_MAX, valeur, "durée",
                 f"un nombre de secondes de 0 à {SECONDES_MAX:g}")


def limite_nombre(text: str) -> int:
    """A limit of the propositions (établissements per AESH, AESH per
    pupil): 1 to regles.propositions.NOMBRE_MAX, as a superviseur sets it."""
    from ..engine.regles.propositions import NOMBRE_MAX

    try:
        valeur = int(text)
    except ValueError:
        valeur = 0
    if not 1 <= valeur <= NOMBRE_MAX:
        raise argparse.ArgumentTypeError(f"nombre invalide « {text} » (attendu un entier de 1 à {NOMBRE_MAX})")
    return valeur


COMPTE_MAX = 10_000_000  # décisions counted in a formula: far beyond any académie


def entier_positif(text: str) -> int:
    """A count (of décisions): 0 to COMPTE_MAX, so that it stays a number
    the formulas can compute with."""
    try:
        valeur = int(text)
    except ValueError:
        valeur = -1
    if not 0 <= valeur <= COMPTE_MAX:
        raise argparse.ArgumentTypeError(f"entier invalide « {text} » (attendu de 0 à {COMPTE_MAX})")
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
    """One JSON document on stdout, never ``NaN`` nor ``Infinity`` (invalid
    JSON for scripts): a base written before the bounds on numbers existed
    may hold an infinite number; it is given as null, with a warning."""
    try:
        texte = _json(document)
    except ValueError:
        remplaces: list[float] = []
        texte = _json(_sans_non_finis(document, remplaces))
        print(f"agesh : attention, {len(remplaces)} nombre(s) non fini(s) de la base donné(s) "
              "comme null : corrigez ces données (un import du format d'échange les remplace).",
              file=sys.stderr)
    # Built whole before it is written: a failure never leaves half a document.
    sys.stdout.write(texte + "\n")


def _json(document) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, default=str, allow_nan=False)


def _sans_non_finis(valeur, remplaces: list[float]):
    import math

    if isinstance(valeur, float) and not math.isfinite(valeur):
        remplaces.append(valeur)
        return None
    if isinstance(valeur, dict):
        return {k: _sans_non_finis(v, remplaces) for k, v in valeur.items()}
    if isinstance(valeur, (list, tuple)):
        return [_sans_non_finis(v, remplaces) for v in valeur]
    return valeur


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


def add_auteur(parser, aide: str = "auteur inscrit au journal (défaut : l'utilisateur du système)") -> None:
    parser.add_argument("--auteur", metavar="LOGIN", type=login_auteur, help=aide)


def login_auteur(text: str) -> str:
    """--auteur: an identifier as typed, never with control characters (it
    is stored in the journal and shown in documents and terminals)."""
    from ..engine.texte import nettoyer

    if nettoyer(text) != text:
        raise argparse.ArgumentTypeError(
            f"identifiant invalide « {nettoyer(text)} » : caractères de contrôle ou blancs autour ; "
            "attendu un identifiant tel qu'il s'écrit, ex. jdupont")
    return text


def auteur_of(args) -> str:
    """Who the journal names for a batch write: --auteur, else the system user."""
    import getpass

    from ..engine.texte import nettoyer

    if getattr(args, "auteur", None):
        return args.auteur
    try:
        return nettoyer(getpass.getuser()) or "inconnu"  # $LOGNAME is anyone's text
    except (OSError, KeyError):
        return "inconnu"


def base_of(args, creer: bool = False):
    """The base --db names; ``creer`` only for the commands that fill a base
    (import, demo, référentiel, utilisateur ajouter): the others never
    create one, a mistyped --db is an error."""
    from ..api.base import Base

    base = Base.ouvrir(getattr(args, "db", None), creer=creer)
    for avertissement in base.avertissements:
        print(f"agesh : attention, {avertissement}", file=sys.stderr)
    return base


@contextmanager
def ouvrir_base(args, creer: bool = False) -> Iterator:
    base = base_of(args, creer)
    try:
        yield base
    except BaseException:
        base.abandonner()  # a base created for a failed command is removed
        raise
    base.fermer()


@contextmanager
def ouvrir_session(args, profil: str = "gestionnaire", charger: bool = True,
                   secteurs: tuple[str, ...] = ()) -> Iterator:
    """The Session of a batch command: the base --db names, the journal's
    author (--auteur or the system user), the profile the command needs,
    the département loaded from one snapshot."""
    with ouvrir_base(args) as base:
        session = base.session_lots(auteur_of(args), profil, today_of(args), secteurs)
        if charger:
            session.charger(anomalies=False)  # computed only if the command asks
        yield session


def today_of(args):
    from ..engine.calendrier import ENV_TODAY, DateHorsLimites, today

    try:
        return today(getattr(args, "today", None))
    except DateHorsLimites as exc:
        raise CommandError(f"${ENV_TODAY} invalide : {exc}.") from exc
    except ValueError as exc:
        raise CommandError(f"${ENV_TODAY} invalide : attendu aaaa-mm-jj.") from exc

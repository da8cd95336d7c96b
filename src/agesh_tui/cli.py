"""The ``agesh`` command: the application by default, batch subcommands otherwise.

Exit status: 0 success, 1 user error (French message on stderr), 2 usage
error. With ``--json`` a command prints one JSON document on stdout and
nothing else.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from .commands import COMMAND_MODULES, CommandError, common_parser, francais
from .engine.texte import sans_controles


class _Parser(argparse.ArgumentParser):
    """Usage errors echo what was typed: without its control characters.
    The subcommands' parsers are of the same class (add_subparsers)."""

    def _print_message(self, message: str, file=None) -> None:  # noqa: ANN001
        super()._print_message(sans_controles(message), file)


def build_parser() -> argparse.ArgumentParser:
    francais.installer()
    common = common_parser()
    parser = _Parser(
        prog="agesh",
        description="Gestion des AESH et des accompagnements. Sans commande : ouvre l'application.",
        epilog=(
            "Données personnelles : la base, ses journaux et les exports sont créés lisibles par "
            "leur seul propriétaire (600, dossiers 700). Pour partager une base SQLite au sein "
            "d'un groupe Unix, délibérément, voir docs/securite.md (« Partager une base SQLite "
            "au sein d'un groupe »)."
        ),
        parents=[common],
    )
    sub = parser.add_subparsers(dest="commande", metavar="COMMANDE")
    for name in COMMAND_MODULES:
        importlib.import_module(f"agesh_tui.commands.{name}").register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    # Belt and braces: every file this process creates is its owner's only,
    # even one written by a library that does not set its own mode. Group
    # sharing is a deliberate chmod (docs/securite.md), never an umask.
    umask = os.umask(0o077)
    try:
        return _executer(argv)
    finally:
        os.umask(umask)  # main() is also called in-process (tests, scripts)


def _executer(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.commande is None:
        from .commands.application import run_application

        handler = run_application
    else:
        handler = args.handler
    from .api.erreurs import StoreError

    try:
        return handler(args) or 0
    except (CommandError, StoreError) as exc:
        # Driver errors reach here translated by the storage: French, and
        # nothing half-written (the transaction rolled back).
        print(sans_controles(f"agesh : {exc}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("agesh : interrompu.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `agesh pial | head`: the reader left; say nothing more, like other tools.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141

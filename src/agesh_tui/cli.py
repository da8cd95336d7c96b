"""The ``agesh`` command: the application by default, batch subcommands otherwise.

Exit status: 0 success, 1 user error (French message on stderr), 2 usage
error. With ``--json`` a command prints one JSON document on stdout and
nothing else.
"""

from __future__ import annotations

import argparse
import importlib
import sqlite3
import sys

from .commands import COMMAND_MODULES, CommandError, common_parser, francais


def build_parser() -> argparse.ArgumentParser:
    francais.installer()
    common = common_parser()
    parser = argparse.ArgumentParser(
        prog="agesh",
        description="Gestion des AESH et des accompagnements. Sans commande : ouvre l'application.",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="commande", metavar="COMMANDE")
    for name in COMMAND_MODULES:
        importlib.import_module(f"agesh_tui.commands.{name}").register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.commande is None:
        from .commands.application import run_application

        handler = run_application
    else:
        handler = args.handler
    from .engine.stockage.sqlite import StoreError

    try:
        return handler(args) or 0
    except (CommandError, StoreError) as exc:
        print(f"agesh : {exc}", file=sys.stderr)
        return 1
    except sqlite3.Error as exc:
        # A constraint or I/O failure the rules did not foresee: still a
        # French message and nothing half-written (the transaction rolled back).
        print(f"agesh : erreur de la base de données, rien n'a été enregistré ({exc}).",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("agesh : interrompu.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `agesh pial | head`: the reader left; say nothing more, like other tools.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141

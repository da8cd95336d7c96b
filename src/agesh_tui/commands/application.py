"""``agesh`` with no subcommand (or ``agesh ouvrir``): the Textual application."""

from __future__ import annotations

from . import base_of, today_of


def register(sub, common) -> None:
    parser = sub.add_parser("ouvrir", parents=[common], help="ouvrir l'application (par défaut)")
    parser.set_defaults(handler=run_application)


def run_application(args) -> int:
    from ..app import AgeshApp

    base = base_of(args, creer=False)
    try:
        AgeshApp(base=base, today=today_of(args)).run()
    finally:
        base.fermer()
    return 0

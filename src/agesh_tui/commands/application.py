"""``agesh`` with no subcommand (or ``agesh ouvrir``): the Textual application."""

from __future__ import annotations

from . import store_of, today_of


def register(sub, common) -> None:
    parser = sub.add_parser("ouvrir", parents=[common], help="ouvrir l'application (par défaut)")
    parser.set_defaults(handler=run_application)


def run_application(args) -> int:
    from ..app import AgeshApp

    store = store_of(args)
    AgeshApp(store=store, today=today_of(args)).run()
    return 0

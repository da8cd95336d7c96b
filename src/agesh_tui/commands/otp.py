"""``agesh otp LOGIN``: a user's current code, on a demonstration base only."""

from __future__ import annotations

from . import ouvrir_base


def register(sub, common) -> None:
    parser = sub.add_parser(
        "otp", parents=[common],
        help="afficher le code TOTP courant d'un utilisateur (base de démonstration seulement)",
    )
    parser.add_argument("login", metavar="LOGIN")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from datetime import UTC, datetime

    with ouvrir_base(args) as base:
        print(base.code_otp(args.login, datetime.now(UTC)))
    return 0

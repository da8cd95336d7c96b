"""``agesh otp LOGIN``: a user's current code, on a demonstration base only."""

from __future__ import annotations

from . import store_of


def register(sub, common) -> None:
    parser = sub.add_parser(
        "otp", parents=[common],
        help="afficher le code TOTP courant d'un utilisateur (base de démonstration seulement)",
    )
    parser.add_argument("login", metavar="LOGIN")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from datetime import datetime, timezone

    from ..api.auth import code_courant

    print(code_courant(store_of(args), args.login, datetime.now(timezone.utc)))
    return 0

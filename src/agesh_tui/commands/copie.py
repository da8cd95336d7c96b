"""``agesh copier --vers URL``: the whole base into a new one — to move a
département from SQLite to a shared PostgreSQL server (README)."""

from __future__ import annotations

from . import emit_json, ouvrir_base


def register(sub, common) -> None:
    parser = sub.add_parser(
        "copier", parents=[common],
        help="copier toute la base (utilisateurs, journal et messages compris) dans une base vide",
        description=(
            "Copie la base --db dans la base vide --vers, en une transaction : données, "
            "utilisateurs et leurs secrets chiffrés (même fichier de clé), journal, messages, "
            "préférences et agrégats. Par exemple : agesh copier --db ~/.local/share/agesh-tui/"
            "agesh.sqlite3 --vers postgresql://agesh@serveur/agesh_035"
        ),
    )
    parser.add_argument("--vers", required=True, metavar="URL_OU_CHEMIN", help="base cible, vide")
    parser.add_argument("--json", action="store_true", help="lignes copiées par table, en JSON")
    parser.set_defaults(handler=run)


def run(args) -> int:
    with ouvrir_base(args) as base:
        comptes = base.copier_vers(args.vers)
    if args.json:
        emit_json({"copie": comptes})
    else:
        print(f"{sum(comptes.values())} lignes copiées dans {args.vers} "
              f"({sum(1 for n in comptes.values() if n)} tables).")
    return 0

"""``agesh demo``: build the demo département (Ille-et-Vilaine, real référentiel)."""

from __future__ import annotations

import argparse
import sys

from . import CommandError, emit_json, today_of


def _graine(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"graine invalide « {text} » (attendu un nombre entier, ex. 1)") from None


def register(sub, common) -> None:
    parser = sub.add_parser(
        "demo", parents=[common],
        help="construire une base de démonstration (utilisateurs demo.superviseur et demo.gestionnaire)",
        description=(
            "Construit un département de démonstration sur le référentiel réel de l'Ille-et-Vilaine : "
            "élèves, décisions, AESH, missions, affectations PIAL et accompagnements, avec quelques "
            "incohérences volontaires pour le tableau de bord. Une base de démonstration existante est "
            "reconstruite ; une base contenant d'autres données est refusée."
        ),
    )
    parser.add_argument("--taille", choices=("S", "M", "L", "XL"), default="M",
                        help="S ≈ 300 décisions, M ≈ 6 000 (défaut), L ≈ 25 000, XL ≈ 100 000 (académie)")
    parser.add_argument("--seed", "--graine", dest="graine", type=_graine, default=1, metavar="N",
                        help="graine du tirage : même taille et même graine donnent la même base (défaut 1)")
    parser.add_argument("--json", action="store_true", help="résumé JSON sur la sortie standard")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from ..api.base import construire_demo
    from ..api.erreurs import StoreError
    from ..engine.demo import ETAPES

    url = getattr(args, "db", None)
    today = today_of(args)
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        progress = Progress(
            TextColumn("Démonstration {task.fields[etape]}"), BarColumn(), TimeElapsedColumn(),
            console=Console(stderr=True), transient=True,
        )
        tache = progress.add_task("demo", total=len(ETAPES), etape="")

        def suivre(etape: str, faites: int, total: int) -> None:
            progress.update(tache, completed=faites, etape=f"— {etape}…")
    else:
        progress = None  # and no suivre: only the progress bar uses it
    try:
        if progress is not None:
            with progress:
                resume = construire_demo(url, args.taille, args.graine, today, suivre)
        else:
            resume = construire_demo(url, args.taille, args.graine, today)
    except StoreError as exc:
        raise CommandError(str(exc)) from exc
    if args.json:
        emit_json(resume)
    else:
        print(
            f"Base de démonstration {resume['base']} (taille {resume['taille']}, graine {resume['graine']}) : "
            f"{resume['eleves']} élèves, {resume['decisions']} décisions, {resume['aesh']} AESH, "
            f"{resume['missions']} missions, {resume['accompagnements']} accompagnements.",
            file=sys.stderr,
        )
        # The hint must work when copy-pasted: name the base unless it is the default.
        base = f" --db {url}" if url else ""
        print("Connexion : demo.superviseur ou demo.gestionnaire, code donné par "
              f"« agesh otp LOGIN{base} ».", file=sys.stderr)
    return 0

"""``agesh affectation-auto``: the affectation automatique of the missions to
their PIAL for a school year (SPEC §2.7, §5, F11)."""

from __future__ import annotations

import sys

from . import CommandError, add_auteur, annee, emit_json, ouvrir_session


def register(sub, common) -> None:
    p = sub.add_parser(
        "affectation-auto", parents=[common],
        help="affecter automatiquement les missions d'accompagnement aux PIAL d'une année scolaire",
    )
    p.add_argument("--annee", type=annee, required=True, metavar="N", help="année scolaire N-N+1")
    p.add_argument("--dry-run", action="store_true",
                   help="simulation : montrer le résultat sans rien enregistrer")
    add_auteur(p)
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=run_affectation_auto)



def run_affectation_auto(args) -> int:
    from contextlib import nullcontext

    from ..engine.calendrier import libelle_annee
    from ..engine.regles.formule import FormuleError
    from .pial import maintenant_of

    barre = not args.json and sys.stderr.isatty()
    # A real run is the gestionnaire's (guide §9.5), as from the application.
    with ouvrir_session(args, profil="gestionnaire") as session:
        with _barre() if barre else nullcontext() as progress:
            try:
                rapport = session.affectation_automatique(
                    args.annee, maintenant_of(args), dry_run=args.dry_run, progress=progress,
                )
            except FormuleError as exc:
                raise CommandError(
                    f"formule de {libelle_annee(args.annee)} inapplicable, {exc} : "
                    f"corrigez-la avec « agesh formule --annee {args.annee} EXPR »."
                ) from exc
        if args.json:
            emit_json(rapport.document())
        else:
            _afficher(rapport, session)
    return 0


class _barre:
    """A rich progress bar on stderr, used as the engine's progress callback."""

    def __enter__(self):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.progress = Progress(
            TextColumn("Affectation automatique"), BarColumn(), MofNCompleteColumn(),
            console=Console(stderr=True), transient=True,
        )
        self.progress.start()
        self.tache = self.progress.add_task("", total=None)
        return self

    def __call__(self, done: int, total: int) -> None:
        self.progress.update(self.tache, completed=done, total=total)

    def __exit__(self, *exc) -> None:
        self.progress.stop()


def _afficher(rapport, session) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ..engine.calendrier import libelle_annee

    console = Console()
    annee = libelle_annee(rapport.annee)
    nombre = len(rapport.affectations)
    if rapport.dry_run:
        console.print(Text(f"Simulation de l'affectation automatique {annee} : rien n'a été "
                           f"enregistré. {nombre} mission(s) seraient affectées, "
                           f"{len(rapport.anomalies)} anomalie(s)."))
    else:
        console.print(Text(f"Affectation automatique {annee} : {nombre} mission(s) affectée(s), "
                           f"{len(rapport.anomalies)} anomalie(s)."))

    if rapport.anomalies:
        table = Table(title="Anomalies")
        for colonne in ("Mission", "AESH", "Motif"):
            table.add_column(colonne)
        for a in rapport.anomalies:
            table.add_row(Text(a.mission_id), Text(session.nom_aesh_de_mission(a.mission_id)),
                          Text(a.motif))
        console.print(table)

    def h(value: float) -> str:
        return f"{value:.1f} h"

    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value:.1f} %"

    table = Table(title=f"PIAL avant et après ({annee})")
    for i, colonne in enumerate(("PIAL", "Tête de PIAL", "Besoin", "Moyens avant",
                                 "Moyens après", "Couverture avant", "Couverture après")):
        table.add_column(colonne, justify="left" if i < 2 else "right")  # numbers to the right
    for b in rapport.pial:
        table.add_row(
            Text(b.pial_uai), Text(session.nom_etablissement(b.pial_uai)), h(b.avant.besoin),
            h(b.avant.moyens), h(b.apres.moyens), pct(b.avant.couverture),
            pct(b.apres.couverture),
        )
    console.print(table)
    if nombre and not rapport.dry_run:
        console.print(Text(f"Les agrégats des PIAL sont à recalculer : "
                           f"« agesh recalcul --annee {rapport.annee} »."))

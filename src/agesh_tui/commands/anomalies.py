"""``agesh anomalies``: the incohérences and cas particuliers of the tableau
de bord (SPEC §2.4)."""

from __future__ import annotations

from . import emit_json, ouvrir_session


def register(sub, common) -> None:
    parser = sub.add_parser(
        "anomalies", parents=[common],
        help="incohérences des accompagnements et cas particuliers des décisions",
    )
    parser.add_argument("--json", action="store_true", help="sortie JSON")
    parser.set_defaults(handler=run_anomalies)


def run_anomalies(args) -> int:
    with ouvrir_session(args) as session:
        found = session.incoherences()
        cas = session.cas_particuliers()
    if args.json:
        emit_json(
            {
                "incoherences": [
                    {"type": i.type, "accompagnement_id": i.accompagnement_id, "detail": i.detail}
                    for i in found
                ],
                "cas_particuliers": [
                    {"type": c.type, "decision_id": c.decision_id, "detail": c.detail} for c in cas
                ],
            }
        )
    else:
        _afficher(found, cas)
    return 0


def _afficher(found, cas) -> None:
    from collections import Counter

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ..engine.regles.incoherences import LIBELLES_CAS_PARTICULIERS, LIBELLES_INCOHERENCES

    def nombre(n: int) -> Text:
        # guide §10.2.2: a line with no case shows 0 in green
        return Text(str(n), style="green" if n == 0 else "bold dark_orange")

    console = Console()
    par_type = Counter(i.type for i in found)
    resume = Table(title="Tableau de bord")
    resume.add_column("n°", justify="right")
    resume.add_column("Incohérence")
    resume.add_column("Nombre", justify="right")
    for numero, libelle in LIBELLES_INCOHERENCES.items():
        resume.add_row(str(numero), libelle, nombre(par_type[numero]))
    resume.add_section()
    par_cas = Counter(c.type for c in cas)
    for code, libelle in LIBELLES_CAS_PARTICULIERS.items():
        resume.add_row("", Text(libelle, style="italic"), nombre(par_cas[code]))
    console.print(resume)

    # Details come from user data: Text() keeps any "[" literal, never markup.
    if found:
        detail = Table(title="Accompagnements en incohérence")
        detail.add_column("n°", justify="right")
        detail.add_column("Accompagnement")
        detail.add_column("Détail")
        for i in found:
            detail.add_row(str(i.type), Text(i.accompagnement_id), Text(i.detail))
        console.print(detail)
    if cas:
        detail = Table(title="Cas particuliers")
        detail.add_column("Cas")
        detail.add_column("Décision")
        detail.add_column("Détail")
        for c in cas:
            detail.add_row(LIBELLES_CAS_PARTICULIERS[c.type], Text(c.decision_id), Text(c.detail))
        console.print(detail)

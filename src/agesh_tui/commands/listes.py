"""``agesh decisions``, ``missions``, ``aesh`` and ``accompagnements``: the
lists of the application for scripts (SPEC §5) — the frises and occupations
of SPEC §2.1–2.2 in JSON — and, with the screen's filters, search, sort and
columns, as a spreadsheet (``--xlsx``, ``--csv``, SPEC §6)."""

from __future__ import annotations

from . import CommandError, annee, emit_json, ouvrir_session, print_table
from . import tableur as options


def register(sub, common) -> None:
    p = sub.add_parser("decisions", parents=[common],
                       help="décisions avec frise, couverture et priorité (la liste d'Accueil)")
    p.add_argument("--annee", type=annee, metavar="N",
                   help="décisions actives sur tout ou partie de l'année scolaire N-N+1")
    p.add_argument("--secteur", action="append", default=[], metavar="CODE",
                   help="limiter au(x) secteur(s) ERSEH (répétable)")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    options.ajouter_options(p, "decisions", "type, secteur, tete_pial, etablissement, origine, nature")
    p.set_defaults(handler=run_decisions)

    p = sub.add_parser("missions", parents=[common], help="missions avec leur occupation")
    p.add_argument("--annee", type=annee, metavar="N",
                   help="missions valides sur tout ou partie de l'année scolaire N-N+1")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    options.ajouter_options(p, "missions", "contrat, nature, employeur, actif")
    p.set_defaults(handler=run_missions)

    p = sub.add_parser("aesh", parents=[common], help="les AESH (inactifs marqués [I])")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    options.ajouter_options(p, "aesh", "source, commune, transport, actif")
    p.set_defaults(handler=run_liste)

    p = sub.add_parser("accompagnements", parents=[common], help="les accompagnements")
    p.add_argument("--annee", type=annee, metavar="N",
                   help="accompagnements actifs sur tout ou partie de l'année scolaire N-N+1")
    p.add_argument("--secteur", action="append", default=[], metavar="CODE",
                   help="limiter au(x) secteur(s) ERSEH (répétable)")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    options.ajouter_options(p, "accompagnements", "type, etablissement, previsionnel")
    p.set_defaults(handler=run_liste)


def _iso(d):
    return d.isoformat() if d else None


def _verifier_secteurs(session, codes) -> None:
    inconnus = [c for c in codes if not session.secteur_existe(c)]
    if inconnus:
        raise CommandError(f"secteur inconnu : {', '.join(inconnus)}")


def run_decisions(args) -> int:
    with ouvrir_session(args, secteurs=tuple(args.secteur)) as session:
        _verifier_secteurs(session, args.secteur)
        vue = options.tableau(session, args, args.annee)
        if options.exporter(session, args, vue) and not args.json:
            return 0
        lignes = vue.lignes if args.tri else sorted(vue.lignes, key=lambda l: l.id)
        decisions = [(l.decision, session.frise(l.id)) for l in lignes]
    out = []
    for d, f in decisions:
        out.append({
            "id": d.id, "eleve_id": d.eleve_id, "type": d.type, "heures": d.heures,
            "debut": _iso(d.debut), "fin": _iso(d.fin),
            "couverture": None if f.couverture is None else round(f.couverture, 2),
            "priorite": None if f.priorite is None else round(f.priorite, 4),
            "segments": [
                {"debut": _iso(s.debut), "fin": _iso(s.fin), "etat": s.etat,
                 "heures": s.heures, "previsionnel": s.previsionnel,
                 "anomalie": s.anomalie, "maintien": s.maintien}
                for s in f.segments
            ],
        })
    if args.json:
        emit_json(out)
    else:
        print_table(
            ("Décision", "Élève", "Type", "Heures", "Début", "Fin", "Couverture"),
            ((r["id"], r["eleve_id"], r["type"], r["heures"], r["debut"], r["fin"],
              "—" if r["couverture"] is None else f"{r['couverture']:.1f} %") for r in out),
        )
    return 0


def run_missions(args) -> int:
    out = []
    with ouvrir_session(args) as session:
        vue = options.tableau(session, args, args.annee)
        if options.exporter(session, args, vue) and not args.json:
            return 0
        for m in vue.lignes:
            out.append({
                "id": m.id, "aesh_id": m.aesh_id, "nature": m.nature, "volume": m.volume,
                "debut": _iso(m.debut), "fin": _iso(m.fin), "actif": m.actif,
                "previsionnel": session.mission_previsionnelle(m.id),
                "occupation": [
                    {"debut": _iso(p.debut), "fin": _iso(p.fin), "heures": p.heures,
                     "etat": p.etat(m.volume)}
                    for p in session.occupation(m)
                ],
            })
    if args.json:
        emit_json(out)
    else:
        print_table(
            ("Mission", "AESH", "Nature", "Volume", "Début", "Fin", "Actif"),
            ((r["id"], r["aesh_id"], r["nature"], r["volume"], r["debut"], r["fin"],
              "oui" if r["actif"] else "[I]") for r in out),
        )
    return 0


def run_liste(args) -> int:
    """``aesh`` and ``accompagnements``: the columns of the list, as JSON
    objects keyed by column, a table, or a spreadsheet."""
    from ..api.tableaux import texte_cellule

    secteurs = tuple(getattr(args, "secteur", ()))
    with ouvrir_session(args, secteurs=secteurs) as session:
        _verifier_secteurs(session, secteurs)
        vue = options.tableau(session, args, getattr(args, "annee", None))
        if options.exporter(session, args, vue) and not args.json:
            return 0
        if args.json:
            emit_json(vue.dictionnaires())
        else:
            print_table([c.titre for c in vue.colonnes],
                        ([texte_cellule(v) for v in ligne] for ligne in vue.valeurs()))
    return 0

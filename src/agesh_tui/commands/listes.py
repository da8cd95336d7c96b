"""``agesh decisions`` and ``agesh missions``: the frises and occupations of
SPEC §2.1–2.2 for scripts (SPEC §5)."""

from __future__ import annotations

from . import CommandError, emit_json, print_table, store_of, today_of


def register(sub, common) -> None:
    p = sub.add_parser("decisions", parents=[common],
                       help="décisions avec frise, couverture et priorité")
    p.add_argument("--annee", type=int, metavar="N",
                   help="décisions actives sur tout ou partie de l'année scolaire N-N+1")
    p.add_argument("--secteur", action="append", default=[], metavar="CODE",
                   help="limiter au(x) secteur(s) ERSEH (répétable)")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=run_decisions)

    p = sub.add_parser("missions", parents=[common], help="missions avec leur occupation")
    p.add_argument("--annee", type=int, metavar="N",
                   help="missions valides sur tout ou partie de l'année scolaire N-N+1")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=run_missions)


def _charger(args):
    from ..engine.modele.departement import charger

    return charger(store_of(args))


def _iso(d):
    return d.isoformat() if d else None


def run_decisions(args) -> int:
    from ..engine.regles.couverture import frise
    from ..engine.regles.incoherences import accompagnements_en_anomalie
    from ..engine.regles.perimetre import decisions_filtrees

    dep = _charger(args)
    inconnus = [c for c in args.secteur if c not in dep.secteurs]
    if inconnus:
        raise CommandError(f"secteur inconnu : {', '.join(inconnus)}")
    anomalies = accompagnements_en_anomalie(dep)
    out = []
    for d in sorted(decisions_filtrees(dep, args.annee, args.secteur), key=lambda d: d.id):
        f = frise(dep, d, anomalies)
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
    from ..engine.regles.occupation import occupation
    from ..engine.regles.perimetre import active_pendant

    dep = _charger(args)
    today = today_of(args)
    out = []
    for m in sorted(dep.missions.values(), key=lambda m: m.id):
        if args.annee is not None and not active_pendant(m.debut, m.fin, args.annee):
            continue
        out.append({
            "id": m.id, "aesh_id": m.aesh_id, "nature": m.nature, "volume": m.volume,
            "debut": _iso(m.debut), "fin": _iso(m.fin), "actif": m.actif,
            "previsionnel": dep.mission_previsionnelle(m.id),
            "occupation": [
                {"debut": _iso(p.debut), "fin": _iso(p.fin), "heures": p.heures,
                 "etat": p.etat(m.volume)}
                for p in occupation(dep, m, today=today)
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

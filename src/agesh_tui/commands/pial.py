"""``agesh besoin``, ``formule``, ``recalcul`` and ``pial``: the expression
du besoin and the PIAL aggregates (SPEC §2.5, §5, F4, F11)."""

from __future__ import annotations

from . import (
    CommandError,
    annee,
    emit_json,
    entier_positif,
    nombre_positif,
    ouvrir_session,
    print_table,
    tableur,
    today_of,
)


def register(sub, common) -> None:
    p = sub.add_parser(
        "besoin", parents=[common],
        help="évaluer une formule d'expression du besoin (heures hebdomadaires mutualisées)",
    )
    p.add_argument("--formule", metavar="EXPR",
                   help="formule (défaut : la recommandation nationale)")
    p.add_argument("--cm", type=entier_positif, required=True, metavar="N",
                   help="nombre de décisions mutualisées (cM)")
    p.add_argument("--ci", type=entier_positif, default=0, metavar="N",
                   help="nombre de décisions individuelles (cI)")
    p.add_argument("--hi", type=nombre_positif, default=0.0, metavar="H",
                   help="total des heures notifiées des décisions individuelles (hI)")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=run_besoin)

    p = sub.add_parser(
        "formule", parents=[common],
        help="afficher ou enregistrer la formule d'expression du besoin d'une année scolaire",
    )
    p.add_argument("texte", nargs="?", metavar="EXPR", help="formule à enregistrer")
    p.add_argument("--annee", type=annee, metavar="N",
                   help="année scolaire N-N+1 (défaut : l'année en cours)")
    p.add_argument("--supprimer", action="store_true",
                   help="supprimer la formule de l'année (la recommandation nationale s'applique)")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=run_formule)

    p = sub.add_parser("recalcul", parents=[common],
                       help="recalculer les agrégats des PIAL d'une année scolaire")
    p.add_argument("--annee", type=annee, metavar="N",
                   help="année scolaire N-N+1 (défaut : l'année en cours)")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=run_recalcul)

    p = sub.add_parser("pial", parents=[common],
                       help="besoins, moyens et couverture des PIAL (agrégats enregistrés)")
    p.add_argument("--annee", type=annee, metavar="N",
                   help="année scolaire N-N+1 (défaut : l'année en cours)")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    tableur.ajouter_options(p, "pial", "aucune")
    p.set_defaults(handler=run_pial)


def formule_invalide(texte: str, exc) -> CommandError:
    """The error with the formula's line and a caret under the position."""
    debut = texte.rfind("\n", 0, exc.position) + 1
    fin = texte.find("\n", exc.position)
    ligne = texte[debut:] if fin < 0 else texte[debut:fin]
    # One column per character: tabs shown as spaces keep the caret aligned.
    ligne = ligne.replace("\t", " ")
    return CommandError(
        f"formule invalide, {exc}\n    {ligne}\n    {' ' * (exc.position - debut)}^"
    )


def _annee(args) -> int:
    from ..engine.calendrier import annee_scolaire

    return args.annee if args.annee is not None else annee_scolaire(today_of(args))


def maintenant_of(args):
    """Now, on the day given by --today or $AGESH_TODAY (stamps stay coherent
    with the injected date)."""
    from datetime import datetime

    return datetime.combine(today_of(args), datetime.now().time().replace(microsecond=0))


def _heures(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") + " h"


def run_besoin(args) -> int:
    from ..engine.regles.formule import FORMULE_PAR_DEFAUT, FormuleError, evaluer

    texte = args.formule if args.formule is not None else FORMULE_PAR_DEFAUT
    try:
        heures = evaluer(texte, args.cm, args.ci, args.hi)
    except FormuleError as exc:
        raise formule_invalide(texte, exc) from exc
    if args.json:
        emit_json({"heures": heures})
    else:
        print(f"{_heures(heures)} hebdomadaires pour cM = {args.cm}, cI = {args.ci}, "
              f"hI = {args.hi:g}")
    return 0


def run_formule(args) -> int:
    from ..engine.calendrier import libelle_annee
    from ..engine.regles.formule import FORMULE_PAR_DEFAUT, FormuleError

    annee = _annee(args)
    if args.supprimer and args.texte is not None:
        raise CommandError("donnez une formule ou --supprimer, pas les deux.")
    with ouvrir_session(args, profil="superviseur", charger=False) as session:
        if args.supprimer:
            change = session.supprimer_formule(annee)
        elif args.texte is not None:
            try:
                change = session.enregistrer_formule(annee, args.texte)
            except FormuleError as exc:
                raise formule_invalide(args.texte, exc) from exc
        else:
            change = False
        stockee, _ = session.formule(annee)
    texte = stockee if stockee is not None else FORMULE_PAR_DEFAUT
    if args.json:
        emit_json({"annee": annee, "formule": texte, "par_defaut": stockee is None,
                   "modifiee": change})
        return 0
    origine = "" if stockee is not None else " (recommandation nationale)"
    print(f"Formule {libelle_annee(annee)}{origine} : {texte}")
    if change:
        print(f"Les agrégats de {libelle_annee(annee)} sont à recalculer : "
              f"« agesh recalcul --annee {annee} ».")
    return 0


def run_recalcul(args) -> int:
    from ..engine.calendrier import libelle_annee
    from ..engine.regles.formule import FormuleError

    annee = _annee(args)
    with ouvrir_session(args, profil="superviseur") as session:
        try:
            nombre = session.recalculer_agregats(annee, maintenant_of(args))
        except FormuleError as exc:
            raise CommandError(
                f"formule de {libelle_annee(annee)} inapplicable, {exc} : "
                f"corrigez-la avec « agesh formule --annee {annee} EXPR »."
            ) from exc
    if args.json:
        emit_json({"pial": nombre})
    else:
        print(f"Agrégats {libelle_annee(annee)} recalculés : {nombre} PIAL.")
    return 0


def run_pial(args) -> int:
    from ..engine.calendrier import libelle_annee

    annee = _annee(args)
    with ouvrir_session(args) as session:
        agregats = session.agregats_pial(annee)
        noms = {a.pial_uai: session.nom_etablissement(a.pial_uai) for a in agregats}
        if agregats and tableur.exporter(session, args, tableur.tableau(session, args, annee)) \
                and not args.json:
            return 0
    if not agregats:
        raise CommandError(
            f"aucun agrégat pour {libelle_annee(annee)} : lancez « agesh recalcul --annee {annee} »"
        )
    if args.json:
        emit_json([
            {
                "pial_uai": a.pial_uai,
                "nom": noms.get(a.pial_uai, ""),
                "decisions_individuelles": a.decisions_individuelles,
                "decisions_mutualisees": a.decisions_mutualisees,
                "heures_individuelles": round(a.heures_individuelles, 2),
                "besoin": round(a.besoin, 2),
                "moyens": round(a.moyens, 2),
                "couverture": None if a.couverture is None else round(a.couverture, 2),
                "calcule_le": a.calcule_le.isoformat(),
                "a_jour": a.a_jour,
            }
            for a in agregats
        ])
        return 0
    print_table(
        ("PIAL", "Tête de PIAL", "Déc. individuelles", "Déc. mutualisées", "Besoin", "Moyens",
         "Couverture"),
        ((a.pial_uai, noms.get(a.pial_uai, ""), a.decisions_individuelles,
          a.decisions_mutualisees, _heures(a.besoin), _heures(a.moyens),
          "—" if a.couverture is None else f"{a.couverture:.1f} %") for a in agregats),
    )
    calcul = min(a.calcule_le for a in agregats).strftime("%d/%m/%Y à %H:%M")
    if all(a.a_jour for a in agregats):
        print(f"Agrégats {libelle_annee(annee)} calculés le {calcul}, à jour.")
    else:
        print(f"Attention : les données ont changé depuis le recalcul du {calcul} : ces chiffres "
              f"ne sont plus à jour, lancez « agesh recalcul --annee {annee} ».")
    return 0

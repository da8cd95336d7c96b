"""``agesh accompagnement creer|modifier|inserer|maintenir|supprimer|candidats``
(SPEC §2.3, §5)."""

from __future__ import annotations

import sys

from . import (
    CommandError,
    add_auteur,
    date_iso,
    emit_json,
    entier_positif,
    identifiants,
    nombre_positif,
    ouvrir_session,
    print_table,
)


def _oui_non(parser, nom: str, contraire: str, aide_oui: str, aide_non: str) -> None:
    """``--NOM`` / ``--CONTRAIRE``: True, False, or None when neither is
    given (left as it is)."""
    dest = nom.replace("-", "_")
    groupe = parser.add_mutually_exclusive_group()
    groupe.add_argument(f"--{nom}", dest=dest, action="store_const", const=True, default=None,
                        help=aide_oui)
    groupe.add_argument(f"--{contraire}", dest=dest, action="store_const", const=False,
                        help=aide_non)


def _options_temps(parser) -> None:
    """Repas, pause méridienne, prévisionnel: each to set or to clear."""
    _oui_non(parser, "repas", "sans-repas", "repas : oui", "repas : non")
    _oui_non(parser, "pause-meridienne", "sans-pause-meridienne",
             "pause méridienne : oui", "pause méridienne : non")
    _oui_non(parser, "previsionnel", "non-previsionnel",
             "accompagnement prévisionnel", "accompagnement non prévisionnel")


def _option_version(parser) -> None:
    parser.add_argument("--version", type=entier_positif, metavar="N",
                        help="refuser si l'accompagnement n'est plus à cette version "
                             "(défaut : la version lue au lancement de la commande)")


def register(sub, common) -> None:
    parser = sub.add_parser(
        "accompagnement", parents=[common],
        help="créer, modifier, insérer, maintenir, supprimer un accompagnement ; missions candidates",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    p = actions.add_parser("creer", parents=[common], help="créer un accompagnement")
    p.add_argument("--mission", required=True, metavar="ID", help="mission de l'AESH")
    p.add_argument("--decisions", required=True, type=identifiants, action="extend", metavar="ID[,ID]",
                   help="une décision individuelle, ou des décisions mutualisées (répétable)")
    p.add_argument("--etablissement", metavar="UAI",
                   help="défaut : l'établissement de scolarité des élèves au début")
    p.add_argument("--debut", type=date_iso, metavar="AAAA-MM-JJ",
                   help="premier jour (défaut : le début des décisions)")
    p.add_argument("--fin", type=date_iso, metavar="AAAA-MM-JJ",
                   help="dernier jour (défaut : la fin des décisions, au plus le 31/08)")
    p.add_argument("--heures", type=nombre_positif, metavar="H",
                   help="temps de travail hebdomadaire (défaut : les heures notifiées)")
    p.add_argument("--repas", action="store_true", help="repas : oui")
    p.add_argument("--pause-meridienne", action="store_true", help="pause méridienne : oui")
    p.add_argument("--previsionnel", action="store_true", default=None,
                   help="défaut : oui si la mission ou l'AESH est prévisionnel")
    add_auteur(p)
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=run_creer)

    p = actions.add_parser(
        "modifier", parents=[common],
        help="modifier un accompagnement (seules les options données changent)",
    )
    p.add_argument("id", metavar="ID", help="l'accompagnement à modifier")
    p.add_argument("--debut", type=date_iso, metavar="AAAA-MM-JJ", help="nouveau premier jour")
    p.add_argument("--fin", type=date_iso, metavar="AAAA-MM-JJ", help="nouveau dernier jour")
    p.add_argument("--decisions", type=identifiants, action="extend", metavar="ID[,ID]",
                   help="les décisions accompagnées (remplacent les actuelles ; répétable)")
    p.add_argument("--mission", metavar="ID", help="nouvelle mission (autre AESH)")
    p.add_argument("--etablissement", metavar="UAI", help="nouvel établissement")
    p.add_argument("--heures", type=nombre_positif, metavar="H",
                   help="nouveau temps de travail hebdomadaire")
    _options_temps(p)
    _option_version(p)
    add_auteur(p)
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=run_modifier)

    p = actions.add_parser(
        "inserer", parents=[common],
        help="insérer un accompagnement qui remplace l'original sur une période (l'original est "
             "raccourci, coupé en deux ou remplacé)",
    )
    p.add_argument("id", metavar="ID", help="l'accompagnement d'origine")
    p.add_argument("--debut", required=True, type=date_iso, metavar="AAAA-MM-JJ",
                   help="premier jour de l'accompagnement inséré")
    p.add_argument("--fin", required=True, type=date_iso, metavar="AAAA-MM-JJ",
                   help="dernier jour de l'accompagnement inséré")
    p.add_argument("--mission", metavar="ID", help="mission de l'accompagnement inséré (défaut : "
                   "celle de l'original)")
    p.add_argument("--heures", type=nombre_positif, metavar="H",
                   help="temps de travail hebdomadaire (défaut : celui de l'original)")
    _options_temps(p)
    _option_version(p)
    add_auteur(p)
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=run_inserer)

    p = actions.add_parser(
        "maintenir", parents=[common],
        help="maintenir un accompagnement après la fin de ses décisions (nouvel accompagnement "
             "marqué maintien)",
    )
    p.add_argument("id", metavar="ID", help="l'accompagnement à maintenir")
    p.add_argument("--debut", type=date_iso, metavar="AAAA-MM-JJ",
                   help="premier jour du maintien (défaut : le lendemain de la fin des décisions)")
    p.add_argument("--fin", type=date_iso, metavar="AAAA-MM-JJ",
                   help="dernier jour du maintien (défaut : le 31/08 de cette année scolaire)")
    p.add_argument("--mission", metavar="ID",
                   help="mission qui porte le maintien (défaut : celle de l'accompagnement)")
    p.add_argument("--heures", type=nombre_positif, metavar="H",
                   help="temps de travail hebdomadaire (défaut : celui de l'accompagnement)")
    add_auteur(p)
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=run_maintenir)

    p = actions.add_parser("supprimer", parents=[common], help="supprimer un accompagnement")
    p.add_argument("id", metavar="ID", help="l'accompagnement à supprimer")
    p.add_argument("--oui", action="store_true", help="confirmer la suppression (obligatoire)")
    add_auteur(p)
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=run_supprimer)

    p = actions.add_parser("candidats", parents=[common],
                           help="missions pouvant porter un accompagnement")
    p.add_argument("--etablissement", required=True, metavar="UAI",
                   help="établissement de l'accompagnement")
    p.add_argument("--debut", required=True, type=date_iso, metavar="AAAA-MM-JJ",
                   help="premier jour de la période")
    p.add_argument("--fin", required=True, type=date_iso, metavar="AAAA-MM-JJ",
                   help="dernier jour de la période")
    p.add_argument("--tri", choices=("occupation", "secteur", "distance"), default="occupation",
                   help="ordre des missions (défaut : les moins occupées d'abord)")
    p.add_argument("--secteur", metavar="CODE",
                   help="secteur à placer en tête du tri par secteur (défaut : celui de l'établissement)")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=run_candidats)



def _refus(exc) -> CommandError:
    lignes = [r.message for r in exc.refus]
    if len(lignes) == 1:
        return CommandError(f"accompagnement refusé : {lignes[0]}")
    return CommandError("accompagnement refusé :\n" + "\n".join(f"  – {m}" for m in lignes))


def document(acc) -> dict:
    return {
        "id": acc.id, "mission_id": acc.mission_id, "decision_ids": list(acc.decision_ids),
        "uai": acc.uai, "debut": acc.debut.isoformat(), "fin": acc.fin.isoformat(),
        "heures": acc.heures, "repas": acc.repas, "pause_meridienne": acc.pause_meridienne,
        "previsionnel": acc.previsionnel, "maintien": acc.maintien, "version": acc.version,
    }


def _resume(acc) -> str:
    """« mission M1, décision(s) DI1, 0350001A, du … au …, 12 h »"""
    from ..engine.regles.accompagnement import texte_heures, texte_periode

    return (
        f"mission {acc.mission_id}, décision(s) {', '.join(acc.decision_ids)}, {acc.uai}, "
        f"{texte_periode(acc.debut, acc.fin)}, {texte_heures(acc.heures)}"
    )


def _existant(session, acc_id: str):
    acc = session.accompagnement(acc_id)
    if acc is None:
        raise CommandError(f"accompagnement inconnu : {acc_id}.")
    return acc


def _ecrire(acc, version: int | None, ecriture):
    """``ecriture()``, an operation of the engine on ``acc``: a rule's
    refusal, or the stale write of a ``--version`` that is no longer
    ``acc``'s, becomes the command's French error. Other stale writes (a
    session that wrote meanwhile) keep the storage's message."""
    from ..api.erreurs import RegleRefusee, StaleWriteError

    try:
        return ecriture()
    except RegleRefusee as exc:
        raise _refus(exc) from exc
    except StaleWriteError as exc:
        if version is None or version == acc.version:
            raise
        raise CommandError(
            f"écriture périmée refusée : l'accompagnement {acc.id} est à la version {acc.version}, "
            f"la commande attendait la version {version} (--version) ; rien n'a été enregistré."
        ) from exc


def run_creer(args) -> int:
    from ..api.erreurs import RegleRefusee

    with ouvrir_session(args) as session:
        try:
            acc = session.creer_accompagnement(
                args.mission, tuple(args.decisions), uai=args.etablissement, debut=args.debut,
                fin=args.fin, heures=args.heures, repas=args.repas,
                pause_meridienne=args.pause_meridienne, previsionnel=args.previsionnel,
            )
        except RegleRefusee as exc:
            raise _refus(exc) from exc
    if args.json:
        emit_json(document(acc))
    else:
        print(f"Accompagnement {acc.id} créé : {_resume(acc)}.")
    return 0


# option → keyword of the engine's modifier / inserer
_CHANGEMENTS = {
    "debut": "debut", "fin": "fin", "decisions": "decision_ids", "mission": "mission_id",
    "etablissement": "uai", "heures": "heures", "repas": "repas",
    "pause_meridienne": "pause_meridienne", "previsionnel": "previsionnel",
}


def _donnes(args, *options: str) -> dict:
    """The engine's keywords of the options given on the command line."""
    valeurs = {o: getattr(args, o) for o in options}
    # --decisions is repeatable (a list): the engine keeps ids in a tuple.
    return {_CHANGEMENTS[o]: tuple(v) if isinstance(v, list) else v
            for o, v in valeurs.items() if v is not None}


def run_modifier(args) -> int:
    changements = _donnes(args, *_CHANGEMENTS)
    with ouvrir_session(args) as session:
        ancien = _existant(session, args.id)
        version = ancien.version if args.version is None else args.version
        acc = _ecrire(ancien, args.version, lambda: session.modifier_accompagnement(
            ancien.id, version, **changements))
    if args.json:
        emit_json(document(acc))
    elif acc == ancien:
        print(f"Accompagnement {acc.id} inchangé : {_resume(acc)}.")
    else:
        print(f"Accompagnement {acc.id} modifié : {_resume(acc)}.")
    return 0


def run_inserer(args) -> int:
    from ..engine.regles.accompagnement import texte_periode

    valeurs = _donnes(args, "mission", "heures", "repas", "pause_meridienne", "previsionnel")
    with ouvrir_session(args) as session:
        ancien = _existant(session, args.id)
        version = ancien.version if args.version is None else args.version
        accs = _ecrire(ancien, args.version, lambda: session.inserer_accompagnement(
            ancien.id, version, args.debut, args.fin, **valeurs))
    # The inserted one is the only one on exactly the period asked: the
    # original's pieces lie before or after it.
    insere = next(a for a in accs if (a.debut, a.fin) == (args.debut, args.fin))
    if args.json:
        emit_json({"insere": insere.id, "origine": ancien.id,
                   "accompagnements": [document(a) for a in accs]})
        return 0
    print(f"Accompagnement {insere.id} inséré à la place de {ancien.id} "
          f"{texte_periode(args.debut, args.fin)}.")
    for a in accs:
        role = "inséré" if a is insere else "reste de l'original"
        print(f"  {a.id} ({role}) : {_resume(a)}")
    if not any(a.id == ancien.id for a in accs):
        print(f"L'accompagnement {ancien.id} est entièrement remplacé : il est supprimé.")
    return 0


def run_maintenir(args) -> int:
    valeurs = _donnes(args, "mission", "heures")
    with ouvrir_session(args) as session:
        from ..engine.regles.accompagnement import MAINTIEN

        ancien = _existant(session, args.id)
        # The form's defaults: from the day after the décisions' end to 31/08.
        proposition, _ = session.proposition_depuis(ancien.id, MAINTIEN)
        debut = args.debut or proposition.debut
        fin = args.fin or proposition.fin
        acc = _ecrire(ancien, None, lambda: session.maintenir_accompagnement(
            ancien.id, debut, fin, **valeurs))
    if args.json:
        emit_json(document(acc))
    else:
        print(f"Accompagnement de maintien {acc.id} créé (maintien de {ancien.id}) : {_resume(acc)}.")
    return 0


def run_supprimer(args) -> int:
    from ..engine.regles.accompagnement import texte_periode

    if not args.oui:
        raise CommandError(
            f"suppression de l'accompagnement {args.id} non confirmée : ajoutez --oui."
        )
    with ouvrir_session(args) as session:
        acc = _existant(session, args.id)
        resultat = _ecrire(acc, None, lambda: session.supprimer_accompagnement(acc.id, acc.version))
    if args.json:
        emit_json({
            "supprime": acc.id,
            "retabli": None if resultat.retabli is None else document(resultat.retabli),
            "refus": [{"regle": r.regle, "message": r.message} for r in resultat.refus],
        })
        return 0
    print(f"Accompagnement {acc.id} supprimé.")
    if resultat.retabli is not None:
        r = resultat.retabli
        print(f"Accompagnement d'origine rétabli : {r.id}, {texte_periode(r.debut, r.fin)}.")
    for refus in resultat.refus:
        print(f"L'accompagnement d'origine n'a pas pu être rétabli : {refus.message}",
              file=sys.stderr)
    return 0


def run_candidats(args) -> int:
    from ..api.erreurs import RegleRefusee
    from ..engine.regles.accompagnement import texte_heures

    with ouvrir_session(args) as session:
        if args.secteur and not session.secteur_existe(args.secteur):
            raise CommandError(f"secteur inconnu : {args.secteur}")
        try:
            cands = session.candidats(args.etablissement, args.debut, args.fin, args.secteur,
                                      args.tri)
        except RegleRefusee as exc:
            raise CommandError(str(exc)) from exc
    out = [
        {
            "mission_id": c.mission.id, "aesh_id": c.aesh.id,
            "aesh": f"{c.aesh.nom} {c.aesh.prenom}", "nature": c.mission.nature,
            "volume": c.mission.volume, "occupation_max": c.occupation_max,
            "disponible": c.disponible, "secteur": c.secteur, "meme_secteur": c.meme_secteur,
            "distance_km": None if c.distance_km is None else round(c.distance_km, 1),
        }
        for c in cands
    ]
    if args.json:
        emit_json(out)
    else:
        print_table(
            ("Mission", "AESH", "Nature", "Volume", "Occupation", "Disponible", "Secteur", "Distance"),
            ((r["mission_id"], r["aesh"], r["nature"], texte_heures(r["volume"]),
              texte_heures(r["occupation_max"]), texte_heures(r["disponible"]), r["secteur"] or "—",
              "—" if r["distance_km"] is None else f"{r['distance_km']:.1f} km".replace(".", ","))
             for r in out),
        )
    return 0

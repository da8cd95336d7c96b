"""``agesh pv ACCOMPAGNEMENT_ID -o FICHIER.pdf``: the PV d'affectation of
an accompagnement (SPEC §5, F14); exit 1 naming the missing cartouche
fields when it is incomplete."""

from __future__ import annotations

import sys
from pathlib import Path

from . import CommandError, add_auteur, emit_json, ouvrir_session


def register(sub, common) -> None:
    p = sub.add_parser("pv", parents=[common], help="PV d'affectation d'un accompagnement (PDF)")
    p.add_argument("accompagnement", metavar="ACCOMPAGNEMENT_ID",
                   help="identifiant de l'accompagnement (ex. AC000123 : « agesh accompagnements » les liste)")
    p.add_argument("-o", "--sortie", type=Path, required=True, metavar="FICHIER.pdf",
                   help="fichier PDF à écrire (refusé s'il existe, sauf --force)")
    p.add_argument("--force", action="store_true", help="remplacer le fichier s'il existe déjà")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    add_auteur(p, "gestionnaire nommé sous « Affaire suivie par », avec ses coordonnées "
                  "(défaut : l'utilisateur du système)")
    p.set_defaults(handler=run_pv)


def run_pv(args) -> int:
    with ouvrir_session(args) as session:
        taille = ecrire(lambda: session.ecrire_pv(args.accompagnement, args.sortie,
                                                  remplacer=args.force))
        login = session.sans_coordonnees()
    if login is not None:
        print(f"agesh : attention, « Affaire suivie par » ne donne que « {login} », sans "
              "coordonnées : ce compte n'en a pas dans la base. --auteur LOGIN nomme un "
              "gestionnaire (ses coordonnées : Mon compte › Mes coordonnées).", file=sys.stderr)
    if args.json:
        emit_json({"fichier": str(args.sortie), "octets": taille})
    else:
        print(f"écrit : {args.sortie} ({taille} octets)")
    return 0


def ecrire(faire) -> int:
    """What ``faire()`` writes; an existing file is a user error naming --force."""
    from ..api.erreurs import RefusFichier

    try:
        return faire()
    except RefusFichier as exc:
        if exc.existe:
            raise CommandError(f"{exc} (--force pour le remplacer)") from None
        raise

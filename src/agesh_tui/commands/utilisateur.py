"""``agesh utilisateur ajouter|liste``: application users and their TOTP enrolment."""

from __future__ import annotations

import sys

from ..engine.modele.model import LIBELLES_PROFIL, PROFILS
from . import emit_json, ouvrir_base


def register(sub, common) -> None:
    parser = sub.add_parser("utilisateur", parents=[common], help="gérer les utilisateurs")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    ajouter = actions.add_parser(
        "ajouter", parents=[common],
        help="créer un utilisateur et afficher le QR code de son application d'authentification",
    )
    ajouter.add_argument("login", metavar="LOGIN")
    ajouter.add_argument(
        "--profil", action="append", required=True, choices=PROFILS,
        help="profil de l'utilisateur (répétable)",
    )
    ajouter.add_argument("--nom", default="", help="nom affiché (défaut : l'identifiant)")
    ajouter.add_argument(
        "--json", action="store_true", help="sortie JSON (login, nom, profils, uri)"
    )
    ajouter.set_defaults(handler=run_ajouter)

    liste = actions.add_parser("liste", parents=[common], help="lister les utilisateurs")
    liste.add_argument("--json", action="store_true", help="sortie JSON")
    liste.set_defaults(handler=run_liste)


def run_ajouter(args) -> int:
    import segno

    from ..api.auth import uri_otp

    with ouvrir_base(args, creer=True) as base:
        utilisateur, secret = base.ajouter_utilisateur(args.login, args.nom, args.profil)
    uri = uri_otp(utilisateur.login, secret)
    if args.json:
        emit_json({"login": utilisateur.login, "nom": utilisateur.nom,
                   "profils": list(utilisateur.profils), "uri": uri})
        return 0
    print(f"Utilisateur « {utilisateur.login} » créé ({_libelles(utilisateur.profils)}).")
    print(uri)
    segno.make_qr(uri, error="m").terminal(out=sys.stdout, compact=True)
    print(
        "Scannez ce QR code (ou saisissez l'adresse otpauth ci-dessus) avec une application "
        "d'authentification (Aegis, FreeOTP, Google Authenticator…) : le secret ne sera plus "
        "jamais affiché."
    )
    return 0


def run_liste(args) -> int:
    with ouvrir_base(args) as base:
        utilisateurs = base.utilisateurs()
    if args.json:
        emit_json([{"login": u.login, "nom": u.nom, "profils": list(u.profils)}
                   for u in utilisateurs])
        return 0
    if not utilisateurs:
        print("Aucun utilisateur : créez-en un avec « agesh utilisateur ajouter ».")
    for u in utilisateurs:
        print(f"{u.login}\t{u.nom}\t{_libelles(u.profils)}")
    return 0


def _libelles(profils) -> str:
    return ", ".join(LIBELLES_PROFIL[p] for p in profils)

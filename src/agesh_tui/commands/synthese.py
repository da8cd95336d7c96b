"""``agesh synthese UAI -o FICHIER.pdf``: the synthèse of an établissement
(SPEC F14): its pupils notified and their AESH, the counts; the same bytes
as the PDF the « Courriel » of the application attaches."""

from __future__ import annotations

from pathlib import Path

from . import emit_json, ouvrir_session
from .pv import ecrire


def register(sub, common) -> None:
    p = sub.add_parser("synthese", parents=[common],
                       help="synthèse d'un établissement : élèves notifiés et AESH (PDF)")
    p.add_argument("uai", metavar="UAI", help="UAI de l'établissement (ex. 0350001A)")
    p.add_argument("-o", "--sortie", type=Path, required=True, metavar="FICHIER.pdf",
                   help="fichier PDF à écrire (refusé s'il existe, sauf --force)")
    p.add_argument("--force", action="store_true", help="remplacer le fichier s'il existe déjà")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=run_synthese)


def run_synthese(args) -> int:
    uai = args.uai.strip().upper()
    with ouvrir_session(args) as session:
        taille = ecrire(lambda: session.ecrire_synthese(uai, args.sortie, remplacer=args.force))
    if args.json:
        emit_json({"uai": uai, "fichier": str(args.sortie), "octets": taille})
    else:
        print(f"écrit : {args.sortie} ({taille} octets)")
    return 0

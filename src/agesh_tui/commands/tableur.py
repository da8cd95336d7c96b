"""The options every list command shares (SPEC §5, §6): the screen's list
tools on the command line — filters, search, sort, columns — and the
export of the result as ``.xlsx`` or ``.csv``. Not a command itself."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import CommandError


def ajouter_options(parser: argparse.ArgumentParser, liste: str, filtres: str) -> None:
    """``filtres``: the keys the list offers, for the help."""
    parser.set_defaults(liste=liste)
    g = parser.add_argument_group("liste et export tableur")
    g.add_argument("--filtre", action="append", default=[], metavar="CLE=VALEUR",
                   help=f"garder les lignes dont CLE vaut VALEUR (répétable : même clé = ou, clés "
                        f"différentes = et ; clés : {filtres})")
    g.add_argument("--recherche", default="", metavar="MOTS",
                   help="garder les lignes qui contiennent tous ces mots (majuscules et accents ignorés)")
    g.add_argument("--tri", default="", metavar="COL[,COL:desc]",
                   help="trier par ces colonnes, dans cet ordre (COL:desc ou --tri=-COL : décroissant)")
    g.add_argument("--colonnes", default="", metavar="COL[,COL]",
                   help="colonnes du tableur (défaut : celles de l'écran ; « toutes » pour toutes)")
    sortie = g.add_mutually_exclusive_group()
    sortie.add_argument("--xlsx", type=Path, metavar="FICHIER", help="écrire la liste en classeur .xlsx")
    sortie.add_argument("--csv", type=Path, metavar="FICHIER",
                        help="écrire la liste en .csv (UTF-8, « ; », dates jj/mm/aaaa)")
    g.add_argument("--force", action="store_true", help="remplacer le fichier s'il existe déjà")


def _filtres(args: argparse.Namespace) -> dict[str, list[str]]:
    filtres: dict[str, list[str]] = {}
    for texte in args.filtre:
        cle, egal, valeur = texte.partition("=")
        if not egal or not cle.strip():
            raise CommandError(f"--filtre « {texte} » : attendu CLE=VALEUR")
        filtres.setdefault(cle.strip(), []).append(valeur.strip())
    return filtres


def _tri(texte: str) -> list[tuple[str, bool]]:
    tris = []
    for morceau in filter(None, (m.strip() for m in texte.split(","))):
        cle, _, sens = morceau.partition(":")
        if sens not in ("", "asc", "desc"):
            raise CommandError(f"--tri « {morceau} » : sens « {sens} » inconnu (asc ou desc)")
        descendant = sens == "desc" or cle.startswith("-")
        tris.append((cle.lstrip("+-"), descendant))
    return tris


def tableau(session, args: argparse.Namespace, annee: int | None = None, tri_par_defaut=()):  # noqa: ANN001
    """The list as the options ask for it."""
    from ..api.erreurs import ListeInconnue

    colonnes = None
    if args.colonnes.strip() == "toutes":
        from ..api.tableaux import definition

        colonnes = [c.cle for c in definition(session, args.liste, annee)[0].colonnes]
    elif args.colonnes.strip():
        colonnes = [c.strip() for c in args.colonnes.split(",") if c.strip()]
    try:
        return session.tableau(args.liste, annee=annee, filtres=_filtres(args), recherche=args.recherche,
                               tri=_tri(args.tri) or list(tri_par_defaut), colonnes=colonnes)
    except ListeInconnue as exc:
        raise CommandError(str(exc)) from None


def exporter(session, args: argparse.Namespace, vue) -> bool:  # noqa: ANN001
    """Write the list when ``--xlsx`` or ``--csv`` asks; True when written."""
    from ..api.erreurs import RefusFichier

    chemin, format = (args.xlsx, "xlsx") if args.xlsx else (args.csv, "csv")
    if chemin is None:
        return False
    try:
        n = session.exporter_tableau(vue, chemin, format, remplacer=args.force)
    except RefusFichier as exc:
        if exc.existe:
            raise CommandError(f"{exc} (--force pour le remplacer)") from None
        raise
    if not getattr(args, "json", False):
        print(f"{n} ligne{'s' if n > 1 else ''} écrite{'s' if n > 1 else ''} dans {chemin}")
    else:
        print(f"agesh : {n} ligne(s) écrite(s) dans {chemin}", file=sys.stderr)
    return True

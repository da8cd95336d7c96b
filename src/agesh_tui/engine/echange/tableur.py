"""Lists as spreadsheets (SPEC §6): a real ``.xlsx`` or a ``.csv``.

Every list of the application and of the command line comes here with its
columns (a label and a type) and its rows, already filtered and sorted as
the user sees them. An ``.xlsx`` holds typed cells — dates as dates,
numbers as numbers — with the header frozen, filters on and the columns
sized to their content. A ``.csv`` is what a French spreadsheet opens as
is: UTF-8 with a BOM, ``;`` between fields, dates jj/mm/aaaa, decimal comma.

A text that a spreadsheet would run as a formula (``=``, ``+``, ``-``,
``@`` first, …) is only ever text: in an ``.xlsx`` a string cell marked
« préfixe apostrophe » (editing it does not turn it into a formula), in a
``.csv`` the apostrophe escape of the interchange format. The file is
written 600, whole or not at all, and an existing one is replaced only
when asked (engine.fichiers.ecrire_prive).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import xlsxwriter

from ..fichiers import ecrire_prive
from ..nombres import nombre
from ..texte import nettoyer
from .format import neutraliser

TypeCellule = Literal["texte", "entier", "nombre", "pourcent", "date", "booleen"]
TYPES_CELLULE: tuple[TypeCellule, ...] = ("texte", "entier", "nombre", "pourcent", "date", "booleen")
FORMATS = ("xlsx", "csv")

# Column widths in characters: wide enough for the header and the longest
# value, never a whole screen for one long name.
LARGEUR_MIN, LARGEUR_MAX = 6, 60
# Excel's own limits: beyond them the file would not open.
LIGNES_MAX = 1_048_575
TEXTE_MAX = 32_767
# Excel's sheet names: 31 characters, none of []:*?/\ .
_INTERDITS_FEUILLE = str.maketrans({c: " " for c in "[]:*?/\\"})


class TableurError(Exception):
    """A list that cannot be written as a spreadsheet (French message)."""


@dataclass(frozen=True, slots=True)
class ColonneTableur:
    """One column: its header and the type of its cells. ``pourcent``
    values are percents (75.3 for 75,3 %); ``nombre`` values are written
    with up to two decimals shown."""

    libelle: str
    type: TypeCellule = "texte"

    def __post_init__(self) -> None:
        if self.type not in TYPES_CELLULE:
            raise ValueError(f"type de colonne inconnu : {self.type}")


def format_de(chemin: Path, format: str | None = None) -> str:
    """``xlsx`` or ``csv``: as given, else from the file's extension."""
    choisi = (format or chemin.suffix.lstrip(".")).lower()
    if choisi not in FORMATS:
        raise TableurError(f"{chemin} : format de tableur inconnu (attendu .xlsx ou .csv)")
    return choisi


def ecrire_tableur(chemin: Path, colonnes: Sequence[ColonneTableur],
                   lignes: Iterable[Sequence[object]], *, format: str | None = None,
                   remplacer: bool = False, feuille: str = "Liste") -> int:
    """Write the rows (one value per column) to ``chemin``; returns how many
    rows were written. FichierExistant when ``chemin`` exists and
    ``remplacer`` is false; TableurError for a list a spreadsheet cannot hold."""
    choisi = format_de(chemin, format)
    lignes = [_verifier(colonnes, ligne) for ligne in lignes]
    if len(lignes) > LIGNES_MAX:
        raise TableurError(f"{len(lignes)} lignes : un tableur en contient au plus {LIGNES_MAX}")
    donnees = (xlsx(colonnes, lignes, feuille) if choisi == "xlsx" else csv_tableur(colonnes, lignes))
    ecrire_prive(chemin, donnees, remplacer=remplacer)
    return len(lignes)


def _verifier(colonnes: Sequence[ColonneTableur], ligne: Sequence[object]) -> Sequence[object]:
    if len(ligne) != len(colonnes):
        raise ValueError(f"ligne de {len(ligne)} valeurs pour {len(colonnes)} colonnes")
    return ligne


def _texte(valeur: object) -> str:
    """A cell's text: control characters out (a terminal escape in a name
    must not reach whoever opens the file), within a cell's size."""
    texte = nettoyer(valeur if isinstance(valeur, str) else str(valeur))
    return texte[:TEXTE_MAX]


def _nombre(valeur: object) -> float | None:
    """A finite number, or None (an empty cell) for anything else: a NaN
    or an infinity would make the spreadsheet invalid."""
    if isinstance(valeur, bool) or not isinstance(valeur, int | float):
        return None
    return float(valeur) if math.isfinite(valeur) else None


def _jour(valeur: object) -> date | None:
    if isinstance(valeur, datetime):
        return valeur.date()
    return valeur if isinstance(valeur, date) else None


# -- .xlsx ---------------------------------------------------------------------

def xlsx(colonnes: Sequence[ColonneTableur], lignes: Sequence[Sequence[object]],
         feuille: str = "Liste") -> bytes:
    """The workbook's bytes: one sheet, typed cells, header frozen, filters on."""
    tampon = io.BytesIO()
    # in_memory: no temporary files beside the target; the other options
    # keep every text a text (never a formula, a link or a number).
    classeur = xlsxwriter.Workbook(tampon, {
        "in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
        "strings_to_numbers": False,
    })
    # A fixed creation date: the same list gives the same file.
    classeur.set_properties({"created": datetime(2000, 1, 1)})
    nom = nettoyer(feuille).translate(_INTERDITS_FEUILLE).strip("'")[:31] or "Liste"
    f = classeur.add_worksheet(nom)
    entete = classeur.add_format({"bold": True, "bg_color": "#DDE4EE", "bottom": 1})
    cellules = _Feuille(classeur, f)
    largeurs = [len(c.libelle) for c in colonnes]
    for j, c in enumerate(colonnes):
        f.write_string(0, j, _texte(c.libelle), entete)
    ecrire = [cellules.ecrivain(c.type) for c in colonnes]
    for i, ligne in enumerate(lignes, 1):
        for j, valeur in enumerate(ligne):
            if valeur is not None and valeur != "":
                largeur = ecrire[j](i, j, valeur)
                if largeur > largeurs[j]:
                    largeurs[j] = largeur
    f.freeze_panes(1, 0)
    if colonnes:
        f.autofilter(0, 0, max(len(lignes), 1), len(colonnes) - 1)
    for j, largeur in enumerate(largeurs):
        # +2: the filter's button sits over the header's end.
        f.set_column(j, j, min(LARGEUR_MAX, max(LARGEUR_MIN, largeur + 2)))
    classeur.close()
    return tampon.getvalue()


class _Feuille:
    """Writes the cells of one sheet, one writer per type of column (chosen
    once, not for each of hundreds of thousands of cells); each writes a
    value and returns its width in characters. A value that is not of its
    column's type is written as text (an empty cell for NaN or infinity)."""

    def __init__(self, classeur: Any, f: Any) -> None:
        self.f = f
        self.date = classeur.add_format({"num_format": "dd/mm/yyyy"})
        self.entier = classeur.add_format({"num_format": "0"})
        self.pourcent = classeur.add_format({"num_format": "0.0%"})
        self.texte_echappe = classeur.add_format({"quote_prefix": True})
        # A list repeats its texts (a type, a secteur, an établissement on
        # thousands of rows): each distinct one is cleaned and checked once.
        self.textes: dict[str, tuple[str, Any]] = {}

    def ecrivain(self, type_cellule: TypeCellule) -> Callable[[int, int, object], int]:
        return {"date": self.ecrire_date, "entier": self.ecrire_entier, "nombre": self.ecrire_nombre,
                "pourcent": self.ecrire_pourcent, "booleen": self.ecrire_booleen,
                "texte": self.ecrire_texte}[type_cellule]

    def ecrire_texte(self, i: int, j: int, valeur: object) -> int:
        cle = valeur if isinstance(valeur, str) else str(valeur)
        vu = self.textes.get(cle)
        if vu is None:
            texte = _texte(cle)
            # A string cell is never evaluated; the apostrophe prefix keeps
            # it text when someone edits it in the spreadsheet.
            vu = self.textes[cle] = (texte, self.texte_echappe if neutraliser(texte) != texte else None)
        self.f.write_string(i, j, *vu)
        return len(vu[0])

    def ecrire_date(self, i: int, j: int, valeur: object) -> int:
        jour = _jour(valeur)
        if jour is None:
            return self.ecrire_texte(i, j, valeur)
        self.f.write_datetime(i, j, datetime(jour.year, jour.month, jour.day), self.date)
        return 10

    def ecrire_entier(self, i: int, j: int, valeur: object) -> int:
        return self._ecrire_nombre(i, j, valeur, self.entier)

    def ecrire_nombre(self, i: int, j: int, valeur: object) -> int:
        # General: 12 reads « 12 », 12.5 « 12,5 » (a "0.##" format would show « 12, »).
        return self._ecrire_nombre(i, j, valeur, None)

    def _ecrire_nombre(self, i: int, j: int, valeur: object, format: Any) -> int:
        x = _nombre(valeur)
        if x is None:
            return 0 if _nombre_invalide(valeur) else self.ecrire_texte(i, j, valeur)
        self.f.write_number(i, j, x, format)
        return len(nombre(x, 2))

    def ecrire_pourcent(self, i: int, j: int, valeur: object) -> int:
        x = _nombre(valeur)
        if x is None:
            return 0 if _nombre_invalide(valeur) else self.ecrire_texte(i, j, valeur)
        self.f.write_number(i, j, x / 100, self.pourcent)
        return len(f"{x:.1f} %")

    def ecrire_booleen(self, i: int, j: int, valeur: object) -> int:
        if not isinstance(valeur, bool):
            return self.ecrire_texte(i, j, valeur)
        self.f.write_string(i, j, "oui" if valeur else "non")
        return 3


def _nombre_invalide(valeur: object) -> bool:
    """A NaN or an infinity: written as an empty cell, never as text."""
    return isinstance(valeur, float) and not math.isfinite(valeur)


# -- .csv ----------------------------------------------------------------------

def csv_tableur(colonnes: Sequence[ColonneTableur], lignes: Sequence[Sequence[object]]) -> bytes:
    sortie = io.StringIO()
    w = csv.writer(sortie, delimiter=";", lineterminator="\r\n")
    w.writerow([neutraliser(_texte(c.libelle)) for c in colonnes])
    for ligne in lignes:
        w.writerow([_cellule_csv(c.type, v) for c, v in zip(colonnes, ligne)])
    # The BOM tells spreadsheets the file is UTF-8 (accents read right).
    return ("\ufeff" + sortie.getvalue()).encode("utf-8")


def _cellule_csv(type_cellule: TypeCellule, valeur: object) -> str:
    if valeur is None:
        return ""
    if type_cellule == "date" and (jour := _jour(valeur)) is not None:
        return jour.strftime("%d/%m/%Y")
    if type_cellule in ("entier", "nombre", "pourcent"):
        x = _nombre(valeur)
        if x is not None:
            texte = nombre(x, 0 if type_cellule == "entier" else 2 if type_cellule == "nombre" else 1)
            return f"{texte} %" if type_cellule == "pourcent" else texte
        if _nombre_invalide(valeur):
            return ""
    if type_cellule == "booleen" and isinstance(valeur, bool):
        return "oui" if valeur else "non"
    return neutraliser(_texte(valeur))

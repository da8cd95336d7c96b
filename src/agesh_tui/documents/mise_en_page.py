"""The page every document of the application shares: A4 portrait, the
document's title and établissement at the top, « page n / N » and the day
it was made at the bottom; paragraph styles; French typography.

Built on ReportLab's Platypus (frames, tables, keep-together), with the
application's own paragraphs (paragraphes.py). Text from data is never
markup: ``texte()`` escapes it before ``paragraphe()`` reads its runs, and
``gras()``/``italique()`` wrap text that is already escaped. The standard
Helvetica fonts need no font file; they hold the Windows-1252 characters
(all of French: « », œ, ’, €), and a character outside them is written as
its base letter, else « ? », rather than as an empty box.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape, unescape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Table, TableStyle

from ..engine.calendrier import format_date
from ..engine.texte import nettoyer
from .paragraphes import Morceau, Paragraphe, police

MARGE = 2 * cm
POLICE, POLICE_GRAS, POLICE_ITALIQUE = "Helvetica", "Helvetica-Bold", "Helvetica-Oblique"
ESPACE_INSECABLE = "\u00a0"  # U+202F (the fine one) is not in the standard fonts

STYLES = {
    "titre": ParagraphStyle("titre", fontName=POLICE_GRAS, fontSize=16, leading=20, spaceAfter=6),
    "sous_titre": ParagraphStyle("sous_titre", fontName=POLICE, fontSize=11, leading=14,
                                 textColor=colors.HexColor("#333333"), spaceAfter=10),
    "section": ParagraphStyle("section", fontName=POLICE_GRAS, fontSize=12.5, leading=16,
                              spaceBefore=10, spaceAfter=4, keepWithNext=True),
    "normal": ParagraphStyle("normal", fontName=POLICE, fontSize=10, leading=13.5, spaceAfter=4,
                             alignment=TA_LEFT),
    "etape": ParagraphStyle("etape", fontName=POLICE, fontSize=10, leading=13.5, spaceAfter=4,
                            leftIndent=0.6 * cm, firstLineIndent=-0.6 * cm),
    "sous_etape": ParagraphStyle("sous_etape", fontName=POLICE, fontSize=10, leading=13.5, spaceAfter=4,
                                 leftIndent=1.2 * cm, firstLineIndent=-0.6 * cm),
    "puce": ParagraphStyle("puce", fontName=POLICE, fontSize=10, leading=13.5, spaceAfter=2,
                           leftIndent=1.1 * cm, firstLineIndent=-0.4 * cm),
    "cellule": ParagraphStyle("cellule", fontName=POLICE, fontSize=9, leading=11.5),
    "entete": ParagraphStyle("entete", fontName=POLICE_GRAS, fontSize=9, leading=11.5),
    "note": ParagraphStyle("note", fontName=POLICE_ITALIQUE, fontSize=9, leading=12,
                           textColor=colors.HexColor("#444444"), spaceAfter=4),
}

# Before a double punctuation mark French sets a (no-break) space; inside
# guillemets too. Times (10:12) and URLs (https://) have no space to fix.
_AVANT_DOUBLE = re.compile(r"[ \u00a0\u202f]*([:;!?])(?=\s|$|[)\].,»])")
_APRES_GUILLEMET = re.compile(r"«[ \u00a0\u202f]*")
_AVANT_GUILLEMET = re.compile(r"[ \u00a0\u202f]*»")


def typographie(texte: str) -> str:
    """French spacing: a no-break space before « : ; ! ? » and inside
    guillemets (so that a line never starts with « : »), the typographic
    apostrophe."""
    texte = texte.replace("'", "’")
    texte = _APRES_GUILLEMET.sub("«" + ESPACE_INSECABLE, texte)
    texte = _AVANT_GUILLEMET.sub(ESPACE_INSECABLE + "»", texte)
    return _AVANT_DOUBLE.sub(lambda m: ESPACE_INSECABLE + m.group(1), texte)


def imprimable(texte: str) -> str:
    """``texte`` within what the standard fonts can draw (Windows-1252),
    without control characters; the spaces around it are kept (wording is
    assembled from pieces)."""
    debut, fin = texte[: len(texte) - len(texte.lstrip())], texte[len(texte.rstrip()):]
    texte = debut[:1] + nettoyer(texte) + fin[:1] if texte.strip() else (" " if texte else "")
    try:
        texte.encode("cp1252")
        return texte
    except UnicodeEncodeError:
        pass
    sortie = []
    for c in texte:
        try:
            c.encode("cp1252")
            sortie.append(c)
        except UnicodeEncodeError:
            base = "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))
            sortie.append(base if base and base.isascii() else "?")
    return "".join(sortie)


def texte(valeur: object) -> str:
    """Data or wording as paragraph text: cleaned, drawable, escaped, set
    the French way."""
    return _texte("" if valeur is None else str(valeur))


# Documents made by the hundred repeat their wording: each text, and each
# paragraph's markup, is prepared once per process.
@lru_cache(maxsize=8192)
def _texte(valeur: str) -> str:
    return escape(typographie(imprimable(valeur)))


def gras(texte_echappe: str) -> str:
    return f"<b>{texte_echappe}</b>"


def italique(texte_echappe: str) -> str:
    return f"<i>{texte_echappe}</i>"


_BALISES = re.compile(r"(</?[bi]>)")


def paragraphe(markup: str, style: str = "normal") -> Paragraphe:
    """A paragraph of markup built with ``texte()``/``gras()``/``italique()``
    only: its runs of bold, italic or plain text."""
    return Paragraphe((_morceaux(markup, style),), STYLES[style])


def paragraphes(markups: Sequence[str], style: str = "normal") -> Paragraphe:
    """Paragraphs of one style one under the other (the items of a list),
    laid out as one flowable: as ``paragraphe()`` each would be."""
    return Paragraphe(tuple(_morceaux(m, style) for m in markups), STYLES[style])


@lru_cache(maxsize=8192)
def _morceaux(markup: str, style: str) -> tuple[Morceau, ...]:
    forme = STYLES[style]
    morceaux: list[Morceau] = []
    gras_, italique_ = False, False
    for piece in _BALISES.split(markup):
        if piece in ("<b>", "</b>"):
            gras_ = piece == "<b>"
        elif piece in ("<i>", "</i>"):
            italique_ = piece == "<i>"
        elif piece:
            morceaux.append((unescape(piece), police(forme, gras_, italique_)))
    return tuple(morceaux)


def tableau(entetes: Sequence[str], lignes: Sequence[Sequence[str]], largeurs: Sequence[float]) -> Table:
    """A table with a repeated header row, of plain texts (data or wording,
    never markup). A cell that fits its column is drawn as it is; a longer
    one becomes a paragraph that wraps — laying out a paragraph costs far
    more, and most cells are short."""
    def cellule(valeur: str, style: str, largeur: float) -> str | Paragraphe:
        propre = typographie(imprimable(valeur))
        forme = STYLES[style]
        if stringWidth(propre, forme.fontName, forme.fontSize) <= largeur - 2 * _MARGE_CELLULE:
            return propre
        return Paragraphe((((propre, forme.fontName),),), forme)

    donnees = [[cellule(e, "entete", l) for e, l in zip(entetes, largeurs)]]
    donnees += [[cellule(c, "cellule", l) for c, l in zip(ligne, largeurs)] for ligne in lignes]
    t = Table(donnees, colWidths=list(largeurs), repeatRows=1, hAlign="LEFT")
    t.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, 0), POLICE_GRAS, STYLES["entete"].fontSize, STYLES["entete"].leading),
        ("FONT", (0, 1), (-1, -1), POLICE, STYLES["cellule"].fontSize, STYLES["cellule"].leading),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE4EE")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#8899AA")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), _MARGE_CELLULE), ("RIGHTPADDING", (0, 0), (-1, -1), _MARGE_CELLULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return t


_MARGE_CELLULE = 4


class _CanevasNumerote(Canvas):
    """Holds the pages back until the end, to write « page n / N »."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._pied = kwargs.pop("pied")
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 (ReportLab's API)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for etat in self._pages:
            self.__dict__.update(etat)
            self._pied(self, self._pageNumber, total)
            super().showPage()
        super().save()


def document_pdf(contenu: Sequence[Flowable], titre: str, etablissement: str, fait_le: date) -> bytes:
    """The PDF of ``contenu`` on the shared page, as bytes. The same
    content and day give the same bytes (no clock, no random id)."""
    tampon = io.BytesIO()
    largeur, hauteur = A4
    entete_txt, titre_court = imprimable(etablissement), imprimable(titre)

    def entete(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(POLICE, 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(MARGE, hauteur - 1.2 * cm, titre_court[:110])
        canvas.drawRightString(largeur - MARGE, hauteur - 1.2 * cm, entete_txt[:70])
        canvas.setStrokeColor(colors.HexColor("#8899AA"))
        canvas.line(MARGE, hauteur - 1.35 * cm, largeur - MARGE, hauteur - 1.35 * cm)
        canvas.restoreState()

    def pied(canvas: Canvas, numero: int, total: int) -> None:
        canvas.saveState()
        canvas.setFont(POLICE, 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(MARGE, 1.2 * cm, f"Document établi le {format_date(fait_le)} — agesh-tui")
        canvas.drawRightString(largeur - MARGE, 1.2 * cm, f"page {numero} / {total}")
        canvas.restoreState()

    doc = BaseDocTemplate(
        tampon, pagesize=A4, leftMargin=MARGE, rightMargin=MARGE, topMargin=MARGE,
        bottomMargin=MARGE, title=titre_court, author="agesh-tui", creator="agesh-tui",
        subject=entete_txt, lang="fr-FR", invariant=1,
    )
    cadre = Frame(MARGE, MARGE, largeur - 2 * MARGE, hauteur - 2 * MARGE, id="corps")
    doc.addPageTemplates([PageTemplate(id="page", frames=[cadre], onPage=entete)])
    doc.build(list(contenu), canvasmaker=lambda *a, **k: _CanevasNumerote(*a, pied=pied, **k))
    return tampon.getvalue()


def largeur_utile() -> float:
    return A4[0] - 2 * MARGE

"""A paragraph for the documents: runs of plain text, each in one font of
the style's family (regular, bold, italic), broken into left-aligned lines
at the ordinary spaces, drawn line by line.

ReportLab's Paragraph parses its markup, then measures and breaks it again
each time it is laid out: for a whole département's ENT procedures (some
forty paragraphs each, most of them the same wording) that was most of the
time. These paragraphs do only what the documents need, and the breaking of
a given text in a given width is computed once per process: the fixed
wording of a procedure costs its measurement once, not once per document.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

Morceau = tuple[str, str]  # a run of text, its font
Ligne = tuple[float, tuple[Morceau, ...]]  # the word spacing that fits it (0, or negative), its runs
Bloc = tuple[bool, tuple[Ligne, ...]]  # starts a paragraph (its first line indented), its lines

# Lines break at ordinary blanks only: the no-break space (U+00A0) holds
# « : » to its word and the guillemets to what they quote.
_BLANCS = re.compile(r"[ \t\r\n]+")


def police(style: ParagraphStyle, gras: bool = False, italique: bool = False) -> str:
    """The font of a run: the style's, made bold or italic (a bold run in a
    bold title stays bold)."""
    famille, g, i = ps2tt(style.fontName)
    return tt2ps(famille, g | gras, i | italique)


class Paragraphe(Flowable):
    """``paragraphes`` (each a sequence of plain texts with their fonts)
    laid out in ``style`` one under the other, ``style.spaceAfter`` apart —
    one paragraph, or the items of a list as one flowable rather than one
    each (the frame's work per flowable then counts once). The style gives
    font size, leading, left and first-line indents, colour, space before
    and after, keep with next. It splits between lines across pages, never
    leaving a paragraph's first line alone at the bottom of one
    (ReportLab's orphan rule). Lines break where ReportLab's would: a line
    may be set a little tighter (its spaces shrunk by
    ``style.spaceShrinkage``) to take one more word."""

    def __init__(self, paragraphes: tuple[tuple[Morceau, ...], ...], style: ParagraphStyle,
                 blocs: tuple[Bloc, ...] | None = None) -> None:
        super().__init__()
        self.paragraphes = paragraphes
        self.style = style
        self._blocs = blocs  # set: a part of a split, already broken
        self._coupes: tuple[Bloc, ...] = ()

    def _couper(self, largeur: float) -> tuple[Bloc, ...]:
        if self._blocs is not None:
            return self._blocs
        s = self.style
        suite = largeur - s.leftIndent - s.rightIndent
        return tuple((True, lignes(m, suite - s.firstLineIndent, suite, s.fontSize, s.spaceShrinkage))
                     for m in self.paragraphes)

    def wrap(self, largeur: float, hauteur: float) -> tuple[float, float]:
        self._coupes = self._couper(largeur)
        s = self.style
        self.width = largeur
        self.height = (sum(len(l) for _, l in self._coupes) * s.leading
                       + s.spaceAfter * max(0, len(self._coupes) - 1))
        return self.width, self.height

    def split(self, largeur: float, hauteur: float) -> list[Flowable]:
        s = self.style
        blocs = self._couper(largeur)
        reste = hauteur
        for k, (debut, lignes_bloc) in enumerate(blocs):
            ecart = s.spaceAfter if k else 0
            if ecart + len(lignes_bloc) * s.leading <= reste + 1e-6:
                reste -= ecart + len(lignes_bloc) * s.leading
                continue
            tiennent = int((reste - ecart) / s.leading + 1e-6)
            if tiennent >= 1 and not (tiennent == 1 and debut):
                haut = blocs[:k] + ((debut, lignes_bloc[:tiennent]),)
                bas = ((False, lignes_bloc[tiennent:]),) + blocs[k + 1:]
            else:
                haut, bas = blocs[:k], blocs[k:]
            if not haut:
                return []
            # The first part keeps the space after it: the frame must not
            # take the rest into what is left, where its own paragraph would
            # not have gone.
            dessous = Paragraphe(self.paragraphes, s, bas)
            dessous.spaceBefore = 0
            return [Paragraphe(self.paragraphes, s, haut), dessous]
        return [self]

    def draw(self) -> None:
        s = self.style
        canevas = self.canv
        canevas.setFillColor(s.textColor)
        ecrit = canevas.beginText()
        y = self.height - s.fontSize
        courante = None
        for k, (debut, lignes_bloc) in enumerate(self._coupes):
            if k:
                y -= s.spaceAfter
            for i, (espacement, ligne) in enumerate(lignes_bloc):
                ecrit.setTextOrigin(s.leftIndent + (s.firstLineIndent if i == 0 and debut else 0), y)
                if espacement:
                    ecrit.setWordSpace(espacement)
                for texte, nom in ligne:
                    if nom != courante:
                        ecrit.setFont(nom, s.fontSize, s.leading)
                        courante = nom
                    ecrit.textOut(texte)
                if espacement:
                    ecrit.setWordSpace(0)
                y -= s.leading
        canevas.drawText(ecrit)

    def __repr__(self) -> str:
        return f"Paragraphe({''.join(t for m in self.paragraphes[:1] for t, _ in m)[:40]!r})"


@lru_cache(maxsize=8192)
def lignes(morceaux: tuple[Morceau, ...], premiere: float, suite: float, taille: float,
           retrait: float = 0.0) -> tuple[Ligne, ...]:
    """``morceaux`` broken into lines at most ``premiere`` wide for the
    first, ``suite`` for the others: as many words on a line as fit, its
    spaces shrunk by up to the fraction ``retrait`` if need be; a word wider
    than a whole line (a long identifier) is cut between its characters.
    Cached: the same wording in the same width is broken once."""
    sortie: list[tuple[float, list[list[Morceau]]]] = []  # (limit, words of runs) of each line
    ligne: list[list[Morceau]] = []
    occupe = espaces = 0.0  # the line's width, and the part of it that is spaces
    for mot in _mots(morceaux):
        limite = suite if sortie else premiere
        largeur = sum(stringWidth(t, p, taille) for t, p in mot)
        espace = stringWidth(" ", ligne[-1][-1][1], taille) if ligne else 0.0
        if ligne and occupe + espace + largeur > limite + retrait * (espaces + espace):
            sortie.append((limite, ligne))
            ligne, occupe, espaces, espace, limite = [], 0.0, 0.0, 0.0, suite
        if not ligne and largeur > limite:
            *pleins, mot = _trancher(mot, limite, suite, taille)
            sortie += [(suite, [plein]) for plein in pleins]
            largeur = sum(stringWidth(t, p, taille) for t, p in mot)
        ligne.append(mot)
        occupe += espace + largeur
        espaces += espace
    if ligne:
        sortie.append((suite if sortie else premiere, ligne))
    return tuple(_assembler(mots, limite, taille) for limite, mots in sortie)


def _mots(morceaux: tuple[Morceau, ...]) -> list[list[Morceau]]:
    """The words: what lies between blanks, possibly across runs (« A » in
    bold then « : » is one word)."""
    mots: list[list[Morceau]] = [[]]
    for texte, nom in morceaux:
        for n, piece in enumerate(_BLANCS.split(texte)):
            if n:
                mots.append([])
            if piece:
                mots[-1].append((piece, nom))
    return [m for m in mots if m]


def _trancher(mot: list[Morceau], premiere: float, suite: float, taille: float) -> list[list[Morceau]]:
    """A word too wide for a line, in pieces that fit (the first in
    ``premiere``, the others in ``suite``); at least one character each."""
    pieces: list[list[Morceau]] = [[]]
    occupe, limite = 0.0, premiere
    for texte, nom in mot:
        for c in texte:
            largeur = stringWidth(c, nom, taille)
            if pieces[-1] and occupe + largeur > limite:
                pieces.append([])
                occupe, limite = 0.0, suite
            pieces[-1].append((c, nom))
            occupe += largeur
    return [_fusion(p) for p in pieces]


def _assembler(mots: list[list[Morceau]], limite: float, taille: float) -> Ligne:
    """A line's words joined by spaces, as runs of one font each, with the
    word spacing that brings it within ``limite`` (ReportLab's count of
    the spaces: the no-break ones too)."""
    morceaux: list[Morceau] = []
    for n, mot in enumerate(mots):
        if n:
            morceaux.append((" ", mots[n - 1][-1][1]))
        morceaux += mot
    largeur = sum(stringWidth(t, p, taille) for t, p in morceaux)
    blancs = sum(t.count(" ") + t.count("\u00a0") for t, _ in morceaux)
    espacement = (limite - largeur) / blancs if largeur > limite and blancs else 0.0
    return espacement, tuple(_fusion(morceaux))


def _fusion(morceaux: list[Morceau]) -> list[Morceau]:
    sortie: list[Morceau] = []
    for texte, nom in morceaux:
        if sortie and sortie[-1][1] == nom:
            sortie[-1] = (sortie[-1][0] + texte, nom)
        else:
            sortie.append((texte, nom))
    return sortie

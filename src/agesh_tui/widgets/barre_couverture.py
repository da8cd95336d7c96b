"""The couverture moyenne of a PIAL (SPEC §2.5, guide §9) drawn in a list
cell: a bar that fills with the moyens up to the besoin, in eighths of a
cell, coloured by level — rouge under half, orange under 90 %, vert up to
110 %, bleu above. The length says the level without colour (NO_COLOR, a
16-colour terminal); beyond the besoin the bar is full and ends with « » »;
no besoin (nothing to cover) is an empty cell. The number stands in its own
column beside it."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style

from .couleurs import BLEU, ORANGE, ROUGE, VERT, Couleur

HUITIEMES = " ▏▎▍▌▋▊▉"
PLEIN = "█"
AU_DELA = "»"

# (upper bound, colour, the band in words: the list's filter and the help)
SEUILS = ((50.0, ROUGE, "sous 50 %"), (90.0, ORANGE, "50 à 90 %"), (110.0, VERT, "90 à 110 %"))
AU_DESSUS = (BLEU, "110 % et plus")
SANS_BESOIN = "sans besoin"
BANDES = (*(b for _, _, b in SEUILS), AU_DESSUS[1], SANS_BESOIN)


def bande(pourcent: float) -> tuple[Couleur, str]:
    for seuil, couleur, libelle in SEUILS:
        if pourcent < seuil:
            return couleur, libelle
    return AU_DESSUS


def bande_de(pourcent: float | None) -> str:
    return SANS_BESOIN if pourcent is None else bande(pourcent)[1]


def texte_barre(pourcent: float | None, largeur: int) -> str:
    """The bar's glyphs, exactly ``largeur`` of them."""
    if pourcent is None or largeur <= 0:
        return " " * max(largeur, 0)
    if pourcent > 100.0:
        return PLEIN * (largeur - 1) + AU_DELA
    huitiemes = round(max(pourcent, 0.0) / 100.0 * largeur * 8)
    pleins, reste = divmod(huitiemes, 8)
    bar = PLEIN * pleins + (HUITIEMES[reste] if reste else "")
    return bar.ljust(largeur)


def segments_couverture(pourcent: float | None, largeur: int) -> list[Segment]:
    texte = texte_barre(pourcent, largeur)
    if pourcent is None:
        return [Segment(texte)]
    return [Segment(texte, Style(color=bande(pourcent)[0].code))]

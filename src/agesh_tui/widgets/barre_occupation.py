"""The occupation bar of a mission (SPEC §2.2, guide §8) drawn in terminal
cells, the way ``frise.py`` draws a décision's frise.

Over the mission's period (an open-ended CDI up to the end of the school
year of its last accompagnement or of today), each period is coloured by the
hours its accompagnements take of the mission's volume: rouge (none), orange
(some hours left), vert (the whole volume), bleu when over the volume
(incohérence 6). Every state has its glyph too — the same ones as the frise
for « nothing », « part », « all », « too much » — so that the bar reads
under NO_COLOR or on a 16-colour terminal. Today is the frise's ``┃``.

``segments_barre`` paints a list cell (the Missions list); the
``BarreOccupation`` widget draws it across a detail with its dates under it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip
from textual.widget import Widget

from ..engine.calendrier import format_date
from ..engine.regles.occupation import COMPLETE, LIBRE, PARTIELLE, SURCHARGE, PeriodeOccupation
from .couleurs import BLANC, BLEU, NOIR, ORANGE, ROUGE, VERT, Couleur, nommer
from .frise import AUJOURDHUI, Aspect, placer_repere, poser

# Short words: they head the detail's periods and the legend under the bar.
ASPECTS_OCCUPATION = {
    LIBRE: Aspect("░", ROUGE, 2, "libre"),
    PARTIELLE: Aspect("▓", ORANGE, 4, "partielle"),
    COMPLETE: Aspect("█", VERT, 6, "complète"),
    SURCHARGE: Aspect("■", BLEU, 5, "surchargée"),
}
SENS_OCCUPATION = {
    LIBRE: "aucun accompagnement sur la période",
    PARTIELLE: "des accompagnements, des heures encore disponibles",
    COMPLETE: "occupée à hauteur du volume de la mission",
    SURCHARGE: "plus d'heures que le volume de la mission (incohérence 6)",
}
VIDE = Aspect(" ", None, 0, "")


@dataclass(frozen=True, slots=True)
class Occupation:
    """What the bar draws: the periods over [debut, fin] and the volume."""

    debut: date
    fin: date
    periodes: Sequence[PeriodeOccupation]
    volume: float

    def etat(self, periode: PeriodeOccupation) -> str:
        return periode.etat(self.volume)


def _style(couleur: Couleur | None, fond: Couleur | None, couleurs: bool,
           gras: bool = False) -> Style | None:
    if not couleurs:
        return None
    return Style(color=couleur.code if couleur else None,
                 bgcolor=fond.code if fond else None, bold=gras)


def _demi_cellules(occ: Occupation, largeur: int) -> list[int | None]:
    """For each half-cell, the index of the period at its middle day."""
    jours = (occ.fin - occ.debut).days + 1
    n = 2 * largeur
    out: list[int | None] = []
    i = 0
    for h in range(n):
        courant = occ.debut.toordinal() + ((2 * h + 1) * jours) // (2 * n)
        while i < len(occ.periodes) and occ.periodes[i].fin.toordinal() < courant:
            i += 1
        if i < len(occ.periodes) and occ.periodes[i].debut.toordinal() <= courant:
            out.append(i)
        else:
            out.append(None)
    return out


def colonne_du_jour(occ: Occupation, largeur: int, jour: date) -> int | None:
    """The cell that holds ``jour``, or None outside the bar."""
    if not (occ.debut <= jour <= occ.fin) or largeur <= 0:
        return None
    jours = (occ.fin - occ.debut).days + 1
    return min(largeur - 1, ((jour - occ.debut).days * largeur) // jours)


def cellules_barre(occ: Occupation, largeur: int, today: date | None,
                   couleurs: bool = True) -> list[Segment]:
    """One rich Segment per cell, exactly ``largeur`` of them. A period
    boundary in the middle of a cell is a half block: the denser state's
    glyph side, so that it reads right without colour too."""
    if largeur <= 0:
        return []
    if not occ.periodes or occ.fin < occ.debut:
        return [Segment(" ")] * largeur
    aspects = [ASPECTS_OCCUPATION[occ.etat(p)] for p in occ.periodes]
    demis = _demi_cellules(occ, largeur)

    def aspect(index: int | None) -> Aspect:
        return VIDE if index is None else aspects[index]

    cellules: list[Segment] = []
    fonds: list[Couleur | None] = []
    for c in range(largeur):
        gauche, droite = aspect(demis[2 * c]), aspect(demis[2 * c + 1])
        if gauche == droite:
            cellules.append(Segment(gauche.glyphe, _style(gauche.couleur, None, couleurs)))
            fonds.append(gauche.couleur)
        elif droite.densite > gauche.densite:
            cellules.append(Segment("▐", _style(droite.couleur, gauche.couleur, couleurs)))
            fonds.append(droite.couleur)
        else:
            cellules.append(Segment("▌", _style(gauche.couleur, droite.couleur, couleurs)))
            fonds.append(gauche.couleur)
    if today is not None:
        colonne = colonne_du_jour(occ, largeur, today)
        if colonne is not None:
            cellules[colonne] = Segment(
                AUJOURDHUI, _style(NOIR, fonds[colonne] or BLANC, couleurs, gras=True))
    return cellules


def segments_barre(occ: Occupation, largeur: int, today: date | None,
                   couleurs: bool = True) -> list[Segment]:
    """The bar in exactly ``largeur`` cells, runs of the same style merged."""
    return list(Segment.simplify(cellules_barre(occ, largeur, today, couleurs)))


def legende_occupation(couleurs: bool = True) -> list[tuple[str, Couleur | None, str]]:
    """(glyph, colour, meaning) of every mark of the bar; the meanings name
    the colours only when they are shown."""
    lignes = [(a.glyphe, a.couleur,
               nommer(f"{a.libelle} : {SENS_OCCUPATION[etat]}", a.couleur.nom if a.couleur else "",
                      couleurs=couleurs))
              for etat, a in ASPECTS_OCCUPATION.items()]
    lignes.append((AUJOURDHUI, None, "aujourd'hui"))
    return lignes


def legende_courte(couleurs: bool = True) -> Text:
    """One line under a bar: « ░ libre (rouge)  ▓ partielle (orange) … »."""
    texte = Text()
    for etat, a in ASPECTS_OCCUPATION.items():
        if texte:
            texte.append("  ")
        texte.append(a.glyphe, style=a.couleur.code if a.couleur and couleurs else "")
        mot = a.libelle + (", incohérence 6" if etat == SURCHARGE else "")
        texte.append(" " + nommer(mot, a.couleur.nom if a.couleur else "", couleurs=couleurs))
    texte.append(f"  {AUJOURDHUI} aujourd'hui")
    return texte


class BarreOccupation(Widget):
    """A mission's occupation across the whole width, its dates underneath."""

    DEFAULT_CSS = """
    BarreOccupation {
        height: 3;
        width: 1fr;
    }
    """

    def __init__(self, occupation: Occupation, today: date, **kwargs):
        super().__init__(**kwargs)
        self.occupation = occupation
        self.today = today

    def render_line(self, y: int) -> Strip:
        largeur = self.size.width
        # Every segment on the widget's style (Textual's NO_COLOR filter
        # needs one, see Frise).
        style = self.rich_style
        couleurs = not self.app.no_color
        if y == 0:
            return Strip(segments_barre(self.occupation, largeur, self.today, couleurs),
                         largeur).apply_style(style)
        lignes = self.lignes_dates(largeur)
        if y - 1 < len(lignes):
            return Strip([Segment(lignes[y - 1], style)], largeur)
        return Strip.blank(largeur, style)

    def lignes_dates(self, largeur: int) -> list[str]:
        """Under the bar: its start at the left, its end at the right, then
        today under its mark."""
        bornes = [" "] * largeur
        poser(bornes, 0, format_date(self.occupation.debut))
        fin = format_date(self.occupation.fin)
        poser(bornes, largeur - len(fin), fin)
        jour = [" "] * largeur
        placer_repere(jour, colonne_du_jour(self.occupation, largeur, self.today),
                      f"aujourd'hui {format_date(self.today)}")
        return ["".join(bornes), "".join(jour)]

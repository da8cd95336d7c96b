"""The frise de mise en œuvre (guide §5.5) drawn in terminal cells.

``segments_frise`` draws a décision's frise in exactly ``largeur`` cells (the
Accueil list paints it in the « Mise en œuvre » column); the ``Frise`` widget
draws it across the detail screen with its dates underneath.

The scale is the décision's own period, extended by its maintien pieces
(guide: « l'échelle est variable d'une décision à l'autre »). Each cell holds
two half-cells, so a boundary can fall in the middle of a cell: it is drawn
with a half block whose two colours are the two states. Every state has a
glyph as well as a colour, so that the frise still reads with NO_COLOR or on
a 16-colour terminal over SSH.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from ..engine.calendrier import format_date
from ..engine.regles.couverture import (
    COMPLETE,
    EXCEDENTAIRE,
    PARTIELLE,
    SANS_ACCOMPAGNEMENT,
    SANS_SCOLARITE,
)
from ..engine.regles.couverture import (
    Frise as DonneesFrise,
)
from .couleurs import BLANC, BLEU, JAUNE, NOIR, ORANGE, ROUGE, VERT, VIOLET, Couleur, nommer


@dataclass(frozen=True, slots=True)
class Aspect:
    """How one kind of piece looks: glyph, colour (None = the terminal's
    background), how much of the cell the glyph fills (to choose the half
    block that reads right without colour), and its meaning. ``teinte``: the
    colour the legend names when it is not the fill (the glyph's);
    ``marque``: the icon the detail adds (🔗)."""

    glyphe: str
    couleur: Couleur | None
    densite: int
    libelle: str
    teinte: Couleur | None = None
    marque: str = ""

    def sens(self, couleurs: bool = True) -> str:
        """The legend: « complète (vert) », or « complète » without colours."""
        teinte = self.teinte or self.couleur
        noms = [n for n in (teinte.nom if teinte else "", self.marque) if n]
        return nommer(self.libelle, *noms, couleurs=couleurs)


ASPECTS = {
    COMPLETE: Aspect("█", VERT, 6, "complète"),
    EXCEDENTAIRE: Aspect("■", BLEU, 5, "excédentaire, plus d'heures que notifiées"),
    PARTIELLE: Aspect("▓", JAUNE, 4, "partielle, moins d'heures que notifiées"),
    SANS_ACCOMPAGNEMENT: Aspect("░", ROUGE, 2, "sans accompagnement"),
    # Its glyph is drawn in blanc; its half block stays empty.
    SANS_SCOLARITE: Aspect("·", None, 1, "sans scolarité : rien à mettre en œuvre", teinte=BLANC),
}
# Modifiers: they replace the state's glyph (the state keeps its colour for
# prévisionnel).
PREVISIONNEL = "▚"
MAINTIEN = Aspect("◆", VIOLET, 3, "maintien après la fin de la décision", marque="🔗")
ANOMALIE = Aspect("!", ORANGE, 3, "anomalie sur un accompagnement", marque="!")
AUJOURDHUI = "┃"
VIDE = Aspect(" ", None, 0, "")


def aspect_segment(seg) -> Aspect:
    """The look of one frise segment: anomalie, then maintien, then
    prévisionnel override the state's glyph. An anomalie wins: it is the one
    that asks for action, on a maintien piece as anywhere else."""
    if seg.anomalie:
        return ANOMALIE
    if seg.maintien:
        return MAINTIEN
    base = ASPECTS[seg.etat]
    if seg.previsionnel:
        return Aspect(PREVISIONNEL, base.couleur, 3, base.libelle)
    return base


def _style(glyphe_couleur: Couleur | None, fond: Couleur | None, couleurs: bool,
           gras: bool = False) -> Style | None:
    if not couleurs:
        return None
    return Style(color=glyphe_couleur.code if glyphe_couleur else None,
                 bgcolor=fond.code if fond else None, bold=gras)


def _demi_cellules(frise: DonneesFrise, largeur: int) -> list[int | None]:
    """For each half-cell, the index of the segment at its middle day
    (None between maintien pieces, which are not part of the frise)."""
    jours = (frise.fin - frise.debut).days + 1
    n = 2 * largeur
    segments = frise.segments
    out: list[int | None] = []
    i = 0
    for h in range(n):
        # Middle day of half-cell h, in whole days from the start.
        jour = ((2 * h + 1) * jours) // (2 * n)
        courant = frise.debut.toordinal() + jour
        while i < len(segments) and segments[i].fin.toordinal() < courant:
            i += 1
        if i < len(segments) and segments[i].debut.toordinal() <= courant:
            out.append(i)
        else:
            out.append(None)
    return out


def colonne_du_jour(frise: DonneesFrise, largeur: int, jour: date) -> int | None:
    """The cell that holds ``jour``, or None when it is outside the frise."""
    if not (frise.debut <= jour <= frise.fin) or largeur <= 0:
        return None
    jours = (frise.fin - frise.debut).days + 1
    return min(largeur - 1, ((jour - frise.debut).days * largeur) // jours)


def cellules_frise(
    frise: DonneesFrise, largeur: int, today: date | None, couleurs: bool = True
) -> list[Segment]:
    """One rich Segment per cell, exactly ``largeur`` of them."""
    if largeur <= 0:
        return []
    if not frise.segments:
        return [Segment(" ")] * largeur
    demis = _demi_cellules(frise, largeur)
    aspects = [aspect_segment(s) for s in frise.segments]

    def aspect(index: int | None) -> Aspect:
        return VIDE if index is None else aspects[index]

    cellules: list[Segment] = []
    fonds: list[Couleur | None] = []  # each cell's background, for the today mark
    precedent_anomalie = False
    for c in range(largeur):
        gauche, droite = demis[2 * c], demis[2 * c + 1]
        a_gauche, a_droite = aspect(gauche), aspect(droite)
        anomalie = a_gauche is ANOMALIE or a_droite is ANOMALIE
        if anomalie and not precedent_anomalie:
            # The start of an anomalous run carries the « ! ».
            cellules.append(Segment("!", _style(NOIR, ANOMALIE.couleur, couleurs, gras=True)))
            fonds.append(ANOMALIE.couleur)
        elif a_gauche == a_droite:
            couleur = a_gauche.couleur or a_gauche.teinte
            glyphe = "▒" if a_gauche is ANOMALIE else a_gauche.glyphe
            cellules.append(Segment(glyphe, _style(couleur, None, couleurs)))
            fonds.append(a_gauche.couleur)
        elif a_droite.densite > a_gauche.densite:
            # The denser half is the one drawn: without colour it still reads right.
            cellules.append(Segment("▐", _style(a_droite.couleur, a_gauche.couleur, couleurs)))
            fonds.append(a_droite.couleur)
        else:
            cellules.append(Segment("▌", _style(a_gauche.couleur, a_droite.couleur, couleurs)))
            fonds.append(a_gauche.couleur)
        precedent_anomalie = anomalie
    if today is not None:
        colonne = colonne_du_jour(frise, largeur, today)
        if colonne is not None:
            cellules[colonne] = Segment(AUJOURDHUI, _style(NOIR, fonds[colonne] or BLANC, couleurs,
                                                           gras=True))
    return cellules


def segments_frise(
    frise: DonneesFrise, largeur: int, today: date | None, couleurs: bool = True
) -> list[Segment]:
    """The frise in exactly ``largeur`` cells, runs of the same style merged."""
    return list(Segment.simplify(cellules_frise(frise, largeur, today, couleurs)))


# Under the legend: a modifier's glyph hides the state, the detail does not.
NOTE_LEGENDE = (
    "Les caractères anomalie, maintien et prévisionnel remplacent celui de l'état (l'anomalie "
    "l'emporte sur les autres) : l'état d'une telle période (complète, partielle…) n'est plus "
    "lisible sur la frise, le détail de la décision le donne en toutes lettres."
)


def legende(couleurs: bool = True) -> list[tuple[str, Couleur | None, str]]:
    """(glyph, colour, meaning) of every mark, for the help screen; the
    meanings name the colours only when they are shown."""
    lignes = [(a.glyphe, a.couleur or a.teinte, a.sens(couleurs)) for a in ASPECTS.values()]
    lignes += [
        (PREVISIONNEL, ASPECTS[COMPLETE].couleur,
         "prévisionnel : accompagnement, mission ou AESH prévisionnel (hachuré, 📅)"),
        (MAINTIEN.glyphe, MAINTIEN.couleur, MAINTIEN.sens(couleurs)),
        ("!▒", ANOMALIE.couleur, ANOMALIE.sens(couleurs) + " — voir Éditions"),
        ("▌▐", None, "limite au milieu d'une cellule : chaque demi-cellule a sa couleur"),
        (AUJOURDHUI, None, nommer("aujourd'hui, trait vertical", NOIR.nom, couleurs=couleurs)),
    ]
    return lignes


class Frise(Widget):
    """A décision's frise across the whole width, its dates underneath."""

    DEFAULT_CSS = """
    Frise {
        height: 3;
        width: 1fr;
    }
    """

    def __init__(self, frise: DonneesFrise, today: date, fin_decision: date | None = None,
                 **kwargs):
        super().__init__(**kwargs)
        self.frise = frise
        self.today = today
        self.fin_decision = fin_decision

    def render_line(self, y: int) -> Strip:
        largeur = self.size.width
        # Every segment on the widget's style: a segment without one made
        # Textual's NO_COLOR filter fail (and the screen with it).
        style = self.rich_style
        if y == 0:
            return Strip(segments_frise(self.frise, largeur, self.today), largeur).apply_style(style)
        lignes = self.lignes_dates(largeur)
        if y - 1 < len(lignes):
            return Strip([Segment(lignes[y - 1], style)], largeur)
        return Strip.blank(largeur, style)

    def lignes_dates(self, largeur: int) -> list[str]:
        """Under the bar: début at the left and the end at the right (with the
        décision's end when a maintien goes past it), then today under its mark."""
        bornes = [" "] * largeur
        poser(bornes, 0, format_date(self.frise.debut))
        fin = format_date(self.frise.fin)
        poser(bornes, largeur - len(fin), fin)
        if self.fin_decision and self.fin_decision < self.frise.fin:
            placer_repere(bornes, colonne_du_jour(self.frise, largeur, self.fin_decision),
                          f"fin de la décision {format_date(self.fin_decision)}")
        jour = [" "] * largeur
        placer_repere(jour, colonne_du_jour(self.frise, largeur, self.today),
                      f"aujourd'hui {format_date(self.today)}")
        return ["".join(bornes), "".join(jour)]


def poser(ligne: list[str], col: int, texte: str) -> bool:
    """Write ``texte`` at ``col`` when it fits on blank cells, one blank
    apart from what is already written."""
    fin = col + len(texte)
    if col < 0 or fin > len(ligne) or any(c != " " for c in ligne[max(0, col - 1):fin + 1]):
        return False
    ligne[col:fin] = texte
    return True


def placer_repere(ligne: list[str], col: int | None, texte: str) -> None:
    """« ▲ texte » under column ``col``, or « texte ▲ » when it does not fit
    after it, or the ▲ alone."""
    if col is None:
        return
    if not poser(ligne, col, f"▲ {texte}") and not poser(ligne, col - len(texte) - 1, f"{texte} ▲"):
        poser(ligne, col, "▲")

"""The map of the AESH around a tête de PIAL (guide §9.5) drawn in terminal
cells: the tête, the établissements of the PIAL, each AESH at its
residence, a scale bar in km. The scale fits every point in the widget's
size (engine/regles/carte.py); the AESH under the cursor stands out.

Every kind of point has its own glyph — colour only doubles it — so that
the map reads under NO_COLOR: ★ tête de PIAL, ▲ établissement, ● AESH
affecté au PIAL, ○ AESH disponible, a digit when several share a cell,
◉ the cursor (reversed)."""

from __future__ import annotations

from dataclasses import replace

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from ..api.vues_carte import AFFECTE, CartePial
from ..engine.nombres import nombre
from ..engine.regles.carte import Cadre, cadrer, echelle
from .couleurs import BLEU, JAUNE, ORANGE, VERT, Couleur, nommer

TETE, ETABLISSEMENT, AESH_AFFECTE, AESH_DISPONIBLE, CURSEUR = "★", "▲", "●", "○", "◉"
FOND = "·"
COULEURS: dict[str, Couleur] = {TETE: JAUNE, ETABLISSEMENT: ORANGE, AESH_AFFECTE: VERT,
                                AESH_DISPONIBLE: BLEU}
# Columns of the widget kept for the scale bar's line.
LIGNES_ECHELLE = 1


def legende(couleurs: bool = True) -> str:
    return " ".join((
        f"{TETE} {nommer('tête de PIAL', JAUNE.nom, couleurs=couleurs)}",
        f"{ETABLISSEMENT} {nommer('établissement', ORANGE.nom, couleurs=couleurs)}",
        f"{AESH_AFFECTE} {nommer('AESH du PIAL', VERT.nom, couleurs=couleurs)}",
        f"{AESH_DISPONIBLE} {nommer('AESH disponible', BLEU.nom, couleurs=couleurs)}",
        f"{CURSEUR} choisi",
    ))


class CarteAeshWidget(Widget, can_focus=True):
    """The map; ``curseur`` is the index of the chosen AESH in the map's
    AESH (nearest first)."""

    DEFAULT_CSS = """
    CarteAeshWidget {
        height: 1fr;
        width: 1fr;
    }
    """
    curseur: reactive[int] = reactive(0)
    # Each step halves the km of a cell around the tête (points beyond the edge leave the map).
    zoom: reactive[int] = reactive(0)
    ZOOM_MAX = 6

    def __init__(self, carte: CartePial | None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.carte = carte  # None: not computed yet
        self.cadre: Cadre | None = None  # of the last drawing (tests)

    def validate_zoom(self, valeur: int) -> int:
        return max(0, min(self.ZOOM_MAX, valeur))

    def validate_curseur(self, valeur: int) -> int:
        n = len(self.carte.aesh) if self.carte else 0
        return valeur % n if n else 0

    def aesh_choisi(self) -> str | None:
        """The id of the AESH under the cursor (kept when the data is reloaded)."""
        if self.carte is None or not self.carte.aesh:
            return None
        return self.carte.aesh[self.curseur].aesh_id

    def _cadre(self, largeur: int, hauteur: int) -> Cadre | None:
        if self.carte is None:
            return None
        tete = self.carte.tete
        if tete is None or largeur < 3 or hauteur < 2:
            return None
        points = [(e.latitude, e.longitude) for e in self.carte.etablissements]
        points += [(a.latitude, a.longitude) for a in self.carte.aesh]
        cadre = cadrer(points, tete.latitude, tete.longitude, largeur, hauteur)
        return replace(cadre, km_par_colonne=cadre.km_par_colonne / 2 ** self.zoom)

    def sur_la_carte(self, index: int) -> bool:
        """The AESH ``index`` is on the map as drawn (not beyond its edge)."""
        if self.carte is None:
            return False
        a = self.carte.aesh[index]
        # Not drawn yet: the frame the first drawing will take.
        cadre = self.cadre or self._cadre(self.size.width, self.size.height - LIGNES_ECHELLE)
        return cadre is None or cadre.cellule(a.latitude, a.longitude) is not None

    def render(self) -> Text:
        largeur, hauteur = self.size.width, self.size.height - LIGNES_ECHELLE
        cadre = self.cadre = self._cadre(largeur, hauteur)
        if cadre is None or self.carte is None:
            return Text("La tête de PIAL n'a pas de coordonnées : pas de carte."
                        if self.carte is not None and self.carte.tete is None else "")
        couleurs = not self.app.no_color
        grille = [[FOND if (x % 4 == 0 and y % 2 == 0) else " " for x in range(largeur)]
                  for y in range(hauteur)]
        styles: dict[tuple[int, int], Style] = {}
        # AESH first, then établissements over them, the tête last: the PIAL stays visible.
        comptes: dict[tuple[int, int], int] = {}
        choisi = None
        for i, a in enumerate(self.carte.aesh):
            cellule = cadre.cellule(a.latitude, a.longitude)
            if cellule is None:
                continue
            comptes[cellule] = comptes.get(cellule, 0) + 1
            glyphe = AESH_AFFECTE if a.statut == AFFECTE else AESH_DISPONIBLE
            x, y = cellule
            if comptes[cellule] == 1:
                grille[y][x] = glyphe
                styles[cellule] = _style(glyphe, couleurs)
            else:
                grille[y][x] = str(comptes[cellule]) if comptes[cellule] < 10 else "+"
            if i == self.curseur:
                choisi = cellule
        for e in self.carte.etablissements:
            cellule = cadre.cellule(e.latitude, e.longitude)
            if cellule is not None:
                glyphe = TETE if e.tete else ETABLISSEMENT
                x, y = cellule
                grille[y][x] = glyphe
                styles[cellule] = _style(glyphe, couleurs)
        if choisi is not None:
            x, y = choisi
            grille[y][x] = CURSEUR
            styles[choisi] = Style(bold=True, reverse=True)
        # One string, the background dimmed as a whole, a span per point only:
        # a span per cell made the drawing ten times slower (160×48).
        out = Text("\n".join("".join(ligne) for ligne in grille) + "\n", style=Style(dim=True),
                   no_wrap=True, overflow="crop")
        for (x, y), style in styles.items():
            debut = y * (largeur + 1) + x
            out.stylize(Style(dim=False) + style, debut, debut + 1)
        km, colonnes = echelle(cadre.km_par_colonne, max(1, largeur // 3))
        out.append("├" + "─" * max(0, colonnes - 2) + "┤" if colonnes >= 2 else "│")
        out.append(f" {nombre(km, 1)} km")
        return out

    def watch_curseur(self) -> None:
        self.refresh()

    def watch_zoom(self) -> None:
        self.refresh()


def _style(glyphe: str, couleurs: bool) -> Style:
    if not couleurs:
        return Style(bold=glyphe in (TETE, AESH_AFFECTE))
    return Style(color=str(COULEURS[glyphe]), bold=True)

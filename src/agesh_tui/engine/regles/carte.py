"""The map of the AESH around a tête de PIAL (guide §9.5) drawn in terminal
cells: a local projection in kilometres, the scale that fits every point in
a grid of cells, and a round-length scale bar.

A terminal cell is about twice as tall as it is wide: one row stands for
twice the kilometres of one column, so that distances look the same both
ways. Pure: no terminal, no Textual."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from math import cos, radians

from ..geo import RAYON_TERRE_KM

# Height of a cell over its width, in the terminal.
ASPECT_CELLULE = 2.0
# The smallest scale (km per column): a PIAL of one school stays readable.
KM_PAR_COLONNE_MIN = 0.05
# Round lengths a scale bar may take, in km.
LONGUEURS_ECHELLE = (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500)


def projeter(lat: float, lon: float, lat0: float, lon0: float) -> tuple[float, float]:
    """(east, north) in km of (lat, lon) from the centre (lat0, lon0):
    equirectangular at the centre's latitude, exact enough within a
    département (under 0.5 % at 100 km)."""
    x = RAYON_TERRE_KM * radians(lon - lon0) * cos(radians(lat0))
    y = RAYON_TERRE_KM * radians(lat - lat0)
    return x, y


@dataclass(frozen=True, slots=True)
class Cadre:
    """A grid of ``largeur`` × ``hauteur`` cells centred on (lat0, lon0)."""

    lat0: float
    lon0: float
    largeur: int
    hauteur: int
    km_par_colonne: float

    @property
    def km_par_ligne(self) -> float:
        return self.km_par_colonne * ASPECT_CELLULE

    @property
    def centre(self) -> tuple[int, int]:
        return self.largeur // 2, self.hauteur // 2

    def cellule(self, lat: float, lon: float) -> tuple[int, int] | None:
        """(column, row) of the point, row 0 at the top (north); None when
        it falls outside the grid."""
        x, y = projeter(lat, lon, self.lat0, self.lon0)
        cx, cy = self.centre
        col = cx + round(x / self.km_par_colonne)
        row = cy - round(y / self.km_par_ligne)
        if 0 <= col < self.largeur and 0 <= row < self.hauteur:
            return col, row
        return None


def cadrer(points: Iterable[tuple[float, float]], lat0: float, lon0: float,
           largeur: int, hauteur: int) -> Cadre:
    """The smallest scale at which every point (lat, lon) falls in a grid
    of ``largeur`` × ``hauteur`` cells centred on (lat0, lon0)."""
    if largeur < 1 or hauteur < 1:
        raise ValueError("une carte a au moins une cellule")
    # Room from the centre cell to the edges, on the narrower side.
    demi_x = max(largeur // 2 - (1 - largeur % 2), 0) + 0.5
    demi_y = max(hauteur // 2 - (1 - hauteur % 2), 0) + 0.5
    km = KM_PAR_COLONNE_MIN
    for lat, lon in points:
        x, y = projeter(lat, lon, lat0, lon0)
        km = max(km, abs(x) / demi_x, abs(y) / (demi_y * ASPECT_CELLULE))
    # A hair more: a point exactly on the edge rounds inside.
    return Cadre(lat0, lon0, largeur, hauteur, km * 1.0001)


def echelle(km_par_colonne: float, colonnes_max: int) -> tuple[float, int]:
    """The longest round length (km) whose bar fits in ``colonnes_max``
    columns, and its width in columns (at least 1)."""
    choisie = LONGUEURS_ECHELLE[0]
    for longueur in LONGUEURS_ECHELLE:
        if longueur / km_par_colonne <= colonnes_max:
            choisie = longueur
    return choisie, max(1, round(choisie / km_par_colonne))

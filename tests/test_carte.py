"""The map's projection and scale (engine/regles/carte.py): every point
fitted falls inside the grid, the centre in the middle cell, east is right
and north is up, a row stands for twice a column's km, and the scale bar is
a round length that fits."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from agesh_tui.engine.geo import haversine_km
from agesh_tui.engine.regles.carte import (
    ASPECT_CELLULE,
    LONGUEURS_ECHELLE,
    cadrer,
    echelle,
    projeter,
)

LAT0, LON0 = 48.11, -1.68  # Rennes
# Points within a département or two of the centre.
lats = st.floats(min_value=LAT0 - 1.0, max_value=LAT0 + 1.0)
lons = st.floats(min_value=LON0 - 1.5, max_value=LON0 + 1.5)
points = st.lists(st.tuples(lats, lons), min_size=0, max_size=40)
tailles = st.tuples(st.integers(min_value=1, max_value=200), st.integers(min_value=1, max_value=60))


def test_projection_is_in_km_east_and_north():
    x, y = projeter(LAT0, LON0 + 0.1, LAT0, LON0)
    assert x > 0 and abs(y) < 1e-9
    assert abs(x - haversine_km(LAT0, LON0, LAT0, LON0 + 0.1)) < 0.01
    x, y = projeter(LAT0 + 0.1, LON0, LAT0, LON0)
    assert abs(x) < 1e-9 and abs(y - haversine_km(LAT0, LON0, LAT0 + 0.1, LON0)) < 0.01


@given(points, tailles)
def test_every_fitted_point_falls_inside_the_grid(pts, taille):
    largeur, hauteur = taille
    cadre = cadrer(pts, LAT0, LON0, largeur, hauteur)
    assert cadre.cellule(LAT0, LON0) == cadre.centre
    for lat, lon in pts:
        cellule = cadre.cellule(lat, lon)
        assert cellule is not None
        assert 0 <= cellule[0] < largeur and 0 <= cellule[1] < hauteur


@given(st.floats(min_value=0.01, max_value=0.9), st.floats(min_value=0.01, max_value=0.9))
def test_east_is_right_north_is_up(dlat, dlon):
    cadre = cadrer([(LAT0 + 1, LON0 + 1.5), (LAT0 - 1, LON0 - 1.5)], LAT0, LON0, 79, 21)
    cx, cy = cadre.centre
    x_est, _ = cadre.cellule(LAT0, LON0 + dlon) or (None, None)
    _, y_nord = cadre.cellule(LAT0 + dlat, LON0) or (None, None)
    assert x_est is not None and x_est >= cx
    assert y_nord is not None and y_nord <= cy


def test_a_row_is_twice_a_column():
    # 10 km east and 10 km north: twice the columns of the rows.
    cadre = cadrer([], LAT0, LON0, 81, 41)
    cadre = type(cadre)(LAT0, LON0, 81, 41, 0.5)
    dlon = 10 / haversine_km(LAT0, LON0, LAT0, LON0 + 1)
    dlat = 10 / haversine_km(LAT0, LON0, LAT0 + 1, LON0)
    cx, cy = cadre.centre
    x, _ = cadre.cellule(LAT0, LON0 + dlon)
    _, y = cadre.cellule(LAT0 + dlat, LON0)
    assert x - cx == 20 and cy - y == 10 == 20 / ASPECT_CELLULE


def test_outside_the_grid_is_none():
    cadre = type(cadrer([], LAT0, LON0, 11, 5))(LAT0, LON0, 11, 5, 0.1)
    assert cadre.cellule(LAT0, LON0 + 1) is None


@given(st.floats(min_value=0.001, max_value=50), st.integers(min_value=1, max_value=200))
def test_the_scale_is_a_round_length_that_fits(km_par_colonne, colonnes_max):
    km, colonnes = echelle(km_par_colonne, colonnes_max)
    assert km in LONGUEURS_ECHELLE and colonnes >= 1
    if km != LONGUEURS_ECHELLE[0]:  # the shortest is kept even when too long
        assert km / km_par_colonne <= colonnes_max
        plus_longue = [k for k in LONGUEURS_ECHELLE if k > km]
        assert not plus_longue or plus_longue[0] / km_par_colonne > colonnes_max
    assert abs(colonnes - km / km_par_colonne) <= 0.5 or colonnes == 1

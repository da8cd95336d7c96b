"""Great-circle distances between residences and établissements."""

from __future__ import annotations

from math import asin, cos, radians, sin, sqrt

RAYON_TERRE_KM = 6371.0088  # mean Earth radius (IUGG)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = radians(lat1), radians(lat2)
    dp, dl = p2 - p1, radians(lon2 - lon1)
    h = sin(dp / 2) ** 2 + cos(p1) * cos(p2) * sin(dl / 2) ** 2
    return 2 * RAYON_TERRE_KM * asin(min(1.0, sqrt(h)))


def distance_km(a, b) -> float | None:
    """Distance between two objects with latitude/longitude, or None when
    either has no coordinates."""
    if a is None or b is None or None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)

"""Great-circle distances between residences and établissements."""

from __future__ import annotations

from math import asin, cos, radians, sin, sqrt
from typing import Protocol

RAYON_TERRE_KM = 6371.0088  # mean Earth radius (IUGG)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = radians(lat1), radians(lat2)
    dp, dl = p2 - p1, radians(lon2 - lon1)
    h = sin(dp / 2) ** 2 + cos(p1) * cos(p2) * sin(dl / 2) ** 2
    return 2 * RAYON_TERRE_KM * asin(min(1.0, sqrt(h)))


class Localise(Protocol):
    """Anything placed on the map: an Aesh (residence), an Etablissement."""

    @property
    def latitude(self) -> float | None: ...
    @property
    def longitude(self) -> float | None: ...


def distance_km(a: Localise | None, b: Localise | None) -> float | None:
    """Distance between two objects with latitude/longitude, or None when
    either has no coordinates."""
    if a is None or b is None:
        return None
    lat1, lon1, lat2, lon2 = a.latitude, a.longitude, b.latitude, b.longitude
    if lat1 is None or lon1 is None or lat2 is None or lon2 is None:
        return None
    return haversine_km(lat1, lon1, lat2, lon2)

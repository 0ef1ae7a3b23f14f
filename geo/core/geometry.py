"""Spherical geometry on (lat, lon) points: distances, great-circle arcs, antimeridian unwrapping, bounds.

Everything here is pure. The Earth is a sphere of mean radius 6371.0088 km (IUGG), which is within
0.5 % of the ellipsoid — plenty for drawing and for "about 9,000 km" lengths.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from geo.core.model import LatLon

EARTH_RADIUS_KM = 6371.0088

# One interpolated point per this many km keeps long arcs smooth at world zoom without bloating the HTML.
_ARC_STEP_KM = 100.0
_MIN_ARC_POINTS = 2
_MAX_ARC_POINTS = 256


def haversine_km(a: LatLon, b: LatLon) -> float:
    """Great-circle distance between two (lat, lon) points in kilometres."""
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    # min() guards against h creeping past 1.0 by rounding for antipodal points.
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _to_vector(p: LatLon) -> tuple[float, float, float]:
    lat, lon = map(math.radians, p)
    return (math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat))


def _to_latlon(v: tuple[float, float, float]) -> LatLon:
    x, y, z = v
    return (math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x)))


def _perpendicular(v: tuple[float, float, float]) -> tuple[float, float, float]:
    """A unit vector orthogonal to ``v``, pointing towards the north pole when possible."""
    x, y, z = v
    # Component of the pole (0, 0, 1) orthogonal to v; at a pole fall back to the x axis.
    px, py, pz = -z * x, -z * y, 1.0 - z * z
    if px * px + py * py + pz * pz < 1e-12:
        px, py, pz = 1.0 - x * x, -x * y, -x * z
    norm = math.sqrt(px * px + py * py + pz * pz)
    return (px / norm, py / norm, pz / norm)


def great_circle(a: LatLon, b: LatLon, n: int | None = None) -> list[LatLon]:
    """Return ``n`` points (both ends included) along the shorter great-circle arc from ``a`` to ``b``.

    When ``n`` is None it is chosen from the distance (about one point per 100 km, 2..256). Longitudes
    are in [-180, 180]; pass the result through :func:`unwrap` before drawing it in Leaflet.
    Antipodal points have no unique shortest arc; one through a pole is returned.
    """
    dist = haversine_km(a, b)
    if n is None:
        n = int(min(_MAX_ARC_POINTS, max(_MIN_ARC_POINTS, math.ceil(dist / _ARC_STEP_KM) + 1)))
    if n < 2:
        raise ValueError(f"great_circle needs n >= 2 points, instead got: {n}")
    omega = dist / EARTH_RADIUS_KM  # central angle
    if omega < 1e-12:
        return [a] * (n - 1) + [b]
    va, vb = _to_vector(a), _to_vector(b)
    sin_omega = math.sin(omega)
    if sin_omega < 1e-9:
        # Antipodal ends: every meridian-like arc is shortest. Rotate from a towards a fixed
        # perpendicular (through a pole when a is not a pole) so the result is deterministic.
        vb = _perpendicular(va)
        omega_path, scale = math.pi, 1.0
    else:
        omega_path, scale = omega, 1.0 / sin_omega
    points: list[LatLon] = []
    for i in range(n):
        t = i / (n - 1)
        if sin_omega < 1e-9:
            wa, wb = math.cos(t * omega_path), math.sin(t * omega_path)
        else:
            # Spherical linear interpolation (slerp) between the two unit vectors.
            wa = math.sin((1 - t) * omega_path) * scale
            wb = math.sin(t * omega_path) * scale
        v = (wa * va[0] + wb * vb[0], wa * va[1] + wb * vb[1], wa * va[2] + wb * vb[2])
        points.append(_to_latlon(v))
    # Keep the exact end points rather than their round-tripped versions.
    points[0], points[-1] = a, b
    return points


def unwrap(path: Sequence[LatLon]) -> list[LatLon]:
    """Shift longitudes by multiples of 360° so that no step jumps more than 180°.

    Leaflet draws a segment literally from one longitude to the next, so a line from 170° to -170°
    would cross the whole map; unwrapped it goes 170° → 190° and stays continuous. The first point
    keeps its longitude; later ones may lie outside [-180, 180], which is what Leaflet expects.
    """
    out: list[LatLon] = []
    prev_lon: float | None = None
    for lat, lon in path:
        if prev_lon is not None:
            # Pick the copy of lon (lon + 360k) nearest to the previous one.
            lon = lon - 360.0 * round((lon - prev_lon) / 360.0)
        out.append((lat, lon))
        prev_lon = lon
    return out


def path_length_km(path: Sequence[LatLon]) -> float:
    """Sum of great-circle distances between consecutive points (0 for fewer than two points)."""
    return sum(haversine_km(path[i], path[i + 1]) for i in range(len(path) - 1))


def bounds(points: Iterable[LatLon]) -> list[list[float]]:
    """Return ``[[south, west], [north, east]]``, the box folium's ``fit_bounds`` takes.

    Longitudes are compared as given, so pass an unwrapped path to get a box that does not span
    the whole globe for a line crossing the antimeridian.
    """
    pts = list(points)
    if not pts:
        raise ValueError("bounds needs at least one point, instead got none")
    lats = [p[0] for p in pts]
    lons = [p[1] for p in pts]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]

"""Spherical geometry: known distances, great-circle arcs, antimeridian unwrapping, bounds."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.core.geometry import bounds, great_circle, haversine_km, path_length_km, unwrap

WASHINGTON = (38.9, -77.04)
SEOUL = (37.57, 126.98)
MOSCOW = (55.7558, 37.6173)
VLADIVOSTOK = (43.1155, 131.8855)

lat = st.floats(min_value=-89.9, max_value=89.9)
lon = st.floats(min_value=-180, max_value=180)
points = st.tuples(lat, lon)


@pytest.mark.parametrize(
    ("a", "b", "km"),
    [
        ((0.0, 0.0), (0.0, 1.0), 111.195),  # one degree of the equator on a 6371 km sphere
        ((0.0, 0.0), (90.0, 0.0), 10007.5),  # equator to pole: a quarter meridian
        (MOSCOW, VLADIVOSTOK, 6415),
        (WASHINGTON, SEOUL, 11164),
    ],
)
def test_haversine_known_distances(a, b, km):
    assert haversine_km(a, b) == pytest.approx(km, rel=2e-3)


def test_haversine_antipodes_do_not_fail():
    assert haversine_km((10.0, 20.0), (-10.0, -160.0)) == pytest.approx(math.pi * 6371.0088, rel=1e-6)


@given(points, points)
def test_haversine_is_symmetric_and_bounded(a, b):
    d = haversine_km(a, b)
    assert d == pytest.approx(haversine_km(b, a), abs=1e-6)
    assert 0 <= d <= math.pi * 6371.0088 + 1e-6


def test_great_circle_washington_seoul_goes_over_the_arctic_and_keeps_its_ends():
    arc = great_circle(WASHINGTON, SEOUL)
    assert arc[0] == WASHINGTON and arc[-1] == SEOUL
    assert len(arc) > 50  # long arc gets enough points to look curved
    # The shortest route from Washington to Seoul passes north of 70°N, far from the straight line on the map.
    assert max(p[0] for p in arc) > 70
    assert path_length_km(arc) == pytest.approx(haversine_km(WASHINGTON, SEOUL), rel=1e-3)


def test_unwrapped_washington_seoul_has_no_big_longitude_jump():
    path = unwrap(great_circle(WASHINGTON, SEOUL))
    jumps = [abs(b[1] - a[1]) for a, b in zip(path, path[1:])]
    assert max(jumps) < 20
    # Seoul ends up west of -180 (126.98 - 360): the line goes the short way across the Pacific side.
    assert path[-1][1] == pytest.approx(SEOUL[1] - 360)
    assert path[-1][0] == SEOUL[0]


def test_raw_washington_seoul_arc_does_jump_at_the_antimeridian():
    arc = great_circle(WASHINGTON, SEOUL)
    assert max(abs(b[1] - a[1]) for a, b in zip(arc, arc[1:])) > 180


@given(st.lists(points, min_size=2, max_size=20))
def test_unwrap_keeps_positions_and_removes_jumps(path):
    out = unwrap(path)
    assert len(out) == len(path)
    for (la, lo), (ua, uo) in zip(path, out):
        assert ua == la
        assert (uo - lo) / 360 == pytest.approx(round((uo - lo) / 360), abs=1e-9)  # shifted by whole turns
    assert all(abs(b[1] - a[1]) <= 180 + 1e-9 for a, b in zip(out, out[1:]))


def test_great_circle_with_explicit_n_and_same_point():
    assert len(great_circle(MOSCOW, VLADIVOSTOK, n=7)) == 7
    assert great_circle(MOSCOW, MOSCOW, n=3) == [MOSCOW, MOSCOW, MOSCOW]
    with pytest.raises(ValueError, match="n >= 2"):
        great_circle(MOSCOW, VLADIVOSTOK, n=1)


def test_great_circle_between_antipodes_stays_on_the_sphere():
    arc = great_circle((0.0, 0.0), (0.0, 180.0), n=5)
    assert path_length_km(arc) == pytest.approx(math.pi * 6371.0088, rel=1e-6)


def test_bounds_is_south_west_north_east():
    assert bounds([MOSCOW, VLADIVOSTOK, SEOUL]) == [[37.57, 37.6173], [55.7558, 131.8855]]
    with pytest.raises(ValueError):
        bounds([])

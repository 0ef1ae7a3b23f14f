"""Which part of the world a map view shows: the places, routes and links involved, by their extent.

Cities and sites count as points, routes and links by the lines drawn for them. A country counts by the
extent of its outline when nothing smaller is involved (a city of it is), seas and regions only when
nothing else is: their label point (the Pacific's lies mid-ocean) must never drag a view to the world.
A link's arcs may be fitted across the antimeridian (longitudes unwrapped into the narrowest window holding
them), so a Seoul–Washington link gets a view across the Pacific; views with markers stay in [-180, 180],
where Leaflet draws them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from geo.core.model import LatLon, Place, Route
from geo.render.basemap import country_extents

POINT_KINDS = ("city", "site")
AREA_KINDS = ("region", "water")


@dataclass(frozen=True)
class View:
    """A box to fit (south-west, north-east) and the closest zoom allowed for it."""

    south_west: LatLon
    north_east: LatLon
    max_zoom: int

    @property
    def bounds(self) -> list[list[float]]:
        return [list(self.south_west), list(self.north_east)]


def _unwrap(points: Sequence[LatLon]) -> list[LatLon]:
    """``points`` with longitudes moved into the narrowest 360° window holding them all: the window
    starts after the widest empty gap of longitude, so a Seoul–Washington box spans the Pacific."""
    lons = sorted({_into(lon, -180.0) for _, lon in points})
    if len(lons) < 2:
        return [(lat, _into(lon, -180.0)) for lat, lon in points]
    gaps = [(lons[0] + 360.0 - lons[-1], lons[0])] + [(b - a, b) for a, b in zip(lons, lons[1:])]
    start = max(gaps)[1]
    return [(lat, _into(lon, start)) for lat, lon in points]


def _into(lon: float, start: float) -> float:
    """``lon`` moved by whole turns into [start, start + 360); unchanged (bit for bit) when it is already there."""
    while lon < start:
        lon += 360.0
    while lon >= start + 360.0:
        lon -= 360.0
    return lon


def _box(points: Sequence[LatLon], max_zoom: int) -> View:
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    return View((min(lats), min(lons)), (max(lats), max(lons)), max_zoom)


def fit_view(
    places: Collection[Place],
    lines: Iterable[Sequence[LatLon]] = (),
    *,
    anchors: Iterable[LatLon] = (),
    point_zoom: int = 6,
    max_zoom: int = 7,
    across: bool = False,
) -> View | None:
    """The view for ``places`` plus the drawn ``lines`` (route paths, link arcs) and link ``anchors``.

    One point alone gets ``point_zoom`` (a city with its surroundings); several get at most ``max_zoom``.
    Seas and regions alone get a wide view (zoom 4 at most). None when there is nothing to show.
    ``across``: the box may run past 180° (a link's arc across the Pacific, drawn with its world copy);
    otherwise it stays in [-180, 180], where Leaflet draws the markers.
    """
    unwrap = _unwrap if across else list
    points: list[LatLon] = [p.location for p in places if p.kind in POINT_KINDS]
    points += list(anchors)
    for line in lines:
        points.extend(line)
    countries = [p for p in places if p.kind == "country"]
    if not points and countries:
        extents = country_extents()
        for place in countries:
            box = extents.get(place.country)
            if box is None:
                points.append(place.location)
            else:
                south, west, north, east = box
                points += [(south, west), (north, east)]
        if points:
            return _box(unwrap(points), max(3, max_zoom - 2))
    if not points:
        areas = [p.location for p in places if p.kind in AREA_KINDS]
        return _box(unwrap(areas), 4) if areas else None
    unwrapped = unwrap(points)
    view = _box(unwrapped, max_zoom)
    if view.south_west == view.north_east:
        return View(view.south_west, view.north_east, point_zoom)
    return view


def story_lines(routes: Iterable[Route]) -> list[Sequence[LatLon]]:
    return [route.path for route in routes]

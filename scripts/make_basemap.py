"""Derive data/world.geojson (offline basemap) from Natural Earth's 1:110m countries.

Natural Earth is public domain. Its low-resolution countries ship inside the geopandas 0.14.4 wheel
(``geopandas/datasets/naturalearth_lowres``); later geopandas versions dropped them. Get the wheel
once (``pip download geopandas==0.14.4 --no-deps -d /tmp/gp``), then run:

    python scripts/make_basemap.py /tmp/gp/geopandas-0.14.4-py3-none-any.whl data/world.geojson

Coordinates are rounded to 2 decimals (about 1 km, far below what 1:110m outlines resolve) and
points that rounding makes repeat are dropped, so the file stays small enough to inline into a
self-contained HTML export. Properties kept: ``name`` and ``iso_a3`` ("" when Natural Earth has none).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import zipfile
from pathlib import Path

import shapefile  # pyshp

MEMBER = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
DECIMALS = 2


def _ring(points: list[tuple[float, float]]) -> list[list[float]] | None:
    """Round a ring and drop repeated points; None when fewer than 4 positions remain (degenerate)."""
    out: list[list[float]] = []
    for x, y in points:
        p = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or out[-1] != p:
            out.append(p)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else None


def _is_clockwise(ring: list[tuple[float, float]]) -> bool:
    """Shapefile outer rings are clockwise, holes counter-clockwise (shoelace sign)."""
    area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:]))
    return area < 0


def _geometry(shape: shapefile.Shape) -> dict | None:
    """GeoJSON (Multi)Polygon for a shapefile polygon, rings grouped into polygons by orientation."""
    parts = list(shape.parts) + [len(shape.points)]
    polygons: list[list[list[list[float]]]] = []
    for start, end in zip(parts, parts[1:]):
        raw = [(float(x), float(y)) for x, y in shape.points[start:end]]
        ring = _ring(raw)
        if ring is None:
            continue
        # GeoJSON (RFC 7946) wants exterior rings counter-clockwise: reverse the shapefile order.
        if _is_clockwise(raw):
            polygons.append([ring[::-1]])
        elif polygons:
            polygons[-1].append(ring[::-1])
    if not polygons:
        return None
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def build(wheel: Path) -> dict:
    """Read the shapefile out of the wheel and return a GeoJSON FeatureCollection."""
    with zipfile.ZipFile(wheel) as zf:
        # The .cpg names the .dbf's code page (ISO-8859-1 here, e.g. "C\xf4te d'Ivoire"), not UTF-8.
        encoding = zf.read(MEMBER + ".cpg").decode("ascii").strip() or "latin-1"
        reader = shapefile.Reader(
            shp=io.BytesIO(zf.read(MEMBER + ".shp")),
            shx=io.BytesIO(zf.read(MEMBER + ".shx")),
            dbf=io.BytesIO(zf.read(MEMBER + ".dbf")),
            encoding=encoding,
        )
        features = []
        for rec in reader.iterShapeRecords():
            geom = _geometry(rec.shape)
            if geom is None:
                continue
            props = rec.record.as_dict()
            # Natural Earth writes "-99" where a country has no ISO code (Kosovo): store "" instead.
            iso = "" if props["iso_a3"] == "-99" else props["iso_a3"]
            features.append({"type": "Feature", "properties": {"name": props["name"], "iso_a3": iso}, "geometry": geom})
    features.sort(key=lambda f: f["properties"]["name"])
    return {"type": "FeatureCollection", "features": features}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path, help="geopandas-0.14.4-py3-none-any.whl")
    parser.add_argument("out", type=Path, help="output GeoJSON, e.g. data/world.geojson")
    args = parser.parse_args(argv)
    collection = build(args.wheel)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    tmp = args.out.with_suffix(args.out.suffix + ".tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(args.out)  # atomic: never leave a half-written basemap behind
    print(f"{args.out}: {len(collection['features'])} countries, {len(text.encode()) // 1024} KB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

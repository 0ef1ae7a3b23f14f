"""Story → plain data: the CLI's JSON, the places table as CSV rows, GeoJSON, cache rows. Pure."""

from __future__ import annotations

import csv
import io
from typing import Any

from geo.core.geometry import great_circle
from geo.core.model import Place, Story
from geo.core.text import name_key
from geo.places.cache import MAX_NAME_CHARS, CachedPlace, now

PLACE_COLUMNS = ("id", "name", "name_ar", "kind", "lat", "lon", "country", "source", "source_id", "confidence", "mentions")


def story_to_dict(story: Story) -> dict[str, Any]:
    """The JSON object ``geo extract`` prints (schema in the README)."""
    by_place: dict[str, list[dict[str, Any]]] = {p.id: [] for p in story.places}
    confidence = {p.id: p.confidence for p in story.places}
    for m in story.mentions:
        conf = m.confidence if m.confidence is not None else confidence.get(m.place, 1.0)
        row = {"passage": m.passage, "start": m.start, "end": m.end, "text": m.text, "adjectival": m.adjectival, "confidence": conf}
        by_place.setdefault(m.place, []).append(row)
    return {
        "title": story.title,
        "language": story.language,
        "passages": [
            {"id": p.id, "text": p.text, "start": p.start, "end": p.end, "heading": p.heading} for p in story.passages
        ],
        "places": [{**_place_fields(p), "candidates": _candidates(p), "mentions": by_place.get(p.id, [])} for p in story.places],
        "routes": [
            {
                "id": r.id,
                "mode": r.mode,
                "stops": list(r.stops),
                "path": [[round(lat, 4), round(lon, 4)] for lat, lon in r.path],
                "length_km": round(r.length_km, 1),
                "on_rail": r.on_rail,
                "when": r.when,
                "passages": list(r.passages),
                "country_stops": list(r.country_stops),
                "status": r.status,
                "evidence": [[a, b] for a, b in r.evidence],
                "confidence": round(r.confidence, 2),
            }
            for r in story.routes
        ],
        "links": [
            {
                "id": l.id,
                "kind": l.kind,
                "status": l.status,
                "places": list(l.places),
                "directed": l.directed,
                "weight": l.weight,
                "passages": list(l.passages),
                "evidence": [[a, b] for a, b in l.evidence],
                "confidence": round(l.confidence, 2),
            }
            for l in story.links
        ],
        "unresolved": list(story.unresolved),
    }


def place_rows(story: Story) -> list[dict[str, Any]]:
    """One row per place, with its mention count: the places table of the page and of ``--format csv``."""
    counts: dict[str, int] = {}
    for m in story.mentions:
        counts[m.place] = counts.get(m.place, 0) + 1
    return [{**_place_fields(p), "mentions": counts.get(p.id, 0)} for p in story.places]


def _place_fields(p: Place) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "name_ar": p.name_ar,
        "kind": p.kind,
        "lat": round(p.lat, 5),
        "lon": round(p.lon, 5),
        "country": p.country,
        "source": p.source,
        "source_id": p.source_id,
        "confidence": p.confidence,
    }


def _candidates(p: Place) -> list[dict[str, Any]]:
    return [
        {"name": c.name, "kind": c.kind, "lat": round(c.lat, 5), "lon": round(c.lon, 5), "country": c.country, "score": c.score}
        for c in p.candidates
    ]


def places_csv(story: Story) -> str:
    """The places table as CSV (``extract --format csv``, the page's download), safe to open in a spreadsheet."""
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=PLACE_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows({k: csv_cell(v) for k, v in row.items()} for row in place_rows(story))
    return out.getvalue()


# What makes a spreadsheet read a cell as a formula (OWASP "CSV injection"); tab and CR too, which some
# programs strip before looking.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A value for a CSV cell: text that would start a formula gets a leading apostrophe, numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def cache_rows(story: Story) -> list[CachedPlace]:
    """Every name the story resolved, as rows for the places cache (one per distinct surface key)."""
    places = story.places_by_id
    rows: dict[str, CachedPlace] = {}
    stamp = now()
    for m in story.mentions:
        p = places.get(m.place)
        if p is None or m.adjectival:
            continue
        key = name_key(m.text)
        if key and len(key) <= MAX_NAME_CHARS and key not in rows:  # no overlong "name" reaches the cache
            rows[key] = CachedPlace(key, p.name, p.name_ar, p.kind, p.lat, p.lon, p.country, p.source, p.source_id, stamp)
    return list(rows.values())


def story_geojson(story: Story, *, article_id: str = "", corrections: int = 0) -> dict[str, Any]:
    """The whole story as a GeoJSON FeatureCollection (RFC 7946: longitude first, WGS 84).

    A Point per place (``"layer": "place"``, its mention count and the passages naming it), a line per
    route (``"layer": "route"``: mode, stops, length, passages) and per link (``"layer": "link"``: kind,
    status, actors, direction, passages). A line is a LineString, or a MultiLineString when it has several
    arcs (a link between three actors) or crosses the antimeridian (cut there, as RFC 7946 asks). The
    evidence passages' text is in the collection's ``passages`` member, once; ``corrections`` counts the
    reader's corrections applied to the automatic reading.
    """
    passages_of: dict[str, list[int]] = {}
    for m in story.mentions:
        ids = passages_of.setdefault(m.place, [])
        if not ids or ids[-1] != m.passage:
            ids.append(m.passage)
    features: list[dict[str, Any]] = []
    for row in place_rows(story):
        props = {k: v for k, v in row.items() if k not in ("lat", "lon")}
        features.append(_feature(row["id"], {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
                                 {"layer": "place", **props, "passages": sorted(set(passages_of.get(row["id"], [])))}))
    for r in story.routes:
        props = {"layer": "route", "mode": r.mode, "stops": list(r.stops), "length_km": round(r.length_km, 1),
                 "on_rail": r.on_rail, "when": r.when, "passages": list(r.passages)}
        features.append(_feature(r.id, _line([list(r.path)]), props))
    for lk in story.links:
        points = [story.anchor(p) for p in lk.places]
        if lk.directed or len(points) == 2:
            pairs = [(points[0], points[1])]
        elif len(points) <= 4:
            pairs = [(a, b) for k, a in enumerate(points) for b in points[k + 1 :]]
        else:  # a star from the first actor: all pairs of many actors would be a tangle
            pairs = [(points[0], b) for b in points[1:]]
        props = {"layer": "link", "kind": lk.kind, "status": lk.status, "places": list(lk.places),
                 "directed": lk.directed, "weight": lk.weight, "passages": list(lk.passages)}
        features.append(_feature(lk.id, _line([great_circle(a, b) for a, b in pairs]), props))
    cited = sorted({p for f in features for p in f["properties"]["passages"]})
    by_id = {p.id: p for p in story.passages}
    return {
        "type": "FeatureCollection",
        "title": story.title,
        "language": story.language,
        **({"article": article_id} if article_id else {}),
        "corrections": corrections,
        "passages": [{"id": i, "text": by_id[i].text} for i in cited if i in by_id],
        "features": features,
    }


def _feature(fid: str, geometry: dict[str, Any], props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "id": fid, "geometry": geometry, "properties": {"id": fid, **props}}


def _line(arcs: list[list[tuple[float, float]]]) -> dict[str, Any]:
    """(lat, lon) arcs, possibly unwrapped past ±180°, as a LineString or a MultiLineString cut at the antimeridian."""
    parts: list[list[list[float]]] = []
    for arc in arcs:
        part: list[list[float]] = []
        prev: tuple[float, float] | None = None
        for lat, lon in arc:
            lon = (lon + 180.0) % 360.0 - 180.0 if not -180.0 <= lon <= 180.0 else lon
            if prev is not None and abs(lon - prev[1]) > 180.0:
                # Cross the antimeridian: end this part on it and start the next on the other side.
                edge = 180.0 if prev[1] > 0 else -180.0
                span = (lon + 360.0 if edge > 0 else lon - 360.0) - prev[1]
                t = (edge - prev[1]) / span if span else 0.0
                lat_x = round(prev[0] + t * (lat - prev[0]), 5)
                part.append([edge, lat_x])
                parts.append(part)
                part = [[-edge, lat_x]]
            part.append([round(lon, 5), round(lat, 5)])
            prev = (lat, lon)
        if len(part) >= 2:
            parts.append(part)
    if len(parts) == 1:
        return {"type": "LineString", "coordinates": parts[0]}
    return {"type": "MultiLineString", "coordinates": parts}

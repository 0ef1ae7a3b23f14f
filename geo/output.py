"""Story → plain data: the CLI's JSON, the places table as CSV rows, GeoJSON, cache rows. Pure."""

from __future__ import annotations

import csv
import io
from typing import Any

from geo.cache import CachedPlace, now
from geo.model import Place, Story
from geo.text import name_key

PLACE_COLUMNS = ("id", "name", "name_ar", "kind", "lat", "lon", "country", "source", "source_id", "confidence", "mentions")


def story_to_dict(story: Story) -> dict[str, Any]:
    """The JSON object ``geo extract`` prints (schema in the README)."""
    by_place: dict[str, list[dict[str, Any]]] = {p.id: [] for p in story.places}
    for m in story.mentions:
        by_place.setdefault(m.place, []).append(
            {"passage": m.passage, "start": m.start, "end": m.end, "text": m.text, "adjectival": m.adjectival}
        )
    return {
        "title": story.title,
        "language": story.language,
        "passages": [
            {"id": p.id, "text": p.text, "start": p.start, "end": p.end, "heading": p.heading} for p in story.passages
        ],
        "places": [{**_place_fields(p), "mentions": by_place.get(p.id, [])} for p in story.places],
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


def places_csv(story: Story) -> str:
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=PLACE_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(place_rows(story))
    return out.getvalue()


def places_geojson(story: Story) -> dict[str, Any]:
    """Places as a GeoJSON FeatureCollection (longitude first, as GeoJSON wants)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": row["id"],
                "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
                "properties": {k: v for k, v in row.items() if k not in ("lat", "lon")},
            }
            for row in place_rows(story)
        ],
    }


def cache_rows(story: Story) -> list[CachedPlace]:
    """Every name the story resolved, as rows for the places cache (one per distinct surface key)."""
    places = {p.id: p for p in story.places}
    rows: dict[str, CachedPlace] = {}
    stamp = now()
    for m in story.mentions:
        p = places.get(m.place)
        if p is None or m.adjectival:
            continue
        key = name_key(m.text)
        if key and key not in rows:
            rows[key] = CachedPlace(key, p.name, p.name_ar, p.kind, p.lat, p.lon, p.country, p.source, p.source_id, stamp)
    return list(rows.values())

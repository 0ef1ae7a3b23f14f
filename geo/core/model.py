"""The domain: passages of an article, place mentions, places, routes, links, and the story that holds them.

Every value is a frozen dataclass whose invariants are checked on construction, so a bad value fails
where it is made, with a message saying what was wrong.
"""

from __future__ import annotations

import bisect
import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

KINDS = ("city", "country", "region", "water", "site")
MODES = ("train", "plane", "car", "ship", "unknown")
LINK_KINDS = (
    "military",  # arms / military cooperation
    "exercise",  # joint exercises, proposed or held
    "alliance",  # alliance / support
    "visit",  # visit / summit
    "tension",  # concern / threat / condemnation
    "territory",  # annexation / territory
)

LatLon = tuple[float, float]


def validate_latlon(lat: float, lon: float) -> None:
    """Raise ValueError unless (lat, lon) is a finite point on the globe."""
    if not (isinstance(lat, (int, float)) and isinstance(lon, (int, float))):
        raise ValueError(f"Expected numeric (lat, lon), instead got: ({lat!r}, {lon!r})")
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise ValueError(f"Expected finite (lat, lon), instead got: ({lat}, {lon})")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"Coordinates out of range: latitude must be in [-90, 90] and longitude in [-180, 180], instead got: ({lat}, {lon})")


@dataclass(frozen=True)
class Passage:
    """A paragraph (or heading) of the article; ``start``/``end`` index the decoded original text."""

    id: int
    start: int
    end: int
    text: str
    heading: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"Passage {self.id}: expected 0 <= start <= end, instead got {self.start}..{self.end}")
        if len(self.text) != self.end - self.start:
            raise ValueError(f"Passage {self.id}: text length {len(self.text)} != end - start {self.end - self.start}")


@dataclass(frozen=True)
class Mention:
    """One occurrence of a place name: ``article[start:end] == text``.

    ``adjectival`` marks a nisba or demonym ("الروسية", "Russian") counted as a mention of the country.
    """

    place: str  # Place.id
    passage: int
    start: int
    end: int
    text: str
    adjectival: bool = False
    confidence: float | None = None  # calibrated probability that this is a right place reading; None when not computed

    def __post_init__(self) -> None:
        if self.confidence is not None and not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"Mention {self.text!r}: confidence must be in [0, 1], instead got: {self.confidence}")
        if not 0 <= self.start < self.end:
            raise ValueError(f"Mention {self.text!r}: expected 0 <= start < end, instead got {self.start}..{self.end}")
        if len(self.text) != self.end - self.start:
            raise ValueError(f"Mention {self.text!r}: text length != end - start ({self.start}..{self.end})")


@dataclass(frozen=True)
class Candidate:
    """Another reading of a place's name, with the score the ranking gave it (higher is likelier)."""

    name: str
    kind: str
    lat: float
    lon: float
    country: str
    score: float
    source: str = ""
    source_id: str = ""

    def __post_init__(self) -> None:
        validate_latlon(self.lat, self.lon)


@dataclass(frozen=True)
class Place:
    """A geocoded place. ``id`` is a stable slug of the English name (``pyongyang``, ``north-korea``)."""

    id: str
    name: str
    name_ar: str
    kind: str
    lat: float
    lon: float
    country: str  # ISO 3166-1 alpha-2, "" when none (seas, regions across borders)
    source: str  # geonames / cldr / curated / nominatim
    source_id: str = ""
    confidence: float = 1.0  # calibrated probability that the place is read right (best of its mentions)
    candidates: tuple[Candidate, ...] = ()  # the best readings of its name, the chosen one first

    def __post_init__(self) -> None:
        if not self.id or self.id != self.id.strip().lower() or " " in self.id:
            raise ValueError(f"Place id must be a lower-case slug, instead got: {self.id!r}")
        if self.kind not in KINDS:
            raise ValueError(f"Place {self.id}: kind must be one of {KINDS}, instead got: {self.kind!r}")
        validate_latlon(self.lat, self.lon)
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"Place {self.id}: confidence must be in [0, 1], instead got: {self.confidence}")

    @property
    def location(self) -> LatLon:
        return (self.lat, self.lon)


@dataclass(frozen=True)
class Route:
    """A movement told by the text: ordered stops (place ids) and the path drawn between them."""

    id: str
    mode: str
    stops: tuple[str, ...]
    path: tuple[LatLon, ...]
    length_km: float
    passages: tuple[int, ...]
    when: str = ""  # a date or period quoted from the text, "" when none
    on_rail: bool = False  # True when ``path`` follows the curated rail network
    evidence: tuple[tuple[int, int], ...] = ()  # character spans of the sentences the route was read from
    confidence: float = 1.0  # how sure the reader is: lower for a leg chained from an earlier sentence
    country_stops: tuple[str, ...] = ()  # stops the text names only as a country (drawn at the capital)
    status: str = ""  # "proposed" for a planned trip, "held" for one the text tells as done

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"Route {self.id}: mode must be one of {MODES}, instead got: {self.mode!r}")
        if len(self.stops) < 2:
            raise ValueError(f"Route {self.id}: needs at least two stops, instead got: {self.stops}")
        if len(self.path) < 2:
            raise ValueError(f"Route {self.id}: path needs at least two points")
        if not (self.length_km >= 0 and math.isfinite(self.length_km)):
            raise ValueError(f"Route {self.id}: length_km must be finite and >= 0, instead got: {self.length_km}")
        _check_evidence(f"Route {self.id}", self.evidence, self.confidence)
        if not set(self.country_stops) <= set(self.stops):
            raise ValueError(f"Route {self.id}: country_stops {self.country_stops} must be among its stops {self.stops}")


@dataclass(frozen=True)
class Link:
    """A typed relation between actors (place ids, drawn at their capital), with its evidence passages."""

    id: str
    kind: str
    places: tuple[str, ...]
    directed: bool
    weight: int
    passages: tuple[int, ...]
    status: str = ""  # "proposed" / "held" where the text says so
    evidence: tuple[tuple[int, int], ...] = ()  # character spans of the sentences the link was read from
    confidence: float = 1.0

    def __post_init__(self) -> None:
        if self.kind not in LINK_KINDS:
            raise ValueError(f"Link {self.id}: kind must be one of {LINK_KINDS}, instead got: {self.kind!r}")
        if len(set(self.places)) < 2:
            raise ValueError(f"Link {self.id}: needs at least two distinct places, instead got: {self.places}")
        if self.weight < 1:
            raise ValueError(f"Link {self.id}: weight must be >= 1, instead got: {self.weight}")
        _check_evidence(f"Link {self.id}", self.evidence, self.confidence)


def _check_evidence(what: str, evidence: tuple[tuple[int, int], ...], confidence: float) -> None:
    """Evidence spans are ordered, non-empty character ranges; confidence is a probability."""
    if any(not (0 <= s < e) for s, e in evidence):
        raise ValueError(f"{what}: evidence spans must be 0 <= start < end, instead got: {evidence}")
    if not 0.0 <= confidence <= 1.0:
        raise ValueError(f"{what}: confidence must be in [0, 1], instead got: {confidence}")


K = TypeVar("K")
V = TypeVar("V")


def _first_wins(pairs: Iterable[tuple[K, V]]) -> dict[K, V]:
    """A dict of ``pairs`` in which the first value of a repeated key is kept (the Story's indexes' rule)."""
    out: dict[K, V] = {}
    for key, value in pairs:
        out.setdefault(key, value)
    return out


@dataclass(frozen=True)
class Story:
    """Everything the map and the page show for one article."""

    title: str
    language: str  # "ar" / "en"
    text: str
    passages: tuple[Passage, ...]
    places: tuple[Place, ...]
    mentions: tuple[Mention, ...]
    routes: tuple[Route, ...] = ()
    links: tuple[Link, ...] = ()
    unresolved: tuple[str, ...] = field(default=())  # names found but not geocoded
    # Where to draw an actor that the text names only as a country: its capital (place id → (lat, lon)).
    anchors: tuple[tuple[str, LatLon], ...] = field(default=())

    # Indexes built once, on first use (a frozen dataclass keeps no state but its fields, so these live
    # in the instance dict through cached_property). Where an id repeats, the first one wins.
    @functools.cached_property
    def places_by_id(self) -> dict[str, Place]:
        return _first_wins((p.id, p) for p in self.places)

    @functools.cached_property
    def passages_by_id(self) -> dict[int, Passage]:
        return _first_wins((p.id, p) for p in self.passages)

    @functools.cached_property
    def mentions_by_place(self) -> dict[str, tuple[Mention, ...]]:
        out: dict[str, list[Mention]] = {}
        for m in self.mentions:
            out.setdefault(m.place, []).append(m)
        return {k: tuple(v) for k, v in out.items()}

    @functools.cached_property
    def anchors_by_id(self) -> dict[str, LatLon]:
        return _first_wins(self.anchors)

    @functools.cached_property
    def _passage_starts(self) -> list[int]:
        return [p.start for p in self.passages]

    def anchor(self, place_id: str) -> LatLon:
        """Where links meet this place: the capital for a country actor, else the place itself."""
        point = self.anchors_by_id.get(place_id)
        return point if point is not None else self.place(place_id).location

    def place(self, place_id: str) -> Place:
        return self.places_by_id[place_id]

    def mentions_of(self, place_id: str) -> list[Mention]:
        return list(self.mentions_by_place.get(place_id, ()))

    def passage_at(self, pos: int) -> Passage | None:
        """The passage holding character offset ``pos`` (the last one starting at or before it)."""
        k = bisect.bisect_right(self._passage_starts, pos) - 1
        return self.passages[k] if k >= 0 else None

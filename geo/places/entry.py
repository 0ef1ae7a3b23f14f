"""A gazetteer entry: one candidate place for a name, with what ranking needs to know about it."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    """A candidate place for a name."""

    id: str
    name: str
    name_ar: str
    kind: str
    lat: float
    lon: float
    country: str
    population: int
    capital: bool
    source: str
    source_id: str
    admin1: str = ""  # GeoNames admin1 code (US: postal code), "" where unknown


# A small town (below the gazetteer's MIN_POPULATION): (name, lat, lon, country, admin1, population, geonameid).
# Kept as tuples, not entries, so the index of ~140k of them stays quick to load; ranking turns the chosen one
# into an Entry.
SmallTown = tuple[str, float, float, str, str, int, int]


def prior(e: Entry) -> float:
    """How likely a bare name means this entry, before any context."""
    score = math.log10(e.population + 10)
    if e.source == "curated":
        score += 10
    if e.kind == "country":
        score += 4
    if e.capital:
        score += 2
    return score


def is_minor(e: Entry) -> bool:
    """A town that a common word or adjective should not be read as without context."""
    return e.kind == "city" and not e.capital and e.source == "geonames" and e.population < 1_000_000


def slug(name: str) -> str:
    """A stable id from an English name: ``"Komsomolsk-on-Amur"`` → ``"komsomolsk-on-amur"``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "place"

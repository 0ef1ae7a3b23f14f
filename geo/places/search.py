"""Gazetteer look-ups for corrections: search by name (type-ahead), a place's other candidates, where a text names one.

Pure functions of the gazetteer and the story; the page turns their results into ``Correction`` values.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from geo.core.document import Document
from geo.core.model import Place, Story
from geo.core.text import name_key
from geo.places.entry import Entry, prior
from geo.places.gazetteer import Gazetteer
from geo.places.matching import find_matches, ranked_candidates

MIN_QUERY = 2  # one letter would list a tenth of the gazetteer
_SCAN = 3000  # keys read past the query's prefix at most: bounded work per keystroke


@dataclass(frozen=True)
class _SortedKeys:
    source: int  # id() of the gazetteer's key dict it was built from
    keys: tuple[str, ...]


_sorted: _SortedKeys | None = None


def _keys(gaz: Gazetteer) -> tuple[str, ...]:
    """The gazetteer's keys sorted, built once per gazetteer (the page keeps one for the server's life)."""
    global _sorted
    if _sorted is None or _sorted.source != id(gaz.keys):
        _sorted = _SortedKeys(id(gaz.keys), tuple(sorted(gaz.keys)))
    return _sorted.keys


def search(gaz: Gazetteer, query: str, limit: int = 10) -> list[Entry]:
    """Entries whose name (Arabic or English, any gazetteer alias) starts with ``query``: exact names first,
    then by prior (population, capital, country). Empty for queries under two letters."""
    key = name_key(query)
    if len(key) < MIN_QUERY:
        return []
    keys = _keys(gaz)
    found: dict[int, tuple[bool, float]] = {}
    start = bisect.bisect_left(keys, key)
    for k in keys[start : start + _SCAN]:
        if not k.startswith(key):
            break
        for i in gaz.keys[k]:
            rank = (k == key, prior(gaz.entries[i]))
            if i not in found or rank > found[i]:
                found[i] = rank
    best = sorted(found, key=lambda i: found[i], reverse=True)
    out: list[Entry] = []
    seen: set[tuple[str, str, str]] = set()
    for i in best:
        e = gaz.entries[i]
        ident = (e.source, e.source_id, e.name)
        if ident not in seen:
            seen.add(ident)
            out.append(e)
        if len(out) == limit:
            break
    return out


def entry_place(e: Entry, confidence: float = 1.0) -> Place:
    """A gazetteer entry as a story place (the id is unique-ified when a correction adds it)."""
    return Place(e.id, e.name, e.name_ar, e.kind, e.lat, e.lon, e.country, e.source, e.source_id, confidence)


def alternatives(story: Story, place_id: str, gaz: Gazetteer, limit: int = 5) -> list[Place]:
    """Other readings of a place's mentions, best first, each with its share of confidence.

    The candidates the matcher ranked for the spans that name the place, without the current reading.
    """
    place = story.place(place_id)
    spans = {(m.start, m.end) for m in story.mentions if m.place == place_id}
    shares: dict[tuple[str, str, str], tuple[float, Entry]] = {}
    for match in find_matches(Document.read(story.text), gaz):
        if (match.start, match.end) not in spans:
            continue
        for e, share in ranked_candidates(match, gaz, limit + 1):
            ident = (e.source, e.source_id, e.name)
            if ident not in shares or share > shares[ident][0]:
                shares[ident] = (share, e)
    shares.pop((place.source, place.source_id, place.name), None)
    ranked = sorted(shares.values(), key=lambda se: se[0], reverse=True)[:limit]
    return [entry_place(e, min(1.0, max(0.0, share))) for share, e in ranked]


def mention_spans(text: str, gaz: Gazetteer, entry: Entry) -> tuple[tuple[int, int], ...]:
    """Where the text names ``entry`` (any of its gazetteer names, Arabic proclitics peeled)."""
    try:
        index = gaz.entries.index(entry)
    except ValueError:
        return ()
    return tuple((m.start, m.end) for m in find_matches(Document.read(text), gaz) if index in m.candidates)

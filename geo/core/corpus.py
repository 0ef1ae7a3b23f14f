"""A corpus as counts: which articles name each place and state each link (the corpus map's model).

The same place in two articles is one corpus place when both resolved it to the same gazetteer entry
(``source`` and ``source_id``); a link is one corpus link per kind and pair of places (the two ends
in order when the link is directed), counted once per article that states it. Memory grows with the
number of distinct places and links and of (place, article) pairs, never with the text.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from typing import Any


@dataclass(frozen=True)
class CorpusArticle:
    path: str
    title: str
    date: str  # ISO date, "" when the article carries none
    language: str


@dataclass(frozen=True)
class CorpusPlace:
    """A place and the articles (run positions, ascending) that name it."""

    key: str  # "source:source_id": the same gazetteer entry in every article
    id: str
    name: str
    name_ar: str
    kind: str
    lat: float
    lon: float
    country: str
    articles: tuple[int, ...]


@dataclass(frozen=True)
class CorpusLink:
    """A typed link between two corpus places (indices into ``Corpus.places``) and the articles stating it."""

    kind: str
    ends: tuple[int, int]
    directed: bool
    articles: tuple[int, ...]


@dataclass(frozen=True)
class Corpus:
    """Places sorted by how many articles name them (most first); links likewise."""

    articles: tuple[CorpusArticle, ...]
    places: tuple[CorpusPlace, ...]
    links: tuple[CorpusLink, ...]

    @property
    def dated(self) -> int:
        return sum(1 for a in self.articles if a.date)


def place_key(place: dict[str, Any]) -> str:
    """The identity of a place across articles: its gazetteer entry, else its id within its source."""
    return f"{place.get('source', '')}:{place.get('source_id') or place['id']}"


class CorpusBuilder:
    """Folds articles, one at a time and in run order, into a :class:`Corpus`."""

    def __init__(self) -> None:
        self.articles: list[CorpusArticle] = []
        self.places: dict[str, tuple[dict[str, Any], array]] = {}
        self.links: dict[tuple[str, str, str, bool], array] = {}

    def add(self, article: dict[str, Any], places: Iterable[dict[str, Any]], links: Iterable[dict[str, Any]]) -> None:
        n = len(self.articles)
        self.articles.append(
            CorpusArticle(str(article.get("path") or ""), str(article.get("title") or ""), str(article.get("date") or ""),
                          str(article.get("language") or ""))
        )  # fmt: skip
        keys: dict[str, str] = {}
        for p in places:
            key = keys[p["id"]] = place_key(p)
            entry = self.places.get(key)
            if entry is None:
                fields = {f: p[f] for f in ("id", "name", "name_ar", "kind", "lat", "lon", "country")}
                entry = self.places[key] = (fields, array("l"))
            if not entry[1] or entry[1][-1] != n:  # an article counts once, however often it names the place
                entry[1].append(n)
        for lk in links:
            ends = [keys[pid] for pid in lk["places"] if pid in keys]
            directed = bool(lk["directed"])
            pairs = zip(ends, ends[1:]) if directed else combinations(sorted(set(ends)), 2)
            for a, b in pairs:
                if a == b:
                    continue
                refs = self.links.setdefault((str(lk["kind"]), a, b, directed), array("l"))
                if not refs or refs[-1] != n:
                    refs.append(n)

    def build(self) -> Corpus:
        order = sorted(self.places, key=lambda k: (-len(self.places[k][1]), k))
        index = {key: i for i, key in enumerate(order)}
        places = tuple(
            CorpusPlace(key=key, **self.places[key][0], articles=tuple(self.places[key][1])) for key in order
        )
        links = sorted(
            (CorpusLink(kind, (index[a], index[b]), directed, tuple(refs)) for (kind, a, b, directed), refs in self.links.items()),
            key=lambda lk: (-len(lk.articles), lk.kind, lk.ends),
        )
        return Corpus(tuple(self.articles), places, tuple(links))

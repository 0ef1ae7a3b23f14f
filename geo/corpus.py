"""A whole run, aggregated for the corpus map: which articles name each place and state each link.

A run is what ``geo extract`` wrote for many articles: a ``.jsonl`` file (one record per line) or a
``--format parquet`` folder. It is read one article at a time and folded into counts, so memory grows
with the number of distinct places and links and of (place, article) pairs, never with the text.

The same place in two articles is one corpus place when both resolved it to the same gazetteer entry
(``source`` and ``source_id``); a link is one corpus link per kind and pair of places (the two ends
in order when the link is directed), counted once per article that states it.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations, groupby
from pathlib import Path
from typing import Any

from geo.errors import ArticleNotFound, InputError


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


# --- reading a run --------------------------------------------------------------------------------

Parts = tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]


def read_run(path: str | Path) -> Corpus:
    """Aggregate a run (a ``.jsonl`` file or a Parquet folder); one-line ``InputError`` for anything else."""
    p = Path(path)
    if not p.exists():
        raise ArticleNotFound(f"{p}: no such run; give the .jsonl file or the Parquet folder that `geo extract` wrote")
    return aggregate(iter_parquet(p) if p.is_dir() else iter_jsonl(p), str(p))


def iter_jsonl(path: Path) -> Iterator[Parts]:
    """Each record of a jsonl run file, as (article, places, links)."""
    try:
        f = path.open(encoding="utf-8")
    except OSError as err:
        raise InputError(f"{path}: cannot read the run ({err.strerror or err})") from err
    with f:
        yield from iter_jsonl_lines(f, str(path))


def iter_jsonl_lines(lines: Iterable[str], name: str) -> Iterator[Parts]:
    """Each record of jsonl text (a file, an upload), as (article, places, links); a line that is not a
    record is an ``InputError`` naming ``name`` and the line number."""
    try:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                yield record, record["places"], record["links"]
            except (ValueError, KeyError, TypeError) as err:
                raise InputError(
                    f"{name}:{number}: not a run record ({type(err).__name__}: {err}); "
                    "give the output of `geo extract --format jsonl` or a --format parquet folder"
                ) from err
    except UnicodeDecodeError as err:
        raise InputError(f"{name}: not a UTF-8 jsonl run ({err.reason} at byte {err.start})") from err


def aggregate(parts: Iterable[Parts], name: str) -> Corpus:
    """Fold (article, places, links) triples into a :class:`Corpus`; an ``InputError`` when there are none."""
    builder = CorpusBuilder()
    for article, places, links in parts:
        builder.add(article, places, links)
    if not builder.articles:
        raise InputError(f"{name}: the run has no articles")
    return builder.build()


_ARTICLE_COLUMNS = ["article", "path", "title", "date", "language"]
_PLACE_COLUMNS = ["article", "id", "name", "name_ar", "kind", "lat", "lon", "country", "source", "source_id"]
_LINK_COLUMNS = ["article", "kind", "places", "directed"]


def iter_parquet(folder: Path) -> Iterator[Parts]:
    """The articles of a Parquet run with their places and links, walking the three tables side by side."""
    from geo.parquet import iter_table

    missing = [t for t in ("articles", "places", "links") if not (folder / t).is_dir()]
    if missing:
        raise InputError(f"{folder}: not a Parquet run (no {', '.join(missing)} table); give a folder from `geo extract --format parquet -o`")
    try:
        places = groupby(iter_table(folder / "places", _PLACE_COLUMNS), key=lambda r: r["article"])
        links = groupby(iter_table(folder / "links", _LINK_COLUMNS), key=lambda r: r["article"])
        next_places, next_links = next(places, None), next(links, None)
        for article in iter_table(folder / "articles", _ARTICLE_COLUMNS):
            n = article["article"]
            own_places: list[dict[str, Any]] = []
            own_links: list[dict[str, Any]] = []
            # Both tables are in run order, so each article's rows are the next group, if any.
            if next_places is not None and next_places[0] == n:
                own_places = list(next_places[1])
                next_places = next(places, None)
            if next_links is not None and next_links[0] == n:
                own_links = list(next_links[1])
                next_links = next(links, None)
            yield article, own_places, own_links
    except (OSError, ValueError, KeyError) as err:  # pyarrow's errors derive from these
        raise InputError(f"{folder}: cannot read the Parquet run ({type(err).__name__}: {err})") from err

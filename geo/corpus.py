"""Reading a whole run for the corpus map: a ``.jsonl`` file (one record per line) or a ``--format parquet``
folder, as ``geo extract`` wrote it, one article at a time folded into a :class:`geo.core.corpus.Corpus`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path
from typing import Any

from geo.core.corpus import Corpus, CorpusBuilder
from geo.core.errors import ArticleNotFound, InputError
from geo.parquet import iter_table

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

"""Parquet runs (geo/parquet.py): five tables written in row groups as records stream, read back in pandas
with the same content as the jsonl run."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest
from corpus_gen import run_settings, write_corpus

from geo import parquet
from geo.batch import JsonlSink, run_batch
from geo.parquet import TABLES, ParquetSink


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict[str, Any]], Path]:
    """The same generated corpus as a jsonl run (records) and a Parquet run written in small row groups."""
    root = tmp_path_factory.mktemp("parquet")
    write_corpus(root / "corpus", 150, seed=3)
    cache = root / "places.csv"
    out = io.StringIO()
    run_batch([str(root / "corpus")], JsonlSink(out), jobs=1, settings=run_settings(cache), err=io.StringIO())
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(parquet, "ROWS_PER_GROUP", 16)  # many row groups …
        mp.setattr(parquet, "GROUPS_PER_PART", 4)  # … and several parts, as a big run has
        run_batch([str(root / "corpus")], ParquetSink(root / "run"), jobs=2, settings=run_settings(cache), err=io.StringIO())
    return [json.loads(line) for line in out.getvalue().splitlines()], root / "run"


def test_tables_read_back_in_pandas_with_the_jsonl_content(runs: tuple[list[dict[str, Any]], Path]) -> None:
    records, folder = runs
    assert sorted(p.name for p in folder.iterdir()) == sorted(TABLES)
    tables = {t: pd.read_parquet(folder / t) for t in TABLES}
    articles = tables["articles"]
    assert list(articles["path"]) == [r["path"] for r in records]
    assert list(articles["date"]) == [r["date"] for r in records]
    assert list(articles["article"]) == list(range(len(records)))
    assert [len(p) for p in articles["passages"]] == [len(r["passages"]) for r in records]

    places = tables["places"]
    expected = [(i, p["id"], p["lat"], p["lon"], len(p["mentions"])) for i, r in enumerate(records) for p in r["places"]]
    got = list(places[["article", "id", "lat", "lon", "mentions"]].itertuples(index=False, name=None))
    assert got == expected and len(got) > 150

    mentions = tables["mentions"]
    expected_m = [(i, p["id"], m["start"], m["end"], m["text"]) for i, r in enumerate(records) for p in r["places"] for m in p["mentions"]]
    assert list(mentions[["article", "place", "start", "end", "text"]].itertuples(index=False, name=None)) == expected_m

    links = tables["links"]
    expected_l = [(i, lk["id"], lk["kind"], tuple(lk["places"])) for i, r in enumerate(records) for lk in r["links"]]
    assert [(a, b, c, tuple(d)) for a, b, c, d in links[["article", "id", "kind", "places"]].itertuples(index=False, name=None)] == expected_l
    routes = tables["routes"]
    assert len(routes) == sum(len(r["routes"]) for r in records)
    # A join a user would write: how many articles name each place.
    top = places.groupby("name")["article"].nunique().sort_values(ascending=False)
    assert top.iloc[0] == max(sum(any(p["name"] == name for p in r["places"]) for r in records) for name in top.index)


def test_written_in_row_groups_and_parts(runs: tuple[list[dict[str, Any]], Path]) -> None:
    records, folder = runs
    parts = sorted((folder / "articles").glob("part-*.parquet"))
    assert len(parts) == -(-len(records) // (16 * 4))  # a part per 4 row groups of 16 articles
    assert [pq.ParquetFile(p).metadata.num_row_groups for p in parts][:-1] == [4] * (len(parts) - 1)
    assert pq.ParquetFile(parts[0]).metadata.row_group(0).num_rows == 16


def test_an_empty_run_still_has_its_tables(tmp_path: Path) -> None:
    sink = ParquetSink(tmp_path / "run")
    sink.close()
    for table in TABLES:
        df = pd.read_parquet(tmp_path / "run" / table)
        assert len(df) == 0 and "article" in df.columns


def test_force_replaces_an_old_run_only_when_the_new_one_is_whole(tmp_path: Path) -> None:
    target = tmp_path / "run"
    target.mkdir()
    (target / "old.txt").write_text("old", encoding="utf-8")
    sink = ParquetSink(target, force=True)
    assert (target / "old.txt").exists()  # still there while the new run is written
    sink.write({"path": "a.txt", "date": "", "title": "t", "language": "en", "passages": [], "places": [],
                "routes": [], "links": [], "unresolved": []})  # fmt: skip
    sink.close()
    assert sorted(p.name for p in target.iterdir()) == sorted(TABLES)
    assert [p.name for p in tmp_path.iterdir()] == ["run"]

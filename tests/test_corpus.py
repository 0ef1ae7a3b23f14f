"""A run aggregated for the corpus map (geo/corpus.py): places by the articles naming them, links by the
articles stating them; a jsonl run and a Parquet run of the same corpus aggregate alike."""

from __future__ import annotations

import io
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from corpus_gen import run_settings, write_corpus

from geo.batch import JsonlSink, run_batch
from geo.core.corpus import CorpusBuilder, place_key
from geo.core.errors import InputError
from geo.corpus import read_run
from geo.parquet import ParquetSink


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[dict[str, Any]]]:
    root = tmp_path_factory.mktemp("corpus")
    write_corpus(root / "corpus", 120, seed=5)
    out = io.StringIO()
    run_batch([str(root / "corpus")], JsonlSink(out), jobs=1, settings=run_settings(root / "places.csv"), err=io.StringIO())
    (root / "run.jsonl").write_text(out.getvalue(), encoding="utf-8")
    run_batch([str(root / "corpus")], ParquetSink(root / "run"), jobs=1, settings=run_settings(root / "places.csv"), err=io.StringIO())
    return root / "run.jsonl", root / "run", [json.loads(line) for line in out.getvalue().splitlines()]


def test_places_are_sized_by_the_articles_that_name_them(run: tuple[Path, Path, list[dict[str, Any]]]) -> None:
    jsonl, _, records = run
    corpus = read_run(jsonl)
    naming: dict[str, set[int]] = defaultdict(set)
    for i, rec in enumerate(records):
        for p in rec["places"]:
            naming[place_key(p)].add(i)
    assert {p.key: set(p.articles) for p in corpus.places} == naming
    counts = [len(p.articles) for p in corpus.places]
    assert counts == sorted(counts, reverse=True) and counts[0] > 5
    assert [a.path for a in corpus.articles] == [r["path"] for r in records]
    assert corpus.dated == sum(1 for r in records if r["date"])


def test_links_are_weighted_by_the_articles_that_state_them(run: tuple[Path, Path, list[dict[str, Any]]]) -> None:
    jsonl, _, records = run
    corpus = read_run(jsonl)
    assert corpus.links, "the generated corpus states links"
    keys = [p.key for p in corpus.places]
    for link in corpus.links[:20]:
        a, b = keys[link.ends[0]], keys[link.ends[1]]
        stating = set()
        for i, rec in enumerate(records):
            by_id = {p["id"]: place_key(p) for p in rec["places"]}
            for lk in rec["links"]:
                ends = {by_id[pid] for pid in lk["places"]}
                if lk["kind"] == link.kind and {a, b} <= ends:
                    stating.add(i)
        assert set(link.articles) == stating


def test_an_article_counts_once_however_often_it_names_a_place() -> None:
    place = {"id": "lima", "name": "Lima", "name_ar": "ليما", "kind": "city", "lat": -12.0, "lon": -77.0,
             "country": "PE", "source": "geonames", "source_id": "3936456"}  # fmt: skip
    other = {**place, "id": "oslo", "name": "Oslo", "source_id": "3143244", "lat": 59.9, "lon": 10.7}
    link = {"kind": "visit", "places": ["lima", "oslo"], "directed": False}
    builder = CorpusBuilder()
    builder.add({"path": "a.txt", "title": "A"}, [place, other], [link, link])
    builder.add({"path": "b.txt", "title": "B"}, [{**place, "id": "lima-pe"}], [])  # another id, the same entry
    corpus = builder.build()
    assert [(p.name, p.articles) for p in corpus.places] == [("Lima", (0, 1)), ("Oslo", (0,))]
    assert [(lk.kind, lk.articles) for lk in corpus.links] == [("visit", (0,))]


def test_jsonl_and_parquet_runs_aggregate_alike(run: tuple[Path, Path, list[dict[str, Any]]]) -> None:
    jsonl, folder, _ = run
    assert read_run(folder) == read_run(jsonl)


def test_bad_runs_are_input_errors(tmp_path: Path, run: tuple[Path, Path, list[dict[str, Any]]]) -> None:
    jsonl, folder, _ = run
    bad = tmp_path / "bad.jsonl"
    bad.write_text(jsonl.read_text(encoding="utf-8").splitlines()[0] + "\n{not json\n", encoding="utf-8")
    cases = {
        tmp_path / "missing.jsonl": "no such run",
        bad: "bad.jsonl:2: not a run record",
        tmp_path / "empty.jsonl": "has no articles",
        tmp_path: "not a Parquet run",
    }
    (tmp_path / "empty.jsonl").write_text("\n", encoding="utf-8")
    for path, words in cases.items():
        with pytest.raises(InputError, match=words):
            read_run(path)

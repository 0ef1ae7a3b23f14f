"""Batch extraction (geo/batch.py, geo/dask_engine.py): the Dask engine on a real local cluster gives,
article by article, what the in-process run gives; input is streamed through a bounded window; output
appears whole or not at all."""

from __future__ import annotations

import io
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from corpus_gen import run_geo, run_settings, write_corpus

from geo import batch
from geo.batch import JsonlSink, run_batch
from geo.engine import CHUNK, WINDOW_PER_WORKER

N_ARTICLES = 320


def geo(*args: str | Path, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return run_geo(*args, env=env, timeout=timeout)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], dict[str, str]]:
    """(folder, path → date written into the article, env) for a generated corpus of hundreds of articles."""
    root = tmp_path_factory.mktemp("batch")
    folder = root / "corpus"
    dates = write_corpus(folder, N_ARTICLES)
    (folder / "en" / "broken.txt").write_bytes(b"\x00\x01\x02 not text")  # fails in the middle, in order
    env = {"GEO_PLACES_CACHE": str(root / "places.csv"), "GEO_NOMINATIM": ""}
    return folder, dates, env


@pytest.fixture(scope="module")
def in_process(corpus: tuple[Path, dict[str, str], dict[str, str]]) -> list[dict[str, Any]]:
    folder, _, env = corpus
    r = geo("extract", folder, "--jobs", "1", env=env)
    assert r.returncode == 0, r.stderr
    return [json.loads(line) for line in r.stdout.splitlines()]


def places_of(record: dict[str, Any]) -> list[tuple[str, float, float, list[tuple[int, int]]]]:
    return [(p["id"], p["lat"], p["lon"], [(m["start"], m["end"]) for m in p["mentions"]]) for p in record["places"]]


def test_dask_engine_gives_the_in_process_places_article_by_article(
    corpus: tuple[Path, dict[str, str], dict[str, str]], in_process: list[dict[str, Any]]
) -> None:
    folder, dates, env = corpus
    r = geo("extract", folder, "--engine", "dask", "--jobs", "2", env=env)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    on_dask = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(on_dask) == len(in_process) == N_ARTICLES  # the broken file is skipped by both
    assert [rec["path"] for rec in on_dask] == [rec["path"] for rec in in_process]
    for local, remote in zip(in_process, on_dask):
        assert places_of(remote) == places_of(local), local["path"]
        assert remote == local  # and everything else: passages, routes, links, date
    assert sum(len(rec["places"]) for rec in on_dask) > 2 * N_ARTICLES  # the corpus names places, many of them
    assert "broken.txt" in r.stderr and r.stderr.count("skipped:") == 1


def test_input_order_and_dates_survive_the_run(
    corpus: tuple[Path, dict[str, str], dict[str, str]], in_process: list[dict[str, Any]]
) -> None:
    _, dates, _ = corpus
    paths = [rec["path"] for rec in in_process]
    assert paths == sorted(paths, key=lambda p: Path(p).parts)
    assert {rec["path"]: rec["date"] for rec in in_process} == dates  # dateline, file name and metadata alike
    assert sum(1 for d in dates.values() if d) > N_ARTICLES // 2 and sum(1 for d in dates.values() if not d) > 10


def test_workers_load_the_gazetteer_once_per_process(corpus: tuple[Path, dict[str, str], dict[str, str]], tmp_path: Path) -> None:
    """A cluster started here, reached through --scheduler's code path: each worker loaded the index once."""
    from distributed import Client, LocalCluster

    folder, _, _ = corpus
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None) as cluster:
        out = io.StringIO()
        report = run_batch([str(folder / "en")], JsonlSink(out), engine="dask", scheduler=cluster.scheduler_address,
                           settings=run_settings(tmp_path / "places.csv"), err=io.StringIO())  # fmt: skip
        with Client(cluster) as client:
            loads = client.run(lambda: __import__("geo.places.gazetteer").places.gazetteer.load.cache_info())
    assert report.articles == len(out.getvalue().splitlines()) + report.failed > 100
    assert len(loads) == 2
    assert all(info.misses == 1 for info in loads.values())  # built or read once per worker process
    chunks = -(-report.articles // CHUNK)
    assert sum(info.hits for info in loads.values()) >= chunks  # every chunk of articles reused it


class CountingSink(JsonlSink):
    """Records how far the reader had got each time a record was written."""

    def __init__(self, pulled: list[int]) -> None:
        super().__init__(io.StringIO())
        self.pulled, self.written, self.ahead = pulled, 0, 0

    def write(self, record: dict[str, Any]) -> None:
        super().write(record)
        self.written += 1
        self.ahead = max(self.ahead, self.pulled[0] - self.written)


@pytest.mark.parametrize(("engine", "jobs"), [("local", 2), ("dask", 2)])
def test_the_input_is_streamed_through_a_bounded_window(
    corpus: tuple[Path, dict[str, str], dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str, jobs: int
) -> None:
    folder, _, _ = corpus
    pulled = [0]
    real_iter_paths = batch.iter_paths

    def counting(paths: Any) -> Iterator[str]:
        for p in real_iter_paths(paths):
            pulled[0] += 1
            yield p

    monkeypatch.setattr(batch, "iter_paths", counting)
    sink = CountingSink(pulled)
    report = run_batch([str(folder)], sink, engine=engine, jobs=jobs, settings=run_settings(tmp_path / "places.csv"), err=io.StringIO())
    assert report.articles == N_ARTICLES + 1 and sink.written == N_ARTICLES
    window = jobs * WINDOW_PER_WORKER * CHUNK
    # Never more than the window (plus the chunk being read) between what was read and what was written.
    assert 0 < sink.ahead <= window + CHUNK < N_ARTICLES


def test_a_failed_run_leaves_no_output(corpus: tuple[Path, dict[str, str], dict[str, str]], tmp_path: Path) -> None:
    from geo.batch import AtomicTextSink
    from geo.parquet import ParquetSink

    folder, _, _ = corpus
    for sink in (AtomicTextSink(tmp_path / "run.jsonl"), ParquetSink(tmp_path / "run")):
        real_write = sink.write
        calls = [0]

        def failing(record: dict[str, Any], real_write: Any = real_write, calls: list[int] = calls) -> None:
            calls[0] += 1
            if calls[0] == 40:
                raise KeyboardInterrupt  # the user pressed Ctrl-C mid-run
            real_write(record)

        sink.write = failing  # type: ignore[method-assign]
        with pytest.raises(KeyboardInterrupt):
            run_batch([str(folder / "en")], sink, jobs=1, settings=run_settings(tmp_path / "places.csv"), err=io.StringIO())
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no run, no temporary file or folder left


def test_cli_errors_are_one_line(corpus: tuple[Path, dict[str, str], dict[str, str]], tmp_path: Path) -> None:
    folder, _, env = corpus
    (tmp_path / "taken.jsonl").write_text("keep me\n", encoding="utf-8")
    cases = [
        (("--format", "parquet"), "-o DIR"),
        (("-o", tmp_path / "taken.jsonl"), "already exists"),
        (("--scheduler", "tcp://127.0.0.1:1", "--engine", "local"), "--scheduler needs --engine dask"),
        (("--jobs", "-3"), "--jobs"),
        (("--format", "parquet", "-o", tmp_path / "no" / "such" / "dir"), "does not exist"),
    ]
    for extra, words in cases:
        r = geo("extract", folder, *extra, env=env)
        assert r.returncode == 2, (extra, r.stderr)
        assert words in r.stderr and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert (tmp_path / "taken.jsonl").read_text(encoding="utf-8") == "keep me\n"
    (tmp_path / "empty").mkdir()
    r = geo("extract", tmp_path / "empty", env=env)
    assert r.returncode == 2 and "no .txt articles" in r.stderr
    r = geo("extract", folder, tmp_path / "missing", env=env)
    assert r.returncode == 2 and "missing: no such file or folder" in r.stderr and not r.stdout


def test_unreachable_scheduler_is_a_one_line_error(corpus: tuple[Path, dict[str, str], dict[str, str]], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from geo import cli, dask_engine

    folder, _, _ = corpus
    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT", "2s")
    assert cli.main(["extract", str(folder / "en"), "--scheduler", "tcp://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err and len(err.strip().splitlines()) == 1


def test_explicit_files_in_the_given_order_to_a_stream(tmp_path: Path) -> None:
    """Files named one by one keep the caller's order; ``out=`` is the JSON-lines sink (callers that evaluate use it)."""
    (tmp_path / "b.txt").write_text("Talks opened in Lima on Monday.\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("تبدأ المحادثات في القاهرة يوم الاثنين.\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    report = run_batch([str(tmp_path / "b.txt"), str(tmp_path / "a.txt")], out=out, jobs=1,
                       settings=run_settings(tmp_path / "places.csv"), err=err)  # fmt: skip
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [Path(r["path"]).name for r in records] == ["b.txt", "a.txt"]
    assert [[p["name"] for p in r["places"]] for r in records] == [["Lima"], ["Cairo"]]
    assert (report.articles, report.failed, err.getvalue()) == (2, 0, "")

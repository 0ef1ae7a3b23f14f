"""The page's Corpus view (app.py) with AppTest: a run under GEO_RUNS_DIR becomes the corpus map, the
most-named places table and a download; a bad run is one error line, not a traceback."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from corpus_gen import run_settings, write_corpus
from streamlit.testing.v1 import AppTest

from geo.batch import JsonlSink, run_batch
from geo.corpus import read_run

APP = Path(__file__).resolve().parent.parent / "app.py"


@pytest.fixture(scope="module")
def runs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("runs")
    write_corpus(root / "corpus", 60, seed=9)
    out = io.StringIO()
    run_batch([str(root / "corpus")], JsonlSink(out), jobs=1, settings=run_settings(root / "places.csv"), err=io.StringIO())
    (root / "runs").mkdir()
    (root / "runs" / "wire.jsonl").write_text(out.getvalue(), encoding="utf-8")
    (root / "runs" / "broken.jsonl").write_text("{\n", encoding="utf-8")
    return root / "runs"


def corpus_app(runs_dir: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("GEO_RUNS_DIR", str(runs_dir))
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.run()
    at.sidebar.radio(key="view").set_value("Corpus").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_run_becomes_the_corpus_map(runs_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = corpus_app(runs_dir, monkeypatch)
    assert at.sidebar.selectbox(key="run_choice").options == ["(upload one)", "broken.jsonl", "wire.jsonl"]
    at.sidebar.selectbox(key="run_choice").set_value("wire.jsonl").run()
    assert not at.exception, [e.value for e in at.exception]
    corpus = read_run(runs_dir / "wire.jsonl")
    assert at.caption[0].value.startswith(f"{len(corpus.articles)} articles ({corpus.dated} dated) · {len(corpus.places)} places")
    frame = at.get("iframe")[0].proto.srcdoc
    assert '"articles":{"title":' in frame and "leaflet" in frame.lower()
    assert "https://" not in frame.split("<body>")[0]  # no CDN script or stylesheet: Leaflet is inlined
    table = at.dataframe[0].value
    assert list(table["place"][:5]) == [p.name for p in corpus.places[:5]]
    assert list(table["articles"][:5]) == [len(p.articles) for p in corpus.places[:5]]


def test_a_bad_run_is_one_error_line(runs_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = corpus_app(runs_dir, monkeypatch)
    at.sidebar.selectbox(key="run_choice").set_value("broken.jsonl").run()
    assert not at.exception
    shown = at.error[0].value.replace("\u2060", "").replace("\\", "")  # as md_escape shows it
    assert "broken.jsonl:1: not a run record" in shown
    assert not at.get("iframe")


def test_the_corpus_view_draws_offline_in_the_real_page(
    runs_dir: Path, start_streamlit: Any, page: Any, blocked_requests: list[str], page_errors: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The real page in Chromium: View → Corpus, pick the run, the map draws in its iframe with nothing from the network."""
    monkeypatch.setenv("GEO_RUNS_DIR", str(runs_dir))
    # Its own server (distinct arguments), started with GEO_RUNS_DIR in its environment.
    base = start_streamlit(APP, extra_args=("--theme.base", "light"))
    corpus = read_run(runs_dir / "wire.jsonl")
    page.goto(base)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Corpus", exact=True).click(timeout=120_000)  # the first run maps the seed article first
    picker = sidebar.locator('[data-testid="stSelectbox"]').filter(has_text="Runs in")
    picker.wait_for(timeout=120_000)
    picker.click()
    page.get_by_role("option", name="wire.jsonl").click()
    frame = page.frame_locator("iframe").first
    container = frame.locator(".leaflet-container[data-places]")
    container.wait_for(state="attached", timeout=60_000)
    assert container.get_attribute("data-places") == str(len(corpus.places))
    assert container.get_attribute("data-articles") == str(len(corpus.articles))
    assert page_errors == []
    assert blocked_requests == []

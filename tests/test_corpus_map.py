"""The corpus map (geo/render/corpus_map.py, ``geo corpus-map``): a 2,000-article run drawn offline from one
file in Chromium, its time filter and its click-to-list; untrusted text stays text."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from corpus_gen import run_geo, write_corpus

from geo.corpus import read_run
from geo.render.corpus_map import FIRST_LINKS, corpus_payload, render_corpus_map

N_ARTICLES = 2000


def geo(*args: str | Path, env: dict[str, str], timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return run_geo(*args, env=env, timeout=timeout)


@pytest.fixture(scope="module")
def big_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A 2,000-article generated corpus run on a local Dask cluster into Parquet, then mapped: (run, map.html)."""
    root = tmp_path_factory.mktemp("corpus-map")
    write_corpus(root / "corpus", N_ARTICLES, seed=2000)
    env = {"GEO_PLACES_CACHE": str(root / "places.csv"), "GEO_NOMINATIM": ""}
    r = geo("extract", root / "corpus", "--engine", "dask", "--format", "parquet", "-o", root / "run", env=env)
    assert r.returncode == 0, r.stderr
    r = geo("corpus-map", root / "run", "-o", root / "map.html", "--title", "Generated wire", env=env)
    assert r.returncode == 0, r.stderr
    assert f"{N_ARTICLES:,} articles" in r.stderr
    return root / "run", root / "map.html"


def map_js(page: Any, body: str) -> Any:
    """Evaluate ``body`` with ``map`` bound to the page's Leaflet map."""
    return page.evaluate(
        "(() => { const map = Object.values(window).find(v => v instanceof L.Map); " + body + " })()"
    )


def click_latlon(page: Any, lat: float, lon: float) -> None:
    x, y = map_js(page, f"const p = map.latLngToContainerPoint([{lat}, {lon}]); const r = map.getContainer()"
                        ".getBoundingClientRect(); return [r.left + p.x, r.top + p.y];")  # fmt: skip
    page.mouse.click(x, y)


def test_payload_is_compact_and_refers_only_to_its_own_rows(big_run: tuple[Path, Path]) -> None:
    run, _ = big_run
    corpus = read_run(run)
    data = corpus_payload(corpus)
    assert len(data["articles"]["title"]) == N_ARTICLES
    n_places = len(data["places"])
    assert all(0 <= lk[1] < n_places and 0 <= lk[2] < n_places for lk in data["links"])
    assert all(0 <= i < N_ARTICLES for p in data["places"] for i in p[6])
    assert sum(1 for lk in corpus.links if len(lk.articles) >= data["limits"]["minLink"]) <= FIRST_LINKS


@pytest.mark.browser
def test_a_2000_article_run_draws_offline_from_one_file(
    page: Any, big_run: tuple[Path, Path], blocked_requests: list[str], page_errors: list[str], dialogs: list
) -> None:
    run, html_path = big_run
    corpus = read_run(run)
    page.goto(html_path.as_uri())
    page.wait_for_selector(".leaflet-container[data-places]", state="attached")
    container = page.locator(".leaflet-container")
    assert container.get_attribute("data-articles") == str(N_ARTICLES)
    assert container.get_attribute("data-places") == str(len(corpus.places))  # every place named in the run
    drawn_links = int(container.get_attribute("data-links"))
    assert 0 < drawn_links <= FIRST_LINKS
    assert "Generated wire" in page.locator(".corpus-filter").inner_text()
    assert page.locator("canvas").count() >= 1  # one canvas, not an SVG element per item

    # Time filter: pull "To" back to the middle day; the undated articles stay unless unticked.
    days = sorted({a.date for a in corpus.articles if a.date})
    undated = sum(1 for a in corpus.articles if not a.date)
    mid = len(days) // 2
    page.locator("input.corpus-to").evaluate(f"(el) => {{ el.value = {mid}; el.dispatchEvent(new Event('input')); }}")
    expected = sum(1 for a in corpus.articles if a.date and a.date <= days[mid]) + undated
    page.wait_for_function(f"document.querySelector('.leaflet-container').dataset.articles === '{expected}'")
    page.locator(".corpus-filter input[type=checkbox]").uncheck()
    page.wait_for_function(f"document.querySelector('.leaflet-container').dataset.articles === '{expected - undated}'")
    in_range = {i for i, a in enumerate(corpus.articles) if a.date and a.date <= days[mid]}
    still = sum(1 for p in corpus.places if in_range & set(p.articles))
    assert container.get_attribute("data-places") == str(still)

    # Click the most-named place: the list shows the articles in range that name it, oldest first.
    top = corpus.places[0]
    click_latlon(page, top.lat, top.lon)
    listing = page.locator(".corpus-list")
    listing.wait_for(state="visible")
    heading = listing.locator("h3").inner_text()
    clicked = next(p for p in corpus.places if heading in (p.name, f"{p.name} · {p.name_ar}"))
    naming = [i for i in clicked.articles if i in in_range]
    assert listing.locator(".corpus-count").inner_text() == f"{len(naming)} articles"
    shown = listing.locator(".corpus-article").count()
    assert shown == min(len(naming), 300) > 0
    dates = [d for d in listing.locator(".corpus-article .when").all_inner_texts()]
    assert dates == sorted(dates) and all(d <= days[mid] for d in dates)

    assert page_errors == [] and dialogs == []
    assert blocked_requests == []  # nothing even tried to leave the machine


@pytest.mark.browser
def test_untrusted_run_text_stays_text(page: Any, tmp_path: Path, page_errors: list, dialogs: list) -> None:
    evil = "</script><script>window.pwned = 1</script>{{ 7*7 }}${x}`"
    place = {"id": "lima", "name": "<img src=x onerror=window.pwned=2>", "name_ar": "", "kind": "city", "lat": -12.05,
             "lon": -77.04, "country": "PE", "source": "geonames", "source_id": "1", "confidence": 1.0, "mentions": []}  # fmt: skip
    record = {"path": evil + ".txt", "date": "2024-01-02", "title": evil, "language": "en", "passages": [],
              "places": [place], "routes": [], "links": [], "unresolved": []}  # fmt: skip
    run = tmp_path / "evil.jsonl"
    run.write_text(json.dumps(record) + "\n", encoding="utf-8")
    html = render_corpus_map(read_run(run), title=evil)
    assert "<script>window.pwned" not in html and "<img src=x" not in html
    (tmp_path / "map.html").write_text(html, encoding="utf-8")
    page.goto((tmp_path / "map.html").as_uri())
    page.wait_for_selector(".leaflet-container[data-places='1']", state="attached")
    click_latlon(page, -12.05, -77.04)
    page.locator(".corpus-list").wait_for(state="visible")
    assert page.locator(".corpus-list h3").inner_text() == place["name"]
    assert page.locator(".corpus-article .title").inner_text() == evil
    assert evil in page.title()
    assert page.evaluate("window.pwned") is None
    assert page_errors == [] and dialogs == []

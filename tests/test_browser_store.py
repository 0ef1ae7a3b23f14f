"""Shareable, correctable stories in Debian Chromium: a published URL in a fresh browser, a correction that
survives a server restart (map, HTML and GeoJSON downloads), one history entry per selection.

Every page blocks all non-loopback traffic (conftest ``page``); the store is the session's file (GEO_STORE).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO_ROOT, _free_port, _healthy
from test_browser import (
    MAP_IFRAME,
    TIMEOUT_MS,
    assert_offline_and_clean,
    open_page,
    wait_for_passages,
)

from geo.pipeline import analyse
from geo.store import Store

pytestmark = pytest.mark.browser

# Written for these tests: nobody has seen them before the test publishes them.
PUBLISHED = (
    "Harbour talks in Valparaíso\n"
    "The trade delegation sailed from Valparaíso to Auckland in March.\n"
    "Chile and New Zealand agreed to hold a joint exercise next year.\n"
    "The weather was calm.\n"
)
CORRECTED = (
    "Rail summit in Vienna\n"
    "The ministers took the train from Vienna to Budapest, then on to Belgrade.\n"
    "Officials in Paris voiced concern about the timetable.\n"
)


class Server:
    """``streamlit run app.py`` on a free loopback port that a test can stop and start again."""

    def __init__(self, log: Path) -> None:
        self.log, self.proc, self.url = log, None, ""

    def start(self) -> str:
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "app.py"), "--server.headless", "true",
                 "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
                 "--server.enableStaticServing", "true"],
                cwd=REPO_ROOT, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env={**os.environ},
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while not _healthy(self.url):
            assert self.proc.poll() is None and time.monotonic() < deadline, self.log.read_text(errors="replace")
            time.sleep(0.1)
        return self.url

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    s = Server(tmp_path / "streamlit.log")
    yield s
    s.stop()


def test_published_article_opens_in_a_fresh_browser(
    page: Any, server: Server, blocked_requests: list[str], page_errors: list[str]
) -> None:
    base = server.start()
    article = Path(os.environ["GEO_STORE"]).parent / "published.txt"
    article.write_text(PUBLISHED, encoding="utf-8")
    cli = subprocess.run([sys.executable, "-m", "geo", "publish", str(article), "--base-url", base + "/"],
                         cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert cli.returncode == 0, cli.stderr
    url = cli.stdout.strip()
    assert re.fullmatch(re.escape(base) + r"/\?article=[0-9a-f]{16}", url)

    story = analyse(PUBLISHED, "Harbour talks in Valparaíso")
    frame = open_page(page, url)  # the page fixture is a new browser context: no cookies, no session
    wait_for_passages(page, [p.id for p in story.passages])
    assert "Auckland" in page.locator("div.passage").nth(1).inner_text()
    for place in story.places:
        frame.locator(f"path.place-{place.id}").first.wait_for(state="attached", timeout=TIMEOUT_MS)
    # "Map" buttons: only the passages that name places have one.
    with_places = sorted({m.passage for m in story.mentions})
    assert page.get_by_role("button", name="Map", exact=True).count() == len(with_places) < len(story.passages)
    assert_offline_and_clean(blocked_requests, page_errors)


def download(page: Any, label: str) -> tuple[str, str]:
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.get_by_role("button", name=label).click()
    d = info.value
    return d.suggested_filename, Path(d.path()).read_text(encoding="utf-8")


def test_a_correction_survives_a_server_restart_in_map_and_downloads(
    browser: Any, page: Any, server: Server, blocked_requests: list[str], page_errors: list[str]
) -> None:
    aid = Store(os.environ["GEO_STORE"]).put_article(CORRECTED).id
    story = analyse(CORRECTED, Store(os.environ["GEO_STORE"]).article(aid).title)
    assert "paris" in {p.id for p in story.places}
    base = server.start()
    frame = open_page(page, f"{base}/?article={aid}&place=paris")
    page.get_by_text("Correct this map").click()
    page.get_by_role("button", name="Remove this place").click()
    page.wait_for_url(re.compile(rf"/\?article={aid}$"), timeout=TIMEOUT_MS)
    frame.locator("path.place-vienna").first.wait_for(state="attached", timeout=TIMEOUT_MS)
    page.wait_for_function(
        "() => !document.querySelector('[data-stale=\"true\"]') && document.body.innerText.includes('1 correction')",
        timeout=TIMEOUT_MS,
    )
    assert [c.body for c in Store(os.environ["GEO_STORE"]).corrections(aid)] == [{"op": "remove_place", "target": "paris"}]

    server.stop()
    base = server.start()  # a new process: nothing survives but the store file
    fresh = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    try:
        fresh.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else
                    (blocked_requests.append(route.request.url), route.abort("blockedbyclient")))
        p2 = fresh.new_page()
        p2.on("pageerror", lambda e: page_errors.append(str(e)))
        frame = open_page(p2, f"{base}/?article={aid}")
        frame.locator("path.place-belgrade").first.wait_for(state="attached", timeout=TIMEOUT_MS)
        assert p2.frame_locator(MAP_IFRAME).locator("path.place-paris").count() == 0
        assert p2.locator('mark[data-place="paris"]').count() == 0, "the passages no longer mark it"
        name, html = download(p2, "Map (HTML)")
        assert name.endswith(f"{aid[:8]}-map.html") and name.startswith("rail-summit-in-vienna")
        assert "Corrected by a reader: 1 correction" in html and "place-paris" not in html and "place-vienna" in html
        name, raw = download(p2, "Story (GeoJSON)")
        data = json.loads(raw)
        assert name.endswith("story.geojson") and data["article"] == aid and data["corrections"] == 1
        assert "paris" not in {f["id"] for f in data["features"]}
        assert any(f["properties"]["layer"] == "route" for f in data["features"])
    finally:
        fresh.close()
    assert_offline_and_clean(blocked_requests, page_errors)


def test_one_history_entry_per_selection_and_back_returns(
    page: Any, streamlit_server: str, seed_text: str, blocked_requests: list[str], page_errors: list[str]
) -> None:
    story = analyse(seed_text)
    mapped = sorted({m.passage for m in story.mentions})
    first, second = mapped[0], mapped[2]
    open_page(page, streamlit_server + "/")
    start = page.evaluate("history.length")
    page.locator(f'.st-key-passage-{first} button').first.click()
    page.wait_for_url(re.compile(rf"\?article=[0-9a-f]{{16}}&passage={first}$"), timeout=TIMEOUT_MS)
    wait_for_passages(page, [first])
    page.get_by_role("button", name="Show all passages").click()
    page.wait_for_url(re.compile(r"\?article=[0-9a-f]{16}$"), timeout=TIMEOUT_MS)
    wait_for_passages(page, [p.id for p in story.passages])
    page.locator(f'.st-key-passage-{second} button').first.click()
    page.wait_for_url(re.compile(rf"&passage={second}$"), timeout=TIMEOUT_MS)
    wait_for_passages(page, [second])
    assert page.evaluate("history.length") == start + 3, "three selections, three entries"

    page.go_back()
    page.wait_for_url(re.compile(r"\?article=[0-9a-f]{16}$"), timeout=TIMEOUT_MS)
    wait_for_passages(page, [p.id for p in story.passages])
    page.go_back()
    page.wait_for_url(re.compile(rf"&passage={first}$"), timeout=TIMEOUT_MS)
    wait_for_passages(page, [first])
    assert_offline_and_clean(blocked_requests, page_errors)


def test_type_ahead_search_adds_a_missed_place(
    page: Any, streamlit_server: str, blocked_requests: list[str], page_errors: list[str]
) -> None:
    text = PUBLISHED.replace("Harbour talks", "Harbour meeting")
    aid = Store(os.environ["GEO_STORE"]).put_article(text).id
    frame = open_page(page, f"{streamlit_server}/?article={aid}")
    page.get_by_text("Correct this map").click()
    box = page.get_by_label("Add a missed place: search the gazetteer (Arabic or English)")
    box.press_sequentially("ويلينغت", delay=40)  # no Enter: the results follow the typing
    add = page.get_by_role("button", name="Add this place")  # shown once the typed name has matches
    add.wait_for(timeout=TIMEOUT_MS)
    add.click()
    page.wait_for_url(re.compile(rf"/\?article={aid}&place=wellington"), timeout=TIMEOUT_MS)
    frame.locator("path.place-wellington").first.wait_for(state="attached", timeout=TIMEOUT_MS)
    assert Store(os.environ["GEO_STORE"]).corrections(aid)[-1].body["place"]["country"] == "NZ"
    assert_offline_and_clean(blocked_requests, page_errors)

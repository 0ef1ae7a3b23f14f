"""The real dashboard in Debian Chromium: `streamlit run app.py` on loopback, every other request blocked.

Fixtures come from conftest.py (``streamlit_server``, ``page``, ``blocked_requests``, ``dialogs``,
``page_errors``). Waits are on selectors and page state, never on fixed sleeps. Expected passages are
computed with ``geo.pipeline.analyse`` from the same article the server maps.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import is_local_url

from geo.core.model import Story
from geo.pipeline import analyse

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO_ROOT / "artifacts"
# The live map: during a rerun Streamlit keeps the previous map's iframe, marked stale, beside the new one.
MAP_IFRAME = '[data-testid="stElementContainer"][data-stale="false"] iframe[title="geo.render.live_map.story_map"]'
TIMEOUT_MS = 60_000  # generous: the first page load also builds the gazetteer on a 2-core machine

ARABIC_ARTICLE = (
    "زيارة إلى القاهرة\n"
    "وصل وزير الخارجية إلى القاهرة قادما من الرياض يوم الاثنين.\n"
    "ثم توجه الوزير إلى دمشق لإجراء محادثات مع المسؤولين.\n"
)
PAYLOAD_ARTICLE = (
    "Diplomats in Paris said the note <img src=x onerror=alert(1)> reached Berlin on Monday.\n"
    "A second message, </script><script>alert(2)</script>, was sent from Berlin to Paris.\n"
    "In Paris: `tick`, ${alert(3)}, {{ 7*7 }}, {% if 1 %}x{% endif %}, \"dq\" and 'sq' for Berlin.\n"
)

# Passage ids shown by the page, in order, ignoring elements Streamlit marks stale during a rerun.
_SHOWN_IDS_JS = """() => [...document.querySelectorAll('div.passage')]
    .filter(e => !e.closest('[data-stale="true"]'))
    .map(e => Number(e.dataset.passage))"""


@pytest.fixture(scope="module")
def seed_story(seed_text: str) -> Story:
    return analyse(seed_text)


def mentioning(story: Story, place_id: str) -> list[int]:
    return sorted({m.passage for m in story.mentions if m.place == place_id})


def open_page(page: Any, url: str) -> Any:
    """Go to ``url`` and wait until the map has drawn its vector layers; returns the map frame."""
    page.goto(url)
    page.wait_for_selector(MAP_IFRAME, state="attached", timeout=TIMEOUT_MS)
    frame = page.frame_locator(MAP_IFRAME)
    frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=TIMEOUT_MS)
    page.wait_for_selector("div.passage", timeout=TIMEOUT_MS)
    return frame


def wait_for_passages(page: Any, expected: list[int]) -> None:
    """Wait until exactly ``expected`` passages (ids, in order) are shown, with nothing stale left."""
    page.wait_for_function(
        f"(want) => JSON.stringify(({_SHOWN_IDS_JS})()) === JSON.stringify(want)"
        " && !document.querySelector('[data-stale=\"true\"] div.passage')",
        arg=expected,
        timeout=TIMEOUT_MS,
    )


def choose_source(page: Any, option: str) -> None:
    """Pick ``option`` in the sidebar's "Source" selectbox."""
    page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="Source").click()
    page.get_by_role("option", name=option, exact=True).click()


def wait_for_map_drawn(page: Any) -> None:
    """Wait until Leaflet's SVG overlay covers the whole map: the iframe starts at height 0 and grows,
    and until Leaflet catches up only part of the vector layers is drawn."""
    frame = page.locator(MAP_IFRAME).element_handle(timeout=TIMEOUT_MS).content_frame()
    frame.wait_for_function(
        """() => {
            const map = document.querySelector('.leaflet-container');
            const svg = document.querySelector('.leaflet-overlay-pane svg');
            return map && svg && map.clientHeight > 0
                && Number(svg.getAttribute('width')) >= map.clientWidth
                && Number(svg.getAttribute('height')) >= map.clientHeight;
        }""",
        timeout=TIMEOUT_MS,
    )


def assert_offline_and_clean(blocked_requests: list[str], page_errors: list[str]) -> None:
    assert blocked_requests == [], f"the page tried to leave the machine: {blocked_requests}"
    assert page_errors == [], page_errors


def test_seed_page_offline_marker_click_filters_passages(
    page: Any, streamlit_server: str, seed_story: Story, blocked_requests: list[str], page_errors: list[str]
) -> None:
    frame = open_page(page, streamlit_server + "/")
    wait_for_passages(page, [p.id for p in seed_story.passages])
    assert frame.locator("path.leaflet-interactive").count() > 0
    for place in seed_story.places:
        assert frame.locator(f"path.place-{place.id}").count() == 1, place.id

    wait_for_map_drawn(page)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000, "a real screenshot, not an empty image"

    # Map → text: a click on the Vladivostok marker selects it in the URL and filters the passages.
    frame.locator("path.place-vladivostok").dispatch_event("click")
    page.wait_for_url(re.compile(r"/\?article=[0-9a-f]{16}&place=vladivostok$"), timeout=TIMEOUT_MS)
    expected = mentioning(seed_story, "vladivostok")
    wait_for_passages(page, expected)
    shown = page.locator("div.passage")
    assert shown.count() == len(expected)
    for i in range(shown.count()):
        assert shown.nth(i).locator('mark[data-place="vladivostok"]').count() >= 1
    # The map redrew with the place outlined as selected.
    frame.locator("path.place-vladivostok.place-selected").wait_for(state="attached", timeout=TIMEOUT_MS)
    assert_offline_and_clean(blocked_requests, page_errors)


def test_place_url_and_show_all(
    page: Any, streamlit_server: str, seed_story: Story, blocked_requests: list[str], page_errors: list[str]
) -> None:
    open_page(page, streamlit_server + "/?place=seoul")
    expected = mentioning(seed_story, "seoul")
    wait_for_passages(page, expected)
    for i in range(len(expected)):
        assert page.locator("div.passage").nth(i).locator('mark[data-place="seoul"]').count() >= 1
        assert page.locator("div.passage").nth(i).get_attribute("dir") == "rtl"

    page.get_by_role("button", name="Show all passages").click()
    wait_for_passages(page, [p.id for p in seed_story.passages])
    page.wait_for_url(re.compile(r"/\?article=[0-9a-f]{16}$"), timeout=TIMEOUT_MS)
    # Streamlit removes the previous run's elements when the run ends: wait for that, not for a count now.
    page.get_by_role("button", name="Show all passages").wait_for(state="detached", timeout=TIMEOUT_MS)
    assert_offline_and_clean(blocked_requests, page_errors)


def test_selected_place_popup_is_open(page: Any, streamlit_server: str) -> None:
    """?place=<id> outlines the place and opens its popup (a regression test: it once stayed closed)."""
    frame = open_page(page, streamlit_server + "/?place=vladivostok")
    frame.locator("path.place-vladivostok.place-selected").wait_for(state="attached", timeout=TIMEOUT_MS)
    frame.locator('.leaflet-popup-content [data-place-id="vladivostok"]').wait_for(timeout=15_000)


def test_passage_map_buttons_show_their_whole_label(page: Any, streamlit_server: str) -> None:
    open_page(page, streamlit_server + "/")
    buttons = page.get_by_role("button", name="Map", exact=True)
    assert buttons.count() > 0
    overflow = buttons.first.evaluate(
        """(button) => {
            const range = document.createRange();
            range.selectNodeContents(button);
            const text = range.getBoundingClientRect(), box = button.getBoundingClientRect();
            return Math.max(0, box.left - text.left) + Math.max(0, text.right - box.right);
        }"""
    )
    assert overflow < 1, f"the label sticks out of its button by {overflow:.1f} px (clipped)"


def test_upload_cp1256_arabic_article(
    page: Any, streamlit_server: str, tmp_path: Path, blocked_requests: list[str], page_errors: list[str]
) -> None:
    story = analyse(ARABIC_ARTICLE)
    places = {p.id for p in story.places}
    assert {"cairo", "riyadh", "damascus"} <= places
    article = tmp_path / "cairo-visit.txt"
    article.write_bytes(ARABIC_ARTICLE.encode("cp1256"))

    open_page(page, streamlit_server + "/")
    choose_source(page, "Upload a .txt file")
    page.locator('[data-testid="stSidebar"] input[type="file"]').set_input_files(str(article))
    wait_for_passages(page, [p.id for p in story.passages])
    frame = page.frame_locator(MAP_IFRAME)
    for pid in places:
        frame.locator(f"path.place-{pid}").wait_for(state="attached", timeout=TIMEOUT_MS)
        assert page.locator(f'div.passage mark[data-place="{pid}"]').count() >= 1
    assert frame.locator("path.place-vladivostok").count() == 0, "the seed's map was replaced"
    assert "القاهرة" in page.locator("div.passage").first.inner_text(), "decoded from cp1256"
    assert_offline_and_clean(blocked_requests, page_errors)


def test_pasted_injection_payload_shows_as_text(
    page: Any,
    streamlit_server: str,
    dialogs: list[Any],
    blocked_requests: list[str],
    page_errors: list[str],
) -> None:
    story = analyse(PAYLOAD_ARTICLE)
    assert {"paris", "berlin"} <= {p.id for p in story.places}

    open_page(page, streamlit_server + "/")
    choose_source(page, "Paste text")
    box = page.get_by_label("Article text (Arabic or English)")
    box.fill(PAYLOAD_ARTICLE)
    box.press("Control+Enter")  # commit the text area
    wait_for_passages(page, [p.id for p in story.passages])
    texts = page.locator("div.passage").all_inner_texts()
    for passage, shown in zip(story.passages, texts):
        assert passage.text in shown, "the payload is shown literally"
    assert page.locator("div.passage img").count() == 0
    assert page.locator("div.passage script").count() == 0

    # Open the Paris popup. The first click selects Paris and redraws the map (closing any popup);
    # a second click on the redrawn marker changes no selection, so the popup it opens stays.
    frame = page.frame_locator(MAP_IFRAME)
    frame.locator("path.place-paris").wait_for(state="attached", timeout=TIMEOUT_MS)
    frame.locator("path.place-paris").dispatch_event("click")
    page.wait_for_url(re.compile(r"/\?article=[0-9a-f]{16}&place=paris$"), timeout=TIMEOUT_MS)
    frame.locator("path.place-paris.place-selected").wait_for(state="attached", timeout=TIMEOUT_MS)
    wait_for_passages(page, sorted({m.passage for m in story.mentions if m.place == "paris"}))
    frame.locator("path.place-paris").dispatch_event("click")
    popup = frame.locator('.leaflet-popup-content:has([data-place-id="paris"])')
    popup.wait_for(timeout=TIMEOUT_MS)
    popup_text = popup.inner_text()
    assert "<img src=x onerror=alert(1)>" in popup_text
    assert "</script><script>alert(2)</script>" in popup_text
    assert "`tick`, ${alert(3)}, {{ 7*7 }}, {% if 1 %}x{% endif %}, \"dq\" and 'sq'" in popup_text
    assert popup.locator("img, script").count() == 0

    assert dialogs == [], f"a script from the article ran: {dialogs}"
    assert_offline_and_clean(blocked_requests, page_errors)


# --- a map a reader can read (issue 12) -----------------------------------------------------------

# What the reader sees at the current view: the story's names inside the map, overlaps between any two shown
# names (story, country and city names alike), and for each place marker whether its centre lies in the map
# and whether the element under that centre is the marker itself (nothing hides it).
MAP_READABILITY_JS = """() => {
    const box = document.querySelector('.leaflet-container').getBoundingClientRect();
    const shown = [...document.querySelectorAll('.story-label')].filter(e => e.style.visibility !== 'hidden'
        && e.offsetParent !== null);
    const rects = shown.map(e => e.getBoundingClientRect());
    let overlaps = 0;
    for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) {
        const a = rects[i], b = rects[j];
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps++;
    }
    const inside = r => r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom;
    const named = shown.filter(e => e.classList.contains('place') && inside(e.getBoundingClientRect()));
    const markers = [...document.querySelectorAll('path.place')].map(p => {
        const r = p.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
        const inView = x >= box.left && x <= box.right && y >= box.top && y <= box.bottom;
        return {id: p.getAttribute('class').split(' ')[1], inView, hit: inView && document.elementFromPoint(x, y) === p};
    });
    // A name over a marker (1 px of slack for anti-aliasing): names must leave markers clear.
    const circles = [...document.querySelectorAll('path.place')].map(p => p.getBoundingClientRect());
    const onMarkers = rects.filter(a => circles.some(b => a.left < b.right - 1 && b.left + 1 < a.right
        && a.top < b.bottom - 1 && b.top + 1 < a.bottom)).length;
    return {named: named.map(e => e.textContent), overlaps, onMarkers, markers};
}"""
# The page's selection script (geo.render.selection) has fitted the view and opened its popup.
SETTLED_JS = "() => window.storySelectionDone === true"
LAID_OUT_JS = "() => document.querySelectorAll('.story-label.place').length > 0 && [...document.querySelectorAll('.story-label.place')].some(e => e.style.visibility !== 'hidden')"


def map_frame(page: Any) -> Any:
    return page.locator(MAP_IFRAME).element_handle(timeout=TIMEOUT_MS).content_frame()


def assert_readable(stats: dict, places: int) -> None:
    """The issue's floor: ≥ 80% of the story's places named inside the map, no two names overlapping, and
    every marker in view is the element under its own centre."""
    assert len(stats["named"]) >= 0.8 * places, stats["named"]
    assert stats["overlaps"] == 0
    assert stats["onMarkers"] == 0, "a name covers a marker"
    hidden = [m["id"] for m in stats["markers"] if m["inView"] and not m["hit"]]
    assert hidden == [], f"markers hidden under something else: {hidden}"


def test_first_view_names_places_and_every_marker_is_reachable(
    page: Any, streamlit_server: str, seed_story: Story, blocked_requests: list[str], page_errors: list[str]
) -> None:
    open_page(page, streamlit_server + "/")
    wait_for_map_drawn(page)
    frame = map_frame(page)
    frame.wait_for_function(SETTLED_JS, timeout=TIMEOUT_MS)
    frame.wait_for_function(LAID_OUT_JS, timeout=TIMEOUT_MS)
    stats = frame.evaluate(MAP_READABILITY_JS)
    assert_readable(stats, len(seed_story.places))
    # The story's cities and countries are all in the first view (only far-off sea points may lie outside).
    outside = {m["id"] for m in stats["markers"] if not m["inView"]}
    areas = {f"place-{p.id}" for p in seed_story.places if p.kind in ("water", "region")}
    assert outside <= areas, outside
    # Country names come from the basemap, in the article's language.
    assert frame.locator(".story-label.country[dir='rtl']").count() > 10
    assert_offline_and_clean(blocked_requests, page_errors)


def test_train_passage_map_fills_the_view_with_the_route(
    page: Any, streamlit_server: str, seed_story: Story, blocked_requests: list[str], page_errors: list[str]
) -> None:
    train = next(r for r in seed_story.routes if r.mode == "train")
    passage = train.passages[0]
    open_page(page, streamlit_server + f"/?passage={passage}")
    wait_for_passages(page, [passage])
    wait_for_map_drawn(page)
    frame = map_frame(page)
    frame.wait_for_function(SETTLED_JS, timeout=TIMEOUT_MS)
    frame.wait_for_function(LAID_OUT_JS, timeout=TIMEOUT_MS)
    share = frame.evaluate(
        """() => {
            const box = document.querySelector('.leaflet-container').getBoundingClientRect();
            const r = document.querySelector('path.route-train').getBoundingClientRect();
            const inside = r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
            return {inside, width: r.width / box.width, height: r.height / box.height};
        }"""
    )
    assert share["inside"], share
    assert max(share["width"], share["height"]) >= 0.5, f"the route is a speck in the view: {share}"
    assert_offline_and_clean(blocked_requests, page_errors)


def test_narrow_screen_popup_stays_inside_the_map(
    browser: Any, streamlit_server: str, blocked_requests: list[str]
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="block")
    context.route("**/*", lambda route: route.continue_() if is_local_url(route.request.url)
                  else (blocked_requests.append(route.request.url), route.abort("blockedbyclient")))
    page = context.new_page()
    try:
        open_page(page, streamlit_server + "/?place=pyongyang")
        frame = map_frame(page)
        frame.wait_for_function(SETTLED_JS, timeout=TIMEOUT_MS)
        frame.wait_for_selector('.leaflet-popup-content [data-place-id="pyongyang"]', timeout=TIMEOUT_MS)
        frame.wait_for_timeout(600)  # the popup's own pan into view
        fit = frame.evaluate(
            """() => {
                const box = document.querySelector('.leaflet-container').getBoundingClientRect();
                const r = document.querySelector('.leaflet-popup').getBoundingClientRect();
                const close = document.querySelector('.leaflet-popup-close-button').getBoundingClientRect();
                const title = document.querySelector('.leaflet-popup-content .title').getBoundingClientRect();
                const within = (a) => a.left >= box.left - 1 && a.right <= box.right + 1 && a.top >= box.top - 1 && a.bottom <= box.bottom + 1;
                return {popup: within(r), close: within(close), title: within(title),
                        rtl: getComputedStyle(document.querySelector('.story-popup')).direction};
            }"""
        )
        assert fit == {"popup": True, "close": True, "title": True, "rtl": "rtl"}, fit
        assert blocked_requests == []
    finally:
        context.close()


def test_a_marker_click_is_one_report_and_keeps_the_map(
    page: Any, streamlit_server: str, seed_story: Story, blocked_requests: list[str], page_errors: list[str]
) -> None:
    """A click on a marker sends the page one value, at once (geo.render.selection.ClickReport), so it causes one
    script run; the selection is drawn in the same map document (its iframe is not rebuilt)."""
    frame = open_page(page, streamlit_server + "/")
    wait_for_map_drawn(page)
    page.evaluate(
        """() => { window.reports = [];
        window.addEventListener('message', e => {
            if (e.data && e.data.type === 'streamlit:setComponentValue') { window.reports.push(e.data.value); } }); }"""
    )
    frame.locator("body").evaluate("() => { window.sameMap = true; }")
    frame.locator("path.place-vladivostok").dispatch_event("click")
    page.wait_for_url(re.compile(r"/\?article=[0-9a-f]{16}&place=vladivostok$"), timeout=TIMEOUT_MS)
    wait_for_passages(page, mentioning(seed_story, "vladivostok"))
    frame.locator("path.place-vladivostok.place-selected").wait_for(state="attached", timeout=TIMEOUT_MS)
    assert frame.locator("body").evaluate("() => window.sameMap === true"), "the selection rebuilt the map's iframe"
    # Absence needs time: past streamlit-folium's 250 ms debounce, its own report must have found nothing new.
    page.wait_for_timeout(1_000)
    reports = page.evaluate("() => window.reports")
    assert len(reports) == 1, reports
    assert set(reports[0]) == {"last_object_clicked", "last_object_clicked_tooltip"}

    # The report does not wait for streamlit-folium's debounced one: with the map's long timers never firing,
    # a click on another marker still selects it.
    frame.locator("body").evaluate(
        """() => { const later = window.setTimeout;
        window.setTimeout = (f, ms, ...args) => (ms >= 250 ? 0 : later(f, ms, ...args)); }"""
    )
    other = next(p.id for p in seed_story.places if p.id != "vladivostok" and p.kind == "city")
    frame.locator(f"path.place-{other}").dispatch_event("click")
    page.wait_for_url(re.compile(rf"/\?article=[0-9a-f]{{16}}&place={other}$"), timeout=TIMEOUT_MS)
    wait_for_passages(page, mentioning(seed_story, other))
    assert frame.locator("body").evaluate("() => window.sameMap === true")
    assert len(page.evaluate("() => window.reports")) == 2
    assert_offline_and_clean(blocked_requests, page_errors)

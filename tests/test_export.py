"""The HTML export: self-contained means no network; writing never clobbers; it works in a browser."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import streamlit_folium
from test_layers import PAYLOAD, make_story, payload_story

from geo.core.errors import InputError, OutputExists
from geo.core.model import Story
from geo.render.assets import (
    GENERATED,
    MAP_BUNDLE,
    MAP_FRAME,
    STATIC_FILES,
    inline_url,
    sync_static_dir,
    use_local_assets,
)
from geo.render.export import render_html, write_html
from geo.render.layers import BASEMAP_NAME, build_map

# Any <script src>, <link href> or CSS url() that points at the network.
REMOTE_ASSET = re.compile(
    r"""<script[^>]*\bsrc\s*=\s*["']?\s*(?:https?:)?//|<link[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?(?:https?:)?//""",
    re.IGNORECASE,
)
SIZE_BUDGET = 800_000  # bytes, for a seed-sized (~12 places) self-contained export


@pytest.fixture(scope="module")
def self_contained_html() -> str:
    return render_html(payload_story(), self_contained=True)


def test_self_contained_html_loads_nothing_from_the_network(self_contained_html: str) -> None:
    assert not REMOTE_ASSET.search(self_contained_html)
    assert '<script src="data:text/javascript;base64,' in self_contained_html
    assert '<link rel="stylesheet" href="data:text/css;base64,' in self_contained_html
    # No unused CDN leftovers, and the only http(s) URLs are the optional tile layer's.
    for cdn in ("bootstrap", "awesome-markers", "fontawesome", "jsdelivr", "code.jquery.com"):
        assert cdn not in self_contained_html
    urls = set(re.findall(r"https?://[^\s\"'<>\\]+", self_contained_html))
    assert urls <= {"https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://www.openstreetmap.org/copyright"}


def test_self_contained_export_shows_offline_outlines_first_and_fits_budget(self_contained_html: str) -> None:
    layers = re.search(r"base_layers : \{(.*?)\}", self_contained_html, re.DOTALL)
    assert layers is not None
    names = re.findall(r'"([^"]+)" :', layers.group(1))
    assert names == [BASEMAP_NAME, "OpenStreetMap"]
    # The tile layer is created but not added at load, so an offline page requests no tile.
    tile_var = re.search(r"var (tile_layer_\w+) = L\.tileLayer\(", self_contained_html).group(1)
    assert f"{tile_var}.addTo(" not in self_contained_html
    size = len(make_story().places)
    assert size >= 12
    assert len(render_html(make_story(), self_contained=True).encode("utf-8")) < SIZE_BUDGET


def test_export_carries_escaped_title() -> None:
    html = render_html(make_story(title=PAYLOAD), self_contained=False)
    assert "<title>&lt;img src=x onerror=alert(1)&gt;" in html
    assert PAYLOAD not in html


def test_online_export_keeps_only_leaflet_and_jquery_from_cdns() -> None:
    html = render_html(make_story(), self_contained=False)
    srcs = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', html)
    assert len(srcs) == 3 and all("leaflet" in s or "jquery" in s for s in srcs)


def test_static_mode_points_at_the_static_folder() -> None:
    m = use_local_assets(build_map(make_story()), mode="static", static_url="/app/static/")
    html = m.get_root().render()
    assert re.findall(r'<script src="([^"]+)"', html) == ["/app/static/story-map.js"]  # one script, one round trip
    assert '<link rel="stylesheet" href="/app/static/leaflet.css"/>' in html
    assert not REMOTE_ASSET.search(html)
    with pytest.raises(ValueError, match="mode must be"):
        use_local_assets(build_map(make_story()), mode="cdn")


def test_local_assets_refuse_a_plugin_that_needs_the_internet() -> None:
    import folium.plugins

    m = build_map(make_story())
    folium.plugins.AntPath([(0, 0), (10, 10)]).add_to(m)
    with pytest.raises(ValueError, match="AntPath"):
        use_local_assets(m)


def test_inline_css_embeds_its_images() -> None:
    import base64

    css = base64.b64decode(inline_url("leaflet.css").split(",", 1)[1]).decode()
    assert "url(images/" not in css
    assert "url(data:image/png;base64," in css


def test_sync_static_dir_copies_once_and_repairs_changes(tmp_path: Path) -> None:
    static = tmp_path / "static"
    written = sync_static_dir(static)
    assert {p.relative_to(static).as_posix() for p in written} == set(STATIC_FILES) | set(GENERATED)
    bundle = (static / MAP_BUNDLE).read_bytes()
    assert bundle.index(b"Leaflet") < bundle.index(b"jQuery") < bundle.index(b"window.storyWorldTopology = {")
    assert b"sourceMappingURL" not in bundle
    assert (static / "leaflet.js").read_bytes() == STATIC_FILES["leaflet.js"].read_bytes()
    # The page's map frame: bundle and stylesheet beside the page (../../app/static from /component/<name>/), and
    # streamlit-folium's frontend script by the name its package's build gives it, which exists.
    frame = (static / MAP_FRAME).read_text(encoding="utf-8")
    assert '<script src="../../app/static/story-map.js"></script>' in frame and 'href="../../app/static/leaflet.css"' in frame
    (script,) = re.findall(r'<script defer src="\.\./streamlit_folium\.st_folium/(static/js/main\.[0-9a-f]+\.js)"></script>', frame)
    assert (Path(streamlit_folium.__file__).parent / "frontend" / "build" / script).is_file()
    assert frame.index("story-map.js") < frame.index(script) and 'id="map_div"' in frame
    assert sync_static_dir(static) == []  # up to date: nothing rewritten
    (static / "jquery.min.js").write_text("broken", encoding="utf-8")
    assert sync_static_dir(static) == [static / "jquery.min.js"]
    assert (static / "jquery.min.js").read_bytes() == STATIC_FILES["jquery.min.js"].read_bytes()
    assert not list(static.glob(".*.tmp"))


# --- write_html --------------------------------------------------------------------------------


def test_write_html_refuses_to_overwrite_and_keeps_old_content(tmp_path: Path) -> None:
    out = tmp_path / "story.html"
    assert write_html("<p>first</p>", out) == out
    with pytest.raises(OutputExists, match="--force"):
        write_html("<p>second</p>", out)
    assert out.read_text(encoding="utf-8") == "<p>first</p>"
    assert isinstance(OutputExists("x"), FileExistsError)
    write_html("<p>second</p>", out, force=True)
    assert out.read_text(encoding="utf-8") == "<p>second</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story.html"]  # no temporary files left


def test_write_html_keeps_arabic_as_utf8(tmp_path: Path) -> None:
    out = write_html("<p>فلاديفوستك</p>", tmp_path / "ar.html")
    assert out.read_bytes() == "<p>فلاديفوستك</p>".encode()


def test_write_html_explains_bad_targets(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        write_html("x", tmp_path / "missing" / "story.html")
    with pytest.raises(InputError, match="is a folder"):
        write_html("x", tmp_path)


# --- in a real browser, offline ----------------------------------------------------------------


@pytest.mark.browser
def test_self_contained_export_draws_offline_in_chromium(
    page: Any, tmp_path: Path, self_contained_html: str, blocked_requests: list[str], dialogs: list, page_errors: list
) -> None:
    path = write_html(self_contained_html, tmp_path / "story.html")
    page.goto(path.as_uri())
    page.wait_for_selector("path.leaflet-interactive", state="attached")

    assert page.locator("path.leaflet-interactive").count() > 0
    assert page.locator("path.place").count() == len(payload_story().places)
    # The country outlines are drawn (and take no clicks).
    assert page.locator(".leaflet-tile-pane path").count() > 100
    legend = page.locator(".story-legend")
    assert legend.is_visible()
    legend.locator("summary").click()  # folded at first, so it hides no marker or name
    assert "Military" in legend.inner_text() and "City" in legend.inner_text()
    control = page.locator(".leaflet-control-layers").inner_text()
    for label in (BASEMAP_NAME, "OpenStreetMap", "Places", "Route: train", "Links: exercise"):
        assert label in control

    # Open the payload place's popup: the untrusted text shows literally and runs nothing.
    page.locator("path.place-evil").dispatch_event("click")  # the marker itself, whatever overlaps it
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(state="visible")
    assert "<img src=x onerror=alert(1)>" in popup.inner_text()
    assert "${x}" in popup.inner_text()
    page.locator("path.place-vladivostok").dispatch_event("click")
    assert page.locator('.leaflet-popup-content [dir="rtl"][lang="ar"]').count() > 0

    assert dialogs == []
    assert page_errors == []
    assert blocked_requests == []  # nothing even tried to leave the machine


@pytest.mark.browser
def test_empty_story_export_draws_the_world_in_chromium(page: Any, tmp_path: Path, page_errors: list) -> None:
    empty = Story("Empty", "en", "", (), (), ())
    path = write_html(render_html(empty, self_contained=True), tmp_path / "empty.html")
    page.goto(path.as_uri())
    page.wait_for_selector(".leaflet-tile-pane path", state="attached")
    assert page.locator(".story-legend").is_visible()
    assert page_errors == []


def test_article_text_is_never_run_as_a_template(tmp_path: Path) -> None:
    """branca re-renders element output as Jinja: braces in an article must show literally, not evaluate or crash."""
    from geo.pipeline import analyse

    text = (
        "A plain title {{ 7*7 }}\n"
        "Putin met Kim in Moscow {{ 7*7 }} and {{ cycler.__init__.__globals__.os.getcwd() }}, "
        "then {% for x in y %} and a lone {{ here.\n"
    )
    html = render_html(analyse(text), self_contained=False)
    assert "Moscow &#123;&#123; 7*7 &#125;&#125;" in html
    assert str(Path.cwd()) not in html
    assert not re.search(r"Moscow 49\b", html)


ENGLISH_ARTICLE = (
    "Talks in the Low Countries\n"
    "Ministers from Belgium, the Netherlands and Luxembourg met in Brussels on Tuesday.\n"
    "They later travelled by train from Brussels to Amsterdam, with a stop in Antwerp and Rotterdam.\n"
    "A second round is planned in Luxembourg next month, officials in The Hague said.\n"
)


@pytest.mark.browser
@pytest.mark.parametrize("article", ["seed", "english"])
def test_export_names_places_and_keeps_markers_reachable_offline(
    page: Any, tmp_path: Path, seed_text: str, article: str, blocked_requests: list[str], page_errors: list
) -> None:
    """The issue's floor in the self-contained file opened from disk with the network blocked."""
    from test_browser import LAID_OUT_JS, MAP_READABILITY_JS, assert_readable

    from geo.pipeline import analyse

    story = analyse(seed_text if article == "seed" else ENGLISH_ARTICLE)
    html = render_html(story, self_contained=True)
    assert len(html.encode("utf-8")) <= 1_500_000
    page.goto(write_html(html, tmp_path / "story.html").as_uri())
    page.wait_for_function(LAID_OUT_JS)
    stats = page.evaluate(MAP_READABILITY_JS)
    assert_readable(stats, len(story.places))
    if article == "english":
        assert "Brussels" in stats["named"] and "Amsterdam" in stats["named"]
    assert blocked_requests == []
    assert page_errors == []

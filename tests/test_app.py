"""Tests for the Streamlit page (app.py) with streamlit.testing.v1.AppTest: no browser, the real script.

The map is the st_folium component: its Leaflet script is in the component's ``json_args``, and a
click on the map is simulated by setting the component's session-state value (its key is the
component's own hash key), as the browser would send it. Expectations come from analysing the same
article with ``geo.pipeline.analyse``, so the tests check the page's wiring, not one extraction result.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from geo.core.model import Link, Story
from geo.pipeline import analyse
from geo.render.link_layer import link_arcs
from geo.render.popups import escape_text, link_label, route_label
from geo.store import content_id

APP = Path(__file__).resolve().parent.parent / "app.py"
PASTE, UPLOAD = "Paste text", "Upload a .txt file"

ENGLISH_ARTICLE = (
    "Leaders met in Tokyo on Tuesday to discuss shipping.\n"
    "The delegation later flew from Tokyo to Canberra, and then on to Nairobi for talks.\n"
)
ARABIC_ARTICLE = (
    "زيارة إلى القاهرة\n"
    "وصل وزير الخارجية إلى القاهرة قادما من الرياض يوم الاثنين.\n"
    "ثم توجه الوزير إلى دمشق لإجراء محادثات مع المسؤولين.\n"
)
_PASSAGE_DIV = re.compile(r'^<div class="passage"[^>]*\bdata-passage="(\d+)"')


@pytest.fixture(scope="module")
def seed_story(seed_text: str) -> Story:
    return analyse(seed_text)


def new_app(**params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def run_ok(target) -> AppTest:  # type: ignore[no-untyped-def]
    """Run the app (``target`` is the AppTest or a widget just changed) and fail on any exception."""
    at = target.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown_passages(at: AppTest) -> list[int]:
    """Passage ids of the st.html passage blocks, in page order."""
    ids = []
    for element in at.get("html"):
        match = _PASSAGE_DIV.match(element.proto.body)
        if match:
            ids.append(int(match.group(1)))
    return ids


def passage_bodies(at: AppTest) -> list[str]:
    return [e.proto.body for e in at.get("html") if _PASSAGE_DIV.match(e.proto.body)]


def selection_params(at: AppTest) -> dict[str, str]:
    """The URL's selection keys; a selection always carries the stored article it belongs to."""
    params = dict(at.query_params)
    assert re.fullmatch(r"[0-9a-f]{16}", params.pop("article", "")), dict(at.query_params)
    return params


# The page's map component: ours (static assets served: geo.render.live_map.framed_component), else streamlit-folium's.
MAP_COMPONENTS = ("geo.render.live_map.story_map", "streamlit_folium.st_folium")


def map_args(at: AppTest) -> dict:
    (component,) = [c for c in at.get("component_instance") if c.proto.component_name in MAP_COMPONENTS]
    return json.loads(component.proto.json_args)


def selection_spec(at: AppTest) -> dict:
    """The selection the page hands the live map (geo.render.selection): the map's own script stays the same."""
    found = re.search(r"\}\)\(map_div, (\{.*\})\);", map_args(at)["feature_group"])
    assert found, "no selection script"
    return json.loads(found.group(1))


def map_key(at: AppTest) -> str:
    (component,) = [c for c in at.get("component_instance") if c.proto.component_name in MAP_COMPONENTS]
    return component.key


def click_map(at: AppTest, lat: float, lng: float, tooltip: str | None = None) -> AppTest:
    """What streamlit-folium sends back when the user clicks an object at (lat, lng)."""
    value = {"last_object_clicked": {"lat": lat, "lng": lng}, "last_object_clicked_tooltip": tooltip}
    at.session_state[map_key(at)] = value
    at.session_state["map"] = value  # what streamlit-folium's on_change copies to the key the page reads
    return run_ok(at)


def link_tooltip(at: AppTest, story: Story, link: Link) -> str:
    """The tooltip text the browser reports for a click on ``link`` (checked to be on the drawn map)."""
    text = link_label(story, link)
    assert escape_text(text) in map_args(at)["script"], f"the map draws no tooltip {text!r}"
    return text


def place_picker(at: AppTest):
    return next(s for s in at.selectbox if s.label == "Place")


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def expected_for_place(story: Story, place_id: str) -> list[int]:
    return sorted({m.passage for m in story.mentions if m.place == place_id})


# --- the seed page -----------------------------------------------------------------------------


def test_seed_page_runs_and_shows_every_passage(seed_story: Story) -> None:
    at = run_ok(new_app())
    assert shown_passages(at) == [p.id for p in seed_story.passages]
    (caption,) = [c.value for c in at.caption]
    assert caption.startswith(f"{len(seed_story.places)} places · {len(seed_story.mentions)} mentions · ")
    assert f"{len(seed_story.links)} links" in caption and "language: ar" in caption
    assert not [b for b in at.button if b.label == "Show all passages"], "nothing is selected"
    # Every place is drawn on the map, each marker addressable by its class.
    script = map_args(at)["script"]
    for place in seed_story.places:
        assert f'"place place-{place.id}' in script, place.id


def test_map_loads_no_cdn_assets() -> None:
    """The page's map is the framed component (static assets served here): its frame page loads Leaflet, the
    basemap and the styles from the static folder, so the component is handed no links to load itself."""
    at = run_ok(new_app())
    (component,) = [c for c in at.get("component_instance") if c.proto.component_name in MAP_COMPONENTS]
    assert component.proto.component_name == "geo.render.live_map.story_map"
    args = json.loads(component.proto.json_args)
    assert args["js_links"] == [] and args["css_links"] == []
    frame = (APP.parent / "static" / "story-map-frame" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r"""(?:src|href)=["']([^"']+)""", frame)
    assert any(url.endswith("/story-map.js") for url in links), "Leaflet must come from somewhere"
    for text in (frame, args["script"], args["header"]):
        assert not re.search(r"""(?i)<(script|link)[^>]+(src|href)=["']?(https?:)?//""", text)


def test_place_param_shows_only_that_places_passages_and_show_all_resets(seed_story: Story) -> None:
    expected = expected_for_place(seed_story, "seoul")
    at = new_app(place="seoul")
    run_ok(at)
    assert shown_passages(at) == expected
    for body in passage_bodies(at):
        assert 'data-place="seoul"' in body
    n = len(expected)
    assert f"**{n} passage{'s' if n != 1 else ''} mention{'s' if n == 1 else ''} Seoul**" in markdown_text(at)
    assert place_picker(at).value == "seoul", "the picker mirrors the URL"
    assert selection_spec(at)["places"] == ["seoul"] and selection_spec(at)["open"]

    (show_all,) = [b for b in at.button if b.label == "Show all passages"]
    run_ok(show_all.click())
    assert selection_params(at) == {}
    assert shown_passages(at) == [p.id for p in seed_story.passages]
    assert place_picker(at).value == "(all places)"


def test_link_param_shows_its_evidence_passages(seed_story: Story) -> None:
    for link in seed_story.links[:3]:
        at = run_ok(new_app(link=link.id))
        assert shown_passages(at) == sorted(set(link.passages)), link.id
        assert f"**Evidence for the {link.kind} link** ({len(set(link.passages))} passages)" in markdown_text(at)
        assert selection_spec(at)["link"] == link.id


def test_link_button_in_the_links_expander_selects_the_link(seed_story: Story) -> None:
    link = seed_story.links[-1]
    at = new_app()
    run_ok(at)
    assert not [b for b in at.button if (b.key or "").startswith("link-")], "built only while the expander is open"
    at.session_state["links-open"] = True  # the reader opens "Links" (Streamlit reruns)
    run_ok(at)
    run_ok(next(b for b in at.button if b.key == f"link-{link.id}").click())
    assert selection_params(at) == {"link": link.id}
    assert shown_passages(at) == sorted(set(link.passages))


def test_route_button_and_evidence_header_name_the_stops_not_their_ids(seed_story: Story) -> None:
    route = seed_story.routes[0]
    names = route_label(seed_story, route)
    assert not set(route.stops) & set(names.replace(" → ", "|").split("|"))  # names, not ids such as "pyongyang"
    at = new_app()
    at.session_state["routes-open"] = True  # the reader opens "Routes" (Streamlit reruns)
    run_ok(at)
    button = next(b for b in at.button if b.key == f"route-{route.id}")
    assert route.status == "proposed" and button.label == f"{names} ({route.mode}, proposed)"  # the planned train
    run_ok(button.click())
    assert f"**Evidence for the {route.mode} route** {names}" in markdown_text(at)


def test_passage_param_shows_that_passage_and_focuses_its_places(seed_story: Story) -> None:
    at = run_ok(new_app(passage="0"))
    assert shown_passages(at) == [0]
    assert "**Passage 1** and its places on the map" in markdown_text(at)
    in_passage = {m.place for m in seed_story.mentions if m.passage == 0}
    assert set(selection_spec(at)["places"]) == in_passage


def test_map_button_of_a_passage_sets_the_passage_param() -> None:
    at = run_ok(new_app())
    run_ok(next(b for b in at.button if b.key == "passage-3").click())
    assert selection_params(at) == {"passage": "3"}
    assert shown_passages(at) == [3]


@pytest.mark.parametrize("params", [{"place": "nowhere"}, {"link": "nowhere"}, {"passage": "999"}, {"passage": "x"}])
def test_unknown_selection_shows_all_passages(seed_story: Story, params: dict[str, str]) -> None:
    at = run_ok(new_app(**params))
    assert shown_passages(at) == [p.id for p in seed_story.passages]
    assert not [b for b in at.button if b.label == "Show all passages"]


def test_digit_like_passage_param_does_not_break_the_page(seed_story: Story) -> None:
    at = run_ok(new_app(passage="²"))
    assert shown_passages(at) == [p.id for p in seed_story.passages]


def test_place_picker_sets_the_query_param(seed_story: Story) -> None:
    at = run_ok(new_app())
    picker = place_picker(at)
    assert len(picker.options) == len(seed_story.places) + 1
    run_ok(picker.select("vladivostok"))
    assert selection_params(at) == {"place": "vladivostok"}
    assert shown_passages(at) == expected_for_place(seed_story, "vladivostok")


# --- map → text: simulated clicks ----------------------------------------------------------------


def test_marker_click_selects_its_place(seed_story: Story) -> None:
    vladivostok = seed_story.place("vladivostok")
    at = run_ok(new_app())
    click_map(at, vladivostok.lat, vladivostok.lon, "Vladivostok")
    assert selection_params(at) == {"place": "vladivostok"}
    assert shown_passages(at) == expected_for_place(seed_story, "vladivostok")
    # The same click reported again on the next run (the component keeps its value) changes nothing.
    run_ok(at)
    assert selection_params(at) == {"place": "vladivostok"}


def test_link_click_selects_that_link(seed_story: Story) -> None:
    for link in seed_story.links:
        arc = link_arcs(seed_story, link)[0]
        lat, lng = arc[len(arc) // 2]  # mid-arc: not on any place
        at = run_ok(new_app())
        tooltip = link_tooltip(at, seed_story, link)
        click_map(at, lat, lng, tooltip)
        assert selection_params(at) == {"link": link.id}, tooltip
        assert shown_passages(at) == sorted(set(link.passages))


# Two links of one kind, the first one's places a subset of the second's (found by geo.story.relations).
NESTED_LINKS_ARTICLE = (
    "Russia and North Korea held joint military exercises near Vladivostok last week.\n"
    "Russia, China and North Korea later proposed joint naval drills in the Sea of Japan.\n"
)


def test_link_click_selects_the_clicked_link_when_another_links_places_are_a_subset() -> None:
    story = analyse(NESTED_LINKS_ARTICLE)
    small, big = story.links[0], story.links[1]
    # Preconditions of the scenario (if extraction changes, this test must be rebuilt, not pass).
    assert small.kind == big.kind and set(small.places) < set(big.places)
    at = run_ok(new_app())
    run_ok(at.selectbox(key="source").select(PASTE))
    run_ok(at.text_area(key="pasted").input(NESTED_LINKS_ARTICLE))
    arc = link_arcs(story, big)[0]
    lat, lng = arc[len(arc) // 2]
    click_map(at, lat, lng, link_tooltip(at, story, big))
    assert selection_params(at) == {"link": big.id}


# --- other articles ----------------------------------------------------------------------------


def test_paste_mode_maps_an_english_article() -> None:
    story = analyse(ENGLISH_ARTICLE)
    assert {"tokyo", "canberra", "nairobi"} <= {p.id for p in story.places}
    at = run_ok(new_app())
    run_ok(at.selectbox(key="source").select(PASTE))
    assert not at.get("html") and "Paste an article" in at.info[0].value
    run_ok(at.text_area(key="pasted").input(ENGLISH_ARTICLE))
    assert at.subheader[0].value == "Leaders met in Tokyo on Tuesday to discuss shipping."  # its first sentence
    assert at.caption[0].value.startswith(f"{len(story.places)} places · ")
    assert "language: en" in at.caption[0].value
    assert shown_passages(at) == [p.id for p in story.passages]
    options = place_picker(at).options  # labels: "English name · Arabic name"
    assert options[0] == "(all places)"
    assert {o.split(" · ")[0] for o in options[1:]} == {p.name for p in story.places}
    script = map_args(at)["script"]
    for pid in ("tokyo", "canberra", "nairobi"):
        assert f'"place place-{pid}' in script
    assert "place-vladivostok" not in script, "the seed's map is gone"


def test_upload_cp1256_arabic_article_maps_its_places() -> None:
    story = analyse(ARABIC_ARTICLE, "cairo-visit")
    assert {"cairo", "riyadh", "damascus"} <= {p.id for p in story.places}
    at = run_ok(new_app())
    run_ok(at.selectbox(key="source").select(UPLOAD))
    run_ok(at.file_uploader(key="upload").upload("cairo-visit.txt", ARABIC_ARTICLE.encode("cp1256"), "text/plain"))
    assert at.subheader[0].value == "cairo-visit", "the file name is the title"
    assert at.caption[0].value.startswith(f"{len(story.places)} places · ") and "language: ar" in at.caption[0].value
    bodies = passage_bodies(at)
    assert len(bodies) == len(story.passages)
    assert all('dir="rtl"' in b for b in bodies)
    assert "القاهرة" in "".join(bodies), "decoded from cp1256, not mojibake"
    script = map_args(at)["script"]
    for pid in ("cairo", "riyadh", "damascus"):
        assert f'"place place-{pid}' in script


def test_upload_utf16_article_maps_its_places() -> None:
    at = run_ok(new_app())
    run_ok(at.selectbox(key="source").select(UPLOAD))
    run_ok(at.file_uploader(key="upload").upload("a.txt", ARABIC_ARTICLE.encode("utf-16"), "text/plain"))
    assert 'data-place="damascus"' in "".join(passage_bodies(at))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks binary"),
        (b"   \n\n  ", "is empty"),
        (b"x" * (2 * 1024 * 1024 + 1), "the limit is 2 MB"),
    ],
    ids=["binary", "blank", "too-big"],
)
def test_bad_uploads_get_a_message_not_a_traceback(data: bytes, message: str) -> None:
    at = run_ok(new_app())
    run_ok(at.selectbox(key="source").select(UPLOAD))
    run_ok(at.file_uploader(key="upload").upload("bad.txt", data, "text/plain"))
    assert any(message in e.value for e in at.sidebar.error), [e.value for e in at.sidebar.error]
    assert not at.get("html")


# --- controls and downloads --------------------------------------------------------------------


def test_removing_a_link_type_removes_its_layer(seed_story: Story) -> None:
    kinds = list(dict.fromkeys(lk.kind for lk in seed_story.links))
    at = run_ok(new_app())
    (chooser,) = [m for m in at.multiselect if m.label == "Link types"]
    assert set(chooser.value) == set(kinds)
    script = map_args(at)["script"]
    for kind in kinds:
        assert f'"link link-{kind}' in script and f'"Links: {kind}"' in script
    gone = kinds[0]
    run_ok(chooser.unselect(gone))
    script = map_args(at)["script"]
    assert f"link-{gone}" not in script and f'"Links: {gone}"' not in script
    for kind in kinds[1:]:
        assert f'"link link-{kind}' in script, kind


def test_layer_checkboxes_remove_whole_layers() -> None:
    at = run_ok(new_app())
    for label, marker in (("Links", '"link link-'), ("Routes", '"route route-'), ("Places", '"place place-')):
        assert marker in map_args(at)["script"], label
        run_ok(next(c for c in at.checkbox if c.label == label).uncheck())
        assert marker not in map_args(at)["script"], label


@pytest.fixture
def served_files(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, bytes]]:
    """Bytes of every file the page hands to Streamlit's media storage (download buttons), by file name."""
    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(self, path_or_data, mimetype, kind, filename=None):  # type: ignore[no-untyped-def]
        if filename is not None and isinstance(path_or_data, bytes):
            files[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    yield files


def test_download_buttons_offer_csv_geojson_and_a_self_contained_map(
    seed_story: Story, served_files: dict[str, bytes]
) -> None:
    at = run_ok(new_app())
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Places (CSV)", "Story (GeoJSON)", "Map (HTML)"]
    article = content_id(seed_story.text)[:8]
    names = {suffix: next(n for n in served_files if n.endswith(f"{article}-{suffix}")) for suffix in ("places.csv", "story.geojson", "map.html")}
    assert all(not n.startswith(article) for n in names.values()), "named after the article's title, then its id"

    rows = list(csv.DictReader(io.StringIO(served_files[names["places.csv"]].decode("utf-8-sig"))))
    assert len(rows) == len(seed_story.places)
    geojson = json.loads(served_files[names["story.geojson"]])
    layers = [f["properties"]["layer"] for f in geojson["features"]]
    assert layers.count("place") == len(seed_story.places)
    assert layers.count("route") == len(seed_story.routes) and layers.count("link") == len(seed_story.links)

    page = served_files[names["map.html"]].decode("utf-8")
    assert "https://unpkg" not in page and "cdn.jsdelivr" not in page and "cdnjs" not in page
    assert not re.search(r"""(?i)<script[^>]+src=["']?(https?:)?//""", page)
    assert not re.search(r"""(?i)<link[^>]+href=["']?(https?:)?//""", page)
    assert "L.map(" in page or "L.map (" in page, "Leaflet is inlined and the map is created"
    for place in seed_story.places:
        assert f"place-{place.id}" in page
    assert "corrected-note" not in page, "an uncorrected story says nothing about corrections"


def test_online_toggle_geocodes_unknown_names_once_through_nominatim(
    fake_nominatim, tmp_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's online path: geopy's real HTTP code against the fake Nominatim, our user agent, the cache
    written, the place on the map — and a rerun asks nothing again."""
    from geo.places.geocode import USER_AGENT

    fake_nominatim.places["زيلاند"] = {
        "lat": 51.4941, "lon": 3.8497, "display_name": "Zeeland, Nederland", "name": "Zeeland",
        "country_code": "NL", "class": "boundary", "type": "administrative", "addresstype": "state",
        "osm_type": "relation", "osm_id": 47806,
    }
    monkeypatch.setenv("GEO_NOMINATIM", fake_nominatim.url)
    monkeypatch.setenv("GEO_PLACES_CACHE", str(tmp_cache))
    at = run_ok(new_app())
    run_ok(at.selectbox(key="source").select(PASTE))
    run_ok(at.text_area(key="pasted").input("وصل الوفد إلى بلدة زيلاند صباحا قادما من القاهرة."))
    assert not fake_nominatim.search_requests, "offline by default"
    run_ok(at.sidebar.toggle[0].set_value(True))
    [request] = fake_nominatim.search_requests
    assert request.user_agent == USER_AGENT
    assert '"place place-zeeland' in map_args(at)["script"]
    assert "زيلاند" in tmp_cache.read_text(encoding="utf-8")
    run_ok(at.checkbox[0].uncheck())  # any rerun
    assert len(fake_nominatim.search_requests) == 1, "looked up once per article and session"


def test_the_map_is_built_once_per_story_and_toggles_not_per_selection(
    seed_story: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A click reruns the page without building or rendering the map again (geo.render.live_map); the same
    component (same key, same script) gets the new selection; a toggle builds the map it changes."""
    import streamlit as st

    import geo.render.live_map

    built: list[int] = []  # the page's map rendered for the component (the HTML download has its own cache)
    real = geo.render.live_map.map_args
    monkeypatch.setattr(geo.render.live_map, "map_args", lambda *a, **k: built.append(1) or real(*a, **k))
    st.cache_data.clear()
    at = run_ok(new_app())
    assert len(built) == 1
    before = map_args(at)
    key = map_key(at)
    place = seed_story.place("vladivostok")
    click_map(at, place.lat, place.lon)
    assert selection_params(at) == {"place": "vladivostok"}
    assert len(built) == 1, "a selection must not rebuild the map"
    assert map_key(at) == key and map_args(at)["script"] == before["script"]
    assert selection_spec(at)["places"] == ["vladivostok"]
    run_ok(next(c for c in at.checkbox if c.label == "Routes").uncheck())
    assert len(built) == 2 and map_key(at) != key

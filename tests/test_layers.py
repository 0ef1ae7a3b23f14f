"""Map layers: names, escaping of untrusted article text, right-to-left popups, antimeridian arcs."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import folium
import pytest

from geo.core.geometry import great_circle
from geo.core.model import LINK_KINDS, Link, Mention, Passage, Place, Route, Story
from geo.render.assets import use_local_assets
from geo.render.export import write_html
from geo.render.layers import (
    BASEMAP_NAME,
    LINK_COLORS,
    PLACE_COLORS,
    build_map,
    marker_radius,
    place_at,
    places_layer,
    route_layer,
    world_copies,
)
from geo.render.link_layer import link_arcs, links_layer
from geo.render.popups import escape_text

# Untrusted text as an article could carry it: HTML, a script end tag, a backtick and a JS
# template-literal substitution (folium wraps popups and tooltips in template literals).
PAYLOAD = "<img src=x onerror=alert(1)> </script><script>alert(2)</script> `tick` ${x}"

PARAGRAPHS = (
    "وصل زعيم كوريا الشمالية إلى فلاديفوستك بالقطار المدرع قادما من بيونغ يانغ عبر خاسان.",
    "وقال الكرملين في موسكو إن المحادثات تناولت التعاون العسكري مع روسيا.",
    "واقترحت روسيا مناورات مشتركة مع الصين وكوريا الشمالية، بينما تجري واشنطن وسول تدريبات.",
    "Officials in Beijing and Tokyo watched the summit; the Sea of Japan was calm.",
    f"A reader left this note about Khasan: {PAYLOAD}",
)

PLACES = (
    Place("pyongyang", "Pyongyang", "بيونغ يانغ", "city", 39.0392, 125.7625, "KP", "test"),
    Place("vladivostok", "Vladivostok", "فلاديفوستك", "city", 43.1056, 131.8735, "RU", "test"),
    Place("khasan", "Khasan", "خاسان", "city", 42.4317, 130.6434, "RU", "test"),
    Place("moscow", "Moscow", "موسكو", "city", 55.7558, 37.6173, "RU", "test"),
    Place("washington", "Washington", "واشنطن", "city", 38.8951, -77.0364, "US", "test"),
    Place("seoul", "Seoul", "سول", "city", 37.5665, 126.9780, "KR", "test"),
    Place("beijing", "Beijing", "بكين", "city", 39.9042, 116.4074, "CN", "test"),
    Place("tokyo", "Tokyo", "طوكيو", "city", 35.6762, 139.6503, "JP", "test"),
    Place("russia", "Russia", "روسيا", "country", 61.524, 105.3188, "RU", "test"),
    Place("china", "China", "الصين", "country", 35.8617, 104.1954, "CN", "test"),
    Place("north-korea", "North Korea", "كوريا الشمالية", "country", 40.3399, 127.5101, "KP", "test"),
    Place("sea-of-japan", "Sea of Japan", "بحر اليابان", "water", 40.0, 135.0, "", "test"),
)

SURFACES = {
    "pyongyang": ("بيونغ يانغ",),
    "vladivostok": ("فلاديفوستك",),
    "khasan": ("خاسان", "Khasan"),
    "moscow": ("موسكو",),
    "washington": ("واشنطن",),
    "seoul": ("سول",),
    "beijing": ("Beijing",),
    "tokyo": ("Tokyo",),
    "russia": ("روسيا",),
    "china": ("الصين",),
    "north-korea": ("كوريا الشمالية",),
    "sea-of-japan": ("Sea of Japan",),
}


def make_story(places: tuple[Place, ...] = PLACES, title: str = "Test story") -> Story:
    """A hand-built story: Arabic and English passages, mentions found by their surface text."""
    text = "\n".join(PARAGRAPHS)
    passages, start = [], 0
    for i, para in enumerate(PARAGRAPHS):
        passages.append(Passage(i, start, start + len(para), para))
        start += len(para) + 1
    place_ids = {p.id for p in places}
    mentions = []
    for pid, surfaces in SURFACES.items():
        if pid not in place_ids:
            continue
        for surface in surfaces:
            for match in re.finditer(re.escape(surface), text):
                passage = next(p for p in passages if p.start <= match.start() < p.end)
                mentions.append(Mention(pid, passage.id, match.start(), match.end(), surface))
    routes = (
        Route(
            "train-1",
            "train",
            ("pyongyang", "khasan", "vladivostok"),
            ((39.0392, 125.7625), (41.0, 128.5), (42.4317, 130.6434), (43.1056, 131.8735)),
            1180.0,
            (0,),
            when="الثلاثاء",
            on_rail=True,
        ),
    )
    links = (
        Link("l-arms", "military", ("north-korea", "russia"), True, 3, (1,)),
        Link("l-drills", "exercise", ("russia", "china", "north-korea"), False, 1, (2,), status="proposed"),
        Link("l-us-kr", "exercise", ("washington", "seoul"), False, 2, (2,), status="held"),
        Link("l-note", "tension", ("khasan", "moscow"), False, 1, (4,)),
    )
    if not {"pyongyang", "khasan", "vladivostok"} <= place_ids:
        routes = ()
    links = tuple(lk for lk in links if set(lk.places) <= place_ids)
    return Story(title, "ar", text, tuple(passages), places, tuple(mentions), routes, links)


def render(m: folium.Map) -> str:
    return m.get_root().render()


def payload_story() -> Story:
    """The sample story plus a place whose very names are the payload."""
    evil = Place("evil", PAYLOAD, PAYLOAD, "site", 10.0, 20.0, "", "test")
    return make_story(PLACES + (evil,))


# --- layers and names ----------------------------------------------------------------------------


def test_map_html_names_every_layer() -> None:
    html = render(build_map(make_story()))
    for name in (
        "Places",
        "Route: train",
        "Links: military",
        "Links: exercise",
        "Links: tension",
        BASEMAP_NAME,
        "OpenStreetMap",
    ):
        assert f'"{name}"' in html, name
    # Kinds the story has no link of get no empty group.
    assert "Links: visit" not in html


def test_places_layer_sizes_by_mentions_and_colours_by_kind() -> None:
    story = make_story()
    html = render(folium.Map(tiles=None).add_child(places_layer(story)))
    # One CircleMarker per place, each tagged with its id for the app.
    assert html.count("L.circleMarker(") == len(story.places)
    assert '"className": "place place-north-korea"' in html
    # North Korea is mentioned twice, Moscow once: the larger count draws the larger circle.
    assert marker_radius(2) > marker_radius(1) > marker_radius(0)
    assert f'"radius": {marker_radius(2)}' in html
    assert PLACE_COLORS["water"] in html and PLACE_COLORS["country"] in html


def test_selected_place_is_outlined_and_its_popup_open() -> None:
    html = render(folium.Map(tiles=None).add_child(places_layer(make_story(), selected="seoul")))
    assert '"className": "place place-seoul place-selected"' in html
    assert html.count('marker.once("add"') == 1  # one popup opens, once its marker is on the map


def test_tooltip_starts_with_place_name_and_click_maps_back_to_place() -> None:
    story = make_story()
    html = render(folium.Map(tiles=None).add_child(places_layer(story)))
    assert re.search(r"bindTooltip\(\s*`<div>\s*Vladivostok · <span dir=\"rtl\" lang=\"ar\">فلاديفوستك</span>", html)
    assert place_at(story, 43.1056, 131.8735).id == "vladivostok"
    assert place_at(story, 43.1056, 131.8735 - 360).id == "vladivostok"  # a clicked world copy
    assert place_at(story, 0.0, 0.0) is None


def test_place_popup_quotes_passages_around_mentions_in_rtl() -> None:
    html = render(folium.Map(tiles=None).add_child(places_layer(make_story())))
    # The Arabic excerpt is a right-to-left block with the mention highlighted.
    assert '<div class="quote" dir="rtl" lang="ar">' in html
    assert "<mark>فلاديفوستك</mark>" in html
    assert "Sea Of Japan" not in html and "Sea of Japan" in html


# --- escaping ------------------------------------------------------------------------------------


def test_escape_text_neutralises_html_and_template_literals() -> None:
    escaped = escape_text(PAYLOAD)
    for live in ("<", ">", "`", "${", "\\"):
        assert live not in escaped
    assert "&lt;img src=x onerror=alert(1)&gt;" in escaped
    assert "&#36;&#123;x&#125;" in escaped and "&#96;tick&#96;" in escaped
    assert "{" not in escaped and "}" not in escaped  # branca would run {{ … }} as a template


@pytest.mark.parametrize("fragment", ["<img src=x onerror=alert(1)>", "</script><script>alert(2)</script>", "${x}", "`tick`"])
def test_payload_never_reaches_map_html_raw(fragment: str) -> None:
    html = render(build_map(payload_story(), selected_place="evil"))
    assert fragment not in html
    assert escape_text(fragment) in html  # shown literally, in popup and tooltip


def test_payload_in_route_and_link_evidence_is_escaped() -> None:
    story = make_story()
    # The tension link quotes passage 4, which carries the payload.
    html = render(folium.Map(tiles=None).add_child(links_layer(story, kinds=["tension"])[0]))
    assert "<img src=x" not in html and "</script><script>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


# --- routes and links ----------------------------------------------------------------------------


def test_route_layer_popup_and_direction_arrows() -> None:
    html = render(folium.Map(tiles=None).add_child(route_layer(make_story(), "train")))
    assert "Pyongyang → Khasan → Vladivostok" in html
    assert "1,180 km" in html and "along the rail network" in html
    assert '<div class="quote" dir="rtl" lang="ar">' in html
    assert html.count("story-arrow") >= 2  # direction markers along the path
    assert '"interactive": false' in html  # arrows never take clicks


def test_links_layer_one_group_per_kind_dashed_when_proposed() -> None:
    groups = links_layer(make_story())
    assert [g.layer_name for g in groups] == ["Links: military", "Links: exercise", "Links: tension"]
    exercise = render(folium.Map(tiles=None).add_child(groups[1]))
    assert exercise.count("L.polyline(") == 2
    assert exercise.count('"dashArray": "8 8"') == 1  # only the proposed drill
    assert LINK_COLORS["exercise"] in exercise
    assert links_layer(make_story(), kinds=["visit"]) == []


def test_three_party_link_is_one_line_with_three_arcs() -> None:
    story = make_story()
    drills = next(lk for lk in story.links if lk.id == "l-drills")
    assert len(link_arcs(story, drills)) == 3


def _max_jump(line: list[tuple[float, float]]) -> float:
    return max(abs(line[i + 1][1] - line[i][1]) for i in range(len(line) - 1))


def test_washington_seoul_arc_never_jumps_across_the_map() -> None:
    story = make_story()
    link = next(lk for lk in story.links if lk.id == "l-us-kr")
    arcs = link_arcs(story, link)
    raw = great_circle(story.place("washington").location, story.place("seoul").location)
    assert _max_jump(raw) > 180  # the raw arc does cross the antimeridian …
    for arc in arcs:
        assert _max_jump(arc) <= 20  # … the drawn ones never jump
    # One copy starts at Washington, another ends at Seoul, so both markers are attached.
    ends = [point for arc in arcs for point in (arc[0], arc[-1])]
    assert any(point == pytest.approx((38.8951, -77.0364)) for point in ends)
    assert any(point == pytest.approx((37.5665, 126.9780)) for point in ends)


def test_world_copies_leaves_ordinary_paths_alone() -> None:
    path = [(39.0, 125.7), (43.1, 131.9)]
    assert world_copies(path) == [path]


# --- the map -------------------------------------------------------------------------------------


def test_a_planned_route_is_dashed_a_flight_dotted_and_the_legend_says_so() -> None:
    from dataclasses import replace as _replace

    story = make_story()
    (train,) = story.routes
    flight = _replace(train, id="plane-1", mode="plane", status="held", on_rail=False)
    story = _replace(story, routes=(_replace(train, status="proposed"), flight))
    html = render(build_map(story))
    assert html.count('"dashArray": "8 8"') >= 1 and '"dashArray": "1 8"' in html
    assert '"dashed": true, "label": "Planned (dashed)"' in html
    assert '"color": "#0b7285", "dashed": "dotted", "label": "Route: plane"' in html


def test_build_map_fits_places_legend_and_layer_control() -> None:
    html = render(build_map(make_story()))
    assert "fitBounds(" in html
    assert "L.control.layers(" in html
    assert "story-legend" in html and '"title": "Places"' in html
    assert '"label": "Sea / water"' in html and '"label": "Military"' in html
    assert '"label": "Proposed (dashed)"' in html


def test_single_place_zoom_and_filters() -> None:
    story = make_story()
    html = render(build_map(story, selected_place="seoul", link_kinds=["military"], layers=["places", "links"]))
    assert re.search(r"fitBounds\(\s*\[\[37\.5665, 126\.978\], \[37\.5665, 126\.978\]\],\s*\{[^}]*\"maxZoom\": 6", html)
    assert "Links: military" in html and "Links: exercise" not in html and "Route: train" not in html
    with pytest.raises(ValueError, match="layers must be among"):
        build_map(story, layers=["nope"])


def test_without_tiles_the_offline_outlines_are_the_only_base() -> None:
    html = render(build_map(make_story(), tiles=False))
    assert "L.tileLayer(" not in html
    assert f'"{BASEMAP_NAME}"' in html


def test_empty_story_renders_a_world_map() -> None:
    empty = Story("Empty", "en", "", (), (), ())
    html = render(build_map(empty))
    assert "L.map(" in html and "fitBounds(" not in html
    assert '"zoom": 2' in html
    assert f'"{BASEMAP_NAME}"' in html


# --- big stories: one JSON array per layer -------------------------------------------------------

BIG_PLACES = 400
BIG_LINKS = 400
TEMPLATE_PROBE = "{{ 7*7 }}"  # branca would evaluate this if article text were compiled as Jinja


def big_story(n_places: int = BIG_PLACES, n_links: int = BIG_LINKS) -> Story:
    """A deterministic story above the bulk threshold, spread over the globe (some links cross the
    antimeridian), with one place and one passage carrying the injection payload."""
    lines = [f"Town{k % n_places:04d} and Town{(k * 7 + 3) % n_places:04d} agreed on item {k}." for k in range(n_links)]
    lines.append(f"A reader wrote about Town0001: {PAYLOAD} {TEMPLATE_PROBE}")
    text = "\n".join(lines)
    passages, mentions, start = [], [], 0
    for i, line in enumerate(lines):
        passages.append(Passage(i, start, start + len(line), line))
        for match in re.finditer(r"Town(\d{4})", line):
            mentions.append(Mention(f"p{match.group(1)}", i, start + match.start(), start + match.end(), match.group()))
        start += len(line) + 1
    places = [
        Place(f"p{i:04d}", f"Town{i:04d}", "", "city", -60 + (i * 37) % 130, -179.5 + (i * 101) % 359, "", "test")
        for i in range(n_places)
    ]
    places.append(Place("evil", f"{PAYLOAD} {TEMPLATE_PROBE}", PAYLOAD, "site", 10.0, 20.0, "", "test"))
    links = [
        Link(f"l{k:04d}", LINK_KINDS[k % len(LINK_KINDS)], (f"p{k % n_places:04d}", f"p{(k * 7 + 3) % n_places:04d}"),
             bool(k % 2), 1 + k % 3, (k,), "proposed" if k % 5 == 0 else "")
        for k in range(n_links)
    ]
    links.append(Link("l-evil", "tension", ("evil", "p0001"), True, 2, (n_links,)))
    return Story("Big story", "en", text, tuple(passages), tuple(places), tuple(mentions), links=tuple(links))


_SPEC_CALL = re.compile(r"^\s*\}\)\((feature_group_[0-9a-f]+), (\{.*\})\);$", re.MULTILINE)


def bulk_specs(html: str) -> list[dict]:
    """The JSON specs the bulk layers hand to their drawing loop, parsed back."""
    return [json.loads(spec) for _group, spec in _SPEC_CALL.findall(html)]


def test_big_story_draws_each_layer_from_one_json_array() -> None:
    story = big_story()
    html = render(build_map(story))
    specs = bulk_specs(html)
    circles = [s for s in specs if s["shape"] == "circle"]
    lines = [s for s in specs if s["shape"] == "line"]
    assert len(circles) == 1 and len(lines) == len(LINK_KINDS)  # one element per layer, not per shape
    assert html.count("L.circleMarker(") == len(specs)  # in each layer's loop, not once per place
    places = circles[0]["items"]
    assert len(places) == len(story.places)
    assert {item["options"]["className"] for item in places} == {f"place place-{p.id}" for p in story.places}
    by_class = {item["options"]["className"]: item for item in places}
    # Tooltips start with the place name; popups are the escaped place popups.
    assert by_class["place place-p0042"]["tooltip"].startswith("<div>Town0042")
    assert 'data-place-id="p0042"' in by_class["place place-p0042"]["popup"]
    assert "<mark>Town0042</mark>" in by_class["place place-p0042"]["popup"]
    # Every link is one line of its kind; proposed ones dashed; directed two-place ones get arrows.
    drawn = [item for spec in lines for item in spec["items"]]
    assert len(drawn) == len(story.links)
    assert sum(item["options"].get("dashArray") == "8 8" for item in drawn) == sum(
        lk.status == "proposed" for lk in story.links
    )
    for spec in lines:
        kind = spec["items"][0]["options"]["className"].split()[1].removeprefix("link-")
        # Each link carries its own id class (lid-…): the page's selection script finds it by that.
        assert all(item["options"]["className"].split()[:2] == ["link", f"link-{kind}"] for item in spec["items"])
        assert len({item["options"]["className"].split()[2] for item in spec["items"]}) == len(spec["items"])
        assert spec["shared"]["color"] == spec["arrowColor"] == LINK_COLORS[kind]
    arrows = sum(len(spec["arrows"]) for spec in lines)
    expected_arrows = sum(len(link_arcs(story, lk)) for lk in story.links if lk.directed)
    assert arrows == expected_arrows > 0


def test_big_story_lines_cross_the_antimeridian_as_world_copies() -> None:
    story = big_story()
    drawn = [item for spec in bulk_specs(render(build_map(story))) if spec["shape"] == "line" for item in spec["items"]]
    crossing = [item for item in drawn if any(lon > 180 or lon < -180 for arc in item["at"] for _lat, lon in arc)]
    assert crossing, "the sample has lines over the Pacific"
    for item in crossing:
        assert len(item["at"]) >= 2  # the unwrapped arc and its shifted copy
        for arc in item["at"]:
            # Arcs near the poles take long steps in longitude; a jump across the map would be ~360°.
            assert _max_jump(arc) <= 90


@pytest.mark.parametrize("fragment", ["<img src=x onerror=alert(1)>", "</script><script>alert(2)</script>", "${x}", "`tick`"])
def test_big_story_payload_is_json_data_never_code(fragment: str) -> None:
    html = render(build_map(big_story(), selected_place="evil"))
    assert fragment not in html
    assert "49" not in re.findall(r"Town0001: [^\"]*", html)[0]  # the probe was not evaluated as Jinja
    evil = next(
        item for spec in bulk_specs(html) if spec["shape"] == "circle" for item in spec["items"]
        if "place-evil" in item["options"]["className"]
    )
    assert escape_text(fragment) in evil["popup"] and escape_text(fragment) in evil["tooltip"]
    assert escape_text(TEMPLATE_PROBE) in evil["tooltip"]


def test_big_story_selection_outlines_and_opens_one_popup() -> None:
    story = big_story()
    specs = bulk_specs(render(build_map(story, selected_place="p0007", selected_link="l0003")))
    items = [item for spec in specs for item in spec["items"]]
    opened = [item["options"]["className"] for item in items if item["open"]]
    assert opened == ["link link-visit lid-l0003 link-selected", "place place-p0007 place-selected"]
    focus = bulk_specs(render(build_map(story, focus=["p0001", "p0002"])))
    places = next(spec for spec in focus if spec["shape"] == "circle")["items"]
    assert sorted(item["options"]["className"] for item in places if "selected" in item["options"]["className"]) == [
        "place place-p0001 place-selected", "place place-p0002 place-selected"]
    assert not any(item["open"] for item in places)  # several places outlined: no popup forced open


def test_both_drawing_paths_carry_the_same_shapes_and_popups() -> None:
    story = make_story()
    per_element = render(build_map(story, selected_place="seoul", bulk=False))
    bulk = render(build_map(story, selected_place="seoul", bulk=True))
    assert not bulk_specs(per_element)
    items = [item for spec in bulk_specs(bulk) for item in spec["items"]]
    assert len(items) == len(story.places) + len(story.links)
    for item in items:
        # The same escaped popup HTML and class names reach the page either way.
        assert item["popup"] in per_element
        assert f'"className": "{item["options"]["className"]}"' in per_element
    arrows = [a for spec in bulk_specs(bulk) for a in spec["arrows"]]
    assert len(arrows) == len(re.findall(r"L\.marker\(", per_element)) - 2  # the train route's 2 arrows stay folium's
    assert "Route: train" in bulk and "route route-train" in bulk


@pytest.mark.browser
def test_big_story_export_draws_offline_in_chromium(
    page: Any, tmp_path: Path, blocked_requests: list[str], dialogs: list, page_errors: list
) -> None:
    story = big_story()
    m = build_map(story, offline_first=True, selected_place="evil")
    use_local_assets(m, mode="inline")
    path = write_html(m.get_root().render(), tmp_path / "big.html")
    page.goto(path.as_uri())
    page.wait_for_selector("path.place", state="attached")

    assert page.locator("path.place").count() == len(story.places)
    assert page.locator("path.link").count() == len(story.links)
    assert page.locator("path.link-exercise").count() == sum(lk.kind == "exercise" for lk in story.links)
    assert page.locator('path.link[stroke-dasharray="8 8"]').count() == sum(lk.status == "proposed" for lk in story.links)
    assert page.locator(".story-arrow").count() == sum(len(link_arcs(story, lk)) for lk in story.links if lk.directed)
    assert page.locator(".leaflet-tile-pane path").count() > 100  # the offline outlines
    control = page.locator(".leaflet-control-layers").inner_text()
    for label in (BASEMAP_NAME, "Places", "Links: military", "Links: territory"):
        assert label in control

    # The selected place's popup is open on load, and the payload shows literally.
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(state="visible")
    assert page.locator("path.place-evil.place-selected").count() == 1
    text = popup.inner_text()
    assert PAYLOAD in text and TEMPLATE_PROBE in text
    # A marker's tooltip starts with its name; a line's popup quotes its evidence.
    page.locator("path.place-p0042").dispatch_event("mouseover")
    assert page.locator(".leaflet-tooltip").last.inner_text().startswith("Town0042")
    page.locator("path.link-visit").first.dispatch_event("click")
    assert "Visit" in page.locator(".leaflet-popup-content").last.inner_text()

    assert dialogs == []
    assert page_errors == []
    assert blocked_requests == []


def test_a_repeated_place_id_resolves_to_its_first_place_everywhere() -> None:
    """Story.place and Story.anchor (which the map's layers use) agree: the first place with an id wins."""
    first = PLACES[0]
    again = Place(first.id, "Another Pyongyang", "", "city", 10.0, 10.0, "KP", "test")
    story = make_story(places=(*PLACES, again))
    assert story.place(first.id) is first
    assert story.anchor(first.id) == first.location

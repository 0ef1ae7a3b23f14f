"""Map layers: names, escaping of untrusted article text, right-to-left popups, antimeridian arcs."""

from __future__ import annotations

import re

import folium
import pytest

from geo.geometry import great_circle
from geo.layers import (
    BASEMAP_NAME,
    LINK_COLORS,
    PLACE_COLORS,
    build_map,
    escape_text,
    link_arcs,
    links_layer,
    marker_radius,
    place_at,
    places_layer,
    route_layer,
    world_copies,
)
from geo.model import Link, Mention, Passage, Place, Route, Story

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
    assert any(arc[0] == pytest.approx((38.8951, -77.0364)) for arc in arcs)
    assert any(arc[-1] == pytest.approx((37.5665, 126.9780)) for arc in arcs)


def test_world_copies_leaves_ordinary_paths_alone() -> None:
    path = [(39.0, 125.7), (43.1, 131.9)]
    assert world_copies(path) == [path]


# --- the map -------------------------------------------------------------------------------------


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

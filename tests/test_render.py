"""geo/render: views that fit what is involved, bent parallel links, names to place, the page's selection script,
and the Natural Earth basemap topology. Pure values; the browser tests check what a reader sees."""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace

import folium
import pytest
from test_layers import PAYLOAD, make_story, render

from geo.core.model import Link, Mention, Place
from geo.render.basemap import WORLD_TOPOLOGY, country_extents, world_topology
from geo.render.fit import fit_view
from geo.render.labels import Label, MapLabels, nearby_cities
from geo.render.layers import (
    MAX_RADIUS,
    _labels,
    build_map,
    marker_radius,
)
from geo.render.leaflet import _mercator_y, bend
from geo.render.link_layer import link_arcs, link_bends
from geo.render.live_map import selection_script
from geo.render.view import story_order

PACIFIC = Place("pacific-ocean", "Pacific Ocean", "المحيط الهادئ", "water", 10.0, -160.0, "", "test")


def _place(story, pid: str) -> Place:
    return story.place(pid)


# --- views ----------------------------------------------------------------------------------------


def test_a_sea_never_drags_the_view_to_the_world() -> None:
    story = make_story()
    cities = [_place(story, "pyongyang"), _place(story, "vladivostok")]
    alone = fit_view(cities)
    with_sea = fit_view([*cities, PACIFIC])
    assert with_sea == alone
    assert with_sea.north_east[1] - with_sea.south_west[1] < 10  # a few degrees, not half the globe


def test_a_route_counts_by_its_path_and_a_single_city_gets_a_close_zoom() -> None:
    story = make_story()
    route = story.routes[0]
    view = fit_view([_place(story, "pyongyang"), _place(story, "russia")], [route.path])
    # Russia is a country next to a city: it does not stretch the view to Siberia.
    assert view.north_east[0] < 44 and view.south_west[1] > 125
    lone = fit_view([_place(story, "seoul")], point_zoom=6)
    assert lone.south_west == lone.north_east and lone.max_zoom == 6


def test_a_pacific_link_view_spans_the_pacific() -> None:
    story = make_story()
    line = [_place(story, "seoul").location, _place(story, "washington").location]
    view = fit_view([], [line], across=True)
    west, east = view.south_west[1], view.north_east[1]
    assert east - west < 180  # across the Pacific (~156°), not across Eurasia and the Atlantic (~204°)
    assert west == pytest.approx(126.978) and east == pytest.approx(-77.0364 + 360)
    # With markers in the view it stays where Leaflet draws them: Canada and Australia span the Atlantic side.
    view = fit_view([*story.places, Place("sydney", "Sydney", "", "city", -33.87, 151.21, "AU", "test")])
    assert -180 <= view.south_west[1] and view.north_east[1] <= 180


def test_countries_alone_fit_their_outline_and_seas_alone_stay_wide() -> None:
    story = make_story()
    view = fit_view([_place(story, "north-korea")])
    south, west, north, east = country_extents()["KP"]
    assert view.south_west == (south, west) and view.north_east == (north, east)
    assert fit_view([PACIFIC]).max_zoom <= 4
    assert fit_view([]) is None


def test_passage_selection_fits_the_route_between_its_places() -> None:
    story = make_story()
    html = render(build_map(story, focus=["pyongyang", "vladivostok", "russia", "sea-of-japan"]))
    box = re.search(r"fitBounds\(\s*\[\[([-\d.]+), ([-\d.]+)\], \[([-\d.]+), ([-\d.]+)\]\]", html)
    south, west, north, east = map(float, box.groups())
    assert (south, west) == (39.0392, 125.7625) and (north, east) == (43.1056, 131.8735)


# --- links and markers ----------------------------------------------------------------------------


def test_bend_keeps_the_ends_and_moves_the_middle_sideways() -> None:
    line = [(40.0, 120.0 + i) for i in range(11)]
    left, right = bend(line, 0.1), bend(line, -0.1)
    assert left[0] == line[0] and left[-1] == pytest.approx(line[-1])
    y0 = _mercator_y(40.0)
    assert _mercator_y(left[5][0]) - y0 == pytest.approx(1.0, rel=0.02)  # 0.1 × a 10° chord
    assert _mercator_y(right[5][0]) - y0 == pytest.approx(-1.0, rel=0.02)
    assert bend(line, 0) == line


def test_links_between_the_same_places_are_drawn_apart() -> None:
    story = make_story()
    extra = Link("l-visit", "visit", ("north-korea", "russia"), False, 1, (1,))
    story = story.__class__(**{**story.__dict__, "links": (*story.links, extra)})
    bends = link_bends(story, story.links)
    pair = ("north-korea", "russia")
    offsets = sorted(v for (lid, p), v in bends.items() if p == pair)
    assert len(offsets) == 3 and offsets[0] < 0 < offsets[-1]  # arms, drills and the visit share the pair
    arcs = {lk.id: link_arcs(story, lk) for lk in story.links if lk.id in ("l-arms", "l-visit")}
    mid_arms = arcs["l-arms"][0][len(arcs["l-arms"][0]) // 2]
    mid_visit = arcs["l-visit"][0][len(arcs["l-visit"][0]) // 2]
    assert math.dist(mid_arms, mid_visit) > 1.0  # degrees apart at the middle: two strokes, two clicks


def test_markers_stay_dots_and_report_their_own_position() -> None:
    assert marker_radius(1) < marker_radius(4) < marker_radius(9)
    assert marker_radius(10_000) == MAX_RADIUS == 10  # Leaflet reports a circle's own latlng up to 10 px


# --- names ----------------------------------------------------------------------------------------


def test_labels_in_the_article_language_ranked_by_mentions() -> None:
    story = make_story()
    labels = _labels(story)
    assert len(labels) == len(story.places)
    khasan = next(lb for lb in labels if lb.token == "khasan")
    assert (khasan.text, khasan.alt) == ("خاسان", "Khasan")
    counts = {p.id: sum(m.place == p.id for m in story.mentions) for p in story.places}
    assert [counts[lb.token] for lb in labels] == sorted(counts.values(), reverse=True)


def test_an_arabic_article_labels_a_place_without_an_arabic_name_as_the_article_writes_it() -> None:
    story = make_story()
    place = next(p for p in story.places if p.id == "khasan")
    # The gazetteer has no Arabic name; the article writes it twice one way, once another, three times as an adjective.
    forms = [("خاسان", False), ("خسان", False), ("خاسان", False)] + [("الخاساني", True)] * 3
    mentions = tuple(m for m in story.mentions if m.place != "khasan") + tuple(
        Mention("khasan", 0, 10 * k, 10 * k + len(form), form, adjectival=adj) for k, (form, adj) in enumerate(forms)
    )
    places = tuple(replace(p, name_ar="") if p is place else p for p in story.places)
    story = replace(story, places=places, mentions=mentions)
    label = next(lb for lb in _labels(story) if lb.token == "khasan")
    assert (label.text, label.alt) == ("خاسان", "Khasan")


def test_an_arabic_article_labels_a_place_as_it_writes_it_over_a_folded_gazetteer_name() -> None:
    # GeoNames' Arabic name may be folded or lack the article (رياض for الرياض): the map shows the text's spelling.
    story = make_story()
    place = next(p for p in story.places if p.id == "khasan")
    mentions = tuple(m for m in story.mentions if m.place != "khasan") + tuple(
        Mention("khasan", 0, 10 * k, 10 * k + 7, "الخاسان") for k in range(2)
    )
    places = tuple(replace(p, name_ar="خاسان") if p is place else p for p in story.places)
    label = next(lb for lb in _labels(replace(story, places=places, mentions=mentions)) if lb.token == "khasan")
    assert (label.text, label.alt) == ("الخاسان", "Khasan")


def test_label_data_carries_no_template_characters() -> None:
    labels = MapLabels(folium.FeatureGroup(), [Label(text=PAYLOAD, alt="{{ 7*7 }}", token="x")])
    assert not re.search(r"[`$]|</script|\{\{", labels.spec_js)
    assert json.loads(labels.spec_js)["labels"][0] == {"text": PAYLOAD, "alt": "{{ 7*7 }}", "token": "x"}


def test_nearby_cities_are_big_arabic_named_and_not_the_story_own() -> None:
    story = make_story()
    cities = nearby_cities(story)
    assert 10 <= len(cities) <= 60
    texts = [c.text for c in cities]
    assert not any(re.search(r"[\u06af\u06cc\u067e\u0686\u0698\u0688A-Za-z0-9]", t) for t in texts if t != texts[0] and
                   re.search(r"[\u0600-\u06ff]", t))  # Arabic ones carry no Persian/Urdu letters
    own = {p.location for p in story.places}
    assert all(math.dist((c.lat, c.lon), o) > 0.04 for c in cities for o in own)
    assert all(c.min_zoom >= 5 for c in cities)
    assert not any(any(ch.isdigit() for ch in c.alt + c.text) for c in cities)


# --- the page's selection -------------------------------------------------------------------------


def _spec(script: str) -> dict:
    return json.loads(re.search(r"\}\)\([^,]+, (\{.*\})\);", script).group(1))


def test_selection_spec_names_the_selected_items_and_their_view() -> None:
    story = make_story()
    spec = _spec(selection_script(story, selected_place="seoul"))
    assert spec["places"] == ["seoul"] and spec["open"] and spec["maxZoom"] == 6
    spec = _spec(selection_script(story, selected_link="l-us-kr"))
    assert spec["link"] == "l-us-kr" and spec["places"] == []
    assert spec["bounds"][1][1] - spec["bounds"][0][1] < 180  # the Pacific arc, not the world
    spec = _spec(selection_script(story))
    assert spec["places"] == [] and spec["link"] == "" and spec["minZoom"] == 0


# --- the basemap ----------------------------------------------------------------------------------


def test_basemap_topology_is_natural_earth_50m_with_arabic_and_english_names() -> None:
    assert WORLD_TOPOLOGY.stat().st_size < 400_000
    topology = world_topology()
    countries = topology["objects"]["countries"]["geometries"]
    assert len(countries) >= 230  # 1:50m has the small island states 1:110m lacks
    by_iso = {g["properties"]["iso"]: g["properties"] for g in countries if g["properties"]["iso"]}
    assert by_iso["KP"]["name"] == "North Korea" and by_iso["KP"]["name_ar"] == "كوريا الشمالية"
    assert {"SG", "BH", "MT"} <= set(by_iso)  # small states at 1:50m
    # No arc jumps across the antimeridian (Chukotka, Fiji): Leaflet would draw it across the world.
    scale = topology["transform"]["scale"][0]
    assert all(abs(dx) * scale < 180 for arc in topology["arcs"] for dx, _ in arc[1:])
    south, west, north, east = by_iso["RU"]["bbox"]
    assert east > 180 and west > 0  # Russia's extent runs east past 180°, not round the world


def test_routes_and_links_listed_in_the_order_the_article_tells_them() -> None:
    story = make_story()
    late = replace(story.links[0], id="late", evidence=((900, 950),))
    early = replace(story.links[1], id="early", evidence=((10, 40),))
    assert [lk.id for lk in story_order([late, early])] == ["early", "late"]

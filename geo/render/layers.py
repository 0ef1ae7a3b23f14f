"""Map layers for a :class:`~geo.core.model.Story`: places, routes, the legend and the map that holds them
(links: :mod:`geo.render.link_layer`; popup and label text: :mod:`geo.render.popups`).

Pure: a Story in, folium objects out (the only file read is the bundled country outlines, once).
Every layer is a named ``FeatureGroup`` so the layer control can switch it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

import folium
from branca.element import Element

from geo.core.model import KINDS, LINK_KINDS, MODES, Link, Mention, Place, Route, Story
from geo.core.text import is_arabic
from geo.render.basemap import (  # noqa: F401 (re-exported)
    BASEMAP_NAME,
    WORLD_GEOJSON,
    Legend,
    ScaleBar,
    basemap_layer,
)
from geo.render.fit import fit_view
from geo.render.labels import Label, MapLabels, nearby_cities
from geo.render.leaflet import (  # noqa: F401 (re-exported)
    BULK_THRESHOLD,
    CIRCLE_DEFAULTS,
    BulkLayer,
    OpenPopup,
    arrow_marker,
    arrow_points,
    use_bulk,
    world_copies,
)
from geo.render.link_layer import arcs_of, link_bends, links_layer
from geo.render.popups import (
    css_token,
    escape_text,
    place_popup_html,
    route_label,
    route_popup_html,
)
from geo.render.style import LINK_COLORS, PLACE_COLORS, PLACE_KIND_LABELS, ROUTE_COLORS

TILES_NAME = "OpenStreetMap"
PLACES_NAME = "Places"
LAYER_KEYS = ("places", "routes", "links")

_SELECTED_ZOOM = 6  # zoom for a single place: a city with its surroundings
_MAX_FIT_ZOOM = 7  # never zoom closer than this when fitting several nearby places


# --- places ------------------------------------------------------------------------------------


MAX_RADIUS = 10.0  # px: a long article's markers stay dots, never blobs over whole countries


def marker_radius(mentions: int) -> float:
    """Circle radius in pixels: area grows with the mention count (sqrt scale), from 4 to 10 px.

    The cap is also Leaflet's: a circle of radius ≤ 10 reports its own position on a click (larger
    ones report the mouse position), which is how the page knows which place was clicked.
    """
    return round(min(MAX_RADIUS, 4.0 + 2.0 * math.sqrt(max(0, mentions))), 1)




@dataclass(frozen=True)
class _PlaceMark:
    """What both drawing paths draw for one place."""

    place: Place
    radius: float
    color: str  # outline
    weight: float
    fill_color: str
    class_name: str
    popup: str  # escaped HTML
    tooltip: str  # escaped HTML
    open: bool


def _place_marks(story: Story, chosen: set[str]) -> list[_PlaceMark]:
    counts = {pid: len(ms) for pid, ms in story.mentions_by_place.items()}
    marks = []
    # Big circles first so small ones end up on top and stay clickable.
    for place in sorted(story.places, key=lambda p: (-counts.get(p.id, 0), p.id)):
        is_selected = place.id in chosen
        dimmed = bool(chosen) and not is_selected
        color = PLACE_COLORS.get(place.kind, "#555555")
        tooltip = escape_text(place.name)
        if place.name_ar and place.name_ar != place.name:
            tooltip += f' · <span dir="rtl" lang="ar">{escape_text(place.name_ar)}</span>'
        marks.append(
            _PlaceMark(
                place=place,
                radius=marker_radius(counts.get(place.id, 0)),
                color="#111111" if is_selected else color,
                weight=4 if is_selected else 1.5,
                fill_color=color,
                class_name=f"place place-{css_token(place.id)}"
                + (" place-selected" if is_selected else " place-dimmed" if dimmed else ""),
                popup=place_popup_html(story, place),
                tooltip=tooltip,
                open=is_selected and len(chosen) == 1,
            )
        )
    return marks


def places_layer(
    story: Story, selected: str | Collection[str] | None = None, *, bulk: bool | None = None
) -> folium.FeatureGroup:
    """One CircleMarker per place, sized by mentions and coloured by kind.

    Each marker's SVG path has the classes ``place place-<id>`` and its tooltip starts with the
    place name; streamlit-folium reports a click as the marker's lat/lng, which
    :func:`place_at` maps back to the place. The ``selected`` place is outlined and its popup open.
    ``bulk`` draws all markers from one JSON array (default: when the story is big, see
    :data:`BULK_THRESHOLD`); the page looks the same either way.
    """
    group = folium.FeatureGroup(name=PLACES_NAME)
    chosen = {selected} if isinstance(selected, str) else set(selected or ())
    marks = _place_marks(story, chosen)
    if use_bulk(story, bulk):
        items = [
            {
                "at": mk.place.location,
                "options": {
                    "radius": mk.radius,
                    "color": mk.color,
                    "weight": mk.weight,
                    "fillColor": mk.fill_color,
                    "className": mk.class_name,
                },
                "popup": mk.popup,
                "tooltip": f"<div>{mk.tooltip}</div>",
                "open": mk.open,
            }
            for mk in marks
        ]
        spec = {"shape": "circle", "shared": CIRCLE_DEFAULTS, "popup": {"maxWidth": 360}, "items": items,
                "arrows": [], "arrowColor": ""}
        BulkLayer(spec).add_to(group)
        return group
    for mk in marks:
        marker = folium.CircleMarker(
            location=mk.place.location,
            radius=mk.radius,
            color=mk.color,
            weight=mk.weight,
            fill_color=mk.fill_color,
            fill_opacity=0.75,
            class_name=mk.class_name,
            popup=folium.Popup(mk.popup, max_width=360),
            tooltip=folium.Tooltip(mk.tooltip),
        ).add_to(group)
        if mk.open:
            OpenPopup().add_to(marker)
    return group


def place_at(story: Story, lat: float, lng: float, tolerance: float = 1e-4) -> Place | None:
    """The place drawn at (lat, lng) — what streamlit-folium's ``last_object_clicked`` reports.

    Longitude is compared modulo 360 (the map may report a clicked world copy).
    """
    best: tuple[float, Place] | None = None
    for place in story.places:
        dlon = abs((lng - place.lon + 180.0) % 360.0 - 180.0)
        distance = max(abs(lat - place.lat), dlon)
        if distance <= tolerance and (best is None or distance < best[0]):
            best = (distance, place)
    return best[1] if best else None

# --- routes ------------------------------------------------------------------------------------




def _add_route(group: folium.FeatureGroup, story: Story, route: Route) -> None:
    color = ROUTE_COLORS.get(route.mode, ROUTE_COLORS["unknown"])
    copies = world_copies(route.path)
    folium.PolyLine(
        locations=copies if len(copies) > 1 else copies[0],
        color=color,
        weight=4,
        opacity=0.9,
        # Dashes mark what is only planned, as for links; a flight told as done is dotted.
        dash_array="8 8" if route.status == "proposed" else "1 8" if route.mode == "plane" else None,
        line_cap="round",
        class_name=f"route route-{css_token(route.mode)}",
        popup=folium.Popup(route_popup_html(story, route), max_width=380),
        tooltip=folium.Tooltip(escape_text(route_label(story, route))),
    ).add_to(group)
    arrows = int(min(10, max(1, round(route.length_km / 600))))
    for line in copies:
        for location, angle in arrow_points(line, arrows):
            arrow_marker(location, angle, color).add_to(group)


def route_layer(story: Story, mode: str = "train") -> folium.FeatureGroup:
    """The story's routes of one ``mode``, with direction arrows, as "Route: <mode>"."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, instead got: {mode!r}")
    group = folium.FeatureGroup(name=f"Route: {mode}")
    for route in story.routes:
        if route.mode == mode:
            _add_route(group, story, route)
    return group


def routes_layer(story: Story, exclude: Collection[str] = ("train",)) -> folium.FeatureGroup:
    """Every route whose mode is not in ``exclude``, as "Routes: other"."""
    group = folium.FeatureGroup(name="Routes: other")
    for route in story.routes:
        if route.mode not in exclude:
            _add_route(group, story, route)
    return group

def legend_for(
    story: Story, link_kinds: Collection[str] | None = None, layers: Collection[str] = LAYER_KEYS
) -> Legend:
    """The legend for what the map draws: the story's place kinds, route modes and link kinds.

    With no places at all it still lists every place kind, so the legend explains the palette.
    """
    place_kinds = ({p.kind for p in story.places} or set(KINDS)) if "places" in layers else set()
    places = [(PLACE_KIND_LABELS[k], PLACE_COLORS[k], "dot", False) for k in KINDS if k in place_kinds]
    modes = {r.mode for r in story.routes} if "routes" in layers else set()
    routes = [(f"Route: {m}", ROUTE_COLORS[m], "line", "dotted" if m == "plane" else False) for m in MODES if m in modes]
    if "routes" in layers and any(r.status == "proposed" for r in story.routes):
        routes.append(("Planned (dashed)", "#555555", "line", True))
    present = {
        link.kind for link in story.links if "links" in layers and (link_kinds is None or link.kind in link_kinds)
    }
    links = [(k.capitalize(), LINK_COLORS[k], "line", False) for k in LINK_KINDS if k in present]
    if any(link.status == "proposed" and link.kind in present for link in story.links):
        links.append(("Proposed (dashed)", "#555555", "line", True))
    return Legend([("Places", places), ("Routes", routes), ("Links", links)])

# --- the map -----------------------------------------------------------------------------------

_MAP_CSS = """
<style>
    /* div. outranks leaflet.css's grey, whichever stylesheet loads last; tiles cover it anyway. */
    div.leaflet-container { background: #d7e6f2; }
    .story-popup { font: 13px/1.45 sans-serif; }
    .story-popup .title { font-size: 14px; margin-bottom: 2px; }
    .story-popup .facts { color: #555; margin-bottom: 4px; }
    .story-popup .quote { border-left: 3px solid #ccc; padding: 2px 6px; margin: 4px 0; color: #333; }
    .story-popup .quote[dir="rtl"] { border-left: none; border-right: 3px solid #ccc; }
    .story-popup mark { background: #ffe08a; padding: 0 1px; }
    .story-arrow { background: none; border: none; }
    /* A selection stands out: the rest is dimmed (CSS outranks the SVG attributes Leaflet sets). */
    path.place-dimmed { fill-opacity: .35; stroke-opacity: .45; }
    path.link-dimmed { stroke-opacity: .25; }
    .story-popup[dir="rtl"] { text-align: right; font-family: "Noto Naskh Arabic", "DejaVu Sans", sans-serif; }
    .leaflet-popup-content { overflow-wrap: anywhere; }
</style>
"""


def _view(
    story: Story, selected_place: str | None, link: Link | None, focus: Collection[str],
    bends: Mapping[tuple[str, tuple[str, str]], float],
):
    """What the view fits: the selected place, or the selected link's arcs, or a passage's places and the
    routes between them, else the whole story (every marker but the seas' far-off points)."""
    known = story.places_by_id
    if selected_place in known:
        return fit_view([known[selected_place]], point_zoom=_SELECTED_ZOOM, max_zoom=_MAX_FIT_ZOOM)
    if link is not None:
        # The arcs as drawn (bent), without their shifted world copies: each original starts at a real place.
        arcs = [arc for arc in arcs_of(story, link, bends) if -180 <= arc[0][1] <= 180]
        return fit_view([], arcs, max_zoom=_MAX_FIT_ZOOM, across=True)
    chosen = [known[p] for p in focus if p in known]
    if chosen:
        ids = {p.id for p in chosen}
        routes = [r.path for r in story.routes if len(ids.intersection(r.stops)) >= 2]
        return fit_view(chosen, routes, point_zoom=_SELECTED_ZOOM, max_zoom=_MAX_FIT_ZOOM)
    # The first view shows every marker but the seas' (their label points lie mid-ocean): countries and regions
    # (provinces, states) are where the story is, and their markers must be reachable at once.
    areas = [p.location for p in story.places if p.kind in ("country", "region")]
    return fit_view(
        story.places, [r.path for r in story.routes],
        anchors=[point for _, point in story.anchors] + areas, max_zoom=_MAX_FIT_ZOOM,
    )


def _labels(story: Story) -> list[Label]:
    """The story's place names in the article's language, ranked: more mentions, then points before areas."""
    order = {"city": 0, "site": 1, "country": 2, "region": 3, "water": 4}
    ranked = sorted(story.places, key=lambda p: (-len(story.mentions_by_place.get(p.id, ())), order.get(p.kind, 5), p.id))
    labels = []
    for place in ranked:
        # An Arabic map names a place as its article writes it: GeoNames' Arabic names are often folded or stripped
        # of the article (رياض، قاهره), and the reader has the text's spelling in front of them.
        written = _arabic_spelling(story.mentions_by_place.get(place.id, ())) if story.language == "ar" else ""
        english, arabic = place.name, written or place.name_ar or _arabic_spelling(story.mentions_by_place.get(place.id, ())) or place.name
        text, alt = (arabic, english) if story.language == "ar" else (english, place.name_ar)
        labels.append(Label(text=text, alt=alt if alt != text else "", token=css_token(place.id)))
    return labels


def _arabic_spelling(mentions: Iterable[Mention]) -> str:
    """How an Arabic article most often writes a place (not as an adjective)."""
    forms = Counter(m.text for m in mentions if not m.adjectival and is_arabic(m.text))
    return forms.most_common(1)[0][0] if forms else ""


def build_map(
    story: Story,
    *,
    tiles: bool = True,
    selected_place: str | None = None,
    selected_link: str | None = None,
    link_kinds: Collection[str] | None = None,
    layers: Collection[str] | None = None,
    offline_first: bool = False,
    focus: Collection[str] = (),
    collapse_control: bool = False,
    bulk: bool | None = None,
) -> folium.Map:
    """The whole story map: base layers, story layers, layer control, legend, view fitted.

    ``tiles`` adds OpenStreetMap as a base layer (shown first unless ``offline_first``); the
    offline outlines are always a base layer, the only one without tiles. ``layers`` picks among
    :data:`LAYER_KEYS` (default: all). The view fits the selection (``selected_place`` /
    ``selected_link`` / the place ids in ``focus``, e.g. a passage's places, which are also
    outlined) if any, else every place and route; an empty story shows the world.
    ``collapse_control`` folds the layer control into its icon and the legend into its title (small maps). ``bulk`` forces (or
    forbids) drawing places and links from one JSON array per layer; by default big stories do.
    """
    unknown = set(layers or ()) - set(LAYER_KEYS)
    if unknown:
        raise ValueError(f"layers must be among {LAYER_KEYS}, instead got: {sorted(unknown)}")
    wanted = set(LAYER_KEYS if layers is None else layers)
    m = folium.Map(location=(20.0, 0.0), zoom_start=2, min_zoom=1, tiles=None, control_scale=False)
    m.get_root().header.add_child(Element(_MAP_CSS), name="story_css")
    ScaleBar().add_to(m)

    outlines_first = offline_first or not tiles
    tile_layer = (
        folium.TileLayer("OpenStreetMap", name=TILES_NAME, overlay=False, show=not outlines_first) if tiles else None
    )
    outline_layer = basemap_layer(show=outlines_first)
    for base in (outline_layer, tile_layer) if outlines_first else (tile_layer, outline_layer):
        if base is not None:
            base.add_to(m)

    # Lines first, places last: later SVG paths are drawn on top and get the clicks.
    if "links" in wanted:
        for group in links_layer(story, kinds=link_kinds, selected=selected_link, bulk=bulk):
            group.add_to(m)
    if "routes" in wanted:
        if any(r.mode == "train" for r in story.routes):
            route_layer(story, "train").add_to(m)
        if any(r.mode != "train" for r in story.routes):
            routes_layer(story).add_to(m)
    if "places" in wanted:
        places = places_layer(story, selected=[selected_place] if selected_place else focus, bulk=bulk)
        places.add_to(m)
        skip = {p.country for p in story.places if p.kind == "country" and p.country}
        MapLabels(
            places, _labels(story), cities=nearby_cities(story),
            countries="ar" if story.language == "ar" else "en", skip_countries=skip,
        ).add_to(m)

    folium.LayerControl(collapsed=collapse_control).add_to(m)
    legend = legend_for(story, link_kinds, wanted)
    legend.open = False  # folded to its title: open, it would cover markers and names (the reader opens it)
    legend.add_to(m)

    link = next((lk for lk in story.links if lk.id == selected_link), None) if selected_link else None
    bends = link_bends(story, [lk for lk in story.links if link_kinds is None or lk.kind in link_kinds])
    view = _view(story, selected_place, link, focus, bends)
    if view is not None:
        m.fit_bounds(view.bounds, padding=(40, 40), max_zoom=view.max_zoom)
    return m


def selection_spec(
    story: Story,
    *,
    selected_place: str | None = None,
    selected_link: str | None = None,
    focus: Collection[str] = (),
    link_kinds: Collection[str] | None = None,
) -> dict:
    """What :mod:`geo.render.selection` shows in the live map: marked places (class tokens), the popup to open,
    the selected link's token and the view, exactly as :func:`build_map` would draw this selection."""
    link = next((lk for lk in story.links if lk.id == selected_link), None) if selected_link else None
    bends = link_bends(story, [lk for lk in story.links if link_kinds is None or lk.kind in link_kinds])
    view = _view(story, selected_place, link, focus, bends)
    chosen = [selected_place] if selected_place else list(focus)
    return {
        "places": [css_token(pid) for pid in chosen if pid in story.places_by_id],
        "open": bool(selected_place),
        "link": css_token(link.id) if link else "",
        "bounds": view.bounds if view else None,
        "maxZoom": view.max_zoom if view else _MAX_FIT_ZOOM,
        "minZoom": 2 if view and (selected_place or link or focus) else 0,  # below this a selection's fit went wrong
    }

"""The page's map component: the map rendered once per story and toggles, the selection sent as a small script.

``streamlit_folium.st_folium`` renders the whole folium map on every script run (Jinja templates compiled
per element, the map walked three times): about 100 ms of the ~170 ms a rerun of the seed page took, paid
again on every click although the map's script does not change with the selection. Here the arguments
st_folium hands its frontend are computed once (:func:`map_args`, cached by the page under a cheap key) and
each run only adds the selection script (:func:`selection_script`) and calls the same component. The
frontend, the component's key (a hash of the map's script, so its iframe is kept while the map is the same)
and the state it reports are streamlit-folium's own; with static assets served, that frontend runs in our
own frame page (:func:`framed_component`), which loads the map's bundle alongside it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from textwrap import dedent
from typing import Any

import folium
import streamlit as st
import streamlit.components.v1 as components
import streamlit_folium as sf

from geo.core.model import Story
from geo.render.assets import MAP_FRAME
from geo.render.layers import selection_spec
from geo.render.leaflet import htmlsafe_json
from geo.render.selection import SELECTION_JS


@dataclass(frozen=True)
class MapArgs:
    """What streamlit-folium's frontend needs to draw one map, and the component key it derives from it."""

    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    bounds: dict[str, dict[str, float | None]]
    zoom: Any
    hash_key: str


def map_args(m: folium.Map, *, key: str) -> MapArgs:
    """Render ``m`` as st_folium does (same helpers, same order) and keep what it sends the frontend."""
    m.get_root().render()
    m.render()
    html = sf._get_html(m)
    header = sf._get_header(m)
    script = sf._get_map_string(m)
    css: list[str] = []
    js: list[str] = []
    for element in _walk(m):
        css.extend(href for _, href in getattr(element, "default_css", []))
        js.extend(src for _, src in getattr(element, "default_js", []))
    try:
        (south, west), (north, east) = m.get_bounds()
    except (AttributeError, TypeError, ValueError):
        south = west = north = east = None
    return MapArgs(
        script=script,
        header=header,
        html=html,
        map_id=sf.get_full_id(m),
        css_links=tuple(dict.fromkeys(css)),
        js_links=tuple(dict.fromkeys(js)),
        bounds={"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}},
        zoom=m.options.get("zoom"),
        hash_key=sf.generate_js_hash(script, key, False),
    )


def _walk(element: Any) -> Iterable[Any]:
    if isinstance(element, folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def selection_script(
    story: Story,
    *,
    selected_place: str | None = None,
    selected_link: str | None = None,
    focus: Collection[str] = (),
    link_kinds: Collection[str] | None = None,
) -> str:
    """The feature-group script streamlit-folium's frontend runs in the live map: this selection drawn."""
    spec = selection_spec(
        story, selected_place=selected_place, selected_link=selected_link, focus=focus, link_kinds=link_kinds
    )
    return dedent(
        """
        var feature_group_feature_group_0 = L.featureGroup({});
        """
    ) + SELECTION_JS.replace("MAP", "map_div").replace("SPEC", htmlsafe_json(spec)) + dedent(
        """
        map_div.addLayer(feature_group_feature_group_0);
        window.feature_group = window.feature_group || [];
        window.feature_group.push(feature_group_feature_group_0);
        """
    )


# The state st_folium reports, in its order (its defaults before the first report).
_STATE = ("last_clicked", "last_object_clicked", "last_object_clicked_count", "last_object_clicked_tooltip",
          "last_object_clicked_popup", "all_drawings", "last_active_drawing", "bounds", "zoom", "last_circle_radius",
          "last_circle_polygon", "selected_layers", "selected_tags", "last_geocoder_result")  # fmt: skip


@cache
def framed_component(static_dir: str) -> Callable[..., Any]:
    """streamlit-folium's frontend in the frame :func:`geo.render.assets.map_frame_html` wrote into ``static_dir``:
    the map's bundle and stylesheet load with the frontend, not after its first render message.

    A component named ``geo.render.live_map.story_map`` (its iframe's title). Streamlit serves the frame's
    folder as it serves streamlit-folium's; the frame fetches that frontend from streamlit-folium's own URL.
    """
    return components.declare_component("story_map", path=str(Path(static_dir) / Path(MAP_FRAME).parent))


def show_map(
    args: MapArgs,
    feature_group: str,
    *,
    key: str,
    height: int,
    returned_objects: list[str],
    frame: Callable[..., Any] | None = None,
) -> Any:
    """The map component, as ``st_folium(..., key=key, use_container_width=True)`` would draw it.

    ``frame``: a :func:`framed_component` whose page loads the map's scripts and styles itself (``args`` made
    with static assets), so none are passed; without it, streamlit-folium's own component loads ``args``' links.
    """

    def copy_state() -> None:  # st_folium's on_change: the page reads the map's state under ``key``
        st.session_state[key] = st.session_state.get(args.hash_key, {})

    defaults = dict.fromkeys(_STATE) | {"bounds": args.bounds, "zoom": args.zoom}
    component = frame or sf._component_func
    return component(
        script=args.script,
        header=args.header,
        html=args.html,
        id=args.map_id,
        key=args.hash_key,
        height=height,
        width=None,
        returned_objects=returned_objects,
        default={k: v for k, v in defaults.items() if k in returned_objects},
        zoom=None,
        center=None,
        feature_group=feature_group,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=[] if frame else list(args.css_links),
        js_links=[] if frame else list(args.js_links),
        on_change=copy_state,
        wrap_longitude=False,
    )

"""Leaflet drawing primitives for the map layers: elements rendered once, one-JSON-array layers, popups
that open once on the map, world copies across the antimeridian, direction arrows.

Nothing here sees article text except as already-escaped HTML strings passed as JSON data.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

import folium
from branca.element import Element, MacroElement
from folium.template import Template

from geo.core.geometry import haversine_km, unwrap
from geo.core.model import LatLon, Story

# --- geometry for drawing ----------------------------------------------------------------------


def _mercator_y(lat: float) -> float:
    lat = max(-85.0, min(85.0, lat))
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _inverse_mercator_y(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)


def world_copies(path: Sequence[LatLon]) -> list[list[LatLon]]:
    """``path`` unwrapped, plus a copy shifted by ±360° when it leaves [-180, 180].

    Leaflet draws markers at their own longitude, so an unwrapped line crossing the antimeridian
    would end beside the wrong copy of the world. Drawing the shifted copy too attaches the line to
    both end markers, the way a line wrapping round a flat map looks, with no segment jumping
    across the whole map.
    """
    line = unwrap(path)
    lons = [lon for _, lon in line]
    copies = [line]
    if max(lons) > 180:
        copies.append([(lat, lon - 360.0) for lat, lon in line])
    if min(lons) < -180:
        copies.append([(lat, lon + 360.0) for lat, lon in line])
    return copies


def arrow_points(line: Sequence[LatLon], count: int) -> list[tuple[LatLon, float]]:
    """``count`` evenly spaced points on ``line`` with the screen angle (degrees clockwise from up)."""
    seg_lengths = [haversine_km(line[i], line[i + 1]) for i in range(len(line) - 1)]
    total = sum(seg_lengths)
    if total <= 0 or count < 1:
        return []
    out: list[tuple[LatLon, float]] = []
    for k in range(count):
        target = total * (k + 0.5) / count
        walked = 0.0
        for i, seg in enumerate(seg_lengths):
            if walked + seg >= target and seg > 0:
                t = (target - walked) / seg
                (lat1, lon1), (lat2, lon2) = line[i], line[i + 1]
                # Interpolate in Web Mercator, the space Leaflet draws straight segments in.
                y1, y2 = _mercator_y(lat1), _mercator_y(lat2)
                lat = _inverse_mercator_y(y1 + (y2 - y1) * t)
                lon = lon1 + (lon2 - lon1) * t
                angle = math.degrees(math.atan2(lon2 - lon1, y2 - y1))
                out.append(((lat, lon), angle))
                break
            walked += seg
    return out


def arrow_marker(location: LatLon, angle: float, color: str) -> folium.Marker:
    """A small non-interactive triangle pointing along the line (a DivIcon: no image, no plugin)."""
    icon_html = (
        f'<div style="transform: rotate({angle:.1f}deg); color: {color}; font-size: 13px; '
        f'line-height: 13px; width: 13px; text-align: center;">&#9650;</div>'
    )
    icon = folium.DivIcon(html=icon_html, icon_size=(13, 13), icon_anchor=(7, 7), class_name="story-arrow")
    # Not interactive: arrows must not swallow clicks meant for the line or report as "objects".
    return folium.Marker(location=location, icon=icon, interactive=False, keyboard=False)


def centroid(points: Sequence[LatLon]) -> LatLon:
    """Spherical centroid (mean of unit vectors), so it is sane across the antimeridian."""
    xs = ys = zs = 0.0
    for lat, lon in points:
        la, lo = math.radians(lat), math.radians(lon)
        xs += math.cos(la) * math.cos(lo)
        ys += math.cos(la) * math.sin(lo)
        zs += math.sin(la)
    return (math.degrees(math.atan2(zs, math.hypot(xs, ys))), math.degrees(math.atan2(ys, xs)))


# --- rendering without a second Jinja pass ------------------------------------------------------


class _Text(Element):
    """Finished page text: branca puts it on the page as is.

    A plain ``Element(text)`` compiles ``text`` as a new Jinja template: about 1 ms each (seconds on a
    big map, more for a large JSON payload), and any ``{{ … }}`` in it would be evaluated.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs: object) -> str:
        return self._text


class RenderedOnce(MacroElement):
    """A MacroElement whose header/html/script macros are rendered once, their output final.

    The template still works the folium way (streamlit-folium calls ``_template.module.script`` itself).
    """

    def render(self, **kwargs: object) -> None:
        figure = self.get_root()
        module = self._template.module.__dict__
        for part in ("header", "html", "script"):
            macro = module.get(part)
            if macro is not None:
                getattr(figure, part).add_child(_Text(macro(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


def htmlsafe_json(value: object) -> str:
    """JSON that is safe inside a ``<script>``: the same escapes as Jinja's ``tojson``."""
    return (
        json.dumps(value, separators=(",", ":"))
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("'", "\\u0027")
    )


# --- one layer drawn from one JSON array (big stories) -------------------------------------------

# Above this many places or links, a layer is one element holding all its shapes as JSON, drawn by a
# JavaScript loop: folium's one-element-per-shape costs ~1 ms of Jinja per popup, tooltip and marker.
BULK_THRESHOLD = 150

# folium's defaults for CircleMarker / PolyLine, so both drawing paths give the same SVG.
_PATH_DEFAULTS: dict[str, object] = {
    "bubblingMouseEvents": True,
    "dashArray": None,
    "dashOffset": None,
    "fillRule": "evenodd",
    "lineCap": "round",
    "lineJoin": "round",
    "stroke": True,
}
CIRCLE_DEFAULTS = {**_PATH_DEFAULTS, "fill": True, "fillOpacity": 0.75, "opacity": 1.0}
LINE_DEFAULTS = {**_PATH_DEFAULTS, "fill": False, "noClip": False, "opacity": 0.85, "smoothFactor": 1.0}


def use_bulk(story: Story, bulk: bool | None) -> bool:
    return bulk if bulk is not None else max(len(story.places), len(story.links)) > BULK_THRESHOLD


class BulkLayer(RenderedOnce):
    """Every circle or line of one FeatureGroup, plus its direction arrows, from one JSON spec.

    ``spec`` = ``{"shape": "circle"|"line", "shared": {path options}, "popup": {popup options},
    "items": [{"at", "options", "popup", "tooltip", "open"}], "arrows": [[lat, lon, angle]], "arrowColor"}``.
    Popup and tooltip strings are HTML already escaped by :func:`escape_text`; they travel as JSON
    data (``tojson`` escapes ``<``, ``>``, ``&``, ``'``) and Leaflet sets them as content — nothing
    from the article is ever part of the JavaScript source.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (group, spec) {
            var circle = spec.shape === "circle";
            spec.items.forEach(function (item) {
                var options = Object.assign({}, spec.shared, item.options);
                var layer = circle ? L.circleMarker(item.at, options) : L.polyline(item.at, options);
                layer.bindPopup(item.popup, item.open ? Object.assign({}, spec.popup, {autoClose: false}) : spec.popup);
                layer.bindTooltip(item.tooltip, {sticky: true});
                layer.addTo(group);
                if (item.open) {
                    // The group joins the map after its shapes: open once this one is on the map.
                    // No auto-pan: panning during the view's fit animation leaves Leaflet's SVG half drawn.
                    layer.getPopup().options.autoPan = false;
                    if (layer._map) { layer.openPopup(); }
                    else { layer.once("add", function () { layer.openPopup(); }); }
                }
            });
            spec.arrows.forEach(function (arrow) {
                var glyph = document.createElement("div");
                glyph.style.cssText = "font-size: 13px; line-height: 13px; width: 13px; text-align: center;";
                glyph.style.transform = "rotate(" + arrow[2] + "deg)";
                glyph.style.color = spec.arrowColor;
                glyph.textContent = "\\u25b2";
                var icon = L.divIcon({html: glyph, iconSize: [13, 13], iconAnchor: [7, 7], className: "story-arrow"});
                // Not interactive: arrows must not swallow clicks meant for the line.
                L.marker([arrow[0], arrow[1]], {icon: icon, interactive: false, keyboard: false}).addTo(group);
            });
        })({{ this._parent.get_name() }}, {{ this.spec|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, spec: dict) -> None:
        super().__init__()
        self._name = "StoryShapes"
        self.spec = spec


class OpenPopup(RenderedOnce):
    """Open the parent marker's popup once the marker is on the map.

    folium's ``Popup(show=True)`` opens it at once, which does nothing when the marker's group joins the
    map later — as streamlit-folium orders the script — so this waits for the marker's ``add`` event.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (marker) {
            // No auto-pan: panning during the view's fit animation leaves Leaflet's SVG half drawn.
            if (marker.getPopup()) { marker.getPopup().options.autoPan = false; }
            if (marker._map) { marker.openPopup(); }
            else { marker.once("add", function () { marker.openPopup(); }); }
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )




def bend(line: Sequence[LatLon], offset: float) -> list[LatLon]:
    """``line`` bowed sideways by ``offset`` × its chord length at the middle (a sine profile, ends fixed).

    Drawn in Web Mercator, where Leaflet draws, so two links between the same places bent by opposite
    offsets run apart on screen and each keeps its own clickable stroke. ``offset`` 0 returns ``line``.
    """
    if not offset or len(line) < 2:
        return list(line)
    xs = [lon for _, lon in line]
    ys = [_mercator_y(lat) for lat, _ in line]
    dx, dy = xs[-1] - xs[0], ys[-1] - ys[0]
    chord = math.hypot(dx, dy)
    if chord == 0:
        return list(line)
    nx, ny = -dy / chord, dx / chord
    steps = [0.0]
    for i in range(1, len(line)):
        steps.append(steps[-1] + math.hypot(xs[i] - xs[i - 1], ys[i] - ys[i - 1]))
    total = steps[-1] or 1.0
    out = []
    for x, y, walked in zip(xs, ys, steps):
        push = math.sin(math.pi * walked / total) * offset * chord
        out.append((max(-85.0, min(85.0, _inverse_mercator_y(y + ny * push))), x + nx * push))
    out[0], out[-1] = tuple(line[0]), tuple(line[-1])  # exactly on the places: the markers sit there
    return out

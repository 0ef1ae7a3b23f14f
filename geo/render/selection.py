"""The page's selection drawn on a map that stays the same: outline, dimming, open popup and view, as one script.

streamlit-folium keys its iframe by a hash of the map's script, so a map whose script changes with the
selection is rebuilt from scratch (a new iframe: Leaflet, the basemap and every layer again) on each click.
The page therefore draws the story map without a selection and runs this script in the live map whenever the
selection changes (:func:`geo.render.live_map.selection_script`). :func:`geo.render.layers.build_map` with a
selection (the export, the CLI) draws the same result in Python. :class:`ClickReport` sends a click to the page.
"""

from __future__ import annotations

from folium.template import Template

from geo.render.leaflet import RenderedOnce

# The selection drawn in a live map: MAP and SPEC stand for the map's variable and the selection_spec as JSON.
SELECTION_JS = """
        (function (map, spec) {
            // Undo the previous selection, then mark this one (CSS classes as build_map sets them).
            map.closePopup();
            var popupOf = null;
            window.storySelectionDone = false;
            map.eachLayer(function (layer) {
                var classes = ((layer.options && layer.options.className) || "").split(" "), path = layer._path;
                if (!path || (classes[0] !== "place" && classes[0] !== "link")) { return; }
                var token = classes[1].slice(classes[0].length + 1), id = classes[0] === "place" ? token : null;
                if (layer._storyStyle === undefined) { layer._storyStyle = {color: layer.options.color, weight: layer.options.weight}; }
                ["place-selected", "place-dimmed", "link-selected", "link-dimmed"].forEach(function (c) { L.DomUtil.removeClass(path, c); });
                layer.setStyle(layer._storyStyle);
                if (classes[0] === "place" && spec.places.length) {
                    var chosen = spec.places.indexOf(id) >= 0;
                    L.DomUtil.addClass(path, chosen ? "place-selected" : "place-dimmed");
                    if (chosen) { layer.setStyle({color: "#111111", weight: 4}); }
                    if (chosen && spec.open) { popupOf = layer; }
                }
                if (classes[0] === "link" && spec.link) {
                    var selected = classes.indexOf("lid-" + spec.link) >= 0;
                    L.DomUtil.addClass(path, selected ? "link-selected" : "link-dimmed");
                    if (selected) { layer.setStyle({weight: layer._storyStyle.weight + 3}); layer.bringToFront(); }
                }
            });
            // After the map's own script (streamlit-folium may run it after this one, with its story-wide fit),
            // and once the map has a size (its iframe grows after the first render).
            function fit() {
                var size = map.getSize();
                if (!size.x || !size.y) { return false; }
                map.fitBounds(spec.bounds, {padding: [40, 40], maxZoom: spec.maxZoom, animate: false});
                return true;
            }
            // Open the popup after the fit, so it pans into the final view (see MapLabels' popupopen).
            function open() { if (popupOf) { popupOf.openPopup(); } }
            function settle() {
                // A fit made while a new iframe settles can come out at the widest zoom: fit again once settled.
                if (spec.bounds && map.getZoom() < spec.minZoom) { fit(); open(); }
                window.storySelectionDone = true;
            }
            setTimeout(function () {
                if (!spec.bounds || fit()) { open(); }
                else { map.on("resize", function once() { if (fit()) { map.off("resize", once); open(); } }); }
                setTimeout(settle, 500);
            }, 0);
            window.storySelection = spec;
        })(MAP, SPEC);
"""


class ClickReport(RenderedOnce):
    """Reports a click on a place or a link to the page at once, not after streamlit-folium's 250 ms debounce.

    streamlit-folium sends the map's state 250 ms after the last event (the wait is for pans and zooms, which
    come in bursts); a click on a story object is final, and that wait was half the click's round trip. This
    sends the value streamlit-folium's own report would carry, then records it as sent, so the debounced
    report finds nothing new and sends nothing: one click, one value, one script run. If streamlit-folium's
    state is not what this expects (another version), it does nothing and the debounced report still comes.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            // The order and names of updateComponentValue's own report (streamlit-folium 0.2x), so the
            // debounced report compares equal to this one.
            var ORDER = ["last_object_clicked", "last_object_clicked_count", "last_object_clicked_tooltip",
                         "last_object_clicked_popup"];
            function report() {
                var data = window.__GLOBAL_DATA__;
                if (!data || !data.last_object_clicked || data.wrap_longitude || !Array.isArray(data.returned_objects)
                    || !data.returned_objects.every(function (k) { return ORDER.indexOf(k) >= 0; })) { return; }
                var value = {};
                ORDER.forEach(function (k) { if (data.returned_objects.indexOf(k) >= 0) { value[k] = data[k]; } });
                if (JSON.stringify(value) === JSON.stringify(data.previous_data)) { return; }
                data.previous_data = value;
                window.parent.postMessage({isStreamlitMessage: true, type: "streamlit:setComponentValue",
                                           value: value, dataType: "json"}, "*");
            }
            map.getContainer().addEventListener("click", function (event) {
                var classes = (event.target.getAttribute && event.target.getAttribute("class")) || "";
                // After streamlit-folium's own click handler has recorded the clicked object.
                if (/(^| )(place|link) /.test(classes)) { setTimeout(report, 0); }
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "ClickReport"

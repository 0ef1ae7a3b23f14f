"""Leaflet and jQuery from the XStatic packages, so maps work without any CDN.

folium's maps load Leaflet, jQuery, Bootstrap, awesome-markers and Font Awesome from CDNs; offline the
map stays blank. :func:`use_local_assets` swaps Leaflet/jQuery for local copies and drops the rest
(our layers use CircleMarkers, DivIcons and plain popups, none of Bootstrap's or awesome-markers'
features).

Two ways to serve the local copies:

``inline``  ``data:`` URIs inside the HTML: needs nothing else, adds ~330 KB per map. Used by the
            self-contained export. Works in streamlit-folium too, because its component turns every
            ``default_js`` entry into ``<script src=…>`` and every ``default_css`` entry into
            ``<link href=…>`` inside its iframe, and ``data:`` URIs load there like any URL.
``static``  root-relative URLs (``/app/static/story-map.js``: Leaflet, jQuery and the basemap topology in one
            script, and ``leaflet.css``) of files written by :func:`sync_static_dir`
            into the ``static/`` folder that Streamlit serves with ``server.enableStaticServing``. The
            component iframe is served from the same origin as the app, so those URLs resolve; this
            keeps each rerun's component payload small and lets the browser cache the files.
            Streamlit only serves ``static/`` if the folder exists when the server starts, so
            sync it before ``streamlit run`` (the app script running it is too late the first time).

Both modes were checked in a real Streamlit 1.67 + streamlit-folium 0.27.4 page with all non-loopback
traffic blocked: the map draws and a marker click comes back as ``last_object_clicked``.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import os
import re
import tempfile
from functools import cache
from pathlib import Path

import folium
import xstatic.pkg.jquery
import xstatic.pkg.leaflet
from folium.elements import JSCSSMixin

from geo.render.basemap import Outlines, world_script

LEAFLET_DIR = Path(xstatic.pkg.leaflet.BASE_DIR)
JQUERY_DIR = Path(xstatic.pkg.jquery.BASE_DIR)

# Name in the static folder → file shipped by the XStatic packages. ``images/`` is referenced by
# leaflet.css (layer-control icon, default marker), so it travels with the stylesheet.
STATIC_FILES: dict[str, Path] = {
    "leaflet.js": LEAFLET_DIR / "leaflet.js",
    "leaflet.css": LEAFLET_DIR / "leaflet.css",
    "jquery.min.js": JQUERY_DIR / "jquery.min.js",
    "images/layers.png": LEAFLET_DIR / "images" / "layers.png",
    "images/layers-2x.png": LEAFLET_DIR / "images" / "layers-2x.png",
    "images/marker-icon.png": LEAFLET_DIR / "images" / "marker-icon.png",
    "images/marker-icon-2x.png": LEAFLET_DIR / "images" / "marker-icon-2x.png",
    "images/marker-shadow.png": LEAFLET_DIR / "images" / "marker-shadow.png",
}

# The names folium's Map uses for these links; keeping them means a later render of the same name
# replaces ours rather than adding a second copy.
_JS_NAMES = (("leaflet", "leaflet.js"), ("jquery", "jquery.min.js"))
_CSS_NAMES = (("leaflet_css", "leaflet.css"),)

# Made, not copied: Leaflet, jQuery and the basemap topology (a script defining a global) in one file for the
# page's map. The page's map payload stays small on every rerun, the browser caches the file once, and it is
# one round trip: streamlit-folium loads a map's scripts one after another.
MAP_BUNDLE = "story-map.js"


def map_bundle() -> bytes:
    """Leaflet + jQuery (from their packages, source-map comments dropped) + the world topology, one script."""
    libs = [_SOURCE_MAP.sub(b"\n", _read(name)) for _, name in _JS_NAMES]
    return b"\n;\n".join([*libs, world_script()])


# Made, not copied: the page's map component frame (see :func:`map_frame_html`), served by Streamlit as a declared
# component from the static folder (geo.render.live_map).
MAP_FRAME = "story-map-frame/index.html"
_FRAME_BODY = ('<div id="root"><div id="parent" class="float-container single"><div class="float-child"><div id="map_div">'
               '</div></div><div class="float-child"><div id="map_div2"></div></div></div></div><span>&nbsp;</span>')


def map_frame_html() -> bytes:
    """streamlit-folium's frontend in a page that loads the map's bundle and stylesheet itself.

    streamlit-folium's own page loads its script, waits for the first render message and only then loads the
    map's scripts one after another and then its stylesheets (~0.25 s per page load here). This page starts
    all three downloads at once and runs the bundle before streamlit-folium's script, which finds Leaflet
    loaded and gets no links to load (:func:`geo.render.live_map.show_map`). The frontend script is the
    package's own (named in its build's ``asset-manifest.json``), served at the component URL streamlit-folium
    registers; the body is the markup that script expects (its ``index.html``: ``#parent``, ``#map_div``).
    URLs are relative: the frame is served at ``<base>/component/<name>/index.html``.
    """
    spec = importlib.util.find_spec("streamlit_folium")  # found, not imported: importing it declares its component
    if spec is None or spec.origin is None:
        raise FileNotFoundError("streamlit-folium is not installed; the page's map needs it")
    build = Path(spec.origin).parent / "frontend" / "build"
    manifest = json.loads((build / "asset-manifest.json").read_text(encoding="utf-8"))
    script = manifest["files"]["main.js"].removeprefix("./")
    return f"""<!doctype html>
<html lang="en" style="font-size:1rem"><head><meta charset="UTF-8"><title>Story map</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>.single>:first-child{{width:100%}}.single>:nth-child(2){{display:none}}.double .float-child{{width:50%;float:left}}</style>
<link rel="stylesheet" href="../../app/static/leaflet.css">
<script src="../../app/static/{MAP_BUNDLE}"></script>
<script defer src="../streamlit_folium.st_folium/{script}"></script>
</head><body>{_FRAME_BODY}</body></html>
""".encode("utf-8")


GENERATED: dict[str, object] = {MAP_BUNDLE: map_bundle, MAP_FRAME: map_frame_html}

_REMOTE = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
_SOURCE_MAP = re.compile(rb"\n?//# sourceMappingURL=[^\n]*\s*$")
_CSS_IMAGE_URL = re.compile(r"url\((['\"]?)(images/[A-Za-z0-9_.-]+\.png)\1\)")


def _read(name: str) -> bytes:
    path = STATIC_FILES[name]
    try:
        return path.read_bytes()
    except OSError as err:
        raise FileNotFoundError(
            f"Leaflet/jQuery asset {path} is missing; reinstall XStatic-Leaflet and XStatic-jQuery"
        ) from err


def _data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


@cache
def inline_url(name: str) -> str:
    """A ``data:`` URI for one of :data:`STATIC_FILES` (``leaflet.js``, ``leaflet.css``, ``jquery.min.js``).

    Source-map comments are dropped (they would point at files that are not there), and the CSS's
    ``url(images/…)`` references are themselves inlined so the layer-control icon shows offline.
    """
    data = _read(name)
    if name.endswith(".js"):
        return _data_uri(_SOURCE_MAP.sub(b"\n", data), "text/javascript")
    if name.endswith(".css"):
        css = _CSS_IMAGE_URL.sub(lambda m: f"url({_data_uri(_read(m.group(2)), 'image/png')})", data.decode("utf-8"))
        return _data_uri(css.encode("utf-8"), "text/css")
    raise ValueError(f"inline_url serves .js and .css files, instead got: {name!r}")


def _elements(element: folium.Element):
    yield element
    for child in element._children.values():
        yield from _elements(child)


def _remote_links(element: JSCSSMixin) -> list[str]:
    links = [*element.default_js, *element.default_css]
    return [url for _, url in links if _REMOTE.match(url)]


def use_local_assets(m: folium.Map, mode: str = "inline", static_url: str = "/app/static") -> folium.Map:
    """Make ``m`` load Leaflet/jQuery locally and nothing from a CDN; returns ``m`` (changed in place).

    ``mode="inline"`` embeds ``data:`` URIs; ``mode="static"`` points at ``{static_url}/leaflet.js`` etc.
    (copy the files there with :func:`sync_static_dir`). Call it after every layer is added: an
    element that brings its own CDN script (a folium plugin) raises ``ValueError`` instead of being
    silently broken.
    """
    if mode == "inline":
        url = inline_url
    elif mode == "static":
        base = static_url.rstrip("/")

        def url(name: str) -> str:
            return f"{base}/{name}"
    else:
        raise ValueError(f"mode must be 'inline' or 'static', instead got: {mode!r}")
    # Instance attributes shadow folium's class-level lists, so other maps keep their defaults.
    m.default_css = [(key, url(name)) for key, name in _CSS_NAMES]
    if mode == "static":
        for el in _elements(m):
            if isinstance(el, Outlines):
                el.external = True
        m.default_js = [(_JS_NAMES[0][0], url(MAP_BUNDLE))]
    else:
        m.default_js = [(key, url(name)) for key, name in _JS_NAMES]
    offenders = [
        f"{type(el).__name__}: {', '.join(_remote_links(el))}"
        for el in _elements(m)
        if el is not m and isinstance(el, JSCSSMixin) and _remote_links(el)
    ]
    if offenders:
        raise ValueError(
            "These map elements load scripts or styles from the internet and cannot work offline; "
            "remove them or give them local assets: " + "; ".join(offenders)
        )
    return m


def use_cdn_assets(m: folium.Map) -> folium.Map:
    """Keep folium's CDN Leaflet and jQuery but drop the CDN assets our layers never use."""
    keep_js = {key for key, _ in _JS_NAMES}
    keep_css = {key for key, _ in _CSS_NAMES}
    m.default_js = [(k, u) for k, u in type(m).default_js if k in keep_js]
    m.default_css = [(k, u) for k, u in type(m).default_css if k in keep_css]
    return m


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sync_static_dir(path: str | os.PathLike[str]) -> list[Path]:
    """Copy Leaflet, its images and jQuery into ``path`` (e.g. the app's ``static/``).

    A file is written only when it is missing or its bytes differ, atomically (temporary file in
    the same folder, then ``os.replace``), so a running Streamlit server never serves half a file.
    Returns the files written (empty when everything was up to date).
    """
    root = Path(path)
    written: list[Path] = []
    for name in [*STATIC_FILES, *GENERATED]:
        data = GENERATED[name]() if name in GENERATED else _read(name)  # type: ignore[operator]
        target = root / name
        try:
            if _digest(target.read_bytes()) == _digest(data):
                continue
        except FileNotFoundError:
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.chmod(tmp, 0o644)  # mkstemp makes it owner-only; the web server must read it
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        written.append(target)
    return written

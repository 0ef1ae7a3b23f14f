"""The story-map dashboard: `streamlit run app.py` (or `make run`).

The map and the article's passages, linked both ways; the article and the selection live in the URL
(?article=<stored id>&place= / link= / passage=), so a copied URL opens the same view for anyone using the
same server. This file only composes: the pipeline, store, corrections, layers and views live in `geo`.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from pathlib import Path

import streamlit as st

st.set_page_config(page_title="Story map", page_icon="🗺️", layout="wide")

import pandas as pd

from geo.core.corpus import Corpus
from geo.core.errors import GeoError
from geo.core.hosting import Hosting
from geo.core.model import LINK_KINDS, Story
from geo.core.settings import Settings
from geo.core.text import article_text, passages
from geo.core.text import title as default_title
from geo.corpus import aggregate, iter_jsonl_lines, read_run
from geo.editor import corrections_panel
from geo.output import place_rows, places_csv, story_geojson
from geo.pipeline import GeocodeReport, analyse
from geo.places import gazetteer as gazetteer_mod
from geo.places.geocode import OnlineGeocoder
from geo.render.assets import sync_static_dir, use_local_assets
from geo.render.corpus_map import render_corpus_map
from geo.render.export import render_html
from geo.render.layers import build_map, place_at
from geo.render.live_map import (
    MapArgs,
    framed_component,
    map_args,
    selection_script,
    show_map,
)
from geo.render.paging import page_count, page_items, page_label
from geo.render.permalink import ARTICLE, download_name, params_for, unknown_items
from geo.render.popups import link_label, route_label
from geo.render.selection import ClickReport
from geo.render.view import (
    PAGE_CSS,
    Selection,
    evidence_html,
    focus_places,
    md_escape,
    parse_selection,
    passage_html,
    story_order,
    title_markdown,
    visible_passages,
)
from geo.store import ArticleUnknown, Store
from geo.story.corrections import apply
from geo.webserver import disable_nagle

HERE = Path(__file__).resolve().parent
SEEDS = sorted((HERE / "seeds").glob("*.txt"))
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
PASTE, UPLOAD = "Paste text", "Upload a .txt file"


SETTINGS = Settings.from_env()
HOSTING = Hosting.configure(SETTINGS, app_dir=HERE)
logging.getLogger("geopy").setLevel(logging.ERROR)  # RateLimiter logs a traceback per retry at WARNING


@st.cache_resource
def server_sockets_tuned() -> int:
    """TCP_NODELAY on the server's sockets, once per process: each file after a connection's first took 40 ms
    more without it (geo.webserver); the page loads ~110."""
    return disable_nagle()


@st.cache_resource(show_spinner="Loading the gazetteer…")
def load_gazetteer(cache_dir: Path) -> gazetteer_mod.Gazetteer:
    # load() moves the index out of the collector's reach (gc.freeze): a full collection, which holds the GIL so
    # the server answers nothing meanwhile, takes ~1 ms instead of 280–360 ms.
    return gazetteer_mod.load(cache_dir)


@st.cache_resource
def local_assets(static_dir: str) -> bool:
    """Copy Leaflet and jQuery from their packages into static/ (served at /app/static) once per server."""
    try:
        sync_static_dir(static_dir)
        return True
    except OSError:
        return False  # a read-only checkout: the map inlines them instead


@st.cache_data(show_spinner="Mapping the article…", max_entries=32)
def offline_story(text: str, title: str) -> Story:
    return analyse(text, title, gazetteer=load_gazetteer(SETTINGS.cache_dir))


@st.cache_data(show_spinner=False, max_entries=8)
def export_html(_story: Story, key: str, corrections: int) -> str:
    """The self-contained map, cached by ``key`` (see ``story_key``) and the corrections count: hashing the Story
    itself on every rerun took 4 s for a 20,000-paragraph text."""
    return render_html(_story, self_contained=True, corrections=corrections)


@st.cache_data(show_spinner=False, max_entries=16)
def page_map(_story: Story, key: str, link_kinds: tuple[str, ...], layers: tuple[str, ...], static: bool) -> MapArgs:
    """The page's map, built and rendered once per story (``key``: see ``map_key``; Streamlit never hashes the
    Story) and toggles."""
    m = build_map(_story, link_kinds=link_kinds, layers=layers, offline_first=True, collapse_control=True)
    use_local_assets(m, mode="static" if static else "inline")
    ClickReport().add_to(m)  # a click reaches the page without streamlit-folium's 250 ms wait
    return map_args(m, key="map")


def map_key(story: Story) -> str:
    """The cache key of the page's map: its text and places, and everything else (routes, links, mentions,
    corrections) through the frozen Story's own hash: ~1 ms for a 1,000-passage story."""
    try:
        whole = f"{hash(story):x}"
    except TypeError:  # a field that is not hashable: the slower, always-working way
        whole = hashlib.sha256(repr(story).encode("utf-8", "surrogatepass")).hexdigest()
    return f"{story_key(story)}-{whole}"


def story_key(story: Story) -> str:
    places = "|".join(f"{p.id}:{p.source}:{p.lat}:{p.lon}" for p in story.places)
    return hashlib.sha256(f"{story.title}\0{story.text}\0{places}".encode("utf-8", "surrogatepass")).hexdigest()


def online_story(text: str, title: str) -> Story:
    """The story with online geocoding, looked up once per article and session (reruns reuse it)."""
    done = st.session_state.setdefault("online_stories", {})
    key = hashlib.sha256(f"{title}\0{text}".encode()).hexdigest()
    if key in done:
        return done[key]
    report = GeocodeReport()
    with st.status("Geocoding names the offline gazetteer lacks (Nominatim, ≤ 1 request/s)…", expanded=True) as status:
        story = analyse(
            text,
            title,
            gazetteer=load_gazetteer(SETTINGS.cache_dir),
            cache_path=SETTINGS.places_cache,
            geocoder=OnlineGeocoder.at(SETTINGS.nominatim_url, SETTINGS.rate_file),
            progress=lambda note: status.write(md_escape(note)),
            report=report,
        )
        for name, why in report.failed.items():
            status.write(f"⚠️ {md_escape(name)}: {md_escape(why)}")
        status.update(
            label=f"Online geocoding: {len(report.found)} found, {len(report.failed)} failed, "
            f"{len(report.looked_up)} looked up",
            state="error" if report.failed else "complete",
            expanded=bool(report.failed),
        )
    done[key] = story
    return story


def article_source() -> tuple[str, str] | None:
    """The article to map, from the sidebar: a seed, pasted text or an uploaded file."""
    st.sidebar.header("Article")
    options = [p.name for p in SEEDS] + [PASTE, UPLOAD]
    choice = st.sidebar.selectbox("Source", options, key="source", on_change=_source_changed)
    if choice == PASTE:
        text = st.sidebar.text_area(
            "Article text (Arabic or English)", height=200, key="pasted", max_chars=HOSTING.max_chars, on_change=_source_changed
        )
        return admitted(text, "") if text.strip() else None  # titled by its headline (geo.core.text.title)
    if choice == UPLOAD:
        file = st.sidebar.file_uploader(
            "Article (.txt: UTF-8, UTF-16 or cp1256)", type=["txt"], key="upload", on_change=_source_changed
        )
        if file is None:
            return None
        data = file.getvalue()
        if len(data) > MAX_UPLOAD_BYTES:
            st.sidebar.error(
                f"{md_escape(file.name)} is {len(data) / 1e6:.1f} MB; the limit is {MAX_UPLOAD_BYTES // 2**20} MB per article."
            )
            return None
        try:
            text = article_text(data)
        except GeoError as err:
            st.sidebar.error(f"{md_escape(file.name)}: {md_escape(str(err))}")
            return None
        return admitted(text, Path(file.name).stem)
    path = next(p for p in SEEDS if p.name == choice)
    return path.read_text(encoding="utf-8"), ""


def admitted(text: str, title: str) -> tuple[str, str] | None:
    """The article, if this session may map it (size, and in hosted mode how many it has mapped)."""
    seen = st.session_state.setdefault("articles_mapped", set())
    key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    why = HOSTING.refuse(text, seen, key)
    if why:
        st.sidebar.error(md_escape(why))
        return None
    seen.add(key)
    return text, title


def online_allowed() -> bool:
    """The online toggle: locally always offered; hosted, only to the operator (secret key), else not shown."""
    if not HOSTING.online_possible:
        return False
    if HOSTING.hosted and not HOSTING.is_operator(st.sidebar.text_input("Operator key", type="password", key="operator")):
        return False
    return st.sidebar.toggle("Online geocoding (Nominatim)", value=False, help="Off: offline gazetteer and cache only.")


def _source_changed() -> None:
    st.session_state["source_changed"] = True


def current_article(source: tuple[str, str] | None) -> tuple[str, str, str] | None:
    """(text, title, store id) to show: the URL's ?article= unless the reader just changed the sidebar.

    Every article shown is kept in the store, so its URL works for anyone on this server; a new article
    replaces the whole query (a stale ?place= of the previous one must not carry over).
    """
    store = Store(SETTINGS.store)
    wanted = st.query_params.get(ARTICLE)
    switched = st.session_state.pop("source_changed", False)
    if wanted and not switched:
        try:
            stored = store.article(wanted)
            return stored.text, stored.title, stored.id
        except ArticleUnknown:
            st.error(f"No article “{md_escape(wanted)}” is stored on this server (the link may come from another "
                     "server or be cut short); showing the article chosen in the sidebar.")
        except GeoError as err:
            st.error(f"The article store cannot be read: {md_escape(str(err))}")
    if source is None:
        if switched:
            st.query_params.from_dict({})
        return None
    text, title = source
    try:
        aid = store.put_article(text, title or default_title(text, passages(text))).id
    except GeoError as err:
        st.warning(f"This article could not be stored, so its link and corrections will not work: {md_escape(str(err))}")
        aid = ""
    if switched or (wanted and wanted != aid):
        st.query_params.from_dict(params_for(aid, {}))
    return text, title, aid


def counted(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def set_selection(sel: Selection) -> None:
    # One assignment, one URL change: one browser history entry per selection (clear() + update() made two).
    st.query_params.from_dict(params_for(st.session_state.get("article_id"), sel.to_params()))


def main() -> None:
    server_sockets_tuned()
    st.markdown(PAGE_CSS, unsafe_allow_html=True)  # constant CSS, no user text
    if st.sidebar.radio("View", ("Article", "Corpus"), horizontal=True, key="view") == "Corpus":
        corpus_view()
        return
    static_ok = local_assets(str(HERE / "static"))
    article = current_article(article_source())
    if article is None:
        st.info("Paste an article or upload a .txt file in the sidebar to map it.")
        return
    text, title, article_id = article
    st.session_state["article_id"] = article_id

    online = online_allowed()
    st.sidebar.header("Map")
    show = {
        "places": st.sidebar.checkbox("Places", value=True),
        "routes": st.sidebar.checkbox("Routes", value=True),
        "links": st.sidebar.checkbox("Links", value=True),
    }
    story = online_story(text, title) if online else offline_story(text, title)
    fixed = apply(story, [c.body for c in Store(SETTINGS.store).corrections(article_id)] if article_id else [])
    story = fixed.story
    kinds_present = [k for k in LINK_KINDS if any(lk.kind == k for lk in story.links)]
    # Keyed by the kinds present: a kind a correction brings in is shown, not filtered out by an old choice.
    link_kinds = st.sidebar.multiselect("Link types", kinds_present, default=kinds_present, key=f"link_kinds-{kinds_present}")

    sel = parse_selection(st.query_params, story)
    for problem in unknown_items(st.query_params, story):
        st.warning(md_escape(problem))
    # Map → text in this same run: the click that triggered it is already in the map's state, so no second
    # rerun (which also made Streamlit build a new map iframe: ~2 s per click).
    sel = handle_click(story, st.session_state.get("map") or {}, sel)
    st.subheader(title_markdown(story.title) if story.title else "Story map")
    st.caption(
        " · ".join(counted(n, what) for n, what in ((len(story.places), "place"), (len(story.mentions), "mention"),
                                                    (len(story.routes), "route"), (len(story.links), "link")))
        + f" · language: {story.language}"
        + (f" · {counted(fixed.applied, 'correction')}" if fixed.applied else "")
        + (f" · {len(fixed.skipped)} correction(s) no longer apply" if fixed.skipped else "")
        + (f" · unresolved: {md_escape(', '.join(story.unresolved))}" if story.unresolved else "")
    )

    # Place picker: the keyboard way to select (and the page's state mirrors the URL).
    names = {p.id: f"{p.name} · {p.name_ar}" if p.name_ar else p.name for p in story.places}
    pick_options = ["(all places)"] + list(names)
    picked = st.selectbox(
        "Place", pick_options, index=pick_options.index(sel.place) if sel.place in names else 0,
        format_func=lambda pid: names.get(pid, pid), key=f"picker-{sel.place}",
    )
    if picked != "(all places)" and picked != sel.place:
        set_selection(Selection(place=picked))
        st.rerun()

    map_col, text_col = st.columns([3, 2], gap="medium")
    with map_col:
        # The map's script depends on the story and the toggles only, so streamlit-folium keeps its iframe across
        # selections; the selection (outline, dimming, popup, view) is a script it runs in the live map. The map
        # is rendered once per story and toggles (geo.render.live_map): rendering it took ~100 ms a run.
        layers = tuple(k for k, on in show.items() if on)
        args = page_map(story, map_key(story), tuple(link_kinds), layers, static_ok)
        show_map(
            args,
            selection_script(story, selected_place=sel.place, selected_link=sel.link, focus=focus_places(story, sel),
                             link_kinds=link_kinds),
            key="map",
            height=560,
            returned_objects=["last_object_clicked", "last_object_clicked_tooltip"],
            frame=framed_component(str(HERE / "static")) if static_ok else None,
        )

    with text_col:
        passages_panel(story, sel)
        if article_id:
            corrections_panel(story, sel, Store(SETTINGS.store), article_id, load_gazetteer(SETTINGS.cache_dir), set_selection)

    # The table opens on demand: on the page it made the first map wait ~0.6 s for the data grid's 1.2 MB of
    # scripts (bench/page_speed.py), and the map, the picker and the passages already select places.
    if st.button(f"Places table ({counted(len(story.places), 'place')})", key="places-table", disabled=not story.places):
        places_table(story, article_id, sel)
    downloads(story, article_id, fixed.applied)


@st.dialog("Places", width="large")
def places_table(story: Story, article_id: str, sel: Selection) -> None:
    """Every place with its mentions, kind, coordinates and source; picking a row selects the place."""
    rows = place_rows(story)
    # Keyed by the selection: a new selection starts a fresh table, so an old row pick never fires again.
    table = st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", on_select="rerun",
                         selection_mode="single-row", key=f"places-{article_id}-{sel.place}",
                         column_config={"name": st.column_config.TextColumn(width="medium"),  # Arabic names unclipped
                                        "name_ar": st.column_config.TextColumn(width="medium")})
    picked_rows = table.selection.rows if table else []
    if picked_rows and rows[picked_rows[0]]["id"] != sel.place:
        set_selection(Selection(place=rows[picked_rows[0]]["id"]))
        st.rerun()


def handle_click(story: Story, event: dict, sel: Selection) -> Selection:
    """Map → text: a click on a marker selects its place, on a link its link. Each click is handled once."""
    clicked = event.get("last_object_clicked")
    if not clicked or clicked == st.session_state.get("handled_click"):
        return sel
    st.session_state["handled_click"] = clicked
    place = place_at(story, clicked.get("lat", 0.0), clicked.get("lng", 0.0))
    tooltip = " ".join((event.get("last_object_clicked_tooltip") or "").split())
    link = next((lk for lk in story.links if " ".join(link_label(story, lk).split()) == tooltip), None)
    new = Selection(place=place.id) if place is not None else Selection(link=link.id) if link is not None else sel
    if new != sel:
        set_selection(new)
    return new


def passages_panel(story: Story, sel: Selection) -> None:
    shown = visible_passages(story, sel)
    if sel.place:
        n = len(shown)
        name = md_escape(story.place(sel.place).name)
        st.markdown(f"**{n} passage{'s' if n != 1 else ''} mention{'s' if n == 1 else ''} {name}**")
    elif sel.link:
        link = next(lk for lk in story.links if lk.id == sel.link)
        st.markdown(f"**Evidence for the {link.kind} link** ({len(shown)} passages)")
        st.html(evidence_html(story, sel))
    elif sel.route:
        route = next(r for r in story.routes if r.id == sel.route)
        st.markdown(f"**Evidence for the {route.mode} route** {md_escape(route_label(story, route))}")
        st.html(evidence_html(story, sel))
    elif sel.passage is not None:
        st.markdown(f"**Passage {sel.passage + 1}** and its places on the map")
    if sel != Selection() and st.button("Show all passages", key="show-all"):
        set_selection(Selection())
        st.rerun()
    pages = page_count(len(shown))
    page = 1
    if pages > 1:  # a widget set per passage: a long text shows one page of them at a time
        page = int(st.number_input("Page", 1, pages, 1, key=f"page-{sel.to_params()}"))
        st.caption(page_label(len(shown), page))
    with st.container(height=520):
        mapped = {m.passage for m in story.mentions}
        for p in page_items(shown, page):
            body, button = st.columns([4, 1], gap="small", vertical_alignment="center")
            body.html(passage_html(story, p, sel))
            if p.id in mapped and button.button("Map", key=f"passage-{p.id}", type="tertiary", help="Show this passage's places on the map"):
                set_selection(Selection(passage=p.id))
                st.rerun()
    # Lazy like the editor (geo.editor): their buttons are built only while open.
    if story.routes:
        with st.expander("Routes", key="routes-open", on_change="rerun") as box:
            for r in story_order(story.routes) if box.open else ():
                if st.button(md_escape(route_label(story, r) + f" ({r.mode}{', ' + r.status if r.status else ''})"), key=f"route-{r.id}"):
                    set_selection(Selection(route=r.id))
                    st.rerun()
    if story.links:
        with st.expander("Links", key="links-open", on_change="rerun") as box:
            for lk in story_order(story.links) if box.open else ():
                label = md_escape(link_label(story, lk) + (f" ({lk.status})" if lk.status else ""))
                if st.button(label, key=f"link-{lk.id}", help=f"{lk.weight} passage(s)"):
                    set_selection(Selection(link=lk.id))
                    st.rerun()


# --- the Corpus view: a whole run (from `geo extract DIR`) as one map ---------------------------------

@st.cache_data(show_spinner="Reading the run…", max_entries=4)
def corpus_from_upload(data: bytes, name: str) -> tuple[str, pd.DataFrame, str]:
    return corpus_page(aggregate(iter_jsonl_lines(io.StringIO(data.decode("utf-8", errors="replace")), name), name), name)


@st.cache_data(show_spinner="Reading the run…", max_entries=4)
def corpus_from_path(path: str, stamp: float) -> tuple[str, pd.DataFrame, str]:
    return corpus_page(read_run(path), Path(path).name)


def corpus_page(corpus: Corpus, name: str) -> tuple[str, pd.DataFrame, str]:
    """(map HTML, the most-named places, a one-line summary) for a corpus."""
    top = pd.DataFrame(
        [{"place": p.name, "arabic": p.name_ar, "kind": p.kind, "country": p.country, "articles": len(p.articles)}
         for p in corpus.places[:200]]
    )  # fmt: skip
    summary = (f"{len(corpus.articles):,} articles ({corpus.dated:,} dated) · {len(corpus.places):,} places · "
               f"{len(corpus.links):,} links")  # fmt: skip
    return render_corpus_map(corpus, title=name), top, summary


def corpus_view() -> None:
    """A run as one map: an uploaded .jsonl, or a run (jsonl or Parquet folder) in the runs folder (GEO_RUNS_DIR)."""
    st.sidebar.header("Run")
    runs = sorted(
        p.name for p in SETTINGS.runs_dir.glob("*") if p.suffix == ".jsonl" or (p / "articles").is_dir()
    ) if SETTINGS.runs_dir.is_dir() else []  # fmt: skip
    choice = st.sidebar.selectbox(f"Runs in {SETTINGS.runs_dir.name}/", ["(upload one)"] + runs, key="run_choice")
    try:
        if choice == "(upload one)":
            file = st.sidebar.file_uploader("Run (.jsonl from `geo extract DIR`)", type=["jsonl"], key="run_upload")
            if file is None:
                st.info("Upload a run — `python -m geo extract DIR > run.jsonl` — or put runs in "
                        f"{md_escape(str(SETTINGS.runs_dir))} to map a whole corpus.")  # fmt: skip
                return
            page, top, summary = corpus_from_upload(file.getvalue(), Path(file.name).stem)
        else:
            path = SETTINGS.runs_dir / choice
            page, top, summary = corpus_from_path(str(path), path.stat().st_mtime)
    except GeoError as err:
        st.error(md_escape(str(err)))
        return
    st.subheader("Corpus")
    st.caption(md_escape(summary) + " · click a place or a link for its articles")
    # Our own page: run text travels in it only as escaped JSON data, set with textContent (see geo.render.corpus_map).
    st.iframe(page, height=640)
    st.dataframe(top, hide_index=True, width="stretch")
    st.download_button("Corpus map (HTML)", page, "corpus-map.html", "text/html")


def downloads(story: Story, article_id: str, corrections: int) -> None:
    """Places as CSV, the story as GeoJSON, the map as HTML: named after the article, corrections included."""
    c1, c2, c3 = st.columns(3)
    name = lambda suffix: download_name(story.title, article_id, suffix)
    c1.download_button("Places (CSV)", places_csv(story), name("places.csv"), "text/csv", width="stretch")
    geojson = story_geojson(story, article_id=article_id, corrections=corrections)
    c2.download_button("Story (GeoJSON)", json.dumps(geojson, ensure_ascii=False, indent=1), name("story.geojson"),
                       "application/geo+json", width="stretch")
    c3.download_button("Map (HTML)", export_html(story, story_key(story), corrections), name("map.html"), "text/html", width="stretch")


main()

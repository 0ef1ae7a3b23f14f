"""The story-map dashboard: `streamlit run app.py` (or `make run`).

The map and the article's passages, linked both ways; the selection lives in the URL (?place=, ?link=,
?passage=). This file only composes: the pipeline, layers and views live in the `geo` package.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import streamlit as st

st.set_page_config(page_title="Story map", page_icon="🗺️", layout="wide")

import pandas as pd  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from geo import cache as places_cache  # noqa: E402
from geo import gazetteer as gazetteer_mod  # noqa: E402
from geo.assets import sync_static_dir, use_local_assets  # noqa: E402
from geo.errors import GeoError  # noqa: E402
from geo.export import render_html  # noqa: E402
from geo.layers import build_map, link_label, place_at  # noqa: E402
from geo.model import LINK_KINDS, Story  # noqa: E402
from geo.output import place_rows, places_csv, places_geojson  # noqa: E402
from geo.pipeline import GeocodeReport, analyse  # noqa: E402
from geo.text import article_text  # noqa: E402
from geo.view import (  # noqa: E402
    PAGE_CSS,
    Selection,
    evidence_html,
    focus_places,
    md_escape,
    parse_selection,
    passage_html,
    visible_passages,
)

HERE = Path(__file__).resolve().parent
SEEDS = sorted((HERE / "seeds").glob("*.txt"))
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
PASTE, UPLOAD = "Paste text", "Upload a .txt file"


@st.cache_resource(show_spinner="Loading the gazetteer…")
def load_gazetteer() -> gazetteer_mod.Gazetteer:
    return gazetteer_mod.load()


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
    return analyse(text, title, gazetteer=load_gazetteer())


@st.cache_data(show_spinner=False, max_entries=8)
def export_html(story: Story) -> str:
    return render_html(story, self_contained=True)


def online_story(text: str, title: str) -> Story:
    """The story with online geocoding, looked up once per article and session (reruns reuse it)."""
    import hashlib

    from geo.geocode import NOMINATIM_URL_ENV, OnlineGeocoder

    done = st.session_state.setdefault("online_stories", {})
    key = hashlib.sha256(f"{title}\0{text}".encode()).hexdigest()
    if key in done:
        return done[key]
    report = GeocodeReport()
    with st.status("Geocoding names the offline gazetteer lacks (Nominatim, ≤ 1 request/s)…", expanded=True) as status:
        story = analyse(
            text,
            title,
            gazetteer=load_gazetteer(),
            cache_path=Path(os.environ.get("GEO_PLACES_CACHE") or places_cache.DEFAULT_PATH),
            geocoder=OnlineGeocoder.at(os.environ.get(NOMINATIM_URL_ENV, "")),
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
    choice = st.sidebar.selectbox("Source", options, key="source")
    if choice == PASTE:
        text = st.sidebar.text_area("Article text (Arabic or English)", height=200, key="pasted")
        return (text, "Pasted article") if text.strip() else None
    if choice == UPLOAD:
        file = st.sidebar.file_uploader("Article (.txt: UTF-8, UTF-16 or cp1256)", type=["txt"], key="upload")
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
        return text, Path(file.name).stem
    path = next(p for p in SEEDS if p.name == choice)
    return path.read_text(encoding="utf-8"), ""


def set_selection(sel: Selection) -> None:
    st.query_params.clear()
    st.query_params.update(sel.to_params())


def main() -> None:
    st.markdown(PAGE_CSS, unsafe_allow_html=True)  # constant CSS, no user text
    static_ok = local_assets(str(HERE / "static"))
    source = article_source()
    if source is None:
        st.info("Paste an article or upload a .txt file in the sidebar to map it.")
        return
    text, title = source

    online = st.sidebar.toggle("Online geocoding (Nominatim)", value=False, help="Off: offline gazetteer and cache only.")
    st.sidebar.header("Map")
    show = {
        "places": st.sidebar.checkbox("Places", value=True),
        "routes": st.sidebar.checkbox("Routes", value=True),
        "links": st.sidebar.checkbox("Links", value=True),
    }
    story = online_story(text, title) if online else offline_story(text, title)
    kinds_present = [k for k in LINK_KINDS if any(lk.kind == k for lk in story.links)]
    link_kinds = st.sidebar.multiselect("Link types", kinds_present, default=kinds_present, key="link_kinds")

    sel = parse_selection(st.query_params, story)
    st.subheader(md_escape(story.title) if story.title else "Story map")
    st.caption(
        f"{len(story.places)} places · {len(story.mentions)} mentions · {len(story.routes)} routes · "
        f"{len(story.links)} links · language: {story.language}"
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
        m = build_map(
            story,
            selected_place=sel.place,
            selected_link=sel.link,
            focus=focus_places(story, sel),
            link_kinds=link_kinds,
            layers=[k for k, on in show.items() if on],
            offline_first=True,
            collapse_control=True,
        )
        use_local_assets(m, mode="static" if static_ok else "inline")
        event = st_folium(
            m,
            key="map",
            height=560,
            use_container_width=True,
            returned_objects=["last_object_clicked", "last_object_clicked_tooltip"],
        )
        handle_click(story, event or {}, sel)

    with text_col:
        passages_panel(story, sel)

    st.subheader("Places")
    st.dataframe(pd.DataFrame(place_rows(story)), hide_index=True, width="stretch")
    downloads(story)


def handle_click(story: Story, event: dict, sel: Selection) -> None:
    """Map → text: a click on a marker selects its place, on a link its link. Each click is handled once."""
    clicked = event.get("last_object_clicked")
    if not clicked or clicked == st.session_state.get("handled_click"):
        return
    st.session_state["handled_click"] = clicked
    place = place_at(story, clicked.get("lat", 0.0), clicked.get("lng", 0.0))
    if place is not None and place.id != sel.place:
        set_selection(Selection(place=place.id))
        st.rerun()
    tooltip = " ".join((event.get("last_object_clicked_tooltip") or "").split())
    link = next((lk for lk in story.links if " ".join(link_label(story, lk).split()) == tooltip), None)
    if link is not None and link.id != sel.link:
        set_selection(Selection(link=link.id))
        st.rerun()


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
        st.markdown(f"**Evidence for the {route.mode} route** {md_escape(' → '.join(route.stops))}")
        st.html(evidence_html(story, sel))
    elif sel.passage is not None:
        st.markdown(f"**Passage {sel.passage + 1}** and its places on the map")
    if sel != Selection() and st.button("Show all passages", key="show-all"):
        set_selection(Selection())
        st.rerun()
    with st.container(height=520):
        for p in shown:
            body, button = st.columns([4, 1], gap="small", vertical_alignment="center")
            body.html(passage_html(story, p, sel))
            if button.button("Map", key=f"passage-{p.id}", type="tertiary", help="Show this passage's places on the map"):
                set_selection(Selection(passage=p.id))
                st.rerun()
    if story.routes:
        with st.expander("Routes"):
            for r in story.routes:
                if st.button(md_escape(" → ".join(r.stops) + f" ({r.mode})"), key=f"route-{r.id}"):
                    set_selection(Selection(route=r.id))
                    st.rerun()
    if story.links:
        with st.expander("Links"):
            for lk in story.links:
                label = md_escape(link_label(story, lk) + (f" ({lk.status})" if lk.status else ""))
                if st.button(label, key=f"link-{lk.id}", help=f"{lk.weight} passage(s)"):
                    set_selection(Selection(link=lk.id))
                    st.rerun()


def downloads(story: Story) -> None:
    c1, c2, c3 = st.columns(3)
    c1.download_button("Places (CSV)", places_csv(story), "places.csv", "text/csv", width="stretch")
    c2.download_button(
        "Places (GeoJSON)",
        json.dumps(places_geojson(story), ensure_ascii=False, indent=1),
        "places.geojson",
        "application/geo+json",
        width="stretch",
    )
    c3.download_button("Map (HTML)", export_html(story), "story-map.html", "text/html", width="stretch")


main()

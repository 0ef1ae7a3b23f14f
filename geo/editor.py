"""The page's corrections panel (Streamlit widgets): fix what the automatic reading got wrong.

Each action becomes one ``Correction`` row in the article store and the page reruns with the corrected
story, so the map, passages, table and downloads all show it. Undo and redo walk the stored rows.
The logic lives in ``geo.story.corrections`` (applying) and ``geo.places.search`` (candidates, search);
this module only lays out widgets, so ``app.py`` stays a composition.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from geo.core.errors import GeoError
from geo.core.model import LINK_KINDS, MODES, Story
from geo.places.gazetteer import Gazetteer
from geo.places.search import alternatives, entry_place, mention_spans, search
from geo.render.view import Selection, md_escape
from geo.store import Store
from geo.story.corrections import STATUSES, Correction, apply

Select = Callable[[Selection], None]
SHOWN_CORRECTIONS = 30


def place_label(story: Story, pid: str) -> str:
    p = next((p for p in story.places if p.id == pid), None)
    return pid if p is None else (f"{p.name} · {p.name_ar}" if p.name_ar else p.name)


def _save(store: Store, article_id: str, c: Correction, select: Select, after: Selection | None = None) -> None:
    try:
        store.add_correction(article_id, c.to_dict())
    except GeoError as err:
        st.error(f"The correction was not saved: {md_escape(str(err))}")
        return
    st.session_state["correction_note"] = f"Saved: {c.describe()}"
    if after is not None:
        select(after)  # the selection names something the correction removed or renamed
    st.rerun()


EDITOR_KEY = "correct-map"  # the "Correct this map" expander's open state in st.session_state


def corrections_panel(story: Story, sel: Selection, store: Store, article_id: str, gaz: Gazetteer, select: Select) -> None:
    """The "Correct this map" expander: actions on the selection, additions, and the list with undo/redo."""
    note = st.session_state.pop("correction_note", "")
    # Built only while open (a rerun when it is opened or closed): its ~40 widgets and forms, sent closed on every
    # run, made each page load and click draw them too (bench/page_speed.py: map drawn ~0.25 s later).
    with st.expander("Correct this map", key=EDITOR_KEY, on_change="rerun") as editor:
        if not editor.open:
            return
        if note:
            st.success(md_escape(note))
        if sel.place:
            _place_actions(story, sel.place, store, article_id, gaz, select)
        elif sel.link:
            _link_actions(story, sel.link, store, article_id, select)
        else:
            st.markdown("*Select a place or a link (map, picker or table) to remove it or read it differently.*")
        _add_place(story, store, article_id, gaz, select)
        _add_link(story, store, article_id, select)
        _routes(story, store, article_id, select)
        _history(store, article_id)


def _place_actions(story: Story, pid: str, store: Store, aid: str, gaz: Gazetteer, select: Select) -> None:
    place = story.place(pid)
    st.markdown(f"**{md_escape(place_label(story, pid))}** ({place.country or place.kind}, confidence {place.confidence:.0%})")
    options = alternatives(story, pid, gaz)
    if options:
        k = st.selectbox(
            "Read as another place",
            range(len(options)),
            format_func=lambda i: f"{options[i].name} · {options[i].country or options[i].kind} "
            f"({options[i].lat:.2f}, {options[i].lon:.2f}) · {options[i].confidence:.0%}",
            key=f"alt-{aid}-{pid}",
        )
        if st.button("Use this reading", key=f"use-alt-{pid}"):
            _save(store, aid, Correction("choose_place", pid, place=options[k]), select, after=Selection())
    else:
        st.markdown("*The gazetteer has no other reading of this name; search below to add the right place.*")
    if st.button("Remove this place", key=f"remove-place-{pid}"):
        _save(store, aid, Correction("remove_place", pid), select, after=Selection())


def _link_actions(story: Story, lid: str, store: Store, aid: str, select: Select) -> None:
    link = next(lk for lk in story.links if lk.id == lid)
    kind = st.selectbox("Link kind", LINK_KINDS, index=LINK_KINDS.index(link.kind), key=f"kind-{lid}")
    status = st.selectbox("Status", STATUSES, index=STATUSES.index(link.status) if link.status in STATUSES else 0,
                          format_func=lambda s: s or "(none)", key=f"status-{lid}")
    c1, c2 = st.columns(2)
    if c1.button("Save the link", key=f"save-link-{lid}", disabled=(kind, status) == (link.kind, link.status)):
        _save(store, aid, Correction("edit_link", lid, kind=kind, status=status), select, after=Selection())
    if c2.button("Remove this link", key=f"remove-link-{lid}"):
        _save(store, aid, Correction("remove_link", lid), select, after=Selection())


@st.fragment  # type-ahead reruns only this search, not the map and passages
def _add_place(story: Story, store: Store, aid: str, gaz: Gazetteer, select: Select) -> None:
    query = st.text_input("Add a missed place: search the gazetteer (Arabic or English)", key=f"search-{aid}",
                          placeholder="e.g. Khabarovsk or خاباروفسك", type="search", live="300ms")
    if not query.strip():
        return
    found = search(gaz, query)
    if not found:
        st.markdown("*No gazetteer name starts with that.*")
        return
    k = st.selectbox("Matches", range(len(found)), key=f"found-{aid}",
                     format_func=lambda i: f"{found[i].name} · {found[i].name_ar} · {found[i].country or found[i].kind} "
                     f"({found[i].lat:.2f}, {found[i].lon:.2f})")
    if st.button("Add this place", key=f"add-place-{aid}"):
        entry = found[k]
        c = Correction("add_place", place=entry_place(entry), spans=mention_spans(story.text, gaz, entry))
        added = [p.id for p in apply(story, [c]).story.places if p.id not in {q.id for q in story.places}]
        _save(store, aid, c, select, after=Selection(place=added[0]) if added else None)


def _add_link(story: Story, store: Store, aid: str, select: Select) -> None:
    ids = [p.id for p in story.places]
    if len(ids) < 2:
        return
    with st.form(f"add-link-{aid}", clear_on_submit=True):
        st.markdown("**Add a link** between actors")
        actors = st.multiselect("Actors (from, to when directed)", ids, format_func=lambda p: place_label(story, p))
        kind = st.selectbox("Kind", LINK_KINDS)
        status = st.selectbox("Status", STATUSES, format_func=lambda s: s or "(none)")
        directed = st.checkbox("Directed (from the first actor to the second)")
        if st.form_submit_button("Add the link"):
            try:
                c = Correction("add_link", kind=kind, status=status, places=tuple(actors), directed=directed)
            except ValueError as err:
                st.error(md_escape(str(err)))
                return
            _save(store, aid, c, select)


def _routes(story: Story, store: Store, aid: str, select: Select) -> None:
    if story.routes:
        rid = st.selectbox("Routes", [r.id for r in story.routes], key=f"route-{aid}")
        if st.button("Remove this route", key=f"remove-route-{aid}"):
            _save(store, aid, Correction("remove_route", rid), select)
    ids = [p.id for p in story.places]
    if len(ids) < 2:
        return
    with st.form(f"add-route-{aid}", clear_on_submit=True):
        st.markdown("**Add a route** through stops, in the order chosen")
        stops = st.multiselect("Stops", ids, format_func=lambda p: place_label(story, p))
        mode = st.selectbox("Mode", MODES)
        if st.form_submit_button("Add the route"):
            try:
                c = Correction("add_route", places=tuple(stops), mode=mode)
            except ValueError as err:
                st.error(md_escape(str(err)))
                return
            _save(store, aid, c, select)


def _history(store: Store, aid: str) -> None:
    rows = store.corrections(aid, include_undone=True)
    if not rows:
        return
    st.markdown("**Corrections** (saved with the article; everyone opening its link sees them)")
    if len(rows) > SHOWN_CORRECTIONS:  # a widget per row would make a long history slow to draw
        st.markdown(f"*{len(rows) - SHOWN_CORRECTIONS} earlier corrections not listed*")
    for row in rows[-SHOWN_CORRECTIONS:]:
        try:
            text = Correction.from_dict(row.body).describe()
        except ValueError:
            text = "unreadable correction"
        st.markdown(("~~" + md_escape(text) + "~~ (undone)") if row.undone else md_escape(text))
    c1, c2 = st.columns(2)
    if c1.button("Undo the last correction", key=f"undo-{aid}", disabled=all(r.undone for r in rows)):
        store.undo(aid)
        st.rerun()
    if c2.button("Redo", key=f"redo-{aid}", disabled=not any(r.undone for r in rows)):
        store.redo(aid)
        st.rerun()

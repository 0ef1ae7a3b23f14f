"""The page with the article store: permalinks (?article=), stale selections, messages, corrections, table clicks.

AppTest runs the real app.py against the session's store file (GEO_STORE, see conftest); expectations
come from the same pipeline and the same corrections module, so these tests check the page's wiring.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from test_app import PASTE, map_args, new_app, run_ok, served_files, shown_passages  # noqa: F401 (fixture)

from geo.editor import EDITOR_KEY
from geo.pipeline import analyse
from geo.store import Store, content_id
from geo.story.corrections import Correction, apply

# Written for these tests.
ARTICLE = (
    "Talks in Nairobi\n"
    "The foreign minister flew from Nairobi to Cairo via Addis Ababa on Monday.\n"
    "Kenya and Ethiopia signed a military cooperation deal in Addis Ababa.\n"
    "Officials in Paris voiced concern about the deal.\n"
    "No date was given.\n"
)


def stored(text: str = ARTICLE) -> str:
    return Store(os.environ["GEO_STORE"]).put_article(text).id


def editing_app(**params: str):  # type: ignore[no-untyped-def]
    """The page with "Correct this map" open, as after a reader's click on it (its content is built only open)."""
    at = new_app(**params)
    at.session_state[EDITOR_KEY] = True
    return at


def buttons(at, label: str):  # type: ignore[no-untyped-def]
    return [b for b in at.button if b.label == label]


def texts(at) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(e.value for kind in ("error", "warning", "markdown", "success") for e in at.get(kind))


def test_article_param_opens_a_stored_article_for_a_new_session() -> None:
    aid = stored()
    story = analyse(ARTICLE)
    at = run_ok(new_app(article=aid))
    assert shown_passages(at) == [p.id for p in story.passages]
    assert '"place place-addis-ababa' in map_args(at)["script"]
    at = run_ok(new_app(article=aid, place="cairo"))
    assert shown_passages(at) == [1]


def test_a_pasted_article_is_stored_and_its_url_carries_it() -> None:
    text = ARTICLE.replace("Paris", "Rome")
    at = run_ok(new_app())
    run_ok(at.selectbox(key="source").select(PASTE))
    run_ok(at.text_area(key="pasted").input(text))
    assert dict(at.query_params) == {"article": content_id(text)}
    assert Store(os.environ["GEO_STORE"]).article(content_id(text)).text == text
    fresh = run_ok(new_app(**dict(at.query_params)))
    assert '"place place-rome' in map_args(fresh)["script"], "another session opens the same article"


def test_switching_article_clears_a_stale_selection(seed_text: str) -> None:
    at = run_ok(new_app(place="vladivostok"))
    assert len(shown_passages(at)) < len(analyse(seed_text).passages), "the seed's place is selected"
    run_ok(at.selectbox(key="source").select(PASTE))
    run_ok(at.text_area(key="pasted").input(ARTICLE))
    assert dict(at.query_params) == {"article": content_id(ARTICLE)}, "no ?place= of the seed left behind"
    assert not [w for w in at.warning], "and no message about it"


def test_unknown_article_and_items_get_clear_messages() -> None:
    at = run_ok(new_app(article="feedfacefeedface"))
    assert "No article “feedfacefeedface” is stored on this server" in texts(at)
    assert dict(at.query_params)["article"] != "feedfacefeedface", "the URL now names what is shown"
    aid = stored()
    for key, value, words in [("place", "atlantis", "no place “atlantis”"), ("link", "visit-x-y", "no link “visit-x-y”"),
                              ("route", "x-y-plane", "no route “x-y-plane”"), ("passage", "42", "no passage “42” (it has 5)")]:
        at = run_ok(new_app(article=aid, **{key: value}))
        assert words in texts(at), key
        assert len(shown_passages(at)) == 5


def test_map_buttons_only_beside_passages_with_places() -> None:
    aid = stored()
    story = analyse(ARTICLE)
    at = run_ok(new_app(article=aid))
    with_places = sorted({m.passage for m in story.mentions})
    assert with_places != [p.id for p in story.passages], "the article has a passage without places"
    assert sorted(int(b.key.split("-")[1]) for b in at.button if (b.key or "").startswith("passage-")) == with_places


def test_clicking_a_table_row_selects_its_place() -> None:
    aid = stored()
    at = run_ok(new_app(article=aid))
    assert not at.dataframe, "the table opens on demand, not with the page"
    run_ok(at.button(key="places-table").click())
    (table,) = at.dataframe
    ids = list(table.value["id"])
    k = ids.index("cairo")
    at.button(key="places-table").click()
    at.session_state[f"places-{aid}-None"] = {"selection": {"rows": [k], "columns": []}}
    run_ok(at)
    assert dict(at.query_params) == {"article": aid, "place": "cairo"}
    assert shown_passages(at) == [1]


def test_removing_a_place_on_the_page_is_stored_shown_and_undone(served_files: dict[str, bytes]) -> None:
    text = ARTICLE.replace("Talks in", "Meeting in")
    aid = stored(text)
    at = run_ok(editing_app(article=aid, place="paris"))
    run_ok(buttons(at, "Remove this place")[0].click())
    assert [c.body for c in Store(os.environ["GEO_STORE"]).corrections(aid)] == [{"op": "remove_place", "target": "paris"}]
    assert dict(at.query_params) == {"article": aid}, "the removed place is no longer selected"
    assert "place-paris" not in map_args(at)["script"]
    assert "Saved: removed place paris" in texts(at)
    (geojson,) = [json.loads(v) for n, v in served_files.items() if n.endswith(f"{aid[:8]}-story.geojson")]
    assert geojson["corrections"] == 1 and "paris" not in {f["id"] for f in geojson["features"]}
    html = next(v for n, v in served_files.items() if n.endswith(f"{aid[:8]}-map.html")).decode()
    assert "Corrected by a reader: 1 correction" in html and "place-paris" not in html

    fresh = run_ok(editing_app(article=aid))  # another session, same server: the correction is there
    assert "place-paris" not in map_args(fresh)["script"]
    run_ok(buttons(fresh, "Undo the last correction")[0].click())
    assert Store(os.environ["GEO_STORE"]).corrections(aid) == []
    assert "place-paris" in map_args(fresh)["script"]
    run_ok(buttons(fresh, "Redo")[0].click())
    assert "place-paris" not in map_args(fresh)["script"]


def test_the_editor_is_built_only_while_open() -> None:
    aid = stored(ARTICLE.replace("Talks in", "Closed editor in"))
    at = run_ok(new_app(article=aid, place="paris"))
    assert [e.label for e in at.expander if e.label == "Correct this map"] == ["Correct this map"]
    forms = lambda: [m.label for m in at.multiselect if m.label != "Link types"]  # noqa: E731 (the add-link and add-route forms)
    assert not buttons(at, "Remove this place") and not [t for t in at.text_input if t.key == f"search-{aid}"]
    assert forms() == [], "nothing inside is sent"
    at.session_state[EDITOR_KEY] = True  # what the reader's click on the expander sets (then Streamlit reruns)
    run_ok(at)
    assert buttons(at, "Remove this place") and at.text_input(key=f"search-{aid}")
    assert forms() == ["Actors (from, to when directed)", "Stops"]


def test_picking_another_candidate_moves_the_marker() -> None:
    text = ARTICLE.replace("Talks in", "Candidates in")
    aid = stored(text)
    at = run_ok(editing_app(article=aid, place="paris"))
    alt = at.selectbox(key=f"alt-{aid}-paris")
    k = next(i for i, label in enumerate(alt.options) if "Paris · US" in label)  # options as shown
    run_ok(alt.set_value(k))
    run_ok(buttons(at, "Use this reading")[0].click())
    (row,) = Store(os.environ["GEO_STORE"]).corrections(aid)
    assert row.body["op"] == "choose_place" and row.body["place"]["country"] == "US"
    story = apply(analyse(text, Store(os.environ["GEO_STORE"]).article(aid).title), [row.body]).story
    paris = next(p for p in story.places if p.source_id == row.body["place"]["source_id"])
    assert paris.lon < -50, "now in the Americas"
    assert f"[{paris.lat}, {paris.lon}]" in map_args(at)["script"]


def test_adding_a_missed_place_by_search_finds_its_mentions() -> None:
    text = ARTICLE.replace("Talks in", "Additions in")
    aid = stored(text)
    Store(os.environ["GEO_STORE"]).add_correction(aid, Correction("remove_place", "cairo").to_dict())
    at = run_ok(editing_app(article=aid))
    assert "place-cairo" not in map_args(at)["script"]
    run_ok(at.text_input(key=f"search-{aid}").input("القاهرة"))
    found = at.selectbox(key=f"found-{aid}")
    assert found.value == 0
    run_ok(buttons(at, "Add this place")[0].click())
    assert dict(at.query_params) == {"article": aid, "place": "cairo"}
    assert shown_passages(at) == [1], "the passage that names Cairo is found again"


def test_link_kind_change_and_new_link_and_route_from_the_forms() -> None:
    text = ARTICLE.replace("Talks in", "Links in")
    aid = stored(text)
    story = analyse(text, Store(os.environ["GEO_STORE"]).article(aid).title)
    link = story.links[0]
    at = run_ok(editing_app(article=aid, link=link.id))
    run_ok(at.selectbox(key=f"kind-{link.id}").select("exercise"))
    run_ok(buttons(at, "Save the link")[0].click())
    # The reader tells a link's status ("held" unless the text plans or proposes it); a kind edit keeps it.
    assert link.status == "held"
    assert Store(os.environ["GEO_STORE"]).corrections(aid)[-1].body == {"op": "edit_link", "target": link.id, "kind": "exercise", "status": "held"}
    assert "link-exercise" in map_args(at)["script"] and "link-military" not in map_args(at)["script"]

    at = run_ok(editing_app(article=aid))
    form = at.multiselect  # two forms: add link (first), add route (second)
    form[0].set_value(["paris", "cairo"])  # form widgets: values are sent with the submit
    at.selectbox[[s.label for s in at.selectbox].index("Kind")].set_value("visit")
    run_ok(buttons(at, "Add the link")[0].click())
    assert Store(os.environ["GEO_STORE"]).corrections(aid)[-1].body == {"op": "add_link", "kind": "visit", "places": ["paris", "cairo"]}, [c.body for c in Store(os.environ["GEO_STORE"]).corrections(aid)] + [e.value for e in at.error]
    at.multiselect[1].set_value(["paris", "nairobi"])
    at.selectbox[[s.label for s in at.selectbox].index("Mode")].set_value("plane")
    run_ok(buttons(at, "Add the route")[0].click())
    assert Store(os.environ["GEO_STORE"]).corrections(aid)[-1].body == {"op": "add_route", "places": ["paris", "nairobi"], "mode": "plane"}
    fixed = apply(story, [c.body for c in Store(os.environ["GEO_STORE"]).corrections(aid)])
    assert fixed.applied == 3 and not fixed.skipped
    assert "paris-nairobi-plane" in {r.id for r in fixed.story.routes}


def test_an_unusable_store_leaves_a_working_page_and_says_why(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    monkeypatch.setenv("GEO_STORE", str(junk))
    at = run_ok(new_app(place="seoul"))
    assert "could not be stored, so its link and corrections will not work" in texts(at)
    assert "not a usable article store" in texts(at)
    assert shown_passages(at), "the map and passages still work"
    assert not [e for e in at.expander if e.label == "Correct this map"]
    assert junk.read_bytes().startswith(b"not a database")

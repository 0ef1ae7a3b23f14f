"""Tests for geo/view.py: what the page shows for a selection, and the passages as safe HTML.

The seed story is analysed once per module; expectations are computed from its mentions and links,
so the tests check the view logic rather than one extraction result.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from geo.core.model import Story
from geo.pipeline import analyse
from geo.render.style import LINK_COLORS
from geo.render.view import (
    Selection,
    focus_places,
    parse_selection,
    passage_html,
    title_markdown,
    visible_passages,
)

# An English article whose text is an injection payload next to real place names.
PAYLOAD_ARTICLE = (
    "Diplomats in Paris said the note <img src=x onerror=alert(1)> reached Berlin on Monday.\n"
    "A second message, </script><script>alert(2)</script>, was sent from Berlin to Paris.\n"
    "Aides in Paris quoted `backticks`, ${alert(3)}, \"double\" and 'single' quotes to Berlin.\n"
)
# Tags passage_html may emit; anything else in its output came from the article text.
ALLOWED_TAGS = {"div", "p", "h4", "mark", "span"}


@pytest.fixture(scope="module")
def seed_story(seed_text: str) -> Story:
    return analyse(seed_text)


@pytest.fixture(scope="module")
def payload_story() -> Story:
    return analyse(PAYLOAD_ARTICLE)


class _Collector(HTMLParser):
    """Parse a fragment: every start tag with its attributes, and the text a browser would show."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.marks: list[tuple[dict[str, str | None], str]] = []
        self._in_mark: dict[str, str | None] | None = None
        self._mark_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "mark":
            self._in_mark, self._mark_text = dict(attrs), []

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark" and self._in_mark is not None:
            self.marks.append((self._in_mark, "".join(self._mark_text)))
            self._in_mark = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_mark is not None:
            self._mark_text.append(data)


def parse(fragment: str) -> _Collector:
    collector = _Collector()
    collector.feed(fragment)
    collector.close()
    return collector


def badge_text(story: Story, passage_id: int) -> str:
    """The text of the link-kind badges passage_html appends after the passage."""
    return "".join(lk.kind for lk in story.links if passage_id in lk.passages)


# --- parse_selection -------------------------------------------------------------------------


def test_parse_selection_accepts_ids_of_this_story(seed_story: Story) -> None:
    link = seed_story.links[0]
    assert parse_selection({"place": "seoul"}, seed_story) == Selection(place="seoul")
    assert parse_selection({"link": link.id}, seed_story) == Selection(link=link.id)
    assert parse_selection({"passage": "0"}, seed_story) == Selection(passage=0)
    last = len(seed_story.passages) - 1
    assert parse_selection({"passage": str(last)}, seed_story) == Selection(passage=last)


@pytest.mark.parametrize(
    "params",
    [
        {"place": "nowhere"},
        {"place": ""},
        {"place": "Seoul"},  # ids are lower-case slugs; a near miss selects nothing
        {"link": "military-nowhere-to-nowhere"},
        {"passage": "-1"},
        {"passage": "abc"},
        {"passage": "1.5"},
        {"passage": ""},
        {"passage": "9999"},
        {"unrelated": "seoul"},
        {},
    ],
)
def test_parse_selection_ignores_unknown_ids_and_bad_passage_numbers(seed_story: Story, params: dict[str, str]) -> None:
    assert parse_selection(params, seed_story) == Selection()


@pytest.mark.parametrize("raw", ["²", "①", "٣"])  # isdigit() is true for all three; int("²") raises
def test_parse_selection_accepts_ascii_digits_only(seed_story: Story, raw: str) -> None:
    assert parse_selection({"passage": raw}, seed_story) == Selection()


def test_parse_selection_skips_an_unknown_place_for_a_valid_link(seed_story: Story) -> None:
    link = seed_story.links[0]
    assert parse_selection({"place": "nowhere", "link": link.id}, seed_story) == Selection(link=link.id)


def test_passage_number_equal_to_count_is_out_of_range(seed_story: Story) -> None:
    assert parse_selection({"passage": str(len(seed_story.passages))}, seed_story) == Selection()


def test_selection_round_trips_through_url_params(seed_story: Story) -> None:
    selections = (
        [Selection(place=p.id) for p in seed_story.places]
        + [Selection(link=lk.id) for lk in seed_story.links]
        + [Selection(passage=p.id) for p in seed_story.passages]
        + [Selection()]
    )
    for sel in selections:
        assert parse_selection(sel.to_params(), seed_story) == sel


# --- visible_passages / focus_places ---------------------------------------------------------


def test_place_selection_shows_exactly_the_passages_that_mention_seoul(seed_story: Story) -> None:
    expected = sorted({m.passage for m in seed_story.mentions if m.place == "seoul"})
    assert expected, "the seed mentions Seoul"
    shown = visible_passages(seed_story, parse_selection({"place": "seoul"}, seed_story))
    assert [p.id for p in shown] == expected
    for p in shown:
        assert any(m.place == "seoul" and p.start <= m.start < p.end for m in seed_story.mentions)


def test_every_place_selection_shows_its_passages_in_reading_order(seed_story: Story) -> None:
    for place in seed_story.places:
        shown = [p.id for p in visible_passages(seed_story, Selection(place=place.id))]
        assert shown == sorted({m.passage for m in seed_story.mentions_of(place.id)}), place.id


def test_link_selection_shows_its_evidence_passages(seed_story: Story) -> None:
    assert seed_story.links, "the seed has typed links"
    for link in seed_story.links:
        shown = [p.id for p in visible_passages(seed_story, Selection(link=link.id))]
        assert shown == sorted(set(link.passages)), link.id


def test_passage_selection_and_no_selection(seed_story: Story) -> None:
    assert visible_passages(seed_story, Selection()) == list(seed_story.passages)
    assert [p.id for p in visible_passages(seed_story, Selection(passage=3))] == [3]


def test_focus_places_are_the_places_of_the_chosen_passage(seed_story: Story) -> None:
    for passage in seed_story.passages:
        focus = focus_places(seed_story, Selection(passage=passage.id))
        assert set(focus) == {m.place for m in seed_story.mentions if m.passage == passage.id}
        assert len(focus) == len(set(focus)), "no place twice"
    assert focus_places(seed_story, Selection(place="seoul")) == []
    assert focus_places(seed_story, Selection()) == []


# --- passage_html ----------------------------------------------------------------------------


def test_payload_story_has_its_places(payload_story: Story) -> None:
    # The escaping tests below are only meaningful if the payload sits next to real mentions.
    assert payload_story.language == "en"
    assert {"paris", "berlin"} <= {p.id for p in payload_story.places}


def test_passage_html_escapes_markup_and_script_breakers(payload_story: Story) -> None:
    for passage in payload_story.passages:
        out = passage_html(payload_story, passage, Selection())
        assert "<img" not in out
        assert "<script" not in out.lower() and "</script" not in out.lower()
        parsed = parse(out)
        assert {tag for tag, _ in parsed.tags} <= ALLOWED_TAGS
        assert not any(name.startswith("on") for _, attrs in parsed.tags for name in attrs)
        # What a reader sees is the article's text, character for character.
        assert "".join(parsed.text) == passage.text + badge_text(payload_story, passage.id)
    first = passage_html(payload_story, payload_story.passages[0], Selection())
    assert "&lt;img src=x onerror=alert(1)&gt;" in first
    second = passage_html(payload_story, payload_story.passages[1], Selection())
    assert "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in second


def test_passage_html_quotes_cannot_break_out_of_attributes(payload_story: Story) -> None:
    third = payload_story.passages[2]
    out = passage_html(payload_story, third, Selection(place="paris"))
    assert "&quot;double&quot;" in out and "&#x27;single&#x27;" in out
    for _, attrs in parse(out).tags:
        assert set(attrs) <= {"class", "dir", "lang", "data-passage", "data-place", "style", "title"}


def test_mention_marks_carry_data_place_and_the_mention_text(seed_story: Story) -> None:
    for passage in seed_story.passages:
        parsed = parse(passage_html(seed_story, passage, Selection()))
        expected = [(m.place, m.text) for m in seed_story.mentions if m.passage == passage.id]
        assert [(attrs.get("data-place"), text) for attrs, text in parsed.marks] == expected
        assert "".join(parsed.text) == passage.text + badge_text(seed_story, passage.id)


def test_selected_place_is_marked_strongly_and_only_it(seed_story: Story) -> None:
    passage = visible_passages(seed_story, Selection(place="seoul"))[0]
    parsed = parse(passage_html(seed_story, passage, Selection(place="seoul")))
    strong = {attrs["data-place"] for attrs, _ in parsed.marks if "strong" in (attrs.get("class") or "").split()}
    assert strong == {"seoul"}


def test_link_selection_marks_the_link_places_strongly(seed_story: Story) -> None:
    link = seed_story.links[0]
    passage = visible_passages(seed_story, Selection(link=link.id))[0]
    parsed = parse(passage_html(seed_story, passage, Selection(link=link.id)))
    for attrs, _ in parsed.marks:
        is_strong = "strong" in (attrs.get("class") or "").split()
        assert is_strong == (attrs["data-place"] in link.places), attrs


def test_direction_follows_the_article_language(seed_story: Story, payload_story: Story) -> None:
    assert seed_story.language == "ar"
    ar = parse(passage_html(seed_story, seed_story.passages[0], Selection()))
    assert ar.tags[0] == ("div", {**ar.tags[0][1], "dir": "rtl", "lang": "ar"})
    en = parse(passage_html(payload_story, payload_story.passages[0], Selection()))
    assert en.tags[0][1]["dir"] == "ltr" and en.tags[0][1]["lang"] == "en"


def test_headings_render_as_headings(seed_story: Story) -> None:
    headings = [p for p in seed_story.passages if p.heading]
    assert headings, "the seed has sub-headings"
    for passage in seed_story.passages:
        tags = [tag for tag, _ in parse(passage_html(seed_story, passage, Selection())).tags]
        assert ("h4" in tags) == passage.heading and ("p" in tags) != passage.heading


def test_link_evidence_passages_carry_the_kind_badge(seed_story: Story) -> None:
    link = seed_story.links[0]
    for pid in link.passages:
        out = passage_html(seed_story, seed_story.passages[pid], Selection())
        assert f'class="badge" style="background:{LINK_COLORS[link.kind]}">{link.kind}</span>' in out


def test_an_arabic_title_is_held_right_to_left_and_a_latin_one_is_left_alone() -> None:
    # The closing dots of an Arabic headline belong at its left end: marks at both ends keep them there.
    assert title_markdown("قمة في القاهرة..") == "\u200fقمة في القاهرة..\u200f"
    assert title_markdown("Summit in Cairo..") == "Summit in Cairo.."
    assert title_markdown("cairo-visit") == "cairo-visit"

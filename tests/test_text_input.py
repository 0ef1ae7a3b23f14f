"""geo/text.py on hostile input: binary anywhere in the file, invisible characters inside names."""

from __future__ import annotations

import pytest

from geo.core.errors import ArticleEncodingError
from geo.core.text import Visible, article_text
from geo.pipeline import analyse
from geo.places import gazetteer


@pytest.fixture(scope="module")
def gaz() -> gazetteer.Gazetteer:
    return gazetteer.load()


def test_binary_after_the_first_64_kb_is_refused() -> None:
    data = ("They flew from Paris to Moscow.\n" * 4000).encode("utf-8") + b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    assert len(data) > 65536
    with pytest.raises(ArticleEncodingError, match="looks binary"):
        article_text(data)


@pytest.mark.parametrize(
    "text, place, name",
    [
        ("The delegation flew from Mos\u200bcow to the coast.", "moscow", "Mos\u200bcow"),
        ("Talks went on in Ber\u00adlin all week.", "berlin", "Ber\u00adlin"),
        ("Officials met in Bei\u2060jing on Monday.", "beijing", "Bei\u2060jing"),
        ("وصل الوفد إلى موس\u200cكو صباح الأحد.", "moscow", "موس\u200cكو"),
        ("وصل الوفد إلى بك\u200dين صباح الأحد.", "beijing", "بك\u200dين"),
    ],
)
def test_invisible_characters_inside_a_name_keep_the_place_and_its_offsets(
    gaz: gazetteer.Gazetteer, text: str, place: str, name: str
) -> None:
    story = analyse(text, gazetteer=gaz)
    [m] = story.mentions_of(place)
    assert text[m.start : m.end] == m.text == name


def test_visible_offsets_map_back_exactly() -> None:
    text = "\u200bab\u200b\u200bc\u00ad d\ufeff"
    seen = Visible(text)
    assert seen.visible == "abc d"
    assert [text[seen.start(i)] for i in range(5)] == list("abc d")
    assert text[seen.start(0) : seen.end(3)] == "ab\u200b\u200bc"
    assert Visible("plain").visible == "plain"


def test_space_table_is_every_space_and_format_character() -> None:
    import unicodedata

    from geo.core.text import _SPACES

    expected = {chr(c) for c in range(0x110000) if chr(c).isspace() or unicodedata.category(chr(c)) == "Cf"}
    assert set(_SPACES) == expected

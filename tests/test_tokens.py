"""The shared tokens (geo.core.tokens) are built from one ``re.split`` pass per pattern: each token's offsets
and text must be exactly those of the pattern's matches, on any text (Arabic letters with marks and tatweel,
acronyms, hyphens and apostrophes, invisible characters, empty and one-character texts)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.core import tokens as tk

# Characters that start, join, break or sit inside the words of the three patterns.
ALPHABET = list("aZe .,-'’_\n\t9") + ["U.S.", "W.Va.", "A.", "\u200b", "\u0640", "\u064b", "\u0670", "ا", "ب", "ت",
                                      "ة", "ال", "لله", "،", "؟", "é", "ß", "پ"]


def _matches(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in pattern.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), max_size=40).map("".join))
def test_tokens_are_the_patterns_matches(text: str) -> None:
    words = tk.tokenize_words(text)
    assert [(t.start, t.end, t.text) for t in words] == _matches(tk._WORD, text)
    assert list(words.starts) == [t.start for t in words]
    assert list(tk.latin_words(text)) == _matches(tk._LATIN_WORD, text)
    runs = [(s, e, raw) for s, e, raw in _matches(tk._AR_NAME_RUN, text) if tk._name_forms(raw)]
    assert [(t.start, t.end, t.raw) for t in tk.arabic_name_tokens(text)] == runs


def test_a_pattern_with_a_group_of_its_own_is_refused() -> None:
    with pytest.raises(ValueError, match="no group of its own"):
        tk._splitter(re.compile(r"(a)b"))

"""The article, read once: text, language, title, passages, sentences and the tokens every stage shares.

``Document.read(text)`` holds every pass over the text (compiled regexes, ``str.translate`` per distinct
word, memoised), each run once on first use, and hands the result to place matching and story reading,
so no stage splits, folds or tokenises the article again. Offsets everywhere index ``Document.text``.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from geo.core.model import Passage
from geo.core.text import language, passages, sentences
from geo.core.text import title as first_title
from geo.core.tokens import (
    NameToken,
    TextTokens,
    arabic_name_tokens,
    latin_words,
    tokenize_words,
)

_TITLE_CASE_LINE = re.compile(r"[^\n]+")
_LATIN_WORD = re.compile(r"[A-Za-z][\w'-]*")


@dataclass(frozen=True, eq=False)
class Document:
    """An article's text and everything read off it once.

    Each view is computed on first use and kept (``functools.cached_property`` writes the instance's
    ``__dict__``, which a frozen dataclass allows): place matching alone never pays for the story's cue
    tokens, and nothing is read twice.
    """

    text: str
    language: str  # "ar" or "en", by script
    given_title: str = ""

    @classmethod
    def read(cls, text: str, title: str = "") -> Document:
        return cls(text=text, language=language(text), given_title=title)

    @functools.cached_property
    def title(self) -> str:
        return self.given_title or first_title(self.text, self.passages)

    @functools.cached_property
    def passages(self) -> tuple[Passage, ...]:
        return passages(self.text)

    @functools.cached_property
    def sentences(self) -> tuple[tuple[int, int], ...]:
        """Sentence spans of every passage, in order."""
        text = self.text
        return tuple(s for p in self.passages for s in sentences(text, p.start, p.end))

    @functools.cached_property
    def words(self) -> TextTokens:
        """Every word, with its cue forms (story reading)."""
        return tokenize_words(self.text)

    @functools.cached_property
    def arabic_names(self) -> tuple[NameToken, ...]:
        """Arabic letter runs with their folded forms (place matching)."""
        return arabic_name_tokens(self.text)

    @functools.cached_property
    def latin_names(self) -> tuple[tuple[int, int, str], ...]:
        """Latin words and acronyms (place matching)."""
        return latin_words(self.text)

    @functools.cached_property
    def headline_spans(self) -> tuple[tuple[int, int], ...]:
        """English lines in Title Case, where capitals say nothing."""
        return _title_case_lines(self.text) if self.language == "en" else ()

    @functools.cached_property
    def _passage_starts(self) -> tuple[int, ...]:
        return tuple(p.start for p in self.passages)

    @functools.cached_property
    def _sentence_starts(self) -> tuple[int, ...]:
        return tuple(s for s, _ in self.sentences)

    def passage_at(self, pos: int) -> int:
        """The id of the passage holding offset ``pos`` (the last one starting at or before it)."""
        if not self.passages:
            return 0
        return self.passages[max(bisect.bisect_right(self._passage_starts, pos) - 1, 0)].id

    def sentences_in(self, start: int, end: int) -> tuple[tuple[int, int], ...]:
        """The sentence spans that start within ``[start, end)`` (a passage's sentences)."""
        lo = bisect.bisect_left(self._sentence_starts, start)
        hi = bisect.bisect_left(self._sentence_starts, end)
        return self.sentences[lo:hi]

    def in_headline(self, pos: int) -> bool:
        """Whether ``pos`` lies on an English line written in Title Case."""
        k = bisect.bisect_right(self.headline_spans, (pos, float("inf"))) - 1
        return k >= 0 and self.headline_spans[k][0] <= pos < self.headline_spans[k][1]


def _title_case_lines(text: str) -> tuple[tuple[int, int], ...]:
    spans = []
    for m in _TITLE_CASE_LINE.finditer(text):
        words = _LATIN_WORD.findall(m.group())
        if len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words):
            spans.append(m.span())
    return tuple(spans)


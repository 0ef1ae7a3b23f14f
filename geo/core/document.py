"""The article, read once: text, language, title, passages, sentences and the tokens every stage shares.

``Document.read(text)`` does every pass over the text (compiled regexes, ``str.translate`` per distinct
word, memoised) and hands the result to place matching and story reading, so no stage splits, folds or
tokenises the article again. Offsets everywhere index ``Document.text``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

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
    """An article's text and everything read off it once."""

    text: str
    language: str  # "ar" or "en", by script
    title: str
    passages: tuple[Passage, ...]
    sentences: tuple[tuple[int, int], ...]  # sentence spans of every passage, in order
    words: TextTokens  # every word, with its cue forms (story reading)
    arabic_names: tuple[NameToken, ...]  # Arabic letter runs with their folded forms (place matching)
    latin_names: tuple[tuple[int, int, str], ...]  # Latin words and acronyms (place matching)
    headline_spans: tuple[tuple[int, int], ...]  # English lines in Title Case, where capitals say nothing
    _passage_starts: tuple[int, ...] = field(repr=False, default=())
    _sentence_starts: tuple[int, ...] = field(repr=False, default=())

    @classmethod
    def read(cls, text: str, title: str = "") -> Document:
        parts = passages(text)
        spans = tuple(s for p in parts for s in sentences(text, p.start, p.end))
        lang = language(text)
        return cls(
            text=text,
            language=lang,
            title=title or first_title(text, parts),
            passages=parts,
            sentences=spans,
            words=tokenize_words(text),
            arabic_names=arabic_name_tokens(text),
            latin_names=latin_words(text),
            headline_spans=_title_case_lines(text) if lang == "en" else (),
            _passage_starts=tuple(p.start for p in parts),
            _sentence_starts=tuple(s for s, _ in spans),
        )

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


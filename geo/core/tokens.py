"""The words of an article, read once: the tokens every stage shares.

Two views of the same text, both with offsets into it:

- ``Token`` / ``TextTokens``: every word with the forms a cue word is compared with (Arabic folded, with
  each proclitic reading peeled: وإلى → إلى; English case-folded), indexed by form so that a cue set can
  find where it matches by lookup instead of a scan (story reading);
- ``NameToken``: the runs of Arabic letters a place name can be made of, with diacritics dropped, folded,
  and with the article removed (place matching); ``latin_words``: Latin-script words and acronyms.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from geo.core.text import AR_DROPPED, ARABIC_SCRIPT, ar_key, normalise_ar

# A word: letters and digits with Arabic diacritics/tatweel inside, and an English possessive or
# contraction; "trans-siberian" stays one word.
_WORD = re.compile(r"[^\W_][\w\u0610-\u061a\u064b-\u065f\u0670\u0640]*(?:[-'’][^\W_][\w]*)*")
# Proclitic stacks peeled from an Arabic word: conjunction, then preposition or future sa-, then the
# article; "لل" is li + al with the alef dropped (للصين).
AR_PREFIXES = tuple(
    sorted(
        {c + p + a for c in ("", "و", "ف") for p in ("", "ب", "ل", "ك", "س") for a in ("", "ال")}
        | {c + "لل" for c in ("", "و", "ف")},
        key=len,
        reverse=True,
    )
)


class Token(NamedTuple):
    """A word of the text with the forms a cue may match: folded, and with proclitics peeled.

    A named tuple rather than a frozen dataclass: a text has hundreds and building a tuple costs a
    third of a dataclass's checked ``__init__``.
    """

    start: int
    end: int
    text: str
    forms: frozenset[str]
    arabic: bool


@functools.lru_cache(maxsize=1 << 16)
def word_forms(word: str) -> frozenset[str]:
    """The forms a cue word is compared with: Arabic folded, with each proclitic reading; English case-folded."""
    if ARABIC_SCRIPT.search(word):
        w = normalise_ar(word)
        forms = {w}
        for pre in AR_PREFIXES:
            if pre and w.startswith(pre) and len(w) - len(pre) >= 2:
                forms.add(w[len(pre):])
        # A possessive pronoun on the end ("حربه" his war, "زيارتها" her visit): the bare noun is a cue too.
        for suffix in ("ها", "ه"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                base = word[: -len(suffix)]
                base = base[:-1] + "ة" if base.endswith("ت") else base
                forms |= word_forms(base)
                break
        return frozenset(forms)
    w = word.casefold().replace("’", "'")
    forms = {w}
    if "-" in w and not w.endswith("-"):
        forms.add(w.rsplit("-", 1)[1])  # "russian-occupied", "us-backed": the head word is a cue too
    if w.endswith("'s"):
        forms.add(w[:-2])
    elif w.endswith("s'"):
        forms.add(w[:-1])
    return frozenset(forms)


class TextTokens(tuple):
    """The tokens of one text (a tuple of :class:`Token`) with the indexes cue matching needs.

    Immutable, so the routes and the links of one text share it (``Document.words``). Cue matching
    (``geo.story.cues``) keeps its matches over the whole text here, built on first use.
    """

    by_word: dict[str, list[int]]  # word as written → indices of its tokens, in order
    starts: tuple[int, ...]  # each token's start offset, for token_range
    # The cue sets' matches over the whole text (see geo.story.cues): the table of sets they were made
    # for and the matches, then each set's starts and ends, by id(CueSet) → (CueSet, index). The CueSet
    # is kept so that its id is not reused while the entry lives.
    cue_hits: tuple | None
    cue_starts: dict
    cue_ends: dict

    def __new__(cls, tokens: Iterable[Token], starts: Sequence[int] | None = None) -> TextTokens:
        self = super().__new__(cls, tokens)
        # Per distinct word, not per token: function words repeat many times in a text.
        by_word: dict[str, list[int]] = {}
        for i, word in enumerate(map(_TEXT, self)):
            at = by_word.get(word)
            if at is None:
                by_word[word] = [i]
            else:
                at.append(i)
        self.by_word = by_word
        self.cue_hits, self.cue_starts, self.cue_ends = None, {}, {}
        self.starts = tuple(map(_START, self)) if starts is None else tuple(starts)
        return self

    @functools.cached_property
    def by_form(self) -> dict[str, list[int]]:
        """Word form → indices of the tokens with that form (in no order)."""
        by_form: dict[str, list[int]] = {}
        for word, at in self.by_word.items():
            for f in self[at[0]].forms:
                by_form.setdefault(f, []).extend(at)
        return by_form


_TEXT = operator.itemgetter(2)
_START = operator.itemgetter(0)
_FIRST = operator.itemgetter(0)
_SECOND = operator.itemgetter(1)


def tokenize_words(text: str) -> TextTokens:
    """Every word of ``text`` with its cue forms (read once, in ``Document.read``).

    Built by C loops (``map``) over one regex pass (:func:`_split`): the per-word facts come from a memo, and each
    ``Token`` is made by ``tuple.__new__`` rather than a Python-level constructor call per word.
    """
    starts, ends, words = _split(_WORD_SPLIT, text)
    info = list(map(_word_info, words))
    columns = zip(starts, ends, words, map(_FIRST, info), map(_SECOND, info))
    return TextTokens(map(tuple.__new__, itertools.repeat(Token), columns), starts)


def _splitter(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` as one capturing group, for :func:`_split` (it must have no group of its own)."""
    if pattern.groups:
        raise ValueError(f"a pattern to split on must have no group of its own: {pattern.pattern}")
    return re.compile(f"({pattern.pattern})", pattern.flags)


def _split(splitter: re.Pattern[str], text: str) -> tuple[list[int], list[int], list[str]]:
    """Start offsets, end offsets and text of every match of the pattern ``splitter`` captures, from one C pass.

    ``splitter.split`` gives the text between matches and the matches in turn (gap, word, gap, word, …, gap:
    none of these patterns matches an empty string), so the running sum of their lengths is every match's start
    and end. No match object is made: ``finditer`` + ``findall`` was two regex passes and a match object and a
    span tuple per word (and a list of live match objects makes the cyclic GC scan them over and over).
    """
    parts = splitter.split(text)
    ends = list(itertools.accumulate(map(len, parts)))
    return ends[0:-1:2], ends[1::2], parts[1::2]


_WORD_SPLIT = _splitter(_WORD)


@functools.lru_cache(maxsize=1 << 16)
def _word_info(word: str) -> tuple[frozenset[str], bool]:
    """A token's forms and whether it is Arabic: both depend on the word only."""
    return word_forms(word), bool(ARABIC_SCRIPT.search(word))


# --- place-name tokens ------------------------------------------------------------------------------

_AR_NAME_RUN = re.compile(r"[\u0621-\u063a\u0640-\u065f\u0670\u067e\u0686\u0698\u06a4\u06a9\u06af\u06cc]+")
# Words and dotted acronyms (U.S., W.Va.); hyphenated names (Komsomolsk-on-Amur) are runs of words joined by "-",
# so "Canada-wide" and "London-based" still hold their place.
# The two acronym forms share their opening "X." (one test per character instead of two: a third faster on Arabic text).
_LATIN_WORD = re.compile(r"[A-Z]\.(?:(?:[A-Z]\.)+|[A-Z][a-z]{1,3}\.)|[^\W\d_\u0600-\u06ff]+")
_AR_NAME_SPLIT, _LATIN_SPLIT = _splitter(_AR_NAME_RUN), _splitter(_LATIN_WORD)


class NameToken(NamedTuple):
    """A run of Arabic letters in its three matching forms."""

    start: int
    end: int
    raw: str
    bare: str  # without diacritics and tatweel, letters as written
    norm: str  # ``bare`` folded (normalise_ar): same length
    key: str  # ar_key: folded, article dropped

    @property
    def kept(self) -> tuple[int, ...]:
        """The offset in the text of each character of ``bare`` (computed only for matches)."""
        return tuple(self.start + i for i, ch in enumerate(self.raw) if not AR_DROPPED.match(ch))


_ar_key = functools.lru_cache(maxsize=1 << 16)(ar_key)
_normalise_ar = functools.lru_cache(maxsize=1 << 16)(normalise_ar)


@functools.lru_cache(maxsize=1 << 16)
def _name_forms(raw: str) -> tuple[str, str, str] | None:
    """``(bare, norm, key)`` of an Arabic letter run, or None when it is only marks and tatweel."""
    bare = AR_DROPPED.sub("", raw)
    return (bare, _normalise_ar(bare), _ar_key(bare)) if bare else None


def arabic_name_tokens(text: str) -> tuple[NameToken, ...]:
    """The Arabic letter runs of ``text`` with their folded forms (folding memoised per distinct word).

    As ``tokenize_words``: C loops over one regex pass, a ``NameToken`` made by ``tuple.__new__``.
    """
    starts, ends, raws = _split(_AR_NAME_SPLIT, text)
    forms = list(map(_name_forms, raws))
    spans = zip(starts, ends, raws)
    if None in forms:  # a run of marks alone is no word
        columns = (c + f for c, f in zip(spans, forms) if f)
    else:
        columns = map(operator.add, spans, forms)
    return tuple(map(tuple.__new__, itertools.repeat(NameToken), columns))


def latin_words(text: str) -> tuple[tuple[int, int, str], ...]:
    """``(start, end, word)`` of each Latin-script word and acronym of ``text``."""
    return tuple(zip(*_split(_LATIN_SPLIT, text)))

"""Routes told by an article: who travels from where to where, by what means, and when.

A route is read from one sentence at a time. Marker words right before a place mention give it a role
("من X" / "from X" → origin, "إلى Y" / "to Y" → destination, "عبر Z" / "via Z" → a stop on the way); a
sentence yields a route when it has at least two distinct stops and a travel or mode word, so "from the
Ministry" or "the distance from X to Y" never draws a line. The mode comes from the nearest mode word in
the sentence, else in its passage; the date from the first date expression in the sentence, else the
passage. Trains follow the curated rail network when it connects the stops; everything else (and a train
the network cannot route) is drawn as great-circle arcs.

The cue words live in ``data/cues.json``. The word matching they need (tokens with Arabic proclitics
peeled, phrases with ``*`` prefixes) is here too and is shared with :mod:`geo.links`.
"""

from __future__ import annotations

import bisect
import functools
import json
import operator
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from geo.errors import DataError
from geo.geometry import great_circle, haversine_km, unwrap
from geo.model import LatLon, Mention, Passage, Place, Route
from geo.rail import rail_path
from geo.text import normalise_ar, sentences

CUES_FILE = Path(__file__).resolve().parent.parent / "data" / "cues.json"

# Place kinds that can be a stop: a country's centroid says nothing about where a trip goes.
STOP_KINDS = frozenset({"city", "site", "region"})
# A passing point ("via") must be a point: a route "across Siberia" does not pass through its centroid.
VIA_KINDS = frozenset({"city", "site"})
# How many filler words ("the capital", "مدينة") may stand between a marker and its place.
MAX_FILLERS = 3
# How far (in words) after a crossing word "at"/"عند" still marks a passing point.
CROSSING_REACH = 5

RailFn = Callable[[Sequence[LatLon]], "tuple[list[LatLon], float] | None"]

# --- words -----------------------------------------------------------------------------------------

# A word: letters and digits with Arabic diacritics/tatweel inside, and an English possessive or
# contraction; "trans-siberian" stays one word.
_WORD = re.compile(r"[^\W_][\w\u0610-\u061a\u064b-\u065f\u0670\u0640]*(?:[-'’][^\W_][\w]*)*")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_START = operator.attrgetter("start")
# Proclitic stacks peeled from an Arabic word: conjunction, then preposition or future sa-, then the
# article; "لل" is li + al with the alef dropped (للصين).
_AR_PREFIXES = tuple(
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
    if _ARABIC.search(word):
        w = normalise_ar(word)
        forms = {w}
        for pre in _AR_PREFIXES:
            if pre and w.startswith(pre) and len(w) - len(pre) >= 2:
                forms.add(w[len(pre):])
        return frozenset(forms)
    w = word.casefold().replace("’", "'")
    forms = {w}
    if w.endswith("'s"):
        forms.add(w[:-2])
    elif w.endswith("s'"):
        forms.add(w[:-1])
    return frozenset(forms)


def tokenize(text: str) -> list[Token]:
    """All words of ``text`` with offsets into it."""
    return list(text_tokens(text))


class TextTokens(tuple):
    """The tokens of one text (a tuple of :class:`Token`) with the indexes a :class:`CueSet` needs to skip
    words no cue can start or end with.

    Immutable, so the routes and the links of one text share it (:func:`text_tokens`). Each cue set
    keeps its own matches over the whole text here, built on first use (see ``CueSet._starts``).
    """

    by_form: dict[str, list[int]]  # word form → indices of the tokens with that form (in no order)
    by_head: dict[str, list[int]]  # first two letters of a form → token indices (in no order)
    starts: tuple[int, ...]  # each token's start offset, for token_range
    form_keys: frozenset[str]
    head_keys: frozenset[str]
    # id(CueSet) → (CueSet, its matches here): see CueSet._starts and CueSet._ends. The CueSet is kept
    # so that its id is not reused while the entry lives.
    cue_starts: dict
    cue_ends: dict

    def __new__(cls, tokens: Iterable[Token]) -> TextTokens:
        self = super().__new__(cls, tokens)
        # Per distinct word, not per token: function words repeat many times in a text.
        by_word: dict[str, list[int]] = {}
        for i, tok in enumerate(self):
            by_word.setdefault(tok.text, []).append(i)
        by_form: dict[str, list[int]] = {}
        by_head: dict[str, list[int]] = {}
        for word, at in by_word.items():
            forms, heads = _index_keys(word)
            for f in forms:
                by_form.setdefault(f, []).extend(at)
            for h in heads:
                by_head.setdefault(h, []).extend(at)
        self.by_form, self.by_head = by_form, by_head
        self.form_keys, self.head_keys = frozenset(by_form), frozenset(by_head)
        self.cue_starts, self.cue_ends = {}, {}
        self.starts = tuple(t.start for t in self)
        return self


@functools.lru_cache(maxsize=8)
def text_tokens(text: str) -> TextTokens:
    """The tokens of ``text``, read once per text: routes and links of one article share them."""
    return TextTokens(
        Token(m.start(), m.end(), w, *_word_info(w)) for m in _WORD.finditer(text) for w in (m.group(),)
    )


@functools.lru_cache(maxsize=1 << 16)
def _word_info(word: str) -> tuple[frozenset[str], bool]:
    """A token's forms and whether it is Arabic: both depend on the word only."""
    return word_forms(word), bool(_ARABIC.search(word))


@functools.lru_cache(maxsize=1 << 16)
def _index_keys(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The keys a word is indexed under in :class:`TextTokens`: its forms, and their distinct first two letters."""
    forms = word_forms(word)
    return tuple(forms), tuple({f[:2] for f in forms})


@dataclass(frozen=True)
class CuePhrase:
    """One cue: words matched on consecutive tokens; a word ending in ``*`` matches as a prefix."""

    words: tuple[tuple[str, bool], ...]  # (folded word, is_prefix)
    source: str  # as written in cues.json, for messages and debugging

    @classmethod
    def parse(cls, phrase: str) -> CuePhrase:
        words = []
        for raw in phrase.split():
            prefix = raw.endswith("*")
            raw = raw.rstrip("*")
            folded = normalise_ar(raw) if _ARABIC.search(raw) else raw.casefold()
            if not folded:
                raise DataError(f"cues.json: empty word in cue {phrase!r}; remove the stray '*' or space")
            words.append((folded, prefix))
        if not words:
            raise DataError("cues.json: empty cue; remove it")
        return cls(tuple(words), phrase)

    def match_at(self, tokens: Sequence[Token], i: int, hi: int | None = None) -> bool:
        """True when the phrase matches ``tokens[i:i+len]`` without passing ``hi``."""
        hi = len(tokens) if hi is None else hi
        if i < 0 or i + len(self.words) > hi:
            return False
        for k, (word, prefix) in enumerate(self.words):
            tok = tokens[i + k]
            if prefix:
                if not any(f.startswith(word) for f in tok.forms):
                    return False
            elif word not in tok.forms:
                return False
        return True

    def __len__(self) -> int:
        return len(self.words)


@dataclass(frozen=True)
class CueSet:
    """A list of cue phrases, longest first so that "bound for" wins over "for".

    Phrases are indexed by their first and by their last word, so a lookup at a token tries only the
    phrases that can start (or end) there: a cue table of hundreds of phrases costs a dict lookup per word.
    """

    phrases: tuple[CuePhrase, ...]
    _by_first: dict[str, tuple[CuePhrase, ...]] = field(default_factory=dict, compare=False, repr=False)
    _by_last: dict[str, tuple[CuePhrase, ...]] = field(default_factory=dict, compare=False, repr=False)
    _prefix_first: dict[str, tuple[CuePhrase, ...]] = field(default_factory=dict, compare=False, repr=False)
    _prefix_last: dict[str, tuple[CuePhrase, ...]] = field(default_factory=dict, compare=False, repr=False)
    _memo: dict = field(default_factory=dict, compare=False, repr=False)  # (side, word forms) → candidates
    _keys: tuple = field(default=(), compare=False, repr=False)  # index keys as frozensets, see __post_init__
    _single_first: frozenset = field(default=frozenset(), compare=False, repr=False)  # words that are a whole phrase

    def __post_init__(self) -> None:
        by_first: dict[str, list[CuePhrase]] = {}
        by_last: dict[str, list[CuePhrase]] = {}
        for p in self.phrases:  # already longest first: the lists keep that order
            word, prefix = p.words[0]
            if not prefix:
                by_first.setdefault(word, []).append(p)
            word, prefix = p.words[-1]
            if not prefix:
                by_last.setdefault(word, []).append(p)
        object.__setattr__(self, "_by_first", {k: tuple(v) for k, v in by_first.items()})
        object.__setattr__(self, "_by_last", {k: tuple(v) for k, v in by_last.items()})
        # Prefix words ("متجه*") are indexed by their first two letters.
        object.__setattr__(self, "_prefix_first", _index_by_head(p for p in self.phrases if p.words[0][1]))
        object.__setattr__(self, "_prefix_last", _index_by_head((p for p in self.phrases if p.words[-1][1]), last=True))
        # Intersected with a text's word forms (TextTokens) to find, in one step, where any cue may start or end.
        keys = (self._by_first, self._prefix_first, self._by_last, self._prefix_last)
        object.__setattr__(self, "_keys", tuple(frozenset(k) for k in keys))
        object.__setattr__(self, "_single_first", frozenset(p.words[0][0] for p in self.phrases if len(p) == 1 and not p.words[0][1]))

    @classmethod
    def parse(cls, entry: object, where: str) -> CueSet:
        if isinstance(entry, dict):
            items = [w for lang in ("ar", "en") for w in entry.get(lang, [])]
        elif isinstance(entry, list):
            items = list(entry)
        else:
            raise DataError(f"cues.json: {where} must be a list or an object with 'ar'/'en' lists")
        if not all(isinstance(w, str) for w in items):
            raise DataError(f"cues.json: every cue under {where} must be a string")
        phrases = sorted((CuePhrase.parse(w) for w in items), key=len, reverse=True)
        return cls(tuple(phrases))

    def _candidates(
        self, index: dict[str, tuple[CuePhrase, ...]], prefixed: dict[str, tuple[CuePhrase, ...]], tok: Token
    ) -> tuple[CuePhrase, ...]:
        memo_key = (index is self._by_first, tok.forms)
        hit = self._memo.get(memo_key)
        if hit is None:
            found = [p for f in tok.forms for p in index.get(f, ())]
            found += [p for f in tok.forms for p in prefixed.get(f[:2], ())]
            # Longest first, table order within a length.
            hit = tuple(sorted(dict.fromkeys(found), key=len, reverse=True)) if len(found) > 1 else tuple(found)
            if len(self._memo) < 1 << 16:
                self._memo[memo_key] = hit
        return hit

    def _starts(self, tokens: TextTokens) -> tuple[dict[int, tuple[int, ...]], list[int]]:
        """Where a phrase matches in the whole text: token index → the lengths that match there (longest
        first), and those indices in order. Built once per text from the candidates ``match_at`` would try."""
        hit = tokens.cue_starts.get(id(self))
        if hit is not None:
            return hit[1]
        first_keys, head_keys = self._keys[0], self._keys[1]
        lengths: dict[int, set[int]] = {}
        found = []
        for w in first_keys & tokens.form_keys:
            at = tokens.by_form[w]
            if w in self._single_first:  # a one-word phrase matches wherever its word is
                for i in at:
                    lengths.setdefault(i, set()).add(1)
            found += [(i, p) for i in at for p in self._by_first[w] if p.words != ((w, False),)]
        found += [(i, p) for h in head_keys & tokens.head_keys for i in tokens.by_head[h] for p in self._prefix_first[h]]
        for i, p in found:
            if p.match_at(tokens, i):
                lengths.setdefault(i, set()).add(len(p))
        index = ({i: tuple(sorted(ls, reverse=True)) for i, ls in lengths.items()}, sorted(lengths))
        tokens.cue_starts[id(self)] = (self, index)
        return index

    def _ends(self, tokens: TextTokens) -> set[int]:
        """The token indices where a phrase of the set ends (matching from any start in the text)."""
        hit = tokens.cue_ends.get(id(self))
        if hit is not None:
            return hit[1]
        last_keys, head_keys = self._keys[2], self._keys[3]
        ends: set[int] = set()
        found = []
        for w in last_keys & tokens.form_keys:
            at = tokens.by_form[w]
            if w in self._single_first:  # a one-word phrase is its own first and last word
                ends.update(at)
            found += [(j, p) for j in at for p in self._by_last[w] if p.words != ((w, False),)]
        found += [(j, p) for h in head_keys & tokens.head_keys for j in tokens.by_head[h] for p in self._prefix_last[h]]
        ends.update(j for j, p in found if j - len(p) + 1 >= 0 and p.match_at(tokens, j - len(p) + 1, j + 1))
        tokens.cue_ends[id(self)] = (self, ends)
        return ends

    def match_at(self, tokens: Sequence[Token], i: int, hi: int | None = None) -> CuePhrase | None:
        """The longest phrase starting at token ``i``."""
        if not 0 <= i < len(tokens):
            return None
        if type(tokens) is TextTokens and i not in self._starts(tokens)[0]:
            return None  # no phrase starts here even without the ``hi`` bound
        for p in self._candidates(self._by_first, self._prefix_first, tokens[i]):
            if p.match_at(tokens, i, hi):
                return p
        return None

    def starts_in(self, tokens: Sequence[Token], lo: int, hi: int) -> list[int]:
        """The indices ``i`` in ``[lo, hi)`` where ``match_at(tokens, i, hi)`` finds a phrase, in order."""
        if type(tokens) is TextTokens:
            lengths, starts = self._starts(tokens)
            lo = max(lo, 0)
            # lengths[i] is longest first: the shortest phrase decides whether one fits before ``hi``.
            return [i for i in starts[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)] if i + lengths[i][-1] <= hi]
        return [i for i in range(lo, hi) if self.match_at(tokens, i, hi) is not None]

    def match_ending_at(self, tokens: Sequence[Token], j: int, lo: int = 0) -> CuePhrase | None:
        """The longest phrase whose last word is token ``j`` (not starting before ``lo``)."""
        if not 0 <= j < len(tokens):
            return None
        if type(tokens) is TextTokens and j not in self._ends(tokens):
            return None  # no phrase ends here even from the start of the text
        for p in self._candidates(self._by_last, self._prefix_last, tokens[j]):
            start = j - len(p) + 1
            if start >= lo and p.match_at(tokens, start, j + 1):
                return p
        return None

    def find(self, tokens: Sequence[Token], lo: int, hi: int) -> list[tuple[int, int]]:
        """Non-overlapping ``(first, last)`` token spans of matches in ``tokens[lo:hi]``, left to right."""
        out: list[tuple[int, int]] = []
        if type(tokens) is TextTokens:
            # The same greedy left-to-right scan, jumping between the places where a phrase starts; at each,
            # the longest phrase that ends before ``hi`` (what match_at would pick).
            lengths, starts = self._starts(tokens)
            k = bisect.bisect_left(starts, lo)
            while k < len(starts) and starts[k] < hi:
                i = starts[k]
                n = next((n for n in lengths[i] if i + n <= hi), 0)
                if n:
                    out.append((i, i + n - 1))
                    k = bisect.bisect_left(starts, i + n, k + 1)
                else:
                    k += 1
            return out
        i = lo
        while i < hi:
            p = self.match_at(tokens, i, hi)
            if p is None:
                i += 1
            else:
                out.append((i, i + len(p) - 1))
                i += len(p)
        return out


def _index_by_head(phrases, last: bool = False) -> dict[str, tuple[CuePhrase, ...]]:
    out: dict[str, list[CuePhrase]] = {}
    for p in phrases:
        word = p.words[-1 if last else 0][0]
        out.setdefault(word[:2], []).append(p)
    return {k: tuple(v) for k, v in out.items()}


@functools.cache
def load_cues(path: Path = CUES_FILE) -> dict:
    """The cue table (``data/cues.json``) as parsed JSON; read once per process."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise DataError(f"Cue table not found: {path}; restore data/cues.json from the repository") from err
    except json.JSONDecodeError as err:
        raise DataError(f"Cue table {path} is not valid JSON: {err}") from err
    if not isinstance(data, dict) or not {"routes", "modes", "when", "links"} <= data.keys():
        raise DataError(f"Cue table {path} must have the sections routes, modes, when and links")
    return data


@functools.cache
def cue_set(*keys: str) -> CueSet:
    """The cue set at ``keys`` in the default table, e.g. ``cue_set("routes", "origin")``; parsed once."""
    node: object = load_cues()
    for k in keys:
        if not isinstance(node, dict) or k not in node:
            raise DataError(f"cues.json: missing section {'/'.join(keys)}")
        node = node[k]
    return CueSet.parse(node, "/".join(keys))


def token_range(
    tokens: Sequence[Token], start: int, end: int, starts: Sequence[int] | None = None
) -> tuple[int, int]:
    """Indices ``[lo, hi)`` of the tokens that overlap the character span ``[start, end)``.

    ``starts`` (each token's start offset) saves rebuilding it when calling this in a loop.
    """
    starts = [t.start for t in tokens] if starts is None else starts
    lo = bisect.bisect_right(starts, start) - 1
    if lo < 0 or tokens[lo].end <= start:
        lo += 1
    hi = bisect.bisect_left(starts, end)
    return lo, max(lo, hi)


def mentions_in(mentions: Sequence[Mention], starts: Sequence[int], start: int, end: int) -> Sequence[Mention]:
    """The mentions (sorted by start, with ``starts`` their start offsets) that begin in ``[start, end)``."""
    return mentions[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]


def proclitic(text: str, tok: Token, mention_start: int) -> str:
    """Letters of the mention's first word that stand before the mention (folded): "ل" in "لبيونج"."""
    if tok.start >= mention_start:
        return ""
    return normalise_ar(text[tok.start:mention_start])


def clauses(
    text: str,
    tokens: Sequence[Token],
    lo: int,
    hi: int,
    *,
    boundaries: CueSet | None = None,
    after_comma: CueSet | None = None,
) -> list[tuple[int, int]]:
    """Token ranges ``[a, b)`` of the clauses of a sentence ``tokens[lo:hi]``.

    A clause ends at ``;``/``؛`` and before a word of ``boundaries`` ("حيث", "while"); words of
    ``after_comma`` start a clause only right after a comma ("…, as Kyiv defied …").
    """
    if hi <= lo:
        return []
    # Only the few places where a cut can fall are looked at: the semicolons of the sentence (a
    # semicolon is never part of a word, so it stands in the gap before the token found by bisection)
    # and where the cue words start.
    cuts = {lo, hi}
    if hi - lo > 1:
        first, last = tokens[lo].end, tokens[hi - 1].start
        for mark in (";", "؛"):
            pos = text.find(mark, first, last)
            while pos != -1:
                cuts.add(bisect.bisect_right(tokens, pos, lo + 1, hi, key=_START))
                pos = text.find(mark, pos + 1, last)
        if boundaries is not None:
            cuts.update(boundaries.starts_in(tokens, lo + 1, hi))
        if after_comma is not None:
            for i in after_comma.starts_in(tokens, lo + 1, hi):
                gap = text[tokens[i - 1].end:tokens[i].start]
                if "," in gap or "،" in gap:
                    cuts.add(i)
    ordered = sorted(cuts)
    return list(zip(ordered, ordered[1:]))


@functools.lru_cache(maxsize=256)
def sentence_spans(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """:func:`geo.text.sentences` of a passage, read once for the routes and the links of a text."""
    return tuple(sentences(text, start, end))


# --- dates ------------------------------------------------------------------------------------------


def _is_year(tok: Token) -> bool:
    t = tok.text
    return len(t) == 4 and t.isdigit() and 1800 <= int(t) <= 2199


def find_when(tokens: Sequence[Token], text: str, lo: int, hi: int) -> str:
    """The first date or period in ``tokens[lo:hi]``, quoted from the text; "" when there is none."""
    months = cue_set("when", "months")
    after_month = cue_set("when", "after_month")
    before_month = cue_set("when", "before_month")
    periods = cue_set("when", "periods")
    weekdays = cue_set("when", "weekdays")
    weekday_lead = cue_set("when", "weekday_lead")
    year_lead = cue_set("when", "year_lead")
    # Only where a period, month or weekday starts, or a year stands: nothing else can begin a date.
    at = {i for cs in (periods, months, weekdays) for i in cs.starts_in(tokens, lo, hi)}
    at.update(i for i in range(max(lo, 0), hi) if _is_year(tokens[i]))
    for i in sorted(at):
        p = periods.match_at(tokens, i, hi)
        if p:
            return text[tokens[i].start:tokens[i + len(p) - 1].end]
        m = months.match_at(tokens, i, hi)
        if m and not _english_may(tokens, i, m):
            first, last = i, i + len(m) - 1
            if first - 1 >= lo and tokens[first - 1].text.isdigit() and len(tokens[first - 1].text) <= 2:
                first -= 1
            if first - 1 >= lo and before_month.match_at(tokens, first - 1, hi):
                first -= 1
            if last + 1 < hi and tokens[last + 1].text.isdigit() and len(tokens[last + 1].text) <= 2:
                last += 1  # "July 12"
            if last + 1 < hi and _is_year(tokens[last + 1]):
                last += 1
            elif last + 1 < hi and after_month.match_at(tokens, last + 1, hi):
                last += 1
            return text[tokens[first].start:tokens[last].end]
        if weekdays.match_at(tokens, i, hi) and i - 1 >= lo and weekday_lead.match_at(tokens, i - 1, hi):
            return text[tokens[i - 1].start:tokens[i].end]
        if _is_year(tokens[i]) and i - 1 >= lo and year_lead.match_at(tokens, i - 1, hi):
            return text[tokens[i - 1].start:tokens[i].end]
    return ""


def _english_may(tokens: Sequence[Token], i: int, phrase: CuePhrase) -> bool:
    """True when English "may"/"march" is a verb here: lower-case, or capitalised with no number or lead word beside it."""
    if phrase.source.lower() not in {"may", "march"}:
        return False
    if tokens[i].text[:1].islower():
        return True
    near = [tokens[k] for k in (i - 1, i + 1) if 0 <= k < len(tokens)]
    if any(t.text.isdigit() for t in near):
        return False
    return not (i > 0 and cue_set("when", "before_month").match_at(tokens, i - 1, i))


# --- routes -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Stop:
    place: str
    role: str  # origin / destination / via
    token: int  # first token of the mention, for text order


def find_routes(
    text: str,
    passages: Sequence[Passage],
    places: Iterable[Place],
    mentions: Sequence[Mention],
    *,
    rail: RailFn = rail_path,
) -> tuple[Route, ...]:
    """Every journey the text tells, merged across passages, with its drawn path.

    Identical (mode, stops) found in several passages become one route whose ``passages`` lists all
    of them; a journey told without a mode joins a route with the same stops that has one.
    ``rail`` routes a train through its stops (``geo.rail.rail_path``); pass another only to test.
    """
    by_id = {p.id: p for p in places}
    tokens = text_tokens(text)
    starts = tokens.starts
    mentions = sorted(mentions, key=lambda m: m.start)
    m_starts = [m.start for m in mentions]
    found: dict[tuple[str, tuple[str, ...]], dict] = {}
    order: list[tuple[str, tuple[str, ...]]] = []
    for passage in passages:
        p_lo, p_hi = token_range(tokens, passage.start, passage.end, starts)
        for s, e in sentence_spans(text, passage.start, passage.end):
            s_lo, s_hi = token_range(tokens, s, e, starts)
            # A journey needs two distinct stops: a sentence without two candidate places needs no cue matching.
            if s_hi <= s_lo or len(_stop_places(mentions_in(mentions, m_starts, tokens[s_lo].start, tokens[s_hi - 1].end), by_id)) < 2:
                continue
            # Only a few clause breaks here: a journey often runs on past "حيث" ("…، حيث تستبدل العجلات، قبل أن يصل إلى …").
            for lo, hi in clauses(text, tokens, s_lo, s_hi, after_comma=cue_set("routes", "boundaries_after_comma")):
                c_start, c_end = tokens[lo].start, tokens[hi - 1].end
                in_clause = mentions_in(mentions, m_starts, c_start, c_end)
                stops = _clause_stops(text, tokens, starts, lo, hi, in_clause, by_id)
                if stops is None:
                    continue
                span = (min(st.token for st in stops), max(st.token for st in stops))
                mode = _mode(tokens, s_lo, s_hi, span) or _mode(tokens, p_lo, p_hi, span) or "unknown"
                when = find_when(tokens, text, s_lo, s_hi) or find_when(tokens, text, p_lo, p_hi)
                key = (mode, tuple(st.place for st in stops))
                if key not in found:
                    found[key] = {"passages": [], "when": when}
                    order.append(key)
                if passage.id not in found[key]["passages"]:
                    found[key]["passages"].append(passage.id)
                found[key]["when"] = found[key]["when"] or when

    # A trip told once with its mode and once without is one trip.
    for key in list(order):
        mode, stops = key
        if mode != "unknown":
            continue
        known = [k for k in order if k[1] == stops and k[0] != "unknown"]
        if len(known) == 1:
            target = found[known[0]]
            target["passages"] = sorted(set(target["passages"]) | set(found[key]["passages"]))
            target["when"] = target["when"] or found[key]["when"]
            order.remove(key)
            del found[key]

    routes = []
    for mode, stops in order:
        info = found[(mode, stops)]
        path, length, on_rail = route_path([by_id[s] for s in stops], mode, rail)
        routes.append(
            Route(
                id="-".join(stops) + f"-{mode}",
                mode=mode,
                stops=stops,
                path=tuple(path),
                length_km=length,
                passages=tuple(sorted(info["passages"])),
                when=info["when"],
                on_rail=on_rail,
            )
        )
    return tuple(routes)


def route_path(stops: Sequence[Place], mode: str, rail: RailFn = rail_path) -> tuple[list[LatLon], float, bool]:
    """The drawn path through ``stops``, its length in km, and whether it follows the rail network.

    Trains go by rail when the network connects every stop; otherwise each leg is a great-circle arc.
    The path is unwrapped across the antimeridian, ready for Leaflet.
    """
    points = [p.location for p in stops]
    if mode == "train":
        routed = rail(points)
        if routed is not None:
            polyline, km = routed
            return unwrap(polyline), km, True
    path: list[LatLon] = []
    for a, b in zip(points, points[1:]):
        arc = great_circle(a, b)
        path.extend(arc if not path else arc[1:])
    length = sum(haversine_km(a, b) for a, b in zip(points, points[1:]))
    return unwrap(path), length, False


def _clause_stops(
    text: str,
    tokens: Sequence[Token],
    starts: Sequence[int],
    lo: int,
    hi: int,
    mentions: Sequence[Mention],
    by_id: dict[str, Place],
) -> list[_Stop] | None:
    """The ordered stops of the journey a clause tells, or None when it tells none."""
    if lo >= hi or len(_stop_places(mentions, by_id)) < 2:
        return None  # _order needs two distinct stops: checked first, it is far cheaper than the cue scan
    motion = cue_set("routes", "motion")
    if not motion.starts_in(tokens, lo, hi) and _mode(tokens, lo, hi, (lo, lo)) is None:
        return None
    # Tokens a marker may look past: adjectival mentions and mentions that cannot be stops
    # ("إلى العاصمة الروسية موسكو").
    skippable: set[int] = set()
    stops_at: list[tuple[Mention, int, int]] = []
    for m in mentions:
        m_lo, m_hi = token_range(tokens, m.start, m.end, starts)
        place = by_id.get(m.place)
        if place is None or m.adjectival or place.kind not in STOP_KINDS:
            if m.adjectival:
                skippable.update(range(m_lo, m_hi))
            continue
        stops_at.append((m, m_lo, m_hi))

    found: list[_Stop] = []
    prev_hi = -10
    for m, m_lo, m_hi in stops_at:
        role = _role(text, tokens, lo, m, m_lo, skippable, has_origin=any(s.role == "origin" for s in found))
        if role is None and found and found[-1].role in ("via", "between") and listed_after(tokens, prev_hi, m_lo):
            # "via Krasnoyarsk, Novosibirsk and Yekaterinburg": passing points in order;
            # "between X and Y": X is where the journey starts, Y where it ends.
            role = "via" if found[-1].role == "via" else "destination"
        if role == "between":
            role = "origin"
            found.append(_Stop(m.place, "between", m_lo))
            prev_hi = m_hi - 1
            continue
        prev_hi = m_hi - 1
        if role is None:
            continue
        if role == "via" and by_id[m.place].kind not in VIA_KINDS:
            continue
        found.append(_Stop(m.place, role, m_lo))
    return _order([_Stop(s.place, "origin" if s.role == "between" else s.role, s.token) for s in found])


def _stop_places(mentions: Iterable[Mention], by_id: dict[str, Place]) -> set[str]:
    """The distinct places among ``mentions`` that may be a stop (the same test as :func:`_clause_stops`)."""
    out = set()
    for m in mentions:
        place = by_id.get(m.place)
        if place is not None and not m.adjectival and place.kind in STOP_KINDS:
            out.add(m.place)
    return out


def _role(
    text: str,
    tokens: Sequence[Token],
    lo: int,
    m: Mention,
    m_lo: int,
    skippable: set[int],
    *,
    has_origin: bool,
) -> str | None:
    """The role a marker before the mention gives it, or None."""
    fillers = cue_set("routes", "fillers")
    j = m_lo - 1
    skipped = 0
    # A proclitic li- on the place right after a travel word: "متوجها لموسكو".
    if proclitic(text, tokens[m_lo], m.start).endswith("ل") and j >= lo:
        if cue_set("routes", "motion").match_ending_at(tokens, j, lo):
            return "destination"
    while j >= lo and skipped < MAX_FILLERS and (j in skippable or fillers.match_at(tokens, j, j + 1)):
        j -= 1
        skipped += 1
    if j < lo:
        return None
    if cue_set("routes", "via_after_crossing").match_ending_at(tokens, j, lo):
        crossing = cue_set("routes", "crossing")
        if any(crossing.match_at(tokens, k, j) for k in range(max(lo, j - CROSSING_REACH), j)):
            return "via"
    if has_origin and cue_set("routes", "destination_after_origin").match_ending_at(tokens, j, lo):
        return "destination"
    between = cue_set("routes", "between").match_ending_at(tokens, j, lo)
    if between is not None:
        # "رحلته الأسبوعية بين X وY", "flights between X and Y": only right after a travel or mode word.
        k = j - len(between)
        travel = [cue_set("routes", "motion")] + [cue_set("modes", md) for md in ("train", "plane", "car", "ship")]
        if any(cs.match_ending_at(tokens, t, lo) for cs in travel for t in range(max(lo, k - 2), k + 1)):
            return "between"
        return None
    # Longest marker wins across roles: "arrived in" (destination) over nothing, "departed from" over "from".
    best: tuple[int, str] | None = None
    for role in ("origin", "via", "destination"):
        p = cue_set("routes", role).match_ending_at(tokens, j, lo)
        if p is not None and (best is None or len(p) > best[0]):
            best = (len(p), role)
    return None if best is None else best[1]


def listed_after(tokens: Sequence[Token], prev_hi: int, m_lo: int) -> bool:
    """True when a mention starting at ``m_lo`` continues a list whose last item ended at ``prev_hi``."""
    if m_lo - prev_hi == 1:
        return True  # "X, Y" or "X وY"
    return m_lo - prev_hi == 2 and bool(tokens[prev_hi + 1].forms & _AND)


_AND = frozenset({"and", "و", "or", "او"})


def _order(found: list[_Stop]) -> list[_Stop] | None:
    """Travel order: the first origin, then the rest in text order, with trailing vias before the last destination.

    "from Paris to Hanoi via Dubai" → Paris, Dubai, Hanoi; "from Moscow via Kazan to Perm" keeps text order.
    """
    if not any(s.role == "destination" for s in found):
        return None  # "officials from X and from Y", "withdrawal from X … via Y": no journey told
    origins = [s for s in found if s.role == "origin"]
    # A later origin only continues the journey from a place already reached ("… to Y, and from Y to Z").
    rest = [
        s
        for k, s in enumerate(found)
        if not (origins and s is origins[0])
        and (s.role != "origin" or any(t.place == s.place for t in found[:k]))
    ]
    ordered = ([origins[0]] if origins else []) + rest
    dest_idx = [i for i, s in enumerate(ordered) if s.role == "destination"]
    if dest_idx:
        last = dest_idx[-1]
        trailing = [s for s in ordered[last + 1:] if s.role == "via"]
        if trailing:
            keep = [s for s in ordered[last + 1:] if s.role != "via"]
            ordered = ordered[:last] + trailing + [ordered[last]] + keep
    stops: list[_Stop] = []
    for s in ordered:
        if not stops or stops[-1].place != s.place:
            stops.append(s)
    if len({s.place for s in stops}) < 2:
        return None
    return stops


def _mode(tokens: Sequence[Token], lo: int, hi: int, span: tuple[int, int]) -> str | None:
    """The mode whose cue word in ``tokens[lo:hi]`` is nearest to ``span`` (ties: the first in MODES order)."""
    best: tuple[int, int, str] | None = None
    for rank, mode in enumerate(("train", "plane", "car", "ship")):
        for a, b in cue_set("modes", mode).find(tokens, lo, hi):
            dist = max(span[0] - b, a - span[1], 0)
            if best is None or (dist, rank) < best[:2]:
                best = (dist, rank, mode)
    return None if best is None else best[2]

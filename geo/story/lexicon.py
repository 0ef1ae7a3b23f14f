"""Cue words and the word matching they need, shared by :mod:`geo.story.journeys` and :mod:`geo.story.relations`.

Tokens carry their Arabic readings with proclitics peeled (وإلى → إلى) and English case-folded forms;
cue phrases from ``data/cues.json`` match consecutive tokens, a word ending in ``*`` as a prefix. Each
cue set is indexed by first and last word and records its matches over a whole text once, so asking
"which cues lie in this clause" is a bisection, not a scan. Also here: clause and sentence spans, and
the date expressions of a sentence.
"""

from __future__ import annotations

import bisect
import functools
import json
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from geo.core.errors import DataError
from geo.core.model import Mention
from geo.core.resources import data_file
from geo.core.text import ARABIC_SCRIPT, normalise_ar
from geo.core.tokens import TextTokens, Token

CUES_FILE = data_file("cues.json")
_START = operator.attrgetter("start")

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
            folded = normalise_ar(raw) if ARABIC_SCRIPT.search(raw) else raw.casefold()
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
    # Phrases of two words or more by (first word → second word → phrases) and (last → next-to-last → phrases),
    # those words written in full; a phrase whose neighbour word is a prefix sits under "": always tried.
    _pairs_first: dict = field(default_factory=dict, compare=False, repr=False)
    _pairs_last: dict = field(default_factory=dict, compare=False, repr=False)

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
        object.__setattr__(self, "_pairs_first", _index_pairs(self._by_first, 0, 1))
        object.__setattr__(self, "_pairs_last", _index_pairs(self._by_last, -1, -2))

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
        last = len(tokens) - 1
        for w in first_keys & tokens.form_keys:
            at = tokens.by_form[w]
            if w in self._single_first:  # a one-word phrase matches wherever its word is
                for i in at:
                    lengths.setdefault(i, set()).add(1)
            pairs = self._pairs_first.get(w)
            if pairs:  # longer phrases: only those whose second word the next token has (set intersection, in C)
                seconds, by_second = pairs
                for i in at:
                    if i < last:
                        found += [(i, p) for w2 in seconds & tokens[i + 1].forms for p in by_second[w2]]
                        found += [(i, p) for p in by_second.get("", ())]
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
            pairs = self._pairs_last.get(w)
            if pairs:  # longer phrases: only those whose next-to-last word the token before has
                befores, by_before = pairs
                for j in at:
                    if j > 0:
                        found += [(j, p) for w2 in befores & tokens[j - 1].forms for p in by_before[w2]]
                        found += [(j, p) for p in by_before.get("", ())]
        found += [(j, p) for h in head_keys & tokens.head_keys for j in tokens.by_head[h] for p in self._prefix_last[h]]
        ends.update(j for j, p in found if j - len(p) + 1 >= 0 and p.match_at(tokens, j - len(p) + 1, j + 1))
        tokens.cue_ends[id(self)] = (self, ends)
        return ends

    def match_at(self, tokens: TextTokens, i: int, hi: int | None = None) -> CuePhrase | None:
        """The longest phrase starting at token ``i``."""
        if not 0 <= i < len(tokens):
            return None
        if i not in self._starts(tokens)[0]:
            return None  # no phrase starts here even without the ``hi`` bound
        for p in self._candidates(self._by_first, self._prefix_first, tokens[i]):
            if p.match_at(tokens, i, hi):
                return p
        return None

    def starts_in(self, tokens: TextTokens, lo: int, hi: int) -> list[int]:
        """The indices ``i`` in ``[lo, hi)`` where ``match_at(tokens, i, hi)`` finds a phrase, in order."""
        lengths, starts = self._starts(tokens)
        lo = max(lo, 0)
        # lengths[i] is longest first: the shortest phrase decides whether one fits before ``hi``.
        return [i for i in starts[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)] if i + lengths[i][-1] <= hi]

    def match_ending_at(self, tokens: TextTokens, j: int, lo: int = 0) -> CuePhrase | None:
        """The longest phrase whose last word is token ``j`` (not starting before ``lo``)."""
        if not 0 <= j < len(tokens):
            return None
        if j not in self._ends(tokens):
            return None  # no phrase ends here even from the start of the text
        for p in self._candidates(self._by_last, self._prefix_last, tokens[j]):
            start = j - len(p) + 1
            if start >= lo and p.match_at(tokens, start, j + 1):
                return p
        return None

    def find(self, tokens: TextTokens, lo: int, hi: int) -> list[tuple[int, int]]:
        """Non-overlapping ``(first, last)`` token spans of matches in ``tokens[lo:hi]``, left to right.

        A greedy left-to-right scan that jumps between the places where a phrase starts; at each, the
        longest phrase that ends before ``hi`` (what ``match_at`` would pick).
        """
        out: list[tuple[int, int]] = []
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


def _index_pairs(
    by_word: dict[str, tuple[CuePhrase, ...]], end: int, neighbour: int
) -> dict[str, tuple[frozenset[str], dict[str, tuple[CuePhrase, ...]]]]:
    """For each word of ``by_word``, its phrases of two words or more grouped by the word at index
    ``neighbour`` (the second, or the next-to-last): the set of those words, and word → phrases. A prefix
    neighbour ("متجه*") groups under "" (never a token form)."""
    out: dict[str, tuple[frozenset[str], dict[str, tuple[CuePhrase, ...]]]] = {}
    for word, phrases in by_word.items():
        groups: dict[str, list[CuePhrase]] = {}
        for p in phrases:
            if len(p.words) < 2 or p.words[end] != (word, False):
                continue
            w2, prefix = p.words[neighbour]
            groups.setdefault("" if prefix else w2, []).append(p)
        if groups:
            out[word] = (frozenset(k for k in groups if k), {k: tuple(v) for k, v in groups.items()})
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
    colon_unless_after: CueSet | None = None,
) -> list[tuple[int, int]]:
    """Token ranges ``[a, b)`` of the clauses of a sentence ``tokens[lo:hi]``.

    A clause ends at ``;``/``؛`` and before a word of ``boundaries`` ("حيث", "while"); words of
    ``after_comma`` start a clause only right after a comma ("…, as Kyiv defied …"). With
    ``colon_unless_after``, a colon followed by a space ends a clause too ("A–B war: a ship left X"), unless a
    word of that set stands right before it ("said: …" introduces what the speaker said).
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
        # A full stop run into the next Arabic word ("جدة.وشدد") still ends the sentence.
        pos = text.find(".", first, last)
        while pos != -1:
            if pos + 1 < len(text) and ARABIC_SCRIPT.match(text[pos + 1]):
                cuts.add(bisect.bisect_right(tokens, pos, lo + 1, hi, key=_START))
            pos = text.find(".", pos + 1, last)
        if colon_unless_after is not None:
            pos = text.find(":", first, last)
            while pos != -1:
                if text[pos + 1:pos + 2].isspace():
                    k = bisect.bisect_right(tokens, pos, lo + 1, hi, key=_START)
                    if colon_unless_after.match_ending_at(tokens, k - 1, lo) is None:
                        cuts.add(k)
                pos = text.find(":", pos + 1, last)
        if boundaries is not None:
            cuts.update(boundaries.starts_in(tokens, lo + 1, hi))
        if after_comma is not None:
            for i in after_comma.starts_in(tokens, lo + 1, hi):
                gap = text[tokens[i - 1].end:tokens[i].start]
                if "," in gap or "،" in gap:
                    cuts.add(i)
    ordered = sorted(cuts)
    return list(zip(ordered, ordered[1:]))


def listed_after(tokens: Sequence[Token], prev_hi: int, m_lo: int) -> bool:
    """True when a mention starting at ``m_lo`` continues a list whose last item ended at ``prev_hi``."""
    if m_lo - prev_hi == 1:
        # "X, Y" or "X وY"; two names side by side with only a space are no list in Arabic, whose verb comes
        # first ("اتهمت إيران الولايات المتحدة": Iran accused the US).
        nxt = tokens[m_lo]
        return not nxt.arabic or nxt.text.startswith("و") or nxt.start - tokens[prev_hi].end > 1
    return m_lo - prev_hi == 2 and bool(tokens[prev_hi + 1].forms & _AND)


_AND = frozenset({"and", "و", "or", "او"})


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



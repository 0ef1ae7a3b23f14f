"""Cue phrases and cue sets, and where they match in a text: every set's matches found in one pass.

A cue phrase (``data/cues.json``) matches consecutive tokens, a word ending in ``*`` as a prefix of one of the
token's forms (:mod:`geo.core.tokens`: Arabic folded with each proclitic reading peeled, English
case-folded). Story reading asks ~500 times per article "does a phrase of set S start or end at token i"
(or "in this clause"), over ~50 of the ~100 sets. Those answers come from one table per text:

- per distinct word of the text (news repeats its words; remembered per process, bounded), the phrases of
  *every* set whose first word it is, grouped by the phrase's second word;
- one pass over the text's distinct words then checks only those phrases, where the next token has their
  second word, and records each match (set, first token, length) once.

A set's starts and ends in the text are read off that table on first use. Sets join the table when first
asked about (so the throwaway sets made while loading the office-holder table never do).
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from geo.core.errors import DataError
from geo.core.text import ARABIC_SCRIPT, normalise_ar
from geo.core.tokens import TextTokens, Token, word_forms

_MEMO_LIMIT = 1 << 16  # distinct words remembered per process: a hostile text cannot grow the memo without end


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

    def first_word_of(self, forms: frozenset[str]) -> bool:
        """True when a token with these forms matches the phrase's first word."""
        word, prefix = self.words[0]
        return any(f.startswith(word) for f in forms) if prefix else word in forms

    def __len__(self) -> int:
        return len(self.words)


@dataclass(frozen=True)
class CueSet:
    """A list of cue phrases, longest first so that "bound for" wins over "for".

    Phrases are indexed by their first and by their last word (a prefix word by its first two letters), so a
    lookup at a token tries only the phrases that can start (or end) there.
    """

    phrases: tuple[CuePhrase, ...]
    _by_first: dict[str, tuple[CuePhrase, ...]] = field(default_factory=dict, compare=False, repr=False)
    _by_last: dict[str, tuple[CuePhrase, ...]] = field(default_factory=dict, compare=False, repr=False)
    _prefix_first: dict[str, tuple[CuePhrase, ...]] = field(default_factory=dict, compare=False, repr=False)
    _prefix_last: dict[str, tuple[CuePhrase, ...]] = field(default_factory=dict, compare=False, repr=False)
    _memo: dict = field(default_factory=dict, compare=False, repr=False)  # (side, word forms) → candidates

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
        first), and those indices in order. Read off the text's table of matches (:func:`_text_matches`)."""
        hit = tokens.cue_starts.get(id(self))
        if hit is not None:
            return hit[1]
        lengths = _text_matches(tokens, self)
        index = ({i: tuple(sorted(ls, reverse=True)) for i, ls in lengths.items()}, sorted(lengths))
        tokens.cue_starts[id(self)] = (self, index)
        return index

    def _ends(self, tokens: TextTokens) -> set[int]:
        """The token indices where a phrase of the set ends (matching from any start in the text)."""
        hit = tokens.cue_ends.get(id(self))
        if hit is not None:
            return hit[1]
        ends = {i + n - 1 for i, ns in _text_matches(tokens, self).items() for n in ns}
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


def starts_any(sets: Sequence[CueSet], tokens: TextTokens, lo: int, hi: int) -> bool:
    """``any(cs.starts_in(tokens, lo, hi) for cs in sets)`` in one bisection: the sets' starts in the text, each
    with the end of its shortest phrase, are merged once per text and list of sets."""
    key = tuple(map(id, sets))
    hit = tokens.cue_starts.get(key)
    if hit is None:
        shortest: dict[int, int] = {}
        for cs in sets:
            for i, lengths in cs._starts(tokens)[0].items():
                if lengths[-1] < shortest.get(i, lengths[-1] + 1):
                    shortest[i] = lengths[-1]
        starts = sorted(shortest)
        hit = (tuple(sets), (starts, [i + shortest[i] for i in starts]))  # the sets kept: their ids stay theirs
        tokens.cue_starts[key] = hit
    starts, ends = hit[1]
    k = bisect.bisect_left(starts, max(lo, 0))
    while k < len(starts) and starts[k] < hi:
        if ends[k] <= hi:
            return True
        k += 1
    return False


def _index_by_head(phrases, last: bool = False) -> dict[str, tuple[CuePhrase, ...]]:
    out: dict[str, list[CuePhrase]] = {}
    for p in phrases:
        word = p.words[-1 if last else 0][0]
        out.setdefault(word[:2], []).append(p)
    return {k: tuple(v) for k, v in out.items()}


# --- every set's matches in a text, in one pass -------------------------------------------------------


class _WordCues(NamedTuple):
    """What may start at a word, over all the sets in the table: ``singles`` the sets with a one-word phrase
    it matches; longer phrases as (set number, phrase), by their second word, or, when that word is a prefix,
    in ``always``."""

    singles: tuple[int, ...]
    by_second: dict[str, tuple[tuple[int, CuePhrase], ...]]
    always: tuple[tuple[int, CuePhrase], ...]


_NOTHING = _WordCues((), {}, ())


class _Table(NamedTuple):
    """The sets matched in one pass (in the order they joined) and their numbers by id; their phrases by first
    word (a prefix word by its first two letters) as (set number, phrase); and the per-word memo for exactly
    these sets. A set joining makes a new table, so a memo never mixes two lists of sets.

    ``forms``/``heads`` index the memo's words by each of their forms and by each form's first two letters, so
    that a set joining updates only the words its phrases can start with (each word indexed before it enters the
    memo; entries of words no longer in the memo are skipped)."""

    sets: tuple[CueSet, ...]
    numbers: dict[int, int]
    by_first: dict[str, tuple[tuple[int, CuePhrase], ...]]
    prefix_first: dict[str, tuple[tuple[int, CuePhrase], ...]]
    words: dict[str, _WordCues]
    cue_words: set[str]  # the words of ``words`` that may start a phrase: a text's are found by one set operation
    forms: dict[str, tuple[str, ...]]  # form → memo words with that form
    heads: dict[str, list[str]]  # a form's first two letters → memo words with such a form


_TABLE = _Table((), {}, {}, {}, {}, set(), {}, {})
_JOINING = threading.Lock()  # pages are served by threads: two sets joining at once must not lose one


def _table_with(cue_set: CueSet) -> _Table:
    """The current table, with ``cue_set`` in it (joined now if it is new: a few dozen times per process).

    The words already remembered are carried over, those the new set's phrases can start with (found in the
    table's index of forms) with its phrases added, so a set joining late in a run does not make every later
    text work its words out again. The join costs a copy of the memo (in C) and a lookup per word it updates:
    working out every remembered word again (tens of thousands after a few hundred articles) took ~1.5 µs
    per word and join, ~10% of a run over real articles.
    """
    global _TABLE
    table = _TABLE
    if id(cue_set) in table.numbers:
        return table
    with _JOINING:
        table = _TABLE
        if id(cue_set) not in table.numbers:
            no = len(table.sets)
            by_first = _joined(table.by_first, no, cue_set._by_first)
            prefix_first = _joined(table.prefix_first, no, cue_set._prefix_first)
            # Copies (other threads may be adding words), taken in this order: a word is indexed, and put in
            # ``cue_words`` when it starts a phrase, before it enters the memo (see _all_matches), so every word of
            # the copied memo is in the copied index and, if it starts a phrase, in the copied ``cue_words``.
            words = dict(table.words)
            cue_words, forms, heads = set(table.cue_words), dict(table.forms), dict(table.heads)
            maybe = {w for key in cue_set._by_first for w in forms.get(key, ())}
            maybe.update(w for head in cue_set._prefix_first for w in heads.get(head, ()))
            for word in maybe:
                cues = words.get(word)
                if cues is None:
                    continue  # indexed by a table before a clear, or a word no longer remembered
                new = _cues(_first_words(no, cue_set._by_first, cue_set._prefix_first, word_forms(word)))
                if new is not _NOTHING:
                    words[word] = _merged(cues, new)
                    cue_words.add(word)
            table = _Table((*table.sets, cue_set), {**table.numbers, id(cue_set): no}, by_first, prefix_first, words, cue_words,
                           forms, heads)
            _TABLE = table
    return table


def _joined(index: dict[str, tuple[tuple[int, CuePhrase], ...]], no: int, phrases: dict[str, tuple[CuePhrase, ...]]) -> dict:
    out = dict(index)
    for key, ps in phrases.items():
        out[key] = out.get(key, ()) + tuple((no, p) for p in ps)
    return out


def _first_words(no: int | None, by_first: dict, prefix_first: dict, forms: frozenset[str]) -> list[tuple[int, CuePhrase]]:
    """(set number, phrase) for the phrases of ``by_first``/``prefix_first`` (one set's, numbered ``no``, or the
    table's, where each entry is already such a pair when ``no`` is None) whose first word a token with these
    forms matches."""
    if no is None:
        found = [hit for f in forms for hit in by_first.get(f, ())]
        return found + [hit for h in {f[:2] for f in forms} for hit in prefix_first.get(h, ()) if hit[1].first_word_of(forms)]
    found = [(no, p) for f in forms for p in by_first.get(f, ())]
    return found + [(no, p) for h in {f[:2] for f in forms} for p in prefix_first.get(h, ()) if p.first_word_of(forms)]


def _cues(found: list[tuple[int, CuePhrase]]) -> _WordCues:
    """The phrases found for a word, sorted into one-word phrases and longer ones by their second word."""
    if not found:
        return _NOTHING
    singles: set[int] = set()
    groups: dict[str, list[tuple[int, CuePhrase]]] = {}
    always: list[tuple[int, CuePhrase]] = []
    for no, p in dict.fromkeys(found):
        if len(p.words) == 1:
            singles.add(no)
            continue
        word, prefix = p.words[1]
        if prefix:
            always.append((no, p))
        else:
            groups.setdefault(word, []).append((no, p))
    return _WordCues(tuple(sorted(singles)), {k: tuple(v) for k, v in groups.items()}, tuple(always))


def _merged(a: _WordCues, b: _WordCues) -> _WordCues:
    """A word's phrases from two disjoint lists of sets."""
    if b is _NOTHING or a is _NOTHING:
        return a if b is _NOTHING else b
    by_second = dict(a.by_second)
    for k, v in b.by_second.items():
        by_second[k] = by_second.get(k, ()) + v
    return _WordCues(a.singles + b.singles, by_second, a.always + b.always)


def _text_matches(tokens: TextTokens, cue_set: CueSet) -> dict[int, set[int]]:
    """``cue_set``'s matches in the text: first token → lengths of the phrases matching there.

    The first set asked about in a text (or one that joined the table since) makes the whole table's
    matches in one pass over the text's distinct words; the others read theirs off it.
    """
    table = _table_with(cue_set)
    no = table.numbers[id(cue_set)]
    done = tokens.cue_hits
    if done is None or done[0] is not table and no >= len(done[0].sets):
        done = (table, _all_matches(tokens, table))
        tokens.cue_hits = done
    return done[1].get(no, {})


def _all_matches(tokens: TextTokens, table: _Table) -> dict[int, dict[int, set[int]]]:
    """Set number → first token → lengths, for every phrase of every set of ``table`` matching in the text.

    The memo is keyed by the word as written: its forms are a function of the word (``tokenize_words`` takes
    them from ``word_forms``), so any token of the word stands for all of them.
    """
    memo, cue_words, by_word, forms_index, heads_index = table.words, table.cue_words, tokens.by_word, table.forms, table.heads
    starting = by_word.keys() & cue_words  # the text's words known to start a phrase of some set (in C)
    # And those never seen before. (``set(by_word).difference(memo)`` tests the text's words against the memo;
    # ``by_word.keys() - memo.keys()`` would walk the whole memo, up to 65,536 words, for every text.)
    for word in set(by_word).difference(memo):
        if len(memo) >= _MEMO_LIMIT:
            with _JOINING:  # not while a join copies them: the memo and its indexes stay in step
                memo.clear()
                cue_words.clear()
                forms_index.clear()
                heads_index.clear()
        forms = tokens[by_word[word][0]].forms
        cues = _cues(_first_words(None, table.by_first, table.prefix_first, forms))
        # Indexed and marked before it enters the memo (see _table_with).
        for f in forms:
            # A tuple per form (most forms are one word's): tuples of strings leave the cyclic GC's watch, where tens of
            # thousands of lists made every full collection longer.
            forms_index[f] = forms_index.get(f, ()) + (word,)
            heads_index.setdefault(f[:2], []).append(word)  # (a thousand or so heads)
        if cues is not _NOTHING:
            cue_words.add(word)
            starting.add(word)
        memo[word] = cues
    out: dict[int, dict[int, set[int]]] = {}
    last = len(tokens) - 1
    for word in starting:
        at = by_word[word]
        cues = memo.get(word) or _cues(_first_words(None, table.by_first, table.prefix_first, tokens[at[0]].forms))  # (cleared since)
        for no in cues.singles:
            found = out.setdefault(no, {})
            for i in at:
                found.setdefault(i, set()).add(1)
        if not (cues.by_second or cues.always):
            continue
        by_second = cues.by_second
        for i in at:
            if i == last:
                continue  # no room for a second word
            # The phrases whose second word the next token has (its forms are few: looked up one by one).
            tried = [hit for f in tokens[i + 1].forms if f in by_second for hit in by_second[f]]
            for no, p in (*tried, *cues.always):
                if p.match_at(tokens, i):
                    out.setdefault(no, {}).setdefault(i, set()).add(len(p))
    return out

"""Cue words and the word matching they need, shared by :mod:`geo.story.journeys` and :mod:`geo.story.relations`.

The cue table (``data/cues.json``) and its sets by name (``cue_set("routes", "origin")``); the phrases and
their matching are in :mod:`geo.story.cues`: each set's matches over a whole text are recorded once, so asking
"which cues lie in this clause" is a bisection, not a scan. Also here: clause and sentence spans, and
the date expressions of a sentence.
"""

from __future__ import annotations

import bisect
import functools
import json
import operator
from collections.abc import Iterable, Sequence
from pathlib import Path

from geo.core.errors import DataError
from geo.core.model import Mention
from geo.core.resources import data_file
from geo.core.text import ARABIC_SCRIPT, normalise_ar
from geo.core.tokens import Token
from geo.story.cues import CuePhrase, CueSet

__all__ = ["CuePhrase", "CueSet", "Token", "clauses", "cue_set", "find_when", "listed_after", "load_cues",
           "mentions_in", "proclitic", "token_range"]

CUES_FILE = data_file("cues.json")
_START = operator.attrgetter("start")


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


def token_at(tokens: Sequence[Token], pos: int, lo: int, hi: int) -> int:
    """The index in ``[lo, hi)`` of the token a character offset ``pos`` falls in (or, in a gap, the one before)."""
    return max(lo, bisect.bisect_right(tokens, pos, lo, hi, key=_START) - 1)


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
    relative: CueSet | None = None,
    extra_cuts: Iterable[int] = (),
) -> list[tuple[int, int]]:
    """Token ranges ``[a, b)`` of the clauses of a sentence ``tokens[lo:hi]``.

    A clause ends at ``;``/``؛`` and before a word of ``boundaries`` ("حيث", "while"); words of
    ``after_comma`` start a clause only right after a comma ("…, as Kyiv defied …"); those also in ``relative``
    open a relative clause that the next comma closes ("…, who arrived from X, will …"). With
    ``colon_unless_after``, a colon followed by a space ends a clause too ("A–B war: a ship left X"), unless a
    word of that set stands right before it ("said: …" introduces what the speaker said). ``extra_cuts`` are token
    indices where the caller knows a clause starts.
    """
    if hi <= lo:
        return []
    # Only the few places where a cut can fall are looked at: the semicolons of the sentence (a
    # semicolon is never part of a word, so it stands in the gap before the token found by bisection)
    # and where the cue words start.
    cuts = {lo, hi} | {k for k in extra_cuts if lo < k < hi}
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
                    if relative is not None and relative.match_at(tokens, i, i + 1) is not None:
                        # ", who arrived from X, will travel to Y": the next comma closes the relative clause.
                        end = next((k for k in range(i + 1, hi) if "," in text[tokens[k - 1].end:tokens[k].start]), None)
                        if end is not None:
                            cuts.add(end)
    ordered = sorted(cuts)
    return list(zip(ordered, ordered[1:]))


def before_fillers(tokens: Sequence[Token], lo: int, m_lo: int) -> int:
    """The last token before ``m_lo`` that is no filler (routes/fillers: "the", "city", "port of" …), looking back no
    further than ``lo``: where a marker before a place mention ends ("from the port city of X"). ``lo - 1`` if none."""
    fillers = cue_set("routes", "fillers")
    j = m_lo - 1
    while j >= lo and fillers.match_at(tokens, j, j + 1):
        j -= 1
    return j


def listed_after(tokens: Sequence[Token], prev_hi: int, m_lo: int) -> bool:
    """True when a mention starting at ``m_lo`` continues a list whose last item ended at ``prev_hi``."""
    if m_lo - prev_hi == 1:
        # "X, Y" or "X وY"; two names side by side with only a space are no list in Arabic, whose verb comes
        # first ("اتهمت إيران الولايات المتحدة": Iran accused the US).
        nxt = tokens[m_lo]
        return not nxt.arabic or nxt.text.startswith("و") or nxt.start - tokens[prev_hi].end > 1
    return m_lo - prev_hi == 2 and bool(tokens[prev_hi + 1].forms & _AND)


_AND = frozenset({"and", "و", "or", "او"})
# "with" as its own word: who a relation is with, or the counterpart of a meeting.
WITH_WORDS = frozenset({"with", "مع"})


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



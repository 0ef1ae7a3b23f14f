"""Sports clubs named after their town: "Manchester City", "beat Liverpool 2-1", "برشلونة الإسباني".

A town's name that is a club's is marked like a person's name (``Match.person``): that mention is dropped, and the
article's later bare mentions of the name count only after a locative cue ("the return leg in Manchester").
The Arabic reading of a whole match report is in :mod:`geo.places.ar_context`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import replace

from geo.core.document import Document
from geo.core.text import name_key
from geo.core.tokens import NameToken
from geo.places.gazetteer import Gazetteer
from geo.places.people import EN_INSTITUTION
from geo.places.readings import Match

# "<Town> City" where the two words name no place (Mexico City, Kansas City do), in a sentence about sport: the club
# ("the X City Council", "the X City Marshal" are the town's).
_CITY_CLUB = re.compile(r" City\b(?: ([A-Z][a-z]+))?")
_SPORT_WORDS = frozenset(
    "match matches game games goal goals league season striker midfielder defender goalkeeper coach manager fans "
    "supporters cup championship champions relegation promotion derby stadium beat beats drew draw win won lost "
    "defeat defeated victory scored".split()
)
_WORDS = re.compile(r"[a-z]+")
# A town beside a result verb in a sentence about sport with a score ("2-1"): a match report names clubs. Not a country,
# state or capital: "voted 13-2 against Israel", "ruled 6-3 against Texas".
_SCORE = re.compile(r"\b\d{1,2} ?[-\u2013] ?\d{1,2}\b")
# ("knocked out X"; not "against X", "a win over X": local news names a school's team by its town, and is read so.)
_RESULT_BEFORE = frozenset("beat beats defeated defeat edged thrashed hammered routed stunned drew vs v. eliminated out".split())
_RESULT_AFTER = frozenset("beat beats defeated edged thrashed hammered routed stunned drew won lost".split())
_WORD_BEFORE = re.compile(r"([A-Za-z.]+)\s+$")
_WORD_AFTER = re.compile(r"\s+([A-Za-z]+)")


def en_clubs(doc: Document, matches: list[Match], gaz: Gazetteer) -> list[Match]:
    """``matches`` with the English town names that stand for a club marked as names (see the module)."""
    text, sentences = doc.text, doc.sentences
    sporty: dict[int, tuple[bool, bool]] = {}  # sentence → (sport words, a score), read once per sentence
    out = list(matches)
    if not sentences:
        return out
    k_sentence = 0
    for k, m in enumerate(out):
        if m.adjectival or m.person or m.cue == "strong" or not m.text[:1].isascii() or not m.text[:1].isalpha():
            continue
        while k_sentence + 1 < len(sentences) and sentences[k_sentence + 1][0] <= m.start:
            k_sentence += 1  # matches come in text order: one sweep over the sentences
        if k_sentence not in sporty:
            a, b = sentences[k_sentence]
            sporty[k_sentence] = (not _SPORT_WORDS.isdisjoint(_WORDS.findall(text[a:b].lower())), _SCORE.search(text, a, b) is not None)
        sport, score = sporty[k_sentence]
        if sport and (_city_club(text, m, gaz) or score and _beside_result(text, m) and _minor(m, gaz)):
            out[k] = replace(m, person=True)
    return out


def _city_club(text: str, m: Match, gaz: Gazetteer) -> bool:
    club = _CITY_CLUB.match(text, m.end)
    if club is None or club.group(1) in EN_INSTITUTION:
        return False
    key = name_key(m.text + " City")
    return not gaz.keys.get(key) and not gaz.towns(key)


def _beside_result(text: str, m: Match) -> bool:
    before = _WORD_BEFORE.search(text, max(0, m.start - 20), m.start)
    after = _WORD_AFTER.match(text, m.end)
    return bool(before and before.group(1).lower() in _RESULT_BEFORE or after and after.group(1).lower() in _RESULT_AFTER)


def _minor(m: Match, gaz: Gazetteer) -> bool:
    """A town's name only: no country, state or capital among its readings."""
    return all(gaz.entries[j].kind == "city" and not gaz.entries[j].capital for j in m.candidates)


def ar_clubs(doc: Document, matches: list[Match], gaz: Gazetteer) -> list[Match]:
    """A city (or country) right before a masculine nisba is a club: برشلونة الإسباني, قطر القطري (the city is feminine).

    Not after a cue: in "ميناء صلالة العماني" the adjective agrees with the port.
    """
    text, tokens = doc.text, doc.arabic_names
    out = list(matches)
    for k in range(len(out) - 1):
        a, b = out[k], out[k + 1]
        if a.adjectival or a.cue or not b.adjectival or not a.candidates or text[a.end : b.start].strip():
            continue
        last = _token_ending(tokens, b.end)
        if last is None or not last.norm.endswith("ي"):
            continue
        top = gaz.entries[a.candidates[0]]
        if top.kind == "city" or top.kind == "country" and gaz.entries[b.candidates[0]].country == top.country:
            out[k] = replace(a, person=True)
    return out


def _token_ending(tokens: Sequence[NameToken], end: int) -> NameToken | None:
    """The Arabic token ending at ``end``, if any: its folded form, without folding the text again."""
    k = bisect.bisect_left(tokens, end, key=lambda t: t.end)
    return tokens[k] if k < len(tokens) and tokens[k].end == end else None

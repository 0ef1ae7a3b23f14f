"""The story's dateline: the town wire copy is filed from ("SAMARKAND, Uzbekistan, April 3 (AFP) - …").

Wire copy is written from where its events happen: arrivals with no destination come there (:mod:`geo.story.journeys`),
and a leader named by title without a country ("President Irfaan Ali said") is the host country's, as agency style
qualifies only foreign leaders ("Brazilian President …"; :func:`host_people`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from geo.core.model import Mention
from geo.core.tokens import TextTokens
from geo.story.lexicon import cue_set

# A dateline: a town opening a line, then an optional ", State" / ", Month Day" and an agency in brackets, then a dash.
_DATELINE = re.compile(r"[^\n]{0,40}?(?:\([^)\n]{1,30}\)\s*)?[-\u2014\u2013]")
DATELINE_CHARS = 400  # the dateline stands in the story's first lines (after the headline)
NAME_WORDS = 3  # at most a first, a middle and a last name


def dateline_mentions(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """Mentions that open a line within the story's first lines and are followed by a dateline's tail."""
    out = []
    for m in mentions:
        if m.start > DATELINE_CHARS:
            break
        if m.adjectival or not (m.start == 0 or text[m.start - 1] == "\n"):
            continue
        tail = _DATELINE.match(text, m.end)
        if tail is not None and (text[m.end:m.end + 1] in ",( " and "(" in tail.group()
                                 or text[m.end:m.end + 2].strip() in ("-", "\u2014", "\u2013")):
            out.append(m)
    return out


def host_people(
    text: str, tokens: TextTokens, mentions: Sequence[Mention], country_of: Callable[[Mention], str]
) -> tuple[str, list[tuple[int, int]]]:
    """The dateline's country and the names written right after a capitalised title with no country word before it
    ("President Irfaan Ali", "Prime Minister Jane Doe") in an English story with a dateline: ("", []) otherwise."""
    dated = dateline_mentions(text, mentions)
    cc = country_of(dated[0]) if dated else ""
    if not cc or tokens and tokens[0].arabic:
        return "", []
    titles = cue_set("actors", "title_words")
    country_words = {m.end for m in mentions if country_of(m)}
    names: list[tuple[int, int]] = []
    for a, b in titles.find(tokens, 0, len(tokens)):
        if not tokens[a].text[:1].isupper() or tokens[a].arabic:
            continue
        before = text[max(0, tokens[a].start - 4):tokens[a].start]
        if a > 0 and (tokens[a - 1].end in country_words or before.rstrip().endswith(("'s", "’s"))):
            continue  # "Brazilian President …", "Venezuela's President …": a country said whose
        if a > 0 and tokens[a - 1].text[:1].isupper() and text[tokens[a - 1].end:tokens[a].start] == " ":
            continue  # "European Commission President …", "U.S. Secretary …": some body's title
        name = []
        j = b + 1
        while j < len(tokens) and len(name) < NAME_WORDS and tokens[j].text[:1].isupper() \
                and text[tokens[j - 1].end:tokens[j].start] == " ":
            name.append(tokens[j])
            j += 1
        if len(name) >= 2:
            names.append((name[0].start, name[-1].end))
    return cc, names

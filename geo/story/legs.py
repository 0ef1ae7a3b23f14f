"""Journeys over several sentences: the legs the route reader (:mod:`geo.story.journeys`) found, chained and tidied.

- a leg told with one end continues from where the traveller was ("From there …", "ثم …"), at most
  :data:`CHAIN_PASSAGES` passages on; a start the map cannot place ends the chain (:func:`unplaced_origin`);
- a country next to a town of its own is no separate stop (:func:`inner_countries_dropped`); a country-level
  stop takes the town of that country the text names next (:func:`named_next`), else it is drawn at the
  capital (:func:`drawn`);
- "instead of landing in X" cancels X (:func:`cancelled`); the same trip told twice is one (:func:`merge`);
- a land arrival at a town "on the border with" a country came from that country (:func:`across_border`).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from geo.core.model import Mention, Place
from geo.story.dateline import dateline_mentions
from geo.story.lexicon import (
    WITH_WORDS,
    CueSet,
    Token,
    before_fillers,
    cue_set,
    mentions_in,
    token_at,
)

CapitalPointFn = Callable[[str], "tuple[float, float] | None"]

# A journey told with one end continues from the last place reached at most this many passages back.
CHAIN_PASSAGES = 2
# A diversion told later ("The plane was diverted to X") refers back to the trip told at most this many passages
# before: wire stories tell the trip in the lead and the diversion after the reactions.
DIVERSION_PASSAGES = 4

# --- routes -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stop:
    place: str
    role: str  # origin / destination / via
    token: int  # first token of the mention, for text order
    stay: bool = False  # a via stop where the traveller lands and leaves again ("stopping in X"): it ends a leg


@dataclass
class Leg:
    """A journey read so far: its stops, mode, date, passages and evidence sentences."""

    stops: list[str]
    mode: str
    when: str
    passages: list[int]
    evidence: list[tuple[int, int]]
    confidence: float
    status: str = "held"
    refined: list[str] = field(default_factory=list)  # towns that stand for a country the text gave
    home: str = ""  # the stop that is the traveller's home country: left from (or back to) home, not a town told later
    # Ended at the scene of its wreck because no destination was told yet: a voyage from the same start told with
    # its destination elsewhere in the story replaces it (a vessel that sank keeps its stated destination).
    to_scene: bool = False


def cancelled(tokens: Sequence[Token], lo: int, m_lo: int) -> bool:
    """A cancelling word ("instead of", "بدلا من") up to four words before the stop."""
    cancel = cue_set("routes", "cancelled")
    return any(cancel.match_ending_at(tokens, k, lo) for k in range(max(lo, m_lo - 5), m_lo))


def diverted_last(legs: list[Leg], place: str, passage: int, evidence: tuple[int, int]) -> bool:
    """Move the end of the last leg to where it was diverted ("The plane was diverted to X", told after the
    trip): True when a leg told at most :data:`DIVERSION_PASSAGES` passages before could take it."""
    if not legs or place in legs[-1].stops or passage - max(legs[-1].passages) > DIVERSION_PASSAGES:
        return False
    leg = legs[-1]
    leg.stops[-1] = place
    leg.evidence.append(evidence)
    if passage not in leg.passages:
        leg.passages.append(passage)
    return True


def unplaced_origin(tokens: Sequence[Token], lo: int, hi: int, found: Sequence[Stop]) -> bool:
    """"flew from nearby X-Y Airport", "from the military base X": the text names an origin the
    gazetteer lacks (the first capitalised name after an English "from"), so the leg must not start where the
    traveller was before."""
    if any(st.role == "origin" for st in found):
        return False
    at_stop = {st.token for st in found}
    dates = (cue_set("when", "weekdays"), cue_set("when", "months"))
    for i in range(lo, hi - 1):
        if "from" in tokens[i].forms and not tokens[i].arabic:
            # The first capitalised word after "from", past a few lower-case words of the same phrase ("from the
            # military base X"; not past another preposition: "from the city on Monday").
            k = i + 1
            while k < min(hi, i + 6) and tokens[k].text[:1].islower() and not tokens[k].forms & _PHRASE_ENDS:
                k += 1
            if (k < hi and tokens[k].text[:1].isupper() and k not in at_stop
                    and not any(d.match_at(tokens, k, hi) for d in dates)):
                return True
    return False


# Words that end an English noun phrase after "from": what follows them is no longer the origin's name.
_PHRASE_ENDS = frozenset({"on", "in", "at", "to", "for", "with", "by", "and", "or", "after", "before", "since", "until"})


def across_border(
    tokens: Sequence[Token], lo: int, hi: int, mentions: Sequence[Mention], end: Stop, by_id: dict[str, Place]
) -> str | None:
    """The country a land arrival came from when the text puts its end "on the border with" that country:
    "arrived by train in X, on the border with Y", "وصل بالقطار إلى X الحدودية مع Y". None otherwise."""
    cue = cue_set("routes", "border_with")
    town = by_id[end.place]
    if town.kind == "country":
        return None
    starts = [m.start for m in mentions]
    for k in cue.starts_in(tokens, lo, hi):
        if k < end.token:
            continue
        after = k + len(cue.match_at(tokens, k, hi) or ())
        if after >= hi:
            break
        # The country right after the cue ("the border with Y", one word may stand between).
        first, last = tokens[after].start, tokens[min(hi - 1, after + 1)].end
        for m in mentions_in(mentions, starts, first, last + 1):
            place = by_id.get(m.place)
            if place is not None and place.kind == "country" and place.country != town.country:
                return m.place
        return None  # only the first cue after the town speaks of it
    return None


def inner_countries_dropped(stops: list[Stop] | None, by_id: dict[str, Place]) -> list[Stop] | None:
    """Stops without a country next to a place inside it ("a visit to Moscow … visited Russia" is no trip
    from Moscow to Russia); None when fewer than two stops remain."""
    if stops is None:
        return None
    def inside(a: str, b: str) -> bool:
        return by_id[a].kind == "country" and by_id[b].kind != "country" and by_id[a].country == by_id[b].country
    kept = [st for k, st in enumerate(stops)
            if not any(inside(st.place, o.place) for o in stops[max(0, k - 1):k + 2] if o is not st)]
    return kept if len({st.place for st in kept}) >= 2 else None


def told_before(tokens: Sequence[Token], lo: int, hi: int) -> bool:
    """The clause is in the past perfect ("had crossed", "وكان كثيرون منهم قد عبروا"; not "had to")."""
    for k in cue_set("routes", "flashback").starts_in(tokens, lo, hi):
        if tokens[k].arabic:
            if any(tokens[j].text.lstrip("وف") in _WAS for j in range(max(lo, k - 3), k)):
                return True
        elif _participle_after(tokens, k + 1, hi):
            return True
    return False


_ADVERBS = frozenset({"already", "just", "not", "never", "since", "earlier", "previously", "first", "all"})
_IRREGULAR_PARTICIPLES = frozenset("left gone come fled met sent brought run made set become begun spent lost held "
                                   "led fought sought found bought sold taken driven flown ridden".split())


def _participle_after(tokens: Sequence[Token], k: int, hi: int) -> bool:
    """A past participle follows "had" ("had crossed", "had already left"), not a noun ("had lunch") or "to"."""
    while k < hi and tokens[k].forms & _ADVERBS:
        k += 1
    if k >= hi:
        return False
    word = tokens[k].text.lower()
    return word.endswith(("ed", "en", "wn")) or word in _IRREGULAR_PARTICIPLES or word == "been"


_WAS = frozenset({"كان", "كانت", "كانوا", "كن"})


def sentence_opens(cues: CueSet, tokens: Sequence[Token], s_lo: int, lo: int) -> bool:
    """A sequencing word opening the clause's sentence ("After a one-hour drive, he arrived in …")."""
    return lo > s_lo and cues.match_at(tokens, s_lo, lo) is not None


def opening_venue(
    tokens: Sequence[Token], s_lo: int, end: int, mentions: Sequence[Mention], m_starts: Sequence[int], by_id: dict[str, Place]
) -> str | None:
    """The town a sentence's opening clause puts the traveller in before token ``end``: "After meeting Xi in Beijing,
    Putin flew to …", "بعد لقائه نظيره في بكين، توجه إلى …"; None when the sentence opens otherwise."""
    opener = cue_set("routes", "opening_after").match_at(tokens, s_lo, end) if end > s_lo else None
    # A meeting or a visit opens it ("After meeting …", "بعد لقائه …"), not any event ("Following the attack in X").
    if opener is None or not cue_set("routes", "opening_meeting").starts_in(tokens, s_lo + len(opener), min(end, s_lo + len(opener) + 2)):
        return None
    venue = cue_set("routes", "opening_in")
    bound = tokens[end].start if end < len(tokens) else tokens[-1].end  # ``end`` may be one past the last token
    for m in reversed(mentions_in(mentions, m_starts, tokens[s_lo].start, bound)):
        place = by_id.get(m.place)
        if place is None or m.adjectival or place.kind not in ("city", "site"):
            continue
        k = token_at(tokens, m.start, s_lo, end)
        if k > s_lo and venue.match_ending_at(tokens, k - 1, s_lo) is not None:
            return m.place
    return None


def opening_town(
    text: str, tokens: Sequence[Token], s_lo: int, s_hi: int, mentions: Sequence[Mention], m_starts: Sequence[int],
    by_id: dict[str, Place],
) -> str | None:
    """The town a sentence opens in, before a comma: "In Manila, he will sign …", "وفي مانيلا، سيوقع …"."""
    if s_hi - s_lo < 3 or cue_set("routes", "opening_in").match_at(tokens, s_lo, s_lo + 1) is None:
        return None
    m = next(iter(mentions_in(mentions, m_starts, tokens[s_lo + 1].start, tokens[s_hi - 1].end)), None)
    place = by_id.get(m.place) if m is not None else None
    if m is None or m.start != tokens[s_lo + 1].start or place is None or m.adjectival or place.kind not in ("city", "site"):
        return None
    return m.place if text[m.end:m.end + 2].lstrip()[:1] in (",", "،") else None


def home_of(
    tokens: Sequence[Token], s_lo: int, end: int, mentions: Sequence[Mention], m_starts: Sequence[int], by_id: dict[str, Place]
) -> str | None:
    """The home of a traveller named before token ``end`` by office ("Spanish Foreign Minister …", "Spain's foreign
    minister …", "وزير الخارجية الإسباني …": the demonym or possessive beside a title word) or as a town's team or
    delegation ("the London club", the town right before the word). The caller keeps it only for a trip abroad."""
    if end <= s_lo:
        return None
    titles = cue_set("actors", "title_words").find(tokens, s_lo, end)
    bodies = cue_set("routes", "home_bodies").find(tokens, s_lo, end)
    if not titles and not bodies:
        return None
    for m in mentions_in(mentions, m_starts, tokens[s_lo].start, tokens[end].start):
        place = by_id.get(m.place)
        if place is None:
            continue
        k = token_at(tokens, m.start, s_lo, end)
        if place.kind == "country" and (m.adjectival or tokens[k].text.replace("’", "'").endswith("'s")):
            title = next(((a, b) for a, b in titles if a - 1 <= k <= b + 2), None)  # "وزير الخارجية الإسباني"
        elif place.kind == "city" and not m.adjectival:
            title = next(((a, b) for a, b in bodies if a == k + 1), None)
        else:
            continue
        if title is None or end - min(k, title[0]) > HOME_REACH:
            continue
        first = min(k, title[0])
        if first > s_lo and tokens[first - 1].forms & _ARTICLES:
            first -= 1
        if first > s_lo and tokens[first - 1].forms & WITH_WORDS:
            continue  # "a meeting with the Turkish President …": the counterpart, not the traveller
        return m.place
    return None


def dateline_place(text: str, mentions: Sequence[Mention], by_id: dict[str, Place]) -> str | None:
    """The town of the story's dateline ("SAMARKAND, Uzbekistan, April 3 (AFP) - …"), or None."""
    for m in dateline_mentions(text, mentions):
        place = by_id.get(m.place)
        if place is not None and place.kind in ("city", "site"):
            return m.place
    return None


def arrived_at_dateline(tokens: Sequence[Token], lo: int, m_lo: int) -> bool:
    """An arrival marker right before the mention at ``m_lo`` ("flew in from X", "arrived from X"), fillers looked past."""
    j = before_fillers(tokens, lo, m_lo)
    return j >= lo and cue_set("routes", "arrived_at_dateline").match_ending_at(tokens, j, lo) is not None


def names_traveller(text: str, tokens: Sequence[Token], lo: int, end: int) -> bool:
    """Someone travels in ``tokens[lo:end]``: a title ("the Kyrgyz president"), a pronoun ("he", "they") or a person's
    name (a capitalised word inside the clause). "Gas supplies arriving from Norway" names none: goods are no traveller."""
    if cue_set("actors", "title_words").starts_in(tokens, lo, end) or cue_set("routes", "same_traveller").starts_in(tokens, lo, end):
        return True
    dates = {k for name in ("months", "weekdays") for k in cue_set("when", name).starts_in(tokens, lo, end)}
    # A capitalised word inside the clause, not opening it or a part of it ("BERLIN (Reuters) - Gas …"), nor a date.
    return any(tokens[k].text[:1].isupper() and not tokens[k].arabic and k not in dates
               and not set(text[tokens[k - 1].end:tokens[k].start]) & set("(-—–:“\"")
               for k in range(lo + 1, end))


HOME_REACH = 14  # words from the traveller's title to the trip's end
_ARTICLES = frozenset({"the", "a", "an"})


def named_next(legs: list[Leg], mentions: Sequence[Mention], m_starts: Sequence[int], by_id: dict[str, Place]) -> None:
    """A country-level stop takes the town of that country the text names next (within the journey's
    passages): "set sail for Gaza … leaving Larnaca port in Cyprus" ends Cyprus at Larnaca."""
    for leg in legs:
        after = max(e for _, e in leg.evidence)
        last_passage = max(leg.passages) + CHAIN_PASSAGES
        for k, pid in enumerate(leg.stops):
            place = by_id[pid]
            if place.kind != "country" or pid == leg.home:
                continue
            for m in mentions[bisect.bisect_left(m_starts, after):]:
                if m.passage > last_passage:
                    break
                town = by_id.get(m.place)
                if town is not None and not m.adjectival and town.kind in ("city", "site") and town.country == place.country:
                    if town.id not in leg.stops:
                        leg.stops[k] = town.id
                        leg.refined.append(town.id)
                    break


def merge(legs: list[Leg]) -> list[Leg]:
    """The same (mode, stops) told twice is one route; a leg told without a mode joins the one with a mode."""
    out: dict[tuple[str, tuple[str, ...]], Leg] = {}
    for leg in legs:
        key = (leg.mode, tuple(leg.stops))
        if key in out:
            kept = out[key]
            kept.passages += leg.passages
            kept.evidence += leg.evidence
            kept.when = kept.when or leg.when
            kept.confidence = max(kept.confidence, leg.confidence)
            kept.status = "held" if "held" in (kept.status, leg.status) else kept.status
        else:
            out[key] = leg
    for key in list(out):
        mode, stops = key
        if mode != "unknown":
            continue
        known = [k for k in out if k[1] == stops and k[0] != "unknown"]
        if len(known) == 1:
            target, leg = out[known[0]], out.pop(key)
            target.passages += leg.passages
            target.evidence += leg.evidence
            target.when = target.when or leg.when
    return list(out.values())


def fold_home_legs(legs: list[Leg], by_id: dict[str, Place]) -> list[Leg]:
    """A trip from a traveller's home country joins the same trip told from a town of that country: a headline's
    "Japanese PM heads to Manila" and the story's "will leave Tokyo … for Manila" are one route, Tokyo's, with its
    status and mode."""
    out = list(legs)
    for leg in legs:
        if not leg.home or len(leg.stops) != 2 or leg.stops[0] != leg.home:
            continue
        home, end = by_id[leg.home], leg.stops[-1]
        same = [o for o in out if o is not leg and o.stops[-1] == end and o.stops[0] != leg.home
                and by_id[o.stops[0]].country == home.country and by_id[o.stops[0]].kind != "country"]
        if len(same) == 1:
            target = same[0]
            target.passages += leg.passages
            target.evidence += leg.evidence
            target.when = target.when or leg.when
            out.remove(leg)
    return out


def drawn(place: Place, capital: CapitalPointFn | None) -> Place:
    """Where a stop is drawn: a country-level stop at its capital (when known), anything else where it is."""
    if place.kind != "country" or capital is None or not place.country:
        return place
    point = capital(place.country)
    if point is None:
        return place
    return replace(place, lat=point[0], lon=point[1])

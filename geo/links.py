"""Typed relations between the actors of an article: arms, drills, alliances, visits, tensions, territory.

An actor is a country together with its capital and the metonyms near it (Russia ≡ Moscow ≡ the
Kremlin), or any other place standing for itself. Links are read clause by clause, to keep precision:

1. A sentence is cut into clauses at ``;`` / ``؛`` and at clause words ("حيث", "while", "according to").
2. Each cue word (``data/cues.json`` → links/kinds) collects actors: those in "between X and Y" right
   after it (and only it), those in "with X and Y" right after it, and every other actor mention whose
   nearest cue it is, within :data:`MAX_CUE_DISTANCE` words. "relations between X and Y" binds X and Y
   to no cue at all, so they do not drift to a nearby "tensions".
3. A cue with at least two distinct actors makes a link; several actors in one clause stay one link.
4. Direction comes from rules such as "تزويد X بـ" / "supplied X with" / "visit to X" (X is the
   target, the other actor the source); status from "proposed"/"held" cues near the kind cue.
5. The same (kind, actor set) across passages is one link whose weight is the number of passages.

Mentions that name a source rather than an actor ("الصحيفة الأمريكية", "Russian news agency") are
left out.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from geo.errors import DataError
from geo.geometry import haversine_km
from geo.model import LINK_KINDS, Link, Mention, Passage, Place
from geo.cues import (
    CueSet,
    Token,
    clauses,
    cue_set,
    load_cues,
    mentions_in,
    proclitic,
    sentence_spans,
    text_tokens,
    token_range,
)
from geo.routes import listed_after
from geo.text import normalise_ar

# A city or site this close to its country's capital is the capital (or a metonym such as the Kremlin).
CAPITAL_RADIUS_KM = 30.0
# An actor further than this many words from every cue in its clause joins no link.
MAX_CUE_DISTANCE = 12
# Words added to the distance of an actor that stands after its cue beyond a comma: what follows a
# comma is usually a new phrase ("…، وبحثا مشاريع تمر عبر سوريا").
COMMA_PENALTY = 6
# Same-kind cues at most this many words apart are one list ("shells, missiles and drones").
CUE_LIST_GAP = 2
# How far after a cue a "between"/"with" word may stand ("مناورات عسكرية مشتركة، بمشاركة").
BINDER_REACH = 4
# How far from a kind cue a status cue counts: before (a plan precedes the drills) and after.
STATUS_BEFORE, STATUS_AFTER = 6, 3
# How far from a kind cue a direction cue counts, and how far after it the target may stand.
DIRECTION_REACH = 8
NEXT_REACH, MARKER_REACH = 3, 6
# Words around a mention that make it a news source: before any mention, and around a demonym.
MEDIA_BEFORE, MEDIA_BEFORE_ADJ, MEDIA_AFTER_ADJ = 1, 3, 2
# How many words before a relation cue a negation reaches ("did not supply", "لم تجر").
NEGATION_REACH = 4
# How many words before a possessive ("… prime minister's visit") its owner may stand.
POSSESSOR_REACH = 3

CapitalFn = Callable[[str], "Place | None"]


@dataclass(frozen=True)
class _Actor:
    key: str  # "cc:RU" for a country, "place:<id>" for a place standing for itself
    display: str  # the Place id a link is drawn at
    country: str = ""  # the place's country code, for a place standing for itself


@dataclass(frozen=True)
class _Occurrence:
    actor: _Actor
    lo: int  # first token
    hi: int  # last token (inclusive)
    mention: Mention


@dataclass
class _Evidence:
    actors: dict[str, _Actor] = field(default_factory=dict)
    passages: set[int] = field(default_factory=set)
    directions: dict[int, set[tuple[str, str] | None]] = field(default_factory=dict)  # passage → directions read
    statuses: dict[int, set[str]] = field(default_factory=dict)  # passage → statuses read ("" for none)
    spans: set[tuple[int, int]] = field(default_factory=set)  # the sentences read, as character spans


def find_links(
    text: str,
    passages: Sequence[Passage],
    places: Iterable[Place],
    mentions: Sequence[Mention],
    *,
    capital: CapitalFn,
) -> tuple[Link, ...]:
    """Every typed relation the text states between two or more actors, merged across passages.

    ``capital(country_code)`` returns that country's capital as a Place (or None); links are drawn at
    capitals, so a returned capital that is not among ``places`` must be added to the map by the caller.
    """
    places = list(places)
    actors = _ActorResolver(places, capital)
    tokens = text_tokens(text)
    starts = tokens.starts
    mentions = sorted(mentions, key=lambda m: m.start)
    m_starts = [m.start for m in mentions]
    evidence: dict[tuple[str, frozenset[str]], _Evidence] = {}
    order: list[tuple[str, frozenset[str]]] = []
    for passage in passages:
        for s, e in sentence_spans(text, passage.start, passage.end):
            lo, hi = token_range(tokens, s, e, starts)
            # A link needs two distinct actors in one clause: a sentence without two needs no cue matching.
            if hi <= lo:
                continue
            in_sentence = mentions_in(mentions, m_starts, tokens[lo].start, tokens[hi - 1].end)
            if len({a.key for m in in_sentence if (a := actors.of(m.place)) is not None}) < 2:
                continue
            for c_lo, c_hi in clauses(text, tokens, lo, hi, boundaries=cue_set("links", "boundaries")):
                c_start, c_end = tokens[c_lo].start, tokens[c_hi - 1].end
                occs = []
                for m in mentions_in(mentions, m_starts, c_start, c_end):
                    actor = actors.of(m.place)
                    if actor is None:
                        continue
                    m_lo, m_hi = token_range(tokens, m.start, m.end, starts)
                    if m_hi <= m_lo or _is_source(tokens, c_lo, c_hi, m_lo, m_hi - 1, m.adjectival):
                        continue
                    if actors.is_town(m.place) and not m.adjectival and _travel_stop(tokens, c_lo, m_lo):
                        continue  # "just before he left Quebec": a stop of a trip, not a party
                    occs.append(_Occurrence(actor, m_lo, m_hi - 1, m))
                occs.sort(key=lambda o: o.lo)
                if len({o.actor.key for o in occs}) < 2:
                    continue
                for kind, keys_actors, direction, status in _clause_links(text, tokens, c_lo, c_hi, occs):
                    key = (kind, frozenset(keys_actors))
                    if key not in evidence:
                        evidence[key] = _Evidence()
                        order.append(key)
                    ev = evidence[key]
                    ev.actors.update(keys_actors)
                    ev.passages.add(passage.id)
                    ev.spans.add((s, e))
                    ev.directions.setdefault(passage.id, set()).add(direction)
                    ev.statuses.setdefault(passage.id, set()).add(status)
    return tuple(link for key in order if (link := _link(key[0], evidence[key])) is not None)


def _link(kind: str, ev: _Evidence) -> Link | None:
    displays = {a.display for a in ev.actors.values()}
    if len(displays) < 2 or len(displays) != len(ev.actors):
        return None  # two actors drawn at one place: nothing to draw
    # Held once is a fact; proposed only when no passage tells of the relation as plain fact.
    said = [st for per in ev.statuses.values() for st in per]
    status = "held" if "held" in said else "proposed" if said and set(said) == {"proposed"} else ""
    passages = tuple(sorted(ev.passages))
    evidence = tuple(sorted(ev.spans))
    # One sentence is a reading; each further sentence saying the same makes it surer.
    confidence = min(0.95, 0.6 + 0.1 * len(evidence))
    # Directed only when every passage reads the same single direction: "relations between X and Y"
    # in one passage and "X supplies Y" in another is a relation both ways.
    readings = set().union(*ev.directions.values())
    if len(readings) == 1 and None not in readings and len(ev.actors) == 2:
        src, tgt = next(iter(readings))
        a, b = ev.actors[src].display, ev.actors[tgt].display
        return Link(link_id(kind, (a, b), True), kind, (a, b), True, len(passages), passages, status, evidence, confidence)
    ids = tuple(sorted(displays))
    return Link(link_id(kind, ids, False), kind, ids, False, len(passages), passages, status, evidence, confidence)


def link_id(kind: str, places: Sequence[str], directed: bool) -> str:
    """``military-russia-to-north-korea`` (directed) or ``exercise-china-north-korea-russia`` (sorted)."""
    if directed:
        return f"{kind}-{places[0]}-to-{places[1]}"
    return f"{kind}-" + "-".join(sorted(places))


# --- actors -----------------------------------------------------------------------------------------


class _ActorResolver:
    """Maps a place id to its actor: countries and their capitals (and metonyms) unify by country code."""

    def __init__(self, places: Sequence[Place], capital: CapitalFn) -> None:
        self._by_id = {p.id: p for p in places}
        self._capital = capital
        self._capitals: dict[str, Place | None] = {}
        self._memo: dict[str, _Actor | None] = {}
        self._displays: dict[str, str] = {}  # country code → its capital's id (when it has a capital)

    def capital_of(self, cc: str) -> Place | None:
        if cc not in self._capitals:
            self._capitals[cc] = self._capital(cc) if cc else None
        return self._capitals[cc]

    def is_town(self, place_id: str) -> bool:
        """A town, site or region that is not its country's capital."""
        place = self._by_id.get(place_id)
        if place is None or place.kind == "country":
            return False
        cap = self.capital_of(place.country)
        return cap is None or not _is_capital(place, cap)

    def of(self, place_id: str) -> _Actor | None:
        if place_id not in self._memo:
            self._memo[place_id] = self._resolve(place_id)
        return self._memo[place_id]

    def _resolve(self, place_id: str) -> _Actor | None:
        place = self._by_id.get(place_id)
        if place is None or place.kind == "water":
            return None
        cc = place.country
        if place.kind == "country":
            return _Actor(f"cc:{cc}", self._display(cc, place)) if cc else _Actor(f"place:{place.id}", place.id)
        if cc:
            # Actors are countries: a capital or metonym stands for its state, and so does any other town
            # or region of it ("support for the people of Gaza", "annexing the West Bank"); a town that is
            # only the venue is left out by the clause reader (see _is_venue).
            return _Actor(f"cc:{cc}", self._display(cc, place), cc)
        return None  # a region across borders ("the Middle East") is no state: no actor

    def _display(self, cc: str, fallback: Place) -> str:
        """The capital's id among the story's places, else the capital's own id, else ``fallback``'s."""
        cap = self.capital_of(cc)
        if cap is None:
            return fallback.id
        if cc not in self._displays:  # the scan over every place is the same for each place of the country
            self._displays[cc] = next(
                (p.id for p in self._by_id.values() if p.country == cc and p.kind == "city" and _is_capital(p, cap)),
                cap.id,
            )
        return self._displays[cc]


def _is_capital(place: Place, cap: Place) -> bool:
    """Same place as the capital (by id, or within 30 km with the same name), or a site beside it (the Kremlin)."""
    if place.id == cap.id:
        return True
    if haversine_km(place.location, cap.location) > CAPITAL_RADIUS_KM:
        return False
    if place.kind == "site":
        return True
    same_en = place.name.split(",")[0].split()[:1] == cap.name.split(",")[0].split()[:1] and bool(place.name)
    same_ar = bool(place.name_ar) and normalise_ar(place.name_ar) == normalise_ar(cap.name_ar)
    return same_en or same_ar


def _travel_stop(tokens: Sequence[Token], lo: int, m_lo: int) -> bool:
    """A route origin or via marker ("from", "left", "via", "عبر") right before the mention (fillers allowed)."""
    j = m_lo - 1
    fillers = cue_set("routes", "fillers")
    while j >= lo and fillers.match_at(tokens, j, j + 1):
        j -= 1
    # Origins and passing points only: "visited Jeddah" is a visit to Saudi Arabia.
    return j >= lo and any(cue_set("routes", role).match_ending_at(tokens, j, lo) for role in ("origin", "via"))


def _is_source(tokens: Sequence[Token], lo: int, hi: int, m_lo: int, m_hi: int, adjectival: bool) -> bool:
    """A news source rather than an actor: "صحيفة نيويورك", "الصحيفة الأمريكية", "Russian news agency"."""
    media = cue_set("links", "media")
    before = MEDIA_BEFORE_ADJ if adjectival else MEDIA_BEFORE
    if any(media.match_ending_at(tokens, k, lo) for k in range(max(lo, m_lo - before), m_lo)):
        return True
    if adjectival:
        return any(media.match_at(tokens, k, hi) for k in range(m_hi + 1, min(hi, m_hi + 1 + MEDIA_AFTER_ADJ)))
    return False


# --- clauses and cues -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cue:
    kind: str
    lo: int
    hi: int  # inclusive


def _kind_cues(tokens: Sequence[Token], lo: int, hi: int) -> list[_Cue]:
    """Kind cues in a clause, a list of same-kind cues ("قذائف مدفعية وصواريخ") joined into one.

    Weapon words count as military only beside a transfer word; words inside a name such as
    "الدعم السريع" count as nothing; a match inside a longer one of another kind ("دعم" in "دعم
    عسكري") is dropped.
    """
    blocked = {k for a, b in cue_set("links", "not_cues").find(tokens, lo, hi) for k in range(a, b + 1)}
    cues = [_Cue(kind, a, b) for kind in LINK_KINDS for a, b in cue_set("links", "kinds", kind).find(tokens, lo, hi)]
    transfers = cue_set("links", "arms", "transfer").find(tokens, lo, hi)
    for a, b in cue_set("links", "arms", "weapons").find(tokens, lo, hi):
        near = [(ta, tb) for ta, tb in transfers if _dist(a, b, ta, tb) <= DIRECTION_REACH]
        if near:
            # The transfer word before the weapons starts the cue: "did not supply X with weapons" is negated.
            start = min([a] + [ta for ta, _ in near if ta < a])
            cues.append(_Cue("military", start, b))
    cues = [c for c in cues if not any(k in blocked for k in range(c.lo, c.hi + 1))]
    cues = [
        c
        for c in cues
        if not any(o is not c and o.lo <= c.lo and c.hi <= o.hi and (o.hi - o.lo) > (c.hi - c.lo) for o in cues)
    ]
    cues.sort(key=lambda c: (c.lo, c.hi))
    joined: list[_Cue] = []
    for c in cues:
        prev = next((j for j in reversed(joined) if j.kind == c.kind), None)
        if prev is not None and c.lo - prev.hi <= CUE_LIST_GAP:
            joined[joined.index(prev)] = _Cue(c.kind, prev.lo, max(prev.hi, c.hi))
        elif not any(j.kind == c.kind and j.lo <= c.lo and c.hi <= j.hi for j in joined):
            joined.append(c)
    return joined


def _dist(a_lo: int, a_hi: int, b_lo: int, b_hi: int) -> int:
    return max(b_lo - a_hi, a_lo - b_hi, 0)


def _between_pair(tokens: Sequence[Token], occs: Sequence[_Occurrence], after: int) -> list[_Occurrence]:
    """The actors of "between A and B": A within 3 words, then each actor after an "and" within 6 words
    ("between the US President and the North Korean leader")."""
    out: list[_Occurrence] = []
    for o in occs:
        if o.lo <= after:
            continue
        if not out:
            if o.lo > after + 3:
                break
            out.append(o)
            continue
        if o.lo > out[-1].hi + 6:
            break
        if o.lo == out[-1].lo:
            out.append(o)  # a pair word ("بين الجانبين") stands for both sides at once
            continue
        if listed_after(tokens, out[-1].hi, o.lo) or any(tokens[k].forms & _AND_WORDS for k in range(out[-1].hi + 1, o.lo)):
            out.append(o)
    return out


_AND_WORDS = frozenset({"and", "و"})


def _following(occs: Sequence[_Occurrence], after: int, reach: int) -> list[_Occurrence]:
    """The actors listed right after token ``after``: the first within ``reach`` words, then each next one
    at most one word ("and") after the previous."""
    out: list[_Occurrence] = []
    for o in occs:
        if o.lo <= after:
            continue
        limit = after + reach if not out else out[-1].hi + 2
        if o.lo > limit:
            break
        out.append(o)
    return out


def _clause_links(
    text: str, tokens: Sequence[Token], lo: int, hi: int, occs: Sequence[_Occurrence]
) -> list[tuple[str, dict[str, _Actor], tuple[str, str] | None, str]]:
    """(kind, actors by key, direction, status) for each cue of the clause that gathers two or more actors."""
    cues = _kind_cues(tokens, lo, hi)
    if not cues:
        return []
    between = cue_set("links", "between")
    with_ = cue_set("links", "with")
    assigned: list[list[_Occurrence]] = [[] for _ in cues]
    exclusive: set[int] = set()  # ids of occurrences bound by "between"
    bound: list[set[int]] = [set() for _ in cues]  # ids bound to each cue by "between"/"with"
    between_bound: list[set[int]] = [set() for _ in cues]  # … by "between" only: then they are the parties

    for i in between.starts_in(tokens, lo, hi):
        p = between.match_at(tokens, i, hi)
        listed = _between_pair(tokens, occs, i + len(p) - 1)
        owner = next((k for k, c in enumerate(cues) if 0 < i - c.hi <= 2), None)
        for o in listed:
            exclusive.add(id(o))
            if owner is not None:
                assigned[owner].append(o)
                bound[owner].add(id(o))
                between_bound[owner].add(id(o))

    for k, c in enumerate(cues):
        for i in range(c.hi + 1, min(hi, c.hi + 1 + BINDER_REACH)):
            p = with_.match_at(tokens, i, hi)
            if p is not None:
                listed = [o for o in _following(occs, i + len(p) - 1, 3) if id(o) not in exclusive]
                assigned[k].extend(listed)
                bound[k].update(id(o) for o in listed)
                break

    for o in occs:
        if id(o) in exclusive:
            continue
        dists = [_dist(o.lo, o.hi, c.lo, c.hi) + _comma_penalty(text, tokens, c, o) for c in cues]
        best = min(dists)
        if best > MAX_CUE_DISTANCE:
            continue
        for k, d in enumerate(dists):
            if d == best and o not in assigned[k]:
                assigned[k].append(o)

    # "the Indian prime minister's visit": the possessor of a cue noun is its agent, whichever cue is nearer.
    for k, c in enumerate(cues):
        if c.lo - 1 >= lo and tokens[c.lo - 1].text.replace("’", "'").endswith("'s"):
            owner = next((o for o in reversed(occs) if c.lo - 1 - POSSESSOR_REACH <= o.hi <= c.lo - 1), None)
            if owner is not None and owner not in assigned[k] and id(owner) not in exclusive:
                assigned[k].append(owner)

    out = []
    joint = cue_set("links", "joint")
    for c, group, tied, pair in zip(cues, assigned, bound, between_bound):
        if len({o.actor.key for o in group if id(o) in pair}) >= 2:
            group = [o for o in group if id(o) in pair]  # "the meeting in X between A and B": A and B
        # A place inside a country that is itself in the link is the venue or a part, not a counterpart
        # ("Brazil opened the summit in Belém").
        countries = {o.actor.key[3:] for o in group if o.actor.key.startswith("cc:")}
        group = sorted(
            (o for o in group if not (o.actor.key.startswith("place:") and o.actor.country in countries)),
            key=lambda o: o.lo,
        )
        # A speaker ("the ministry said Ukraine agreed …") reports a relation and is no party to it, unless a tension.
        if c.kind != "tension":
            said = [k for k in cue_set("links", "reporting").starts_in(tokens, lo, c.lo)]
            if said:
                # Only when what is said has its own subject ("… said Ukraine agreed", "قالت الخارجية إن أوكرانيا"):
                # "announced that he discussed drills" keeps the speaker as a party.
                k = said[-1]
                speakers = [o for o in group if o.hi < k or (tokens[o.lo].arabic and k < o.lo <= k + 3 and o.mention.adjectival)]
                after = [o for o in group if o not in speakers and o.lo > k]
                content = cue_set("links", "that")
                subject = any(o.lo - k <= 3 and (o.lo - 1 == k or content.match_at(tokens, o.lo - 1, o.lo) is not None
                                                 or any(content.match_at(tokens, j, j + 1) for j in range(k + 1, o.lo))) for o in after)
                if subject and len({o.actor.key for o in group if o not in speakers}) >= 2:
                    group = [o for o in group if o not in speakers]
        # A venue ("a summit with the US president in Vietnam") is no party when two parties remain.
        venues = [o for o in group if _is_venue(text, tokens, lo, o, c)] if c.kind not in ("tension", "territory") else []
        # "في مدينة جدة السعودية": the nisba right after a venue names the venue's country.
        venues += [o for o in group if o.mention.adjectival and any(0 < o.lo - v.hi <= 1 for v in venues)]
        if venues and len({o.actor.key for o in group if o not in venues}) >= 2:
            group = [o for o in group if o not in venues]
        keyed: dict[str, _Actor] = {}
        for o in group:
            keyed.setdefault(o.actor.key, o.actor)
        if len(keyed) < 2:
            continue
        listed = _one_list(tokens, group)
        symmetric = cue_set("links", "symmetric").match_at(tokens, c.lo, c.hi + 1) is not None
        if c.kind in ("tension", "territory") and listed and not tied and not symmetric and all(o.hi < c.lo for o in group):
            continue  # "China and Russia condemned …": co-agents, the counterpart is elsewhere
        is_joint = bool(listed or tied or any(
            joint.match_at(tokens, k, hi) for k in range(max(lo, c.lo - 3), min(hi, c.hi + 4))
        ))
        if c.kind == "exercise" and not is_joint:
            continue  # "Chinese drills around Taiwan": drills by one side near another are no joint drills
        status = _status(tokens, lo, hi, c)
        if _negated(tokens, lo, c):
            if status != "proposed":
                continue  # "denied supplying", "لم يزر": no relation
        status = status or "held"  # news reports what happened unless it says it is planned
        for sides in _party_sets(tokens, c, group, tied, joint=c.kind == "exercise" and is_joint):
            sub = {k: keyed[k] for k in sides}
            direction = _direction(text, tokens, lo, hi, c, occs, sub) if len(sub) == 2 else None
            out.append((c.kind, sub, direction, status))
    return out


def _party_sets(tokens: Sequence[Token], cue: _Cue, group: Sequence[_Occurrence], tied: set[int], *, joint: bool) -> list[tuple[str, ...]]:
    """The actor sets a cue links: one set for a joint act of several (a three-way drill), else pairs.

    Actors before the cue and actors after it (or bound to it by "with"/"between") are two sides: every
    pair across ("Iran stepped up cooperation with Beijing and Moscow" → IR–CN, IR–RU). On one side only,
    an agent word (a person, a demonym) first and places after it pair the agent with each place
    ("زار الرئيس الروسي الإمارات والسعودية"); otherwise every pair.
    """
    keys = list(dict.fromkeys(o.actor.key for o in group))
    if len(keys) == 2:
        return [tuple(keys)]
    if joint:
        return [tuple(keys)]
    # An actor inside the cue word ("حربه" his war) owns it: it stands with those before the cue.
    left = list(dict.fromkeys(o.actor.key for o in group if (o.hi < cue.lo or cue.lo <= o.lo <= cue.hi) and id(o) not in tied))
    right = list(dict.fromkeys(o.actor.key for o in group if (o.lo > cue.hi or id(o) in tied) and o.actor.key not in left))
    pairs: list[tuple[str, ...]] = []
    lists = _lists(tokens, group)
    if left and right:
        pairs = [(a, b) for a in left for b in right if a != b]
    elif len(lists) > 1:
        # "adversaries of the US – notably Russia, Iran and North Korea": members of one list are on one
        # side; pairs go across lists, never within one.
        pairs = [(a, b) for i, la in enumerate(lists) for lb in lists[i + 1:] for a in la for b in lb if a != b]
    else:
        first = group[0]
        rest = [k for k in keys if k != first.actor.key]
        if first.mention.adjectival and not all(o.mention.adjectival for o in group[1:]):
            pairs = [(first.actor.key, k) for k in rest]
        else:
            pairs = [(a, b) for i, a in enumerate(keys) for b in keys[i + 1:]]
    return list(dict.fromkeys(tuple(sorted(p)) for p in pairs))


def _lists(tokens: Sequence[Token], group: Sequence[_Occurrence]) -> list[list[str]]:
    """The actors of a cue as runs of listed items ("Russia, Iran and North Korea" is one run), by key."""
    runs: list[list[_Occurrence]] = []
    for o in group:
        if runs and listed_after(tokens, runs[-1][-1].hi, o.lo):
            runs[-1].append(o)
        else:
            runs.append([o])
    return [list(dict.fromkeys(o.actor.key for o in run)) for run in runs]


def _is_venue(text: str, tokens: Sequence[Token], lo: int, o: _Occurrence, cue: _Cue) -> bool:
    """A place named after a locative preposition ("in Hanoi", "في جدة", "بالرياض") or against a meeting noun
    ("اجتماع جدة", "the Helsinki summit"): where, not who. A war "in Ukraine" is against Ukraine (the caller
    asks only for the kinds that have venues)."""
    if o.mention.adjectival:
        return False
    meetings = cue_set("links", "meetings")
    if tokens[o.lo].arabic and o.lo - 1 >= lo and meetings.match_ending_at(tokens, o.lo - 1, lo):
        return True
    if not tokens[o.lo].arabic and meetings.match_at(tokens, o.hi + 1) is not None:
        return True
    if proclitic(text, tokens[o.lo], o.mention.start).endswith("ب"):
        return True
    j = o.lo - 1
    fillers = cue_set("routes", "fillers")
    while j >= lo and fillers.match_at(tokens, j, j + 1):
        j -= 1
    return j >= lo and cue_set("links", "venue").match_ending_at(tokens, j, lo) is not None


def _negated(tokens: Sequence[Token], lo: int, cue: _Cue) -> bool:
    """A negation word up to :data:`NEGATION_REACH` words before the cue."""
    neg = cue_set("actors", "negation")
    return any(neg.match_ending_at(tokens, k, lo) for k in range(max(lo, cue.lo - NEGATION_REACH), cue.lo))


def _comma_penalty(text: str, tokens: Sequence[Token], cue: _Cue, o: _Occurrence) -> int:
    if o.lo <= cue.hi:
        return 0
    gap = text[tokens[cue.hi].end:tokens[o.lo].start]
    return COMMA_PENALTY if ("،" in gap or "," in gap) else 0


def _one_list(tokens: Sequence[Token], group: Sequence[_Occurrence]) -> bool:
    """True when the actors stand as one list: "واشنطن وسول", "Russia, China and Iran"."""
    return len(group) >= 2 and all(listed_after(tokens, a.hi, b.lo) for a, b in zip(group, group[1:]))


def _status(tokens: Sequence[Token], lo: int, hi: int, cue: _Cue) -> str:
    """"proposed"/"held" from the nearest status cue around ``cue``; a tie reads as proposed."""
    best: tuple[int, int, str] | None = None
    for rank, status in enumerate(("proposed", "held")):
        window = (max(lo, cue.lo - STATUS_BEFORE), min(hi, cue.hi + 1 + STATUS_AFTER))
        for a, b in cue_set("links", "status", status).find(tokens, *window):
            if a <= cue.hi and b >= cue.lo:
                continue  # part of the cue itself
            d = _dist(a, b, cue.lo, cue.hi)
            if best is None or (d, rank) < best[:2]:
                best = (d, rank, status)
    return "" if best is None else best[2]


@dataclass(frozen=True)
class _DirectionRule:
    cues: CueSet
    target: str  # "next" / "marker"
    markers: CueSet | None
    proclitic_li: bool  # the marker list holds the proclitic ل


@functools.cache
def _direction_rules(kind: str) -> list[_DirectionRule]:
    rules = load_cues()["links"]["direction"].get(kind, [])
    out = []
    for n, r in enumerate(rules):
        where = f"links/direction/{kind}[{n}]"
        if r.get("target") not in ("next", "marker"):
            raise DataError(f"cues.json: {where} target must be 'next' or 'marker'")
        markers = None
        li = False
        if r["target"] == "marker":
            words = [w for lang in ("ar", "en") for w in r.get("markers", {}).get(lang, [])]
            li = "ل" in words
            markers = CueSet.parse([w for w in words if w != "ل"], where + "/markers")
        out.append(_DirectionRule(CueSet.parse({"ar": r.get("ar", []), "en": r.get("en", [])}, where), r["target"], markers, li))
    return out


def _direction(
    text: str,
    tokens: Sequence[Token],
    lo: int,
    hi: int,
    cue: _Cue,
    occs: Sequence[_Occurrence],
    keyed: dict[str, _Actor],
) -> tuple[str, str] | None:
    """(source key, target key) when a direction rule near the cue points at one of the two actors."""
    for rule in _direction_rules(cue.kind):
        for a, b in rule.cues.find(tokens, max(lo, cue.lo - DIRECTION_REACH), min(hi, cue.hi + 1 + DIRECTION_REACH)):
            target = _target(text, tokens, lo, b, occs, rule)
            if target is not None and target in keyed:
                (source,) = set(keyed) - {target}
                return (source, target)
    return None


def _target(
    text: str, tokens: Sequence[Token], lo: int, after: int, occs: Sequence[_Occurrence], rule: _DirectionRule
) -> str | None:
    """The actor key a direction cue ending at token ``after`` points to, if any."""
    reach = NEXT_REACH if rule.target == "next" else MARKER_REACH
    for o in occs:
        if o.lo <= after or o.mention.adjectival:
            continue  # a demonym describes the agent far more often than the target
        if o.lo > after + reach:
            return None
        if rule.target == "next":
            return o.actor.key
        marked = rule.markers is not None and rule.markers.match_ending_at(tokens, o.lo - 1, lo) is not None
        if marked or (rule.proclitic_li and proclitic(text, tokens[o.lo], o.mention.start).endswith("ل")):
            return o.actor.key
    return None

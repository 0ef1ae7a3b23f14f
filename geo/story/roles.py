"""Roles in a relation: who is a party, who is only the venue, the speaker or a stop of a trip.

The link reader (:mod:`geo.story.relations`) finds relation cues and the actors near them; this module says which of
those actors a relation is between:

- actors are states: a country, its capital and metonyms, and any town or region of it
  (:class:`ActorResolver`); a region across borders is no actor;
- a venue ("a summit … in Vietnam", "اجتماع جدة") and a town the traveller left are no party when two
  parties remain; a news source ("Russian news agency") never is;
- "between A and B" names the parties; actors before and after a cue are two sides, linked across; a list
  on one side ("Russia, Iran and North Korea") is never linked within itself (:func:`party_sets`);
- a negation before a cue denies it, and so does a denial of the claim it is part of (:func:`negated`);
- the maker or owner of a weapon is a party to its transfer only (:func:`owns_weapon`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from geo.core.geometry import haversine_km
from geo.core.model import Mention, Place
from geo.core.text import normalise_ar
from geo.story.lexicon import Token, before_fillers, cue_set, listed_after, proclitic

CapitalFn = Callable[[str], "Place | None"]
# A city or site this close to its country's capital is the capital (or a metonym such as the Kremlin).
CAPITAL_RADIUS_KM = 30.0
# Words added to the distance of an actor that stands after its cue beyond a comma: what follows a
# comma is usually a new phrase ("…، وبحثا مشاريع تمر عبر سوريا").
COMMA_PENALTY = 6
# Words around a mention that make it a news source: before any mention, and around a demonym.
MEDIA_BEFORE, MEDIA_BEFORE_ADJ, MEDIA_AFTER_ADJ = 1, 3, 2
_AND_WORDS = frozenset({"and", "و"})
# A definite nisba adjective, folded (الكورية، الجنوبية، الساحلي): it may stand between a place noun and a name.
_AR_NISBA = re.compile(r"ال\w{2,}ي[هة]?")
# How many words before a relation cue a negation reaches ("did not supply", "لم تجر").
NEGATION_REACH = 4
# How many words a denial reaches ("denied … that"), and how closely what it denies follows it.
DENIAL_REACH, DENIED_CONTENT_REACH = 16, 3
# How many words before a possessive ("… prime minister's visit") its owner may stand.
POSSESSOR_REACH = 3
# How many words a closing attribution may take between its comma and its verb ("…, officials in X said").
ATTRIBUTION_WORDS = 5
# How far before a tension word a background word ("amid", "as", "وسط") may end.
BACKGROUND_REACH = 4
# How many words before a weapon word its owner may stand ("Iranian military drones"), or after it in Arabic.
OWNER_REACH = 2


@dataclass(frozen=True)
class Actor:
    key: str  # "cc:RU" for a country, "place:<id>" for a place standing for itself
    display: str  # the Place id a link is drawn at
    country: str = ""  # the place's country code, for a place standing for itself


@dataclass(frozen=True)
class Occurrence:
    actor: Actor
    lo: int  # first token
    hi: int  # last token (inclusive)
    mention: Mention


@dataclass(frozen=True)
class Cue:
    kind: str
    lo: int
    hi: int  # inclusive


def dist(a_lo: int, a_hi: int, b_lo: int, b_hi: int) -> int:
    return max(b_lo - a_hi, a_lo - b_hi, 0)


def between_pair(tokens: Sequence[Token], occs: Sequence[Occurrence], after: int) -> list[Occurrence]:
    """The actors of "between A and B": A within 3 words, then each actor after an "and" within 6 words
    ("between the US President and the North Korean leader")."""
    out: list[Occurrence] = []
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


def following(occs: Sequence[Occurrence], after: int, reach: int) -> list[Occurrence]:
    """The actors listed right after token ``after``: the first within ``reach`` words, then each next one
    at most one word ("and") after the previous."""
    out: list[Occurrence] = []
    for o in occs:
        if o.lo <= after:
            continue
        limit = after + reach if not out else out[-1].hi + 2
        if o.lo > limit:
            break
        out.append(o)
    return out


def party_sets(tokens: Sequence[Token], cue: Cue, group: Sequence[Occurrence], tied: set[int], *, joint: bool) -> list[tuple[str, ...]]:
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
    if cue.kind == "territory":
        # Occupier and occupied only: the nearest actor on each side of the word ("the Golan, which Israel
        # occupied from Syria" leaves out the US that recognised it a clause earlier).
        before = [o for o in group if o.hi < cue.lo or cue.lo <= o.lo <= cue.hi]
        after = [o for o in group if o not in before]
        if len(after) >= 2 and tokens[cue.hi].arabic and after[0].lo - cue.hi <= 2:
            chosen = after[:2]  # Arabic verb first: "احتلتها تركيا من اليونان" (occupied-it Turkey from Greece)
        else:
            chosen = [before[-1], after[0]] if before and after else after[:2] if after else before[-2:]
        ordered = list(dict.fromkeys(o.actor.key for o in chosen))
        return [tuple(ordered)] if len(ordered) == 2 else []
    # An actor inside the cue word ("حربه" his war) owns it: it stands with those before the cue.
    left = list(dict.fromkeys(o.actor.key for o in group if (o.hi < cue.lo or cue.lo <= o.lo <= cue.hi) and id(o) not in tied))
    right = list(dict.fromkeys(o.actor.key for o in group if (o.lo > cue.hi or id(o) in tied) and o.actor.key not in left))
    pairs: list[tuple[str, ...]] = []
    lists = runs_of(tokens, group)
    if left and right:
        pairs = [(a, b) for a in left for b in right if a != b]
    elif len(lists) > 1:
        # "X and its partners are at odds with A, B and C": members of one list are on one
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


def runs_of(tokens: Sequence[Token], group: Sequence[Occurrence]) -> list[list[str]]:
    """The actors of a cue as runs of listed items ("Russia, Iran and North Korea" is one run), by key."""
    runs: list[list[Occurrence]] = []
    for o in group:
        if runs and listed_pair(tokens, runs[-1][-1], o):
            runs[-1].append(o)
        else:
            runs.append([o])
    return [list(dict.fromkeys(o.actor.key for o in run)) for run in runs]


def is_venue(text: str, tokens: Sequence[Token], lo: int, o: Occurrence, cue: Cue) -> bool:
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
    # "إلى العاصمة السعودية الرياض": the filler's nisba adjectives stand between it and the name.
    k = j
    while k >= lo and tokens[k].arabic and _AR_NISBA.fullmatch(normalise_ar(tokens[k].text)):
        k -= 1
    if k < j and k >= lo and fillers.match_at(tokens, k, k + 1):
        j = k
    while j >= lo and fillers.match_at(tokens, j, j + 1):
        j -= 1
    if j >= lo and cue_set("links", "venue").match_ending_at(tokens, j, lo) is not None:
        return True
    # Where the visitor travels to for a meeting told after it is its venue ("arrived in Hanoi for a summit
    # with the US president"; "visited Kyiv" and "a visit to Kyiv" name the host); the caller drops it only when
    # two parties remain.
    return (cue.kind == "visit" and o.hi < cue.lo and j >= lo
            and cue_set("routes", "destination").match_ending_at(tokens, j, lo) is not None)


def place_noun_nisba(tokens: Sequence[Token], lo: int, o: Occurrence, venue: Occurrence) -> bool:
    """``o`` is a nisba of the place noun that ``venue`` stands in apposition to (العاصمة السعودية الرياض)."""
    if not (tokens[o.lo].arabic and o.lo - 1 >= lo and 0 < venue.lo - o.hi <= 2):
        return False
    if not all(_AR_NISBA.fullmatch(normalise_ar(tokens[k].text)) for k in range(o.lo, venue.lo)):
        return False
    return cue_set("routes", "fillers").match_at(tokens, o.lo - 1, o.lo) is not None


def is_opponent(tokens: Sequence[Token], lo: int, o: Occurrence) -> bool:
    """A place right after "against"/"near"/"ضد"/"قرب" (fillers looked past): whom an act is aimed at or where
    near it happens, not who acts with whom. An Arabic nisba follows its noun: "قرب الحدود المغربية"."""
    j = o.lo - 1
    if o.mention.adjectival and tokens[o.lo].arabic:
        j -= 1
    fillers, opponent = cue_set("routes", "fillers"), cue_set("links", "opponent")
    # "near" is a filler of routes too ("a camp near X"): the marker is looked for before each filler is passed.
    while j >= lo and opponent.match_ending_at(tokens, j, lo) is None and fillers.match_at(tokens, j, j + 1):
        j -= 1
    return j >= lo and opponent.match_ending_at(tokens, j, lo) is not None


def negated(tokens: Sequence[Token], lo: int, cue: Cue, others: Sequence[Cue] = ()) -> bool:
    """A negation word up to :data:`NEGATION_REACH` words before the cue, or a denial of what the cue is part of
    ("rejected allegations that it supplied …", "نفت أن تكون زودت …"); an attribute compound inside the denied
    claim ("Russian-occupied Crimea") is background, not the claim."""
    neg = cue_set("actors", "negation")
    # A negation denies the first cue after it: "has yet to condemn the invasion" leaves the invasion told.
    start = max([lo, cue.lo - NEGATION_REACH] + [o.hi + 1 for o in others if o.hi < cue.lo])
    if any(neg.match_ending_at(tokens, k, lo) for k in range(start, cue.lo)):
        return True
    if cue.lo == cue.hi and "-" in tokens[cue.lo].text:
        return False
    # The claim follows the denial closely ("rejected US allegations that", "نفت التقارير") and reaches the cue
    # without an "and" ("rejected the claim and warned X" denies nothing of the warning).
    content = cue_set("actors", "denied_content")
    for d in cue_set("actors", "denial").starts_in(tokens, max(lo, cue.lo - DENIAL_REACH), cue.lo):
        for k in range(d + 1, min(cue.lo, d + 1 + DENIED_CONTENT_REACH)):
            if content.match_at(tokens, k, cue.lo) and not any(tokens[j].forms & _AND_WORDS for j in range(k + 1, cue.lo)):
                return True
    return False


def travel_stop(tokens: Sequence[Token], lo: int, m_lo: int) -> bool:
    """A route origin or via marker ("from", "left", "via", "عبر") right before the mention (fillers allowed)."""
    j = before_fillers(tokens, lo, m_lo)
    # Origins and passing points only: "visited Jeddah" is a visit to Saudi Arabia.
    return j >= lo and any(cue_set("routes", role).match_ending_at(tokens, j, lo) for role in ("origin", "via"))


def trip_origin(tokens: Sequence[Token], lo: int, m_lo: int) -> bool:
    """Where a trip told in the clause starts ("From Manila, she flew on to …", "flew to X from Brussels", "left
    Lima"): an origin marker right before the mention (fillers allowed) that is a travel word itself, or a bare
    "from" that opens the clause or follows a travel word. "Officials from Moscow" says whose officials: not this."""
    j = before_fillers(tokens, lo, m_lo)
    marker = cue_set("routes", "origin").match_ending_at(tokens, j, lo) if j >= lo else None
    if marker is None:
        return False
    start = j - len(marker) + 1
    if len(marker) > 1 or not tokens[j].forms & {"from"}:
        return True  # "left", "departed from", "flew from"
    if start == lo:
        return True
    motion = cue_set("routes", "motion")
    return any(motion.match_ending_at(tokens, k, lo) for k in range(max(lo, start - 4), start))


def one_list(tokens: Sequence[Token], group: Sequence[Occurrence]) -> bool:
    """True when the actors stand as one list: "واشنطن وسول", "Russia, China and Iran"."""
    return len(group) >= 2 and all(listed_pair(tokens, a, b) for a, b in zip(group, group[1:]))


def listed_pair(tokens: Sequence[Token], a: Occurrence, b: Occurrence) -> bool:
    """``b`` follows ``a`` in one list: "X, Y", "X وY", a hyphen compound ("US-South Korea drills") or two
    adjectives of one noun ("المناورات الأمريكية الكورية": US-Korean drills)."""
    if b.lo == a.lo:
        return "-" in tokens[a.lo].text
    return listed_after(tokens, a.hi, b.lo) or (a.mention.adjectival and b.mention.adjectival and b.lo - a.hi == 1)


def comma_penalty(text: str, tokens: Sequence[Token], cue: Cue, o: Occurrence) -> int:
    if o.lo <= cue.hi:
        return 0
    gap = text[tokens[cue.hi].end:tokens[o.lo].start]
    return COMMA_PENALTY if ("،" in gap or "," in gap) else 0


class ActorResolver:
    """Maps a place id to its actor: countries and their capitals (and metonyms) unify by country code."""

    def __init__(self, places: Sequence[Place], capital: CapitalFn) -> None:
        self._by_id = {p.id: p for p in places}
        self._capital = capital
        self._capitals: dict[str, Place | None] = {}
        self._memo: dict[str, Actor | None] = {}
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
        return cap is None or not is_capital(place, cap)

    def of(self, place_id: str) -> Actor | None:
        if place_id not in self._memo:
            self._memo[place_id] = self._resolve(place_id)
        return self._memo[place_id]

    def _resolve(self, place_id: str) -> Actor | None:
        place = self._by_id.get(place_id)
        if place is None or place.kind == "water":
            return None
        cc = place.country
        if place.kind == "country":
            return Actor(f"cc:{cc}", self._display(cc, place)) if cc else Actor(f"place:{place.id}", place.id)
        if cc:
            # Actors are countries: a capital or metonym stands for its state, and so does any other town
            # or region of it ("support for the people of Gaza", "annexing the West Bank"); a town that is
            # only the venue is left out by the clause reader (see is_venue).
            return Actor(f"cc:{cc}", self._display(cc, place), cc)
        return None  # a region across borders ("the Middle East") is no state: no actor

    def _display(self, cc: str, fallback: Place) -> str:
        """The capital's id among the story's places, else the capital's own id, else ``fallback``'s."""
        cap = self.capital_of(cc)
        if cap is None:
            return fallback.id
        if cc not in self._displays:  # the scan over every place is the same for each place of the country
            self._displays[cc] = next(
                (p.id for p in self._by_id.values() if p.country == cc and p.kind == "city" and is_capital(p, cap)),
                cap.id,
            )
        return self._displays[cc]


def is_capital(place: Place, cap: Place) -> bool:
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


def is_source(tokens: Sequence[Token], lo: int, hi: int, m_lo: int, m_hi: int, adjectival: bool) -> bool:
    """A news source rather than an actor: "صحيفة نيويورك", "الصحيفة الأمريكية", "Russian news agency"."""
    media = cue_set("links", "media")
    before = MEDIA_BEFORE_ADJ if adjectival else MEDIA_BEFORE
    if any(media.match_ending_at(tokens, k, lo) for k in range(max(lo, m_lo - before), m_lo)):
        return True
    if adjectival:
        return any(media.match_at(tokens, k, hi) for k in range(m_hi + 1, min(hi, m_hi + 1 + MEDIA_AFTER_ADJ)))
    return False


def credit(text: str, m: Mention) -> bool:
    """A wire-agency credit: a demonym alone in brackets, "( الفرنسية )" (AFP), "(الألمانية)" (dpa)."""
    return m.adjectival and text[max(0, m.start - 3):m.start].strip().endswith("(") and text[m.end:m.end + 3].strip().startswith(")")


def owns_weapon(tokens: Sequence[Token], lo: int, hi: int, o: Occurrence) -> bool:
    """An actor that qualifies a weapon word: "Iranian-made drones", "US military technology", "طائرات مسيرة إيرانية"."""
    weapons = cue_set("links", "arms", "weapons")
    if tokens[o.lo].arabic:
        return o.mention.adjectival and any(weapons.match_ending_at(tokens, k, lo) for k in range(max(lo, o.lo - OWNER_REACH), o.lo))
    # A word between a demonym and the weapon is another modifier ("Russian ballistic missiles"); after a noun it is
    # mostly the verb ("Turkey moved tanks"), and the noun is the actor, not the weapon's owner.
    reach = OWNER_REACH if o.mention.adjectival else 1
    return any(weapons.match_at(tokens, k, hi) for k in range(o.hi + 1, min(hi, o.hi + 1 + reach)))


def trip_stops(tokens: Sequence[Token], lo: int, group: Sequence[Occurrence]) -> set[str]:
    """The actors of ``group`` named only as places a trip goes to ("to X", "إلى X", "ends his tour in X")."""
    ends = cue_set("routes", "destination")
    marked: dict[str, bool] = {}
    for o in group:
        marked[o.actor.key] = marked.get(o.actor.key, True) and ends.match_ending_at(tokens, o.lo - 1, lo) is not None
    return {k for k, v in marked.items() if v}


def trailing_attribution(text: str, tokens: Sequence[Token], lo: int, hi: int) -> int | None:
    """Where a clause's closing attribution starts: "…, officials in X said." (a comma, at most
    :data:`ATTRIBUTION_WORDS` words, a reporting verb last); None when the clause ends otherwise."""
    if hi - lo < 3 or tokens[hi - 1].arabic or cue_set("links", "reporting").match_ending_at(tokens, hi - 1, lo) is None:
        return None
    for k in range(hi - 2, max(lo, hi - 2 - ATTRIBUTION_WORDS), -1):
        if "," in text[tokens[k - 1].end:tokens[k].start]:
            return k
    return None


def after_background(tokens: Sequence[Token], lo: int, c: Cue, group: list[Occurrence]) -> list[Occurrence]:
    """``group`` without the actors before a background word of a state of tension: "X flew to Y as regional tensions
    mounted" tells no tension between X and Y; "amid tensions between A and B" still names its sides (and "amid a
    dispute with B" the clause's subject against B: the caller keeps those)."""
    if cue_set("links", "symmetric").match_at(tokens, c.lo, c.hi + 1) is None:
        return group
    marks = cue_set("links", "background").find(tokens, max(lo, c.lo - BACKGROUND_REACH - 1), c.lo)
    if not marks:
        return group
    start = marks[-1][0]
    return [o for o in group if o.lo > start]

"""The stops one clause names and the role each plays in a journey: origin, destination, via, diverted.

Marker words right before a place mention give it a role ("من X" / "from X" → origin, "إلى Y" / "to Y" →
destination, "عبر Z" / "via Z" → a stop on the way); only fillers ("the capital", "مدينة"), adjectival mentions
and describing words may stand between. A clause is read only when it has a travel or mode word, so "from the
Ministry" never makes a stop. Also here: the mode nearest a span, travel order, and the scene of a sinking or
crash (:func:`scene_of`). :mod:`geo.story.journeys` chains what this module reads across sentences.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from geo.core.geometry import haversine_km
from geo.core.model import Mention, Place
from geo.story.cues import starts_any
from geo.story.legs import Stop, cancelled
from geo.story.lexicon import (
    Token,
    before_fillers,
    cue_set,
    listed_after,
    proclitic,
    token_at,
    token_range,
)

# Place kinds that can be a stop. A country is an end only ("a train journey from Poland to Kyiv"); it is
# drawn at its capital and the route lists it in ``country_stops``.
STOP_KINDS = frozenset({"city", "site", "region", "country"})
_MODES = ("train", "plane", "car", "ship")  # in the order that breaks a tie between two mode words
_FROM = frozenset({"من"})  # the Arabic origin marker, which "كل"/"أي" before it make "of"
# A passing point ("via") must be a point: a route "across Siberia" does not pass through its centroid.
VIA_KINDS = frozenset({"city", "site"})
# How many filler words ("the capital", "مدينة") may stand between a marker and its place.
MAX_FILLERS = 4
# How far (in words) after a crossing word "at"/"عند" still marks a passing point.
CROSSING_REACH = 5
# How far (in words) after an arrival word "in"/"at"/"في" still marks where the trip ended ("arrived by train in").
ARRIVAL_REACH = 4
# The same for the first end after the arrival word, which may come after an unknown site: "came in on a
# military jet at a base just outside X". Later places keep the short reach ("arrived in X for talks in Y").
FIRST_ARRIVAL_REACH = 10
# How far (in words) before the first place of a clause an Arabic travel verb still gives it its role when the
# subject stands between them ("غادر الرئيس الروسي فلاديمير بوتين موسكو").
VERB_FIRST_REACH = 7
# How far (in words) after a diversion word a landing marker still marks where a diverted trip ended
# ("was diverted and ordered to land in X").
DIVERSION_REACH = 8
# "from Camp X in Y": a town this close to the origin right after it, behind "in"/"at", says where the origin is.
LOCATING_KM = 40.0
_LOCATING = frozenset({"in", "at", "في"})


def tells_travel(tokens: Sequence[Token], lo: int, hi: int) -> bool:
    """A travel or mode word in ``tokens[lo:hi]`` (a mode word is one ``mode_near`` would find there)."""
    return starts_any([cue_set("routes", "motion")] + [cue_set("modes", mode) for mode in _MODES], tokens, lo, hi)


def scene_of(tokens: Sequence[Token], lo: int, hi: int, mentions: Sequence[Mention], by_id: dict[str, Place],
             taken: Sequence[Stop] = (), kind: str = "incident") -> Stop | None:
    """Where a clause telling of a sinking, wreck, crash or rescue at sea (``kind`` "incident"), or of a release
    from captivity ("release"), puts its travellers: the first place after the event word that no marker made a
    stop ("capsized off X", "غرق قارب قبالة X", "released in X"); None when it tells of no such event."""
    events = cue_set("routes", kind).starts_in(tokens, lo, hi)
    if not events:
        return None
    starts = {st.token for st in taken}
    for m in mentions:
        place = by_id.get(m.place)
        if place is None or m.adjectival or place.kind not in STOP_KINDS or m.start < tokens[events[0]].start:
            continue
        m_lo = token_at(tokens, m.start, lo, hi)
        if m_lo not in starts:
            return Stop(m.place, "origin", m_lo)
    return None


def clause_stops(
    text: str,
    tokens: Sequence[Token],
    starts: Sequence[int],
    lo: int,
    hi: int,
    mentions: Sequence[Mention],
    by_id: dict[str, Place],
    *,
    moving: bool = False,
) -> list[Stop] | None:
    """The stops a clause gives roles to, in text order (see :func:`order_stops`), or None when it tells of no travel
    (``moving``: its sentence told the travel word already)."""
    if lo >= hi or not stop_places(mentions, by_id):
        return None  # no stop: checked first, it is far cheaper than the cue scan
    if _relocated_thing(tokens, lo, hi):
        return None  # "نقل مباراة المصري من بورسعيد إلى السويس": a match or an embassy moved, nobody travels
    if not moving and not tells_travel(tokens, lo, hi):
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
        if _attributive(tokens, lo, hi, m_lo, m_hi):
            skippable.update(range(m_lo, m_hi))
            continue  # "arrived on a Cairo government jet at X": whose jet, not where it went
        stops_at.append((m, m_lo, m_hi))
    # "from Spain's Valencia port", "من إسبانيا ميناء …": a country right before one of its own towns
    # only says where the town is; the marker before the country belongs to the town.
    kept: list[tuple[Mention, int, int]] = []
    for k, (m, m_lo, m_hi) in enumerate(stops_at):
        nxt = stops_at[k + 1] if k + 1 < len(stops_at) else None
        place = by_id[m.place]
        if (nxt is not None and place.kind == "country" and nxt[1] - m_hi <= 0
                and by_id[nxt[0].place].kind != "country" and by_id[nxt[0].place].country == place.country):
            skippable.update(range(m_lo, m_hi))
            continue
        if nxt is not None and _possessor(tokens, m_hi, nxt[1]):
            # "to Russia's ally Belarus", "to Ukraine's capital Kyiv": the marker's stop is the place possessed.
            skippable.update(range(m_lo, nxt[1]))
            continue
        kept.append((m, m_lo, m_hi))
    stops_at = kept

    found: list[Stop] = []
    prev_hi = -10
    for m, m_lo, m_hi in stops_at:
        role = _role(text, tokens, lo, m, m_lo, skippable, has_origin=any(s.role == "origin" for s in found),
                     has_end=any(s.role in ("destination", "diverted") for s in found), stop_tokens=[s.token for s in found])
        if role is None and found and found[-1].role in ("via", "between") and listed_after(tokens, prev_hi, m_lo):
            # "via Krasnoyarsk, Novosibirsk and Yekaterinburg": passing points in order;
            # "between X and Y": X is where the journey starts, Y where it ends.
            role = "via" if found[-1].role == "via" else "destination"
        if role == "between":
            role = "origin"
            found.append(Stop(m.place, "between", m_lo))
            prev_hi = m_hi - 1
            continue
        if (role == "destination" and found and found[-1].role == "origin" and m_lo - prev_hi == 2
                and tokens[m_lo - 1].forms & _LOCATING
                and haversine_km(by_id[found[-1].place].location, by_id[m.place].location) <= LOCATING_KM):
            prev_hi = m_hi - 1
            continue  # "arrived from Camp X in Y": where the camp is, not where they went
        prev_hi = m_hi - 1
        if role is None:
            continue
        if cancelled(tokens, lo, m_lo):
            continue  # "instead of landing in X": not where the trip went
        if role == "via" and by_id[m.place].kind not in VIA_KINDS:
            continue
        found.append(Stop(m.place, role, m_lo))
    origins = [s for s in found if s.role == "origin"]
    if len(origins) > 1 and by_id[origins[0].place].kind == "country":
        # "a delegation from Kenya flew from Nairobi to …": a town of that country, also told as the start, is
        # where the trip began; the country said whose people travel.
        country = by_id[origins[0].place].country
        if any(by_id[s.place].kind != "country" and by_id[s.place].country == country for s in origins[1:]):
            found.remove(origins[0])
    return [Stop(s.place, "origin" if s.role == "between" else s.role, s.token, s.role == "via" and _stays(tokens, lo, s.token))
            for s in found]


def _stays(tokens: Sequence[Token], lo: int, m_lo: int) -> bool:
    """A stopover marker right before the mention ("stopping in X", "a stopover at X"), fillers looked past."""
    j = before_fillers(tokens, lo, m_lo)
    return j >= lo and cue_set("routes", "stopover").match_ending_at(tokens, j, lo) is not None


def _possessor(tokens: Sequence[Token], m_hi: int, next_lo: int) -> bool:
    """The place ending at token ``m_hi - 1`` takes "'s" and the next place follows it within two words that are no
    marker: "Greece's neighbour Turkey", "Ukraine's capital Kyiv"."""
    if not 0 < next_lo - m_hi <= POSSESSED_WORDS or not tokens[m_hi - 1].text.replace("’", "'").endswith("'s"):
        return False
    return all(tokens[k].forms.isdisjoint(_NOT_POSSESSED) and not tokens[k].text[:1].isupper() for k in range(m_hi, next_lo))


POSSESSED_WORDS = 2  # words between a possessive place and the place it possesses ("Russia's close ally Belarus")
_NOT_POSSESSED = frozenset({"to", "from", "for", "via", "and", "or", "in", "at", "into", "on"})


def _relocated_thing(tokens: Sequence[Token], lo: int, hi: int) -> bool:
    """The clause's travel words are a relocation (links: routes/relocation) of a thing that does not travel
    (routes/relocated): a match, an embassy, a seat, a summit moved from one town to another."""
    things = cue_set("routes", "relocated")
    moves = cue_set("routes", "relocation").find(tokens, lo, hi)
    if not moves or not all(things.match_at(tokens, b + 1, hi) is not None for _, b in moves):
        return False
    inside = {k for a, b in moves for k in range(a, b + 1)}
    travel = [cue_set("routes", "motion")] + [cue_set("modes", md) for md in _MODES]
    return not any(a not in inside for cs in travel for a, _ in cs.find(tokens, lo, hi))


def _attributive(tokens: Sequence[Token], lo: int, hi: int, m_lo: int, m_hi: int) -> bool:
    """An English place that only qualifies the next words: before a capitalised title ("US President X",
    "Russian Foreign Minister"), or between "a"/"an" and a vehicle or service word ("a Cairo government jet")."""
    if tokens[m_lo].arabic:
        return False
    if m_hi < hi and tokens[m_hi].text[:1].isupper() and cue_set("routes", "title_after").match_at(tokens, m_hi, hi):
        return True
    if m_lo - 1 < lo or not tokens[m_lo - 1].forms & {"a", "an"}:
        return False
    after = cue_set("routes", "attributive_after")
    return any(after.match_at(tokens, k, hi) for k in range(m_hi, min(hi, m_hi + 2)))


def stop_places(mentions: Iterable[Mention], by_id: dict[str, Place]) -> set[str]:
    """The distinct places among ``mentions`` that may be a stop (the same test as :func:`clause_stops`)."""
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
    has_end: bool = False,
    stop_tokens: Sequence[int] = (),
) -> str | None:
    """The role a marker before the mention gives it, or None."""
    fillers = cue_set("routes", "fillers")
    j = m_lo - 1
    skipped = 0
    # A proclitic li- on the place right after a travel word: "متوجها لموسكو".
    if proclitic(text, tokens[m_lo], m.start).endswith("ل") and j >= lo:
        if cue_set("routes", "motion").match_ending_at(tokens, j, lo):
            return "destination"
    looked_past: list[int] = []  # fillers that also mark an arrival place ("landed at a base outside X")
    facility_in = cue_set("routes", "facility_in")
    while j >= lo and skipped < MAX_FILLERS:
        if j in skippable:
            # A demonym or a place that is no stop ("the Tunisian port city of X") is looked past without counting:
            # the filler words around it are what the limit is for.
            looked_past.append(j)
            j -= 1
            continue
        if fillers.match_at(tokens, j, j + 1) or _describing(tokens, lo, j):
            looked_past.append(j)
            j -= 1
        elif (p := facility_in.match_ending_at(tokens, j, lo)) is not None:
            j -= len(p)  # "brought to a clinic in X", "إلى مستشفى في X": where the hospital is
        else:
            break
        skipped += 1
    if j < lo:
        return None
    if cue_set("routes", "via_after_crossing").match_ending_at(tokens, j, lo):
        crossing = cue_set("routes", "crossing")
        if any(crossing.match_at(tokens, k, j) for k in range(max(lo, j - CROSSING_REACH), j)):
            return "via"
    course = cue_set("routes", "diverted_course").match_ending_at(tokens, j, lo)
    if course is not None and cue_set("routes", "diversion").starts_in(tokens, lo, j - len(course) + 1):
        return "diverted"  # "حولت رحلة … من X إلى Y مسارها إلى Z": the course changed to Z, past the scheduled stops
    if cue_set("routes", "diverted_after_diversion").match_ending_at(tokens, j, lo):
        diversion = cue_set("routes", "diversion")
        # Not past another stop: "اضطرت رحلة … من X إلى Y إلى إعلان …" diverts nothing at Y.
        if any(diversion.match_at(tokens, k, j) and not any(k < t < j for t in stop_tokens)
               for k in range(max(lo, j - DIVERSION_REACH), j)):
            return "diverted"
    reach = ARRIVAL_REACH if has_end else FIRST_ARRIVAL_REACH
    arrival = cue_set("routes", "arrival")
    after_arrival = cue_set("routes", "destination_after_arrival")
    stopping = cue_set("routes", "stop_arrival")
    for k in [j] + looked_past[::-1]:
        if after_arrival.match_ending_at(tokens, k, lo):
            if any(arrival.match_at(tokens, a, k) for a in range(max(lo, k - reach), k)):
                return "destination"
            if any(stopping.match_at(tokens, a, k) for a in range(max(lo, k - reach), k)):
                return "via" if has_end else "destination"  # "from X to Y, it stopped in Z": Z is on the way
            if _trip_ends(tokens, lo, k):
                return "destination"  # "before ending the trip in X", "wrapping up his tour in X"
    if j - 1 >= lo and cue_set("routes", "not_travel").match_ending_at(tokens, j - 1, lo):
        return None  # "ambassador to Kyiv"
    if (j - 1 >= lo and tokens[j].forms & _FROM and cue_set("routes", "not_from").match_ending_at(tokens, j - 1, lo)
            and not (j - 2 >= lo and tokens[j - 2].forms & _FROM)):
        return None  # "في كل من مصر والأردن": in each of them, not from them (but "من كل من": from each of them)
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
    for role in ("origin", "via", "destination", "diverted"):
        p = cue_set("routes", role).match_ending_at(tokens, j, lo)
        if p is not None and (best is None or len(p) > best[0]):
            best = (len(p), role)
    if best is None and not stop_tokens:
        # Verb first, then its subject, then the place: "غادر الرئيس الروسي فلاديمير بوتين موسكو", "زار الوزير X".
        for role in ("origin", "destination"):
            verbs = cue_set("routes", "verb_first", role)
            if any(verbs.match_at(tokens, k, m_lo) for k in range(max(lo, m_lo - VERB_FIRST_REACH), m_lo - 1)):
                return role
    return None if best is None else best[1]


def _trip_ends(tokens: Sequence[Token], lo: int, k: int) -> bool:
    """The words before the preposition at ``k`` end a trip: a verb of ending, maybe a determiner, a trip noun."""
    j = k - 1
    if j < lo or cue_set("routes", "trip_nouns").match_at(tokens, j, j + 1) is None:
        return False
    j -= 1
    if j >= lo and tokens[j].forms & _DETERMINERS:
        j -= 1
    return j >= lo and cue_set("routes", "trip_end").match_ending_at(tokens, j, lo) is not None


_DETERMINERS = frozenset({"the", "his", "her", "their", "its", "a"})


def _describing(tokens: Sequence[Token], lo: int, j: int) -> bool:
    """An English lower-case describing word after "the": "for the storm-hit Canary Islands"."""
    tok = tokens[j]
    return (not tok.arabic and tok.text.islower() and j - 1 >= lo and "the" in tokens[j - 1].forms
            and not cue_set("routes", "motion").match_at(tokens, j, j + 1))


def order_stops(found: list[Stop]) -> list[Stop] | None:
    """Travel order: the first origin, then the rest in text order, with trailing vias before the last destination.

    "from Paris to Hanoi via Dubai" → Paris, Dubai, Hanoi; "from Moscow via Kazan to Perm" keeps text order.
    """
    diverted = [s for s in found if s.role == "diverted"]
    if diverted:
        # "flying from Lisbon to Oslo … made to land in Hamburg": the trip ends where it landed.
        cut = found.index(diverted[0])
        found = [s for s in found[:cut] if s.role != "destination"] + [Stop(diverted[0].place, "destination", diverted[0].token)]
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
    stops: list[Stop] = []
    for s in ordered:
        if not stops or stops[-1].place != s.place:
            stops.append(s)
    if len({s.place for s in stops}) < 2:
        return None
    return stops


def mode_near(tokens: Sequence[Token], lo: int, hi: int, span: tuple[int, int]) -> str | None:
    """The mode whose cue word in ``tokens[lo:hi]`` is nearest to ``span``; of those inside it, the last before its
    end ("travelled to X by train and later flew to Y": Y is reached by plane); ties: the first in MODES order."""
    best: tuple[int, int, int, str] | None = None
    for rank, mode in enumerate(_MODES):
        for a, b in cue_set("modes", mode).find(tokens, lo, hi):
            dist = max(span[0] - b, a - span[1], 0)
            inside = span[1] - b if dist == 0 and b < span[1] else 0
            if best is None or (dist, inside, rank) < best[:3]:
                best = (dist, inside, rank, mode)
    return None if best is None else best[3]

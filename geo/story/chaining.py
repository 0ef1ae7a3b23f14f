"""How the legs of a journey chain: whether a clause goes on from where the traveller is, where they stay, and
which tellings are the same trip, or another one (:func:`geo.story.journeys.find_routes` reads the clauses).

- a clause "goes on" only when it says so ("then", "ثم"), not by an "after" that dates it or a time ahead;
- a journey that returns to its start is out and back; one through places where the traveller stays is a leg per stay;
- an arrival told again at the town's airport, a trip dated years apart, a departure "brought here" from elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from geo.core.geometry import haversine_km
from geo.core.model import Place
from geo.story.legs import Leg, Stop, sentence_opens
from geo.story.lexicon import Token, before_fillers, cue_set, find_when

# An arrival told again this close to where the traveller has just arrived is the same arrival (a city's airport).
SAME_ARRIVAL_KM = 30.0


def arrival_retold(tokens: Sequence[Token], lo: int, hi: int, here: Place, there: Place) -> bool:
    """An arrival word in the clause and a town or site within :data:`SAME_ARRIVAL_KM` of where the traveller has
    just arrived: the same arrival told again ("he was welcomed on his arrival at Orly airport"), no new leg."""
    if here.kind not in ("city", "site") or there.kind not in ("city", "site") or here.id == there.id:
        return False
    if not cue_set("routes", "arrival").starts_in(tokens, lo, hi):
        return False
    return haversine_km((here.lat, here.lon), (there.lat, there.lon)) <= SAME_ARRIVAL_KM


def out_and_back(legs: list[Leg], by_id: dict[str, Place]) -> list[Leg]:
    """A journey that ends where it began ("leaves Cairo for Dar es Salaam … to return to Cairo after the match")
    is two legs, out to its farthest stop and back: the traveller stays there, and a route whose two ends are one
    place says nothing of where it went."""
    out: list[Leg] = []
    for leg in legs:
        stops = leg.stops
        if len(stops) < 3 or stops[0] != stops[-1]:
            out.append(leg)
            continue
        home = by_id[stops[0]]
        turn = max(range(1, len(stops) - 1), key=lambda k: haversine_km((home.lat, home.lon), (by_id[stops[k]].lat, by_id[stops[k]].lon)))
        for part in (stops[: turn + 1], stops[turn:]):
            out.append(Leg(list(part), leg.mode, leg.when, list(leg.passages), list(leg.evidence), leg.confidence, leg.status,
                           [t for t in leg.refined if t in part]))
    return out


def tells_plan(tokens: Sequence[Token], lo: int, hi: int) -> bool:
    """``tokens[lo:hi]`` tell the trip as planned: a status word of a plan ("will", "سيزور") or a word of a planned
    journey (routes/planned)."""
    return any(cs.starts_in(tokens, lo, hi) for cs in (cue_set("links", "status", "proposed"), cue_set("routes", "planned")))


def says_it_goes_on(tokens: Sequence[Token], s_lo: int, lo: int, hi: int, end: int) -> bool:
    """The clause ``tokens[lo:hi]`` (or its sentence's opening) says the journey goes on ("then", "ثم"), not by an
    "after" that dates it after an earlier event ("بعد أسبوع من زيارة …": a week after a visit), nor by a "before"
    told after the clause's end stop ``end`` ("فر باتجاه X، قبل أن تتمكن قوة من ضبطه": what follows X, not the way to it),
    nor by a time ahead ("will travel to X next week": when, not that the journey goes on)."""
    sequence, earlier = cue_set("routes", "sequence"), cue_set("routes", "earlier_event")
    dated = {a for a, _ in earlier.find(tokens, s_lo, hi)}
    later = {a for a, _ in cue_set("routes", "sequence_before").find(tokens, lo, hi) if a > end}
    timed = set(cue_set("routes", "not_sequence").starts_in(tokens, lo, hi))
    if any(a not in dated and a not in later and a not in timed for a, _ in sequence.find(tokens, lo, hi)):
        return True
    return sentence_opens(sequence, tokens, s_lo, lo) and s_lo not in dated


def split_at_stays(stops: Sequence[Stop]) -> list[Sequence[Stop]]:
    """One leg per stay: a destination inside the stops ("will travel on to X …, before returning to Y", "from A to B to
    C") or a stopover ("stopping in X on the way") is where the traveller stopped and left again, so each leg between
    two stays is a route of its own; places passed through (via) stay inside their leg."""
    cuts = [k for k in range(1, len(stops) - 1) if stops[k].role in ("destination", "diverted") or stops[k].stay]
    bounds = [0] + cuts + [len(stops) - 1]
    return [stops[a:b + 1] for a, b in zip(bounds, bounds[1:])]


def contains(pid: str, others: Sequence[Stop], by_id: dict[str, Place]) -> bool:
    """``pid`` is a country that holds one of ``others`` (a town or region of it)."""
    place = by_id[pid]
    return place.kind == "country" and any(
        o.place != pid and by_id[o.place].kind != "country" and by_id[o.place].country == place.country for o in others)


def within(st: Stop, here: str, by_id: dict[str, Place]) -> Stop:
    """An origin given as the country the traveller is in stands for where in it they are: "From Israel …" said of
    a traveller who landed in Tel Aviv starts at Tel Aviv."""
    if st.role == "origin" and contains(st.place, [Stop(here, "", 0)], by_id):
        return Stop(here, "origin", st.token)
    return st


def brought_here(tokens: Sequence[Token], lo: int, m_lo: int) -> str | None:
    """The marker right before the mention at ``m_lo`` (fillers looked past) that brings its traveller to where the
    story has them: "in" for an "in from" marker ("flown in from", "had come from"), "left" for a departure told in
    the past perfect ("had set off from"); None for any other."""
    j = before_fillers(tokens, lo, m_lo)
    if j < lo:
        return None
    if cue_set("routes", "arrived_here").match_ending_at(tokens, j, lo) is not None:
        return "in"
    return "left" if cue_set("routes", "left_for_here").match_ending_at(tokens, j, lo) is not None else None


def trips_apart(tokens: Sequence[Token], text: str, found: Sequence[Stop]) -> bool:
    """Ends told without an origin with a year or a year-long period between them ("to X last year and to Y in
    2023", "زار X العام الماضي ثم Y"): separate trips, not one journey through both."""
    if any(st.role == "origin" for st in found):
        return False
    ends = [st.token for st in found if st.role in ("destination", "diverted")]
    for a, b in zip(ends, ends[1:]):
        when = find_when(tokens, text, a + 1, b)
        if when and (any(ch.isdigit() for ch in when) and has_year(tokens, a + 1, b) or _YEARLY.search(when)):
            return True
    return False


_YEARLY = re.compile(r"\byear\b|العام|السنة|عام")


def has_year(tokens: Sequence[Token], lo: int, hi: int) -> bool:
    """``tokens[lo:hi]`` name a year of their own ("had left X in 2019"): another trip's date."""
    return any(len(t.text) == 4 and t.text.isdigit() and 1800 <= int(t.text) <= 2199 for t in tokens[lo:hi])


def own_vehicle(tokens: Sequence[Token]) -> str | None:
    """The traveller's own vehicle named first in the story ("his armoured train", "طائرته الرئاسية"), if any."""
    found = [(hits[0][0], mode) for mode in ("train", "plane", "ship", "car")
             if (hits := cue_set("routes", "vehicle", mode).find(tokens, 0, len(tokens)))]
    return min(found)[1] if found else None

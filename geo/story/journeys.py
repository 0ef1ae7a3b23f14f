"""Routes told by an article: who travels from where to where, by what means, and when.

A route is read from one sentence at a time. Marker words right before a place mention give it a role
("من X" / "from X" → origin, "إلى Y" / "to Y" → destination, "عبر Z" / "via Z" → a stop on the way); a
sentence yields a route when it has at least two distinct stops and a travel or mode word, so "from the
Ministry" or "the distance from X to Y" never draws a line. The mode comes from the nearest mode word in
the sentence, else in its passage; the date from the first date expression in the sentence, else the
passage. Trains follow the curated rail network when it connects the stops; everything else (and a train
the network cannot route) is drawn as great-circle arcs.

The cue words live in ``data/cues.json``; the word matching they need is in :mod:`geo.story.lexicon`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from geo.core.document import Document
from geo.core.geometry import great_circle, haversine_km, unwrap
from geo.core.model import LatLon, Mention, Place, Route
from geo.story.legs import (
    CHAIN_PASSAGES,
    CapitalPointFn,
    Leg,
    Stop,
    across_border,
    cancelled,
    diverted_last,
    drawn,
    inner_countries_dropped,
    merge,
    named_next,
    sentence_opens,
    unplaced_origin,
)
from geo.story.lexicon import (
    Token,
    clauses,
    cue_set,
    find_when,
    listed_after,
    mentions_in,
    proclitic,
    token_range,
)
from geo.story.rail import rail_path

# Place kinds that can be a stop. A country is an end only ("a train journey from Poland to Kyiv"); it is
# drawn at its capital and the route lists it in ``country_stops``.
STOP_KINDS = frozenset({"city", "site", "region", "country"})
# A passing point ("via") must be a point: a route "across Siberia" does not pass through its centroid.
VIA_KINDS = frozenset({"city", "site"})
# How many filler words ("the capital", "مدينة") may stand between a marker and its place.
MAX_FILLERS = 4
# How far (in words) after a crossing word "at"/"عند" still marks a passing point.
CROSSING_REACH = 5
# How far (in words) after an arrival word "in"/"at"/"في" still marks where the trip ended ("arrived by train in").
ARRIVAL_REACH = 4
# The same for the first end after the arrival word, which may come after an unknown site: "landed on a
# government plane at an air base outside of X". Later places keep the short reach ("arrived in X for talks in Y").
FIRST_ARRIVAL_REACH = 10
# How far (in words) after a diversion word a landing marker still marks where a diverted trip ended
# ("was diverted and ordered to land in X").
DIVERSION_REACH = 8

RailFn = Callable[[Sequence[LatLon]], "tuple[list[LatLon], float] | None"]

# --- routes -----------------------------------------------------------------------------------------


def find_routes(
    doc: Document,
    places: Iterable[Place],
    mentions: Sequence[Mention],
    *,
    rail: RailFn = rail_path,
    capital: CapitalPointFn | None = None,
) -> tuple[Route, ...]:
    """Every journey the text tells, merged across passages, with its drawn path.

    A clause with two stops is a journey. A clause with one end only continues the traveller's journey
    told before it, in narrative order: "… flew to Rzeszow. After a one-hour drive, he arrived in
    Przemysl" is a second leg Rzeszow → Przemysl; "from there" (ومن هناك) starts at the last stop
    reached. A diverted trip ends where it landed. Identical (mode, stops) found in several passages
    become one route whose ``passages`` lists all of them; a journey told without a mode joins a route
    with the same stops that has one. ``rail`` routes a train through its stops (``geo.story.rail.rail_path``);
    ``capital(cc)`` gives where a country-level stop is drawn (else the country's own point).
    """
    by_id = {p.id: p for p in places}
    text, passages, tokens = doc.text, doc.passages, doc.words
    starts = tokens.starts
    mentions = sorted(mentions, key=lambda m: m.start)
    m_starts = [m.start for m in mentions]
    legs: list[Leg] = []
    # The traveller's state: the last place reached (or left) and where in the text, for chaining legs.
    at: tuple[str, int, str] | None = None  # (place id, passage id, mode)
    # True while the traveller has left ``at`` and the text has not yet said where they went ("flew from X.
    # He landed at Y"): the next arrival completes that leg without a sequencing word.
    departed = False
    # The ``at`` a sinking or crash set (the scene): only people taken on from it ("survivors were taken to X")
    # continue from there; a later trip of someone else does not start at a wreck.
    scene_at: tuple[str, int, str] | None = None
    for passage in passages:
        p_lo, p_hi = token_range(tokens, passage.start, passage.end, starts)
        if at is not None and passage.id - at[1] > CHAIN_PASSAGES:
            at = None  # another part of the story: a later "arrived in" is not this journey
        passage_when: list[str] = []  # the passage's date, read once: per sentence it made one paragraph quadratic
        for s, e in doc.sentences_in(passage.start, passage.end):
            s_lo, s_hi = token_range(tokens, s, e, starts)
            # A journey needs a stop: a sentence without any candidate place needs no cue matching.
            if s_hi <= s_lo or not _stop_places(mentions_in(mentions, m_starts, tokens[s_lo].start, tokens[s_hi - 1].end), by_id):
                continue
            # Only a few clause breaks here: a journey often runs on past "حيث" ("…، حيث تستبدل العجلات، قبل أن يصل إلى …").
            for lo, hi in clauses(text, tokens, s_lo, s_hi, boundaries=cue_set("routes", "leg_breaks"),
                                  after_comma=cue_set("routes", "boundaries_after_comma")):
                c_start, c_end = tokens[lo].start, tokens[hi - 1].end
                in_clause = mentions_in(mentions, m_starts, c_start, c_end)
                # "… to Amman and then to Riyadh": a clause that only goes on borrows its sentence's travel word.
                goes_on = lo > s_lo and cue_set("routes", "leg_breaks").match_at(tokens, lo, hi) is not None \
                    and _moving(tokens, s_lo, s_hi)
                found = _clause_stops(text, tokens, starts, lo, hi, in_clause, by_id, moving=goes_on)
                scene = _scene(tokens, lo, hi, in_clause, by_id, found or ())
                if not found:
                    if scene is not None:
                        # "The boat sank off X": the travellers are at X now, taken on from there by whoever rescued them.
                        at, departed = (scene.place, passage.id, "unknown"), False
                        scene_at = at
                    continue
                if (scene is not None and not any(st.role == "origin" for st in found) and scene.token < found[0].token
                        and cue_set("routes", "from_scene").starts_in(tokens, scene.token, hi)):
                    found = [scene] + found  # "sank off X, and the survivors were taken to Y": X → Y
                span = (min(st.token for st in found), max(st.token for st in found))
                clause_mode = _mode(tokens, lo, hi, span)
                mode = clause_mode or _mode(tokens, s_lo, s_hi, span) or _mode(tokens, p_lo, p_hi, span)
                confidence = 0.9
                unplaced = unplaced_origin(tokens, lo, hi, found)
                if unplaced:
                    at = None  # the traveller left from somewhere the map cannot show
                    departed = False
                if cue_set("routes", "from_there").starts_in(tokens, lo, hi) and at is not None and found[0].role != "origin":
                    found = [Stop(at[0], "origin", lo)] + found
                    confidence = 0.8  # the start comes from an earlier sentence
                if at is not None and passage.id - at[1] <= 1:
                    found = [_within(st, at[0], by_id) for st in found]  # "From Israel he will travel …", told in Tel Aviv
                stops = inner_countries_dropped(_order(found), by_id)
                if stops is None:
                    ends = [st for st in found if st.role in ("destination", "diverted")]
                    # "arrived in Moscow, his first visit to Russia": the town is where the traveller is.
                    ends = [st for st in ends if not _contains(st.place, ends, by_id)] or ends
                    if ends and ends[-1].role == "diverted" and diverted_last(legs, ends[-1].place, passage.id, (s, e)):
                        # "The plane was diverted to X": told after the trip, it moves that trip's end.
                        at, departed = (ends[-1].place, passage.id, legs[-1].mode), False
                        continue
                    chain = at is not None and at[0] != ends[-1].place if ends else False
                    # Only a clause that says the journey goes on ("then", "ثم", "from there") continues it,
                    # or an arrival right after a departure told alone ("flew from X. He landed in Y").
                    told_on = bool(cue_set("routes", "sequence").starts_in(tokens, lo, hi) or sentence_opens(cue_set("routes", "sequence"), tokens, s_lo, lo))
                    # A pronoun for the traveller, in the paragraph where they arrived, also goes on from there.
                    same = at is not None and at[1] == passage.id and bool(cue_set("routes", "same_traveller").starts_in(tokens, s_lo, hi))
                    rescued = at is scene_at and bool(cue_set("routes", "from_scene").starts_in(tokens, s_lo, hi))
                    chain = chain and (told_on or same or rescued or (departed and at is not None and passage.id - at[1] <= 1))
                    if chain and by_id[at[0]].kind == "country" and at[1] != passage.id:
                        chain = False  # a country reached passages ago is too vague a start
                    if chain and by_id[at[0]].kind == "country" and by_id[at[0]].country == by_id[ends[-1].place].country:
                        chain = False  # reached the country, now told the town in it: the same stop, no new leg
                    if ends and at is not None and passage.id - at[1] <= 1 and _contains(ends[-1].place, [Stop(at[0], "", 0)], by_id):
                        continue  # "flew to Vienna, the first visit … to Austria": still in Vienna
                    if chain:
                        # One end told: the traveller goes on from where the story left them.
                        stops = [Stop(at[0], "origin", lo), ends[-1]]
                        mode = clause_mode or _mode(tokens, s_lo, s_hi, span) or "unknown"
                        confidence = 0.7
                    else:
                        # One end and nothing to chain from: the traveller is now there (or has left there).
                        origin = next((st for st in found if st.role == "origin"), None)
                        brought = _brought_here(tokens, lo, origin.token) if origin is not None and not ends and at is not None \
                            and at[0] != origin.place and not _has_year(tokens, lo, hi) else None
                        if (brought == "in" and passage.id - at[1] <= 1
                                or brought == "left" and (at[1] == passage.id or at is scene_at)):
                            # "swept into a car flown in from X", "they had set off from X": X → where the traveller
                            # has just arrived. A departure told with its own year ("had left X in 2019") is another trip.
                            legs.append(Leg([origin.place, at[0]], clause_mode or "unknown", find_when(tokens, text, s_lo, s_hi),
                                            [passage.id], [(s, e)], 0.7))
                            continue
                        came = None
                        if ends and origin is None and (clause_mode or _mode(tokens, s_lo, s_hi, span)) in ("train", "car"):
                            came = across_border(tokens, lo, hi, in_clause, ends[-1], by_id)
                        if came is not None:
                            # "arrived by train in X, on the border with Y": from across that border.
                            legs.append(Leg([came, ends[-1].place], clause_mode or _mode(tokens, s_lo, s_hi, span) or "unknown",
                                            find_when(tokens, text, s_lo, s_hi), [passage.id], [(s, e)], 0.7))
                            at, departed = (ends[-1].place, passage.id, legs[-1].mode), False
                            continue
                        here = origin or (ends[-1] if ends else None)
                        if here is not None:
                            at = (here.place, passage.id, mode or "unknown")
                            departed = origin is not None and not ends
                        continue
                mode = mode or (at[2] if at is not None and at[0] == stops[0].place else None) or "unknown"
                when = find_when(tokens, text, s_lo, s_hi)
                if not when:
                    if not passage_when:
                        passage_when.append(find_when(tokens, text, p_lo, p_hi))
                    when = passage_when[0]
                planned = any(cs.starts_in(tokens, s_lo if goes_on else lo, hi)
                              for cs in (cue_set("links", "status", "proposed"), cue_set("routes", "planned")))
                legs.append(Leg([st.place for st in stops], mode, when, [passage.id], [(s, e)], confidence,
                                 "proposed" if planned else "held"))
                at, departed = (stops[-1].place, passage.id, mode), False

    vehicle = _vehicle(tokens)
    for leg in legs:
        if leg.mode == "unknown" and vehicle:
            leg.mode = vehicle  # "… arrived in Irkutsk", told of a traveller the story puts on "his armoured train"
    merged = merge(legs)
    named_next(merged, mentions, m_starts, by_id)
    routes = []
    for leg in merged:
        stops = tuple(leg.stops)
        points = [drawn(by_id[pid], capital) for pid in stops]
        path, length, on_rail = route_path(points, leg.mode, rail)
        routes.append(
            Route(
                id="-".join(stops) + f"-{leg.mode}",
                mode=leg.mode,
                stops=stops,
                path=tuple(path),
                length_km=length,
                passages=tuple(sorted(set(leg.passages))),
                when=leg.when,
                on_rail=on_rail,
                evidence=tuple(sorted(set(leg.evidence))),
                confidence=leg.confidence,
                country_stops=tuple(pid for pid in stops if by_id[pid].kind == "country" or pid in leg.refined),
                status=leg.status,
            )
        )
    return tuple(routes)


def _moving(tokens: Sequence[Token], lo: int, hi: int) -> bool:
    """A travel or mode word in ``tokens[lo:hi]``."""
    return bool(cue_set("routes", "motion").starts_in(tokens, lo, hi)) or _mode(tokens, lo, hi, (lo, lo)) is not None


def _contains(pid: str, others: Sequence[Stop], by_id: dict[str, Place]) -> bool:
    """``pid`` is a country that holds one of ``others`` (a town or region of it)."""
    place = by_id[pid]
    return place.kind == "country" and any(
        o.place != pid and by_id[o.place].kind != "country" and by_id[o.place].country == place.country for o in others)


def _within(st: Stop, here: str, by_id: dict[str, Place]) -> Stop:
    """An origin given as the country the traveller is in stands for where in it they are: "From Israel …" said of
    a traveller who landed in Tel Aviv starts at Tel Aviv."""
    if st.role == "origin" and _contains(st.place, [Stop(here, "", 0)], by_id):
        return Stop(here, "origin", st.token)
    return st


def _scene(tokens: Sequence[Token], lo: int, hi: int, mentions: Sequence[Mention], by_id: dict[str, Place],
           taken: Sequence[Stop] = ()) -> Stop | None:
    """Where a clause telling of a sinking, wreck, crash or rescue at sea puts its travellers: the first place
    after the event word that no marker made a stop ("capsized off X", "غرق قارب قبالة X"); None when it tells
    of no such event."""
    events = cue_set("routes", "incident").starts_in(tokens, lo, hi)
    if not events:
        return None
    starts = {st.token for st in taken}
    for m in mentions:
        place = by_id.get(m.place)
        if place is None or m.adjectival or place.kind not in STOP_KINDS or m.start < tokens[events[0]].start:
            continue
        m_lo = next(i for i in range(lo, hi) if tokens[i].end > m.start)
        if m_lo not in starts:
            return Stop(m.place, "origin", m_lo)
    return None


def _brought_here(tokens: Sequence[Token], lo: int, m_lo: int) -> str | None:
    """The marker right before the mention at ``m_lo`` (fillers looked past) that brings its traveller to where the
    story has them: "in" for an "in from" marker ("flown in from", "had come from"), "left" for a departure told in
    the past perfect ("had set off from"); None for any other."""
    fillers = cue_set("routes", "fillers")
    j = m_lo - 1
    while j >= lo and fillers.match_at(tokens, j, j + 1):
        j -= 1
    if j < lo:
        return None
    if cue_set("routes", "arrived_here").match_ending_at(tokens, j, lo) is not None:
        return "in"
    return "left" if cue_set("routes", "left_for_here").match_ending_at(tokens, j, lo) is not None else None


def _has_year(tokens: Sequence[Token], lo: int, hi: int) -> bool:
    return any(len(t.text) == 4 and t.text.isdigit() and 1800 <= int(t.text) <= 2199 for t in tokens[lo:hi])


def _vehicle(tokens: Sequence[Token]) -> str | None:
    """The traveller's own vehicle named first in the story ("his armoured train", "طائرته الرئاسية"), if any."""
    found = [(hits[0][0], mode) for mode in ("train", "plane", "ship", "car")
             if (hits := cue_set("routes", "vehicle", mode).find(tokens, 0, len(tokens)))]
    return min(found)[1] if found else None


def route_path(stops: Sequence[Place], mode: str, rail: RailFn = rail_path) -> tuple[list[LatLon], float, bool]:
    """The drawn path through ``stops``, its length in km, and whether it follows the rail network.

    Trains go by rail when the network connects every stop; otherwise each leg is a great-circle arc.
    The path is unwrapped across the antimeridian, ready for Leaflet.
    """
    points = [p.location for p in stops]
    if mode == "train":
        routed = rail(points)
        if routed is not None:
            polyline, km = routed
            return unwrap(polyline), km, True
    path: list[LatLon] = []
    for a, b in zip(points, points[1:]):
        arc = great_circle(a, b)
        path.extend(arc if not path else arc[1:])
    length = sum(haversine_km(a, b) for a, b in zip(points, points[1:]))
    return unwrap(path), length, False


def _clause_stops(
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
    """The stops a clause gives roles to, in text order (see :func:`_order`), or None when it tells of no travel
    (``moving``: its sentence told the travel word already)."""
    if lo >= hi or not _stop_places(mentions, by_id):
        return None  # no stop: checked first, it is far cheaper than the cue scan
    if not moving and not _moving(tokens, lo, hi):
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
            continue  # "landed on a US government plane at X": whose plane, not where it went
        stops_at.append((m, m_lo, m_hi))
    # "from China's Lianyungang port", "من الصين ميناء …": a country right before one of its own towns
    # only says where the town is; the marker before the country belongs to the town.
    kept: list[tuple[Mention, int, int]] = []
    for k, (m, m_lo, m_hi) in enumerate(stops_at):
        nxt = stops_at[k + 1] if k + 1 < len(stops_at) else None
        place = by_id[m.place]
        if (nxt is not None and place.kind == "country" and nxt[1] - m_hi <= 0
                and by_id[nxt[0].place].kind != "country" and by_id[nxt[0].place].country == place.country):
            skippable.update(range(m_lo, m_hi))
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
        prev_hi = m_hi - 1
        if role is None:
            continue
        if cancelled(tokens, lo, m_lo):
            continue  # "instead of landing in X": not where the trip went
        if role == "via" and by_id[m.place].kind not in VIA_KINDS:
            continue
        found.append(Stop(m.place, role, m_lo))
    return [Stop(s.place, "origin" if s.role == "between" else s.role, s.token) for s in found]


def _attributive(tokens: Sequence[Token], lo: int, hi: int, m_lo: int, m_hi: int) -> bool:
    """An English place between "a"/"an" and a vehicle or service word ("a US government plane"): a modifier."""
    if m_lo - 1 < lo or tokens[m_lo - 1].arabic or not tokens[m_lo - 1].forms & {"a", "an"}:
        return False
    after = cue_set("routes", "attributive_after")
    return any(after.match_at(tokens, k, hi) for k in range(m_hi, min(hi, m_hi + 2)))


def _stop_places(mentions: Iterable[Mention], by_id: dict[str, Place]) -> set[str]:
    """The distinct places among ``mentions`` that may be a stop (the same test as :func:`_clause_stops`)."""
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
        if j in skippable or fillers.match_at(tokens, j, j + 1) or _describing(tokens, lo, j):
            looked_past.append(j)
            j -= 1
        elif (p := facility_in.match_ending_at(tokens, j, lo)) is not None:
            j -= len(p)  # "taken to a hospital in X", "إلى مستشفى في X": where the hospital is
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
    for k in [j] + looked_past[::-1]:
        if after_arrival.match_ending_at(tokens, k, lo):
            if any(arrival.match_at(tokens, a, k) for a in range(max(lo, k - reach), k)):
                return "destination"
    if j - 1 >= lo and cue_set("routes", "not_travel").match_ending_at(tokens, j - 1, lo):
        return None  # "ambassador to Kyiv"
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
    return None if best is None else best[1]


def _describing(tokens: Sequence[Token], lo: int, j: int) -> bool:
    """An English lower-case describing word after "the": "for the war-ravaged Gaza Strip"."""
    tok = tokens[j]
    return (not tok.arabic and tok.text.islower() and j - 1 >= lo and "the" in tokens[j - 1].forms
            and not cue_set("routes", "motion").match_at(tokens, j, j + 1))


def _order(found: list[Stop]) -> list[Stop] | None:
    """Travel order: the first origin, then the rest in text order, with trailing vias before the last destination.

    "from Paris to Hanoi via Dubai" → Paris, Dubai, Hanoi; "from Moscow via Kazan to Perm" keeps text order.
    """
    diverted = [s for s in found if s.role == "diverted"]
    if diverted:
        # "on its way from Athens to Vilnius … forced to land in Minsk": the trip ends where it landed.
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


def _mode(tokens: Sequence[Token], lo: int, hi: int, span: tuple[int, int]) -> str | None:
    """The mode whose cue word in ``tokens[lo:hi]`` is nearest to ``span`` (ties: the first in MODES order)."""
    best: tuple[int, int, str] | None = None
    for rank, mode in enumerate(("train", "plane", "car", "ship")):
        for a, b in cue_set("modes", mode).find(tokens, lo, hi):
            dist = max(span[0] - b, a - span[1], 0)
            if best is None or (dist, rank) < best[:2]:
                best = (dist, rank, mode)
    return None if best is None else best[2]

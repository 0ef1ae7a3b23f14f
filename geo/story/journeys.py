"""Routes told by an article: who travels from where to where, by what means, and when.

Each clause's stops and their roles come from :mod:`geo.story.stops`; a clause with two stops is a journey,
one with one end continues the traveller's journey in narrative order (:mod:`geo.story.legs`). The mode comes
from the nearest mode word in the clause, else its sentence, else its passage; the date from the first date
expression in the sentence, else the passage. Trains follow the curated rail network when it connects the stops; everything else (and a train
the network cannot route) is drawn as great-circle arcs.

The cue words live in ``data/cues.json``; the word matching they need is in :mod:`geo.story.lexicon`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from geo.core.document import Document
from geo.core.geometry import great_circle, haversine_km, unwrap
from geo.core.model import LatLon, Mention, Place, Route
from geo.story.chaining import (
    arrival_retold,
    brought_here,
    contains,
    has_year,
    out_and_back,
    own_vehicle,
    says_it_goes_on,
    split_at_stays,
    tells_plan,
    trips_apart,
    within,
)
from geo.story.legs import (
    CHAIN_PASSAGES,
    CapitalPointFn,
    Leg,
    Stop,
    across_border,
    arrived_at_dateline,
    dateline_place,
    diverted_last,
    drawn,
    fold_home_legs,
    home_of,
    inner_countries_dropped,
    merge,
    named_next,
    names_traveller,
    opening_town,
    opening_venue,
    told_before,
    unplaced_origin,
)
from geo.story.lexicon import (
    Token,
    clauses,
    cue_set,
    find_when,
    mentions_in,
    token_range,
)
from geo.story.rail import rail_path
from geo.story.stops import (
    clause_stops,
    mode_near,
    order_stops,
    scene_of,
    stop_places,
    tells_travel,
)

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
    told before it, in narrative order: "… flew to A. After a short drive, he arrived in
    B" is a second leg A → B; "from there" (ومن هناك) starts at the last stop
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
    # The ``at`` a planned leg set, and where the traveller really is: a trip told as done after a plan ("… a tour
    # that will take him to X. He flew on to X on Thursday") starts from the plan's start, not from its end.
    planned_at: tuple[tuple[str, int, str], tuple[str, int, str]] | None = None
    earlier: tuple[str, int, str] | None = None  # the last ``at`` dropped for distance
    # Where the journey under way started: the home of a traveller named by office and country, else its first origin
    # told. "before returning home" goes back there.
    start: str | None = None
    dateline = dateline_place(text, mentions, by_id)  # where wire copy is filed: where its arrivals happen
    for passage in passages:
        p_lo, p_hi = token_range(tokens, passage.start, passage.end, starts)
        if at is not None and passage.id - at[1] > CHAIN_PASSAGES:
            # Another part of the story: a later "arrived in" is not this journey; an explicit "from there" or
            # "then" a little further on still is (paragraphs of quotes between the arrival and the next leg).
            earlier, at, start = at, None, None
        passage_when: list[str] = []  # the passage's date, read once: per sentence it made one paragraph quadratic
        for s, e in doc.sentences_in(passage.start, passage.end):
            s_lo, s_hi = token_range(tokens, s, e, starts)
            if at is not None and by_id[at[0]].kind == "country" and passage.id - at[1] <= 1:
                # "… arrived in the Philippines. In Manila, he will sign …": the traveller is in that town of the country.
                town = opening_town(text, tokens, s_lo, s_hi, mentions, m_starts, by_id)
                if town is not None and by_id[town].country == by_id[at[0]].country:
                    at = (town, passage.id, at[2])
            # A journey needs a stop: a sentence without any candidate place needs no cue matching. Nor one without
            # a travel or mode word, a wreck or a release: each clause of it would find no stop and no scene.
            placed = s_hi > s_lo and bool(stop_places(mentions_in(mentions, m_starts, tokens[s_lo].start, tokens[s_hi - 1].end), by_id))
            reads = placed and (tells_travel(tokens, s_lo, s_hi) or any(
                cue_set("routes", kind).starts_in(tokens, s_lo, s_hi) for kind in ("incident", "release")))
            # Only a few clause breaks here: a journey often runs on past "حيث" ("…، حيث تستبدل العجلات، قبل أن يصل إلى …").
            legs_before = len(legs)  # a leg read from an earlier clause of this sentence has used its mode word
            for lo, hi in clauses(text, tokens, s_lo, s_hi, boundaries=cue_set("routes", "leg_breaks"),
                                  after_comma=cue_set("routes", "boundaries_after_comma"),
                                  relative=cue_set("routes", "relative")) if reads else ():
                c_start, c_end = tokens[lo].start, tokens[hi - 1].end
                in_clause = mentions_in(mentions, m_starts, c_start, c_end)
                # "… to Amman and then to Riyadh": a clause that only goes on borrows its sentence's travel word.
                goes_on = lo > s_lo and cue_set("routes", "goes_on").match_at(tokens, lo, hi) is not None \
                    and tells_travel(tokens, s_lo, s_hi)
                # "From Manila, the minister will travel on to …": the opening origin borrows the travel word of the words
                # after it, up to the next comma ("From Paris, the reaction was swift, and officials travelled …" borrows none).
                goes_on = goes_on or (lo == s_lo and hi < s_hi and not tokens[lo].arabic
                                      and cue_set("routes", "opening_from").match_at(tokens, lo, hi) is not None
                                      and tells_travel(tokens, hi, _next_comma(text, tokens, hi, s_hi)))
                found = clause_stops(text, tokens, starts, lo, hi, in_clause, by_id, moving=goes_on)
                from_home = ""  # the traveller's home, when the leg starts there
                scene = scene_of(tokens, lo, hi, in_clause, by_id, found or ())
                if scene is None and (found or at is None):
                    # A release places the freed like an incident, but only for a trip told in its clause or before the
                    # story has put them anywhere: it is often told after the arrival it led to.
                    scene = scene_of(tokens, lo, hi, in_clause, by_id, found or (), "release")
                if not found:
                    if scene is not None:
                        if departed and at is not None and passage.id - at[1] <= 1 and at[0] != scene.place:
                            # "The boat left X on Monday. It capsized off Y": the voyage told so far ends at the scene.
                            legs.append(Leg([at[0], scene.place], at[2], find_when(tokens, text, s_lo, s_hi),
                                            [passage.id], [(s, e)], 0.7, to_scene=True))
                        # "The boat sank off X": the travellers are at X now, taken on from there by whoever rescued them.
                        at, departed = (scene.place, passage.id, "unknown"), False
                        scene_at = at
                    continue
                if (scene is not None and not any(st.role == "origin" for st in found) and scene.token < found[0].token
                        and cue_set("routes", "from_scene").starts_in(tokens, scene.token, hi)):
                    found = [scene] + found  # "sank off X, and the survivors were taken to Y": X → Y
                span = (min(st.token for st in found), max(st.token for st in found))
                clause_mode = mode_near(tokens, lo, hi, span)
                mode = clause_mode or mode_near(tokens, s_lo, s_hi, span) or mode_near(tokens, p_lo, p_hi, span)
                confidence = 0.9
                unplaced = unplaced_origin(tokens, lo, hi, found)
                if unplaced:
                    at = None  # the traveller left from somewhere the map cannot show
                    departed = False
                # A clause with a travel verb of its own after a leg read from this sentence ("… landed at X by plane,
                # and then went to Y") tells a new leg: the mode word was that leg's ("and then to Y" borrows it).
                own_verb = legs_before < len(legs) and bool(cue_set("routes", "motion").starts_in(tokens, lo, hi))
                told_from = at or (earlier if earlier is not None and passage.id - earlier[1] <= 2 * CHAIN_PASSAGES else None)
                from_there = cue_set("routes", "from_there").starts_in(tokens, lo, hi) and not cue_set("routes", "not_from_there").starts_in(tokens, lo, hi)
                if from_there and told_from is not None and found[0].role != "origin":
                    found = [Stop(told_from[0], "origin", lo)] + found
                    confidence = 0.8  # the start comes from an earlier sentence
                    mode = clause_mode or (None if own_verb else mode_near(tokens, s_lo, s_hi, span))
                elif (departed and at is not None and at[1] == passage.id and len(found) > 1
                      and all(st.role != "origin" for st in found) and found[0].place != at[0]):
                    # "From Manila, the minister will travel on to Jakarta, before ending the trip in Hanoi": the
                    # departure told just before starts the legs this clause tells.
                    found = [Stop(at[0], "origin", lo)] + found
                elif ((at is None or by_id[at[0]].kind == "country" and at[1] != passage.id)  # a country told before: too vague
                      and dateline is not None and found[0].role == "destination" and found[0].place != dateline
                      and any(leg.stops[-1] == dateline for leg in legs) and cue_set("routes", "onward").starts_in(tokens, lo, hi)):
                    # "SAMARKAND (AFP) - … flew to Samarkand … [paragraphs later] She will travel on to Astana": whoever
                    # the story brought to the dateline's town goes on from there.
                    found = [Stop(dateline, "origin", lo)] + found
                    confidence = 0.6
                if at is not None and passage.id - at[1] <= 1:
                    found = [within(st, at[0], by_id) for st in found]  # "From Israel he will travel …", told in Tel Aviv
                stops = inner_countries_dropped(order_stops(found), by_id)
                if stops is not None and trips_apart(tokens, text, found):
                    at, departed = (stops[-1].place, passage.id, mode or "unknown"), False
                    continue  # "travelled to X last year and visited Y in 2023": two trips, no line between them
                planned = tells_plan(tokens, s_lo if goes_on else lo, hi)
                if planned_at is not None and at is planned_at[0] and not planned:
                    at = planned_at[1]
                if stops is None:
                    ends = [st for st in found if st.role in ("destination", "diverted")]
                    # "arrived in Moscow, his first visit to Russia": the town is where the traveller is.
                    towns_in = {by_id[st.place].country for st in ends if by_id[st.place].kind != "country"}
                    ends = [st for st in ends if not (by_id[st.place].kind == "country" and by_id[st.place].country in towns_in)] or ends
                    if ends and ends[-1].role == "diverted" and diverted_last(legs, ends[-1].place, passage.id, (s, e)):
                        # "The plane was diverted to X": told after the trip, it moves that trip's end.
                        at, departed = (ends[-1].place, passage.id, legs[-1].mode), False
                        continue
                    chain = at is not None and at[0] != ends[-1].place if ends else False
                    # "is expected to travel to X after attending the summit in Y": the clause says where the trip starts.
                    after = next((k for k in range(ends[-1].token + 1, hi) if cue_set("routes", "opening_after").match_at(tokens, k, hi)),
                                 None) if ends and not any(st.role == "origin" for st in found) else None
                    venue = opening_venue(tokens, after, hi, mentions, m_starts, by_id) if after is not None else None
                    if venue is not None and venue != ends[-1].place:
                        at, chain = (venue, passage.id, "unknown"), True
                    # Only a clause that says the journey goes on ("then", "ثم", "from there") continues it,
                    # or an arrival right after a departure told alone ("flew from X. He landed in Y").
                    told_on = says_it_goes_on(tokens, s_lo, lo, hi, ends[-1].token if ends else hi)
                    # A pronoun for the traveller, in the paragraph where they arrived, also goes on from there.
                    same = at is not None and at[1] == passage.id and bool(cue_set("routes", "same_traveller").starts_in(tokens, s_lo, hi))
                    rescued = at is scene_at and bool(cue_set("routes", "from_scene").starts_in(tokens, s_lo, hi))
                    chain = chain and (told_on or same or rescued or (departed and at is not None and passage.id - at[1] <= 1))
                    if chain and by_id[at[0]].kind == "country" and at[1] != passage.id:
                        chain = False  # a country reached passages ago is too vague a start
                    if chain and at[1] != passage.id and told_before(tokens, lo, hi):
                        chain = False  # "… taken to X. [¶] Many had crossed the Sahara before reaching Y": an earlier trip
                    if chain and by_id[at[0]].kind == "country" and by_id[at[0]].country == by_id[ends[-1].place].country:
                        chain = False  # reached the country, now told the town in it: the same stop, no new leg
                    if ends and at is not None and passage.id - at[1] <= 1 and contains(ends[-1].place, [Stop(at[0], "", 0)], by_id):
                        continue  # "flew to Vienna, the first visit … to Austria": still in Vienna
                    if chain and arrival_retold(tokens, lo, hi, by_id[at[0]], by_id[ends[-1].place]):
                        continue  # "لدى وصوله إلى مطار أورلي": the arrival in Paris told again, at its airport
                    if not chain and ends and not any(st.role == "origin" for st in found):
                        # "After meeting Xi in Beijing, Putin flew to Pyongyang": the sentence put him in Beijing first.
                        venue = opening_venue(tokens, s_lo, ends[-1].token, mentions, m_starts, by_id)
                        if venue is not None and venue != ends[-1].place:
                            at, chain = (venue, passage.id, "unknown"), True
                    if chain:
                        # One end told: the traveller goes on from where the story left them.
                        stops = [Stop(at[0], "origin", lo), ends[-1]]
                        mode = clause_mode or (None if own_verb else mode_near(tokens, s_lo, s_hi, span)) or "unknown"
                        confidence = 0.7
                    else:
                        # One end and nothing to chain from: the traveller is now there (or has left there).
                        origin = next((st for st in found if st.role == "origin"), None)
                        brought = brought_here(tokens, lo, origin.token) if origin is not None and not ends and at is not None \
                            and at[0] != origin.place and not has_year(tokens, lo, hi) else None
                        if (brought == "in" and passage.id - at[1] <= 1
                                or brought == "left" and (at[1] == passage.id or at is scene_at)):
                            # "swept into a car flown in from X", "they had set off from X": X → where the traveller
                            # has just arrived. A departure told with its own year ("had left X in 2019") is another trip.
                            legs.append(Leg([origin.place, at[0]], clause_mode or "unknown", find_when(tokens, text, s_lo, s_hi),
                                            [passage.id], [(s, e)], 0.7))
                            continue
                        arrivals = [st for st in found if st.role == "origin" and arrived_at_dateline(tokens, lo, st.token)
                                    and st.place != dateline and not contains(st.place, [Stop(dateline, "", 0)], by_id)
                                    and names_traveller(text, tokens, lo, st.token)] \
                            if not ends and (at is None or at[0] == dateline) and dateline is not None else []
                        for st in arrivals:
                            # "SAMARKAND (AFP) - … X flew in from Astana, and Y arrived from Bishkek": each -> the dateline's town.
                            legs.append(Leg([st.place, dateline], mode_near(tokens, lo, hi, (st.token, st.token)) or "unknown",
                                            find_when(tokens, text, s_lo, s_hi), [passage.id], [(s, e)], 0.6,
                                            "proposed" if planned else "held"))
                            at, departed = (dateline, passage.id, legs[-1].mode), False
                        if arrivals:
                            continue
                        came = None
                        if ends and origin is None and (clause_mode or mode_near(tokens, s_lo, s_hi, span)) in ("train", "car"):
                            came = across_border(tokens, lo, hi, in_clause, ends[-1], by_id)
                        if came is not None:
                            # "arrived by train in X, on the border with Y": from across that border.
                            legs.append(Leg([came, ends[-1].place], clause_mode or mode_near(tokens, s_lo, s_hi, span) or "unknown",
                                            find_when(tokens, text, s_lo, s_hi), [passage.id], [(s, e)], 0.7))
                            at, departed = (ends[-1].place, passage.id, legs[-1].mode), False
                            continue
                        # "Spanish Foreign Minister X said he would travel to Brussels": from the traveller's country.
                        home = home_of(tokens, s_lo, ends[-1].token, mentions, m_starts, by_id) if ends and origin is None and at is None else None
                        if home is None or by_id[home].country == by_id[ends[-1].place].country:
                            here = origin or (ends[-1] if ends else None)
                            if here is not None:
                                at = (here.place, passage.id, mode or "unknown")
                                departed = origin is not None and not ends
                                if scene_at is not None and here.place == scene_at[0] and ends:
                                    scene_at = at  # "rescued them and brought them to X", X the scene: still the survivors
                            continue
                        stops = [Stop(home, "origin", lo), ends[-1]]
                        mode = clause_mode or mode_near(tokens, s_lo, s_hi, span) or "unknown"
                        confidence = 0.6
                        from_home = home
                wrecked = (at is not None and at is scene_at and passage.id - at[1] <= 1 and stops[-1].place != at[0]
                           and told_before(tokens, lo, hi))
                if wrecked:
                    # "… capsized off X. [¶] The boat had left Y bound for Z": that trip ended at the wreck, Z was its aim.
                    stops = [stops[0], Stop(at[0], "destination", lo)]
                mode = mode or (at[2] if at is not None and at[0] == stops[0].place and not own_verb else None) or "unknown"
                when = find_when(tokens, text, s_lo, s_hi)
                if not when:
                    if not passage_when:
                        passage_when.append(find_when(tokens, text, p_lo, p_hi))
                    when = passage_when[0]
                if at is None or from_home:
                    start = stops[0].place  # a journey starts here, or from the traveller's home
                for n, part in enumerate(split_at_stays(stops)):
                    legs.append(Leg([st.place for st in part], mode, when, [passage.id], [(s, e)], confidence,
                                     "proposed" if planned else "held", home=from_home if n == 0 else ""))
                if wrecked:
                    continue  # the travellers are still at the wreck, for whoever rescues them
                at, departed = (stops[-1].place, passage.id, mode), False
                # Before a planned trip the traveller is at its start.
                planned_at = (at, (stops[0].place, passage.id, mode)) if planned else None
            back = cue_set("routes", "return_home").starts_in(tokens, s_lo, s_hi) if s_hi > s_lo else []
            if back and at is not None and start is not None and at[0] != start and passage.id - at[1] <= CHAIN_PASSAGES:
                # "… then fly to Amman before returning home": from where the traveller is back to where the journey began.
                planned = tells_plan(tokens, s_lo, s_hi)
                mode = mode_near(tokens, s_lo, s_hi, (back[0], back[0])) or "unknown"
                legs.append(Leg([at[0], start], mode, find_when(tokens, text, back[0], s_hi), [passage.id], [(s, e)], 0.6,
                                "proposed" if planned else "held", home=start))
                at, departed, start = (start, passage.id, mode), False, None

    vehicle = own_vehicle(tokens)
    for leg in legs:
        if leg.mode == "unknown" and vehicle:
            leg.mode = vehicle  # "… arrived in Irkutsk", told of a traveller the story puts on "his armoured train"
    merged = out_and_back(merge(legs), by_id)
    named_next(merged, mentions, m_starts, by_id)
    merged = [leg for leg in merged
              if not (leg.to_scene and any(o is not leg and o.stops[0] == leg.stops[0] for o in merged))]
    merged = fold_home_legs(merged, by_id)
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


def _next_comma(text: str, tokens: Sequence[Token], lo: int, hi: int) -> int:
    """The first token after ``lo`` that follows a comma, else ``hi``."""
    return next((k for k in range(lo + 1, hi) if "," in text[tokens[k - 1].end:tokens[k].start]), hi)


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

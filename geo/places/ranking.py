"""Resolution: one reading per matched name, in the context of the article's other places.

Each candidate gets a score: its prior (population, capital, country, curation), plus the countries and
first-level divisions the article names elsewhere ("Athens" in an article naming Georgia is Athens, GA), and
the qualifier written after it ("Nelson, B.C."). Names that are only words or people here are dropped.
Every kept reading carries its best candidates with their scores and a calibrated confidence
(``geo.places.calibration``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from geo.core.document import Document
from geo.core.geometry import haversine_km
from geo.core.text import name_key
from geo.places import calibration
from geo.places.entry import Entry, SmallTown, is_minor, prior, slug
from geo.places.gazetteer import Gazetteer
from geo.places.readings import Match, Resolved

TOP = 3  # candidates kept per place
LOCAL_BONUS = 1.5  # log10 population: a town of the article's state beats a namesake ~30 times its size
FOCUS_NAMES = 2  # distinct names in one division that make it the article's focus
ALTERNATE_PENALTY = 1.0  # log10 population: a city matched by an alternate Latin name against one matched by its own
STRAY_TOWN = 200_000  # below this a town abroad alone in an Arabic article about one other country is a namesake


def _town_entry(t: SmallTown) -> Entry:
    name, lat, lon, cc, a1, pop, gid = t
    if pop < 0:  # a county: no point of its own
        return Entry(slug(f"{name} {a1}"), f"{name}, {a1}", "", "region", lat, lon, cc, 0, False, "geonames", "", a1)
    return Entry(slug(name), name, "", "city", lat, lon, cc, pop, False, "geonames", str(gid), a1)


def resolve(matches: Sequence[Match], gaz: Gazetteer, doc: Document) -> list[Resolved]:
    """Choose one entry per match, using the countries and divisions named elsewhere in the article.

    A weak match (common word, English sentence-initial capital) counts only with a locative cue before it
    or its country named elsewhere; a small town only with a qualifier or after a cue in a division the
    article names. Adjectives ("the Russian president") are mentions of their country, flagged ``adjectival``.
    """
    english = bool(doc.text) and doc.language == "en"
    keys = {id(m): name_key(m.text) for m in matches}
    naming: dict[str, set[str]] = {}  # country → keys of the names that name it (countries, divisions, qualifiers)
    divisions: dict[tuple[str, str], set[str]] = {}
    for m in matches:
        if english and not m.person and not m.candidates and m.towns and m.towns[0][5] < 0 and len({t[4] for t in m.towns}) == 1:
            # A county found in one state only (McMinn County): the article is about that state.
            divisions.setdefault((m.towns[0][3], m.towns[0][4]), set()).add(keys[id(m)])
            naming.setdefault(m.towns[0][3], set()).add(keys[id(m)])
        if m.person or not m.candidates:
            continue
        top = gaz.entries[m.candidates[0]]
        own = keys[id(m)]
        if top.kind == "country" and not m.weak:
            naming.setdefault(top.country, set()).add(own)
        elif top.kind == "region" and top.admin1 and len(m.candidates) == 1:
            divisions.setdefault((top.country, top.admin1), set()).add(own)
            naming.setdefault(top.country, set()).add(own)
        elif top.kind in ("region", "water") and top.source == "curated" and top.country and len(m.candidates) == 1:
            naming.setdefault(top.country, set()).add(own)  # Queensland: the article is about Australia
        elif english and top.kind == "city" and not m.weak and not m.strict:
            # A name all of whose readings lie in one country (Chicago, Sacramento) puts the article there.
            countries = {gaz.entries[j].country for j in m.candidates} | {t[3] for t in m.towns}
            if len(countries) == 1:
                naming.setdefault(top.country, set()).add(own)
                # ... and one state too (McMinn County, Chattanooga): the article is about that state.
                states = {(gaz.entries[j].country, gaz.entries[j].admin1) for j in m.candidates} | {(t[3], t[4]) for t in m.towns}
                if len(states) == 1 and top.admin1:
                    divisions.setdefault(next(iter(states)), set()).add(own)

        if m.qualifier:
            naming.setdefault(m.qualifier[0], set()).add(own + "@")
            if len(m.qualifier) == 2:
                divisions.setdefault(m.qualifier, set()).add(own + "@")
    # A name seen as part of a person's name ("Sen. Clinton", "Kim Jong Un") is that person elsewhere too.
    persons = {keys[id(m)] for m in matches if m.person}
    # So is a town's name run into a capitalised word ("Jane Tillamook"). A country, state or capital run into one is as
    # often a body named after it ("Georgia Power", "Paris Dance Academy"): that mention is left out, the others
    # stay the place unless a real person's name marks the word ("Jordan Peterson": ``m.person`` above).
    persons |= {
        keys[id(m)]
        for m in matches
        if m.name_like and m.candidates and is_minor(gaz.entries[m.candidates[0]])
        and not m.qualifier
    }
    counts = Counter(keys.values())
    told_in = {} if english else _country_after(matches, gaz)
    first = _pass(matches, gaz, doc, keys, naming, divisions, persons, counts, english, told_in)
    # Second pass: the division most of the article's other places lie in is its focus, as a named one would
    # be ("Madison" in an article whose other towns are in Georgia is Madison, GA): local news keeps to a state.
    votes: dict[tuple[str, str], set[str]] = {}
    for r in first:
        if r.entry.admin1 and r.entry.kind in ("city", "region"):
            votes.setdefault((r.entry.country, r.entry.admin1), set()).add(keys[id(r.match)])
    if not votes:
        return _strays_dropped(first, naming, english)
    # Only a focus that adds names to what the article already names can change a reading.
    focused = {d: divisions.get(d, set()) | ks for d, ks in votes.items() if _is_focus(d, votes) and not ks <= divisions.get(d, set())}
    if not focused:
        return _strays_dropped(first, naming, english)
    return _strays_dropped(
        _pass(matches, gaz, doc, keys, naming, {**divisions, **focused}, persons, counts, english, told_in), naming, english)


def _strays_dropped(resolved: list[Resolved], naming: dict[str, set[str]], english: bool) -> list[Resolved]:
    """Arabic news keeps to the countries it is about: a small town abroad, the only place of its country, in an
    article whose other places (two or more) all lie in one other country and that never names the town's country,
    is a namesake found for a village the gazetteer lacks (قرية تونا الجبل in a Minya story is no Altoona, Iowa)."""
    if english:
        return resolved
    places: dict[str, set[str]] = {}
    for r in resolved:
        if r.entry.country:
            places.setdefault(r.entry.country, set()).add(r.entry.id)
    if len(places) != 2:
        return resolved
    stray = {cc for cc, ids in places.items() if len(ids) == 1 and cc not in naming}
    home = [cc for cc in places if cc not in stray]
    if len(stray) != 1 or len(home) != 1 or len(places[home[0]]) < 2:
        return resolved
    return [r for r in resolved if not (r.entry.country in stray and is_minor(r.entry) and r.entry.population < STRAY_TOWN)]


def _country_after(matches: Sequence[Match], gaz: Gazetteer) -> dict[int, str]:
    """The country named right after each match (by ``id``): "طرابلس شمالي لبنان", "طرابلس اللبنانية"."""
    out: dict[int, str] = {}
    ordered = sorted(matches, key=lambda m: m.start)
    for m, nxt in zip(ordered, ordered[1:]):
        if nxt.candidates and 0 < nxt.start - m.end <= COUNTRY_AFTER_CHARS:
            top = gaz.entries[nxt.candidates[0]]
            if top.kind == "country":
                out[id(m)] = top.country
    return out


COUNTRY_AFTER_CHARS = 12  # characters between a town and the country named after it ("طرابلس شمالي لبنان")


def _is_focus(d: tuple[str, str], votes: dict[tuple[str, str], set[str]]) -> bool:
    """A division is the article's focus when at least two of its names lie there and more than in any other."""
    n = len(votes[d])
    return n >= FOCUS_NAMES and all(len(ks) < n for o, ks in votes.items() if o != d)


def _pass(
    matches: Sequence[Match],
    gaz: Gazetteer,
    doc: Document,
    keys: dict[int, str],
    naming: dict[str, set[str]],
    divisions: dict[tuple[str, str], set[str]],
    persons: set[str],
    counts: Counter[str],
    english: bool,
    told_in: dict[int, str],
) -> list[Resolved]:
    """One reading per match given what the article names (countries, divisions) besides the match itself;
    ``told_in`` the country named right after a match (by ``id``), in an Arabic article."""
    context: dict[str, tuple[set[str], set[tuple[str, str]], dict[tuple[str, str], int]]] = {}
    # A name repeated in the article is scored once: the score depends on its readings and its context only.
    # (``m.towns`` by id: the matches, and so those tuples, live through the pass.)
    scores: dict[tuple[str, tuple[int, ...], int, str], list[tuple[float, Entry]]] = {}
    out: list[Resolved] = []
    for m in matches:
        own = keys[id(m)]
        if m.person or not m.cue and own in persons:
            continue
        if own not in context:  # what the rest of the article names, without this name itself
            # (len(ks) - (own in ks) is len(ks - {own}) without building the set.)
            context[own] = (
                {cc for cc, ks in naming.items() if len(ks) > 1 or own not in ks},
                {d for d, ks in divisions.items() if len(ks) > 1 or own not in ks},
                # divisions the article keeps naming, with how many names (besides this one) it gives each
                {d: n for d, ks in divisions.items() if (n := len(ks) - (own in ks)) >= 2},
            )
        named, in_divisions, local = context[own]
        reading = (own, m.candidates, id(m.towns), told_in.get(id(m), ""))
        if reading not in scores:
            scores[reading] = _score(m, gaz, named, in_divisions, local, english, reading[3])
        scored = scores[reading]
        if not scored:
            continue
        best_score, entry = scored[0]
        if entry.source == "geonames" and entry.population < 15000 and entry.kind == "city" and not m.qualifier:
            # A small town counts after a cue in a division (or a country other than the US) the article names,
            # or where it outranked a bigger namesake in a division the article keeps naming (the name is a place
            # either way; the article's state says which).
            near = (entry.country, entry.admin1) in in_divisions or entry.country in named and entry.country != "US"
            outranked = bool(m.candidates) and (entry.country, entry.admin1) in local
            if not outranked and (not (m.cue == "strong" and near) or m.weak or own in gaz.given_names):
                continue
        if not english and not m.cue and is_minor(entry) and entry.population < 200_000 and entry.country not in named:
            continue  # Arabic news names a small town with a cue or its country; alone, the word is a name or a noun
        if m.strict and m.cue != "strong":
            continue
        if m.noun_name and not (m.place_noun or entry.country in named):
            continue  # a common noun after a cue word is still a noun unless a place noun or its country says otherwise
        if not m.cue and m.name_like and m.candidates and (is_minor(entry) or own in gaz.person_names) and not m.qualifier:
            continue
        weak = m.weak or doc.in_headline(m.start) and entry.kind != "country"
        if weak and not (m.cue or not english and entry.country in named and entry.kind != "country"):
            continue
        margin = best_score - scored[1][0] if len(scored) > 1 else 6.0
        features = calibration.features(m, entry, margin, entry.country in named, counts[own], english)
        out.append(Resolved(m, entry, calibration.probability(features), tuple((e, round(sc, 3)) for sc, e in scored[:TOP]), features))
    return _place_counties(out)


def _place_counties(resolved: list[Resolved]) -> list[Resolved]:
    """A county sits at the mean point of the article's towns in its state (local news names its towns), else its state's."""
    towns: dict[tuple[str, str], list[Entry]] = {}
    for r in resolved:
        if r.entry.kind == "city" and r.entry.admin1:
            towns.setdefault((r.entry.country, r.entry.admin1), []).append(r.entry)
    out = []
    for r in resolved:
        e = r.entry
        near = towns.get((e.country, e.admin1)) if e.kind == "region" and e.source == "geonames" and not e.source_id else None
        if near:
            lat, lon = sum(t.lat for t in near) / len(near), sum(t.lon for t in near) / len(near)
            r = replace(r, entry=replace(e, lat=round(lat, 4), lon=round(lon, 4)))
        out.append(r)
    return out


def _score(
    m: Match, gaz: Gazetteer, named: set[str], in_divisions: set[tuple[str, str]], local: dict[tuple[str, str], int],
    english: bool = True, told_in: str = "",
) -> list[tuple[float, Entry]]:
    """Candidates with their scores, best first (small towns become entries only when among the best). Of two
    equal scores the one in the division the article names more often comes first (Montgomery County of the
    state whose towns the article lists, not of the state one qualifier names)."""
    main = [gaz.entries[i] for i in m.candidates]
    country_score = max((prior(e) for e in main if e.kind == "country"), default=None)
    name_countries = {e.country for e in main if e.kind == "country"}
    division_countries = {d[0] for d in in_divisions}
    divisions = in_divisions if country_score is None else local
    # The capital of a country the article names keeps its name against towns of the article's own region.
    capital_named = any(e.capital and e.country in named for e in main)
    # Arabic news spells a foreign town in its own words mostly when it is a capital: باريس، موسكو named in an
    # article that also names the US are still Paris and Moscow, not the US towns GeoNames gives those spellings.
    capital_of = {e.country for e in main if e.capital and e.kind == "city"} if not english else set()
    scored: list[tuple[float, int, int, Entry | tuple]] = []

    def add(s: float, kind: str, cc: str, a1: str, item: Entry | tuple) -> None:
        if kind == "region" and a1 and country_score is not None:
            # Georgia the state or the country: the state only where the article names other divisions of its country.
            s = country_score - 1 + (4 if cc in division_countries else 0)
        elif kind != "country" and cc in name_countries and (cc, a1) not in local:
            pass  # a country's name (Mexico) means the country, not its cities, unless the article keeps to their state
        else:
            if kind != "country" and cc in named and not (
                capital_of and cc not in capital_of and (cc, a1) not in divisions and cc != told_in
            ):  # (a town followed by its country, "طرابلس شمالي لبنان", is that country's)
                s += 4.0
            if a1 and (cc, a1) in divisions and kind in ("city", "region"):
                s += 2.5
                if (cc, a1) in local and not capital_named:
                    s += LOCAL_BONUS  # a division the article keeps naming outweighs a namesake's population
        scored.append((s, -local.get((cc, a1), 0), len(scored), item))

    # A Latin name that is another place's own name beats it as an alternate one (Augusta, Sicily or Georgia over
    # Augsburg, once "Augusta"): by a factor of ten in population. A name inside the own name (a town listed as "X
    # Town", matched as "X") is no alternate.
    key = name_key(m.text) if m.text[:1].isascii() else ""
    for e in main:
        alternate = key and e.kind == "city" and e.source == "geonames" and key not in name_key(e.name)
        add(prior(e) - (ALTERNATE_PENALTY if alternate else 0.0), e.kind, e.country, e.admin1, e)
    # Beside bigger namesakes a small town can only win with its country named: skip the others unscored.
    towns = m.towns[:20] if not main else [t for t in m.towns[:20] if t[3] in named]
    for t in towns:
        pop = t[5]
        add(1.0 if pop < 0 else math.log10(pop + 10) - 1, "region" if pop < 0 else "city", t[3], t[4], t)
    scored.sort(key=lambda x: (-x[0], x[1], x[2]))
    out = [(sc, item if isinstance(item, Entry) else _town_entry(item)) for sc, _, _, item in scored[: max(TOP, 2)]]
    return _own_name_first(out, name_key(m.text))


SAME_PLACE_KM = 30.0  # two GeoNames entries of one country this close, one named as the text names it: one city


def _own_name_first(scored: list[tuple[float, Entry]], key: str) -> list[tuple[float, Entry]]:
    """GeoNames lists some cities twice, once under a quarter's name that carries the city's name as an alternate (and
    its population): "Visakhapatnam" then reads as the entry called so, not as "Rasapūdipalem" beside it."""
    if len(scored) < 2 or name_key(scored[0][1].name) == key:
        return scored
    top = scored[0][1]
    for k, (_, e) in enumerate(scored[1:], 1):
        if (name_key(e.name) == key and e.kind == top.kind and e.country == top.country
                and haversine_km((e.lat, e.lon), (top.lat, top.lon)) <= SAME_PLACE_KM):
            return [(scored[0][0], e)] + [x for j, x in enumerate(scored) if j != k]
    return scored

"""The whole pipeline: article text → passages → mentions → places (cache, gazetteer, Nominatim) → story.

``analyse`` is what the CLI, the page and the export call. It reads the cache and the gazetteer; it
touches the network only through an ``OnlineGeocoder`` the caller passes, and writes the cache only then.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from geo.core.document import Document
from geo.core.errors import GeocoderError
from geo.core.geometry import haversine_km
from geo.core.model import Candidate, Mention, Place, Story
from geo.core.spans import Spans
from geo.core.text import Visible, ar_key, has_arabic, name_key, normalise_ar
from geo.places import cache as cache_mod
from geo.places import gazetteer as gaz_mod
from geo.places.entry import Entry, slug
from geo.places.gazetteer import Gazetteer
from geo.places.matching import Resolved, find_matches, resolve
from geo.places.scan import built
from geo.places.search import entry_place
from geo.story.actors import find_actor_mentions
from geo.story.journeys import find_routes
from geo.story.relations import find_links, link_id
from geo.story.sites import travel_sites

if TYPE_CHECKING:
    from geo.places.geocode import OnlineGeocoder

Progress = Callable[[str], None]


@dataclass
class GeocodeReport:
    """What the online step did, for the user: looked up, found, failed (with reasons)."""

    looked_up: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    cache_note: str = ""


def analyse(
    text: str,
    title: str = "",
    *,
    gazetteer: Gazetteer | None = None,
    cache_path: Path | None = None,
    geocoder: OnlineGeocoder | None = None,
    progress: Progress | None = None,
    report: GeocodeReport | None = None,
) -> Story:
    """Turn article text into a ``Story``: passages, resolved places with mentions, routes and links."""
    gaz = gazetteer or gaz_mod.load()
    doc = Document.read(text, title)
    lang = doc.language
    passage_at = doc.passage_at
    resolved = _matched(doc, gaz)

    places: dict[str, Place] = {}
    mentions: list[Mention] = []
    ids: dict[str, str] = {}  # entry identity → place id, keeping ids unique within the story

    def place_id(e: Entry) -> str:
        ident = f"{e.source}:{e.source_id}:{e.name}"
        if ident not in ids:
            pid = e.id
            if pid in ids.values():
                pid = f"{e.id}-{e.country.lower() or e.kind}"
            ids[ident] = pid
        return ids[ident]

    for r in resolved:
        pid = place_id(r.entry)
        if pid not in places or r.confidence > places[pid].confidence:
            places[pid] = _place(pid, r)  # a place is as sure as its surest mention
        m = r.match
        mentions.append(Mention(pid, passage_at(m.start), m.start, m.end, m.text, m.adjectival, r.confidence))

    # Names the gazetteer does not know: the cache (earlier online lookups), then Nominatim if allowed.
    unresolved: list[str] = []
    report = report if report is not None else GeocodeReport()
    covered = {(r.match.start, r.match.end) for r in resolved}
    unknown = unknown_names(text, covered, gaz)
    if unknown:
        user, note = cache_mod.load_or_recover(cache_path) if cache_path else ({}, "")
        cached = {**cache_mod.embedded(), **user}
        report.cache_note = note
        new_rows = []
        for key, (name, spans) in unknown.items():
            row = cached.get(key)
            if row is None and geocoder is not None:
                if progress:
                    progress(f"Looking up {name} online…")
                report.looked_up.append(name)
                try:
                    row = geocoder.lookup(key, name, lang)
                except GeocoderError as err:
                    report.failed[name] = str(err)
                if row is not None:
                    new_rows.append(row)
                    report.found.append(name)
            if row is None:
                unresolved.append(name)
                continue
            pid = slug(row.name)
            if pid in places and places[pid].source != row.source:
                pid = f"{pid}-{row.country.lower() or row.kind}"
            places.setdefault(
                pid, Place(pid, row.name, row.name_ar, row.kind, row.lat, row.lon, row.country, row.source, row.source_id, 0.8)
            )
            for s, e in _all_occurrences(text, name, spans, covered):
                mentions.append(Mention(pid, passage_at(s), s, e, text[s:e]))
        if new_rows and cache_path:
            cache_mod.upsert(cache_path, new_rows)

    mentions.sort(key=lambda m: m.start)
    story = Story(
        title=doc.title,
        language=lang,
        text=text,
        passages=doc.passages,
        places=tuple(places.values()),
        mentions=tuple(mentions),
        unresolved=tuple(unresolved),
    )
    return add_story_layers(story, doc, gaz)


def _matched(doc: Document, gaz: Gazetteer) -> list[Resolved]:
    """Gazetteer matches, read past invisible in-word characters ("Mos\u200bcow"), at offsets of ``doc.text``.

    A text with such characters is matched as a second Document without them (rare, and still linear); the
    matches' offsets are mapped back, so ``text[start:end]`` is the mention as written.
    """
    seen = Visible(doc.text)
    if seen.visible is doc.text:
        return resolve(find_matches(doc, gaz), gaz, doc)
    clean = Document.read(seen.visible, doc.title)
    out = []
    for r in resolve(find_matches(clean, gaz), gaz, clean):
        s, e = seen.start(r.match.start), seen.end(r.match.end)
        out.append(replace(r, match=replace(r.match, start=s, end=e, text=doc.text[s:e])))
    return out


def add_story_layers(story: Story, doc: Document, gaz: Gazetteer) -> Story:
    """Routes and links found in the text (see ``geo.story.journeys``, ``geo.story.relations`` and ``geo.story.actors``).

    Links are drawn at capitals. When the text names a country but not its capital, the link keeps the
    country's place id (so every id in the output is a place of the article) and the story records the
    capital's coordinates as that country's anchor. A country the text names only through a person,
    a title or a pair word ("Putin", "the two leaders") joins the story's places, without mentions,
    when a link needs it.
    """
    def capital(country: str) -> Place | None:
        return _capital(gaz, country)

    def capital_point(country: str) -> tuple[float, float] | None:
        cap = _capital(gaz, country)
        return None if cap is None else cap.location

    # Sites no gazetteer knows ("landed at X Air Base") are read for journeys only; those no route uses go again.
    sites, site_mentions = travel_sites(doc, story.places, story.mentions)
    routes = find_routes(doc, story.places + tuple(sites), sorted((*story.mentions, *site_mentions), key=lambda m: m.start),
                         capital=capital_point)
    used_sites = {pid for r in routes for pid in r.stops} & {p.id for p in sites}
    sites = [p for p in sites if p.id in used_sites]
    site_mentions = [m for m in site_mentions if m.place in used_sites]
    places, link_mentions = _actor_mentions(story, doc, gaz)
    links = find_links(doc, places, link_mentions, capital=capital)
    known = {p.id: p for p in places}  # the story's places and the countries actors added (extended below)
    countries = {p.country: p.id for p in places if p.kind == "country"}
    # Capitals of the countries the text names, by id: where a link to such a country is drawn.
    capitals = {cap.id: cap for cap in map(capital, countries) if cap is not None}
    capital_ids = _capital_ids(gaz)
    anchors: dict[str, tuple[float, float]] = {}
    fixed = []
    for link in links:
        ids = []
        for pid in link.places:
            if pid in known:
                ids.append(pid)
                continue
            cap = capitals.get(pid)
            if cap is None and pid in capital_ids:
                # The capital of a country the text names only through one of its towns or regions.
                cap = capital(capital_ids[pid])
                e = gaz.country(capital_ids[pid])
                if cap is None or e is None:
                    break
                if e.id not in known:
                    known[e.id] = entry_place(e, 0.9)
                    places.append(known[e.id])
                countries.setdefault(e.country, e.id)
                capitals[pid] = cap
            if cap is None:
                break  # an actor we cannot place: leave the link out rather than invent a place
            ids.append(countries[cap.country])
            anchors[countries[cap.country]] = cap.location
        else:
            ids_t = tuple(ids) if link.directed else tuple(sorted(ids))
            fixed.append(replace(link, id=link_id(link.kind, ids_t, link.directed), places=ids_t))
    used = {pid for link in fixed for pid in link.places}
    added = tuple(p for p in places if p.id not in story.places_by_id and p.id in used)
    mentions = tuple(sorted((*story.mentions, *site_mentions), key=lambda m: m.start)) if site_mentions else story.mentions
    return replace(story, places=story.places + tuple(sites) + added, mentions=mentions, routes=tuple(routes), links=tuple(fixed),
                   anchors=tuple(anchors.items()))


def _capital(gaz: Gazetteer, country: str) -> Place | None:
    """The country's capital as a story place, if the gazetteer knows it (made once per country and process:
    the story readers ask for capitals dozens of times per article)."""
    capitals: dict[str, Place | None] = built(gaz, "capital-places", lambda g: {})
    if country not in capitals:
        e = gaz.capital(country)
        capitals[country] = None if e is None else entry_place(e)
    return capitals[country]


def _capital_ids(gaz: Gazetteer) -> dict[str, str]:
    """Capital place id → its country (made once per gazetteer, not per article)."""
    return built(gaz, "capital-ids", lambda g: {g.entries[i].id: cc for cc, i in g.capitals.items()})


# The rest of an English hyphen compound after a name: "Iran-backed", "Saudi-led", "US-funded".
_COMPOUND_TAIL = re.compile(r"-[a-z]+\b")


def _actor_mentions(story: Story, doc: Document, gaz: Gazetteer) -> tuple[list[Place], list[Mention]]:
    """The places and mentions the link reader works on: the story's, minus country words inside a group's
    name, plus people, titles and pair words as mentions of their country (new country places as needed)."""
    by_id = story.places_by_id

    def country_of(m: Mention) -> str:
        p = by_id.get(m.place)
        if p is None or not p.country:
            return ""
        if p.kind == "country":
            return p.country
        cap = _capital(gaz, p.country)  # made once per country and process
        if p.kind in ("city", "site") and cap is not None and haversine_km(p.location, cap.location) <= 30:
            return p.country
        return ""

    actors = find_actor_mentions(doc, story.mentions, country_of)
    group_spans = Spans([(a.start, a.end) for a in actors if a.how == "group"])

    def in_group(m: Mention) -> bool:
        # "Iran-backed Houthis", "حزب الله اللبناني": a demonym or a hyphen compound against a group's name
        # describes the group.
        compound = _COMPOUND_TAIL.match(doc.text, m.end)
        if not (m.adjectival or compound):
            return False
        return group_spans.near(m.start, compound.end() if compound else m.end, 2, 4)

    places = list(story.places)
    ids = {p.country: p.id for p in places if p.kind == "country" and p.country}
    for p in places:
        if p.country and p.country not in ids and _is_capital(p, gaz):
            ids[p.country] = p.id
    # A place word inside a person's name ("Pompeo" is also a town) is part of the name.
    named = Spans([(a.start, a.end) for a in actors if a.how in ("group", "person")])
    mentions = [m for m in story.mentions if not in_group(m) and not named.overlaps(m.start, m.end)]
    for a in actors:
        if not a.country:
            continue
        if a.country not in ids:
            e = gaz.country(a.country)
            if e is None:
                continue
            pid = e.id if e.id not in by_id else f"{e.id}-{a.country.lower()}"
            places.append(replace(entry_place(e, 0.9), id=pid))
            ids[a.country] = pid
        mentions.append(Mention(ids[a.country], doc.passage_at(a.start), a.start, a.end, a.text, adjectival=True))
    mentions.sort(key=lambda m: (m.start, m.place))
    return places, mentions


def _is_capital(p: Place, gaz: Gazetteer) -> bool:
    """True when ``p`` is its country's capital in the gazetteer."""
    e = gaz.capital(p.country) if p.kind == "city" else None
    return e is not None and p.id == e.id


def _place(pid: str, r: Resolved) -> Place:
    e = r.entry
    candidates = tuple(Candidate(c.name, c.kind, c.lat, c.lon, c.country, score, c.source, c.source_id) for c, score in r.candidates)
    return Place(pid, e.name, e.name_ar, e.kind, e.lat, e.lon, e.country, e.source, e.source_id, r.confidence, candidates)


# Strong cues for a place name the gazetteer may not know: "مدينة X", "the town of X".
_AR_UNKNOWN_CUE = re.compile(r"(?:^|[\s،,(])(?:[وف]?[بل]?)(?:مدينة|بلدة|قرية|ميناء|جزيرة|محافظة|مقاطعة|ولاية|إقليم|منطقة)\s+([\u0621-\u064a\u064b-\u065f]{3,})")
_EN_UNKNOWN_CUE = re.compile(r"\b(?:city|town|village|port|province|region|island|district) of ((?:[A-Z][\w'-]+)(?: [A-Z][\w'-]+){0,2})")


def unknown_names(text: str, known_spans: set[tuple[int, int]], gaz: Gazetteer) -> dict[str, tuple[str, list[tuple[int, int]]]]:
    """Names after strong place cues that no gazetteer entry matched: key → (name, spans)."""
    overlaps = Spans(known_spans).overlaps
    out: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    for rx in (_AR_UNKNOWN_CUE, _EN_UNKNOWN_CUE):
        for m in rx.finditer(text):
            s, e = m.span(1)
            name = m.group(1)
            if e - s > cache_mod.MAX_NAME_CHARS or overlaps(s, e):  # no place name is that long: never looked up or cached
                continue
            key = name_key(name)
            if len(key) < 3 or key in gaz.common_words or (rx is _AR_UNKNOWN_CUE and normalise_ar(name) in gaz.clitic_words):
                continue
            if rx is _AR_UNKNOWN_CUE and ar_key(name) in gaz.keys:
                continue
            out.setdefault(key, (name, []))[1].append((s, e))
    return out


def _all_occurrences(
    text: str, name: str, cued: list[tuple[int, int]], covered: set[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Every whole-word occurrence of a name found after a cue (a later bare "زيلاند" too), Arabic proclitics allowed."""
    proclitics = "(?:[وف]?[بلك]?)" if has_arabic(name) else ""
    rx = re.compile(rf"(?<![\w\u0600-\u06ff]){proclitics}({re.escape(name)})(?![\w\u0600-\u06ff])")
    spans = set(cued)
    overlaps = Spans(covered).overlaps
    for m in rx.finditer(text):
        s, e = m.span(1)
        if not overlaps(s, e):
            spans.add((s, e))
    return sorted(spans)



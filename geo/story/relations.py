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

from geo.core.document import Document
from geo.core.errors import DataError
from geo.core.model import LINK_KINDS, Link, Mention, Place
from geo.story.lexicon import (
    CueSet,
    Token,
    clauses,
    cue_set,
    load_cues,
    mentions_in,
    proclitic,
    token_range,
)
from geo.story.roles import (
    POSSESSOR_REACH,
    Actor,
    ActorResolver,
    Cue,
    Occurrence,
    between_pair,
    comma_penalty,
    credit,
    dist,
    following,
    is_opponent,
    is_source,
    is_venue,
    negated,
    one_list,
    party_sets,
    travel_stop,
)

# An actor further than this many words from every cue in its clause joins no link.
MAX_CUE_DISTANCE = 12
# Same-kind cues at most this many words apart are one list ("shells, missiles and drones").
CUE_LIST_GAP = 2
# How far after a cue a "between"/"with" word may stand ("مناورات عسكرية مشتركة، بمشاركة").
BINDER_REACH = 4
# How far from a kind cue a status cue counts: before (a plan precedes the drills) and after.
STATUS_BEFORE, STATUS_AFTER = 6, 3
# How far from a kind cue a direction cue counts, and how far after it the target may stand.
DIRECTION_REACH = 8
NEXT_REACH, MARKER_REACH = 3, 6
CapitalFn = Callable[[str], "Place | None"]


@dataclass
class _Evidence:
    actors: dict[str, Actor] = field(default_factory=dict)
    passages: set[int] = field(default_factory=set)
    directions: dict[int, set[tuple[str, str] | None]] = field(default_factory=dict)  # passage → directions read
    statuses: dict[int, set[str]] = field(default_factory=dict)  # passage → statuses read ("" for none)
    spans: set[tuple[int, int]] = field(default_factory=set)  # the sentences read, as character spans


def find_links(
    doc: Document,
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
    actors = ActorResolver(places, capital)
    text, passages, tokens = doc.text, doc.passages, doc.words
    starts = tokens.starts
    mentions = sorted(mentions, key=lambda m: m.start)
    m_starts = [m.start for m in mentions]
    evidence: dict[tuple[str, frozenset[str]], _Evidence] = {}
    order: list[tuple[str, frozenset[str]]] = []
    for passage in passages:
        for s, e in doc.sentences_in(passage.start, passage.end):
            lo, hi = token_range(tokens, s, e, starts)
            # A link needs two distinct actors in one clause: a sentence without two needs no cue matching.
            if hi <= lo:
                continue
            in_sentence = mentions_in(mentions, m_starts, tokens[lo].start, tokens[hi - 1].end)
            if len({a.key for m in in_sentence if (a := actors.of(m.place)) is not None}) < 2:
                continue
            for c_lo, c_hi in clauses(text, tokens, lo, hi, boundaries=cue_set("links", "boundaries"),
                                      after_comma=cue_set("links", "boundaries_after_comma"),
                                      colon_unless_after=cue_set("links", "reporting")):
                c_start, c_end = tokens[c_lo].start, tokens[c_hi - 1].end
                occs = []
                for m in mentions_in(mentions, m_starts, c_start, c_end):
                    actor = actors.of(m.place)
                    if actor is None:
                        continue
                    m_lo, m_hi = token_range(tokens, m.start, m.end, starts)
                    if m_hi <= m_lo or is_source(tokens, c_lo, c_hi, m_lo, m_hi - 1, m.adjectival) or credit(text, m):
                        continue
                    if actors.is_town(m.place) and not m.adjectival and travel_stop(tokens, c_lo, m_lo):
                        continue  # "just before he left Quebec": a stop of a trip, not a party
                    occs.append(Occurrence(actor, m_lo, m_hi - 1, m))
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


def _kind_cues(tokens: Sequence[Token], lo: int, hi: int) -> list[Cue]:
    """Kind cues in a clause, a list of same-kind cues ("قذائف مدفعية وصواريخ") joined into one.

    Weapon words count as military only beside a transfer word; words inside a name such as
    "الدعم السريع" count as nothing; a match inside a longer one of another kind ("دعم" in "دعم
    عسكري") is dropped.
    """
    blocked = {k for a, b in cue_set("links", "not_cues").find(tokens, lo, hi) for k in range(a, b + 1)}
    cues = [Cue(kind, a, b) for kind in LINK_KINDS for a, b in cue_set("links", "kinds", kind).find(tokens, lo, hi)]
    transfers = cue_set("links", "arms", "transfer").find(tokens, lo, hi)
    for a, b in cue_set("links", "arms", "weapons").find(tokens, lo, hi):
        near = [(ta, tb) for ta, tb in transfers if dist(a, b, ta, tb) <= DIRECTION_REACH]
        if near:
            # The transfer word before the weapons starts the cue: "did not supply X with weapons" is negated.
            start = min([a] + [ta for ta, _ in near if ta < a])
            cues.append(Cue("military", start, b))
    cues = [c for c in cues if not any(k in blocked for k in range(c.lo, c.hi + 1))]
    cues = [
        c
        for c in cues
        if not any(o is not c and o.lo <= c.lo and c.hi <= o.hi and (o.hi - o.lo) > (c.hi - c.lo) for o in cues)
    ]
    cues.sort(key=lambda c: (c.lo, c.hi))
    joined: list[Cue] = []
    for c in cues:
        prev = next((j for j in reversed(joined) if j.kind == c.kind), None)
        if prev is not None and c.lo - prev.hi <= CUE_LIST_GAP:
            joined[joined.index(prev)] = Cue(c.kind, prev.lo, max(prev.hi, c.hi))
        elif not any(j.kind == c.kind and j.lo <= c.lo and c.hi <= j.hi for j in joined):
            joined.append(c)
    return joined


def _clause_links(
    text: str, tokens: Sequence[Token], lo: int, hi: int, occs: Sequence[Occurrence]
) -> list[tuple[str, dict[str, Actor], tuple[str, str] | None, str]]:
    """(kind, actors by key, direction, status) for each cue of the clause that gathers two or more actors."""
    cues = _kind_cues(tokens, lo, hi)
    # "the Iran-backed militia": a cue glued by a hyphen to an actor qualifies the noun after it; unless that noun
    # is itself an actor, the relation is with a group or a thing, not with another state of the clause.
    starts = {o.lo for o in occs}
    cues = [c for c in cues if not (c.lo == c.hi and "-" in tokens[c.lo].text and any(o.lo == c.lo for o in occs)
                                    and c.hi + 1 not in starts)]
    if not cues:
        return []
    between = cue_set("links", "between")
    with_ = cue_set("links", "with")
    assigned: list[list[Occurrence]] = [[] for _ in cues]
    exclusive: set[int] = set()  # ids of occurrences bound by "between"
    bound: list[set[int]] = [set() for _ in cues]  # ids bound to each cue by "between"/"with"
    between_bound: list[set[int]] = [set() for _ in cues]  # … by "between" only: then they are the parties

    for i in between.starts_in(tokens, lo, hi):
        p = between.match_at(tokens, i, hi)
        listed = between_pair(tokens, occs, i + len(p) - 1)
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
                listed = [o for o in following(occs, i + len(p) - 1, 3) if id(o) not in exclusive]
                assigned[k].extend(listed)
                bound[k].update(id(o) for o in listed)
                break

    for o in occs:
        if id(o) in exclusive:
            continue
        dists = [dist(o.lo, o.hi, c.lo, c.hi) + comma_penalty(text, tokens, c, o) for c in cues]
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
                # "has argued that by making the deal with X, Y …": what follows "that" is a clause of its own.
                subject = subject or content.match_at(tokens, k + 1, k + 2) is not None
                if subject and len({o.actor.key for o in group if o not in speakers}) >= 2:
                    group = [o for o in group if o not in speakers]
        # "weapons for use in the war against X", "an alliance against X": the opponent is no party (but a side of a tension).
        if c.kind not in ("tension", "territory"):
            group = [o for o in group if not is_opponent(tokens, lo, o)]
        # A venue ("a summit with the US president in Vietnam") is no party when two parties remain.
        venues = [o for o in group if is_venue(text, tokens, lo, o, c)] if c.kind not in ("tension", "territory") else []
        # "في مدينة جدة السعودية": the nisba right after a venue names the venue's country.
        venues += [o for o in group if o.mention.adjectival and any(0 < o.lo - v.hi <= 1 for v in venues)]
        if venues and len({o.actor.key for o in group if o not in venues}) >= 2:
            group = [o for o in group if o not in venues]
        keyed: dict[str, Actor] = {}
        for o in group:
            keyed.setdefault(o.actor.key, o.actor)
        if len(keyed) < 2:
            continue
        listed = one_list(tokens, group)
        symmetric = cue_set("links", "symmetric").match_at(tokens, c.lo, c.hi + 1) is not None
        if c.kind in ("tension", "territory") and listed and not tied and not symmetric and all(o.hi < c.lo for o in group):
            continue  # "China and Russia condemned …": co-agents, the counterpart is elsewhere
        is_joint = bool(listed or tied or any(
            joint.match_at(tokens, k, hi) for k in range(max(lo, c.lo - 3), min(hi, c.hi + 4))
        ))
        if c.kind == "exercise" and not is_joint:
            continue  # "Chinese drills around Taiwan": drills by one side near another are no joint drills
        status = _status(tokens, lo, hi, c)
        if negated(tokens, lo, c):
            if status != "proposed":
                continue  # "denied supplying", "لم يزر": no relation
        status = status or "held"  # news reports what happened unless it says it is planned
        for sides in party_sets(tokens, c, group, tied, joint=c.kind == "exercise" and is_joint):
            sub = {k: keyed[k] for k in sides}
            direction = _direction(text, tokens, lo, hi, c, occs, sub) if len(sub) == 2 else None
            out.append((c.kind, sub, direction, status))
    return out


def _status(tokens: Sequence[Token], lo: int, hi: int, cue: Cue) -> str:
    """"proposed"/"held" from the nearest status cue around ``cue``; a tie reads as proposed."""
    best: tuple[int, int, str] | None = None
    for rank, status in enumerate(("proposed", "held")):
        window = (max(lo, cue.lo - STATUS_BEFORE), min(hi, cue.hi + 1 + STATUS_AFTER))
        for a, b in cue_set("links", "status", status).find(tokens, *window):
            if a <= cue.hi and b >= cue.lo:
                continue  # part of the cue itself
            d = dist(a, b, cue.lo, cue.hi)
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
    cue: Cue,
    occs: Sequence[Occurrence],
    keyed: dict[str, Actor],
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
    text: str, tokens: Sequence[Token], lo: int, after: int, occs: Sequence[Occurrence], rule: _DirectionRule
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

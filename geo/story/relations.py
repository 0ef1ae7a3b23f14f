"""Typed relations between the actors of an article: arms, drills, alliances, visits, tensions, territory.

An actor is a country together with its capital and the metonyms near it (Russia ≡ Moscow ≡ the
Kremlin), or any other place standing for itself. Links are read clause by clause, to keep precision:

1. A sentence is cut into clauses at ``;`` / ``؛`` and at clause words ("حيث", "while", "according to").
2. Each clause is read by :mod:`geo.story.clause_links`: its cues, the actors each gathers, their roles,
   status and direction.
3. The same (kind, actor set) across passages is one link whose weight is the number of passages.

Mentions that name a source rather than an actor ("الصحيفة الأمريكية", "Russian news agency") are
left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from geo.core.document import Document
from geo.core.model import Link, Mention, Place
from geo.story.clause_links import clause_links, criticised_act, may_link
from geo.story.lexicon import Token, clauses, cue_set, mentions_in, token_range
from geo.story.roles import (
    Actor,
    ActorResolver,
    Occurrence,
    credit,
    is_source,
    travel_stop,
    trip_origin,
)

CapitalFn = Callable[[str], "Place | None"]
# How many words into a sentence its first actor may stand and still be the sentence's subject ("US Secretary of
# State Mike Pompeo called …", "قال وزير الخارجية الروسي …").
SUBJECT_REACH = 4
# A clause that names an actor this close after its opening word has a subject of its own ("كما أعلنت فرنسا").
OWN_SUBJECT_REACH = 3


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
    kinds = {p.id: p.kind for p in places}
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
            named = {a.key: a for m in in_sentence if (a := actors.of(m.place)) is not None}
            if len(named) == 1 and may_link(tokens, lo, hi):
                # "انتقدت إيران المناورات": one actor criticising an act the article told just before.
                critic = next(iter(named.values()))
                kind = criticised_act(tokens, lo, hi)
                act = next((key for key in reversed(order) if key[0] == kind and critic.key not in key[1]
                            and passage.id - max(evidence[key].passages) <= 1), None) if kind else None
                for party in sorted(act[1]) if act else ():
                    both = {critic.key: critic, party: evidence[act].actors[party]}
                    _record(evidence, order, "tension", both, passage.id, (s, e), (critic.key, party), "held")
            if len(named) < 2:
                continue
            if not may_link(tokens, lo, hi):
                continue  # no relation word in the sentence: none of its clauses states a link
            subject: Occurrence | None = None  # the sentence's first actor, when it opens the sentence
            planned = cue_set("links", "status", "plan_opening").match_at(tokens, lo, hi) is not None
            # "Vietnam, which disputes China's claims, has expanded its ties with Japan": the relative clause and the
            # rest of the sentence are clauses of their own, each said of the subject.
            relative = _relative_clause(text, tokens, lo, hi, in_sentence, actors)
            for c_lo, c_hi in clauses(text, tokens, lo, hi, boundaries=cue_set("links", "boundaries"),
                                      after_comma=cue_set("links", "boundaries_after_comma"),
                                      colon_unless_after=cue_set("links", "reporting"), extra_cuts=relative):
                c_start, c_end = tokens[c_lo].start, tokens[c_hi - 1].end
                occs = []
                left: list[Occurrence] = []  # capitals the traveller leaves
                for m in mentions_in(mentions, m_starts, c_start, c_end):
                    actor = actors.of(m.place)
                    if actor is None:
                        continue
                    m_lo, m_hi = token_range(tokens, m.start, m.end, starts)
                    if m_hi <= m_lo or is_source(tokens, c_lo, c_hi, m_lo, m_hi - 1, m.adjectival) or credit(text, m):
                        continue
                    if actors.is_town(m.place) and not m.adjectival and travel_stop(tokens, c_lo, m_lo):
                        continue  # "just before he left Quebec": a stop of a trip, not a party
                    if kinds.get(m.place) == "city" and not m.adjectival and trip_origin(tokens, c_lo, m_lo):
                        left.append(Occurrence(actor, m_lo, m_hi - 1, m))
                        continue  # "From Manila, she will travel on to Jakarta": a capital left behind is no party either
                    occs.append(Occurrence(actor, m_lo, m_hi - 1, m))
                # … unless it is the home of the traveller the clause names before it ("the UAE president … arrived in Paris
                # from Abu Dhabi on a state visit"): it stands for the visitor there.
                occs += [o for o in left
                         if any(k.actor.key == o.actor.key and k.lo < o.lo and k.mention.place != o.mention.place for k in occs)]
                occs.sort(key=lambda o: o.lo)
                if c_lo == lo and occs and occs[0].lo - lo <= SUBJECT_REACH:
                    subject = occs[0]
                elif (subject is not None and (c_lo in relative or cue_set("links", "carry_subject").match_at(tokens, c_lo, c_lo + 1))
                      and all(o.actor.key != subject.actor.key for o in occs)):
                    # "X called on Y to …, saying Z remains an ally": the speaker of the sentence says it.
                    # It is read as standing right before the clause, the place of a subject.
                    occs.insert(0, Occurrence(subject.actor, c_lo - 1, c_lo - 1, subject.mention))
                elif (subject is not None and cue_set("links", "continue_subject").match_at(tokens, c_lo, c_lo + 1)
                      and not any(o.lo <= c_lo + OWN_SUBJECT_REACH for o in occs)
                      and all(o.actor.key != subject.actor.key for o in occs)):
                    # "تسعى بغداد …، إذ تسلمت طائرات تركية، كما أجرت مباحثات مع باريس": a clause whose verb names no
                    # subject of its own goes on with the sentence's subject.
                    occs.insert(0, Occurrence(subject.actor, c_lo - 1, c_lo - 1, subject.mention))
                if len({o.actor.key for o in occs}) < 2:
                    continue
                for kind, keys_actors, direction, status in clause_links(text, tokens, c_lo, c_hi, occs):
                    if not status and planned:
                        status = "proposed"  # "ومن المقرر أن يزور …، قبل أن يغادر إلى برلين للقاء …"
                    _record(evidence, order, kind, keys_actors, passage.id, (s, e), direction, status)
    return tuple(link for key in order if (link := _link(key[0], evidence[key])) is not None)


def _record(
    evidence: dict[tuple[str, frozenset[str]], _Evidence],
    order: list[tuple[str, frozenset[str]]],
    kind: str,
    keys_actors: dict[str, Actor],
    passage: int,
    span: tuple[int, int],
    direction: tuple[str, str] | None,
    status: str,
) -> None:
    """Add one reading of a (kind, actors) relation in ``passage`` (sentence ``span``) to its evidence."""
    key = (kind, frozenset(keys_actors))
    if key not in evidence:
        evidence[key] = _Evidence()
        order.append(key)
    ev = evidence[key]
    ev.actors.update(keys_actors)
    ev.passages.add(passage)
    ev.spans.add(span)
    ev.directions.setdefault(passage, set()).add(direction)
    ev.statuses.setdefault(passage, set()).add(status)


def _relative_clause(
    text: str, tokens: Sequence[Token], lo: int, hi: int, in_sentence: Sequence[Mention], actors: ActorResolver
) -> tuple[int, ...]:
    """Where a non-restrictive relative clause about the sentence's subject starts and where the sentence goes on after
    it: "Vietnam, which disputes China's claims to the islands, has expanded …" gives the tokens of "which" and "has";
    () when the sentence opens otherwise."""
    first = next((m for m in in_sentence if actors.of(m.place) is not None), None)
    if first is None or tokens[lo].arabic:
        return ()
    m_lo, m_hi = token_range(tokens, first.start, first.end, tokens.starts)
    if m_lo - lo > SUBJECT_REACH or m_hi >= hi or not cue_set("links", "relative").match_at(tokens, m_hi, m_hi + 1):
        return ()
    if "," not in text[tokens[m_hi - 1].end:tokens[m_hi].start]:
        return ()
    # The clause closes at the first comma followed by a lower-case word (a comma before a name continues a list).
    for k in range(m_hi + 2, hi):
        if "," in text[tokens[k - 1].end:tokens[k].start] and tokens[k].text[:1].islower():
            return (m_hi, k)
    return ()


def _link(kind: str, ev: _Evidence) -> Link | None:
    displays = {a.display for a in ev.actors.values()}
    if len(displays) < 2 or len(displays) != len(ev.actors):
        return None  # two actors drawn at one place: nothing to draw
    # Held once is a fact; proposed only when no passage tells of the relation as plain fact.
    said = [st for per in ev.statuses.values() for st in per]
    status = "held" if "held" in said else "proposed" if "proposed" in said else "held" if said else ""
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


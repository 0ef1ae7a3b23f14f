"""The links one clause states: its relation cues, which actors each cue gathers, their roles, status and direction.

:mod:`geo.story.relations` cuts the article into clauses and merges what this module reads from each:

1. Each cue word (``data/cues.json`` → links/kinds) collects actors: those in "between X and Y" right
   after it (and only it), those in "with X and Y" right after it, and every other actor mention whose
   nearest cue it is, within :data:`MAX_CUE_DISTANCE` words (a list goes with its head). "relations
   between X and Y" binds X and Y to no cue at all, so they do not drift to a nearby "tensions".
2. A cue with at least two distinct actors makes a link; the roles (:mod:`geo.story.roles`) leave out the
   venue, the speaker, the opponent of a supply; a list on one side is never linked within itself.
3. Direction and status are read at the cue (:mod:`geo.story.link_status`): rules such as "تزويد X بـ" /
   "supplied X with" / "visit to X" (X is the target, the other actor the source); "proposed"/"held" cues.
"""

from __future__ import annotations

from collections.abc import Sequence

from geo.core.model import LINK_KINDS
from geo.story.cues import starts_any
from geo.story.lexicon import WITH_WORDS, Token, cue_set, listed_after
from geo.story.link_status import (
    DIRECTION_REACH,
    aimed_at,
    direction_of,
    status_of,
    told_past,
)
from geo.story.roles import (
    POSSESSOR_REACH,
    Actor,
    Cue,
    Occurrence,
    after_background,
    between_pair,
    comma_penalty,
    dist,
    following,
    is_opponent,
    is_venue,
    listed_pair,
    negated,
    one_list,
    owns_weapon,
    party_sets,
    place_noun_nisba,
    trailing_attribution,
    trip_stops,
)

# An actor further than this many words from every cue in its clause joins no link.
MAX_CUE_DISTANCE = 12
# Same-kind cues at most this many words apart are one list ("shells, missiles and drones").
CUE_LIST_GAP = 2
# How far after a cue a "between"/"with" word may stand ("مناورات عسكرية مشتركة، بمشاركة").
BINDER_REACH = 4
# How far after a cue "between" may stand: two adjectives after an Arabic noun ("مناورات بحرية مشتركة بين").
BETWEEN_REACH = 3
# How many words into a clause its first actor may stand and still be its subject.
SUBJECT_REACH = 4
# How far after a criticism its object, another relation noun, may stand ("انتقدت الولايات المتحدة زيارة …").
CRITIC_REACH = 4
# Words of one kind at most this many words apart, none with two actors, tell one relation ("recalled … after a row").
SAME_KIND_GAP = 6
# How far after the talks' cue an arms or drills cue they are about may start ("talks with X on buying jets").
TOPIC_REACH = 6
# How far before a "with" cue the subject may stand to be its agent.
SUBJECT_CUE_REACH = 18
_AND = frozenset({"and", "or", "و", "او"})



def may_link(tokens: Sequence[Token], lo: int, hi: int) -> bool:
    """False when ``tokens[lo:hi]`` hold no kind cue and no weapon word: then no clause of them states a link
    (:func:`kind_cues` finds nothing in any part), and the per-mention reading of its clauses can be skipped."""
    kinds = [cue_set("links", "kinds", kind) for kind in LINK_KINDS] + [cue_set("links", "arms", "weapons"),
                                                                        cue_set("links", "arms", "named_systems")]
    return starts_any(kinds, tokens, lo, hi)


def kind_cues(tokens: Sequence[Token], lo: int, hi: int) -> list[Cue]:
    """Kind cues in a clause, a list of same-kind cues ("قذائف مدفعية وصواريخ") joined into one.

    Weapon words count as military only beside a transfer word; words inside a name such as
    "الدعم السريع" count as nothing; a match inside a longer one of another kind ("دعم" in "دعم
    عسكري") is dropped.
    """
    blocked = {k for a, b in cue_set("links", "not_cues").find(tokens, lo, hi) for k in range(a, b + 1)}
    cues = [Cue(kind, a, b) for kind in LINK_KINDS for a, b in cue_set("links", "kinds", kind).find(tokens, lo, hi)]
    transfers = cue_set("links", "arms", "transfer").find(tokens, lo, hi)
    weapons = cue_set("links", "arms", "weapons").find(tokens, lo, hi)
    # "Patriot systems", "S-400 systems", "Iron Dome system": a system named by a capitalised name is a weapon system.
    weapons += [(a, b) for a, b in cue_set("links", "arms", "named_systems").find(tokens, lo, hi)
                if a - 1 > lo and not tokens[a - 1].arabic and tokens[a - 1].text[:1].isupper()]
    for a, b in weapons:
        # A transfer word near the weapons, but not one after them past an "and": "the security of its military
        # technology and providing funds" transfers funds, not the technology ("drones that Iran sold" do move).
        near = [(ta, tb) for ta, tb in transfers if dist(a, b, ta, tb) <= DIRECTION_REACH
                and not (ta > b and any(tokens[k].forms & _AND for k in range(b + 1, ta)))]
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


def clause_links(
    text: str, tokens: Sequence[Token], lo: int, hi: int, occs: Sequence[Occurrence]
) -> list[tuple[str, dict[str, Actor], tuple[str, str] | None, str]]:
    """(kind, actors by key, direction, status) for each cue of the clause that gathers two or more actors."""
    cues = kind_cues(tokens, lo, hi)
    # "the Iran-backed militia": a cue glued by a hyphen to an actor qualifies the noun after it; unless that noun
    # is itself an actor, the relation is with a group or a thing, not with another state of the clause.
    starts = {o.lo: o for o in occs}  # an actor by the token it starts at
    cues = [c for c in cues if not (c.lo == c.hi and "-" in tokens[c.lo].text and c.lo in starts and c.hi + 1 not in starts)]
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
        owner = next((k for k, c in enumerate(cues) if 0 < i - c.hi <= BETWEEN_REACH), None)
        for o in listed:
            exclusive.add(id(o))
            if owner is not None:
                assigned[owner].append(o)
                bound[owner].add(id(o))
                between_bound[owner].add(id(o))

    for k, c in enumerate(cues):
        # "with" binds to the last cue before it: "its allies are at odds with X" puts X at odds, not among the allies.
        reach = min([hi, c.hi + 1 + BINDER_REACH] + [n.lo for n in cues[k + 1:] if n.lo > c.hi])
        for i in range(c.hi + 1, reach):
            p = with_.match_at(tokens, i, hi)
            if p is not None and i > lo and cue_set("links", "border_with").match_ending_at(tokens, i - 1, lo) is not None:
                break  # "drills near its border with X": X is the neighbour, not a partner
            if p is not None:
                listed = [o for o in following(occs, i + len(p) - 1, 3) if id(o) not in exclusive]
                assigned[k].extend(listed)
                bound[k].update(id(o) for o in listed)
                break
        # A passive cue binds its agent: "X was welcomed … by the Swiss president", "Y was attacked by Z".
        if any(cue_set("links", "passive").match_at(tokens, j, j + 1) for j in range(max(lo, c.lo - 2), c.lo)):
            agent = next((i for i in range(c.hi + 1, min(hi, c.hi + 1 + MAX_CUE_DISTANCE))
                          if cue_set("links", "agent").match_at(tokens, i, i + 1)), None)
            if agent is not None:
                listed = [o for o in following(occs, agent, 3) if id(o) not in exclusive and o not in assigned[k]]
                assigned[k].extend(listed)
                bound[k].update(id(o) for o in listed)

    prev: tuple[Occurrence, list[int]] | None = None
    for o in occs:
        if id(o) in exclusive:
            continue
        dists = [dist(o.lo, o.hi, c.lo, c.hi) + comma_penalty(text, tokens, c, o) for c in cues]
        if prev is not None and listed_after(tokens, prev[0].hi, o.lo):
            # "sanctions on rivals of X, in particular A, B and C", "اتهمت مصر إثيوبيا وإريتريا بتهديد …": a list goes
            # where its head goes, even where a later word of the clause is nearer to its last member.
            dists = list(prev[1])
        prev = (o, dists)
        best = min(dists)
        if best > MAX_CUE_DISTANCE:
            continue
        nearest = [k for k, d in enumerate(dists) if d == best]
        if tokens[o.lo].arabic and any(cues[k].hi < o.lo for k in nearest):
            # Arabic puts the subject after its verb: between two cues, it is the first one's when the second has
            # its own owner right after it ("انتقدت الولايات المتحدة زيارة مودي": the US criticised, Modi visited).
            nearest = [k for k in nearest if cues[k].hi < o.lo or _owner_after(cues[k], starts) is None]
        for k in nearest:
            if o not in assigned[k]:
                assigned[k].append(o)

    # "استدعت فرنسا سفيرها لدى الجزائر بعد خلاف": two words of one kind, each nearest to one actor, tell one relation.
    for kind in {c.kind for c in cues}:
        same = [k for k, c in enumerate(cues) if c.kind == kind]
        close = all(cues[b].lo - cues[a].hi <= SAME_KIND_GAP for a, b in zip(same, same[1:]))
        if len(same) > 1 and close and all(len({o.actor.key for o in assigned[k]}) < 2 for k in same):
            first = same[0]
            for k in same[1:]:
                assigned[first].extend(o for o in assigned[k] if o not in assigned[first])
                assigned[k] = []

    # "أجرت مباحثات مع باريس بشأن شراء مقاتلات": an arms deal or drills that talks are about have the talks' parties
    # (military covers arms talks), though the actors stand nearer the talks' word.
    topic = cue_set("links", "topic")
    for k, c in enumerate(cues):
        if c.kind not in ("military", "exercise") or len({o.actor.key for o in assigned[k]}) >= 2 or c.lo - 1 < lo:
            continue
        if topic.match_ending_at(tokens, c.lo - 1, lo) is None:
            continue
        talks = next((j for j in range(k - 1, -1, -1) if cues[j].kind == "visit" and c.lo - cues[j].hi <= TOPIC_REACH), None)
        if talks is not None and len({o.actor.key for o in assigned[talks]}) >= 2:
            assigned[k].extend(o for o in assigned[talks] if o not in assigned[k])

    # "the Indian prime minister's visit": the possessor of a cue noun is its agent, whichever cue is nearer.
    for k, c in enumerate(cues):
        if c.lo - 1 >= lo and tokens[c.lo - 1].text.replace("’", "'").endswith("'s"):
            owner = next((o for o in reversed(occs) if c.lo - 1 - POSSESSOR_REACH <= o.hi <= c.lo - 1), None)
            if owner is not None and owner not in assigned[k] and id(owner) not in exclusive:
                assigned[k].append(owner)

    # "A fought B with drones made in C": the maker or owner of a weapon is a party to its transfer only (but
    # the owner of an act a critic condemns is the critic's counterpart, below), to drills its arms take part in
    # ("Indian and French warships held joint drills"), and to the visit the weapon makes: a warship's navy visits
    # with it ("the Japanese destroyer will head to Colombo for a goodwill visit").
    for k, c in enumerate(cues):
        if c.kind not in ("military", "exercise", "visit"):
            assigned[k] = [o for o in assigned[k] if not owns_weapon(tokens, lo, hi, o)]

    # "انتقدت الولايات المتحدة زيارة مودي", "Beijing condemned the sale of US jets to Taiwan": a criticism whose object
    # is another act is aimed at that act's owner (in Arabic the actor right after the noun; in English its
    # possessor, an actor inside the act's words, or one right after "of").
    for k, c in enumerate(cues):
        if c.kind != "tension":
            continue
        act = next((n for n in cues[k + 1:] if n.kind != "tension" and n.lo - c.hi <= CRITIC_REACH), None)
        if act is None:
            continue
        if tokens[c.hi].arabic:
            owner = _owner_after(act, starts)
        else:
            owner = next((o for o in occs if act.lo - 1 <= o.hi and o.lo <= act.hi + 2), None)
        if owner is not None and owner not in assigned[k] and id(owner) not in exclusive:
            assigned[k].append(owner)
            # "criticised the drills of India, Japan and Australia": each listed owner of the act.
            last = owner
            for o in occs:
                if o.lo > last.hi and o not in assigned[k] and id(o) not in exclusive and listed_pair(tokens, last, o):
                    assigned[k].append(o)
                    last = o

    subject = occs[0] if occs and occs[0].lo - lo <= SUBJECT_REACH else None
    # "X called the US-South Korea drills provocative", "وصفت X المناورات الأمريكية الكورية بأنها استفزازية": a verdict
    # (links/verdict) said of an act just before it sets the clause's subject against the act's parties, and the subject is
    # no party to the act.
    for k, c in enumerate(cues):
        verdict = c.kind == "tension" and cue_set("links", "verdict").match_at(tokens, c.lo, c.hi + 1) is not None
        act_i = next((i for i in range(k - 1, -1, -1) if cues[i].kind != "tension"), None) if verdict else None
        if act_i is None or subject is None or not 0 < c.lo - cues[act_i].hi <= CRITIC_REACH + 1:
            continue
        act = cues[act_i]
        parties = [o for o in assigned[act_i] if o.lo >= act.lo - 2 and o.actor.key != subject.actor.key]
        if not parties or subject.hi >= act.lo or any(o.actor.key != subject.actor.key and o not in parties for o in assigned[k]):
            continue
        assigned[act_i] = [o for o in assigned[act_i] if o.actor.key != subject.actor.key]
        assigned[k] = [subject] + parties

    # "X expanded its drills amid a dispute with Y", "… في إطار التعاون مع الجيش الفلاني": a cue whose only actors
    # follow it as its "with" counterpart is the act of the clause's subject, whichever cue is nearer to it; so is
    # a warning or threat aimed at its one actor ("X moved troops in a warning to Y").
    for k, c in enumerate(cues):
        after_with = bool(bound[k] - between_bound[k]) or any(tokens[j].forms & WITH_WORDS for j in range(c.lo, c.hi + 1))
        group = assigned[k]
        single_after = len({o.actor.key for o in group}) == 1 and all(o.lo > c.hi for o in group)
        if (subject is not None and group and subject.hi < c.lo and subject not in group
                and c.lo - subject.hi <= SUBJECT_CUE_REACH
                and (after_with and (all(id(o) in bound[k] for o in group)  # "at odds with X, Y and Z"
                                     or single_after)
                     or single_after and aimed_at(text, tokens, lo, c, occs) == group[0].actor.key)):
            group.insert(0, subject)

    out = []
    joint = cue_set("links", "joint")
    for c, group, tied, pair in zip(cues, assigned, bound, between_bound):
        if len({o.actor.key for o in group if id(o) in pair}) >= 2:
            group = [o for o in group if id(o) in pair]  # "the meeting in X between A and B": A and B
        if c.kind == "tension" and not any(id(o) in tied and id(o) not in pair for o in group):
            group = after_background(tokens, lo, c, group)  # (a "with" counterpart has the subject as its side)
        # A place inside a country that is itself in the link is the venue or a part, not a counterpart
        # ("Brazil opened the summit in Belém").
        countries = {o.actor.key[3:] for o in group if o.actor.key.startswith("cc:")}
        group = sorted(
            (o for o in group if not (o.actor.key.startswith("place:") and o.actor.country in countries)),
            key=lambda o: o.lo,
        )
        # A speaker ("the ministry said Ukraine agreed …", "…, officials in X said") reports a relation and is no party
        # to it, unless a tension.
        told_hi = hi  # where the relation's own words end: before a closing attribution
        if c.kind != "tension":
            tail = trailing_attribution(text, tokens, lo, hi)
            if tail is not None and tail > c.hi and len({o.actor.key for o in group if o.lo < tail}) >= 2:
                group = [o for o in group if o.lo < tail]
                told_hi = tail
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
                # "X says that, by signing the deal with Y, Z …": what follows "that" is a clause of its own.
                subject = subject or content.match_at(tokens, k + 1, k + 2) is not None
                if subject and len({o.actor.key for o in group if o not in speakers}) >= 2:
                    group = [o for o in group if o not in speakers]
        # "rejected allegations that Y supplied Z": what follows a claim noun and "that" is the claim, not its parties.
        if (cue_set("actors", "denied_content").match_at(tokens, c.lo, c.hi + 1) is not None
                and cue_set("links", "that").match_at(tokens, c.hi + 1, hi) is not None):
            group = [o for o in group if o.lo <= c.hi]
        # "arms to fight X", "an alliance against X": the opponent is no party (but a side of a tension).
        if c.kind not in ("tension", "territory"):
            group = [o for o in group if not is_opponent(tokens, lo, o)]
        # A venue ("a summit with the US president in Vietnam") is no party when two parties remain.
        venues = [o for o in group if is_venue(text, tokens, lo, o, c)] if c.kind not in ("tension", "territory") else []
        # "في مدينة جدة السعودية": the nisba right after a venue names the venue's country.
        # "إلى العاصمة السعودية الرياض": so do the nisba adjectives of the place noun right before it.
        venues += [o for o in group if o.mention.adjectival and any(0 < o.lo - v.hi <= 1 or place_noun_nisba(tokens, lo, o, v) for v in venues)]
        if venues and len({o.actor.key for o in group if o not in venues}) >= 2:
            group = [o for o in group if o not in venues]
        if c.kind == "tension" and not tokens[c.lo].arabic and cue_set("links", "located_war").match_at(tokens, c.lo, c.hi + 1):
            # "a role in ending the war in Ukraine": where a war is fought says nothing of who wages it; only a war
            # with its owner named ("Russia's war in Ukraine", "the Russian war in …") has the place as a side.
            located = [o for o in group if o.lo == c.hi + 2 and tokens[c.hi + 1].forms & {"in"}]
            owned = any(c.lo - 2 <= o.hi < c.lo for o in group if o not in located)
            if located and not owned:
                group = [o for o in group if o not in located]
        keyed: dict[str, Actor] = {}
        for o in group:
            keyed.setdefault(o.actor.key, o.actor)
        if len(keyed) < 2:
            continue
        if c.kind == "visit" and (cue_set("links", "teams").starts_in(tokens, lo, hi) or _hosts_an_event(tokens, c, occs, hi)):
            continue  # "يلتقي منتخب مصر نظيره المغربي": national sides meet in a match, not a visit
        listed = one_list(tokens, group)
        if (c.kind == "visit" and listed and not tied and group[0].lo > c.hi
                and (cue_set("routes", "destination").match_ending_at(tokens, group[0].lo - 1, lo) is not None
                     or cue_set("links", "tours").match_at(tokens, c.lo, c.hi + 1) is not None)):
            continue  # "a tour that will take him to X and Y", "جولة شملت X وY": the places visited, no parties to each other
        symmetric = cue_set("links", "symmetric").match_at(tokens, c.lo, c.hi + 1) is not None
        if c.kind in ("tension", "territory") and listed and not tied and not symmetric:
            # "China and Russia condemned …": co-agents; "sanctions on Russia and Belarus": co-targets. Either way
            # one side, the counterpart is elsewhere.
            continue
        # Drills of a list of actors are joint, read on each actor's first mention ("India and France … off Goa").
        is_joint = bool(listed or tied or c.kind == "exercise" and one_list(tokens, _first_mentions(group)) or any(
            joint.match_at(tokens, k, hi) for k in range(max(lo, c.lo - 3), min(hi, c.hi + 4))
        ))
        if c.kind == "exercise" and not is_joint:
            continue  # "Chinese drills around Taiwan": drills by one side near another are no joint drills
        status = status_of(tokens, lo, hi, c)
        if negated(tokens, lo, c, cues):
            if status != "proposed":
                continue  # "denied supplying", "لم يزر": no relation
        # A past-tense relation verb ("visited", "زار") tells the act as done, and so does any word of tension (a
        # warning or a war is itself the act); otherwise, with no status word, status stays "" and the link is held
        # only if no other sentence tells it as planned (see relations).
        status = status or ("held" if c.kind == "tension" or told_past(tokens, c) else "")
        if not status and c.kind == "visit" and cue_set("links", "status", "arrived").starts_in(tokens, lo, c.lo):
            status = "held"  # "وصل الرئيس إلى باريس … في زيارة دولة": the visitor has arrived
        # A joint act of several ("trilateral talks", "مناورات ثلاثية") is one link of all of them.
        nary = len(keyed) >= 3 and any(cue_set("links", "nary").match_at(tokens, k, hi)
                                       for k in range(max(lo, c.lo - 3), min(hi, c.hi + 4)))
        # "ثم يتوجه إلى الدوحة، على أن يختتم جولته في الكويت": two stops of one trip visit nobody, each is visited.
        stops = trip_stops(tokens, lo, group) if c.kind == "visit" and not tied else set()
        for sides in party_sets(tokens, c, group, tied, joint=(c.kind == "exercise" and is_joint) or nary):
            if len(sides) >= 2 and set(sides) <= stops:
                continue
            sub = {k: keyed[k] for k in sides}
            direction = direction_of(text, tokens, lo, told_hi, c, occs, sub) if len(sub) == 2 else None
            out.append((c.kind, sub, direction, status))
    return out


def _hosts_an_event(tokens: Sequence[Token], c: Cue, occs: Sequence[Occurrence], hi: int) -> bool:
    """The visit cue is a hosting verb whose object is an event ("chosen to host the 2030 World Cup", "تستضيف قطر كأس
    العالم"): an event word within four words after it, before any actor."""
    if cue_set("links", "hosting").match_at(tokens, c.lo, c.hi + 1) is None:
        return False
    events = cue_set("links", "hosted_events").starts_in(tokens, c.hi + 1, min(hi, c.hi + 5))
    return bool(events) and not any(c.hi < o.lo < events[0] for o in occs)


def criticised_act(tokens: Sequence[Token], lo: int, hi: int) -> str | None:
    """The kind of the act a criticism names right after it, told earlier in the article ("انتقدت إيران المناورات",
    "China condemned the visit"): a tension cue, then within :data:`CRITIC_REACH` words a cue of another kind."""
    cues = kind_cues(tokens, lo, hi)
    for k, c in enumerate(cues):
        if c.kind != "tension" or negated(tokens, lo, c, cues):
            continue
        act = next((n for n in cues[k + 1:] if n.kind != "tension" and 0 < n.lo - c.hi <= CRITIC_REACH), None)
        if act is not None:
            return act.kind
    return None


def _first_mentions(group: Sequence[Occurrence]) -> list[Occurrence]:
    """Each actor's first occurrence in ``group``, in text order."""
    return sorted({o.actor.key: o for o in reversed(group)}.values(), key=lambda o: o.lo)


def _owner_after(cue: Cue, starts: dict[int, Occurrence]) -> Occurrence | None:
    """The actor right after an Arabic act noun, its owner: "زيارة مودي", "بيع فرنسا مقاتلات" (France's sale of jets)."""
    return starts.get(cue.hi + 1) or (starts.get(cue.lo + 1) if cue.hi > cue.lo else None)

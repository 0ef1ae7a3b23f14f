"""The status of a relation read at its cue ("proposed" / "held") and its direction (source → target).

Both read the words around one kind cue of a clause (:mod:`geo.story.clause_links`): status cues from
``data/cues.json`` (links/status), an Arabic future prefix, a past-tense relation verb; direction rules
(links/direction) such as "تزويد X بـ" / "supplied X with" / "a warning to X" that name the target.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from geo.core.errors import DataError
from geo.story.lexicon import CueSet, Token, cue_set, load_cues, proclitic
from geo.story.roles import Actor, Cue, Occurrence, dist

# How far from a kind cue a status cue counts: before (a plan precedes the drills) and after.
STATUS_BEFORE, STATUS_AFTER = 6, 3
# How far from a kind cue a direction cue counts, and how far after it the target may stand.
DIRECTION_REACH = 8
NEXT_REACH, MARKER_REACH = 3, 6
_FUTURE = frozenset({"سي", "ست", "سن"})  # سـ before an imperfect verb: will


def status_of(tokens: Sequence[Token], lo: int, hi: int, cue: Cue) -> str:
    """"proposed"/"held" from the nearest status cue around ``cue``; a tie reads as proposed. An Arabic verb in the
    future ("ستزود", "سيلتقي": the prefix سـ) is proposed by itself."""
    word = tokens[cue.lo].text.lstrip("وف") if tokens[cue.lo].arabic else ""
    if len(word) >= 4 and word[:2] in _FUTURE:
        return "proposed"
    if cue.lo > lo and not tokens[cue.lo].arabic and tokens[cue.lo].text.endswith("ing") and tokens[cue.lo - 1].forms & {"against"}:
        return "proposed"  # "warned the US against selling arms to X": a sale warned against is not told as made
    best: tuple[int, int, str] | None = None
    window = (max(lo, cue.lo - STATUS_BEFORE), min(hi, cue.hi + 1 + STATUS_AFTER))
    # (A pledge to act plans the relation it governs, not the trip told beside it: links-only, not in routes' plans.)
    found = [(0, "proposed", ab) for name in ("proposed", "pledges") for ab in cue_set("links", "status", name).find(tokens, *window)]
    found += [(1, "held", ab) for ab in cue_set("links", "status", "held").find(tokens, *window)]
    for rank, status, (a, b) in found:
        if a <= cue.hi and b >= cue.lo:
            continue  # part of the cue itself
        if _capitalised_inside(tokens, lo, a):
            continue  # "Theresa May", "in May": a modal is never capitalised inside a clause
        if a == b and tokens[a].forms & _MODALS and not _governs_a_verb(tokens, lo, a, b, hi):
            continue  # "the political will in X": a noun, no plan
        d = dist(a, b, cue.lo, cue.hi)
        if best is None or (d, rank) < best[:2]:
            best = (d, rank, status)
    if best is not None:
        return best[2]
    if (cue_set("links", "status", "present_verbs").match_at(tokens, cue.lo, cue.hi + 1) is not None
            and cue_set("links", "status", "future_time").starts_in(tokens, cue.hi + 1, hi)):
        return "proposed"  # "يزور الرئيس … الأسبوع المقبل": an imperfect verb with a time ahead is a plan
    if not told_past(tokens, cue) and any(
        not _capitalised_inside(tokens, lo, a) and _governs_a_verb(tokens, lo, a, b, cue.lo)
        for a, b in cue_set("links", "status", "modal_ahead").find(tokens, lo, cue.lo)
    ):
        return "proposed"  # "will leave X on Monday for a trip to Y", "will fly home, stopping in X for talks"
    return ""


def _capitalised_inside(tokens: Sequence[Token], lo: int, a: int) -> bool:
    return a > lo and tokens[a].text[:1].isupper() and not tokens[a].arabic


_MODALS = frozenset({"will", "would", "may", "might", "could", "should", "shall"})
_NOT_A_VERB = frozenset("in of on at to for from with by and or but the a an as than that this".split())
_RELATIVE = frozenset({"who", "that", "which", "whom", "whose"})


def _governs_a_verb(tokens: Sequence[Token], lo: int, a: int, b: int, end: int) -> bool:
    """The modal at ``tokens[a:b+1]`` is the clause's own: a verb follows it ("will leave", "would not travel"), it is no
    noun ("the political will in Tokyo"), and no relative pronoun opens a clause of its own right before it ("an
    official who would not be named")."""
    if a > lo and tokens[a - 1].forms & _RELATIVE:
        return False
    k = b + 1
    while k < end and tokens[k].forms & {"not", "also", "then", "now", "soon", "later"}:
        k += 1
    return k < end and tokens[k].text[:1].islower() and not tokens[k].forms & _NOT_A_VERB


@dataclass(frozen=True)
class _DirectionRule:
    cues: CueSet
    target: str  # "next" / "marker" / "guest" (the next actor is the source: "X hosted Y", Y visits X)
    markers: CueSet | None
    proclitic_li: bool  # the marker list holds the proclitic ل
    reach: int = DIRECTION_REACH  # how far from the kind cue the rule's cue may stand


@functools.cache
def _direction_rules(kind: str) -> list[_DirectionRule]:
    rules = load_cues()["links"]["direction"].get(kind, [])
    out = []
    for n, r in enumerate(rules):
        where = f"links/direction/{kind}[{n}]"
        if r.get("target") not in ("next", "marker", "guest"):
            raise DataError(f"cues.json: {where} target must be 'next', 'marker' or 'guest'")
        markers = None
        li = False
        if r["target"] == "marker":
            words = [w for lang in ("ar", "en") for w in r.get("markers", {}).get(lang, [])]
            li = "ل" in words
            markers = CueSet.parse([w for w in words if w != "ل"], where + "/markers")
        reach = r.get("reach", DIRECTION_REACH)
        if not isinstance(reach, int) or reach < 1:
            raise DataError(f"cues.json: {where} reach must be a positive whole number of words")
        out.append(_DirectionRule(CueSet.parse({"ar": r.get("ar", []), "en": r.get("en", [])}, where), r["target"], markers, li, reach))
    return out


def direction_of(
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
        for a, b in rule.cues.find(tokens, max(lo, cue.lo - rule.reach), min(hi, cue.hi + 1 + rule.reach)):
            if rule.target == "guest":
                guest = _guest(tokens, b, occs, hi)
                if guest is not None and guest in keyed:
                    (host,) = set(keyed) - {guest}
                    return (guest, host)
                continue
            # A transfer's "to X" follows the weapons it moves: "the export of two more air defence systems to X".
            after = max(b, cue.hi) if rule.target == "marker" and cue.kind == "military" else b
            target = _target(text, tokens, lo, after, occs, rule, hi)
            if target is not None and target in keyed:
                (source,) = set(keyed) - {target}
                return (source, target)
    return None


def aimed_at(text: str, tokens: Sequence[Token], lo: int, cue: Cue, occs: Sequence[Occurrence]) -> str | None:
    """The actor a tension cue is aimed at by a marker ("a warning to X", "تهديد لـX"), if any."""
    if cue.kind != "tension":
        return None
    for rule in _direction_rules(cue.kind):
        if rule.target == "marker" and rule.cues.match_at(tokens, cue.lo, cue.hi + 1) is not None:
            return _target(text, tokens, lo, cue.hi, occs, rule)
    return None


def _guest(tokens: Sequence[Token], after: int, occs: Sequence[Occurrence], hi: int) -> str | None:
    """The guest a hosting verb ending at token ``after`` names: its object, the first actor after it ("hosted the
    Kenyan president"), or in Arabic, where the subject comes first, the actor after "نظيره" (his counterpart) or else
    the second actor ("استقبل الرئيس المصري نظيره الكيني")."""
    following = [o for o in occs if after < o.lo < min(hi, after + 1 + GUEST_REACH)]
    if not following:
        return None
    if any(tokens[k].forms & _HOSTED_NOT_GUEST for k in range(after + 1, following[0].lo)):
        # "was hosted by X": X is the host; "hosted talks between X and Y", "استضافت محادثات بين": the object is a meeting
        return None
    if not tokens[following[0].lo].arabic:
        return following[0].actor.key
    counterpart = next((o for o in following if any(tokens[k].text.lstrip("وب").startswith("نظير") for k in range(max(after + 1, o.lo - 2), o.lo))), None)
    if counterpart is not None:
        return counterpart.actor.key
    return following[1].actor.key if len(following) > 1 else None


GUEST_REACH = 6  # words after a hosting verb its object may stand ("استقبل الرئيس المصري نظيره الكيني")
_HOSTED_NOT_GUEST = frozenset({"by", "talks", "summit", "meeting", "meetings", "conference", "negotiations", "between",
                               "محادثات", "مباحثات", "قمة", "اجتماع", "مؤتمر", "مفاوضات", "بين"})


def _target(
    text: str, tokens: Sequence[Token], lo: int, after: int, occs: Sequence[Occurrence], rule: _DirectionRule,
    hi: int | None = None,
) -> str | None:
    """The actor key a direction cue ending at token ``after`` points to, if any (before token ``hi``, when given)."""
    reach = NEXT_REACH if rule.target == "next" else MARKER_REACH
    for o in occs:
        if o.lo <= after:
            continue
        if o.lo > after + reach or hi is not None and o.lo >= hi:
            return None
        if o.mention.adjectival:
            if rule.target == "next" and tokens[o.lo].arabic:
                after = o.hi  # "يزور رئيس الوزراء الهندي دكا": the nisba ends the subject, the object comes next
            continue  # a demonym describes the agent far more often than the target
        if rule.target == "next":
            return o.actor.key
        marked = rule.markers is not None and rule.markers.match_ending_at(tokens, o.lo - 1, lo) is not None
        if marked or (rule.proclitic_li and proclitic(text, tokens[o.lo], o.mention.start).endswith("ل")):
            return o.actor.key
    return None


_IRREGULAR_PAST = frozenset({"met", "held", "sold", "bought", "sent", "fought", "struck", "led", "began", "signed"})


def told_past(tokens: Sequence[Token], cue: Cue) -> bool:
    """The cue is a past-tense verb: an English word in -ed or an irregular past, an Arabic perfect from the list."""
    past = cue_set("links", "status", "past")
    for k in range(cue.lo, cue.hi + 1):
        t = tokens[k]
        if t.arabic:
            if past.match_at(tokens, k, k + 1) is not None:
                return True
        elif t.text.lower().endswith("ed") or t.text.lower() in _IRREGULAR_PAST:
            return True
    return False

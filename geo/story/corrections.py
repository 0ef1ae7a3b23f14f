"""Corrections a reader makes to an automatic reading, and a pure function that applies them to a Story.

A correction is a small frozen value (stored as a JSON object, one row each in ``geo.store``):

- ``remove_place``   drop a place, its mentions, and the routes and links that needed it;
- ``choose_place``   read a place's mentions as another gazetteer candidate (``place`` holds it in full);
- ``add_place``      a place the reading missed, with the spans of the text that name it;
- ``remove_link`` / ``remove_route``   drop one;
- ``edit_link``      change a link's kind and status;
- ``add_link``       a typed link between actors (place ids);
- ``add_route``      a route through chosen stops, with a mode.

Corrections carry everything they need (a chosen place is stored whole), so replaying them needs no
gazetteer and gives the same story every time. One that no longer fits (its target is gone, e.g. after a
newer extractor renamed a place) is skipped with a reason, never applied half.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from geo.core.model import (
    LINK_KINDS,
    MODES,
    Candidate,
    Link,
    Mention,
    Place,
    Route,
    Story,
)
from geo.story.journeys import route_path
from geo.story.relations import link_id

OPS = ("remove_place", "choose_place", "add_place", "remove_link", "remove_route", "edit_link", "add_link", "add_route")
STATUSES = ("", "proposed", "held")
_TARGETED = {"remove_place", "choose_place", "remove_link", "remove_route", "edit_link"}


@dataclass(frozen=True)
class Correction:
    """One change to a story; which fields matter depends on ``op`` (see the module docstring)."""

    op: str
    target: str = ""  # the place / link / route id acted on
    place: Place | None = None  # choose_place, add_place
    spans: tuple[tuple[int, int], ...] = ()  # add_place: [start, end) offsets of the text naming it
    kind: str = ""  # edit_link, add_link
    status: str = ""  # edit_link, add_link
    places: tuple[str, ...] = ()  # add_link: actors; add_route: stops in order
    mode: str = ""  # add_route
    directed: bool = False  # add_link: from places[0] to places[1]

    def __post_init__(self) -> None:
        if self.op not in OPS:
            raise ValueError(f"correction op must be one of {OPS}, instead got: {self.op!r}")
        if self.op in _TARGETED and not self.target:
            raise ValueError(f"{self.op} needs the id of what it corrects (target)")
        if self.op in ("choose_place", "add_place") and self.place is None:
            raise ValueError(f"{self.op} needs the place to use")
        if self.op in ("edit_link", "add_link") and self.kind not in LINK_KINDS:
            raise ValueError(f"{self.op}: link kind must be one of {LINK_KINDS}, instead got: {self.kind!r}")
        if self.status not in STATUSES:
            raise ValueError(f"link status must be one of {STATUSES}, instead got: {self.status!r}")
        if self.op == "add_link" and (len(set(self.places)) != 2 if self.directed else len(set(self.places)) < 2):
            raise ValueError(f"add_link needs two distinct actors ({'exactly two when directed' if self.directed else 'or more'}), instead got: {self.places}")
        if self.op == "add_route":
            if self.mode not in MODES:
                raise ValueError(f"add_route: mode must be one of {MODES}, instead got: {self.mode!r}")
            if len(self.places) < 2 or any(a == b for a, b in zip(self.places, self.places[1:])):
                raise ValueError(f"add_route needs at least two stops, no stop twice in a row, instead got: {self.places}")
        for s, e in self.spans:
            if not 0 <= s < e:
                raise ValueError(f"add_place: a span must be 0 <= start < end, instead got {s}..{e}")

    def to_dict(self) -> dict[str, Any]:
        """The JSON object stored for this correction (defaults left out)."""
        out: dict[str, Any] = {"op": self.op}
        for name, default in (("target", ""), ("kind", ""), ("status", ""), ("mode", ""), ("directed", False)):
            if getattr(self, name) != default:
                out[name] = getattr(self, name)
        if self.place is not None:
            out["place"] = asdict(self.place)
        if self.spans:
            out["spans"] = [list(s) for s in self.spans]
        if self.places:
            out["places"] = list(self.places)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Correction:
        """Read a stored correction; ValueError (with what is wrong) for anything malformed."""
        try:
            place = data.get("place")
            return cls(
                op=str(data["op"]),
                target=str(data.get("target", "")),
                place=_place(place) if place is not None else None,
                spans=tuple((int(s), int(e)) for s, e in data.get("spans", ())),
                kind=str(data.get("kind", "")),
                status=str(data.get("status", "")),
                places=tuple(str(p) for p in data.get("places", ())),
                mode=str(data.get("mode", "")),
                directed=bool(data.get("directed", False)),
            )
        except (KeyError, TypeError, ValueError) as err:
            raise ValueError(f"unreadable correction {dict(data)!r}: {err}") from err

    def describe(self) -> str:
        """A short line for the page's list of corrections."""
        what = {
            "remove_place": f"removed place {self.target}",
            "choose_place": f"{self.target} read as {self.place.name if self.place else ''}",
            "add_place": f"added place {self.place.name if self.place else ''}",
            "remove_link": f"removed link {self.target}",
            "remove_route": f"removed route {self.target}",
            "edit_link": f"link {self.target} → {self.kind}{' (' + self.status + ')' if self.status else ''}",
            "add_link": f"added {self.kind} link {' → '.join(self.places) if self.directed else ' – '.join(self.places)}",
            "add_route": f"added {self.mode} route {' → '.join(self.places)}",
        }
        return what[self.op]


@dataclass(frozen=True)
class Applied:
    """The corrected story, how many corrections took effect, and why the others did not."""

    story: Story
    applied: int = 0
    skipped: tuple[str, ...] = field(default=())


def apply(story: Story, corrections: Iterable[Correction | Mapping[str, Any]]) -> Applied:
    """Apply corrections in order; each one that cannot apply is skipped with a reason."""
    applied, skipped = 0, []
    for item in corrections:
        try:
            c = item if isinstance(item, Correction) else Correction.from_dict(item)
            story = _apply_one(story, c)
            applied += 1
        except (ValueError, KeyError) as err:
            skipped.append(str(err.args[0]) if isinstance(err, KeyError) and err.args else str(err))
    return Applied(story, applied, tuple(skipped))


def _apply_one(story: Story, c: Correction) -> Story:
    places = {p.id: p for p in story.places}
    if c.op == "remove_place":
        _need(c.target in places, f"no place {c.target!r} to remove")
        return _rename(story, {c.target: None})
    if c.op == "choose_place":
        _need(c.target in places, f"no place {c.target!r} to read as another place")
        assert c.place is not None
        new = c.place
        if new.id in places and new.id != c.target and _same(places[new.id], new):
            return _rename(story, {c.target: new.id})  # that place is already in the story: merge into it
        new = replace(new, id=_free_id(new.id, set(places) - {c.target}))
        story = replace(story, places=tuple(new if p.id == c.target else p for p in story.places))
        return _rename(story, {c.target: new.id}, moved={new.id})
    if c.op == "add_place":
        assert c.place is not None
        return _add_place(story, c.place, c.spans)
    if c.op == "remove_route":
        _need(any(r.id == c.target for r in story.routes), f"no route {c.target!r} to remove")
        return replace(story, routes=tuple(r for r in story.routes if r.id != c.target))
    if c.op == "remove_link":
        _need(any(lk.id == c.target for lk in story.links), f"no link {c.target!r} to remove")
        return replace(story, links=tuple(lk for lk in story.links if lk.id != c.target))
    if c.op == "edit_link":
        _need(any(lk.id == c.target for lk in story.links), f"no link {c.target!r} to change")
        links = [
            replace(lk, kind=c.kind, status=c.status, id=link_id(c.kind, lk.places, lk.directed)) if lk.id == c.target else lk
            for lk in story.links
        ]
        return replace(story, links=_unique_links(links))
    if c.op == "add_link":
        _need(all(p in places for p in c.places), f"add_link: unknown actor among {c.places}")
        ids = c.places if c.directed else tuple(sorted(set(c.places)))
        evidence = _passages_naming(story, ids, at_least=len(ids))
        link = Link(link_id(c.kind, ids, c.directed), c.kind, ids, c.directed, max(1, len(evidence)), evidence, c.status)
        _need(all(lk.id != link.id for lk in story.links), f"the link {link.id} is already there")
        return replace(story, links=story.links + (link,))
    # add_route
    _need(all(p in places for p in c.places), f"add_route: unknown stop among {c.places}")
    path, km, on_rail = route_path([places[p] for p in c.places], c.mode)
    rid = "-".join(c.places) + f"-{c.mode}"
    _need(all(r.id != rid for r in story.routes), f"the route {rid} is already there")
    route = Route(rid, c.mode, c.places, tuple(path), km, _passages_naming(story, c.places, at_least=2), on_rail=on_rail)
    return replace(story, routes=story.routes + (route,))


def _place(data: Mapping[str, Any]) -> Place:
    """A stored place (``asdict`` form): its candidates back to ``Candidate`` values."""
    return Place(**{**data, "candidates": tuple(Candidate(**c) for c in data.get("candidates", ()))})


def _need(ok: bool, why: str) -> None:
    if not ok:
        raise ValueError(why)


def _same(a: Place, b: Place) -> bool:
    return (a.source, a.source_id, a.name) == (b.source, b.source_id, b.name)


def _free_id(pid: str, taken: set[str]) -> str:
    out, n = pid, 2
    while out in taken:
        out, n = f"{pid}-{n}", n + 1
    return out


def _rename(story: Story, ids: dict[str, str | None], moved: frozenset[str] | set[str] = frozenset()) -> Story:
    """Every reference to a place id renamed (or dropped, for None); routes through a changed place redrawn.

    ``moved``: new ids whose coordinates changed, so routes through them need a new path.
    """
    gone = {old for old, new in ids.items() if new is None}
    present = {p.id for p in story.places}
    merged = {old for old, new in ids.items() if new is not None and new != old and new in present}
    places = {p.id: p for p in story.places if p.id not in gone and p.id not in merged}
    mentions = tuple(replace(m, place=ids[m.place]) if m.place in ids and ids[m.place] else m for m in story.mentions if m.place not in gone)
    routes = []
    for r in story.routes:
        stops = [ids.get(s, s) for s in r.stops]
        stops = [s for k, s in enumerate(stops) if s is not None and (k == 0 or s != stops[k - 1])]
        if len(stops) < 2:
            continue
        if tuple(stops) == r.stops and not (set(stops) & set(moved)):
            routes.append(r)
            continue
        path, km, on_rail = route_path([places[s] for s in stops], r.mode)
        routes.append(replace(r, id="-".join(stops) + f"-{r.mode}", stops=tuple(stops), path=tuple(path), length_km=km, on_rail=on_rail))
    links = []
    for lk in story.links:
        actors = [a for a in (ids.get(p, p) for p in lk.places) if a is not None]
        actors = list(dict.fromkeys(actors))
        if len(actors) < 2 or (lk.directed and len(actors) != len(lk.places)):
            continue
        actors_t = tuple(actors) if lk.directed else tuple(sorted(actors))
        links.append(lk if actors_t == lk.places else replace(lk, places=actors_t, id=link_id(lk.kind, actors_t, lk.directed)))
    # An anchor (a country drawn at its capital) stays only for places that are still what they were.
    anchors = tuple((pid, pt) for pid, pt in story.anchors if pid in places and pid not in ids)
    return replace(
        story,
        places=tuple(places.values()),
        mentions=mentions,
        routes=tuple(_unique_routes(routes)),
        links=_unique_links(links),
        anchors=anchors,
    )


def _unique_links(links: list[Link]) -> tuple[Link, ...]:
    """Two links that became the same (same id) are one, with the evidence of both."""
    out: dict[str, Link] = {}
    for lk in links:
        if lk.id in out:
            passages = tuple(sorted(set(out[lk.id].passages) | set(lk.passages)))
            out[lk.id] = replace(out[lk.id], passages=passages, weight=max(1, len(passages)))
        else:
            out[lk.id] = lk
    return tuple(out.values())


def _unique_routes(routes: list[Route]) -> list[Route]:
    return list({r.id: r for r in routes}.values())


def _add_place(story: Story, place: Place, spans: tuple[tuple[int, int], ...]) -> Story:
    existing = next((p for p in story.places if _same(p, place)), None)
    if existing is None:
        place = replace(place, id=_free_id(place.id, {p.id for p in story.places}))
        places = story.places + (place,)
    else:
        place, places = existing, story.places
    taken = sorted((m.start, m.end) for m in story.mentions)
    starts = [p.start for p in story.passages]
    new = []
    for s, e in spans:
        if e > len(story.text) or not story.text[s:e].strip():
            continue
        k = bisect.bisect_left(taken, (e, e))
        if k > 0 and taken[k - 1][1] > s:  # overlaps the mention before it
            continue
        if k < len(taken) and taken[k][0] < e:
            continue
        passage = story.passages[max(bisect.bisect_right(starts, s) - 1, 0)].id if story.passages else 0
        new.append(Mention(place.id, passage, s, e, story.text[s:e]))
        bisect.insort(taken, (s, e))
    mentions = tuple(sorted(story.mentions + tuple(new), key=lambda m: m.start))
    unresolved = tuple(u for u in story.unresolved if u not in {m.text for m in new})
    return replace(story, places=places, mentions=mentions, unresolved=unresolved)


def _passages_naming(story: Story, ids: Iterable[str], at_least: int) -> tuple[int, ...]:
    """Passages that mention at least ``at_least`` of the places ``ids``."""
    wanted = set(ids)
    seen: dict[int, set[str]] = {}
    for m in story.mentions:
        if m.place in wanted:
            seen.setdefault(m.passage, set()).add(m.place)
    return tuple(sorted(p for p, found in seen.items() if len(found) >= min(at_least, len(wanted))))

"""What place matching hands to ranking: a ``Match`` (a span of text naming gazetteer entries) and the
``Resolved`` reading ranking chooses for it. Both modules import these; neither imports the other's types."""

from __future__ import annotations

from dataclasses import dataclass

from geo.places.entry import Entry, SmallTown


@dataclass(frozen=True)
class Match:
    """A span of text whose normalised form names one or more gazetteer entries."""

    start: int
    end: int
    text: str
    candidates: tuple[int, ...]  # indices into Gazetteer.entries, best prior first
    adjectival: bool = False
    cue: str = ""  # "strong" / "weak": a locative cue word stands right before it (في، إلى / من، عبر; in, to, from)
    weak: bool = False  # the span is also a common word here (English dictionary word, Arabic frequent word)
    strict: bool = False  # a curated false friend (صور، جدة، Vladimir): counts only after a locative cue
    name_like: bool = False  # English: run into a following capitalised word, as in a person's name
    noun_name: bool = False  # Arabic: the name is also a common noun (by word statistics)
    place_noun: bool = False  # Arabic: right after مدينة، بلدة، ميناء …
    person: bool = False  # part of a person's name here ("Sen. Clinton", "Dave Allen"): not a place, and its key marks the person
    towns: tuple[SmallTown, ...] = ()  # small towns of this name: need a qualifier or the article's region
    qualifier: tuple[str, ...] = ()  # (country,) or (country, admin1) of a qualifier after it: "Nelson, B.C."


@dataclass(frozen=True)
class Resolved:
    """The reading chosen for a match, with its calibrated confidence and the best few readings."""

    match: Match
    entry: Entry
    confidence: float
    candidates: tuple[tuple[Entry, float], ...] = ()  # the best few readings with their scores, best first
    features: tuple[float, ...] = ()  # what the confidence was computed from (geo.places.calibration)

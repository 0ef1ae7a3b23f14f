"""Sites a journey goes to that no gazetteer knows: "landed at X Air Base, outside of Y", "went to Z House".

Wire copy follows a visitor from the airfield to a guest house to a palace inside one city; none of these is a
town, so the geoparser finds no place and the legs between them are lost. An English capitalised name with a
facility word in it ("Base", "House", "Airport", …, ``data/cues.json`` ``routes/site_heads``), right after a
travel preposition ("to", "at", "from"), is such a site. It is placed at the town the text names right after it
(", outside of Y", "in Y"), else at the last town the sentence (then the paragraph) named before it: the map
shows where the stop is to the town's precision, and the story keeps the legs in order. A site no route uses is
dropped again by the caller (:func:`geo.pipeline.add_story_layers`): it is read for journeys only.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

from geo.core.document import Document
from geo.core.model import Mention, Place
from geo.places.entry import slug
from geo.story.lexicon import cue_set

# Words a site name may follow (after "the"): where a journey's stop is named.
BEFORE_SITE = frozenset({"to", "at", "from", "into", "toward", "towards", "via", "for"})
# Lower-case words allowed inside a site name ("Palace of Peace", "Port of Spain").
INSIDE = frozenset({"of", "de", "al", "el"})
MAX_WORDS = 5
# How many words after the site a town may stand and still say where it is (", outside of Y").
ANCHOR_AFTER = 4
ANCHOR_KINDS = frozenset({"city", "site"})
CONFIDENCE = 0.6  # placed at a town's point, not its own


def travel_sites(doc: Document, places: Iterable[Place], mentions: Sequence[Mention]) -> tuple[list[Place], list[Mention]]:
    """Site places (kind ``site``, source ``text``) and their mentions, for English text; none for Arabic."""
    tokens = doc.words
    if not tokens or doc.language != "en":
        return [], []
    by_id = {p.id: p for p in places}
    heads = cue_set("routes", "site_heads")
    ordered = sorted(mentions, key=lambda m: m.start)
    m_starts = [m.start for m in ordered]
    covered = [(m.start, m.end) for m in ordered]
    taken = {p.id for p in by_id.values()}
    new_places: dict[str, Place] = {}
    new_mentions: list[Mention] = []
    for h in heads.starts_in(tokens, 0, len(tokens)):
        if not tokens[h].text[:1].isupper():
            continue
        lo = h
        while lo > 0 and h - lo < MAX_WORDS - 1 and _name_word(tokens[lo - 1].text) and _adjoining(doc.text, tokens[lo - 1], tokens[lo]):
            lo -= 1
        while lo < h and not tokens[lo].text[:1].isupper():
            lo += 1
        hi = h + 1
        while hi < len(tokens) and hi - lo < MAX_WORDS and _name_word(tokens[hi].text) and _adjoining(doc.text, tokens[hi - 1], tokens[hi]):
            hi += 1
        while hi - 1 > h and not tokens[hi - 1].text[:1].isupper():
            hi -= 1
        before = lo - 1
        if before >= 0 and "the" in tokens[before].forms:
            before -= 1
        if before < 0 or not tokens[before].forms & BEFORE_SITE:
            continue
        start, end = tokens[lo].start, tokens[hi - 1].end
        k = bisect.bisect_left(m_starts, end)
        if k > 0 and any(s < end and start < e for s, e in covered[max(0, k - 3):k]):
            continue  # the name holds a known place ("X-Y Airport" with X a known town, "the White House"): not new
        anchor = _anchor(doc, tokens, ordered, m_starts, by_id, lo, hi)
        if anchor is None:
            continue
        name = doc.text[start:end]
        pid = slug(name)
        if not pid or pid in taken and pid not in new_places:
            continue
        if pid not in new_places:
            new_places[pid] = Place(pid, name, "", "site", anchor.lat, anchor.lon, anchor.country, "text", anchor.id, CONFIDENCE)
        new_mentions.append(Mention(pid, doc.passage_at(start), start, end, name, False, CONFIDENCE))
    return list(new_places.values()), new_mentions


def _name_word(word: str) -> bool:
    return word[:1].isupper() or word in INSIDE


def _adjoining(text: str, a, b) -> bool:
    """Two words of one name: only spaces between them."""
    gap = text[a.end:b.start]
    return bool(gap) and gap.isspace() and "\n" not in gap


def _anchor(doc: Document, tokens, ordered: Sequence[Mention], m_starts: Sequence[int], by_id: dict[str, Place],
            lo: int, hi: int) -> Place | None:
    """The town that says where the site is: named right after it, else last before it in its sentence, then passage."""
    start, end = tokens[lo].start, tokens[hi - 1].end
    passage = doc.passages[doc.passage_at(start)]
    k = bisect.bisect_right(doc.sentences, (start, float("inf"))) - 1  # the sentence holding the site: a bisection
    s_start, s_end = doc.sentences[k] if k >= 0 and doc.sentences[k][0] <= start < doc.sentences[k][1] else (start, end)
    near_end = tokens[min(len(tokens) - 1, hi + ANCHOR_AFTER - 1)].end
    for i in range(bisect.bisect_left(m_starts, end), len(ordered)):
        m = ordered[i]
        if m.start >= min(near_end, s_end):
            break
        if _anchors(m, by_id):
            return by_id[m.place]
    first = bisect.bisect_left(m_starts, passage.start)
    for i in range(bisect.bisect_left(m_starts, start) - 1, first - 1, -1):
        # Last before it in its sentence, else in its passage: the same backward walk, stopping at the first.
        if _anchors(ordered[i], by_id):
            return by_id[ordered[i].place]
    return None


def _anchors(m: Mention, by_id: dict[str, Place]) -> bool:
    place = by_id.get(m.place)
    return place is not None and not m.adjectival and place.kind in ANCHOR_KINDS


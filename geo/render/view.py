"""What the page shows for a selection: which passages, which places in focus, the passages as safe HTML.

Pure functions over a ``Story``; the Streamlit page (``app.py``) only wires them to widgets. Every piece of
article text reaches HTML through ``html.escape``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from geo.core.model import Link, Passage, Route, Story
from geo.core.text import is_arabic
from geo.render.style import LINK_COLORS, PLACE_COLORS

T = TypeVar("T", Route, Link)

# Light tints of the map's kind colours, for highlighted mentions.
_TINT = "33"  # alpha in #rrggbbaa


@dataclass(frozen=True)
class Selection:
    """At most one of: a place, a link, a route, a passage. Lives in the URL as ?place= / ?link= / ?route= / ?passage=."""

    place: str | None = None
    link: str | None = None
    passage: int | None = None
    route: str | None = None

    def to_params(self) -> dict[str, str]:
        if self.place:
            return {"place": self.place}
        if self.link:
            return {"link": self.link}
        if self.route:
            return {"route": self.route}
        if self.passage is not None:
            return {"passage": str(self.passage)}
        return {}


def parse_selection(params: Mapping[str, str], story: Story) -> Selection:
    """The selection a URL asks for, if it names something in this story (unknown ids select nothing)."""
    place = params.get("place")
    if place and any(p.id == place for p in story.places):
        return Selection(place=place)
    link = params.get("link")
    if link and any(lk.id == link for lk in story.links):
        return Selection(link=link)
    route = params.get("route")
    if route and any(r.id == route for r in story.routes):
        return Selection(route=route)
    number = passage_number(params.get("passage"), len(story.passages))
    return Selection(passage=number) if number is not None else Selection()


def passage_number(raw: str | None, count: int) -> int | None:
    """The passage a URL's ``passage=`` names, if it is one of ``count``."""
    raw = (raw or "").strip()
    # "²" is a digit to isdigit(), not to int(); over 4,300 digits int() refuses, so a long one is no passage.
    if raw.isascii() and raw.isdigit() and len(raw) <= 9 and int(raw) < count:
        return int(raw)
    return None


def visible_passages(story: Story, sel: Selection) -> list[Passage]:
    """Passages in reading order: all, or only those about the selected place / link / the chosen passage."""
    if sel.place:
        ids = {m.passage for m in story.mentions if m.place == sel.place}
    elif sel.link:
        ids = set(next((lk.passages for lk in story.links if lk.id == sel.link), ()))
    elif sel.route:
        ids = set(next((r.passages for r in story.routes if r.id == sel.route), ()))
    elif sel.passage is not None:
        ids = {sel.passage}
    else:
        return list(story.passages)
    return [p for p in story.passages if p.id in ids]


def story_order(items: Sequence[T]) -> list[T]:
    """Routes or links in the order the article tells them: by their first evidence sentence."""
    return sorted(items, key=lambda item: item.evidence[0] if item.evidence else (0, 0))


def focus_places(story: Story, sel: Selection) -> list[str]:
    """Place ids the map should outline and fit for a passage selection (text → map)."""
    if sel.passage is None:
        return []
    return list(dict.fromkeys(m.place for m in story.mentions if m.passage == sel.passage))


def evidence_html(story: Story, sel: Selection) -> str:
    """The sentences a selected link or route was read from, quoted (escaped), with its status and confidence."""
    item = next((lk for lk in story.links if lk.id == sel.link), None) if sel.link else None
    item = item or (next((r for r in story.routes if r.id == sel.route), None) if sel.route else None)
    if item is None or not item.evidence:
        return ""
    what = f"{getattr(item, 'kind', '') or getattr(item, 'mode', '')} · {item.status or 'status not told'} · confidence {item.confidence:.2f}"
    direction = "rtl" if story.language == "ar" else "ltr"
    quotes = "".join(
        f'<blockquote class="evidence" dir="{direction}" data-start="{a}" data-end="{b}">{html.escape(story.text[a:b])}</blockquote>'
        for a, b in item.evidence
    )
    return f'<div class="evidence-box"><div class="evidence-what">{html.escape(what)}</div>{quotes}</div>'


def links_in_passage(story: Story, passage: int) -> list[str]:
    return [lk.id for lk in story.links if passage in lk.passages]


def passage_html(story: Story, passage: Passage, sel: Selection) -> str:
    """A passage as escaped HTML, right-to-left for Arabic, every mention highlighted in its kind's colour.

    Mentions of the selected place (or of a selected link's places) are marked strongly; a passage that is
    evidence of a link carries the link's kind as a badge.
    """
    kinds = {p.id: p.kind for p in story.places}
    strong: set[str] = set()
    if sel.place:
        strong = {sel.place}
    elif sel.link:
        strong = set(next((lk.places for lk in story.links if lk.id == sel.link), ()))
    parts: list[str] = []
    pos = passage.start
    for m in sorted((m for m in story.mentions if m.passage == passage.id), key=lambda m: m.start):
        if m.start < pos or m.end > passage.end:
            continue
        parts.append(html.escape(story.text[pos : m.start]))
        color = PLACE_COLORS.get(kinds.get(m.place, ""), "#888888")
        css = "mention strong" if m.place in strong else "mention"
        style = f"background:{color}{_TINT if m.place not in strong else '66'};border-bottom:2px solid {color}"
        parts.append(
            f'<mark class="{css}" data-place="{html.escape(m.place)}" style="{style}" '
            f'title="{html.escape(m.place)}">{html.escape(m.text)}</mark>'
        )
        pos = m.end
    parts.append(html.escape(story.text[pos : passage.end]))
    badges = "".join(
        f'<span class="badge" style="background:{LINK_COLORS.get(lk.kind, "#666")}">{html.escape(lk.kind)}</span>'
        for lk in story.links
        if passage.id in lk.passages
    )
    direction = "rtl" if story.language == "ar" else "ltr"
    tag = "h4" if passage.heading else "p"
    return (
        f'<div class="passage" dir="{direction}" lang="{story.language}" data-passage="{passage.id}">'
        f'<{tag} style="margin:0">{"".join(parts)}</{tag}>'
        f'{"<div class=badges>" + badges + "</div>" if badges else ""}</div>'
    )


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>!|~$])")
_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+\.)")


# Streamlit's Markdown also turns text into links (GFM autolink literals: www.x.y, http://, a@b.c), emoji
# (:skull:) and colours (:red[…]) by matching plain text after escapes are resolved, so a backslash does not
# stop them: an invisible word joiner (U+2060) after the colon, before the dot of "www." and after "@" does.
_SHORTCODE = re.compile(r":(?=[\w/+-])")
_AUTOLINK = re.compile(r"(?i)(?<=www)(?=\.)|(?<=@)")
_JOINER = "\u2060"


def title_markdown(title: str) -> str:
    """The article's title for the page heading: Markdown-escaped, and an Arabic title held right-to-left by marks
    at both ends, so its closing dots or question mark stand at its end (the left), not at the page's right."""
    text = md_escape(title)
    return f"\u200f{text}\u200f" if is_arabic(title) else text


def md_escape(text: str) -> str:
    """Text for a Streamlit Markdown element, shown literally: no image, link, emphasis, HTML, heading, emoji
    shortcode, colour directive or bare-link markup."""
    flat = _MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(text.split()))
    flat = _AUTOLINK.sub(_JOINER, _SHORTCODE.sub(":" + _JOINER, flat))
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), flat)


PAGE_CSS = """
<style>
.passage { font-size: 1.02rem; line-height: 1.9; margin: 0 0 .2rem 0; }
.passage[dir=rtl] { font-family: "Noto Naskh Arabic", "DejaVu Sans", sans-serif; text-align: right; }
.passage mark { color: inherit; padding: 0 2px; border-radius: 3px; }
.passage mark.strong { font-weight: 700; }
/* The article box reads right to left for Arabic, left to right for English: direction from each paragraph's
   first strong letter, as dir="auto" does (Streamlit's text area takes no attributes). */
[data-testid="stTextArea"] textarea { unicode-bidi: plaintext; text-align: start; }
.evidence-box { border-left: 3px solid #888; padding: .2rem .6rem; margin: 0 0 .5rem 0; }
.evidence-box blockquote { margin: .2rem 0; font-size: .95rem; }
.passage .badge { color: #fff; font-size: .72rem; padding: 1px 6px; border-radius: 8px; margin: 0 2px; }
</style>
"""

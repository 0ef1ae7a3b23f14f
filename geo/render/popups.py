"""The text a map shows: escaped, direction-aware popups, tooltips and labels of places, routes and links.

Article text is untrusted. It reaches the page only through :func:`escape_text`, which also neutralises the
characters that matter inside the JavaScript template literals folium wraps popups and tooltips in (backtick,
``$``, backslash, braces), so ``${…}`` or a stray backtick can neither break the map nor run code.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping

from geo.core.model import Link, Mention, Passage, Place, Route, Story
from geo.core.text import is_arabic
from geo.render.style import PLACE_KIND_LABELS

_MAX_QUOTES = 3
_EXCERPT_CHARS = 90  # context kept on each side of a mention in a popup excerpt
_QUOTE_CHARS = 280  # longest evidence passage shown in a route/link popup
_CLASS_UNSAFE = re.compile(r"[^a-z0-9_-]")
# After html.escape these are the characters still live inside a JS template literal.
# Also braces: branca compiles each element's rendered output as a Jinja template again, so "{{ … }}" in
# article text would be evaluated (template injection) or crash the render.
_JS_TEMPLATE_ENTITIES = {"`": "&#96;", "$": "&#36;", "\\": "&#92;", "{": "&#123;", "}": "&#125;"}


# --- text --------------------------------------------------------------------------------------


def escape_text(text: str) -> str:
    """HTML-escape ``text`` and also neutralise `` ` ``, ``$`` and ``\\`` (see module docstring)."""
    escaped = html.escape(str(text), quote=True)
    for char, entity in _JS_TEMPLATE_ENTITIES.items():
        escaped = escaped.replace(char, entity)
    return escaped


def _dir_attrs(text: str) -> str:
    return ' dir="rtl" lang="ar"' if is_arabic(text) else ' dir="auto"'


def _block(inner_html: str, plain: str, css_class: str) -> str:
    """Wrap already-escaped ``inner_html`` in a div whose direction follows ``plain`` text."""
    return f'<div class="{css_class}"{_dir_attrs(plain)}>{inner_html}</div>'


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit] + " …"


def _excerpt_html(passage: Passage, mention: Mention) -> str:
    """The passage around ``mention``, the mention itself in ``<mark>``, all escaped."""
    local_start = mention.start - passage.start
    local_end = mention.end - passage.start
    text = passage.text
    if not (0 <= local_start < local_end <= len(text)):
        return _block(escape_text(_shorten(text, _QUOTE_CHARS)), text, "quote")
    left = max(0, local_start - _EXCERPT_CHARS)
    right = min(len(text), local_end + _EXCERPT_CHARS)
    # Widen to word boundaries so an excerpt never starts or ends mid-word.
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    while right < len(text) and not text[right].isspace():
        right += 1
    before = ("… " if left > 0 else "") + " ".join(text[left:local_start].split())
    after = " ".join(text[local_end:right].split()) + (" …" if right < len(text) else "")
    inner = (
        f"{escape_text(before)} <mark>{escape_text(text[local_start:local_end])}</mark> {escape_text(after)}".strip()
    )
    return _block(inner, text, "quote")


def _quotes_html(story: Story, passage_ids: Iterable[int]) -> str:
    by_id = story.passages_by_id
    quotes = []
    for pid in list(dict.fromkeys(passage_ids))[:_MAX_QUOTES]:
        passage = by_id.get(pid)
        if passage is not None:
            quotes.append(_block(escape_text(_shorten(passage.text, _QUOTE_CHARS)), passage.text, "quote"))
    return "".join(quotes)


def _name_html(place: Place) -> str:
    name = f"<b>{escape_text(place.name)}</b>"
    if place.name_ar and place.name_ar != place.name:
        name += f' <span dir="rtl" lang="ar">{escape_text(place.name_ar)}</span>'
    return name


def _place_label(places: Mapping[str, Place], place_id: str) -> str:
    place = places.get(place_id)
    return place.name if place is not None else place_id


def _link_label(places: Mapping[str, Place], link: Link) -> str:
    return f"{link.kind}: " + " – ".join(_place_label(places, p) for p in link.places)


def link_label(story: Story, link: Link) -> str:
    """A link's tooltip text, "exercise: China – North Korea – Russia": what a click on it reports."""
    return _link_label(story.places_by_id, link)


def route_label(story: Story, route: Route) -> str:
    """A route's stops by name, "Pyongyang → Tumangang → Vladivostok", as its tooltip and the page's lists say."""
    return " → ".join(_place_label(story.places_by_id, s) for s in route.stops)


def _popup_dir(story: Story) -> str:
    return ' dir="rtl" lang="ar"' if story.language == "ar" else ' dir="ltr"'


def css_token(value: str) -> str:
    return _CLASS_UNSAFE.sub("-", value.lower())



# --- popups ----------------------------------------------------------------------------------


def place_popup_html(story: Story, place: Place) -> str:
    by_id = story.passages_by_id
    mentions = story.mentions_by_place.get(place.id, [])
    seen: set[int] = set()
    quotes = []
    for mention in mentions:
        if mention.passage in seen or mention.passage not in by_id:
            continue
        seen.add(mention.passage)
        quotes.append(_excerpt_html(by_id[mention.passage], mention))
        if len(quotes) == _MAX_QUOTES:
            break
    count = len(mentions)
    facts = (
        f"{escape_text(PLACE_KIND_LABELS.get(place.kind, place.kind))} · "
        f"{place.lat:.4f}, {place.lon:.4f} · "
        f"{count} mention{'s' if count != 1 else ''}"
    )
    return (
        f'<div class="story-popup" data-place-id="{escape_text(place.id)}"{_popup_dir(story)}>'
        f'<div class="title">{_name_html(place)}</div>'
        f'<div class="facts">{facts}</div>'
        f"{''.join(quotes)}"
        "</div>"
    )


def route_popup_html(story: Story, route: Route) -> str:
    stops = " → ".join(escape_text(_place_label(story.places_by_id, s)) for s in route.stops)
    facts = [f"<b>{escape_text(route.mode.capitalize())}</b>", f"{route.length_km:,.0f} km"]
    if route.on_rail:
        facts.append("along the rail network")
    if route.when:
        facts.append(f'<span dir="auto">{escape_text(route.when)}</span>')
    return (
        f'<div class="story-popup" data-route-id="{escape_text(route.id)}"{_popup_dir(story)}>'
        f'<div class="title">{stops}</div>'
        f'<div class="facts">{" · ".join(facts)}</div>'
        f"{_quotes_html(story, route.passages)}"
        "</div>"
    )


def link_popup_html(story: Story, link: Link) -> str:
    joiner = " → " if link.directed else " · "
    places = joiner.join(escape_text(_place_label(story.places_by_id, p)) for p in link.places)
    facts = [f"<b>{escape_text(link.kind.capitalize())}</b>"]
    if link.status:
        facts.append(escape_text(link.status))
    facts.append(f"weight {link.weight}")
    return (
        f'<div class="story-popup" data-link-id="{escape_text(link.id)}"{_popup_dir(story)}>'
        f'<div class="title">{places}</div>'
        f'<div class="facts">{" · ".join(facts)}</div>'
        f"{_quotes_html(story, link.passages)}"
        "</div>"
    )

"""Permalinks: the dashboard URL of a stored article and its selection, and what a URL asks for that is not there.

``?article=<id>`` names a stored article (``geo.store``); ``place`` / ``link`` / ``route`` / ``passage`` select in it.
Pure functions; the page and ``geo publish`` share them so the two always agree on the URL's shape.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlencode, urlsplit, urlunsplit

from geo.core.model import Story
from geo.render.view import passage_number

ARTICLE = "article"
SELECTION_KEYS = ("place", "link", "route", "passage")


def dashboard_url(base_url: str, article_id: str, selection: Mapping[str, str] | None = None) -> str:
    """``http://host:8501/?article=ID[&place=…]``: any query already in ``base_url`` is replaced."""
    parts = urlsplit(base_url.strip() or "http://localhost:8501/")
    if not parts.scheme or not parts.netloc:
        raise ValueError(f"base URL must look like http://host:port/, instead got: {base_url!r}")
    query = urlencode({ARTICLE: article_id, **dict(selection or {})})
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))


def params_for(article_id: str | None, selection: Mapping[str, str]) -> dict[str, str]:
    """The page's whole query: the article first, then at most one selection key."""
    return {**({ARTICLE: article_id} if article_id else {}), **selection}


def unknown_items(params: Mapping[str, str], story: Story) -> list[str]:
    """One message per selection in the URL that this story does not have (a stale or mistyped link)."""
    out = []
    place = params.get("place")
    if place and not any(p.id == place for p in story.places):
        out.append(f"This article has no place “{place}” (it may have been removed by a correction); showing all passages.")
    link = params.get("link")
    if link and not any(lk.id == link for lk in story.links):
        out.append(f"This article has no link “{link}” (it may have been removed or changed); showing all passages.")
    route = params.get("route")
    if route and not any(r.id == route for r in story.routes):
        out.append(f"This article has no route “{route}” (it may have been removed or changed); showing all passages.")
    raw = params.get("passage")
    if raw is not None and passage_number(raw, len(story.passages)) is None:
        out.append(f"This article has no passage “{raw[:20]}” (it has {len(story.passages)}); showing all passages.")
    return out


def download_name(title: str, article_id: str, suffix: str) -> str:
    """A file name for a download, from the article's title (any script): ``kim-s-train-3f2a9c1e-places.csv``.

    Only word characters and hyphens: nothing a file system or a Content-Disposition header would mangle.
    """
    words = re.findall(r"[^\W_]+", title.casefold())
    stem = "-".join(words)[:60].strip("-") or "article"
    short = article_id[:8] if article_id else ""
    return "-".join(x for x in (stem, short, suffix) if x)

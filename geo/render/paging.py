"""Pages of passages: a long text shows a page at a time, so the page builds a bounded number of widgets. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")
PAGE_SIZE = 50  # passages per page: a long article fits on one or two, a 20,000-line upload on 400


def page_count(n: int, size: int = PAGE_SIZE) -> int:
    return max(1, -(-n // size))


def page_items(items: Sequence[T], page: int, size: int = PAGE_SIZE) -> Sequence[T]:
    """The items of 1-based ``page``, clamped to the pages there are."""
    page = min(max(page, 1), page_count(len(items), size))
    return items[(page - 1) * size : page * size]


def page_label(n: int, page: int, size: int = PAGE_SIZE) -> str:
    """ "Passages 51-100 of 9,498" """
    page = min(max(page, 1), page_count(n, size))
    first, last = (page - 1) * size + 1, min(page * size, n)
    return f"Passages {first:,}–{last:,} of {n:,}"

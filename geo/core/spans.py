"""Character spans of a text with an overlap test in O(log n), so the readers that ask it per word stay linear."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable


class Spans:
    """Spans answering "does any overlap [start, end)?": sorted starts and a running maximum of ends, so spans
    may overlap one another."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._max_end = list(itertools.accumulate((e for _, e in ordered), max))

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect.bisect_left(self._starts, end)  # spans starting before ``end``; one overlaps if it ends after ``start``
        return k > 0 and self._max_end[k - 1] > start

    def near(self, start: int, end: int, before: int, after: int) -> bool:
        """A span ending at most ``before`` characters before ``start`` or starting at most ``after`` after ``end``."""
        return self.overlaps(start - before, end + after)

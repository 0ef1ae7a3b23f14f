"""Where a place name can start and how far it can reach: the matcher's scan, kept out of its per-word loop.

Two structures, built once per gazetteer and process (milliseconds) and shared by every article:

- ``KeyTrie``: the gazetteer's Arabic keys (names and adjectives) in a pyahocorasick trie, in C. A run of
  words can only be a name if its joined key is a prefix of some key, so the matcher asks the trie how
  many words a name starting here could take before it tries each length and reading in Python: most
  starts end after one word, where the matcher used to build and look up every key of up to six words.
- ``WordMemo``: per distinct word form, whether a name can start with it (the matcher's own test, run once
  per form and process; news repeats its words), so the indices worth visiting come out of one pass.

Both only narrow where the matcher looks: every name it finds is still decided by the same tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

import ahocorasick

from geo.core.text import ARABIC_SCRIPT
from geo.places.gazetteer import Gazetteer

T = TypeVar("T")
_MEMO_LIMIT = 1 << 16  # distinct word forms remembered per gazetteer: a hostile text cannot grow it without end


class KeyTrie:
    """The Arabic keys and adjective keys of a gazetteer, for prefix questions in C."""

    def __init__(self, keys: Iterable[str]) -> None:
        self._trie = ahocorasick.Automaton(ahocorasick.STORE_LENGTH)
        for key in keys:
            self._trie.add_word(key)

    def reach(self, stems: Sequence[str], tails: Sequence[str], limit: int) -> int:
        """The most words (1 to ``limit``) a name can span: one of ``stems`` (the first word's readings) joined
        with the keys of the next words, ``tails``, is still a prefix of some key. 1 when none goes on."""
        n, joined = 1, ""
        match = self._trie.match
        while n < limit:
            joined += tails[n - 1]
            if not any(match(stem + joined) for stem in stems):
                break
            n += 1
        return n


class WordMemo:
    """A yes/no test of a word form, remembered per form (bounded)."""

    def __init__(self, test: Callable[[str], bool]) -> None:
        self._test = test
        self._known: dict[str, bool] = {}

    def where(self, forms: Sequence[str]) -> list[int]:
        """The indices of ``forms`` that pass the test, in order."""
        known = self._known
        for form in set(forms).difference(known):
            if len(known) >= _MEMO_LIMIT:
                known.clear()
            known[form] = self._test(form)
        return [k for k, form in enumerate(forms) if known.get(form) or form not in known and self._test(form)]


_BUILT: dict[tuple[int, str], tuple[Gazetteer, object]] = {}


def built(gaz: Gazetteer, name: str, build: Callable[[Gazetteer], T]) -> T:
    """``build(gaz)``, made once per gazetteer and ``name`` and kept (a process serves one gazetteer; tests a few)."""
    hit = _BUILT.get((id(gaz), name))
    if hit is not None and hit[0] is gaz:
        return hit[1]  # type: ignore[return-value]
    value = build(gaz)
    if len(_BUILT) >= 16:
        _BUILT.clear()
    _BUILT[(id(gaz), name)] = (gaz, value)
    return value


def arabic_trie(gaz: Gazetteer) -> KeyTrie:
    """The gazetteer's Arabic-script keys and adjective keys as a ``KeyTrie`` (built once per gazetteer)."""

    def build(g: Gazetteer) -> KeyTrie:
        keys = {k for k in g.keys if ARABIC_SCRIPT.search(k)} | {k for k in g.adjectives if ARABIC_SCRIPT.search(k)}
        return KeyTrie(sorted(keys))

    return built(gaz, "arabic-trie", build)

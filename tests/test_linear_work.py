"""Work that must grow linearly with the text, counted (not timed): dates read per passage, span overlap checks."""

from __future__ import annotations

import random

import pytest

from geo.core.spans import Spans
from geo.core.tokens import tokenize_words as text_tokens
from geo.pipeline import analyse
from geo.places import gazetteer
from geo.story import journeys as routes_mod


@pytest.fixture(scope="module")
def gaz() -> gazetteer.Gazetteer:
    return gazetteer.load()


def test_one_long_paragraph_reads_its_date_once(monkeypatch: pytest.MonkeyPatch, gaz: gazetteer.Gazetteer) -> None:
    text = " ".join(["The train left Moscow for Vladivostok, then went on to Khabarovsk."] * 200)
    scanned: list[int] = []
    real = routes_mod.find_when

    def counting(tokens, text, lo, hi):  # type: ignore[no-untyped-def]
        scanned.append(hi - lo)
        return real(tokens, text, lo, hi)

    monkeypatch.setattr(routes_mod, "find_when", counting)
    story = analyse(text, gazetteer=gaz)
    assert story.routes  # the sentences are journeys, so dates were looked for
    # Each sentence once, the passage once: about twice the tokens, not 200 times.
    assert sum(scanned) <= 3 * len(text_tokens(text)), (sum(scanned), len(text_tokens(text)))


def test_span_overlap_index_agrees_with_the_plain_check() -> None:
    rng = random.Random(15)
    for _ in range(200):
        spans = set()
        for _ in range(rng.randrange(0, 30)):
            a = rng.randrange(0, 200)
            spans.add((a, a + rng.randrange(1, 20)))
        index = Spans(spans)
        for _ in range(50):
            s = rng.randrange(0, 220)
            e = s + rng.randrange(1, 15)
            assert index.overlaps(s, e) == any(a < e and s < b for a, b in spans), (spans, s, e)


def test_the_club_reader_reads_each_sentence_once(monkeypatch: pytest.MonkeyPatch, gaz: gazetteer.Gazetteer) -> None:
    # One long sentence of town names: each name's club test reads the sentence's words; that must happen once.
    from geo.places import clubs

    text = "Fans of Leeds, Paris and Lyon cheered " * 400
    read: list[int] = []

    class Counting:
        def __init__(self, rx):  # type: ignore[no-untyped-def]
            self.rx = rx

        def findall(self, s):  # type: ignore[no-untyped-def]
            read.append(len(s))
            return self.rx.findall(s)

    monkeypatch.setattr(clubs, "_WORDS", Counting(clubs._WORDS))
    story = analyse(text, gazetteer=gaz)
    assert story.mentions  # the towns are read, so the club test ran on them
    assert 0 < sum(read) <= 2 * len(text), (sum(read), len(text))

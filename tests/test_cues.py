"""Cue matching over a whole text (geo.story.cues): every set's starts and ends, found in one pass for all
sets, are exactly what trying each phrase at each token finds; a set first asked about after a text was
matched gets its own matches there too."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.core.tokens import tokenize_words
from geo.story.cues import CueSet, starts_any

# Cue sets written for this test: one-word, multi-word and prefix ("متجه*") phrases, sharing first words.
SETS = [
    CueSet.parse({"en": ["to", "bound for", "on its way to", "head*"], "ar": ["إلى", "متجه*", "في طريقه إلى"]}, "t/a"),
    CueSet.parse({"en": ["from", "left from", "on its"], "ar": ["من", "غادر*", "قادما من"]}, "t/b"),
    CueSet.parse(["the two leaders", "two", "leader*", "بين", "الرئيسين"], "t/c"),
]
WORDS = ["to", "bound", "for", "on", "its", "way", "heading", "head", "from", "left", "the", "two", "leaders",
         "leader", "Bound", "إلى", "وإلى", "متجها", "في", "طريقه", "من", "غادرت", "قادما", "بين", "الرئيسين", "x"]


def _brute(cues: CueSet, tokens) -> tuple[dict[int, tuple[int, ...]], set[int]]:
    starts: dict[int, set[int]] = {}
    for i in range(len(tokens)):
        for p in cues.phrases:
            if p.match_at(tokens, i):
                starts.setdefault(i, set()).add(len(p))
    ends = {i + n - 1 for i, ns in starts.items() for n in ns}
    return {i: tuple(sorted(ns, reverse=True)) for i, ns in starts.items()}, ends


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(WORDS), max_size=30), st.permutations(range(len(SETS))))
def test_each_set_matches_what_trying_every_phrase_at_every_token_finds(words: list[str], order: list[int]) -> None:
    tokens = tokenize_words(" ".join(words))
    for k in order:  # sets asked about in any order, so some join the table after the text was matched
        starts, ends = _brute(SETS[k], tokens)
        assert SETS[k]._starts(tokens) == (starts, sorted(starts))
        assert SETS[k]._ends(tokens) == ends


def test_a_set_made_after_a_text_was_matched_finds_its_phrases_there() -> None:
    tokens = tokenize_words("The convoy left from Alpha bound for Beta, on its way to Gamma.")
    assert SETS[0].find(tokens, 0, len(tokens)) == [(5, 6), (8, 11)]  # "bound for", "on its way to"
    late = CueSet.parse(["convoy", "left from"], "t/late")
    assert late.find(tokens, 0, len(tokens)) == [(1, 1), (2, 3)]
    assert late.match_ending_at(tokens, 3).source == "left from"
    assert SETS[1].starts_in(tokens, 0, len(tokens)) == [2, 3, 8]  # "left from", "from", "on its"


# Phrases of sets made during a test, after the words of WORDS were remembered: exact, multi-word and prefix words.
LATE_PHRASES = ["to", "its", "x", "head*", "lea* for", "bound for", "on its way", "two lead*", "متجه*", "إلى",
                "في طريق*", "قادم*", "غادر*", "بين الرئيس*"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=25), st.lists(st.sampled_from(LATE_PHRASES), min_size=1, max_size=4))
def test_a_set_joining_after_its_words_were_remembered_matches_them(words: list[str], phrases: list[str]) -> None:
    first = tokenize_words(" ".join(words))
    for cs in SETS:
        cs._starts(first)  # every word of the text is remembered now, before the new set joins
    late = CueSet.parse(phrases, "t/late")
    again = tokenize_words(" ".join(words))  # a later text with the same words: read off the remembered words
    for tokens in (again, first):
        starts, ends = _brute(late, tokens)
        assert late._starts(tokens) == (starts, sorted(starts))
        assert late._ends(tokens) == ends


def test_matches_stay_exact_when_the_word_memo_is_cleared_mid_text(monkeypatch) -> None:
    import geo.story.cues as cues

    monkeypatch.setattr(cues, "_MEMO_LIMIT", 3)  # cleared again and again while one text is matched
    words = ["qq1", "bound", "for", "qq2", "on", "its", "way", "to", "qq3", "from", "qq4", "left", "from", "qq5"]
    tokens = tokenize_words(" ".join(words))
    for cs in SETS:
        starts, ends = _brute(cs, tokens)
        assert cs._starts(tokens) == (starts, sorted(starts))
        assert cs._ends(tokens) == ends


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(WORDS), max_size=25), st.integers(-2, 26), st.integers(0, 27))
def test_starts_any_is_any_set_starting_in_the_range(words: list[str], lo: int, hi: int) -> None:
    tokens = tokenize_words(" ".join(words))
    for sets in (SETS, SETS[:1], SETS[1:]):
        assert starts_any(sets, tokens, lo, hi) == any(cs.starts_in(tokens, lo, hi) for cs in sets)

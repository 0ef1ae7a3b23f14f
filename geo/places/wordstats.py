"""How much a place name is also a word: statistics of Arabic running text, used when the index is built.

From wordfreq's Arabic list (CC BY-SA data, read at build time only): each gazetteer key gets a Zipf
frequency and a "commonness" — common nouns are frequent with and without the article and with possessive
suffixes (بيان / البيان / بيانها), names keep one form (بنغازي, اللاذقية) — which decides how much context
a town's name needs before it counts (``arabic_tier``).
"""

from __future__ import annotations

import math

from geo.core.text import ARABIC_ONLY as _AR_ONLY
from geo.core.text import ar_key, normalise_ar
from geo.places.entry import Entry

# A word starting with a proclitic letter is a word of its own (never peeled) when it is at least this frequent
# (Zipf) and at least 1/OWN_WORD_SHARE as frequent as the rest of it: the reading "ka + Laos" of كلاوس is rarer
# in news than the name Klaus, "wa + Giza" of وجيزة than the word "brief". Before the article the word must be
# the more frequent outright: بالرياض "in Riyadh" is a third as frequent as الرياض and is still bi- + Riyadh.
OWN_WORD_ZIPF = 2.5
OWN_WORD_SHARE = 3.0


def arabic_frequencies() -> tuple[dict[str, tuple[float, float]], frozenset[str], frozenset[str]]:
    """Word statistics of Arabic running text (wordfreq's whole Arabic list), folded to gazetteer keys.

    For each key: (zipf, commonness). ``zipf`` is the highest Zipf frequency of the words folding to it;
    ``commonness`` says how much the word behaves like a common noun rather than a name: common nouns are
    frequent both with and without the article and with possessive suffixes (بيان/البيان/بيانها), while
    names keep one form (بنغازي, اللاذقية). Also returns the frequent words that begin with a proclitic letter
    (وكالة "agency", بين "between"), whose first letter is part of the word, and the function words
    (أن، في، على: three letters at most, very frequent), which never belong to a multi-word town name.
    """
    from wordfreq import get_frequency_dict

    zipf: dict[str, float] = {}
    plain: dict[str, float] = {}
    with_article: dict[str, float] = {}
    suffixed: dict[str, float] = {}
    clitic: set[str] = set()
    function_words: set[str] = set()

    def bump(d: dict[str, float], k: str, z: float) -> None:
        if z > d.get(k, 0.0):
            d[k] = z

    freqs = get_frequency_dict("ar")
    for w, f in freqs.items():
        if not _AR_ONLY.match(w):
            continue
        z = math.log10(f) + 9
        if len(w) <= 3 and z >= 5.5:
            function_words.add(normalise_ar(w))
        if len(w) < 3:
            continue
        key = ar_key(w)
        bump(zipf, key, z)
        bump(with_article if normalise_ar(w).startswith("ال") and key != normalise_ar(w) else plain, key, z)
        for suffix in ("ها", "هم", "ه"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                stem = w[: -len(suffix)]
                bump(suffixed, ar_key(stem), z)
                if stem.endswith("ت"):
                    bump(suffixed, ar_key(stem[:-1] + "ة"), z)
                break
        if w[0] in "وفبلك" and z >= OWN_WORD_ZIPF and all(
            (1.0 if r.startswith("ال") else OWN_WORD_SHARE) * f >= freqs.get(r, 0.0) for r in _rests(w)
        ):
            # Frequent next to what it would be a clitic of (كريم beside ريم, كلاوس beside لاوس): a word of its own.
            clitic.add(normalise_ar(w))
    stats = {k: (z, max(min(plain.get(k, 0.0), with_article.get(k, 0.0)), suffixed.get(k, 0.0), 0.0)) for k, z in zipf.items()}
    return stats, frozenset(clitic), frozenset(function_words)


def _rests(w: str) -> list[str]:
    """What a word starting with a proclitic letter would be without it: وبغداد → بغداد, للعراق → العراق."""
    rests = [w[1:]]
    if w[1] in "بلك":
        rests.append(w[2:])
    for k in (0, 1):  # لل is li- + the article: للعراق is العراق, وللعراق too
        if w[k:].startswith("لل") and (k == 0 or w[0] in "وف"):
            rests.append("ال" + w[k + 2 :])
    return rests


def arabic_tier(zipf: float, commonness: float, entries: list[Entry], key: str = "") -> str:
    """How much context an Arabic city name needs before it counts, from its statistics as a word.

    "drop": a town whose name is a common noun (بيان "statement", الزعيم "the leader") — never read as the town;
    "strict": a strong locative cue must precede (وقف "halt" ≠ Al Waqf; a big city named by a very common noun);
    "weak": a cue or the country named elsewhere (أجري "conducted" ≠ Ağrı);
    "": the name is rare as a word, or the place is a country, capital or curated.
    """
    if entries and commonness >= 4.5 and all(e.kind == "city" and e.source == "geonames" and e.name_ar != "" for e in entries):
        if key and any(e.population >= 1_000_000 and ar_key(e.name_ar) == key for e in entries):
            return "strict"  # a big city's own name that is also a word (مشهد "scene"): after a strong cue
        return "drop"  # an alternate name that is a very common word (بلا "without" for Jerusalem)
    if not entries or any(e.kind != "city" or e.capital and e.population >= 100_000 or e.source == "curated" for e in entries):
        return ""
    if max(e.population for e in entries) >= 1_000_000:
        return "strict" if commonness >= 5.0 else ""
    if zipf >= 4.3 and commonness >= 1.0 and all(e.population < 1_000_000 for e in entries):
        # A very frequent word (يوميا "daily") names a town only after a cue; a frequent word that never behaves as
        # a noun (جنيف, إدلب: commonness 0) is a frequent name.
        return "strict"
    if commonness >= 4.0:
        return "drop"
    if commonness >= 3.3:
        return "strict"
    if zipf >= 2.3 and commonness >= 1.5 or zipf >= 3.8 and commonness >= 1.0:
        return "weak"
    return ""

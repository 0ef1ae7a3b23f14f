"""US and Canadian ways of naming a division in English news: dotted state abbreviations (", W. Va.", "D-Ill."),
a party letter before a legislator's home ("R-Pine Lake"), a ", Fla." qualifier after a town, county lists that share
the word ("Ash and Vale counties")."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from geo.core.text import normalise_latin
from geo.places.gazetteer import Gazetteer
from geo.places.readings import Match

_COUNTIES = re.compile(r"\b(?:[Cc]ounties|[Pp]arishes)\b")


def county_lists(text: str, tokens: Sequence[tuple[int, int, str]], gaz: Gazetteer, found: list[Match]) -> list[Match]:
    """Counties named in a list that shares the word: "Ash and Vale counties", "Ash, Thorn and Brook counties".

    Each name of the list, read back from the shared word, is its county (a name that is no county ends the list), in
    place of whatever reading the scan gave it ("Madison" the town, "Hope" the word).
    """
    if not gaz.counties or "ounties" not in text and "arishes" not in text:
        return found
    starts = [t[0] for t in tokens]
    lists: list[Match] = []
    for hit in _COUNTIES.finditer(text):
        one: list[Match] = []  # this list's names, last first
        suffix = "county" if hit.group().lower() == "counties" else "parish"
        k = bisect.bisect_left(starts, hit.start()) - 1  # the list's last word
        if k < 0 or text[tokens[k][1] : hit.start()] != " ":
            continue
        while tokens[k][2][:1].isupper():
            first = k  # a name is one to three capitalised words ("Deer Creek"), or fewer ("Upper Deer Creek")
            while first > 0 and k - first < 2 and tokens[first - 1][2][:1].isupper() and text[tokens[first - 1][1] : tokens[first][0]] == " ":
                first -= 1
            county: tuple = ()
            if _state_or_country(gaz, "".join(normalise_latin(t[2]) for t in tokens[first : k + 1])):
                break  # "rural Texas and Oklahoma counties": the states' counties, not counties named after them
            while first <= k and not county:
                county = gaz.counties.get("".join(normalise_latin(t[2]) for t in tokens[first : k + 1]) + suffix, ())
                first += not county
            if not county:
                break
            one.append(Match(tokens[first][0], tokens[k][1], text[tokens[first][0] : tokens[k][1]], (), cue="strong", towns=county))
            gap = text[tokens[first - 1][1] : tokens[first][0]] if first > 0 else ""
            if gap == ", ":
                k = first - 1
            elif gap == " " and tokens[first - 1][2] in ("and", "or") and first >= 2 and text[tokens[first - 2][1] : tokens[first - 1][0]] in (" ", ", "):
                k = first - 2
            else:
                break
        if len(one) >= 2:  # one name before the plural is its state's or city's ("Indiana counties", "metro Athens counties")
            lists += one
    if not lists:
        return found
    lists.sort(key=lambda m: m.start)
    kept, j = [], 0  # both in text order: one sweep drops the scan's readings the lists overlap
    for m in found:
        while j < len(lists) and lists[j].end <= m.start:
            j += 1
        if j == len(lists) or m.end <= lists[j].start:
            kept.append(m)
    return sorted(kept + lists, key=lambda m: m.start)


def _state_or_country(gaz: Gazetteer, key: str) -> bool:
    return any(gaz.entries[j].kind == "country" or gaz.entries[j].kind == "region" and gaz.entries[j].admin1 for j in gaz.keys.get(key, ()))


_QUALIFIER_RX: dict[int, re.Pattern[str] | None] = {}


def qualifier_pattern(gaz: Gazetteer) -> re.Pattern[str] | None:
    """", Fla." / ", Florida" / ", B.C." right after a name: the division it is in (compiled once per gazetteer)."""
    if not gaz.qualifiers:
        return None
    rx = _QUALIFIER_RX.get(id(gaz.qualifiers))
    if rx is None:
        forms = sorted(gaz.qualifiers, key=len, reverse=True)
        rx = re.compile(r"\s*,\s*(" + "|".join(map(re.escape, forms)) + r")(?![\w])")
        _QUALIFIER_RX[id(gaz.qualifiers)] = rx
    return rx


_ABBREVIATION_RX: dict[int, re.Pattern[str] | None] = {}
# Dotted state abbreviations that are also words or titles: only at the end of their clause.
_WORD_ABBREVIATIONS = frozenset("Miss. Man. Ind. Del. Col. Cal. Wash. Mass. Ore. Me.".split())
_CLAUSE_END_AFTER = re.compile(r"\s*(?:[,;:)\]]|$|\n)|\s+[a-z]")  # "Churchill, Man. her parents" too
PARTY_LETTERS = frozenset("D R I DFL".split())
_PARTY = re.compile(r"(?:^|[\s(,])(?:D|R|I|DFL)-\Z")


def after_party(text: str, start: int) -> bool:
    """A name right after a party letter and a hyphen ("Sen. Jane Roe, D-Pa.", "Rep. John Doe, R-Pine Lake"): a
    legislator's state or home town, as US news writes it."""
    return text[start - 1 : start] == "-" and bool(_PARTY.search(text, max(0, start - 5), start))


def division_abbreviation(text: str, tokens: Sequence[tuple[int, int, str]], i: int, gaz: Gazetteer) -> Match | None:
    """A state's dotted abbreviation at token ``i`` after a comma and a capitalised word or after a party letter
    ("Pine County, W. Va.", "D-Ill."): a mention of the state, read even where the name before it is no town the
    gazetteer knows. Only dotted forms: a bare code after a comma ("…, OK") is as often a word."""
    start = tokens[i][0]
    if not (text[start - 2 : start] == ", " and i > 0 and tokens[i - 1][2][:1].isupper() or after_party(text, start)):
        return None
    if not gaz.qualifiers:
        return None
    rx = _ABBREVIATION_RX.get(id(gaz.qualifiers))
    if rx is None:
        forms = sorted((f for f in gaz.qualifiers if "." in f), key=len, reverse=True)
        rx = re.compile(r"(" + "|".join(map(re.escape, forms)) + r")(?![\w])")
        _ABBREVIATION_RX[id(gaz.qualifiers)] = rx
    m = rx.match(text, start)
    div = gaz.divisions.get(gaz.qualifiers[m.group(1)]) if m else None
    if div is None:
        return None
    if m.group(1) in _WORD_ABBREVIATIONS and not _CLAUSE_END_AFTER.match(text, m.end(1)):
        return None  # "Smith, Miss. Jones": a title, not Mississippi
    return Match(start, m.end(1), m.group(1), (div,), cue="strong")

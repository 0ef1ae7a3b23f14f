"""English (Latin-script) place names in article text: capitalised word runs looked up in the gazetteer.

A name runs over adjoining capitalised words and connectors ("Sea of Japan", "Trinidad and Tobago", "Cox's Bazar",
"N'Djamena"); the longest run that is a key wins. Guards drop newspapers, streets and teams named after a place
("Washington Post", "Nanjing Road", "Real Madrid"), people ("Jordan Peterson", "Sen. Clinton"), calendar words and
a lone direction; a qualifier after the name (", Fla.", ", Georgia") keeps the towns of that division. Local news
names its towns through their bodies and people ("X Police", "an X man", "Jane Roe of X", "R-X"), in lists that share
"counties", with "St."/"Mt." and state abbreviations: each reads as a cue.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from geo.core.text import normalise_latin
from geo.places.entry import is_minor
from geo.places.gazetteer import Gazetteer
from geo.places.people import (
    EN_CALENDAR,
    EN_INSTITUTION,
    EN_SPEECH_VERBS,
    en_brand,
    en_person_after,
    en_person_before,
    en_speaker,
)
from geo.places.readings import Match

_EN_CUES = frozenset("in to from at near into toward towards via outside city port capital visited reached left".split())
# "south of X", "the outskirts of X", "residents of X": "of" after these is a locative cue.
_EN_OF_CUE = re.compile(
    r"\b(?:north|south|east|west|northeast|northwest|southeast|southwest|outside|suburbs?|outskirts|city|town|village|"
    r"province|state|county|township|borough|residents?|mayor|heart|centre|center|parts|capital|region|area|miles|kilometres|kilometers|km)"
    r" of $",
    re.IGNORECASE,  # "City of X", "Town of X" open the name of a municipality too
)
# "of" after a person says where the person lives: "Jane Roe of X", "Jane Roe, 41, of X", "formerly of X" (not when a
# capitalised word follows the name: "Chamber of Commerce Banquet", "European Court of Human Rights" are names).
_EN_RESIDENT_OF = re.compile(
    r"(?:[A-Z][\w'\u2019-]*[ \u00a0]+[A-Z][\w'\u2019-]*,?|,[ \u00a0]*\d{1,3},|\b(?:formerly|both|all))[ \u00a0]+of[ \u00a0]+$"
)
_EN_STREET = frozenset("Road Street Avenue Boulevard Lane Highway".split())
_EN_DIRECTIONS = frozenset(
    "north south east west central northern southern eastern western northeast northwest southeast southwest".split()
)
_EN_CONNECTORS = frozenset("of the on upon de du la al el d".split())
_APOSTROPHES = frozenset("'\u2019\u02bc")
# A facility word right after a name says the name is a place ("the X Naval base", "X Airport"):
# as strong a cue as "in" before it, so a small town may be read there.
_EN_FACILITY = frozenset("Naval Airport Airbase Airfield Harbour Harbor Port".split())
# A town's own public bodies and officers right after its name ("X Police said", "X firefighters", "the X City
# Council", "X Crown Court") say the name is a place, as "in" before it does: local news names its towns this way
# more than with a preposition. So do its people ("an X man", "X residents"), though not for a name that is also a
# common word ("Young men", "Area woman"). "City" and "Town" count only with the body after them: "X City" and "X
# Town" alone are as often football clubs (brands named after a town stay out: see ``en_brand``).
_EN_CIVIC_BODY = frozenset(
    "police policeman policemen pd fire firefighter firefighters sheriff mayor council councillor councillors councilor "
    "councilors councilman councilmen councilwoman councilwomen alderman aldermen selectmen selectboard magistrates "
    "municipal".split()
)
_EN_CIVIC_PEOPLE = frozenset("officials resident residents native natives man men woman women teen teens teenager teenagers boy girl".split())
_SEAT = "council|hall|manager|commission|board|clerk|police|officials|court"
# A first word that names a body only with the words after it.
_EN_CIVIC_PHRASES = {
    first: re.compile(r"[ \u00a0]+(?:" + rest + r")\b", re.IGNORECASE)
    for first, rest in (
        ("city", _SEAT), ("town", _SEAT), ("village", _SEAT), ("borough", _SEAT), ("township", _SEAT),
        ("crown", "court"), ("district", "court"), ("circuit", "court"), ("county", "court"), ("superior", "court"),
        ("family", "court"), ("juvenile", "court"), ("school", "board"), ("public", "library|schools"),
        ("volunteer", "fire"), ("board", "of (?:education|selectmen|aldermen|supervisors|commissioners)"),
    )
}
_EN_ARTICLE_WORDS = frozenset("The A An".split())


def _civic(text: str, after: tuple[int, int, str], before: str, common_word: bool) -> bool:
    """Is the name followed (``after``: the next word) by its town's public body or people?

    Not when a capitalised word other than an article stands right before it: then the name is the tail of a
    longer one the gazetteer lacks ("Meadow Grove man", "East Bank Mayor", "European Union officials").
    """
    if before[:1].isupper() and before not in _EN_ARTICLE_WORDS:
        return False
    word = after[2].lower()
    if word in _EN_CIVIC_BODY:
        return True
    if word in _EN_CIVIC_PEOPLE:
        return not common_word
    rest = _EN_CIVIC_PHRASES.get(word)
    return rest is not None and rest.match(text, after[1]) is not None


_EN_MEDIA = frozenset("Times Post Journal Herald Tribune Chronicle Gazette Globe Examiner Inquirer Observer Daily Independent".split())


def latin_matches(text: str, tokens: Sequence[tuple[int, int, str]], gaz: Gazetteer) -> list[Match]:
    out: list[Match] = []
    qualifier_rx = _qualifier_rx(gaz)
    free = 0  # the first token no match has taken
    i = 0
    while i < len(tokens):
        start, end0, word = tokens[i]
        article = word in _EN_ARTICLES and i + 1 < len(tokens) and text[end0 : tokens[i + 1][0]] == "-" and tokens[i + 1][2][0].isupper()
        if not (word[0].isupper() or article) or word in EN_CALENDAR or word == "B.C." and _after_number(text, start):
            i += 1
            continue
        # (Both tests below are asked only where their first character can stand: most words pay one slice.)
        division = None
        if len(word) <= 6 and (text[start - 2 : start] == ", " or text[start - 1 : start] == "-"):
            division = _division_abbreviation(text, tokens, i, gaz)
        if division is not None:
            out.append(division)  # "Greenwood, W. Va.", "Rep. Jane Roe, D-Pa.": the state, whatever the town before it
            while i < len(tokens) and tokens[i][0] < division.end:
                i += 1
            free = i
            continue
        found = None
        n_max = 1
        saint = _saint_abbreviation(text, tokens, i) if word in _EN_NAME_ABBREVIATION_FORMS else ""
        # A name runs over adjoining words that are capitalised or connectors ("Sea of Japan"), so every reading tried
        # below is such a run: only its last word must be capitalised (a name never ends with a connector).
        while n_max < gaz.max_words and i + n_max < len(tokens) and (
            _latin_adjoining(text, tokens[i + n_max - 1], tokens[i + n_max]) or n_max == 1 and saint
        ) and (_capitalised(tokens[i + n_max][2], tokens, i + n_max, text) or _connector(tokens, i + n_max, text)):
            n_max += 1
        forms = [normalise_latin(t[2]) for t in tokens[i : i + n_max]]
        for n in range(n_max, 0, -1):
            if not _capitalised(tokens[i + n - 1][2], tokens, i + n - 1, text):
                continue
            key = "".join(forms[:n])
            if n == 1 and len(word) <= 3 and word.isupper() is False and key in ("us", "uk"):
                continue  # "Us" is a pronoun; the abbreviations are written in capitals
            hit = gaz.keys.get(key)
            if hit is None and saint and n > 1:
                key = saint + key[len(normalise_latin(word)):]  # "Ft. Lauderdale" is indexed as Fort Lauderdale
                hit = gaz.keys.get(key)
            adjectival = False
            if hit is None and key in gaz.adjectives:
                hit, adjectival = (gaz.adjectives[key],), True
            towns = () if n > 3 else gaz.towns(key)  # the article may be about one
            if not hit and not towns and n >= 2 and tokens[i + n - 1][2] in ("County", "Parish") and gaz.counties:
                towns = gaz.counties.get(key, ())
            if hit or towns:
                found = (n, key, hit or (), adjectival, towns)
                break
        if not found:
            i += 1
            continue
        n, key, hit, adjectival, towns = found
        if n == 1 and key in _EN_DIRECTIONS:
            i += 1  # "North" alone is a direction, whatever town GeoNames gives that alternate name
            continue
        if saint and (_possessive(text, tokens, i + n - 1) or i + n < len(tokens) and _possessive(text, tokens, i + n)):
            i += n  # "St. Patrick's Day", "St. Mary's School", "St. John's Hospital": a saint's, not the town
            continue
        end = tokens[i + n - 1][1]
        next_token = tokens[i + n] if i + n < len(tokens) and _latin_adjoining(text, tokens[i + n - 1], tokens[i + n]) else None
        after = next_token[2] if next_token else ""
        before = tokens[i - 1][2] if i > 0 and _latin_adjoining(text, tokens[i - 1], tokens[i]) else ""
        if after in _EN_MEDIA | _EN_STREET or en_brand(text, start, before, after):
            i += n + 1  # "Washington Post" is a newspaper, "Nanjing Road" a street, "Real Madrid" a team
            continue
        prev = before.lower()
        free_before = before if i - 1 >= free and before[:1].isupper() else ""
        person = en_person_before(text, start, free_before, gaz.given_names) or (
            n == 1 and en_person_after(text, end, key, after, gaz.given_names, gaz.surnames)
        ) or (
            # "Gillette said": a town's name that speaks is a surname (a country or capital speaks for its state).
            n == 1 and (prev == "to" or after in EN_SPEECH_VERBS)
            and en_speaker(text, start, end, prev, after, prev in _EN_CUES or prev == "of" or _after_party(text, start))
            and all(is_minor(gaz.entries[j]) for j in hit)
        )
        # "Kim Jong Un", "Jordan Peterson": a one-word name run into another capitalised word reads as a person.
        # Only a name that is also a given name counts: "Paris Police", "Georgia Bureau" are the place's institutions.
        name_like = (
            n == 1 and bool(after) and after[0].isupper() and after.lower() not in _EN_CONNECTORS
            and after not in EN_INSTITUTION and (key in gaz.given_names or key in gaz.person_names)
        )
        initial = _sentence_initial(text, start)
        cue = "strong" if prev in _EN_CUES or _dateline(text, start, end) or prev == "of" and (
            _EN_OF_CUE.search(text, max(0, start - 30), start)
            or not after[:1].isupper() and _EN_RESIDENT_OF.search(text, max(0, start - 50), start)) \
            or after in _EN_FACILITY or next_token is not None and _civic(text, next_token, before, key in gaz.common_words) or before in _PARTY_LETTERS and _after_party(text, start) else ""
        qualifier: tuple[str, ...] = ()
        q = qualifier_rx.match(text, end) if qualifier_rx else None
        extra = None
        if q and not person:
            cc, a1 = gaz.qualifiers[q.group(1)]
            inside = tuple(j for j in hit if gaz.entries[j].country == cc and gaz.entries[j].admin1 == a1)
            near = tuple(t for t in (towns or gaz.towns(key)) if t[3] == cc and t[4] == a1)
            if inside or near:
                hit, towns, qualifier, cue = inside, near, (cc, a1), "strong"
                div = gaz.divisions.get((cc, a1))
                if div is not None and normalise_latin(q.group(1)) not in gaz.keys:
                    extra = Match(q.start(1), q.end(1), q.group(1), (div,), cue="strong")
        if not hit and not towns:
            i += n
            continue
        out.append(
            Match(
                start=start,
                end=end,
                text=text[start:end],
                candidates=hit,
                adjectival=adjectival,
                cue=cue,
                weak=n == 1 and key in gaz.common_words or (initial and n == 1 and word.lower() in _EN_CONNECTORS),
                strict=key in gaz.strict_words,
                name_like=name_like,
                person=person,
                towns=towns,
                qualifier=qualifier,
            )
        )
        i += n
        if extra is not None:
            out.append(extra)
            while i < len(tokens) and tokens[i][0] < extra.end:
                i += 1
        if not person:
            free = i  # a given name read as a person leaves its surname the context of one ("Dave Hamilton")
    counties = gaz.counties and ("ounties" in text or "arishes" in text) and _COUNTIES.search(text)
    return _county_lists(text, tokens, gaz, out) if counties else out


_COUNTIES = re.compile(r"\b(?:[Cc]ounties|[Pp]arishes)\b")


def _county_lists(text: str, tokens: Sequence[tuple[int, int, str]], gaz: Gazetteer, found: list[Match]) -> list[Match]:
    """Counties named in a list that shares the word: "Ash and Vale counties", "Ash, Thorn and Brook counties".

    Each name of the list, read back from the shared word, is its county (a name that is no county ends the list), in
    place of whatever reading the scan gave it ("Madison" the town, "Love" the word).
    """
    starts = [t[0] for t in tokens]
    lists: list[Match] = []
    for hit in _COUNTIES.finditer(text):
        one: list[Match] = []  # this list's names, last first
        suffix = "county" if hit.group().lower() == "counties" else "parish"
        k = bisect.bisect_left(starts, hit.start()) - 1  # the list's last word
        if k < 0 or text[tokens[k][1] : hit.start()] != " ":
            continue
        while tokens[k][2][:1].isupper():
            first = k  # a name is one to three capitalised words ("Otter Tail"), or fewer ("Small Hitchcock")
            while first > 0 and k - first < 2 and tokens[first - 1][2][:1].isupper() and text[tokens[first - 1][1] : tokens[first][0]] == " ":
                first -= 1
            county: tuple = ()
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


_QUALIFIER_RX: dict[int, re.Pattern[str] | None] = {}


def _qualifier_rx(gaz: Gazetteer) -> re.Pattern[str] | None:
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
_PARTY_LETTERS = frozenset("D R I DFL".split())
_PARTY = re.compile(r"(?:^|[\s(,])(?:D|R|I|DFL)-\Z")


def _after_party(text: str, start: int) -> bool:
    """A name right after a party letter and a hyphen ("Sen. Jane Roe, D-Pa.", "Rep. John Doe, R-Elbow Lake"): a
    legislator's state or home town, as US news writes it."""
    return text[start - 1 : start] == "-" and bool(_PARTY.search(text, max(0, start - 5), start))


def _division_abbreviation(text: str, tokens: Sequence[tuple[int, int, str]], i: int, gaz: Gazetteer) -> Match | None:
    """A state's dotted abbreviation at token ``i`` after a comma and a capitalised word or after a party letter
    ("Pine County, W. Va.", "D-Ill."): a mention of the state, read even where the name before it is no town the
    gazetteer knows. Only dotted forms: a bare code after a comma ("…, OK") is as often a word."""
    start = tokens[i][0]
    if not (text[start - 2 : start] == ", " and i > 0 and tokens[i - 1][2][:1].isupper() or _after_party(text, start)):
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
    return Match(start, m.end(1), m.group(1), (div,), cue="strong")


_DATELINE_TAIL = re.compile(r"(?:,\s*[A-Z][\w.]*(?: [A-Z][\w.]*)?)?\s*(?:\([^)\n]{1,30}\)\s*)?[-\u2014\u2013]")


def _after_number(text: str, start: int) -> bool:
    """"500 B.C." is a year, not British Columbia."""
    return bool(re.search(r"\d\s*$", text[max(0, start - 8) : start]))


def _dateline(text: str, start: int, end: int) -> bool:
    """A name opening a line and followed by a dash ("CITY, State (Agency) —"): the story's dateline.

    Written in capitals, it may follow the headline on the same line ("… in April. TOWN — Officials said …"), as
    feeds and pages that join a story's parts give it.
    """
    opens = start == 0 or text[start - 1] == "\n" or (
        text[start + 1 : start + 2].isupper() and end - start >= 3 and text[start:end].isupper() and _sentence_initial(text, start))
    return opens and bool(_DATELINE_TAIL.match(text, end))


# Arabic articles written before a hyphen in Latin script (el-Mandeb, al-Aqsa): they may open a name.
_EN_ARTICLES = frozenset("al el ad ed ash as at ar an az ul ud de di da du d".split())


# Abbreviations that open a place's name, written with a period ("St. Louis", "Mt. Pleasant", "Ft. Worth").
_EN_NAME_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
_EN_NAME_ABBREVIATION_FORMS = frozenset(f for a in _EN_NAME_ABBREVIATIONS for f in (a.capitalize(), a.upper()))


def _saint_abbreviation(text: str, tokens: Sequence[tuple[int, int, str]], i: int) -> str:
    """The full word of "St." / "Mt." / "Ft." opening a name at token ``i`` (its key form), or "".

    After another capitalised word the abbreviation closes a street's name instead ("Main St. Joseph said"), unless
    that word opens the sentence ("In St. Louis").
    """
    start, end, word = tokens[i]
    full = _EN_NAME_ABBREVIATIONS.get(word.lower())
    if full is None or text[end : end + 2] != ". " or i + 1 >= len(tokens) or tokens[i + 1][0] != end + 2:
        return ""
    if i > 0 and _latin_adjoining(text, tokens[i - 1], tokens[i]) and tokens[i - 1][2][:1].isupper() and not _sentence_initial(text, tokens[i - 1][0]):
        return ""
    return full


def _possessive(text: str, tokens: Sequence[tuple[int, int, str]], k: int) -> bool:
    """Is token ``k`` the "s" of a possessive ("Mary's")?"""
    return tokens[k][2] == "s" and k > 0 and text[tokens[k - 1][1] : tokens[k][0]] in _APOSTROPHES


def _capitalised(word: str, tokens: Sequence[tuple[int, int, str]], k: int, text: str) -> bool:
    """A proper-noun word: capitalised, or a lower-case Arabic article hyphened to the next word (el-Mandeb)."""
    if word[0].isupper():
        return True
    return word in _EN_ARTICLES and k + 1 < len(tokens) and text[tokens[k][1] : tokens[k + 1][0]] == "-"


def _connector(tokens: Sequence[tuple[int, int, str]], k: int, text: str) -> bool:
    """A lower-case word inside a name: "of", "de", "and" ("Trinidad and Tobago"), or the "s" of a possessive ("Cox's
    Bazar"); a name never ends with one."""
    word = tokens[k][2]
    if word.lower() in _EN_CONNECTORS or word == "and":
        return True
    return _possessive(text, tokens, k)


def _latin_adjoining(text: str, a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    gap = text[a[1] : b[0]]
    # Runs of spaces count as one (text pasted from a layout: "North             America"), a line break does not.
    # An apostrophe joins the parts of one name: "N'Djamena", "Côte d'Ivoire", "Cox's Bazar".
    return gap in (" ", "-", "\u00a0") or gap in _APOSTROPHES or len(gap) <= 24 and gap.strip(" \u00a0") == ""


def _sentence_initial(text: str, start: int) -> bool:
    j = start - 1
    while j >= 0 and text[j] in " \t\"'“‘«(":
        j -= 1
    return j < 0 or text[j] in ".!?\n\r:;"

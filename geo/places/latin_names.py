"""English (Latin-script) place names in article text: capitalised word runs looked up in the gazetteer.

A name runs over adjoining capitalised words and connectors ("Sea of Japan", "Trinidad and Tobago", "Cox's Bazar",
"N'Djamena"); the longest run that is a key wins. Guards drop newspapers, streets and teams named after a place
("Washington Post", "Nanjing Road", "Real Madrid"), people ("Jordan Peterson", "Sen. Clinton"), calendar words and
a lone direction; a qualifier after the name (", Fla.", ", Georgia") keeps the towns of that division. Local news
names its towns through their bodies and people ("X Police", "an X man", "Jane Roe of X", "R-X"), in lists that share
"counties", with "St."/"Mt." and state abbreviations: each reads as a cue.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from geo.core.text import name_key, normalise_latin
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
from geo.places.us_divisions import (
    PARTY_LETTERS,
    after_party,
    county_lists,
    division_abbreviation,
    qualifier_pattern,
)

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
# common word ("Young men", "Area woman"). Neither counts for a curated false friend ("Hamas officials"). "City" and
# "Town" count only with the body after them: "X City" and "X Town" alone are as often football clubs (brands named
# after a town stay out: see ``en_brand``).
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


# Words that name a kind of force or body before "Police", "Council" …, not a town ("Federal Police", "University
# Police", "National Council"), whatever small town bears them.
_EN_FORCE_WORDS = frozenset(
    "federal national state university royal military metropolitan border transit capitol international central "
    "regional municipal provincial secret".split()
)


def _civic(text: str, after: tuple[int, int, str], before: str, common_word: bool) -> bool:
    """Is the name followed (``after``: the next word) by its town's public body or people?

    Not when a capitalised word other than an article stands right before it: then the name is the tail of a
    longer one the gazetteer lacks ("Elm Hollow man", "West Bank Mayor", "European Union officials").
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
    qualifier_rx = qualifier_pattern(gaz)
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
            division = division_abbreviation(text, tokens, i, gaz)
        if division is not None:
            out.append(division)  # "Elm Hollow, W. Va.", "Rep. Jane Roe, D-Pa.": the state, whatever the town before it
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
            if key in gaz.adjectives and (hit is None or all(name_key(gaz.entries[j].name) != key for j in hit)):
                # A country's demonym over a town's alternate name ("Kazakh" is also an old name of Petropavl).
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
            and en_speaker(text, start, end, prev, after, prev in _EN_CUES or prev == "of" or after_party(text, start))
            and all(is_minor(gaz.entries[j]) for j in hit)
        )
        # "Kim Jong Un", "Jordan Peterson": a one-word name run into another capitalised word reads as a person.
        # Only a name that is also a given name counts: "Paris Police", "Georgia Bureau" are the place's institutions.
        name_like = (
            n == 1 and bool(after) and after[0].isupper() and after.lower() not in _EN_CONNECTORS
            and after not in EN_INSTITUTION and (key in gaz.given_names or key in gaz.person_names)
        )
        initial = _sentence_initial(text, start)
        # A town's body or people after it ("X Police"): not for a curated false friend or a common word ("Hamas
        # officials", "Federal Police", "University Police").
        civic = (next_token is not None and key not in gaz.strict_words and key not in _EN_FORCE_WORDS
                 and _civic(text, next_token, before, key in gaz.common_words))
        cue = "strong" if prev in _EN_CUES or _dateline(text, start, end) or prev == "of" and (
            _EN_OF_CUE.search(text, max(0, start - 30), start)
            or not after[:1].isupper() and _EN_RESIDENT_OF.search(text, max(0, start - 50), start)) \
            or after in _EN_FACILITY or civic or before in PARTY_LETTERS and after_party(text, start) else ""
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
    return county_lists(text, tokens, gaz, out)


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
    """A proper-noun word: capitalised, a lower-case Arabic article hyphened to the next word (el-Mandeb), or the
    lower-case rest of a capitalised word after an apostrophe ("Xi'an"; not a possessive's "s")."""
    if word[0].isupper():
        return True
    if word in _EN_ARTICLES and k + 1 < len(tokens) and text[tokens[k][1] : tokens[k + 1][0]] == "-":
        return True
    return (word != "s" and k > 0 and text[tokens[k - 1][1] : tokens[k][0]] in _APOSTROPHES
            and tokens[k - 1][2][:1].isupper() and len(word) >= 2)


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

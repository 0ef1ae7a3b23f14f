"""Arabic sentence context that says a matched place name is no place here.

The name scan (``geo.places.matching``) finds every span that spells a gazetteer name; these guards read the
words around each Arabic span and the sentence it stands in:

- **words of their own**: a span the scan found by peeling a proclitic off a word that is frequent as a whole
  (كريم → ك + ريم, كلاوس → ك + لاوس) is that word: dropped;
- **bodies and facilities**: a name right after سوق، شرطة، تلفزيون، طيران، ستاد … is part of the name of a
  market, police force, broadcaster, airline or stadium (سوق دبي المالي, طيران الإمارات): dropped;
- **outlets and speakers**: a town's name right after a verb of reported speech is the speaker's
  (قال بولتون), one after the verb and li- the outlet or person spoken to (قال لـ«الشرق الأوسط»);
- **people**: a town's name right before a transcribed surname (ستيف جوبس، ريجينا سايدل) is a given name, one
  after a title and its nisba adjectives (السفير الأمريكي جون بولتون) its holder's;
- **people and bodies**: a name after a kunya or nasab word (أبو غزة، بن الخليل) is a person's, after
  "movement/front … for the liberation of" (حركة تحرير السودان) a body's: dropped;
- **notions**: a region whose name has the article written without it (شرق أوسط جديد): dropped;
- **titles**: a name among other words inside quotes opened right after a work noun (مسلسل «أيام في مصر»,
  كتاب "مصر القديمة") is part of the title: dropped;
- **adjectives**: a one-word name with the article right after a definite noun agrees with it (الصحابي الجليل
  "the venerable companion", not Galilee): dropped, or for a country named like its feminine nisba
  (الصحيفة السعودية) marked ``adjectival`` like الفرنسية;
- **clubs**: in a sentence that reports a match (مباراة، منتخب، الدوري، فاز، تعادل …) a city named without a
  locative cue is its club (فاز برشلونة على بورتو); a city after في، إلى، مدينة, an event word (أولمبياد بكين)
  or opening a dateline stays a place. A country there is its national side only in a side's role: the
  subject of a match verb (حققت فرنسا فوزا), a player's role (حارس إيطاليا), the opponent (أمام، ضد، ضيفها),
  or followed by a result (على موريتانيا 3 - 1).

A speaker or a person's name is marked ``person`` (its other bare mentions in the article are that name too,
as for ``_clubs`` in matching); every other span named above is dropped alone. The word lists are in ``data/ar_context.json``.
Everything here is pure and linear in the article: one pass over its tokens, a bisect per match.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from collections.abc import Sequence
from dataclasses import replace

from geo.core.document import Document
from geo.core.errors import DataError
from geo.core.resources import data_file
from geo.core.text import ar_key, normalise_ar
from geo.core.tokens import NameToken
from geo.places.entry import Entry, is_minor
from geo.places.gazetteer import Gazetteer
from geo.places.people import ar_person
from geo.places.readings import Match

CONTEXT_FILE = data_file("ar_context.json")
TITLE_WINDOW = 3  # words between a title and the name it introduces (nisba adjectives, a given name)
SPEAKING_TOWN = 200_000  # below this a town named as the subject of قال is a person, above it may be a government
SPORTS_SENTENCE = 3  # a strong sports word counts 2, a weak one 1: a match report scores at least this
_GAP = re.compile(r"[\s\"'«»“”\u0640]{1,4}")  # spaces, quotes, tatweel between two words of one phrase
_DATELINE_TAIL = re.compile(r"\s*(?:\([^)\n]{1,30}\)\s*)?[-\u2013\u2014:]")
_PLACE_BEFORE = frozenset(ar_key(w) for w in "مدينة العاصمة عاصمة منطقة محافظة محافظ ولاية إقليم بلدة قرية".split())
_CREDIT_TAIL = re.compile(r"\s*[-\u2013\u2014]\s*[^\s.:\-]+(?:\s+[^\s.:\-]+){0,2}\s*:")  # "- الراية :", "- أ ف ب :"
_SCORE = re.compile(r"(?<![\d.,])(?:\d{1,2}|صفر)\s*-\s*(?:\d{1,2}|صفر)(?![\d.,])")
# A word opening with one of these may be a clitic and a word, or a verb in the imperfect
# (تعتزم: "تل أبيب تعتزم" is the government speaking), rather than a transcribed name.
_CLITIC_LETTERS = frozenset("وفبلكتين")
TITLE_REACH = 40  # characters a quoted title reaches either side of a name in it
_QUOTES = ('"', "«", "»", "“", "”")
_SYMMETRIC_QUOTES = frozenset('"')
_LIBERATION = frozenset((ar_key("تحرير"),))
_TO = frozenset(normalise_ar(w) for w in ("إلى", "الى"))
_SENTENCE_BREAK = re.compile(r"[.!?؟؛:\n]")
# How many words before "إلى" a word that governs it may stand: "دعت الحكومة المصرية إلى".
CALL_REACH = 4
_HAMZA_SEATS = ("ئ", "ؤ")
_DIRECTIONS = frozenset(ar_key(w) for w in "شمال جنوب شرق غرب شمالي جنوبي شرقي غربي وسط".split())
_ON = normalise_ar("على")
_DASH_AFTER = re.compile(r"\s*[-\u2013\u2014:]")
_PRONOUNS = frozenset(("ها", "ه", "هم"))
_LOCATIVE = frozenset(("ب", "ل"))  # a preposition written apart (ب القاهرة): in, to


@functools.lru_cache(maxsize=1)
def _lists() -> dict[str, frozenset[str]]:
    """The word lists of ``ar_context.json``, folded to the keys ``_forms`` gives a text word."""
    try:
        raw = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
        return {name: frozenset(ar_key(w) for w in part["ar"]) for name, part in raw.items() if not name.startswith("_")}
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise DataError(f"{CONTEXT_FILE}: cannot read the Arabic context words ({err}); restore the file from the package") from err


@functools.lru_cache(maxsize=1)
def _agencies() -> frozenset[tuple[str, ...]]:
    """The agency credits of ``ar_context.json`` as tuples of folded words (أ ف ب → ("ا", "ف", "ب"))."""
    raw = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    return frozenset(tuple(normalise_ar(w) for w in a.split()) for a in raw["agencies"]["ar"])


@functools.lru_cache(maxsize=1 << 14)
def _forms(norm: str) -> frozenset[str]:
    """A folded word's keys: as written, and without a proclitic stack (و/ف, then ب/ل/ك) and article."""
    out = {ar_key(norm)}
    w = norm
    if w[:1] in ("و", "ف") and len(w) > 3:
        w = w[1:]
        out.add(ar_key(w))
    if w[:1] in ("ب", "ل", "ك") and len(w) > 3:
        out.add(ar_key(w[1:]))
        if w.startswith("لل"):
            out.add(ar_key(w[2:]))
    return frozenset(out)


def _in(token: NameToken | None, words: frozenset[str]) -> bool:
    return token is not None and not _forms(token.norm).isdisjoint(words)


def guard(doc: Document, matches: Sequence[Match], gaz: Gazetteer) -> list[Match]:
    """The matches without the spans their sentence unmakes, people's names marked ``person`` (see the module doc)."""
    tokens = doc.arabic_names
    if not tokens:
        return list(matches)
    words = _lists()
    starts = [t.start for t in tokens]
    sports: list[int] | None = None  # sports score per sentence, computed when a city needs it
    out: list[Match] = []
    for i, m in enumerate(matches):
        k = bisect.bisect_right(starts, m.start) - 1
        if m.adjectival or not m.candidates or k < 0 or not tokens[k].start <= m.start < tokens[k].end:
            out.append(m)
            continue
        tok = tokens[k]
        clitic = doc.text[tok.start : m.start]  # a proclitic the scan peeled off the name (و، ب، ل …)
        prev = _before(doc.text, tokens, k)
        prev2 = _before(doc.text, tokens, k - 1) if prev is not None else None
        top = gaz.entries[m.candidates[0]]
        if not m.cue and not clitic and _opens_dateline(doc.text, tokens, m):
            m = replace(m, cue="strong")  # "جدة - ": the town a report was filed from, whatever else the word means
        if clitic and tok.norm in gaz.clitic_words:
            continue  # كريم، كلاوس، وجيزة: a word of its own, not a proclitic before a name
        if not clitic and _in(prev, words["body_before"]) and not _in(tok, _PLACE_BEFORE):
            continue  # سوق دبي, طيران الإمارات: the body's name, not the town
        if _told(doc.text, tokens, k, clitic, words["speech_verbs"]):
            continue  # قال لـ«الشرق الأوسط»: the outlet spoken to
        if _hamza_differs(doc.text, m, gaz):
            continue  # فوجئ "was surprised" is not فوجي (Fuji): the hamza says another word
        if m.noun_name and not clitic and _called_for(doc.text, tokens, k, prev, words["call_for_before"]):
            continue  # دعا الوزير إلى وقف القتال: the halt called for, not a town named "halt"
        if tok.key in words["kin_before"] and m.end == tok.end and top.kind != "country":
            continue  # أبا أيوب: the kunya word itself, not Aba
        if _construct_before_place(doc.text, matches, i, top):
            continue  # بورصة لندن، رالي تركيا: a common noun in construct with the place after it
        if _adjective_name(tok, prev, m, clitic, top, words):
            continue  # دعم مالي "financial support": the adjective, not Mali
        if not clitic and _in(prev, words["kin_before"]) and top.kind != "country":
            continue  # أحمد أبو غزة، إسماعيل بن الخليل: a kunya or nasab, part of a person's name
        if not clitic and _in(prev, _LIBERATION) and _in(prev2, words["org_before"]):
            continue  # حركة تحرير السودان: the body's name
        if not _in(prev, _PLACE_BEFORE) and _concept(doc.text, m, clitic, top):
            continue  # شرق أوسط جديد: the region's name written without its article is a notion, not the region
        if _in_title(doc.text, tokens, m, words["work_before"]):
            continue  # مسلسل «أيام في مصر»: a word of a work's title
        if top.kind == "country" and tok.norm.endswith("يه") and not clitic and prev is not None and prev.norm.startswith("ال") and _in(prev, _PLACE_BEFORE):
            m = replace(m, adjectival=True)  # العاصمة السعودية "the Saudi capital": the country's adjective
            out.append(m)
            continue
        # Not the object of a verb that takes a place (زار رئيس الوزراء الإسباني الرباط): matching gave it a strong cue.
        if m.cue != "strong" and _agreeing_adjective(doc.text, tokens, k, m, top, prev, words):
            if top.kind != "country":
                continue  # الصحابي الجليل "the venerable companion": an adjective, no place
            m = replace(m, adjectival=True)  # المحادثات الإسرائيلية السعودية: the country's adjective, as الفرنسية is
        if not m.person and not clitic and not m.cue and _small(top) and _in(prev, words["speech_verbs"]):
            m = replace(m, person=True)  # وقال بولتون: the speaker
        elif not m.person and not m.cue and not clitic and is_minor(top) and _titled(doc.text, tokens, k, gaz):
            m = replace(m, person=True)  # وزير الخارجية الأمريكي كولن، السفير الأمريكي جون بولتون: a title's holder
        elif not m.person and not m.cue and is_minor(top) and _named_person_after(doc.text, tokens, m, gaz):
            m = replace(m, person=True)  # ستيف جوبس، كولن باول: a given name before a transcribed surname
        elif (not m.cue and not clitic and top.kind == "country" and _titled(doc.text, tokens, k, gaz, reach=1)
              and _named_person_after(doc.text, tokens, m, gaz)):
            continue  # رئيسة الوزراء الإيطالية جورجيا ميلوني: a given name between a title and a surname
        elif not m.person and top.kind in ("city", "country") and not m.cue and not m.place_noun and not clitic:
            if sports is None:
                sports = _sports_scores(doc, tokens, words)
            s = bisect.bisect_right(doc.sentences, (m.start, float("inf"))) - 1
            if s >= 0 and sports[s] >= SPORTS_SENTENCE:
                if top.kind == "city" and not _stays_place(doc.text, tokens, k, m, words):
                    continue  # فاز برشلونة على ضيفه: the club (its city may be the place elsewhere in the article)
                side = _in(prev, words["team_before"]) or (
                    prev is not None and prev.norm in _PRONOUNS and _in(prev2, words["team_before"])  # ضيفت ها
                ) or (  # الفوز على أوزبكستان (but الحرب على لبنان)
                    prev is not None and prev.norm == _ON and (_in(prev2, words["sports_weak"]) or _in(prev2, words["sports_strong"]))
                )
                if top.kind == "country" and (side or _SCORE.match(doc.text, _after_space(doc.text, m.end))):
                    continue  # حققت فرنسا فوزا، حارس إيطاليا، على موريتانيا 3 - 1: the national side
        out.append(m)
    return out


def _adjective_name(
    tok: NameToken, prev: NameToken | None, m: Match, clitic: str, top: Entry, words: dict[str, frozenset[str]]
) -> bool:
    """A country named like a common masculine adjective (مالي "financial"), right after an indefinite masculine
    noun (no article, no feminine ة) that is no head of a country's name (رئيس مالي) and with no cue before it."""
    if clitic or m.cue or top.kind != "country" or prev is None or not _in(tok, words["adjective_names"]):
        return False
    noun = prev.norm
    # ت: a feminine verb before its subject (أعلنت مالي "Mali announced"), as a country is feminine.
    return not noun.startswith("ال") and not noun.endswith(("ه", "ت")) and not _in(prev, words["country_heads"])


def _hamza_differs(text: str, m: Match, gaz: Gazetteer) -> bool:
    """The span writes a hamza on ya or waw (ئ ؤ) that none of its places' Arabic names has: another word."""
    if not any(h in m.text for h in _HAMZA_SEATS):
        return False
    names = [gaz.entries[j].name_ar for j in m.candidates]
    return all(n and not any(h in n for h in _HAMZA_SEATS) for n in names)


def _construct_before_place(text: str, matches: Sequence[Match], i: int, top: Entry) -> bool:
    """A one-word town right before another place's name, nothing between: a noun in construct (بورصة لندن)."""
    m = matches[i]
    if i + 1 >= len(matches) or " " in m.text.strip() or top.kind != "city" or top.capital:
        return False
    n = matches[i + 1]
    if n.adjectival or not n.candidates or text[m.end : n.start] != " ":
        return False
    return ar_key(n.text.split()[0]) not in _DIRECTIONS  # طولكرم شمال الضفة: where it lies, not a construct


def _after_space(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t":
        i += 1
    return i


def _concept(text: str, m: Match, clitic: str, top: Entry) -> bool:
    """A region of several words whose Arabic name has the article, written with none (شرق أوسط جديد): a notion."""
    words = m.text.split()
    if top.kind not in ("region", "water") or len(words) < 2 or not any(w.startswith("ال") for w in normalise_ar(top.name_ar).split()):
        return False
    first = normalise_ar(words[0])[len(clitic) :]
    if clitic.endswith("ل") and first.startswith("ل"):
        return False  # للشرق الأوسط: li- and the article
    return not any(normalise_ar(w).startswith("ال") for w in [first] + words[1:])


def _in_title(text: str, tokens: Sequence[NameToken], m: Match, works: frozenset[str]) -> bool:
    """The name is one of several words inside quotes that open right after a work noun (كتاب «مصر القديمة»)."""
    line = text.rfind("\n", 0, m.start) + 1
    left = text[max(line, m.start - TITLE_REACH) : m.start]
    o = max(left.rfind(q) for q in _QUOTES)
    if o < 0 or sum(left.count(q) for q in _QUOTES if q in _SYMMETRIC_QUOTES) % 2 == 0 and left[o] in _SYMMETRIC_QUOTES:
        return False  # no quote open before the name
    opening = m.start - len(left) + o
    tail = text[m.end : m.end + TITLE_REACH]
    c = min((i for i in (tail.find(q) for q in _QUOTES) if i >= 0), default=-1)
    if c < 0 or not (text[opening + 1 : m.start].strip() or tail[:c].strip()):
        return False  # unclosed, or the quotes hold the name alone (صحيفة «الأهرام» is a brand's, not a title's)
    k = bisect.bisect_left(tokens, opening, key=lambda t: t.end) - 1
    k = k if k >= 0 and tokens[k].end <= opening else k - 1
    return k >= 0 and text[tokens[k].end : opening].strip() == "" and _in(tokens[k], works)


def _agreeing_adjective(
    text: str, tokens: Sequence[NameToken], k: int, m: Match, top: Entry, prev: NameToken | None, words: dict[str, frozenset[str]]
) -> bool:
    """A one-word name with the article right after a definite noun agrees with it as an adjective.

    Arabic writes a place after a noun in construct, without the noun's article (مطار القاهرة); a definite noun
    followed by a definite word is a noun and its adjective (الصحابي الجليل "the venerable companion", العائلة
    المالكة السعودية). Countries keep their name unless it is also a feminine nisba (السعودية). A title or a
    subject noun before a verb's object (زار الوفد الخليل), a place noun (العاصمة القاهرة) and a dateline stay.
    """
    tok = tokens[k]
    if prev is None or m.start != tok.start or m.end != tok.end or not tok.norm.startswith("ال"):
        return False
    if text[prev.end : tok.start].strip():
        return False  # الرئاسة الروسية "الكرملين": a quoted name is an apposition, not an adjective
    if top.kind == "country" and not tok.norm.endswith("يه"):
        return False
    if not prev.norm.startswith("ال") or len(prev.norm) < 5 or _in(prev, _PLACE_BEFORE) or _in(prev, words["subject_before"]):
        return False
    if _after_place_noun(text, tokens, k):
        return False  # العاصمة المصرية القاهرة: the name in apposition to "the Egyptian capital", no adjective
    if _in(_before(text, tokens, k - 1), words["travel_verbs"]):
        return False  # يغادر الأهلي القاهرة: verb, subject, object (the club leaves Cairo)
    return not ar_person(prev.norm, "") and not _dateline(text, tokens, m)


def _nisba(tok: NameToken) -> bool:
    """A definite nisba adjective (المصرية، الكورية، الجنوبية, الساحلي)."""
    return tok.norm.startswith("ال") and tok.norm.endswith(("ي", "يه"))


def _after_place_noun(text: str, tokens: Sequence[NameToken], k: int) -> bool:
    """``tokens[k]`` follows a definite place noun and its nisba adjectives only (العاصمة الكورية الجنوبية سيول)."""
    j = k
    for _ in range(TITLE_WINDOW):
        p = _before(text, tokens, j)
        if p is None:
            return False
        if p.norm.startswith("ال") and _in(p, _PLACE_BEFORE):
            return j < k  # at least one nisba between: right after the noun is handled by the caller
        if not _nisba(p):
            return False
        j -= 1
    return False


def _titled(text: str, tokens: Sequence[NameToken], k: int, gaz: Gazetteer, reach: int = 0) -> bool:
    """A title three words back at most, only its nisba adjectives and a given name between (السفير الأمريكي جون);
    with ``reach``, at least that many words back, and the title may take a definite noun in construct
    (رئيسة الوزراء الإيطالية جورجيا). Without it, more than one word back (matching reads a name right after
    its title)."""
    j = k
    for _ in range(TITLE_WINDOW):
        p = _before(text, tokens, j)
        if p is None:
            return False
        if ar_person(p.norm, "") or ar_person("ال" + p.norm, ""):  # السفير، or وزير in construct (وزير الخارجية)
            return k - j >= reach if reach else j < k  # right after the title is matching's own rule (ar_person)
        nisba = p.norm.startswith("ال") and (p.norm.endswith("ي") or p.norm.endswith("يه"))
        # (A given name before a country's name would be a person's other name: with reach, none may stand there.)
        given = not reach and (p.key in gaz.name_words or p.key in gaz.ar_names or p.key in gaz.first_keys and p.key not in gaz.keys)
        if not (nisba or given):
            q = _before(text, tokens, j - 1) if reach and p.norm.startswith("ال") else None
            return q is not None and ar_person("ال" + q.norm, "")  # رئيسة الوزراء: the title's complement
        j -= 1
    return False


def _named_person_after(text: str, tokens: Sequence[NameToken], m: Match, gaz: Gazetteer) -> bool:
    """The word right after the name is a transcribed name (written only bare, rare, no place's): جوبس، باول."""
    k = bisect.bisect_left(tokens, m.end, key=lambda t: t.start)
    if k >= len(tokens) or not _GAP.fullmatch(text, m.end, tokens[k].start) or '"' in text[m.end : tokens[k].start]:
        return False
    nxt = tokens[k]
    if nxt.norm[:1] in _CLITIC_LETTERS or nxt.norm.startswith("ال"):
        return False
    return nxt.key in gaz.name_words and nxt.norm not in gaz.function_words


def _told(text: str, tokens: Sequence[NameToken], k: int, clitic: str, verbs: frozenset[str]) -> bool:
    """li- before the name, a verb of speech one or two words before that: قال (مسؤول) لـ«…»."""
    if clitic.endswith("ل"):
        j = k  # the li- is on the name's own token
    elif clitic == "" and (p := _before(text, tokens, k)) is not None and p.norm == "ل":
        j = k - 1  # written apart: لـ «…»
    else:
        return False
    for _ in range(2):
        p = _before(text, tokens, j)
        if p is None:
            return False
        if _in(p, verbs):
            return True
        j -= 1
    return False


def _small(e: Entry) -> bool:
    """A town too small to speak for its country: دعت نيودلهي is India's government, قال بولتون a person."""
    return is_minor(e) and e.population < SPEAKING_TOWN


def _called_for(text: str, tokens: Sequence[NameToken], k: int, prev: NameToken | None, governors: frozenset[str]) -> bool:
    """``tokens[k]`` follows an إلى that a verb or noun of calling, aiming or leading (دعا، يهدف، أدى) governs, at most
    :data:`CALL_REACH` words before it in the same sentence."""
    if prev is None or prev.norm not in _TO:
        return False
    for j in range(k - 2, max(-1, k - 2 - CALL_REACH), -1):
        if _SENTENCE_BREAK.search(text, tokens[j].end, tokens[j + 1].start):
            return False
        if _in(tokens[j], governors):
            return True
    return False


def _before(text: str, tokens: Sequence[NameToken], k: int) -> NameToken | None:
    """The token before ``tokens[k]`` when only spaces, quotes or tatweel stand between them."""
    if k <= 0:
        return None
    a, b = tokens[k - 1], tokens[k]
    return a if _GAP.fullmatch(text, a.end, b.start) else None


def _stays_place(text: str, tokens: Sequence[NameToken], k: int, m: Match, words: dict[str, frozenset[str]]) -> bool:
    """A city in a sports report that is still the place: an event held there, an apposition, a dateline."""
    prev = _before(text, tokens, k)
    prev2 = _before(text, tokens, k - 1) if prev is not None else None
    if prev is not None and prev.norm in _PRONOUNS and prev2 is not None:
        prev, prev2 = prev2, _before(text, tokens, k - 2)  # استضافت ها مراكش: a pronoun written apart
    if _in(prev, words["event_before"]) or _in(prev, _LOCATIVE) or _in(prev, _PLACE_BEFORE) or _in(prev2, _PLACE_BEFORE):
        return True
    if _in(prev2, words["travel_verbs"]) or _in(prev, words["travel_verbs"]):
        return True  # يغادر الأهلي القاهرة: the club leaves the city, the verb's object
    return _dateline(text, tokens, m)


def _dateline(text: str, tokens: Sequence[NameToken], m: Match) -> bool:
    """The town a report was filed from: "NAME -" opening a line or sentence, "NAME - PAPER :", "NAME رويترز :"."""
    if _CREDIT_TAIL.match(text, m.end):
        return True
    j = m.start - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    if (j < 0 or text[j] in "\n.") and _DATELINE_TAIL.match(text, m.end):
        return True
    k = bisect.bisect_left(tokens, m.end, key=lambda t: t.end)  # the first token after the name
    following = tuple(t.norm for t in tokens[k + 1 : k + 5]) if k < len(tokens) and tokens[k].end == m.end else ()
    if following and "(" in text[m.end : tokens[k + 1].start]:
        close = text.find(")", m.end, m.end + 40)
        if close < 0 or not _DASH_AFTER.match(text, close + 1):
            return False  # الوكرة (رويترز - أرشيف): a photo credit; القاهرة (أ ف ب) - is a dateline
    return any(following[: len(a)] == a for a in _agencies())


def _opens_dateline(text: str, tokens: Sequence[NameToken], m: Match) -> bool:
    """A dateline that opens its line or sentence ("جدة - ", "صور (رويترز) -"), on a line with no match result
    ("ليل (فرنسا) - ميلان (إيطاليا) صفر - صفر" pairs two clubs)."""
    j = m.start - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    if j >= 0 and text[j] not in "\n.":
        return False
    end = text.find("\n", m.end)
    line = text[m.end : end if end >= 0 else len(text)]
    return _dateline(text, tokens, m) and not _SCORE.search(line)


def _sports_scores(doc: Document, tokens: Sequence[NameToken], words: dict[str, frozenset[str]]) -> list[int]:
    """Per sentence of ``doc``: 2 per strong sports word, 1 per weak one, 0 without a strong one (one pass)."""
    scores = [0] * len(doc.sentences)
    strong = [False] * len(doc.sentences)
    starts = [s for s, _ in doc.sentences]
    for t in tokens:
        forms = _forms(t.norm)
        w = 2 if not forms.isdisjoint(words["sports_strong"]) else 1 if not forms.isdisjoint(words["sports_weak"]) else 0
        if w:
            s = bisect.bisect_right(starts, t.start) - 1
            if s >= 0:
                scores[s] += w
                strong[s] = strong[s] or w == 2
    for s, (a, b) in enumerate(doc.sentences):
        if not strong[s] and scores[s] and _SCORE.search(doc.text, a, b):
            strong[s] = True  # a result (2 - 1, 1 - صفر) is a match report's own word
            scores[s] += 2
    return [sc if st else 0 for sc, st in zip(scores, strong)]  # weak words alone (نقطة الصفر) make no match report

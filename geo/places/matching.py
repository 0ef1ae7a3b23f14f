"""Find place mentions in article text and resolve each to one gazetteer entry.

Two steps, both pure:

- ``find_matches`` scans the text for every span whose normalised form is a gazetteer key — Arabic with
  proclitics (و ف ب ل ك, ال, combined: وبال، لل) peeled off, here; English by capitalised word sequences,
  in :mod:`geo.places.latin_names` — longest match first;
- ``resolve`` picks one candidate per match in the article's context (``geo.places.ranking``): prior
  (population, capital, kind, curation), the countries and divisions the article names elsewhere, qualifiers,
  and drops what is only a common word or part of a person's or brand's name here (صور "pictures", "Reading
  the report", "Real Madrid", "Sen. Clinton").
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Sequence
from dataclasses import replace

from geo.core.document import Document
from geo.core.text import ar_key, normalise_ar
from geo.core.tokens import NameToken
from geo.places import ar_context, ranking, scan
from geo.places.clubs import ar_clubs, en_clubs
from geo.places.entry import Entry, is_minor, prior
from geo.places.gazetteer import Gazetteer
from geo.places.latin_names import latin_matches
from geo.places.people import (
    ar_brand,
    ar_person,
)
from geo.places.readings import Match, Resolved

__all__ = ["Match", "Resolved", "find_matches", "ranked_candidates", "resolve"]

# Proclitic stacks: conjunction, then preposition; the article is peeled separately.
_AR_PREFIXES = tuple(c + p for c in ("", "و", "ف") for p in ("", "ب", "ل", "ك"))
# Place nouns whose next word names the place: the dual (في مدينتي نابلس ورام الله، مينائي حيفا وعكا), a camp
# (مخيم جنين), an island (جزيرة جاوا), with their proclitics.
_AR_NAMED_PLACE_NOUNS = "مدينتي مدينتين بلدتي بلدتين قريتي قريتين مينائي مخيم بمخيم لمخيم ومخيم جزيرة بجزيرة لجزيرة وجزيرة"
# Words before a name that make a place reading likely: "in", "to", "city of", "port of" … The strong ones
# also license curated false friends (في جدة); "من" alone does not (بكثير من الرقة "with much gentleness").
_AR_STRONG_CUES = frozenset(
    normalise_ar(w)
    for w in "في إلى الى مدينة بمدينة لمدينة ومدينة ميناء بلدة قرية محافظة ولاية إقليم العاصمة عاصمة مطار بلدات مدن ريف".split()
    + _AR_NAMED_PLACE_NOUNS.split()
)
# Words that stand alone only as particles or as clitics a segmenter split off ("ان ه", "عمل ها", "و قال"):
# never one word of a place name written in two, whatever names the joined letters spell.
_AR_DETACHED = frozenset(normalise_ar(w) for w in "و ف ب ل ك ها هم هما هن ي ان أن إن هي هو او أو".split())
# ... except a final ه (also a split-off ة) or a first alef, which a segmenter cuts off names too.
_AR_SPLIT_FIRST = frozenset(normalise_ar(w) for w in "ا أ إ ب".split())
_AR_SPLIT_LETTERS = frozenset(normalise_ar(w) for w in "ه ا أ إ".split())
_AR_PLACE_NOUNS = frozenset(normalise_ar(w) for w in ("مدينة بمدينة لمدينة ومدينة بلدة ببلدة قرية بقرية ميناء بميناء " + _AR_NAMED_PLACE_NOUNS).split())
_AR_CUES = _AR_STRONG_CUES | frozenset(
    normalise_ar(w) for w in "من نحو عبر شمال جنوب شرق غرب شمالي جنوبي شرقي غربي قرب بالقرب وسط قبالة سواحل ساحل شواطئ".split()
)
# An Egyptian district is named after its town (مركز ملوي، لمركز طهطا): "centre" is a cue before a town only
# ("مركز مالي" is a financial position, not Mali).
_AR_DISTRICT_CUES = frozenset(normalise_ar(w) for w in "مركز بمركز لمركز ومركز".split())
# Place nouns are cues, never names themselves (مدينة "city" ≠ Medina).
_AR_NOT_NAMES = frozenset(
    ar_key(w)
    for w in "مدينة المدينة بلدة قرية منطقة محافظة ولاية ميناء شارع جزيرة جزر بحيرة نهر جبل جبال خليج بحر مضيق وادي سهل صحراء ساحل مخيم معبر حي إقليم عاصمة".split()
)
# Words whose folded form is a place's but whose spelling says otherwise: اليمنى "the right (hand, bank)", not
# اليمني "Yemeni" (ى and ي fold alike).
_AR_NOT_NAMES_SPELLED = frozenset({"اليمنى", "يمنى"})
_AR_STREET = frozenset(ar_key(w) for w in "شارع طريق جادة حي ميدان ساحة".split())  # "حي صلاح الدين" is a district
# Verbs whose direct object is a place: after one, "verb title town" is subject and object (زار الرئيس جدة).
_AR_PLACE_OBJECT_VERBS = frozenset(
    normalise_ar(w) for w in "زار زارت يزور تزور سيزور ستزور غادر غادرت يغادر تغادر سيغادر ستغادر دخل دخلت يدخل تدخل "
    "قصد قصدت بلغ بلغت".split()
)
# Verbs a government addresses another by, its capital the object ("اتهمت الخارجية الإيرانية الرياض"); unlike a
# visit, the object may be a person ("حذر الرئيس الكيني ويليام روتو"), so a person's reading still wins.
_AR_ADDRESS_VERBS = frozenset(
    normalise_ar(w) for w in "اتهم اتهمت يتهم تتهم حذر حذرت يحذر تحذر انتقد انتقدت ينتقد تنتقد دعا دعت يدعو تدعو "
    "طالب طالبت يطالب تطالب ناشد ناشدت هاجم هاجمت أدان أدانت ادان ادانت".split()
)
# Office words of a subject between such a verb and the town: "رئيس الوزراء", "وزير الخارجية", "ولي العهد", "الوفد".
_AR_OFFICE = frozenset(
    normalise_ar(w) for w in "رئيس رئيسة وزير وزيرة ولي نائب الوفد الوزراء الخارجية الدفاع الحكومة العهد الدولة".split()
)
_AR_PRAYER = frozenset(normalise_ar(w) for w in "صلاة صلاه أذان اذان آذان".split())
_AR_SUNSET = ar_key("المغرب")  # the sunset prayer bears Morocco's name
_AR_DIRECTIONS = frozenset(ar_key(w) for w in "الشمالي الجنوبي الشرقي الغربي الأوسط القديم الجديد".split())


def _masculine_nisba(norm: str) -> bool:
    """A definite relative adjective in the masculine: ال…ي (الفاسي، الإسلامي), five letters or more."""
    return norm.startswith("ال") and norm.endswith("ي") and len(norm) >= 6


_AR_OPEN_QUOTES = frozenset('"«“„\'')
# A name followed by one of these is a newspaper, not a place ("نيويورك تايمز").
_AR_MEDIA = frozenset(normalise_ar(w) for w in "تايمز تايم بوست جورنال هيرالد تريبيون جازيت كرونيكل".split())


def find_matches(doc: Document, gaz: Gazetteer) -> list[Match]:
    """Every gazetteer name in the article, Arabic and English, longest first, without overlaps."""
    matches = _credits(doc.text, _arabic_matches(doc.text, doc.arabic_names, gaz)) + en_clubs(doc, latin_matches(doc.text, doc.latin_names, gaz), gaz)
    matches.sort(key=lambda m: m.start)
    return _shared_head(doc.text, _coordinated(doc.text, ar_clubs(doc, ar_context.guard(doc, matches, gaz), gaz), gaz), gaz)


# A nisba alone in parentheses, before ")" or "-": an agency's credit ("(الفرنسية - أرشيف)" is AFP's photo).
_AR_CREDIT = re.compile(r"\(\s*$")
_AR_CREDIT_END = re.compile(r"\s*[-\u2013)]")


def _credits(text: str, matches: list[Match]) -> list[Match]:
    return [m for m in matches if not (m.adjectival and _AR_CREDIT.search(text, max(0, m.start - 3), m.start) and _AR_CREDIT_END.match(text, m.end))]


_LIST_GAP = re.compile(r"\s*(?:[,،]\s*)?(?:و\s?|and\s+|&\s*)")  # و attached, or written apart (أسدود و حيفا)


def _coordinated(text: str, matches: list[Match], gaz: Gazetteer) -> list[Match]:
    """A name joined to another by "و" / "and" (حلب وحماة وحمص, "Hama and Homs") takes that as its cue.

    Only conjunctions count: a comma alone is as often an apposition ("الروسي، فلاديمير بوتين"). A curated false
    friend takes it from a town only: "Israel and Hamas" pairs a country with a movement.
    """
    out = list(matches)
    for k in range(len(out) - 1):
        a, b = out[k], out[k + 1]
        gap = text[a.end : b.start]
        if len(gap) <= 6 and _LIST_GAP.fullmatch(gap) and not (a.adjectival or b.adjectival):
            if not a.cue and not (a.strict and _country(b, gaz)):
                out[k] = replace(a, cue="strong")
            if not b.cue and not (b.strict and _country(a, gaz)):
                out[k + 1] = replace(b, cue="strong")
    return out


def _country(m: Match, gaz: Gazetteer) -> bool:
    return bool(m.candidates) and gaz.entries[m.candidates[0]].kind == "country"


# The words between a region named with its head noun and a name after it in one list: "ريف حماة الشمالي وإدلب".
_HEAD_LIST_GAP = re.compile(r"(?:\s+[\u0621-\u064a]+){0,2}\s*(?:[,،]\s*)?و\s?")


def _shared_head(text: str, matches: list[Match], gaz: Gazetteer) -> list[Match]:
    """An Arabic region named with a head noun shares it with the next name of its list: in "ريف حماة الشمالي
    وإدلب" Idlib is Idlib's countryside (the region "ريف إدلب"), not the city."""
    out = list(matches)
    for k in range(len(out) - 1):
        a, b = out[k], out[k + 1]
        head = a.text.split(maxsplit=1)[0]
        if a.adjectival or b.adjectival or head == a.text or not _HEAD_LIST_GAP.fullmatch(text, a.end, b.start):
            continue
        hit = gaz.keys.get(ar_key(head) + ar_key(b.text))
        if hit and all(gaz.entries[j].kind == "region" for j in hit) and all(gaz.entries[j].kind == "region" for j in a.candidates):
            out[k + 1] = replace(b, candidates=hit, cue="strong")
    return out


# --- Arabic -------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1 << 16)
def _first_forms(bare: str, min_letters: int = 3) -> list[tuple[int, str, bool]]:
    """(letters peeled, key, has article) readings of a first word: whole, then with proclitics removed."""
    forms: list[tuple[int, str, bool]] = []
    for prefix in _AR_PREFIXES:
        if not bare.startswith(prefix) or len(bare) - len(prefix) < min_letters:
            continue
        rest = bare[len(prefix):]
        forms.append((len(prefix), ar_key(rest), ar_key(rest) != normalise_ar(rest)))
        if forms[-1][2]:
            # Hamza-less spelling of a name whose alef-lam is not the article: المانيا (ألمانيا), الجزائر stays article.
            forms.append((len(prefix), normalise_ar(rest), False))
        if prefix.endswith("ل") and rest.startswith("ل") and len(rest) > 3:
            forms.append((len(prefix), ar_key(rest[1:]), True))  # لل = ل + ال with the alef dropped: للصين
    return forms


def _may_start(gaz: Gazetteer, bare: str) -> bool:
    """Whether ``_arabic_matches`` has anything to try at a word written ``bare``: a reading of it begins a name,
    or it is a letter a segmenter split off a name, or a town's name after a place noun, or a name of two words
    written as one."""
    return (
        any(stem in gaz.first_keys for _, stem, _ in _first_forms(bare, 2))
        or normalise_ar(bare) in _AR_SPLIT_FIRST
        or ar_key(bare) in gaz.place_noun_only
        or any(stem in gaz.keys for _, stem, _ in _first_forms(bare, 3))
    )


def _joined_name(text: str, tokens: Sequence[NameToken], i: int, gaz: Gazetteer) -> tuple[int, int, str, tuple[int, ...], bool] | None:
    """A name of several words written as one word (ديرمواس for دير مواس, as Egyptian papers often write it),
    right after a strong cue or a district word: the gazetteer's keys drop inner spaces, but a name is looked
    up from its first word. Returns ``_arabic_matches``' reading (words, peeled, key, candidates, adjectival)."""
    if i == 0 or not _adjoining(text, tokens[i - 1], tokens[i]):
        return None
    before = tokens[i - 1].norm
    if before not in _AR_STRONG_CUES and before not in _AR_DISTRICT_CUES:
        return None
    for peeled, stem, article in _first_forms(tokens[i].bare, 3):
        hit = gaz.keys.get(stem)
        if hit and not article and stem not in gaz.first_keys:
            return (1, peeled, stem, hit, False)
    return None


def _adjoining(text: str, a: NameToken, b: NameToken) -> bool:
    gap = text[a.end:b.start]
    return len(gap) <= 3 and gap.strip() == ""


def _split_first_letter(text: str, tokens: Sequence[NameToken], i: int, gaz: Gazetteer) -> Match | None:
    """A name whose first letter a segmenter split off as a clitic ("ا سرائيل", "ب عقوبة"), or None.

    Only a bare alef or ب standing alone (no word is that letter) and only a name of a country, capital or
    big city: the letter joined to an ordinary word must not make a small town.
    """
    if tokens[i].norm not in _AR_SPLIT_FIRST or i + 1 >= len(tokens) or not _adjoining(text, tokens[i], tokens[i + 1]):
        return None
    if tokens[i + 1].norm in gaz.function_words or tokens[i + 1].norm in _AR_DETACHED:
        return None  # "ب لا" is "without", whatever alternate name بلا is
    hit = gaz.keys.get(ar_key(tokens[i].bare + tokens[i + 1].bare))
    if not hit or all(is_minor(gaz.entries[j]) for j in hit):
        return None
    before = tokens[i - 1].norm if i > 0 and _adjoining(text, tokens[i - 1], tokens[i]) else ""
    cue = "strong" if before in _AR_STRONG_CUES else "weak" if before in _AR_CUES else ""
    start, end = tokens[i].start, tokens[i + 1].end
    return Match(start=start, end=end, text=text[start:end], candidates=hit, cue=cue)


def _verb_object(text: str, tokens: Sequence[NameToken], i: int, verbs: frozenset[str] = _AR_PLACE_OBJECT_VERBS) -> bool:
    """Token ``i`` is the object of a verb whose object is a place, after the verb's subject: a title or office,
    with the holder's nationality ("زار الرئيس المصري جدة", "يزور رئيس الوزراء الهندي دكا")."""
    titled = False
    j = i - 1
    while j >= 0 and i - j <= 4 and _adjoining(text, tokens[j], tokens[j + 1]):
        norm = tokens[j].norm
        if norm.lstrip("وف") in verbs:
            return titled and j < i - 1
        if ar_person(norm, "") or norm in _AR_OFFICE:
            titled = True
        elif not (norm.startswith("ال") and norm.endswith(("ي", "يه")) and len(norm) > 4):  # a nisba: المصري، الإيرانية
            return False
        j -= 1
    return False


def _arabic_matches(text: str, tokens: Sequence[NameToken], gaz: Gazetteer) -> list[Match]:
    out: list[Match] = []
    free = 0  # the first token no match has taken
    # Only the tokens a name may start at are visited (the test below, remembered per word form).
    starts = scan.built(gaz, "arabic-starts", lambda g: scan.WordMemo(functools.partial(_may_start, g)))
    visit = starts.where([t.bare for t in tokens])
    trie = scan.arabic_trie(gaz)
    i = k = 0
    while True:
        k = bisect.bisect_left(visit, i, k)
        if k == len(visit):
            break
        i = visit[k]
        found = None
        if not any(stem in gaz.first_keys for _, stem, _ in _first_forms(tokens[i].bare, 2)):
            split = _split_first_letter(text, tokens, i, gaz) if tokens[i].norm in _AR_SPLIT_FIRST else None
            if split is not None:
                out.append(split)
                i += 2
                free = i
                continue
            if i > 0 and tokens[i - 1].norm in _AR_PLACE_NOUNS and tokens[i].key in gaz.place_noun_only:
                pass  # "مدينة الأبيض": handled below
            elif (found := _joined_name(text, tokens, i, gaz)) is not None:
                pass  # "مدينة ديرمواس": a two-word name written as one word
            else:
                i += 1  # the common case: no name starts with this word
                continue
        # Longest run of adjoining tokens first.
        # No longer than a run whose joined key still begins a gazetteer key (the trie, in C), then adjoining.
        reach = min(gaz.max_words, len(tokens) - i)
        if reach > 1:
            reach = trie.reach([stem for _, stem, _ in _first_forms(tokens[i].bare, 2)], [t.key for t in tokens[i + 1 : i + reach]], reach)
        n_max = 1
        while n_max < reach and _adjoining(text, tokens[i + n_max - 1], tokens[i + n_max]):
            n_max += 1
        # After a strong cue a name may begin with a word that is also a particle: "إلى ميناء أم قصر",
        # "مدينة أبو قرقاص" (أم "or", أبو "father of" head many town names).
        cued_head = int(i > 0 and tokens[i - 1].norm in _AR_STRONG_CUES and _adjoining(text, tokens[i - 1], tokens[i]))
        for n in range(n_max, 0, -1) if found is None else ():
            tail = "".join(t.key for t in tokens[i + 1 : i + n])
            for peeled, stem, article in _first_forms(tokens[i].bare, 3 if n == 1 else 2):
                key = stem + tail
                hit = gaz.keys.get(key)
                if hit and not article and key in gaz.article_keys:
                    continue  # "رياض الأطفال" (kindergartens) is not "الرياض"
                if hit and article and n == 1 and key in gaz.bare_keys:
                    if key not in gaz.adjectives:
                        continue  # "الصور" (the pictures) is not صور (Tyre)
                    hit = None  # التشيلي: a nisba spelled as its country, read below as the adjective
                if hit and n > 1 and any(t.norm in gaz.function_words for t in tokens[i + cued_head : i + n]) and all(
                    is_minor(gaz.entries[j]) for j in hit
                ):
                    continue  # "مؤكدة أن" is not Mukdahan
                if hit and n > 1 and any(t.norm in _AR_DETACHED for t in tokens[i : i + n]):
                    continue  # clitic-segmented text ("ان ه", "و قال"): "ان دور" is not Indore, "بير و" not Peru
                if hit and n > 1 and any(t.norm in _AR_SPLIT_LETTERS for t in tokens[i : i + n]) and all(
                    is_minor(gaz.entries[j]) for j in hit
                ):
                    continue  # a segmenter splits ة or a first alef off a big place too ("جد ه"), but "رد ه" is no Rhede
                adjectival = False
                if hit is None and key in gaz.adjectives:
                    if n > 1 and any(t.norm in gaz.function_words for t in tokens[i + 1 : i + n]):
                        continue  # "مالي إن" (Mali said that …) is not one word, an adjective of Mali
                    hit, adjectival = (gaz.adjectives[key],), True
                if hit and peeled and tokens[i].norm in gaz.clitic_words and all(is_minor(gaz.entries[j]) for j in hit):
                    continue  # "وكالة" is "agency", not "و" + a town
                if hit:
                    found = (n, peeled, key, hit, adjectival)
                    break
            if found:
                break
        if not found and i > 0 and tokens[i - 1].norm in _AR_PLACE_NOUNS and _adjoining(text, tokens[i - 1], tokens[i]):
            key = tokens[i].key  # "مدينة الأبيض": after a place noun even a common word is a town's name
            if key in gaz.place_noun_only:
                found = (1, 0, key, gaz.place_noun_only[key], False)
        if not found:
            i += 1
            continue
        n, peeled, key, hit, adjectival = found
        first, last = tokens[i], tokens[i + n - 1]
        if n == 1 and (key in _AR_NOT_NAMES or tokens[i].bare[peeled:] in _AR_NOT_NAMES_SPELLED) or i > 0 and tokens[i - 1].key in _AR_STREET:
            i += n
            continue
        if i + n < len(tokens) and tokens[i + n].norm in _AR_MEDIA and _adjoining(text, last, tokens[i + n]):
            i += n + 1  # "نيويورك تايمز" is a newspaper
            continue
        prev = tokens[i - 1] if i > 0 and _adjoining(text, tokens[i - 1], first) else None
        prev2 = tokens[i - 2] if prev is not None and i > 1 and _adjoining(text, tokens[i - 2], prev) else None
        nxt = tokens[i + n] if i + n < len(tokens) and _adjoining(text, last, tokens[i + n]) else None
        top = gaz.entries[hit[0]]
        if (adjectival is False and n == 1 and top.kind == "country" and key.endswith("ي") and tokens[i].norm[peeled:].startswith("ال")
                and tokens[i].bare[peeled:] not in gaz.exact):
            # A country named with the article is its adjective (التشيلي "the Chilean", where the table says so)
            # or another word (المالي "the financial").
            if key not in gaz.adjectives:
                i += n
                continue
            hit, adjectival = (gaz.adjectives[key],), True
        if prev is not None and prev.norm in _AR_PRAYER and key == _AR_SUNSET:
            i += n  # صلاة المغرب: the sunset prayer
            continue
        person = False
        # "زار الرئيس جدة", "غادر المبعوث جنيف": verb, subject (a title), object (the town), not the title's holder;
        # the verb is as strong a cue as "إلى".
        visited = not adjectival and _verb_object(text, tokens, i)
        if not adjectival:
            after_cue = prev is not None and (prev.norm in _AR_CUES or prev.norm in gaz.function_words)
            # A title in quotes still names the brand before it: صحيفة "الشرق الأوسط", مجلة «بابل».
            quoted = tokens[i - 1] if prev is None and i > 0 and text[tokens[i - 1].end : first.start].strip() in _AR_OPEN_QUOTES else None
            brand_word = prev or quoted
            person = ar_brand(brand_word.norm if brand_word else "", nxt.norm if nxt else "", top.kind == "country")
            if top.kind == "country" and (person or brand_word is not None and ar_brand(_unprefixed(brand_word.norm), "", True)):
                # وكالة أنباء الإمارات: this mention names the agency; marked as a person's name, it would take
                # the country's bare mentions elsewhere in the article with it (رئيس الإمارات).
                i += n
                continue
            # A city is feminine: a masculine definite adjective after it (المغرب الفاسي، دبي الإسلامي) makes a club or firm.
            club = top.kind == "city" and not top.capital and not after_cue and nxt is not None and _masculine_nisba(nxt.norm) and nxt.key not in _AR_DIRECTIONS
            person = person or club
        if not adjectival and not person and is_minor(top):  # "زار الرئيس بيونغ يانغ": the president visited Pyongyang
            person = ar_person(prev.norm if prev else "", "" if after_cue or prev2 is None else prev2.norm)
            person = person and not visited
            # A foreign given name before a small town's name (a word used only as a name): a person's surname.
            # (Its folded form too: the key of اليكس / ألبرت drops a leading ال as if it were the article.)
            given = prev is not None and (prev.key in gaz.ar_names or prev.norm in gaz.ar_names)
            person = person or (given and i - 1 >= free and not after_cue)
        kept = first.kept
        start = kept[peeled] if peeled < len(kept) else first.start
        if n == 1:
            exact = gaz.exact.get(text[start : last.end].replace("\u0640", ""))
            if exact is not None:
                hit, adjectival = (exact,), False
        before = tokens[i - 1].norm if i > 0 and _adjoining(text, tokens[i - 1], first) else ""
        addressed = not visited and not adjectival and not person and _verb_object(text, tokens, i, _AR_ADDRESS_VERBS)
        cue = "strong" if before in _AR_STRONG_CUES or visited or addressed else "weak" if before in _AR_CUES else ""
        if not cue and before in _AR_DISTRICT_CUES and gaz.entries[hit[0]].kind == "city":
            cue = "weak"
        out.append(
            Match(
                start=start,
                end=last.end,
                text=text[start : last.end],
                candidates=hit,
                adjectival=adjectival,
                cue=cue,
                weak=n == 1 and key in gaz.common_words,
                strict=key in gaz.strict_words or n == 1 and first.norm[peeled:] in gaz.strict_surface,
                # A town named by a common noun (وقف "halt"): "إلى وقف إطلاق النار" has a cue but is no place.
                noun_name=n == 1 and key in gaz.strict_words,
                place_noun=bool(before) and before in _AR_PLACE_NOUNS,
                person=person,
            )
        )
        i += n
        free = i
    return out


def _unprefixed(norm: str) -> str:
    """A word without و/ف and then ب/ل before it (لشركة → شركة), for a brand noun after a preposition."""
    if norm[:1] in ("و", "ف") and len(norm) > 4:
        norm = norm[1:]
    return norm[1:] if norm[:1] in ("ب", "ل") and len(norm) > 3 else norm


# --- resolution ---------------------------------------------------------------------------------------


def resolve(matches: Sequence[Match], gaz: Gazetteer, doc: Document) -> list[Resolved]:
    """Choose one entry per match in the article's context (see ``geo.places.ranking.resolve``)."""
    return ranking.resolve(matches, gaz, doc)


def ranked_candidates(m: Match, gaz: Gazetteer, limit: int = 5) -> list[tuple[Entry, float]]:
    """A match's best candidates by prior, each with its share of the probability (softmax of the scores).

    For the page's "pick another candidate": the same ranking ``resolve`` starts from, without context.
    """
    scored = sorted(((prior(gaz.entries[i]), i) for i in m.candidates), reverse=True)
    if not scored:
        return []
    top = scored[0][0]
    weights = [math.exp(s - top) for s, _ in scored]  # shifted by the best score: no overflow
    total = sum(weights)
    return [(gaz.entries[i], round(w / total, 3)) for (_, i), w in zip(scored[:limit], weights)]

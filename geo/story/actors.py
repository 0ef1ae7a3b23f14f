"""Actors a text names without naming a place: people in office, titles, pronouns, "the two leaders", groups.

A relation in real news is mostly told between people ("Putin met Mohammed bin Salman"), titles ("the
Russian president", then "the president") and pairs ("the two leaders", الزعيمان), not between place
names. This module finds those words and says which country each stands for:

- people: ``geo/data/office_holders.csv`` (heads of state and government, foreign and defence ministers,
  with years in office), so "Medvedev" in a 2011 story is Russia's president; a surname shared by holders
  of two countries counts only when the article's year picks one of them;
- a bare title or a sentence-opening "he" stands for the person in focus (the last person or title seen);
- a pair word stands for the last two distinct country actors seen;
- non-state groups (``geo/data/groups.csv``: NATO, the UN, Hamas, the Houthis …) are found so that they
  are never read as a country, and a country word inside the group's name ("Lebanon's Hezbollah") is
  no actor either.

Everything is one pass over the article's tokens (``Document.words``), linear in its length.
"""

from __future__ import annotations

import bisect
import csv
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from geo.core.document import Document
from geo.core.model import Mention
from geo.core.resources import data_file
from geo.core.spans import Spans
from geo.core.tokens import TextTokens, Token, tokenize_words
from geo.story.dateline import host_people
from geo.story.lexicon import WITH_WORDS, CueSet, cue_set

OFFICE_HOLDERS = data_file("office_holders.csv")
GROUPS = data_file("groups.csv")
# How far back (characters) the person in focus and the pair in focus may stand.
FOCUS_REACH = 1500
# A title followed this closely by a name or a country is no bare title ("the president, Joe Biden").
TITLE_NAMED_WITHIN = 3
_YEAR = re.compile(r"(?<!\d)(19[89]\d|20[0-4]\d)(?!\d)")


@dataclass(frozen=True)
class OfficeHolder:
    """One term of one person in one office; ``end`` is None while in office."""

    country: str
    office: str
    name_en: str
    name_ar: str
    start: int
    end: int | None

    def __post_init__(self) -> None:
        if len(self.country) != 2 or not self.country.isupper():
            raise ValueError(f"OfficeHolder {self.name_en}: country must be an ISO alpha-2 code, instead got {self.country!r}")
        if self.end is not None and self.end < self.start:
            raise ValueError(f"OfficeHolder {self.name_en}: term ends ({self.end}) before it starts ({self.start})")

    def serves(self, year: int) -> bool:
        return self.start <= year <= (self.end if self.end is not None else 9999)


@dataclass(frozen=True)
class ActorMention:
    """A word of the text that stands for a country actor (``country``) or a non-state group (``country == ""``).

    ``how`` is person / title / pronoun / pair / group; ``name`` the person or group it names.
    """

    start: int
    end: int
    text: str
    country: str
    how: str
    name: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"ActorMention {self.text!r}: expected 0 <= start < end, instead got {self.start}..{self.end}")


@functools.cache
def office_holders(path: Path = OFFICE_HOLDERS) -> tuple[dict[str, tuple[OfficeHolder, ...]], CueSet]:
    """Every spelling of every office holder → their terms, and a cue set that finds those spellings."""
    by_alias: dict[str, list[OfficeHolder]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            h = OfficeHolder(row["country"], row["office"], row["name_en"], row["name_ar"], int(row["start"]),
                             int(row["end"]) if row["end"] else None)
            names = [row["name_en"], row["name_ar"], *row["aliases_en"].split("|"), *row["aliases_ar"].split("|")]
            for name in filter(None, (n.strip() for n in names)):
                by_alias.setdefault(_key(name), []).append(h)
    cues = CueSet.parse(sorted({n for n in by_alias}), "office_holders")
    return {k: tuple(v) for k, v in by_alias.items()}, cues


@functools.cache
def groups(path: Path = GROUPS) -> tuple[dict[str, str], CueSet, frozenset[str]]:
    """Group spellings → group id, their cue set, and the spellings that must match case (acronyms: UN, IS)."""
    by_alias: dict[str, str] = {}
    exact: set[str] = set()
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            names = [row["name_en"], row["name_ar"], *row["aliases_en"].split("|"), *row["aliases_ar"].split("|")]
            for name in filter(None, (n.strip() for n in names)):
                by_alias[_key(name)] = row["id"]
                if name.replace(".", "").replace("+", "").isupper():
                    exact.add(name)
    return by_alias, CueSet.parse(sorted(by_alias), "groups"), frozenset(exact)


def _key(name: str) -> str:
    """A spelling as its cue phrase reads it (words folded), to map a match back to its entry."""
    return " ".join(w for w, _ in CueSet.parse([name], "name").phrases[0].words)


def article_year(text: str) -> int | None:
    """The latest plausible year the text names: the story's own time, for who held an office then."""
    years = [int(y) for y in _YEAR.findall(text)]
    return max(years) if years else None


def _holder(terms: Sequence[OfficeHolder], year: int | None) -> OfficeHolder | None:
    """The term a name refers to: the one serving in ``year``, else the latest; None when countries disagree."""
    if year is not None:
        serving = [h for h in terms if h.serves(year)]
        if serving and len({h.country for h in serving}) == 1:
            return serving[0]
    if len({h.country for h in terms}) == 1:
        return max(terms, key=lambda h: h.start)
    return None


def find_actor_mentions(
    doc: Document,
    mentions: Sequence[Mention],
    country_of: Callable[[Mention], str],
) -> tuple[ActorMention, ...]:
    """People, titles, pronouns, pair words and groups in the article, each with the country it stands for.

    ``mentions`` are the article's place mentions and ``country_of`` gives the country a mention stands
    for as an actor ("" for none): they set the focus that pair words resolve to.
    """
    text, tokens = doc.text, doc.words
    year = article_year(text)
    found: list[ActorMention] = []
    found += _people(text, tokens, year)
    found += _groups(text, tokens)
    # "President Irfaan Ali said", in a story datelined in his country: the host's (agency style qualifies only guests).
    host, hosted = host_people(text, tokens, mentions, country_of)
    found += _titled_names(text, tokens, mentions, country_of, Spans([(a.start, a.end) for a in found]),
                           [(s, e, host) for s, e in hosted])
    taken = Spans([(a.start, a.end) for a in found])

    # Events in text order for the focus: place actors, people; titles, pronouns and pairs resolve against them.
    events: list[tuple[int, int, str, str]] = [(a.start, a.end, "person" if a.how == "person" else "group", a.country) for a in found]
    # A demonym beside a title word is a person in office ("Swiss President …", "وزير الخارجية الإيراني").
    titled = {t for a, b in cue_set("actors", "title_words").find(tokens, 0, len(tokens)) for t in (tokens[a].start, tokens[b].end)}
    for m in mentions:
        cc = country_of(m)
        if cc and not taken.overlaps(m.start, m.end):
            person = m.adjectival and any(_gap_ok(text, t, m.start) or _gap_ok(text, m.end, t) for t in _near(titled, m))
            # "Brazil's president": a country's possessive before a title word is a person in office too.
            person = person or text[m.end:m.end + 3] in ("'s ", "’s ") and m.end + 3 in titled
            events.append((m.start, m.end, "person" if person else "place", cc))
    sentence_starts = {s for s, _ in doc.sentences}
    sentence_starts_sorted = sorted(sentence_starts)
    for kind, cues in (("title", cue_set("actors", "titles")), ("pronoun", cue_set("actors", "pronouns")), ("pair", cue_set("actors", "pairs")),
                        ("pair_adj", cue_set("actors", "pair_adjectives"))):
        for a, b in cues.find(tokens, 0, len(tokens)):
            s, e = tokens[a].start, tokens[b].end
            if taken.overlaps(s, e):
                continue
            if kind == "pronoun" and (s not in sentence_starts or not tokens[a].text[:1].isupper() and not tokens[a].arabic):
                continue
            events.append((s, e, kind, ""))
    events += _possessives(text, tokens, taken)
    events.sort()

    last_person: tuple[int, str] | None = None  # (end offset, country)
    recent: list[tuple[int, str]] = []  # (end offset, country) of actors, latest last
    people: list[tuple[int, str]] = []  # the same for people and titled demonyms
    named_ahead = [ev for ev in events if ev[2] in ("person", "place")]
    named_starts = [ev[0] for ev in named_ahead]
    k = 0
    for s, e, kind, cc in events:
        if kind in ("person", "place"):
            if kind == "person":
                last_person = (e, cc)
                people = [r for r in people if r[1] != cc] + [(e, cc)]
            recent = [r for r in recent if r[1] != cc] + [(e, cc)]
            continue
        if kind == "group":
            continue
        if kind == "possessive":
            if last_person is not None and s - last_person[0] <= FOCUS_REACH:
                found.append(ActorMention(s, e, text[s:e], last_person[1], "pronoun"))
            continue
        if kind in ("title", "pronoun"):
            while k < len(named_ahead) and named_ahead[k][0] < e:
                k += 1
            near = named_ahead[k] if k < len(named_ahead) else None
            if kind == "title" and near is not None and _words_between(tokens, e, near[0]) <= TITLE_NAMED_WITHIN:
                continue  # "the president, Joe Biden": the name carries the actor
            if kind == "title" and _after_actor(recent, s, text):
                continue  # "the Russian president": the demonym carries the actor
            if last_person is not None and s - last_person[0] <= FOCUS_REACH:
                found.append(ActorMention(s, e, text[s:e], last_person[1], kind))
            continue
        # A pair: the last two distinct countries of people seen ("the two leaders"), else of any actor. After
        # "with" the pair is the counterpart of the sentence's subject: "X will hold talks with the two leaders".
        at = bisect.bisect_right(sentence_starts_sorted, s)
        since = sentence_starts_sorted[at - 1] if at else 0
        if kind == "pair_adj":
            # "the bilateral military ties", "العلاقات الثنائية": the two in focus, when the sentence names no actor.
            until = sentence_starts_sorted[at] if at < len(sentence_starts_sorted) else len(text)
            if bisect.bisect_left(named_starts, since) != bisect.bisect_left(named_starts, until) or _before_between(tokens, e):
                continue  # "المحادثات الثنائية بين الفصائل": the text names the sides itself
        subject = {r[1] for r in recent if r[0] > since} if _after_with(tokens, s) else set()
        pair = [r for r in people if s - r[0] <= FOCUS_REACH and r[1] not in subject][-2:]
        if len(pair) < 2:
            pair = [r for r in recent if s - r[0] <= FOCUS_REACH and r[1] not in subject][-2:]
        if len(pair) == 2:
            found += [ActorMention(s, e, text[s:e], r[1], "pair") for r in pair]
    found.sort(key=lambda a: (a.start, a.country))
    return tuple(found)


def _after_with(tokens: TextTokens, start: int) -> bool:
    """True when the word before character offset ``start`` is "with" / "مع"."""
    k = bisect.bisect_left(tokens.starts, start) - 1
    return k >= 0 and bool(tokens[k].forms & WITH_WORDS)




def _before_between(tokens: TextTokens, end: int) -> bool:
    """True when "between" / "بين" is one of the two words after character offset ``end``."""
    k = bisect.bisect_left(tokens.starts, end)
    return any(tokens[j].forms & _BETWEEN for j in range(k, min(k + 2, len(tokens))))


_BETWEEN = frozenset({"between", "بين"})


def _titled_names(
    text: str, tokens: TextTokens, mentions: Sequence[Mention], country_of: Callable[[Mention], str], known: Spans,
    hosted: Sequence[tuple[int, int, str]] = (),
) -> list[ActorMention]:
    """People the office-holder table does not know, named after a country word and a title ("Kenyan President Amos
    Wekesa", "Chile's Foreign Minister Ana Rojas"), or given as ``hosted`` (start, end, country): the name, and each
    later use of the surname alone, stand for that country. English only: an Arabic name has no capitals to end it."""
    titles = cue_set("actors", "title_words")
    out: list[ActorMention] = []
    surnames: dict[str, tuple[str, int]] = {}  # surname → (country, where the full name ends)
    for m in mentions:
        cc = country_of(m)
        k = bisect.bisect_left(tokens.starts, m.start)
        if not cc or k >= len(tokens) or tokens[k].arabic:
            continue
        while k < len(tokens) and tokens[k].end < m.end:
            k += 1  # the mention's last token ("North Korea's")
        if not (m.adjectival or tokens[k].text.endswith(("'s", "’s"))):
            continue
        title = titles.match_at(tokens, k + 1)
        if title is None:
            continue
        name = []
        j = k + 1 + len(title)
        while j < len(tokens) and len(name) < 3 and tokens[j].text[:1].isupper() and text[tokens[j - 1].end:tokens[j].start] == " ":
            name.append(tokens[j])
            j += 1
        if len(name) < 2 or known.overlaps(name[0].start, name[-1].end):
            continue  # a first and a last name, of someone the table does not know already
        s, e = name[0].start, name[-1].end
        out.append(ActorMention(s, e, text[s:e], cc, "person", text[s:e]))
        surnames.setdefault(name[-1].text, (cc, e))
    taken = Spans([(a.start, a.end) for a in out])
    for s, e, cc in hosted:
        if not known.overlaps(s, e) and not taken.overlaps(s, e):
            out.append(ActorMention(s, e, text[s:e], cc, "person", text[s:e]))
            surnames.setdefault(text[s:e].split()[-1], (cc, e))
    for surname, (cc, after) in surnames.items():
        for i in sorted(tokens.by_form.get(surname.casefold(), ())):
            t = tokens[i]
            if t.start >= after and t.text.startswith(surname) and t.text[len(surname):] in ("", "'s", "’s"):
                out.append(ActorMention(t.start, t.start + len(surname), surname, cc, "person", surname))
    return out


def _possessives(text: str, tokens: TextTokens, taken: Spans) -> list[tuple[int, int, str, str]]:
    """Relation words owned by the person in focus: "his war", "her visit", Arabic حربه، زيارتها (the enclitic
    pronoun ـه / ـها on a relation word)."""
    kinds = _relation_kinds()
    owners = cue_set("actors", "possessives")
    found = []
    # Word by word, not token by token: whether a word is a relation word with the enclitic, or a possessive
    # ("his"), depends on the word alone (the Arabic test is remembered per process, too).
    for word, at in tokens.by_word.items():
        first = at[0]
        if tokens[first].arabic:
            if _possessive_relation(word):
                found += at
        elif owners.match_at(tokens, first, first + 1) is not None:
            found += [i for i in at if i + 1 < len(tokens) and any(cs.match_at(tokens, i + 1) is not None for cs in kinds)
                      and not taken.overlaps(tokens[i].start, tokens[i].end)]
    return [(tokens[i].start, tokens[i].end, "possessive", "") for i in sorted(found)]


def _relation_kinds() -> list[CueSet]:
    return [cue_set("links", "kinds", k) for k in ("military", "exercise", "alliance", "visit", "tension", "territory")]


@functools.lru_cache(maxsize=1 << 14)
def _possessive_relation(word: str) -> bool:
    """An Arabic relation word with a possessive ـه: حربه "his war", زيارته "his visit"."""
    base = _without_enclitic(word)
    return bool(base) and any(cs.match_at(_bare_tokens(base), 0, 1) is not None for cs in _relation_kinds())


@functools.lru_cache(maxsize=1 << 14)
def _without_enclitic(word: str) -> str:
    """The word without a possessive ـه (its ta marbuta restored: زيارته → زيارة), or "" when it has none."""
    # Only the masculine ـه ("his"): the feminine ـها mostly stands for a state ("حليفتها" its ally).
    if word.endswith("ه") and not word.endswith("ها") and len(word) >= 4:
        base = word[:-1]
        return base[:-1] + "ة" if base.endswith("ت") else base
    return ""


@functools.lru_cache(maxsize=1 << 14)
def _bare_tokens(word: str) -> TextTokens:
    """One word (not the article) as tokens, for a cue set to match: the enclitic-free form of an article word."""
    return tokenize_words(word)


def _near(offsets: set[int], m: Mention) -> list[int]:
    return [o for o in (m.start - 1, m.start - 2, m.end + 1, m.end + 2) if o in offsets]


def _gap_ok(text: str, a: int, b: int) -> bool:
    """Only a space between offsets ``a`` and ``b``."""
    return 0 < b - a <= 2 and not text[a:b].strip()


def _words_between(tokens: TextTokens, end: int, start: int) -> int:
    """How many tokens lie between character offsets ``end`` and ``start`` (roughly: spaces + punctuation)."""
    return sum(1 for t in _tokens_in(tokens, end, start))


def _tokens_in(tokens: TextTokens, start: int, end: int) -> Sequence[Token]:
    starts = tokens.starts
    return tokens[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]


def _after_actor(recent: list[tuple[int, str]], start: int, text: str) -> bool:
    """True when an actor word ends right before ``start`` ("الرئيس الروسي" has it after; see the caller)."""
    return any(0 <= start - end <= 2 for end, _ in recent[-1:])


def _people(text: str, tokens: Sequence[Token], year: int | None) -> list[ActorMention]:
    by_alias, cues = office_holders()
    out = []
    for a, b in cues.find(tokens, 0, len(tokens)):
        if not tokens[a].arabic and not tokens[a].text[:1].isupper():
            continue  # English names are capitalised: "trump card" is no person
        phrase = cues.match_at(tokens, a, b + 1)
        if phrase is None:
            continue
        holder = _holder(by_alias.get(" ".join(w for w, _ in phrase.words), ()), year)
        if holder is None:
            continue
        if (not tokens[a].arabic and b + 1 < len(tokens) and tokens[b + 1].text[:1].isupper()
                and text[tokens[b].end:tokens[b + 1].start] == " "
                and cue_set("actors", "named_after").match_at(tokens, b + 1, b + 2) is not None):
            continue  # "Blair House", "Trump Tower": a building named after the person
        s, e = tokens[a].start, tokens[b].end
        out.append(ActorMention(s, e, text[s:e], holder.country, "person", holder.name_en))
    return out


def _groups(text: str, tokens: Sequence[Token]) -> list[ActorMention]:
    by_alias, cues, exact = groups()
    out = []
    for a, b in cues.find(tokens, 0, len(tokens)):
        s, e = tokens[a].start, tokens[b].end
        phrase = cues.match_at(tokens, a, b + 1)
        if phrase is None:
            continue
        if not tokens[a].arabic:
            if phrase.source in exact and text[s:e].replace("'s", "").replace("’s", "") != phrase.source:
                continue  # acronyms match only as written: "un" and "who" are words
            if not text[s:e][:1].isupper():
                continue
        out.append(ActorMention(s, e, text[s:e], "", "group", by_alias[" ".join(w for w, _ in phrase.words)]))
    return out

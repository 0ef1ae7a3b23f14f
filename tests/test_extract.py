"""geo/places/matching.py and geo/pipeline.py: which places an article names, where exactly, and where they are.

The seed's expected mentions are counted here by searching the seed for each surface form, independently
of the extractor, so a missed or extra mention (or a shifted offset) fails.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from geo.core.document import Document
from geo.core.geometry import haversine_km
from geo.core.model import Story
from geo.pipeline import analyse
from geo.places import gazetteer
from geo.places.matching import find_matches, resolve

AR = "\u0621-\u064a"
PROCLITICS = "(?:[وف]?[بلك]?)"

# True coordinates (Wikipedia / GeoNames city centres).
TRUE_COORDS = {
    "pyongyang": (39.0392, 125.7625),
    "vladivostok": (43.1155, 131.8855),
    "moscow": (55.7558, 37.6173),
    "seoul": (37.5665, 126.9780),
    "washington": (38.9072, -77.0369),
    "beijing": (39.9042, 116.4074),
}
SEED_CITIES = {
    "pyongyang": ["بيونج يانج"],
    "vladivostok": ["فلاديفوستوك"],
    "moscow": ["موسكو", "الكرملين"],  # the Kremlin stands for Moscow
    "seoul": ["سول"],
    "washington": ["واشنطن"],
    "beijing": ["بكين"],
}
# Countries named outright (adjectives are checked separately).
SEED_COUNTRIES = {
    "north-korea": ["كوريا الشمالية"],
    "south-korea": ["كوريا الجنوبية"],
    "russia": ["روسيا"],
    "china": ["الصين"],
    "united-states": ["الولايات المتحدة الأمريكية", "الولايات المتحدة", "أمريكا"],
    "ukraine": ["أوكرانيا"],
}
SEED_ALLOWED_EXTRA = {"korean-peninsula", "pacific-ocean"}


@pytest.fixture(scope="module")
def gaz() -> gazetteer.Gazetteer:
    return gazetteer.load()


@pytest.fixture(scope="module")
def seed_story(seed_text: str, gaz: gazetteer.Gazetteer) -> Story:
    return analyse(seed_text, gazetteer=gaz)


def surface_spans(text: str, forms: list[str]) -> set[tuple[int, int]]:
    """Spans of whole-word occurrences of ``forms`` (longest first), allowing Arabic proclitics before them."""
    spans: set[tuple[int, int]] = set()
    taken: list[tuple[int, int]] = []
    for form in sorted(forms, key=len, reverse=True):
        for m in re.finditer(f"(?<![{AR}]){PROCLITICS}({re.escape(form)})(?![{AR}])", text):
            s, e = m.span(1)
            if not any(a < e and s < b for a, b in taken):
                spans.add((s, e))
                taken.append((s, e))
    return spans


def mention_spans(story: Story, place: str, adjectival: bool | None = False) -> set[tuple[int, int]]:
    return {(m.start, m.end) for m in story.mentions if m.place == place and (adjectival is None or m.adjectival == adjectival)}


def places_of(text: str, gaz: gazetteer.Gazetteer) -> dict[str, list[str]]:
    """Place id → mention texts, from the whole pipeline."""
    story = analyse(text, gazetteer=gaz)
    for m in story.mentions:
        assert text[m.start : m.end] == m.text
    out: dict[str, list[str]] = {}
    for m in story.mentions:
        out.setdefault(m.place, []).append(m.text)
    return out


# --- the seed article -------------------------------------------------------------------------------


@pytest.mark.parametrize("place", sorted(SEED_CITIES))
def test_seed_every_city_mention_found_with_exact_offsets(seed_story: Story, seed_text: str, place: str) -> None:
    expected = surface_spans(seed_text, SEED_CITIES[place])
    assert expected, f"the seed should name {place}"
    assert mention_spans(seed_story, place) == expected


@pytest.mark.parametrize("place", sorted(SEED_COUNTRIES))
def test_seed_every_country_mention_found_with_exact_offsets(seed_story: Story, seed_text: str, place: str) -> None:
    expected = surface_spans(seed_text, SEED_COUNTRIES[place])
    assert expected
    assert mention_spans(seed_story, place) == expected


def test_seed_proclitics_are_outside_the_mention(seed_story: Story, seed_text: str) -> None:
    # وسول، وبيونج يانج، لبيونج يانج، وموسكو: the conjunction/preposition is not part of the name.
    for prefixed, name in (("وسول", "سول"), ("وبيونج يانج", "بيونج يانج"), ("لبيونج يانج", "بيونج يانج"), ("وموسكو", "موسكو")):
        at = seed_text.index(prefixed)
        span = (at + len(prefixed) - len(name), at + len(prefixed))
        assert any((m.start, m.end) == span and m.text == name for m in seed_story.mentions), prefixed


def test_seed_russian_adjectives_are_adjectival_mentions_of_russia(seed_story: Story, seed_text: str) -> None:
    expected = {m.span() for m in re.finditer(f"(?<![{AR}])(?:ال)?روسي(?:ة)?(?![{AR}])", seed_text)}
    assert len(expected) >= 5
    assert mention_spans(seed_story, "russia", adjectival=True) == expected


def test_seed_adjectival_mentions_belong_to_countries_named_outright(seed_story: Story) -> None:
    named = {m.place for m in seed_story.mentions if not m.adjectival}
    adjectival = {m.place for m in seed_story.mentions if m.adjectival}
    assert adjectival and adjectival <= named
    assert all(seed_story.place(p).kind == "country" for p in adjectival)


def test_seed_has_no_false_places(seed_story: Story) -> None:
    ids = {p.id for p in seed_story.places}
    required = set(SEED_CITIES) | set(SEED_COUNTRIES)
    assert required <= ids
    # A link may draw a named country's capital that the text never names; it must have no mentions then.
    unmentioned_capitals = {"kyiv"}
    assert ids <= required | SEED_ALLOWED_EXTRA | unmentioned_capitals
    assert not mention_spans(seed_story, "kyiv", adjectival=None)
    assert "new-york" not in ids  # "نيويورك تايمز" is a newspaper
    assert seed_story.unresolved == ()


@pytest.mark.parametrize("place", sorted(TRUE_COORDS))
def test_seed_city_coordinates_within_30_km(seed_story: Story, place: str) -> None:
    p = seed_story.place(place)
    assert p.kind == "city"
    assert haversine_km(p.location, TRUE_COORDS[place]) < 30


def test_seed_countries_are_inside_their_own_territory(seed_story: Story) -> None:
    # A country's point must not land in a neighbour (e.g. North Korea's in China): check rough boxes.
    boxes = {
        "north-korea": (37.5, 43.1, 124.2, 130.7),
        "south-korea": (33.1, 38.6, 125.0, 129.6),
        "russia": (41.0, 82.0, 27.0, 180.0),
        "china": (18.0, 53.6, 73.5, 135.1),
        "united-states": (24.5, 49.4, -125.0, -66.9),
        "ukraine": (44.3, 52.4, 22.1, 40.2),
    }
    for pid, (lat0, lat1, lon0, lon1) in boxes.items():
        p = seed_story.place(pid)
        assert p.kind == "country" and lat0 <= p.lat <= lat1 and lon0 <= p.lon <= lon1, pid


def test_seed_mentions_point_to_their_passage(seed_story: Story) -> None:
    by_id = {p.id: p for p in seed_story.passages}
    for m in seed_story.mentions:
        p = by_id[m.passage]
        assert p.start <= m.start and m.end <= p.end


def test_find_matches_and_resolve_directly(seed_text: str, gaz: gazetteer.Gazetteer) -> None:
    doc = Document.read(seed_text)
    matches = find_matches(doc, gaz)
    assert all(seed_text[m.start : m.end] == m.text for m in matches)
    assert all(a.end <= b.start for a, b in zip(matches, matches[1:])), "matches overlap"
    resolved = resolve(matches, gaz, doc)
    assert {r.entry.id for r in resolved} >= set(SEED_CITIES) | set(SEED_COUNTRIES)
    assert all(0.5 <= r.confidence <= 1.0 for r in resolved)


# --- other articles: spellings, clitics, multi-word names, metonyms ----------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("زار الرئيس بيونغ يانغ ثم سيول.", {"pyongyang": ["بيونغ يانغ"], "seoul": ["سيول"]}),
        ("ترفض بيونغيانغ وسيئول الاقتراح.", {"pyongyang": ["بيونغيانغ"], "seoul": ["سيئول"]}),
        (
            "وصل الوفد إلى كييف قادما من طوكيو، ثم توجه إلى طهران.",
            {"kyiv": ["كييف"], "tokyo": ["طوكيو"], "tehran": ["طهران"]},
        ),
        ("اجتمع الوزراء في القاهرة والرياض.", {"cairo": ["القاهرة"], "riyadh": ["الرياض"]}),
        ("وبالقاهرة عقد اللقاء، فبيروت تنتظر.", {"cairo": ["القاهرة"], "beirut": ["بيروت"]}),
        ("وصل الوزير إلى دمشق، ثم إلى بغداد وأنقرة.", {"damascus": ["دمشق"], "baghdad": ["بغداد"], "ankara": ["أنقرة"]}),
    ],
)
def test_arabic_spellings_and_proclitics(gaz: gazetteer.Gazetteer, text: str, expected: dict[str, list[str]]) -> None:
    assert places_of(text, gaz) == expected


def test_lil_clitic_with_elided_alef(gaz: gazetteer.Gazetteer) -> None:
    # للصين = ل + الصين with the article's alef dropped; the conjunction و stays out of the mention.
    text = "وللصين موقف آخر."
    found = places_of(text, gaz)
    assert list(found) == ["china"]
    assert found["china"][0].endswith("صين") and not found["china"][0].startswith("و")


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "أعلنت الولايات المتحدة الأمريكية أن سفنها في المحيط الهادئ قرب شبه الجزيرة الكورية.",
            {
                "united-states": ["الولايات المتحدة الأمريكية"],
                "pacific-ocean": ["المحيط الهادئ"],
                "korean-peninsula": ["شبه الجزيرة الكورية"],
            },
        ),
        ("Ships patrol the South China Sea near Manila.", {"south-china-sea": ["South China Sea"], "manila": ["Manila"]}),
        ("The President flew to Kyiv, then to Tehran. Some still write Kiev.", {"kyiv": ["Kyiv", "Kiev"], "tehran": ["Tehran"]}),
    ],
)
def test_multi_word_names_are_one_mention(gaz: gazetteer.Gazetteer, text: str, expected: dict[str, list[str]]) -> None:
    # Longest match first: "الولايات المتحدة الأمريكية" is not "الولايات المتحدة" + an adjective.
    assert places_of(text, gaz) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("قال الكرملين إن البيت الأبيض لم يرد.", {"moscow": ["الكرملين"], "washington": ["البيت الأبيض"]}),
        ("The Kremlin said the White House had not replied.", {"moscow": ["Kremlin"], "washington": ["White House"]}),
    ],
)
def test_metonyms_stand_for_capitals(gaz: gazetteer.Gazetteer, text: str, expected: dict[str, list[str]]) -> None:
    assert places_of(text, gaz) == expected


def test_nisba_is_an_adjectival_mention_of_its_country(gaz: gazetteer.Gazetteer) -> None:
    # Adjectives count as their country (core commit 03df0c6), always flagged so the page can tell them apart.
    text = "قالت الخارجية الروسية إن الحكومة الروسية مستعدة."
    story = analyse(text, gazetteer=gaz)
    assert [(m.place, m.text, m.adjectival) for m in story.mentions] == [("russia", "الروسية", True)] * 2
    text = "قالت الخارجية الروسية إن روسيا مستعدة."
    story = analyse(text, gazetteer=gaz)
    assert [(m.place, m.text, m.adjectival) for m in story.mentions] == [
        ("russia", "الروسية", True),
        ("russia", "روسيا", False),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        # Irregular nisbas, and nisbas spelled as their country's name (adjectives only with the article).
        ("التقى الوزير النمساوي نظيره البيروفي.", [("austria", "النمساوي", True), ("peru", "البيروفي", True)]),
        ("قال السفير التشيلي إن الرئيس الأفغاني وصل.", [("chile", "التشيلي", True), ("afghanistan", "الأفغاني", True)]),
        ("وصل الوفد إلى تشيلي.", [("chile", "تشيلي", False)]),
        # Words a nisba folds into: المالية "finance", اليمنى "the right (hand)"; the Yemeni is still Yemen's.
        ("أعلنت وزارة المالية أن الجندي أصيب في ذراعه اليمنى.", []),
        ("قال الرئيس اليمني إن وزارة المالية ستدفع الرواتب.", [("yemen", "اليمني", True)]),
        # A nisba another place bears only as an alternate spelling: البرازيلية (Brasília is برازيليا).
        ("قالت البحرية البرازيلية إن السفينة وصلت إلى برازيليا.", [("brazil", "البرازيلية", True), ("brasilia", "برازيليا", False)]),
    ],
)
def test_nisbas_the_rules_miss_and_words_that_only_look_like_one(gaz: gazetteer.Gazetteer, text: str, expected) -> None:
    story = analyse(text, gazetteer=gaz)
    assert [(m.place, m.text, m.adjectival) for m in story.mentions] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # A club named after its town: "<Town> City" in a sports sentence, a town beside a result verb and a score.
        ("Leicester City beat Everton 2-0 on Saturday.", {}),
        ("Stoke City fans sang through the second half of the match.", {}),
        ("Everton knocked out Leicester 3-1 in the cup on Tuesday.", {}),
        # A club word before or after the town: "Bayern Munich", "Spartak Moscow", "Paris Saint-Germain".
        ("Bayern Munich signed a striker from Spartak Moscow, and Paris Saint-Germain sold one.", {}),
        ("The final will be played in Munich.", {"munich": ["Munich"]}),
        # The town itself: its council, a match played there, a score that is no result.
        ("The Leicester City Council met on Monday.", {"leicester": ["Leicester"]}),
        ("The match in Leicester ended 2-0.", {"leicester": ["Leicester"]}),
        # A vote or a ruling with its count is no match report, and a state or country is never a club.
        ("The Security Council voted 13-2 against Israel on Friday.", {"israel": ["Israel"]}),
    ],
)
def test_english_clubs_named_after_their_town(gaz: gazetteer.Gazetteer, text: str, expected: dict[str, list[str]]) -> None:
    assert places_of(text, gaz) == expected


def test_a_name_with_an_apostrophe_inside_a_word(gaz: gazetteer.Gazetteer) -> None:
    # "Xi'an" with a straight or a curly apostrophe; a possessive "s" stays out of the name.
    assert places_of("Trains left Xi'an and Xi’an daily, and Russia's army advanced.", gaz) == {
        "xian": ["Xi'an", "Xi’an"], "russia": ["Russia"]}


def test_a_demonym_wins_over_a_towns_alternate_name(gaz: gazetteer.Gazetteer) -> None:
    # GeoNames lists "Kazakh" as an old name of Petropavl; before a title it is Kazakhstan's demonym.
    story = analyse("Kazakh President Tokayev met Uzbek officials in Astana.", gazetteer=gaz)
    assert [(m.text, m.place, m.adjectival) for m in story.mentions][0] == ("Kazakh", "kazakhstan", True)


def test_the_adjectives_news_writes_beside_a_countrys_demonym_are_its_mentions(gaz: gazetteer.Gazetteer) -> None:
    # The generated demonym table has one form per country (Filipino, Argentinean); news also writes the adjective.
    story = analyse("Philippine and Argentine diplomats met Uzbek officials, an Icelandic envoy said.", gazetteer=gaz)
    got = [(m.text, m.place, m.adjectival) for m in story.mentions]
    assert got == [
        ("Philippine", "philippines", True),
        ("Argentine", "argentina", True),
        ("Uzbek", "uzbekistan", True),
        ("Icelandic", "iceland", True),
    ]


# --- false friends and ambiguity -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "نشرت الصحيفة صور الدمار وقالت جدة الطفل إنها حزينة.",  # pictures, grandmother
        "قال حماة الوطن إنهم مستعدون.",  # protectors
        "عامل الأطفال بكل رقة وحنان، وتحدث عن الرقة في التعامل.",  # gentleness
        "قال فلاديمير بوتين إن العلاقات جيدة.",  # a given name
        "وذكرت صحيفة نيويورك تايمز أن الوفد غادر.",  # a newspaper
        "Reading the report, he said it was a nice day.",
        "Split decision: the judges disagreed.",
        "The Washington Post reported the story.",
        "She met Sergei and Florence at the station.",
    ],
)
def test_common_words_are_not_places(gaz: gazetteer.Gazetteer, text: str) -> None:
    assert places_of(text, gaz) == {}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("وصل الوزير إلى جدة للقاء نظيره.", {"jeddah": ["جدة"]}),
        ("سقطت قذائف على مدينة صور في لبنان.", {"tyre": ["صور"], "lebanon": ["لبنان"]}),
        ("The summit took place in Nice, France, last week.", {"nice": ["Nice"], "france": ["France"]}),
        ("The decision was split. They moved to Reading last year.", {"reading": ["Reading"]}),
        ("He met Vladimir Putin in Vladivostok.", {"vladivostok": ["Vladivostok"]}),
        # A list with a town is a cue; a list with a country is not: "Egypt and Hamas" pairs a state and a movement.
        ("Fighting went on in Aleppo and Hama.", {"aleppo": ["Aleppo"], "hamah": ["Hama"]}),
        ("Egypt and Hamas agreed on a truce.", {"egypt": ["Egypt"]}),
    ],
)
def test_false_friends_count_after_a_locative_cue(gaz: gazetteer.Gazetteer, text: str, expected: dict[str, list[str]]) -> None:
    assert places_of(text, gaz) == expected


def test_amman_when_jordan_is_named_else_oman(gaz: gazetteer.Gazetteer) -> None:
    with_jordan = places_of("عقد المؤتمر في عمان بحضور وزير خارجية الأردن.", gaz)
    assert with_jordan == {"amman": ["عمان"], "jordan": ["الأردن"]}
    alone = places_of("عقد المؤتمر في عمان بحضور وزير الخارجية.", gaz)
    assert alone == {"oman": ["عمان"]}
    with_saudi = places_of("وصل الوفد إلى عمان لبحث الوساطة مع السعودية.", gaz)
    assert with_saudi == {"oman": ["عمان"], "saudi-arabia": ["السعودية"]}
    # The shadda of عمّان says Amman whatever the context.
    assert places_of("عقد المؤتمر في عمّان أمس.", gaz) == {"amman": ["عمّان"]}


def test_ambiguous_city_names_prefer_the_capital(gaz: gazetteer.Gazetteer) -> None:
    # واشنطن / موسكو also name small US towns; the capitals win.
    story = analyse("زار الوزير واشنطن ثم موسكو.", gazetteer=gaz)
    assert story.place("washington").country == "US" and haversine_km(story.place("washington").location, TRUE_COORDS["washington"]) < 30
    assert story.place("moscow").country == "RU"


def test_city_of_cue_is_not_medina(gaz: gazetteer.Gazetteer) -> None:
    assert places_of("وصل الوفد إلى مدينة حلب صباحا.", gaz) == {"aleppo": ["حلب"]}
    assert "madinah" not in places_of("وصل الوفد إلى مدينة زيلاند صباحا.", gaz)


def test_island_cue_and_al_jazeera_are_not_algiers(gaz: gazetteer.Gazetteer) -> None:
    assert "algiers" not in places_of("وصل الوفد إلى جزيرة زيلاند صباحا.", gaz)
    assert places_of("وقالت قناة الجزيرة إن المفاوضات توقفت.", gaz) == {}


def test_mention_counts_are_not_doubled(gaz: gazetteer.Gazetteer) -> None:
    text = "موسكو، موسكو، وموسكو."
    story = analyse(text, gazetteer=gaz)
    assert Counter(m.place for m in story.mentions) == {"moscow": 3}
    assert len({p.id for p in story.places}) == len(story.places)


@pytest.mark.parametrize(
    "text, expected",
    [
        # وقف ("halt") names a small Egyptian town; "إلى وقف إطلاق النار" has a cue word and is still no place.
        ("دعت القاهرة والرياض إلى وقف فوري لإطلاق النار.", {"cairo": ["القاهرة"], "riyadh": ["الرياض"]}),
        # A name that is also a common noun counts after a place noun, or when its country is named.
        ("وصلت السفينة إلى ميناء العقبة أمس.", {"aqaba": ["العقبة"]}),
        ("قال الملك في العقبة إن الأردن يدعم الهدنة.", {"aqaba": ["العقبة"], "jordan": ["الأردن"]}),
    ],
)
def test_town_named_by_a_common_noun_needs_a_place_noun_or_its_country(
    gaz: gazetteer.Gazetteer, text: str, expected: dict[str, list[str]]
) -> None:
    assert places_of(text, gaz) == expected

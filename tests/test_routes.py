"""Routes read from the text: stops in travel order, mode, date, evidence, and the drawn path.

Mentions are annotated by hand (``annotate``) so these tests check the story layer alone, whatever the
geoparser does. The seed test and the train tests use the real rail network.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pytest

from geo.core.document import Document
from geo.core.geometry import haversine_km, path_length_km
from geo.core.model import Mention, Passage, Place
from geo.core.text import passages as split_passages
from geo.core.tokens import tokenize_words as tokenize
from geo.story.journeys import find_routes
from geo.story.lexicon import CueSet, find_when, load_cues, token_range


def place(pid: str, kind: str, lat: float, lon: float, cc: str, name: str = "", name_ar: str = "") -> Place:
    return Place(pid, name or pid.replace("-", " ").title(), name_ar, kind, lat, lon, cc, "curated")


# Coordinates from GeoNames (rounded); only what the tests need.
PLACES = {
    p.id: p
    for p in (
        place("pyongyang", "city", 39.0339, 125.7543, "KP"),
        place("vladivostok", "city", 43.1056, 131.8735, "RU"),
        place("moscow", "city", 55.7520, 37.6178, "RU"),
        place("kremlin", "site", 55.7520, 37.6175, "RU", "Kremlin"),
        place("washington", "city", 38.8951, -77.0364, "US"),
        place("seoul", "city", 37.5660, 126.9784, "KR"),
        place("beijing", "city", 39.9075, 116.3972, "CN"),
        place("kyiv", "city", 50.4501, 30.5234, "UA"),
        place("russia", "country", 61.69, 99.22, "RU"),
        place("north-korea", "country", 40.15, 127.19, "KP"),
        place("south-korea", "country", 36.43, 127.82, "KR"),
        place("china", "country", 36.61, 103.87, "CN"),
        place("united-states", "country", 39.50, -99.06, "US"),
        place("ukraine", "country", 48.97, 31.37, "UA"),
        place("siberia", "region", 60.0, 105.0, "RU"),
        place("paris", "city", 48.8534, 2.3488, "FR"),
        place("hanoi", "city", 21.0245, 105.8412, "VN"),
        place("dubai", "city", 25.0772, 55.3093, "AE"),
        place("jeddah", "city", 21.4901, 39.1862, "SA"),
        place("port-sudan", "city", 19.6158, 37.2164, "SD"),
        place("anchorage", "city", 61.2181, -149.9003, "US"),
        place("irkutsk", "city", 52.2978, 104.2964, "RU"),
        place("france", "country", 46.0, 2.0, "FR"),
    )
}

SEED_SURFACES: dict[str, tuple[str, bool]] = {
    "بيونج يانج": ("pyongyang", False),
    "فلاديفوستوك": ("vladivostok", False),
    "موسكو": ("moscow", False),
    "الكرملين": ("kremlin", False),
    "واشنطن": ("washington", False),
    "سول": ("seoul", False),
    "بكين": ("beijing", False),
    "روسيا": ("russia", False),
    "كوريا الشمالية": ("north-korea", False),
    "كوريا الجنوبية": ("south-korea", False),
    "الصين": ("china", False),
    "الولايات المتحدة": ("united-states", False),
    "أمريكا": ("united-states", False),
    "أوكرانيا": ("ukraine", False),
    "الروسي": ("russia", True),
    "الروسية": ("russia", True),
    "روسي": ("russia", True),
    "الكوري الشمالي": ("north-korea", True),
    "الأمريكية": ("united-states", True),
    "الكورية الجنوبية": ("south-korea", True),
}

# Proclitics the extractor peels off: و ف ب ل ك and their pairs; the mention starts after them.
_PROCLITICS = "(?:[وف]?[بلك]?)"


def annotate(
    text: str, surfaces: Mapping[str, tuple[str, bool]]
) -> tuple[tuple[Passage, ...], list[Mention]]:
    """Passages of ``text`` and a mention for every whole-word occurrence of each surface form.

    ``surfaces`` maps a surface form to (place id, adjectival). Longer forms win over shorter ones
    they overlap; Arabic proclitics before a form stay outside the mention, as the geoparser does.
    """
    parts = split_passages(text)
    taken: list[tuple[int, int]] = []
    mentions: list[Mention] = []
    for surface in sorted(surfaces, key=len, reverse=True):
        pid, adjectival = surfaces[surface]
        pattern = re.compile(rf"(?<!\w){_PROCLITICS}({re.escape(surface)})(?!\w)")
        for m in pattern.finditer(text):
            s, e = m.span(1)
            if any(s < b and a < e for a, b in taken):
                continue
            taken.append((s, e))
            passage = next(p.id for p in parts if p.start <= s < p.end)
            mentions.append(Mention(pid, passage, s, e, text[s:e], adjectival))
    mentions.sort(key=lambda m: m.start)
    return parts, mentions


def routes_of(text: str, surfaces: Mapping[str, tuple[str, bool]], **kw):
    parts, mentions = annotate(text, surfaces)
    return find_routes(Document.read(text), PLACES.values(), mentions, **kw)


def no_rail(stops):
    """A rail network that connects nothing: the great-circle fallback must take over."""
    return None


# --- the seed ---------------------------------------------------------------------------------------


def test_seed_has_one_train_route_pyongyang_to_vladivostok_on_the_rail_network(seed_text: str) -> None:
    parts, mentions = annotate(seed_text, SEED_SURFACES)
    routes = find_routes(Document.read(seed_text), PLACES.values(), mentions)
    assert [r.id for r in routes] == ["pyongyang-vladivostok-train"]
    (route,) = routes
    assert route.stops == ("pyongyang", "vladivostok")
    assert route.mode == "train"
    assert route.on_rail
    # The evidence is the passage that tells the trip ("سيسافر … من بيونج يانج، بقطار مصفح إلى فلاديفوستوك").
    (pid,) = route.passages
    assert "بقطار مصفح" in parts[pid].text
    # Drawn along the tracks: it starts and ends at the cities and is longer than the straight line.
    assert haversine_km(route.path[0], PLACES["pyongyang"].location) < 1
    assert haversine_km(route.path[-1], PLACES["vladivostok"].location) < 1
    crow = haversine_km(PLACES["pyongyang"].location, PLACES["vladivostok"].location)
    assert 1.15 * crow < route.length_km < 2.5 * crow
    assert len(route.path) > 5


# --- journeys written for these tests ------------------------------------------------------------


def test_arabic_train_across_siberia_follows_the_trans_siberian() -> None:
    text = "انطلق القطار من موسكو متجهًا إلى فلاديفوستوك عبر سيبيريا في يوليو 2019، في رحلة تستغرق سبعة أيام."
    (route,) = routes_of(text, {"موسكو": ("moscow", False), "فلاديفوستوك": ("vladivostok", False), "سيبيريا": ("siberia", False)})
    # Siberia is a region: a journey across it does not pass through its centroid.
    assert route.stops == ("moscow", "vladivostok")
    assert route.mode == "train"
    assert route.when == "يوليو 2019"
    assert route.on_rail
    assert 8500 < route.length_km < 10000  # the Trans-Siberian is 9,289 km
    assert route.id == "moscow-vladivostok-train"


def test_english_flight_with_a_stop_on_the_way_keeps_travel_order() -> None:
    text = "The minister flew from Paris to Hanoi via Dubai on 12 March 2024 for talks on trade."
    (route,) = routes_of(text, {"Paris": ("paris", False), "Hanoi": ("hanoi", False), "Dubai": ("dubai", False)})
    assert route.stops == ("paris", "dubai", "hanoi")
    assert route.mode == "plane"
    assert route.when == "on 12 March 2024"
    assert not route.on_rail
    legs = haversine_km(PLACES["paris"].location, PLACES["dubai"].location) + haversine_km(
        PLACES["dubai"].location, PLACES["hanoi"].location
    )
    assert route.length_km == pytest.approx(legs)
    # The drawn arcs pass through Dubai.
    assert min(haversine_km(p, PLACES["dubai"].location) for p in route.path) < 1


def test_ship_from_jeddah_to_port_sudan_next_week() -> None:
    text = "وتبحر عبارة تقل مئات الركاب من جدة إلى بورتسودان الأسبوع المقبل."
    (route,) = routes_of(text, {"جدة": ("jeddah", False), "بورتسودان": ("port-sudan", False)})
    assert (route.stops, route.mode, route.when) == (("jeddah", "port-sudan"), "ship", "الأسبوع المقبل")


def test_left_x_for_y_and_a_mode_from_elsewhere_in_the_passage() -> None:
    text = "The president left Paris for Hanoi on Monday. His motorcade was met by crowds."
    (route,) = routes_of(text, {"Paris": ("paris", False), "Hanoi": ("hanoi", False)})
    assert route.stops == ("paris", "hanoi")
    assert route.mode == "car"
    assert route.when == "on Monday"


def test_between_after_a_travel_word_is_a_journey() -> None:
    text = "The weekly train between Beijing and Moscow resumed after three years."
    (route,) = routes_of(text, {"Beijing": ("beijing", False), "Moscow": ("moscow", False)})
    assert route.stops == ("beijing", "moscow") and route.mode == "train"


def test_a_route_across_the_antimeridian_is_drawn_continuously() -> None:
    text = "The delegation flew from Vladivostok to Anchorage."
    (route,) = routes_of(text, {"Vladivostok": ("vladivostok", False), "Anchorage": ("anchorage", False)})
    lons = [lon for _, lon in route.path]
    assert all(abs(b - a) < 180 for a, b in zip(lons, lons[1:]))
    assert path_length_km(route.path) == pytest.approx(route.length_km, rel=0.01)


def test_a_train_the_network_cannot_route_falls_back_to_a_great_circle() -> None:
    text = "Kim travelled by train from Pyongyang to Vladivostok."
    (route,) = routes_of(text, {"Pyongyang": ("pyongyang", False), "Vladivostok": ("vladivostok", False)}, rail=no_rail)
    assert route.mode == "train" and not route.on_rail
    assert route.length_km == pytest.approx(haversine_km(PLACES["pyongyang"].location, PLACES["vladivostok"].location))


def test_the_same_trip_in_two_passages_is_one_route_with_both_as_evidence() -> None:
    text = (
        "Kim will travel by armoured train from Pyongyang to Vladivostok next week.\n"
        "Officials said the journey from Pyongyang to Vladivostok would take a day."
    )
    (route,) = routes_of(text, {"Pyongyang": ("pyongyang", False), "Vladivostok": ("vladivostok", False)})
    assert route.passages == (0, 1)
    assert route.mode == "train"  # the second passage gives no mode: it joins the train route
    assert route.when == "next week"


# --- what is not a journey ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # "from" before something that is not a place: only one stop remains.
        "A statement from the Ministry said the minister would travel to Hanoi.",
        # from … to without any travel or mode word.
        "The distance from Moscow to Vladivostok is 9,289 km.",
        # Two origins are no journey.
        "Officials came from Moscow and from Irkutsk.",
        # A place after "from" in a later clause is not where the ship left from.
        "The ship sailed on Monday, bound for Jeddah, as Hanoi rejected warnings from Moscow.",
    ],
)
def test_no_route(text: str) -> None:
    surfaces = {
        "Hanoi": ("hanoi", False),
        "Moscow": ("moscow", False),
        "Vladivostok": ("vladivostok", False),
        "Irkutsk": ("irkutsk", False),
        "Russia": ("russia", False),
        "France": ("france", False),
        "Jeddah": ("jeddah", False),
    }
    assert routes_of(text, surfaces) == ()


# --- dates and cue words --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("زار كيم روسيا في تموز 2019 على متن قطاره", "تموز 2019"),
        ("وصل الوفد في 5 يوليو الماضي", "5 يوليو الماضي"),
        ("The visit took place in July 2019.", "in July 2019"),
        ("He may travel next month.", "next month"),  # "may" is a verb here
        ("ووصل الوفد يوم السبت", "يوم السبت"),
        ("Kim visited Russia in 2011.", "in 2011"),
        ("The trip was long.", ""),
    ],
)
def test_find_when_quotes_the_date(text: str, when: str) -> None:
    tokens = tokenize(text)
    assert find_when(tokens, text, 0, len(tokens)) == when


def test_every_cue_in_the_table_parses_and_matches_itself() -> None:
    """A typo in cues.json (a stray '*', a word that folds to nothing) shows up here, not as a silent miss."""
    data = load_cues()

    def walk(node, where):
        if isinstance(node, dict):
            if {"ar", "en"} & node.keys() and all(isinstance(v, list) for k, v in node.items() if k in ("ar", "en")):
                yield where, node
            for k, v in node.items():
                if not k.startswith("_") and isinstance(v, (dict, list)):
                    yield from walk(v, f"{where}/{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from walk(v, f"{where}[{i}]")

    count = 0
    for where, entry in walk(data, ""):
        cues = CueSet.parse({"ar": entry.get("ar", []), "en": entry.get("en", [])}, where)
        for phrase in cues.phrases:
            words = phrase.source.replace("*", "")
            tokens = tokenize(words)
            assert cues.match_at(tokens, 0) is not None, f"{where}: {phrase.source!r} does not match itself"
            count += 1
    assert count > 400


def test_proclitics_are_peeled_when_matching_arabic_cues() -> None:
    text = "وبالقطار"
    tokens = tokenize(text)
    assert CueSet.parse(["قطار"], "t").match_at(tokens, 0) is not None
    assert token_range(tokens, 0, len(text)) == (0, 1)


# --- journeys of real wire news: countries as ends, legs over sentences, diversions --------------------


def test_a_country_is_an_end_drawn_at_its_capital_and_a_planned_trip_is_proposed() -> None:
    text = "The minister will travel from Russia to France next week."
    (route,) = routes_of(text, {"Russia": ("russia", False), "France": ("france", False)}, capital=_capitals)
    assert route.stops == ("russia", "france")
    assert route.country_stops == ("russia", "france")
    assert route.status == "proposed"
    assert route.path[-1] == pytest.approx(_capitals("FR"), abs=0.01)  # drawn at Paris, not the centroid
    assert text[slice(*route.evidence[0])] == text


def test_legs_told_over_sentences_chain_in_narrative_order_with_their_own_mode() -> None:
    text = (
        "The president flew from Moscow to Irkutsk on Monday. "
        "From there he took a train to Beijing. "
        "Then a motorcade drove him to Pyongyang."
    )
    routes = routes_of(text, {n: (n.lower(), False) for n in ("Moscow", "Irkutsk", "Beijing", "Pyongyang")})
    legs = [(r.stops, r.mode) for r in routes]
    assert legs == [
        (("moscow", "irkutsk"), "plane"),
        (("irkutsk", "beijing"), "train"),
        (("beijing", "pyongyang"), "car"),
    ]
    assert routes[2].confidence < routes[0].confidence  # a chained leg is less sure than a told one


def test_one_end_without_a_sequencing_word_starts_no_leg() -> None:
    text = "The president flew from Moscow to Vladivostok. Officials in Irkutsk welcomed the visit to Beijing."
    routes = routes_of(text, {n: (n.lower(), False) for n in ("Moscow", "Vladivostok", "Beijing", "Irkutsk")})
    assert [r.stops for r in routes] == [("moscow", "vladivostok")]


def test_a_diverted_flight_ends_where_it_landed_en_and_ar() -> None:
    text = "The airliner on its way from Moscow to Vladivostok was forced to land in Irkutsk."
    (route,) = routes_of(text, {n: (n.lower(), False) for n in ("Moscow", "Vladivostok", "Irkutsk")})
    assert route.stops == ("moscow", "irkutsk") and route.mode == "plane"
    text_ar = "أقلعت الطائرة من موسكو متجهة إلى فلاديفوستوك ثم اضطرت للهبوط في إيركوتسك."
    names = {"موسكو": ("moscow", False), "فلاديفوستوك": ("vladivostok", False), "إيركوتسك": ("irkutsk", False)}
    (route,) = routes_of(text_ar, names)
    assert route.stops == ("moscow", "irkutsk")


def test_arabic_from_there_starts_the_next_leg_where_the_last_ended() -> None:
    text = "نقلت قافلة الحافلات الركاب من موسكو إلى إيركوتسك، ومن هناك ركبوا القطار حتى وصولهم إلى فلاديفوستوك."
    names = {"موسكو": ("moscow", False), "إيركوتسك": ("irkutsk", False), "فلاديفوستوك": ("vladivostok", False)}
    legs = [(r.stops, r.mode) for r in routes_of(text, names)]
    assert legs == [(("moscow", "irkutsk"), "car"), (("irkutsk", "vladivostok"), "train")]


def _capitals(cc: str) -> tuple[float, float] | None:
    return {"FR": (48.8566, 2.3522), "RU": (55.7558, 37.6173)}.get(cc)


def test_arrival_in_after_a_mode_phrase_ends_the_trip_and_a_cancelled_stop_is_dropped() -> None:
    names = {n: (n.lower(), False) for n in ("Moscow", "Irkutsk", "Beijing")}
    (route,) = routes_of("The delegation left Moscow on Monday and arrived by train in Irkutsk.", names)
    assert route.stops == ("moscow", "irkutsk") and route.mode == "train"
    text = "The jet left Moscow and, instead of landing in Beijing, landed safely in Irkutsk."
    (route,) = routes_of(text, names)
    assert route.stops == ("moscow", "irkutsk")


def test_an_envoy_to_a_capital_is_no_trip_and_arabic_region_words_are_looked_past() -> None:
    names = {n: (n.lower(), False) for n in ("Moscow", "Irkutsk", "Beijing")}
    text = "The president flew from Moscow to Irkutsk, joined by the ambassador to Beijing."
    assert [r.stops for r in routes_of(text, names)] == [("moscow", "irkutsk")]
    text_ar = "أبحرت السفينة من شمال الصين نحو روسيا."
    (route,) = routes_of(text_ar, {"الصين": ("china", False), "روسيا": ("russia", False)})
    assert route.stops == ("china", "russia") and route.mode == "ship"


def test_a_source_after_according_to_is_no_stop() -> None:
    names = {n: (n.lower(), False) for n in ("Moscow", "Irkutsk", "Beijing")}
    text = "The cargo landing point in Irkutsk is not ready, according to a Moscow news agency."
    assert routes_of(text, names) == ()


def test_a_leg_told_without_a_mode_takes_the_travellers_own_vehicle() -> None:
    text = "The leader boarded his armoured train on Sunday.\nOn Tuesday he travelled from Moscow to Irkutsk."
    (route,) = routes_of(text, {n: (n.lower(), False) for n in ("Moscow", "Irkutsk")})
    assert route.mode == "train" and route.on_rail
    text_ar = "وصل الرئيس على متن طائرته الرئاسية.\nوسافر من موسكو إلى إيركوتسك يوم الأحد."
    (route,) = routes_of(text_ar, {"موسكو": ("moscow", False), "إيركوتسك": ("irkutsk", False)})
    assert route.mode == "plane"


def test_a_departure_told_alone_is_completed_by_the_next_arrival_and_an_apposition_is_no_leg() -> None:
    names = {n: (n.lower(), False) for n in ("Moscow", "Irkutsk", "Beijing", "Vladivostok")}
    text = (
        "Later, the minister flew from nearby Irkutsk, the main hub for shipping grain to Beijing. "
        "He landed at a military airfield outside of Vladivostok in the evening."
    )
    (route,) = routes_of(text, names)
    assert route.stops == ("irkutsk", "vladivostok") and route.mode == "plane"
    # An arrival with nothing left open before it starts no leg.
    text = "The minister flew from Moscow to Irkutsk. His deputy arrived in Beijing for talks."
    assert [r.stops for r in routes_of(text, names)] == [("moscow", "irkutsk")]


def test_a_diversion_told_paragraphs_later_moves_the_end_and_the_trip_continues() -> None:
    names = {n: (n.lower(), False) for n in ("Moscow", "Irkutsk", "Vladivostok")}
    text = (
        "An airliner on its way from Moscow to Vladivostok was stopped on Sunday.\n"
        "Ministers met on Monday.\nThey spoke of consequences.\n"
        "The jet had been diverted and ordered to land in Irkutsk by the military.\n"
        "It was later allowed to continue to Vladivostok."
    )
    legs = [r.stops for r in routes_of(text, names)]
    assert legs == [("moscow", "irkutsk"), ("irkutsk", "vladivostok")]
    # A diversion word before another stop diverts nothing there (Arabic verb-first order).
    text_ar = "اضطرت الطائرة المتجهة من موسكو إلى فلاديفوستوك إلى إعلان الطوارئ، وتم تحويل مسارها للهبوط في إيركوتسك."
    names_ar = {"موسكو": ("moscow", False), "فلاديفوستوك": ("vladivostok", False), "إيركوتسك": ("irkutsk", False)}
    assert [r.stops for r in routes_of(text_ar, names_ar)] == [("moscow", "irkutsk")]


def test_a_pronoun_for_the_traveller_goes_on_from_where_they_arrived_in_the_same_paragraph() -> None:
    names = {n: (n.lower(), False) for n in ("Moscow", "Irkutsk", "Beijing", "Russia")}
    text = (
        "The refugees were brought to Irkutsk by bus. They slept in a school, and officials planned to move them "
        "to a camp outside Moscow.\nIn another case, relatives travelled to Beijing."
    )
    routes = routes_of(text, names)
    assert [(r.stops, r.status) for r in routes] == [(("irkutsk", "moscow"), "proposed")]
    # Reaching a country and then being told the town in it is one stop (drawn at that town), not a leg.
    text = "The envoy flew from Beijing to Russia. He drove to Moscow for talks."
    assert [r.stops for r in routes_of(text, names)] == [("beijing", "moscow")]


def test_delivering_aid_to_people_in_a_place_ends_an_arabic_convoy_there() -> None:
    names = {"موسكو": ("moscow", False), "إيركوتسك": ("irkutsk", False)}
    text = "عبرت القافلة البرية صباح اليوم من موسكو تمهيدا لإيصال المساعدات للسكان في إيركوتسك."
    (route,) = routes_of(text, names)
    assert route.stops == ("moscow", "irkutsk") and route.mode == "car"


def test_a_vehicle_flown_in_from_a_place_comes_to_where_the_traveller_just_arrived() -> None:
    names = {n: (n.lower(), False) for n in ("Moscow", "Irkutsk", "Beijing", "Russia")}
    text = "The premier arrived in Beijing from Irkutsk on Friday. He was driven off in a limousine flown in from Russia."
    legs = [(r.stops, r.mode) for r in routes_of(text, names)]
    assert (("russia", "beijing"), "plane") in legs and len(legs) == 2
    # Without a place the traveller has reached in that paragraph, it is no route.
    assert routes_of("Officials used a limousine flown in from Russia.", names) == ()

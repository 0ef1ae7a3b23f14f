"""Typed links between actors: capitals and metonyms unify with their country, clause-scoped cues,
direction, status, merging across passages, and what must not become a link."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from test_routes import PLACES, SEED_SURFACES, annotate, place

from geo.core.document import Document
from geo.core.model import Link, Place
from geo.story.relations import find_links

EXTRA = {
    p.id: p
    for p in (
        place("iran", "country", 32.0, 53.0, "IR"),
        place("tehran", "city", 35.6944, 51.4215, "IR"),
        place("india", "country", 22.0, 79.0, "IN"),
        place("new-delhi", "city", 28.6358, 77.2245, "IN", "New Delhi"),
        place("pakistan", "country", 30.0, 70.0, "PK"),
        place("islamabad", "city", 33.7215, 73.0433, "PK"),
        place("egypt", "country", 27.0, 30.0, "EG"),
        place("cairo", "city", 30.0626, 31.2497, "EG"),
        place("giza", "city", 30.0081, 31.2109, "EG"),
        place("sudan", "country", 15.0, 30.0, "SD"),
        place("khartoum", "city", 15.5518, 32.5324, "SD"),
        place("crimea", "region", 45.0, 34.0, "UA"),
        place("germany", "country", 51.0, 10.0, "DE"),
        place("japan", "country", 36.0, 138.0, "JP"),
        place("odesa", "city", 46.4775, 30.7326, "UA"),
        place("sea-of-japan", "water", 40.0, 135.0, ""),
    )
}
ALL = {**PLACES, **EXTRA}
CAPITALS = {
    "RU": "moscow", "KP": "pyongyang", "KR": "seoul", "CN": "beijing", "US": "washington", "UA": "kyiv",
    "IR": "tehran", "IN": "new-delhi", "PK": "islamabad", "EG": "cairo", "SD": "khartoum",
    "FR": "paris", "VN": "hanoi",
}  # fmt: skip


def capital(cc: str) -> Place | None:
    pid = CAPITALS.get(cc)
    return ALL[pid] if pid else None


def links_of(text: str, surfaces: Mapping[str, tuple[str, bool]], places: Mapping[str, Place] | None = None):
    parts, mentions = annotate(text, surfaces)
    return find_links(Document.read(text), (places or ALL).values(), mentions, capital=capital)


def by_kind(links, kind: str) -> list[Link]:
    return [link for link in links if link.kind == kind]


EN = {
    "Russia": ("russia", False),
    "Russian": ("russia", True),
    "Moscow": ("moscow", False),
    "Kremlin": ("kremlin", False),
    "China": ("china", False),
    "Chinese": ("china", True),
    "Iran": ("iran", False),
    "North Korea": ("north-korea", False),
    "United States": ("united-states", False),
    "American": ("united-states", True),
    "Crimea": ("crimea", False),
    "France": ("france", False),
    "Germany": ("germany", False),
    "Japan": ("japan", False),
    "Sea of Japan": ("sea-of-japan", False),
    "Giza": ("giza", False),
    "Sudan": ("sudan", False),
    "Odesa": ("odesa", False),
}


# --- the seed ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_links(seed_path) -> tuple[Link, ...]:
    text = seed_path.read_text(encoding="utf-8")
    parts, mentions = annotate(text, SEED_SURFACES)
    # Places the text names, without Kyiv: the territory link must bring the capital from capital().
    places = [p for p in PLACES.values() if p.id != "kyiv"]
    return find_links(Document.read(text), places, mentions, capital=capital)


def test_seed_military_link_joins_moscow_and_pyongyang(seed_links) -> None:
    (military,) = by_kind(seed_links, "military")
    # Russia, Moscow, the Kremlin and "الروسي" are one actor drawn at Moscow; North Korea at Pyongyang.
    assert set(military.places) == {"moscow", "pyongyang"}
    # Told in several passages ("العلاقات العسكرية بين موسكو وبيونج يانج", "إمداد روسيا بقذائف", …).
    assert military.weight >= 3 and military.weight == len(military.passages)


def test_seed_proposed_drills_of_russia_china_and_north_korea_are_one_link(seed_links) -> None:
    trilateral = [link for link in by_kind(seed_links, "exercise") if "beijing" in link.places]
    assert len(trilateral) == 1
    (drills,) = trilateral
    assert set(drills.places) == {"beijing", "moscow", "pyongyang"}
    assert drills.status == "proposed"
    assert not drills.directed
    assert drills.id == "exercise-beijing-moscow-pyongyang"
    assert drills.weight >= 2


def test_seed_washington_seoul_drills_are_held_and_keep_pyongyang_out(seed_links) -> None:
    us_kr = [link for link in by_kind(seed_links, "exercise") if "washington" in link.places]
    assert [set(link.places) for link in us_kr] == [{"washington", "seoul"}]
    assert us_kr[0].status == "held"  # "ونفذت واشنطن العديد من المناورات"


def test_seed_has_no_link_at_a_venue_or_a_news_source(seed_links) -> None:
    for link in seed_links:
        # Vladivostok is where the leaders meet, not an actor; the "American newspaper" is a source.
        assert "vladivostok" not in link.places
        assert len(set(link.places)) == len(link.places)
    military = by_kind(seed_links, "military")[0]
    assert "washington" not in military.places


def test_seed_territory_link_is_drawn_at_kyiv_from_the_capital_function(seed_links) -> None:
    (territory,) = by_kind(seed_links, "territory")
    assert set(territory.places) == {"moscow", "kyiv"}  # "ضم روسيا لأجزاء من أوكرانيا"


# --- relations written for these tests ----------------------------------------------------------------


def test_supplies_with_is_directed_from_supplier_to_recipient() -> None:
    (link,) = links_of("Russia supplied Iran with drones and ammunition last year.", EN)
    assert (link.kind, link.directed, link.places) == ("military", True, ("moscow", "tehran"))
    assert link.id == "military-moscow-to-tehran"


def test_arabic_supply_verbal_noun_points_at_its_object() -> None:
    text = "وبحثت إيران إمكانية تزويد روسيا بالصواريخ والذخيرة."
    (link,) = links_of(text, {"إيران": ("iran", False), "روسيا": ("russia", False)})
    assert (link.kind, link.directed, link.places, link.status) == ("military", True, ("tehran", "moscow"), "proposed")


def test_held_joint_drills_of_two_countries() -> None:
    (link,) = links_of("Russia and China held joint naval drills in the Sea of Japan last week.", EN)
    assert (link.kind, link.status, link.places, link.directed) == ("exercise", "held", ("beijing", "moscow"), False)


def test_condemned_annexation_gives_a_directed_tension_and_a_territory_link() -> None:
    links = links_of("The United States condemned Russia's annexation of Crimea.", EN)
    (tension,) = by_kind(links, "tension")
    assert (tension.directed, tension.places) == (True, ("washington", "moscow"))
    (territory,) = by_kind(links, "territory")
    # An annexed region stands for the state it belongs to: the relation is Russia–Ukraine.
    assert set(territory.places) == {"moscow", "kyiv"}


def test_between_binds_the_pair_and_leaves_the_speaker_out() -> None:
    text = "أعربت الصين عن قلقها من تصاعد التوترات بين الهند وباكستان."
    surfaces = {"الصين": ("china", False), "الهند": ("india", False), "باكستان": ("pakistan", False)}
    (link,) = links_of(text, surfaces)
    assert (link.kind, set(link.places)) == ("tension", {"new-delhi", "islamabad"})


def test_a_visitor_named_by_a_demonym_is_the_source() -> None:
    (link,) = links_of("The Chinese foreign minister visited Moscow on Monday.", EN)
    assert (link.kind, link.directed, link.places) == ("visit", True, ("beijing", "moscow"))


def test_kremlin_and_russia_are_one_actor_across_passages() -> None:
    text = "The Kremlin pledged military cooperation with North Korea.\nRussia and North Korea signed an arms deal."
    (link,) = links_of(text, EN)
    assert link.kind == "military"
    assert set(link.places) == {"moscow", "pyongyang"}
    assert (link.weight, link.passages) == (2, (0, 1))


def test_a_town_stands_for_its_state_drawn_at_the_capital() -> None:
    """Actors are states: Giza (a town of Egypt, not its capital) stands for Egypt, drawn at Cairo."""
    (link,) = links_of("Giza and Sudan signed a military cooperation agreement.", EN)
    assert set(link.places) == {"cairo", "khartoum"}


def test_a_country_is_drawn_at_its_country_point_when_it_has_no_capital() -> None:
    (link,) = links_of("Germany and Japan held joint exercises.", EN)
    assert set(link.places) == {"germany", "japan"}


def test_opposite_directions_in_two_passages_make_an_undirected_link() -> None:
    text = "The Chinese president visited Moscow in May.\nThe Russian president visited Beijing in October."
    surfaces = {**EN, "Beijing": ("beijing", False)}
    (link,) = links_of(text, surfaces)
    assert (link.kind, link.directed, link.places, link.weight) == ("visit", False, ("beijing", "moscow"), 2)


# --- what must not become a link --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Russia and China are the largest countries in Asia.",  # no cue
        "France and Germany signed a trade agreement.",  # a cue-less relation
        "Russia and China condemned the strike.",  # co-agents: the counterpart is not named
        "Chinese drills around Crimea continued.",  # one side's drills near a place are not joint drills
        "Russian missiles hit Odesa overnight.",  # weapons without a transfer are no arms cooperation
        "Relations between Russia and China improved, while Japan voiced concern.",  # clause break
    ],
)
def test_no_link(text: str) -> None:
    assert links_of(text, EN) == ()


def test_a_news_source_is_not_an_actor() -> None:
    (link,) = links_of("The American newspaper reported that Russia supplied Iran with drones.", EN)
    assert set(link.places) == {"moscow", "tehran"}


def test_arabic_news_agency_demonym_is_not_an_actor() -> None:
    text = "وذكرت وكالة الأنباء الروسية أن الصين وكوريا الشمالية أجرتا مناورات مشتركة."
    surfaces = {"الروسية": ("russia", True), "الصين": ("china", False), "كوريا الشمالية": ("north-korea", False)}
    (link,) = links_of(text, surfaces)
    assert (link.kind, set(link.places), link.status) == ("exercise", {"beijing", "pyongyang"}, "held")

"""Geoparsing local news in English: how a town's paper names its town, one written text per failure class.

Each text is written for this test (none comes from a corpus). Local news rarely writes "in X": it names the
town through its public bodies and people ("X Police said", "the X City Council", "an X man").
"""

from __future__ import annotations

import pytest

from geo.core.document import Document
from geo.places import gazetteer
from geo.places.matching import find_matches, resolve


@pytest.fixture(scope="module")
def gaz() -> gazetteer.Gazetteer:
    return gazetteer.load()


def _found(text: str, gaz: gazetteer.Gazetteer) -> list[tuple[str, str, str]]:
    """(mention text, place name, admin1) of each kept mention, in order."""
    doc = Document.read(text)
    return [(r.match.text, r.entry.name, r.entry.admin1) for r in resolve(find_matches(doc, gaz), gaz, doc)]


def test_en_a_towns_public_bodies_and_people_name_the_town(gaz) -> None:
    text = (
        "Tillamook Police said a barn burned down on Friday night. Tillamook firefighters reached it within minutes, "
        "and the City of Tillamook will ask the Tillamook City Council for a new engine. A Tillamook man was hurt. "
        "Crews from Astoria, Ore., helped."
    )
    got = _found(text, gaz)
    towns = [(name, a1) for t, name, a1 in got if t == "Tillamook"]
    assert towns == [("Tillamook", "OR")] * 5


def test_en_a_common_word_town_counts_before_its_court_but_not_before_people(gaz) -> None:
    # "Reading" is also a common word: its Crown Court names the town; "Young men", "Area woman" name nobody's town.
    got = _found("Reading Crown Court heard the case on Monday. Young men and an Area woman waited outside.", gaz)
    assert [(t, name) for t, name, _ in got] == [("Reading", "Reading")]


def test_en_a_state_named_in_a_bodys_name_is_still_the_state_elsewhere(gaz) -> None:
    # "Georgia Power" reads like "Georgia Brown" and is left out; the state named later in the text is still the state
    # (a small town named like a person still marks that person: see test_geoparse_guards).
    text = "Georgia Power crews worked through the night in Valdosta, Ga., and schools across Georgia stayed closed on Monday."
    got = [(t, name) for t, name, _ in _found(text, gaz)]
    assert got[0][0] == "Valdosta" and got[-1] == ("Georgia", "Georgia (U.S. state)")
    assert [t for t, _ in got].count("Georgia") == 1


def test_en_saint_mount_and_fort_abbreviations_open_a_name(gaz) -> None:
    text = (
        "Fans flew from St. Louis to Ft. Lauderdale on Friday for the game. The parade down Main St. Paul Harris "
        "organised was on St. Patrick's Day, and St. Mary's School closed early."
    )
    got = [(t, name) for t, name, _ in _found(text, gaz)]
    assert got == [("St. Louis", "St. Louis"), ("Ft. Lauderdale", "Fort Lauderdale")]


def test_en_state_abbreviations_after_a_party_letter_or_an_unknown_town(gaz) -> None:
    text = (
        "Sen. Ann Doe, D-Ore., and Rep. Tom Roe, R-Tillamook, backed the bill. "
        "The driver, of Quarrier Hollow, W. Va., was treated and released."
    )
    got = [(t, name, a1) for t, name, a1 in _found(text, gaz)]
    assert got == [("Ore.", "Oregon", "OR"), ("Tillamook", "Tillamook", "OR"), ("W. Va.", "West Virginia", "WV")]


def test_en_a_towns_name_that_speaks_is_a_surname(gaz) -> None:
    # "Bill" is a dictionary word, so no given-name list marks "Bill Gillette" as a person: his speaking does.
    text = (
        "Bill Gillette, who runs the shelter, opened its doors at noon. \u201cWe had no choice,\u201d Gillette said. "
        "According to Gillette, forty families came."
    )
    assert _found(text, gaz) == []
    # A town's police may speak; the town after "in" is still the town.
    assert [t for t, _, _ in _found("Police in Gillette said the road was closed on Monday.", gaz)] == ["Gillette"]


def test_en_names_in_a_list_before_counties_are_counties(gaz) -> None:
    text = "Storms closed schools in Bourbon, Harrison and Nicholas counties in Kentucky, as in most Ohio counties."
    got = [(t, name) for t, name, _ in _found(text, gaz)]
    assert got == [
        ("Bourbon", "Bourbon County, KY"), ("Harrison", "Harrison County, KY"), ("Nicholas", "Nicholas County, KY"),
        ("Kentucky", "Kentucky"), ("Ohio", "Ohio"),
    ]


def test_en_of_after_a_person_names_where_the_person_lives(gaz) -> None:
    text = (
        "Dana Kowalski, 34, of Tillamook, was cited after the crash near Astoria, Ore. Her brother Sam Kowalski of "
        "Tillamook was not hurt. The Chamber of Commerce Banquet went ahead."
    )
    got = [(t, name, a1) for t, name, a1 in _found(text, gaz)]
    assert [g for g in got if g[0] == "Tillamook"] == [("Tillamook", "Tillamook", "OR")] * 2
    assert "Commerce" not in [t for t, _, _ in got]


def test_en_a_weekday_or_a_compass_point_beside_a_town_is_no_part_of_a_name(gaz) -> None:
    # "Sunday" and "Friday" are also names a person bears; "S.E." reads like a person's initials.
    text = (
        "A fire damaged a S.E. Tigard apartment on Sunday. Around noon Sunday Tigard police closed the road, "
        "and crews stayed in Tigard Friday night."
    )
    assert [t for t, _, _ in _found(text, gaz)] == ["Tigard"] * 3


def test_en_a_dateline_in_capitals_after_the_headline_on_its_line(gaz) -> None:
    text = "Council hires a new clerk. TILLAMOOK \u2014 The council voted 4-1 on Monday, a week after a vote in Astoria, Ore."
    assert [(t, a1) for t, _, a1 in _found(text, gaz)][0] == ("TILLAMOOK", "OR")


@pytest.mark.parametrize("text", [
    "Hamas officials said the talks would resume on Sunday.",  # a curated false friend
    "The Federal Police arrested two men on Sunday.",  # a town named like a common word
    "The University Police said two men were arrested.",
])
def test_en_a_body_after_a_false_friend_or_a_common_word_names_no_town(gaz, text: str) -> None:
    assert _found(text, gaz) == []


def test_en_states_in_a_list_before_counties_stay_states(gaz) -> None:
    got = _found("Flooding closed roads in rural Texas and Oklahoma counties on Monday.", gaz)
    assert [(t, name) for t, name, _ in got] == [("Texas", "Texas"), ("Oklahoma", "Oklahoma")]


def test_en_a_title_after_a_comma_is_no_state_abbreviation(gaz) -> None:
    assert _found("Thanks went to Smith, Miss. Jones and the mayor.", gaz) == []
    got = _found("The driver, of Elm Hollow, Miss., was treated and released.", gaz)
    assert [(t, name) for t, name, _ in got] == [("Miss.", "Mississippi")]

"""Geoparsing local news in Arabic: how a governorate's news names its towns, one written text per failure class.

Each text is written for this test (none comes from a corpus). Local Arabic news names small towns through their
district (مركز X), with a place noun before names that begin with a particle (أبو، أم), and often writes a
two-word name as one word.
"""

from __future__ import annotations

import pytest

from geo.core.document import Document
from geo.places import gazetteer
from geo.places.matching import find_matches, resolve


@pytest.fixture(scope="module")
def gaz() -> gazetteer.Gazetteer:
    return gazetteer.load()


def _found(text: str, gaz: gazetteer.Gazetteer) -> list[tuple[str, str]]:
    """(mention text, country) of each kept mention, in order."""
    doc = Document.read(text)
    return [(r.match.text, r.entry.country) for r in resolve(find_matches(doc, gaz), gaz, doc)]


def test_ar_a_town_named_by_a_particle_and_a_word_counts_after_a_strong_cue(gaz) -> None:
    # أبو ("father of") and أم ("or"; "mother of") head many towns' names; after "مدينة" or "ميناء" the pair is
    # the town, while the particle in running text joins no name.
    text = (
        "أغلقت الشرطة الطريق عند مدخل مدينة أبو تيج بعد انقلاب شاحنة، فيما وصلت سفينة الحبوب إلى ميناء أم قصر. "
        "وسأل المذيع: هل تفضل البقاء أم قصر الرحلة؟"
    )
    got = _found(text, gaz)
    assert ("أبو تيج", "EG") in got and ("أم قصر", "IQ") in got
    assert len(got) == 2  # "أم قصر الرحلة" (or shortening the trip) is no port


def test_ar_an_egyptian_district_named_after_its_town_is_a_cue(gaz) -> None:
    # "مركز X" is the district of town X; the article need not name Egypt for the town to count.
    text = "أصيب خمسة أشخاص في انقلاب جرار زراعي بقرية تابعة لمركز ملوي، ونقلوا إلى مستشفى قريب."
    assert ("ملوي", "EG") in _found(text, gaz)


def test_ar_a_two_word_town_written_as_one_word_counts_after_a_cue(gaz) -> None:
    # Egyptian papers often write دير مواس, أبو تيج as one word; after a place noun or a district word that is the
    # town, spelled either way.
    text = "انقلبت سيارة نقل عند مدخل مدينة ديرمواس، ونقل المصابون إلى مستشفى في مدينة أبوتيج ثم إلى دير مواس."
    got = [m for m, cc in _found(text, gaz) if cc == "EG"]
    assert got == ["ديرمواس", "أبوتيج", "دير مواس"]


def test_ar_a_small_town_abroad_alone_in_a_local_story_is_a_namesake(gaz) -> None:
    # A village the gazetteer lacks, after "قرية", matched a foreign town's Arabic spelling; an Egyptian story that
    # never names that town's country keeps to Egypt. The same town in an article naming its country stays.
    text = ("أصيب عشرة عمال من قرية تونا الجبل في انقلاب سيارتهم قرب مدينة ملوي، ونقلوا إلى مستشفى "
            "في مدينة المنيا ثم إلى أسيوط.")
    got = _found(text, gaz)
    assert got == [("ملوي", "EG"), ("المنيا", "EG"), ("أسيوط", "EG")]
    abroad = "قال مسؤولون في ولاية بنسلفانيا الأمريكية إن السيول غمرت شوارع مدينة ألتونا وبلدة مجاورة."
    assert ("ألتونا", "US") in _found(abroad, gaz)

"""Relations between actors named by people, titles, pronouns and pair words, read through the whole pipeline
(real gazetteer, real office-holder table): one text per failure class, in Arabic and English, written for
these tests."""

from __future__ import annotations

import pytest

from geo.core.document import Document
from geo.core.model import Story
from geo.pipeline import analyse
from geo.places import gazetteer
from geo.story.actors import article_year, find_actor_mentions, office_holders


@pytest.fixture(scope="module")
def gaz():
    return gazetteer.load()


def links(text: str, gaz) -> dict[tuple[str, frozenset[str]], str]:
    """(kind, country codes) → status of every link the pipeline reads from ``text``."""
    story: Story = analyse(text, gazetteer=gaz)
    by_id = {p.id: p for p in story.places}
    return {(lk.kind, frozenset(by_id[pid].country for pid in lk.places)): lk.status for lk in story.links}


def test_people_stand_for_their_country_and_the_venue_is_no_party(gaz) -> None:
    found = links("Emmanuel Macron met Narendra Modi in Tokyo on Tuesday.", gaz)
    assert ("visit", frozenset({"FR", "IN"})) in found
    assert not any("JP" in actors for _, actors in found)


def test_the_year_of_the_story_picks_the_office_holder() -> None:
    by_alias, _ = office_holders()
    terms = by_alias["putin"]
    assert {t.office for t in terms if t.serves(2010)} == {"head_of_government"}
    assert article_year("Talks were held in March 2011, a year after the 2010 summit.") == 2011
    found = find_actor_mentions(Document.read("In 2011 Medvedev flew to Beijing."), (), lambda m: "")
    assert [(a.text, a.country, a.how) for a in found] == [("Medvedev", "RU", "person")]


def test_a_bare_title_and_a_pronoun_stand_for_the_person_in_focus(gaz) -> None:
    text = "Vladimir Putin landed in Beijing on Monday. The president then held talks with Xi Jinping. He also met the Chinese premier."
    found = links(text, gaz)
    assert found.get(("visit", frozenset({"RU", "CN"}))) == "held"


def test_arabic_pair_word_stands_for_the_two_actors_in_focus(gaz) -> None:
    text = "استقبل الرئيس الصيني في بكين نظيره الروسي يوم الثلاثاء. وبحث الزعيمان توسيع التعاون العسكري."
    found = links(text, gaz)
    assert ("military", frozenset({"CN", "RU"})) in found


def test_a_countrys_possessive_before_a_title_is_a_person_for_the_two_leaders(gaz) -> None:
    # "Kenya's president" is one of "the two leaders", not the town his tour goes to next.
    text = ("Kenya's president arrived in Addis Ababa on Monday on a tour that will also take him to Cairo. "
            "He met the Ethiopian prime minister on Tuesday, and the two leaders signed a defence pact.")
    found = links(text, gaz)
    assert ("alliance", frozenset({"KE", "ET"})) in found
    assert ("alliance", frozenset({"ET", "EG"})) not in found


def test_a_group_is_never_read_as_its_country(gaz) -> None:
    found = links("أدانت الحكومة المصرية هجوما لحزب الله اللبناني المدعوم من إيران.", gaz)
    assert not any("LB" in actors for _, actors in found)
    found_en = links("Egypt condemned an attack by the Iran-backed Houthis in Yemen.", gaz)
    assert ("alliance", frozenset({"IR", "YE"})) not in found_en


@pytest.mark.parametrize(
    "text",
    [
        "India has not condemned Russia over the strikes.",
        "لم تزود مصر روسيا بأي أسلحة خلال العام الماضي.",
    ],
)
def test_a_denied_relation_gives_no_link(gaz, text: str) -> None:
    found = links(text, gaz)
    assert not [k for k in found if k[0] in ("tension", "military")]


@pytest.mark.parametrize(
    "text, kind, actors",
    [
        ("China and Brazil will hold joint naval drills next month.", "exercise", {"CN", "BR"}),
        ("يعتزم الرئيس التركي زيارة مصر الشهر المقبل.", "visit", {"TR", "EG"}),
    ],
)
def test_a_planned_relation_is_proposed(gaz, text: str, kind: str, actors: set[str]) -> None:
    assert links(text, gaz).get((kind, frozenset(actors))) == "proposed"


def test_several_visitors_make_one_visit_each_but_a_joint_drill_is_one_link(gaz) -> None:
    found = links("The leaders of France, Germany and Italy visited Kyiv in 2022.", gaz)
    visits = {actors for kind, actors in found if kind == "visit"}
    assert visits == {frozenset({"FR", "UA"}), frozenset({"DE", "UA"}), frozenset({"IT", "UA"})}
    drills = links("Russia, China and Iran held joint naval drills in the Gulf of Oman.", gaz)
    assert [actors for kind, actors in drills if kind == "exercise"] == [frozenset({"RU", "CN", "IR"})]


def test_a_list_on_one_side_is_linked_across_never_within(gaz) -> None:
    found = links("The United States and Japan are at odds with North Korea and China.", gaz)
    tension = {actors for kind, actors in found if kind == "tension"}
    assert frozenset({"US", "KP"}) in tension and frozenset({"JP", "CN"}) in tension
    assert frozenset({"US", "JP"}) not in tension and frozenset({"KP", "CN"}) not in tension


def test_a_critic_is_in_tension_with_the_visitor_not_allied_with_the_host(gaz) -> None:
    found = links("Washington criticised the Indian prime minister's visit to Moscow.", gaz)
    assert ("tension", frozenset({"US", "IN"})) in found
    assert ("visit", frozenset({"IN", "RU"})) in found
    assert not any(actors == frozenset({"US", "RU"}) for _, actors in found)


@pytest.mark.parametrize(
    "text, kind, actors",
    [
        ("Turkey and Azerbaijan are close partners.", "alliance", {"TR", "AZ"}),
        ("انتقدت الصين الولايات المتحدة بسبب العقوبات.", "tension", {"CN", "US"}),
        ("Russia's invasion of Ukraine began in 2022.", "territory", {"RU", "UA"}),
        ("وقعت السعودية وباكستان معاهدة دفاع مشترك.", "alliance", {"SA", "PK"}),
    ],
)
def test_vocabulary_of_wire_news(gaz, text: str, kind: str, actors: set[str]) -> None:
    assert (kind, frozenset(actors)) in links(text, gaz)


def test_every_link_carries_its_evidence_sentences(gaz) -> None:
    text = "Egypt and Jordan held joint drills in March.\nThe two countries also signed a defence pact."
    story = analyse(text, gazetteer=gaz)
    assert story.links
    for lk in story.links:
        assert lk.evidence and all(text[a:b].strip() for a, b in lk.evidence)
        assert 0 < lk.confidence <= 1


def test_between_names_the_parties_of_a_meeting_held_elsewhere(gaz) -> None:
    text = "The plane left for Hanoi for the summit between the US President and the Chinese leader in 2019."
    found = links(text, gaz)
    assert ("visit", frozenset({"US", "CN"})) in found
    assert not any("VN" in actors for _, actors in found)


def test_the_two_leaders_are_the_last_two_people_not_the_last_two_places(gaz) -> None:
    text = ("Vladimir Putin flew to Ankara in 2019, where Recep Tayyip Erdogan met him. "
            "The summit was held weeks after a meeting in Helsinki. The two leaders discussed arms sales.")
    found = links(text, gaz)
    assert ("military", frozenset({"RU", "TR"})) in found
    assert not any("FI" in actors for _, actors in found)


def test_a_town_the_traveller_left_is_no_party_and_because_starts_a_new_clause(gaz) -> None:
    found = links("Before he left Marseille, the British prime minister praised his allies.", gaz)
    assert not any("FR" in actors for _, actors in found)
    found = links("The trip to Poland was needed because Russia is shelling the border.", gaz)
    assert ("visit", frozenset({"PL", "RU"})) not in found


def test_his_war_belongs_to_the_person_in_focus_en_and_ar(gaz) -> None:
    text_ar = "زار الرئيس التركي رجب طيب أردوغان قطر أمس، رغم استمرار حربه في سوريا."
    assert ("tension", frozenset({"TR", "SY"})) in links(text_ar, gaz)
    text_en = "Recep Tayyip Erdogan visited Qatar in 2019, weeks after his war in Syria widened."
    assert ("tension", frozenset({"TR", "SY"})) in links(text_en, gaz)


def test_a_meeting_named_after_its_town_is_held_there_not_with_its_state(gaz) -> None:
    text = "قالت وزارة الخارجية الفرنسية إن اجتماع جدة بين الجانبين الألماني والإيطالي كان مثمرا."
    found = links(text, gaz)
    assert not any("SA" in actors for _, actors in found)


def test_a_speaker_reporting_what_two_others_agreed_is_no_party(gaz) -> None:
    found = links("The French ministry said that Germany and Italy agreed on a defence pact.", gaz)
    assert ("alliance", frozenset({"DE", "IT"})) in found
    assert not any("FR" in actors for _, actors in found)


def test_a_wire_agency_credit_in_brackets_is_no_actor(gaz) -> None:
    text = "اتفق الجانبان على وقف التصعيد ( الفرنسية ) وأدانت مصر الهجمات الإسرائيلية على لبنان."
    found = links(text, gaz)
    assert not any("FR" in actors for _, actors in found)


def test_territory_links_the_occupier_and_the_occupied_only(gaz) -> None:
    text = "Washington recognised Moroccan rule over the region, which Turkey occupied from Greece in 1974."
    found = links(text, gaz)
    assert ("territory", frozenset({"TR", "GR"})) in found
    assert not [a for k, a in found if k == "territory" and ("US" in a or "MA" in a)]
    found_ar = links("قالت واشنطن إن القرار يخص الجزيرة التي احتلتها تركيا من اليونان عام 1974.", gaz)
    assert ("territory", frozenset({"TR", "GR"})) in found_ar
    assert not [a for k, a in found_ar if k == "territory" and "US" in a]


def test_whom_weapons_are_used_against_or_near_whom_drills_happen_is_no_party(gaz) -> None:
    found = links("Belarus supplied Serbia with missiles for use in the war against Albania.", gaz)
    assert ("military", frozenset({"BY", "RS"})) in found
    assert not any("AL" in actors for kind, actors in found if kind != "tension")
    found_ar = links("أجرت مصر مناورات مشتركة مع اليونان قرب الحدود الليبية.", gaz)
    assert ("exercise", frozenset({"EG", "GR"})) in found_ar
    assert not any("LY" in actors for _, actors in found_ar)


def test_a_topic_label_before_a_colon_and_a_condition_are_clauses_of_their_own(gaz) -> None:
    found = links("Peru-Chile dispute: a cargo ship bound for Ecuador left Colombia", gaz)
    assert not any(actors & {"EC", "CO"} and actors & {"PE", "CL"} for _, actors in found)
    found_ar = links("قالت الخارجية إن البرازيل وافقت خلال محادثات الأرجنتين على الهدنة في حال التزمت تشيلي.", gaz)
    assert not any("CL" in actors for _, actors in found_ar)


def test_a_claim_to_a_territory_is_no_territory_link_and_a_speaker_arguing_is_no_party(gaz) -> None:
    found = links("اليابان تعتبر الجزر الصغيرة جزءا من أراضيها رغم اعتراض كوريا الجنوبية.", gaz)
    assert not any(kind == "territory" for kind, _ in found)
    found_en = links("Canada has argued that by buying arms from France, Mexico was risking its ties.", gaz)
    assert not any("CA" in actors for kind, actors in found_en if kind == "military")


def test_a_building_named_after_a_person_is_not_that_person(gaz) -> None:
    found = links("In 2018 the Turkish president stopped at Trump Tower before his meeting with Justin Trudeau.", gaz)
    assert not any("US" in actors for _, actors in found)
    assert ("visit", frozenset({"TR", "CA"})) in found


def test_where_a_visitor_travels_for_a_summit_with_a_third_party_is_the_venue(gaz) -> None:
    found = links("Narendra Modi travelled to Jakarta in 2019 for a summit with Scott Morrison.", gaz)
    assert ("visit", frozenset({"IN", "AU"})) in found
    assert not any("ID" in actors for _, actors in found)
    found_ar = links("وصل أردوغان إلى الدوحة لعقد قمة مع الرئيس الإيراني.", gaz)
    assert ("visit", frozenset({"TR", "IR"})) in found_ar
    assert not any("QA" in actors for _, actors in found_ar)


def test_a_consequence_after_a_comma_is_a_clause_of_its_own(gaz) -> None:
    found = links("Travel by sea was needed because China is contesting Japan's waters, making long voyages a must for visits by Japanese envoys.", gaz)
    assert ("tension", frozenset({"CN", "JP"})) in found
    assert ("visit", frozenset({"CN", "JP"})) not in found

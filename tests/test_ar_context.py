"""Arabic sentence context that unmakes a place (geo.places.ar_context): one written text per failure class.

Every text is written for this test, in ordinary Arabic news spelling (hamza, attached clitics), none taken
from a corpus. A class: a city named as its club in a match report; a place inside the name of a body or
facility; a town's name as a speaker or as the outlet spoken to; a word read as a proclitic plus a name. Each test also checks the same names still
count where the sentence makes them places.
"""

from __future__ import annotations

import pytest

from geo.core.document import Document
from geo.places import gazetteer
from geo.places.matching import find_matches, resolve


@pytest.fixture(scope="module")
def gaz() -> gazetteer.Gazetteer:
    return gazetteer.load()


def _resolved(text: str, gaz: gazetteer.Gazetteer) -> list:
    doc = Document.read(text)
    return resolve(find_matches(doc, gaz), gaz, doc)


def kept(text: str, gaz: gazetteer.Gazetteer) -> list[str]:
    """The surface text of every mention resolved to a place, in order."""
    return [r.match.text for r in _resolved(text, gaz)]


def test_clubs_in_a_match_report_are_no_places(gaz) -> None:
    text = (
        "لشبونة - أ ف ب: فاز برشلونة على بورتو 2 - 1 في مباراة مثيرة بدوري أبطال أوروبا، وسجل المهاجم هدفين.\n"
        "وكان اللاعب قد شارك في أولمبياد بكين قبل أن ينتقل إلى الفريق. ويزور الوفد برشلونة الأسبوع المقبل للقاء رئيس البلدية."
    )
    got = kept(text, gaz)
    assert "بورتو" not in got
    assert got.count("برشلونة") == 1  # the club is gone, the city the delegation visits stays
    assert "لشبونة" in got and "بكين" in got  # the dateline and the host of the Games stay places


def test_a_result_line_without_sports_words_is_still_a_match_report(gaz) -> None:
    got = kept("النتائج: ميلان 3 - صفر بوردو، وليون 1 - 1 مرسيليا.", gaz)
    assert not {"ميلان", "بوردو", "ليون", "مرسيليا"} & set(got)


def test_places_inside_names_of_bodies_are_no_places(gaz) -> None:
    text = (
        "وصعدت أسهم سوق دبي المالي صباح الأحد، وأعلنت شرطة الشارقة توقيف عصابة، فيما بث تلفزيون الكويت اللقاء. "
        "ووصل الوزير إلى دبي مساء الخميس."
    )
    got = kept(text, gaz)
    assert got.count("دبي") == 1 and "الشارقة" not in got and "الكويت" not in got


def test_a_town_as_speaker_or_as_the_outlet_spoken_to_is_no_place(gaz) -> None:
    text = (
        "وقال بولتون إن بريطانيا وواشنطن لن تتراجعا، وأضاف في لندن أن العقوبات باقية. "
        "وقال مسؤول لـ«الشرق الأوسط» إن الاجتماع سيعقد في بيروت. ودعت نيودلهي إلى ضبط النفس."
    )
    got = kept(text, gaz)
    assert "بولتون" not in got and "الشرق الأوسط" not in got
    assert {"واشنطن", "لندن", "بيروت", "نيودلهي"} <= set(got)  # a capital as the subject speaks for its state


def test_a_word_of_its_own_is_not_a_proclitic_before_a_name(gaz) -> None:
    text = (
        "التقى الوزير بالمستشار كلاوس شولتز في برلين، وأشاد بموقف كريم من القضية، "
        "ثم زار دمشق وبغداد وعاد بعد فترة وجيزة إلى الجيزة."
    )
    got = {r.match.text: r.entry.country for r in _resolved(text, gaz)}
    assert "LA" not in got.values() and "IT" not in got.values()  # not ka + Laos, not ka + Rim (Rome)
    assert list(got.values()).count("EG") == 1  # الجيزة after إلى, not the word وجيزة "brief"
    assert {"برلين", "دمشق", "بغداد"} <= set(got)  # a real clitic is still peeled: وبغداد


def test_a_country_in_a_sides_role_is_its_national_team(gaz) -> None:
    text = (
        "وفي مباراة مثيرة ضمن تصفيات كأس العالم حققت فرنسا فوزا كبيرا، وتألق حارس البرازيل رغم الخسارة 1 - 3.\n"
        "وتستضيف فرنسا البطولة المقبلة، بينما يسافر الفريق إلى البرازيل الشهر المقبل."
    )
    got = kept(text, gaz)
    assert got.count("فرنسا") == 1 and got.count("البرازيل") == 1  # the sides go, the host and the destination stay


def test_a_town_named_like_a_given_name_before_a_surname_is_a_person(gaz) -> None:
    text = "وقال رجل الأعمال ستيف جوبس إن الشركة ستفتح مصنعا في الجزائر، وأيدته ريجينا سايدل في مقابلة."
    got = {r.entry.country for r in _resolved(text, gaz)}
    assert got == {"DZ"}  # not Sétif, not Regina (Canada): only Algeria


def test_a_definite_name_after_a_definite_noun_is_its_adjective(gaz) -> None:
    text = (
        "زار المؤرخ قبر الصحابي الجليل في الخليل، وبدأت المحادثات الإسرائيلية السعودية في عمان. "
        "ووصل الوفد الخليل صباحا."
    )
    got = {r.match.text: r for r in _resolved(text, gaz)}
    assert "الجليل" not in got  # "the venerable companion", not Galilee
    assert got["السعودية"].match.adjectival  # "the Saudi talks": the country's adjective, as الفرنسية is
    assert sum(r.match.text == "الخليل" for r in _resolved(text, gaz)) == 2  # after في, and as the delegation's object


def test_a_place_inside_a_quoted_title_of_a_work_is_no_place(gaz) -> None:
    text = "عرض التلفزيون مسلسل «أيام في مصر» ونشر كتاب \"مصر القديمة\"، وقالت صحيفة «الأهرام» إن التصوير جرى في مصر."
    got = kept(text, gaz)
    assert got == ["مصر"] and text[text.rindex("مصر") - 3 : text.rindex("مصر")] == "في "


def test_kunya_liberation_movement_and_a_notion_of_a_region_are_no_places(gaz) -> None:
    text = (
        "وقال المتحدث أحمد أبو غزة إن حركة تحرير السودان رفضت الاتفاق، ودعا إلى شرق أوسط جديد. "
        "وعاد الوفد إلى غزة ثم إلى السودان، وتحدث عن الاستقرار في الشرق الأوسط."
    )
    got = kept(text, gaz)
    assert got.count("غزة") == 1 and got.count("السودان") == 1  # the person's kunya and the movement's name go
    assert "شرق أوسط" not in got and "الشرق الأوسط" in got


def test_a_country_followed_by_a_result_is_its_side(gaz) -> None:
    text = "وفي التصفيات تغلبت تونس على موريتانيا 3 - 1 في مباراة أقيمت في رادس، بينما سافر الوزير إلى موريتانيا."
    got = kept(text, gaz)
    assert got.count("موريتانيا") == 1 and "تونس" not in got  # the sides go, the minister's destination stays


def test_hamza_kunya_word_and_a_noun_in_construct_with_a_place(gaz) -> None:
    text = (
        "فوجئ المستثمرون بتراجع الأسهم في بورصة لندن، وولّى الخليفة أبا أيوب على المدينة، "
        "بينما شارك السائق في رالي تركيا. وانتقلت الشركة من لندن إلى طولكرم شمال الضفة الغربية."
    )
    got = [(r.match.text, r.entry.name) for r in _resolved(text, gaz)]
    names = {n for _, n in got}
    assert not {"Fuji", "Bursa", "Aba", "Raleigh"} & names  # فوجئ, بورصة "exchange", أبا, رالي "rally"
    assert [t for t, _ in got].count("لندن") == 2 and "طولكرم" in {t for t, _ in got}  # a place before where it lies stays


def test_a_name_spelled_like_the_article_and_a_word_and_a_club_named_after_its_country(gaz) -> None:
    text = (
        "ارتفعت الأسعار في تركيا خلال الأشهر الماضية. "
        "وفي مباراة الدوري تعادل فريق المغرب الفاسي مع ضيفه. ويسافر الوفد إلى المغرب الأسبوع المقبل."
    )
    got = [(r.match.text, r.entry.name) for r in _resolved(text, gaz)]
    assert "Alaşehir" not in {n for _, n in got}  # الأشهر "the months", not آلاشهر
    assert [t for t, _ in got].count("المغرب") == 1  # the club goes, the delegation's destination stays


def test_a_title_two_or_three_words_back_makes_a_town_a_holders_name(gaz) -> None:
    text = "وقال السفير البريطاني جون بولتون إن بلاده ستدعم القرار، وأكد أن الاجتماع المقبل سيعقد في بولتون."
    got = kept(text, gaz)
    assert got.count("بولتون") == 1  # the ambassador's surname goes; the town after في stays


def test_a_country_named_like_a_common_adjective_after_an_indefinite_noun_is_that_adjective(gaz) -> None:
    text = (
        "وقدمت الدولة دعم مالي كبير للمشروع، وحقق البنك فائض مالي هذا العام. "
        "وأعلنت مالي انسحابها، والتقى الوزير رئيس مالي في باماكو، وتحدث عن أزمة مالي وعن الوضع في شمال مالي."
    )
    got = kept(text, gaz)
    # "financial support", "a financial surplus" go; Mali as subject, after رئيس / شمال, after a feminine noun stays.
    assert got.count("مالي") == 4


def test_a_town_named_by_a_common_noun_after_a_call_for_is_that_noun(gaz) -> None:
    text = (
        "ودعت مصر إلى وقف فوري لإطلاق النار، وقالت القاهرة إن المحادثات تهدف إلى وقف القتال. "
        "وأدى القصف الى وقف الملاحة في القناة."
    )
    got = kept(text, gaz)
    # Egypt is named, so the Egyptian village "Al Waqf" is a candidate; after a call for, وقف is "a halt".
    assert "وقف" not in got
    assert "مصر" in got and "القاهرة" in got


def test_a_country_before_inna_is_the_country_not_a_longer_adjective(gaz) -> None:
    # "قالت مالي إن …" (Mali said that …): the two words joined spell an adjective of Mali's, but إن is a particle.
    text = "وقالت حكومة مالي إن الجيش صد هجوما قرب الحدود."
    assert kept(text, gaz) == ["مالي"]


def test_a_frequent_city_name_that_is_no_common_word_needs_no_country(gaz) -> None:
    # Names frequent in news but never used as nouns (Geneva, Idlib) are read after a cue like any city.
    text = "توجه المبعوث إلى جنيف، ثم سافر إلى إدلب."
    assert kept(text, gaz) == ["جنيف", "إدلب"]


def test_a_region_head_noun_is_shared_with_the_next_name_of_its_list(gaz) -> None:
    # "the northern countryside of Hama and Idlib": Idlib's countryside, not the city; a list of cities stays cities.
    text = "وقصفت الطائرات ريف حماة الشمالي وإدلب، وزار الوفد حمص وإدلب."
    found = [(r.match.text, r.entry.kind) for r in _resolved(text, gaz)]
    assert found == [("ريف حماة", "region"), ("إدلب", "region"), ("حمص", "city"), ("إدلب", "city")]


def test_an_accusative_participle_after_a_town_is_no_surname(gaz) -> None:
    # "left Geneva returning home": عائدا is a word (عائد) in the accusative, not a transcribed surname after a name.
    assert kept("غادر الوفد جنيف عائدا إلى بلاده.", gaz) == ["جنيف"]


def test_a_town_after_a_visit_verb_and_its_subjects_title_is_the_object(gaz) -> None:
    # Verb, subject, object: "the president visited Jeddah", "the envoy left Geneva"; not a president named Jeddah.
    assert kept("زار الرئيس جدة أمس، وغادر المبعوث جنيف مساء.", gaz) == ["جدة", "جنيف"]
    assert kept("وقال الرئيس جونسون إن المحادثات انتهت.", gaz) == []  # a title's holder stays a person


def test_the_subject_between_a_visit_verb_and_the_town_may_carry_an_office_and_a_nationality(gaz) -> None:
    # "the Egyptian president visited Jeddah", "the French foreign minister left Beirut": the nisba and the office
    # word close the subject; the town after them is still the verb's object.
    assert kept("زار الرئيس المصري جدة أمس.", gaz) == ["المصري", "جدة"]
    assert kept("وغادر وزير الخارجية الفرنسي بيروت مساء.", gaz) == ["الفرنسي", "بيروت"]
    # A definite town after the nisba is still the object, not an adjective agreeing with it ("the Spanish Rabat").
    assert kept("زار رئيس الوزراء الإسباني الرباط في أبريل.", gaz) == ["الإسباني", "الرباط"]


def test_off_the_coast_of_is_a_cue_for_a_town(gaz) -> None:
    # "an attack off the coast of Fujairah": قبالة and سواحل/ساحل place the town as in or to would.
    assert kept("تعرضت ناقلة لهجوم قبالة سواحل الفجيرة فجر الأحد.", gaz) == ["الفجيرة"]


def test_club_words_around_a_city_make_it_a_club(gaz) -> None:
    # "Bayern Munich", "Paris Saint-Germain" as the Arabic press writes them; the city alone stays a place.
    assert kept("اشترت شركة قطرية حصة في باريس سان جيرمان، واشترى رجل أعمال حصة في بايرن ميونيخ.", gaz) == ["قطرية"]
    assert kept("تقام المباراة النهائية في ميونيخ.", gaz) == ["ميونيخ"]


def test_an_agencys_credit_in_parentheses_is_no_mention(gaz) -> None:
    # "(الفرنسية - أرشيف)": the photo is AFP's; France is not in the story.
    assert kept("هددت المعارضة بمقاطعة الانتخابات في نيروبي (الفرنسية - أرشيف).", gaz) == ["نيروبي"]


def test_a_countrys_press_spelling_is_the_country(gaz) -> None:
    assert kept("قال رئيس غويانا إن قواته في حالة تأهب.", gaz) == ["غويانا"]


def test_a_city_after_a_place_noun_and_its_nisba_is_in_apposition(gaz) -> None:
    # "The Egyptian capital Cairo": the city after the place noun and its nisba adjectives is the place, and a
    # country spelled like its feminine nisba right after the place noun is that adjective ("the Saudi capital").
    text = (
        "وصل المبعوث الأممي إلى العاصمة المصرية القاهرة مساء الخميس، بعد يومين قضاهما في العاصمة السعودية الرياض "
        "حيث التقى مسؤولين في المدينة الساحلية جدة أيضاً."
    )
    got = [(r.match.text, r.entry.country, r.match.adjectival) for r in _resolved(text, gaz)]
    assert ("القاهرة", "EG", False) in got
    assert ("الرياض", "SA", False) in got
    assert ("السعودية", "SA", True) in got  # the capital's adjective, not a second place named



def test_a_dateline_names_a_town_that_is_also_a_common_word(gaz) -> None:
    # A report filed from a town whose name is also a word (جدة "grandmother", صور "pictures") opens its line
    # with the name and a dash: that is the place, while the same word in running text stays a word.
    text = (
        "افتتاح معرض للكتاب\n"
        "جدة - افتتح وزير الثقافة معرضا للكتاب يضم آلاف العناوين، وقالت زائرة إن جدة صديقتها تحب الروايات.\n"
        "صور (رويترز) - عرضت البلدية صور المعرض على موقعها."
    )
    got = [(r.match.start, r.entry.name) for r in _resolved(text, gaz)]
    assert [name for _, name in got] == ["Jeddah", "Tyre"]  # the two datelines, no grandmother, no pictures


def test_a_town_named_by_a_common_noun_after_reaching_for_is_that_noun(gaz) -> None:
    # "للتوصل إلى وقف لإطلاق النار" (to reach a ceasefire): reaching takes إلى before the act as calling does.
    text = "استضافت مصر جولة محادثات جديدة للتوصل إلى وقف لإطلاق النار، وقال وسطاء إن الطرفين قد يتوصلان إلى وقف القتال."
    got = kept(text, gaz)
    assert "وقف" not in got and "مصر" in got


def test_a_country_named_like_a_given_name_between_a_title_and_a_surname_is_a_person(gaz) -> None:
    # "رئيسة الوزراء الإيطالية جورجيا ميلوني": the title (with its complement and nisba) and a transcribed surname
    # around the country's name make it the holder's given name; the country named in its own right stays.
    text = (
        "وكانت رئيسة الوزراء الإيطالية جورجيا ميلوني قد التقت نظيرها في روما، "
        "فيما أعلنت جورجيا رغبتها في الانضمام إلى الاتحاد."
    )
    got = kept(text, gaz)
    assert got.count("جورجيا") == 1  # the country that announced, not the prime minister


def test_a_city_after_a_travel_verb_and_its_one_word_subject_is_the_object_even_in_a_match_report(gaz) -> None:
    # "يغادر الوداد الدار البيضاء": the club leaves the city. Neither an adjective agreeing with the club's name
    # nor the club itself: the verb's object, a place, in a sentence full of match words.
    text = ("ويغادر الترجي تونس فجر الخميس متوجهاً إلى القاهرة لمواجهة الأهلي في ذهاب نصف نهائي دوري الأبطال، "
            "فيما يغادر الأهلي القاهرة بعد المباراة مباشرة.")
    got = kept(text, gaz)
    assert got.count("تونس") == 1 and got.count("القاهرة") == 2

"""Journeys real wire copy tells in ways the first reader missed, one failure class per test, in English and Arabic.

The texts are written for these tests. Mentions are annotated by hand (``test_routes.annotate``) so the story
layer is checked alone, whatever the geoparser does.
"""

from __future__ import annotations

import pytest

from test_routes import PLACES, annotate, place

from geo.core.document import Document
from geo.core.text import sentences
from geo.story.journeys import find_routes

EXTRA = {
    p.id: p
    for p in (
        place("valletta", "city", 35.8997, 14.5147, "MT"),
        place("catania", "city", 37.5079, 15.0830, "IT"),
        place("malta", "country", 35.9, 14.4, "MT"),
        place("italy", "country", 42.8, 12.8, "IT"),
        place("palermo", "city", 38.1158, 13.3615, "IT"),
    )
}
ALL = {**PLACES, **EXTRA}


def routes_of(text: str, surfaces: dict[str, tuple[str, bool]], **kw):
    _, mentions = annotate(text, surfaces)
    return find_routes(Document.read(text), ALL.values(), mentions, **kw)


def test_a_full_stop_run_into_the_next_sentence_ends_it() -> None:
    text = "Rescuers searched the sea near Catania.Survivors were taken to Palermo. The U.S.Army and Mr.Smith stayed."
    assert [text[s:e] for s, e in sentences(text)] == [
        "Rescuers searched the sea near Catania.", "Survivors were taken to Palermo.", "The U.S.Army and Mr.Smith stayed."]


def test_people_taken_on_from_the_scene_of_a_sinking_start_there() -> None:
    names = {"Catania": ("catania", False), "Palermo": ("palermo", False), "Valletta": ("valletta", False)}
    text = (
        "A fishing boat with 300 people on board capsized about 40 km east of Catania on Sunday."
        "Survivors were taken to Palermo, where officials said they would later move them to Valletta."
    )
    legs = [r.stops for r in routes_of(text, names)]
    assert legs[0] == ("catania", "palermo")
    # Without an incident there is no scene: "taken to Palermo" alone starts nowhere.
    calm = "Fishermen met about 40 km east of Catania on Sunday. Survivors were taken to Palermo."
    assert routes_of(calm, names) == ()
    text_ar = "غرق قارب يحمل مهاجرين قبالة كاتانيا فجر الأحد. ونقل الناجون بعد ذلك إلى باليرمو."
    names_ar = {"كاتانيا": ("catania", False), "باليرمو": ("palermo", False)}
    assert [r.stops for r in routes_of(text_ar, names_ar)] == [("catania", "palermo")]


def test_a_land_arrival_at_a_town_on_the_border_with_a_country_came_from_that_country() -> None:
    names = {"Vladivostok": ("vladivostok", False), "China": ("china", False), "Russian": ("russia", True)}
    text = "The envoy arrived by train in Vladivostok, on the border with China."
    (route,) = routes_of(text, names)
    assert route.stops == ("china", "vladivostok") and route.mode == "train"
    assert route.country_stops == ("china",)
    # By air the border says nothing about where the trip began.
    assert routes_of(text.replace("by train", "by plane"), names) == ()
    text_ar = "وصل المبعوث بالقطار يوم الجمعة إلى مدينة فلاديفوستوك الواقعة على الحدود مع الصين."
    (route,) = routes_of(text_ar, {"فلاديفوستوك": ("vladivostok", False), "الصين": ("china", False)})
    assert route.stops == ("china", "vladivostok") and route.mode == "train"


def test_legs_between_sites_inside_one_city_are_kept_apart() -> None:
    """An air base outside a city, then a guest house, then the Kremlin by car: sites the gazetteer lacks are
    read as stops placed at the town the text names, so the legs inside one city stay."""
    from geo.pipeline import analyse

    text = (
        "The prime minister flew from Paris on Monday. He landed at Brightwater Air Base, outside of Moscow, "
        "at noon, and then went to Greystone House, an old guest residence. "
        "Later he rode by motorcade to the Kremlin for his talks."
    )
    story = analyse(text)
    sites = {p.id: p for p in story.places if p.source == "text"}
    assert set(sites) == {"brightwater-air-base", "greystone-house"}
    moscow = next(p for p in story.places if p.name == "Moscow")
    assert all(p.kind == "site" and p.country == "RU" and p.location == moscow.location for p in sites.values())
    legs = [(r.stops, r.mode) for r in story.routes]
    assert legs[0] == (("paris", "brightwater-air-base"), "plane")
    assert ("brightwater-air-base", "greystone-house") in [s for s, _ in legs]
    assert (("greystone-house", moscow.id), "car") in legs
    # A facility name nobody travels to is no place of the story.
    quiet = "Officials at Greystone House in Moscow said the talks went well."
    assert not any(p.source == "text" for p in analyse(quiet).places)


def test_a_place_naming_whose_vehicle_it_is_is_no_stop() -> None:
    names = {"Irkutsk": ("irkutsk", False), "Moscow": ("moscow", False), "Beijing": ("beijing", False)}
    text = "The minister left Moscow and landed on a Beijing government plane in Irkutsk."
    (route,) = routes_of(text, names)
    assert route.stops == ("moscow", "irkutsk")
    # A place before a title names whose official it is: "left: Beijing Foreign Minister X …" leaves nowhere.
    text = "He came, refuelled and left: Beijing Foreign Minister Li on a stopover in Irkutsk."
    assert routes_of(text, names) == ()


def test_a_small_town_before_a_facility_word_is_read_and_a_tanker_that_had_come_from_x_brings_a_leg() -> None:
    """"landed on the X Airfield": the facility word is as strong a cue as "in"; "refuelled by a tanker that had
    come from Y" (next paragraph) is a leg Y -> where the story has the traveller."""
    from geo.pipeline import analyse

    with_facility = analyse("The tanker plane landed on the Aviano Airfield in northern Italy.")
    assert "Aviano" in {p.name for p in with_facility.places}
    without = analyse("The tanker plane landed on the Aviano field in northern Italy.")
    assert "Aviano" not in {p.name for p in without.places}

    names = {"Irkutsk": ("irkutsk", False), "Russia": ("russia", False), "Beijing": ("beijing", False)}
    text = ("The presidential jet landed in Irkutsk at dawn and left two hours later.\n"
            "Its fuel came from a tanker aircraft that had come from Beijing.")
    legs = [(r.stops, r.mode) for r in routes_of(text, names)]
    assert legs == [(("beijing", "irkutsk"), "plane")]
    # Told three paragraphs on, the arrival is another part of the story.
    far = text.replace("\n", "\nOfficials spoke.\nThey waited.\n", 1)
    assert routes_of(far, names) == ()


def test_an_origin_the_gazetteer_lacks_after_from_the_base_ends_the_chain() -> None:
    names = {"Irkutsk": ("irkutsk", False), "Moscow": ("moscow", False), "Beijing": ("beijing", False)}
    text = ("Before he left Moscow he spoke to reporters.\n"
            "He phoned his office on the drive from the military base Zarnitsa to Beijing.")
    # Not Moscow -> Beijing: the leg starts at a base the map cannot place.
    assert routes_of(text, names) == ()
    assert [r.stops for r in routes_of(text.replace(" the military base Zarnitsa", ""), names)] == [("moscow", "beijing")]


def test_a_scene_starts_only_the_legs_of_people_taken_on_from_it() -> None:
    names = {"Catania": ("catania", False), "Palermo": ("palermo", False), "Irkutsk": ("irkutsk", False)}
    text = "A small plane crashed near Catania on Sunday. The minister flew to Palermo on Monday."
    assert routes_of(text, names) == ()
    text = "A small plane crashed near Catania on Sunday. The injured were airlifted to Palermo."
    assert [r.stops for r in routes_of(text, names)] == [("catania", "palermo")]


def test_a_country_end_that_holds_the_travellers_town_is_no_new_stop() -> None:
    names = {"Paris": ("paris", False), "France": ("france", False), "Moscow": ("moscow", False),
             "Russia": ("russia", False), "French": ("france", True)}
    text = ("The president arrived in Paris on Monday, his first visit to France in a decade. "
            "He later flew to Moscow, the first trip by a French leader to Russia since the war.")
    assert [(r.stops, r.mode) for r in routes_of(text, names)] == [(("paris", "moscow"), "plane")]
    names_ar = {"باريس": ("paris", False), "فرنسا": ("france", False), "موسكو": ("moscow", False),
                "روسيا": ("russia", False), "فرنسي": ("france", True)}
    text_ar = ("وصل الرئيس إلى باريس يوم الاثنين، في أول زيارة له إلى فرنسا منذ عقد. "
               "ثم توجه بعد ذلك إلى موسكو في أول زيارة لرئيس فرنسي إلى روسيا.")
    assert [r.stops for r in routes_of(text_ar, names_ar)] == [("paris", "moscow")]


def test_an_origin_country_holding_the_travellers_town_starts_there_and_then_goes_on() -> None:
    names = {"Irkutsk": ("irkutsk", False), "Russia": ("russia", False), "Beijing": ("beijing", False),
             "Pyongyang": ("pyongyang", False)}
    text = "The minister landed in Irkutsk on Thursday. From Russia he will travel to Beijing and then to Pyongyang."
    legs = [(r.stops, r.status) for r in routes_of(text, names)]
    assert legs == [(("irkutsk", "beijing"), "proposed"), (("beijing", "pyongyang"), "proposed")]
    names_ar = {"إيركوتسك": ("irkutsk", False), "روسيا": ("russia", False), "بكين": ("beijing", False),
                "بيونغ يانغ": ("pyongyang", False)}
    text_ar = "وصل الوزير إلى إيركوتسك يوم الخميس. ومن روسيا سيتوجه إلى بكين ثم إلى بيونغ يانغ."
    # Beijing is a stay, not a place passed through: one leg to it and one from it, as in English.
    legs_ar = [(r.stops, r.status) for r in routes_of(text_ar, names_ar)]
    assert legs_ar == [(("irkutsk", "beijing"), "proposed"), (("beijing", "pyongyang"), "proposed")]


def test_a_departure_told_in_the_past_perfect_ends_where_the_travellers_were_found() -> None:
    names = {"Catania": ("catania", False), "Valletta": ("valletta", False)}
    text = "Coast guard boats rescued 60 migrants off Catania on Sunday. The migrants had set off from Valletta two days earlier."
    assert [r.stops for r in routes_of(text, names)] == [("valletta", "catania")]
    # A departure with a year of its own is another trip.
    assert routes_of(text.replace("two days earlier", "in 2019"), names) == ()
    names_ar = {"كاتانيا": ("catania", False), "فاليتا": ("valletta", False)}
    text_ar = "أنقذ خفر السواحل 60 مهاجرا قبالة كاتانيا يوم الأحد. وكان المهاجرون قد انطلقوا من فاليتا قبل يومين."
    assert [r.stops for r in routes_of(text_ar, names_ar)] == [("valletta", "catania")]


def test_a_sinking_and_the_transfer_to_a_hospital_in_one_sentence_is_a_leg() -> None:
    names = {"Catania": ("catania", False), "Palermo": ("palermo", False)}
    text = "A boat capsized off Catania, and the survivors were brought to a hospital in Palermo."
    assert [r.stops for r in routes_of(text, names)] == [("catania", "palermo")]
    names_ar = {"كاتانيا": ("catania", False), "باليرمو": ("palermo", False)}
    text_ar = "غرق قارب قبالة كاتانيا، وتم نقل الناجين إلى مستشفى في باليرمو."
    assert [r.stops for r in routes_of(text_ar, names_ar)] == [("catania", "palermo")]


def test_a_changed_course_ends_a_diverted_flight_past_its_scheduled_stops() -> None:
    names_ar = {"موسكو": ("moscow", False), "فلاديفوستوك": ("vladivostok", False), "إيركوتسك": ("irkutsk", False)}
    text_ar = "حولت طائرة كانت متجهة من موسكو إلى فلاديفوستوك مسارها إلى إيركوتسك بعد عطل فني."
    assert [r.stops for r in routes_of(text_ar, names_ar)] == [("moscow", "irkutsk")]
    names = {"Moscow": ("moscow", False), "Vladivostok": ("vladivostok", False), "Irkutsk": ("irkutsk", False)}
    text = "A flight from Moscow to Vladivostok diverted, changing its course to Irkutsk after a fault."
    assert [r.stops for r in routes_of(text, names)] == [("moscow", "irkutsk")]


def test_ends_told_a_year_apart_are_separate_trips() -> None:
    names = {"Paris": ("paris", False), "Beijing": ("beijing", False)}
    text = "The president travelled to Paris last year and visited Beijing in 2023."
    assert routes_of(text, names) == ()
    # A day between two ends is one journey.
    assert [r.stops for r in routes_of("The president flew to Paris on Monday and then to Beijing on Thursday.", names)] \
        == [("paris", "beijing")]
    names_ar = {"باريس": ("paris", False), "بكين": ("beijing", False)}
    assert routes_of("زار الرئيس باريس العام الماضي ثم زار بكين في 2023.", names_ar) == ()


def test_a_country_after_an_air_base_in_is_the_end() -> None:
    names = {"Paris": ("paris", False), "Beijing": ("beijing", False), "France": ("france", False)}
    text = "The evacuees were flown from Beijing on Monday to an air base in France."
    assert [r.stops for r in routes_of(text, names)] == [("beijing", "france")]
    names_ar = {"بكين": ("beijing", False), "فرنسا": ("france", False)}
    text_ar = "نقل الرعايا جوا من بكين يوم الاثنين إلى قاعدة جوية في فرنسا."
    assert [r.stops for r in routes_of(text_ar, names_ar)] == [("beijing", "france")]


def test_a_new_travel_verb_after_the_first_clause_does_not_inherit_the_planes_mode() -> None:
    names = {"Paris": ("paris", False), "Beijing": ("beijing", False), "Irkutsk": ("irkutsk", False)}
    text = "The minister flew from Paris and landed at Irkutsk at noon, and then went to Beijing for talks."
    assert [(r.stops, r.mode) for r in routes_of(text, names)] == [
        (("paris", "irkutsk"), "plane"), (("irkutsk", "beijing"), "unknown")]
    # Without a verb of its own the next leg goes on as the sentence tells it.
    text = "The minister flew from Paris to Irkutsk, and then to Beijing."
    assert [(r.stops, r.mode) for r in routes_of(text, names)] == [
        (("paris", "irkutsk"), "plane"), (("irkutsk", "beijing"), "plane")]


def test_an_arabic_travel_verb_before_its_subject_gives_the_first_place_its_role() -> None:
    names = {"موسكو": ("moscow", False), "بكين": ("beijing", False), "الروسي": ("russia", True)}
    text = "غادر الرئيس الروسي فلاديمير بوتين موسكو صباح اليوم متوجها إلى بكين في زيارة رسمية."
    assert [r.stops for r in routes_of(text, names)] == [("moscow", "beijing")]
    # With a place already read first, the verb speaks of that one only.
    text = "غادر الوفد بكين صباح اليوم، وقال مسؤولون في موسكو إن المحادثات ستستأنف."
    assert routes_of(text, names) == ()


def test_a_stop_to_refuel_ends_a_leg_and_the_trip_goes_on_from_there() -> None:
    names = {"Paris": ("paris", False), "France": ("france", False), "Beijing": ("beijing", False)}
    text = "The presidential plane stopped to refuel at an air base in France before it continued its journey to Beijing."
    assert [r.stops for r in routes_of(text, names)] == [("france", "beijing")]
    names_ar = {"فرنسا": ("france", False), "بكين": ("beijing", False)}
    text_ar = "توقفت الطائرة الرئاسية للتزود بالوقود في قاعدة جوية في فرنسا قبل أن تواصل رحلتها إلى بكين."
    assert [r.stops for r in routes_of(text_ar, names_ar)] == [("france", "beijing")]
    # Told after the destination, the stop is on the way.
    names = {"Moscow": ("moscow", False), "Beijing": ("beijing", False), "Irkutsk": ("irkutsk", False)}
    (route,) = routes_of("The plane from Moscow to Beijing refuelled in Irkutsk.", names)
    assert route.stops == ("moscow", "irkutsk", "beijing")
    names_ar = {"موسكو": ("moscow", False), "بكين": ("beijing", False), "إيركوتسك": ("irkutsk", False)}
    (route,) = routes_of("كان القطار قادما من موسكو إلى بكين، وتوقف في إيركوتسك.", names_ar)
    assert route.stops == ("moscow", "irkutsk", "beijing")


def test_a_source_after_according_to_borrows_no_travel_word_and_a_police_stop_is_no_stop() -> None:
    names = {"Paris": ("paris", False), "Beijing": ("beijing", False), "Irkutsk": ("irkutsk", False)}
    text = "The minister flew to Paris on Monday. He met reporters there, according to Beijing officials."
    assert routes_of(text, names) == ()
    text = "The driver from Irkutsk had been stopped in Paris for speeding."
    assert routes_of(text, names) == ()


def test_of_two_mode_words_between_the_stops_the_last_before_the_end_tells_the_leg() -> None:
    names = {"Paris": ("paris", False), "Beijing": ("beijing", False), "Irkutsk": ("irkutsk", False)}
    text = "The minister travelled to Irkutsk by train and later flew to Beijing."
    assert [(r.stops, r.mode) for r in routes_of(text, names)] == [(("irkutsk", "beijing"), "plane")]
    text = "وسافر الوزير إلى إيركوتسك بالقطار ثم توجه بالطائرة إلى بكين."
    names_ar = {"إيركوتسك": ("irkutsk", False), "بكين": ("beijing", False)}
    assert [(r.stops, r.mode) for r in routes_of(text, names_ar)] == [(("irkutsk", "beijing"), "plane")]


def test_of_a_country_and_one_of_its_towns_both_told_as_the_start_the_town_is_where_the_trip_began() -> None:
    names = {"Russia": ("russia", False), "Moscow": ("moscow", False), "Beijing": ("beijing", False), "Paris": ("paris", False)}
    text = "A trade delegation from Russia flew from Moscow to Beijing on Sunday."
    assert [r.stops for r in routes_of(text, names)] == [("moscow", "beijing")]
    names_ar = {"روسيا": ("russia", False), "موسكو": ("moscow", False), "بكين": ("beijing", False)}
    text_ar = "وصل وفد تجاري من روسيا قادما من موسكو إلى بكين يوم الأحد."
    assert [r.stops for r in routes_of(text_ar, names_ar)] == [("moscow", "beijing")]
    # A town of another country says nothing of the first start.
    text = "The plane from Moscow, carrying officials from France, landed in Beijing."
    assert [r.stops for r in routes_of(text, names | {"France": ("france", False)})] == [("moscow", "beijing")]


def test_a_trip_told_as_done_after_a_plan_to_the_same_place_starts_where_the_plan_did() -> None:
    names = {"Paris": ("paris", False), "Beijing": ("beijing", False)}
    text = ("The minister arrived in Paris on Monday at the start of a tour that will also take him to Beijing. "
            "He flew on to Beijing on Thursday.")
    assert [(r.stops, r.mode, r.status) for r in routes_of(text, names)] == [(("paris", "beijing"), "plane", "held")]
    names_ar = {"باريس": ("paris", False), "بكين": ("beijing", False)}
    text_ar = "وصل الوزير إلى باريس يوم الاثنين في بداية جولة ستقوده أيضا إلى بكين. ثم توجه بالطائرة إلى بكين يوم الخميس."
    assert [(r.stops, r.mode, r.status) for r in routes_of(text_ar, names_ar)] == [(("paris", "beijing"), "plane", "held")]


def test_an_arabic_then_starts_a_two_stop_clause_where_the_traveller_last_arrived() -> None:
    # "then he will head to X before returning to Y", told after an arrival: the trip goes on from the arrival.
    names = {"باريس": ("paris", False), "بكين": ("beijing", False), "إيركوتسك": ("irkutsk", False)}
    # Irkutsk is a stay on the way: a leg to it and a leg from it.
    text = "وصل الوزير إلى باريس الثلاثاء. ومن المقرر أن يتوجه بعد ذلك إلى إيركوتسك قبل أن يعود إلى بكين."
    assert [r.stops for r in routes_of(text, names)] == [("paris", "irkutsk"), ("irkutsk", "beijing")]
    text = "وصل الوزير إلى باريس الثلاثاء، ثم سافر إلى إيركوتسك قبل أن يعود إلى بكين."
    assert [r.stops for r in routes_of(text, names)] == [("paris", "irkutsk"), ("irkutsk", "beijing")]


def test_a_sentence_opening_after_a_meeting_in_a_town_starts_the_trip_there() -> None:
    names = {"Beijing": ("beijing", False), "Pyongyang": ("pyongyang", False)}
    text = "After meeting the Chinese president in Beijing, the Russian leader flew to Pyongyang."
    assert [r.stops for r in routes_of(text, names)] == [("beijing", "pyongyang")]
    names_ar = {"بكين": ("beijing", False), "بيونغ يانغ": ("pyongyang", False)}
    text_ar = "بعد لقائه الرئيس الصيني في بكين، توجه الزعيم الروسي إلى بيونغ يانغ."
    assert [r.stops for r in routes_of(text_ar, names_ar)] == [("beijing", "pyongyang")]
    # Opened otherwise, or by an event that is no meeting, the sentence gives no start.
    assert routes_of("Having met the Chinese president in Beijing, the Russian leader flew to Pyongyang.", names) == ()
    assert routes_of("Following the floods in Beijing, the Russian leader flew to Pyongyang.", names) == ()


def test_an_explicit_then_goes_on_from_an_arrival_a_few_paragraphs_back() -> None:
    names = {"Paris": ("paris", False), "Irkutsk": ("irkutsk", False)}
    text = ("The minister arrived in Paris on Monday.\n\nShe told reporters the talks would be hard.\n\n"
            "Officials said no deal was expected.\n\nShe will then travel to Irkutsk.")
    assert [r.stops for r in routes_of(text, names)] == [("paris", "irkutsk")]
    # Without the word that says so, the arrival is too far back to start the next leg; "since then" says when.
    assert routes_of(text.replace(" then", ""), names) == ()
    assert routes_of(text.replace("She will then travel", "Since then, convoys have been sent"), names) == ()


def test_reach_ends_a_voyage_told_from_its_start() -> None:
    names = {"Paris": ("paris", False), "Irkutsk": ("irkutsk", False)}
    text = "The convoy left Paris on Saturday and is expected to reach Irkutsk within a month."
    assert [r.stops for r in routes_of(text, names)] == [("paris", "irkutsk")]


def test_a_traveller_named_by_office_and_nationality_starts_from_home() -> None:
    names = {"Russian": ("russia", True), "Beijing": ("beijing", False)}
    text = "The Russian foreign minister said he would travel to Beijing on Friday."
    assert [(r.stops, r.status) for r in routes_of(text, names)] == [(("russia", "beijing"), "proposed")]
    names_ar = {"الروسي": ("russia", True), "بكين": ("beijing", False)}
    text_ar = "سيتوجه وزير الخارجية الروسي إلى بكين يوم الجمعة."
    assert [(r.stops, r.status) for r in routes_of(text_ar, names_ar)] == [(("russia", "beijing"), "proposed")]
    # A country's possessive before the title names the traveller's home as well.
    text = "Russia's foreign minister arrived in Beijing on Friday."
    assert [(r.stops, r.status) for r in routes_of(text, {"Russia": ("russia", False), **names})] == [(("russia", "beijing"), "held")]
    # The counterpart of a meeting is not the traveller.
    text = "In a meeting with the Russian president, officials asked to send the detainee to Beijing."
    assert routes_of(text, names) == ()
    assert routes_of("After talks with the Russian president, officials said the detainee would be flown to Beijing.", names) == ()


def test_a_trip_from_home_joins_the_same_trip_told_from_a_town_of_home() -> None:
    names = {"Russian": ("russia", True), "Moscow": ("moscow", False), "Beijing": ("beijing", False)}
    text = "Russian minister heads to Beijing\n\nThe Russian foreign minister will leave Moscow on Monday for Beijing."
    assert [(r.stops, r.status, len(r.passages)) for r in routes_of(text, names)] == [(("moscow", "beijing"), "proposed", 2)]


def test_a_sentence_opening_in_a_town_of_the_country_reached_puts_the_traveller_there() -> None:
    names = {"Russia": ("russia", False), "Moscow": ("moscow", False), "Beijing": ("beijing", False)}
    text = "The minister arrived in Russia on Monday.\n\nIn Moscow, she will sign a trade deal. She will then fly to Beijing."
    assert [r.stops for r in routes_of(text, names)][-1] == ("moscow", "beijing")
    names_ar = {"روسيا": ("russia", False), "موسكو": ("moscow", False), "بكين": ("beijing", False)}
    text_ar = "وصلت الوزيرة إلى روسيا يوم الاثنين.\n\nوفي موسكو، وقعت اتفاقا تجاريا. ثم توجهت إلى بكين."
    assert [r.stops for r in routes_of(text_ar, names_ar)][-1] == ("moscow", "beijing")


def test_the_town_a_tour_begins_in_and_the_one_it_ends_in_are_stops() -> None:
    names = {"Paris": ("paris", False), "Irkutsk": ("irkutsk", False), "Beijing": ("beijing", False)}
    text = ("He will begin the tour in Paris on Monday before travelling to Irkutsk on Wednesday. "
            "The trip will end in Beijing on Friday.")
    assert [(r.stops, r.status) for r in routes_of(text, names)] == [
        (("paris", "irkutsk"), "proposed"), (("irkutsk", "beijing"), "proposed")]
    names_ar = {"باريس": ("paris", False), "إيركوتسك": ("irkutsk", False), "بكين": ("beijing", False)}
    text_ar = "وكان الوزير قد بدأ جولته في باريس يوم الاثنين ثم توجه إلى إيركوتسك. واختتم جولته في بكين يوم الجمعة."
    assert [r.stops for r in routes_of(text_ar, names_ar)] == [("paris", "irkutsk"), ("irkutsk", "beijing")]


def test_an_army_chief_named_by_his_country_starts_from_home() -> None:
    names = {"Russia": ("russia", False), "Beijing": ("beijing", False)}
    assert [r.stops for r in routes_of("Russia's army chief arrived in Beijing on Thursday.", names)] == [("russia", "beijing")]


def test_a_trip_told_after_its_wreck_ends_at_the_wreck() -> None:
    names = {"Paris": ("paris", False), "Irkutsk": ("irkutsk", False), "Beijing": ("beijing", False), "Moscow": ("moscow", False)}
    text = "A boat capsized near Irkutsk on Wednesday.\n\nThe boat had left Paris on Tuesday bound for Beijing. Survivors were taken to Moscow."
    assert [r.stops for r in routes_of(text, names)] == [("paris", "irkutsk"), ("irkutsk", "moscow")]


def test_a_place_a_possessive_names_is_the_stop_not_its_possessor() -> None:
    names = {"Paris": ("paris", False), "Russia": ("russia", False), "Ukraine": ("ukraine", False), "Kyiv": ("kyiv", False)}
    text = "The minister arrived in Paris. He then flew to Ukraine's capital Kyiv."
    assert [r.stops for r in routes_of(text, names)] == [("paris", "kyiv")]
    text = "The minister arrived in Paris. He then flew to Russia's neighbour Ukraine."
    assert [r.stops for r in routes_of(text, names)] == [("paris", "ukraine")]
    # A marker between the two keeps both: "from Russia's border to Ukraine".
    assert [r.stops for r in routes_of("The convoy drove from Russia's border to Ukraine.", names)] == [("russia", "ukraine")]


def test_a_relative_clause_of_arrival_comes_to_where_the_story_is_and_the_next_comma_closes_it() -> None:
    names = {"Paris": ("paris", False), "Irkutsk": ("irkutsk", False), "Beijing": ("beijing", False)}
    text = "Leaders arrived in Paris on Tuesday.\n\nThe premier, who arrived from Irkutsk, will travel on to Beijing on Thursday."
    assert [(r.stops, r.status) for r in routes_of(text, names)] == [
        (("irkutsk", "paris"), "held"), (("paris", "beijing"), "proposed")]


def test_goods_that_arrive_and_a_pledge_beside_a_trip_and_a_meal_had_are_no_journey_words() -> None:
    names = {"Paris": ("paris", False), "Irkutsk": ("irkutsk", False), "Beijing": ("beijing", False)}
    assert routes_of("PARIS (Reuters) - Gas supplies arriving from Irkutsk rose by five percent in May.", names) == ()
    text = "The minister flew to Paris on Monday after Beijing pledged to boost aid."
    assert [(r.stops[-1], r.status) for r in routes_of(text, names)] in ([], [("paris", "held")])
    text = "The minister flew to Paris on Monday for talks.\n\nAfter she had lunch with the mayor, she flew on to Beijing."
    assert [r.stops for r in routes_of(text, names)] == [("paris", "beijing")]


def test_an_opening_from_borrows_only_the_travel_word_right_after_it() -> None:
    names = {"Paris": ("paris", False), "Beijing": ("beijing", False)}
    assert [r.stops for r in routes_of("From Paris, the minister flew on to Beijing.", names)] == [("paris", "beijing")]
    text = "From Paris, the reaction was swift, and officials travelled to Beijing for talks."
    assert routes_of(text, names) == ()


def test_next_week_tells_when_not_that_the_journey_goes_on() -> None:
    names = {"Paris": ("paris", False), "Beijing": ("beijing", False)}
    text = "The minister arrived in Paris on Monday.\n\nAn envoy will travel to Beijing next week."
    assert routes_of(text, names) == ()
    assert [r.stops for r in routes_of(text.replace("next week", "next"), names)] == [("paris", "beijing")]


def test_a_past_perfect_trip_told_later_does_not_go_on_from_the_last_stop() -> None:
    names = {"Paris": ("paris", False), "Irkutsk": ("irkutsk", False), "Beijing": ("beijing", False)}
    text = "The survivors were taken to Paris on Wednesday.\n\nMany had crossed Irkutsk before reaching Beijing."
    assert routes_of(text, names) == ()
    # In the story's present, "before reaching" does go on; and "had to" is no past perfect.
    assert [r.stops for r in routes_of(text.replace("Many had crossed", "They then crossed"), names)] == [("paris", "beijing")]
    assert [r.stops for r in routes_of(text.replace("Many had crossed Irkutsk", "They had to fly on"), names)] == [("paris", "beijing")]
    names_ar = {"باريس": ("paris", False), "بكين": ("beijing", False)}
    text_ar = "نقل الناجون إلى باريس يوم الأربعاء.\n\nوكان كثيرون منهم قد عبروا الصحراء قبل أن يصلوا إلى بكين."
    assert routes_of(text_ar, names_ar) == ()


def test_a_towns_team_travels_from_that_town() -> None:
    names = {"Paris": ("paris", False), "Beijing": ("beijing", False)}
    text = "The Paris club flew to Beijing on Monday for a friendly."
    assert [(r.stops, r.mode) for r in routes_of(text, names)] == [(("paris", "beijing"), "plane")]


def test_returning_home_goes_back_to_where_the_journey_began() -> None:
    names = {"Russian": ("russia", True), "Beijing": ("beijing", False), "Irkutsk": ("irkutsk", False)}
    text = "The Russian foreign minister arrived in Beijing on Monday.\n\nShe will then fly to Irkutsk before returning home."
    assert [(r.stops, r.status) for r in routes_of(text, names)] == [
        (("russia", "beijing"), "held"), (("beijing", "irkutsk"), "proposed"), (("irkutsk", "russia"), "proposed")]
    names_ar = {"الروسي": ("russia", True), "بكين": ("beijing", False), "إيركوتسك": ("irkutsk", False)}
    text_ar = "وصل وزير الخارجية الروسي إلى بكين يوم الاثنين.\n\nثم توجه إلى إيركوتسك قبل أن يعود إلى بلاده."
    assert [r.stops for r in routes_of(text_ar, names_ar)] == [("russia", "beijing"), ("beijing", "irkutsk"), ("irkutsk", "russia")]
    # With no start told, "home" is nowhere on the map.
    assert [r.stops for r in routes_of("The minister flew to Irkutsk before returning home.", names)] == []


def test_participles_of_travel_verbs_tell_a_journey() -> None:
    names = {"Paris": ("paris", False), "Irkutsk": ("irkutsk", False), "Beijing": ("beijing", False)}
    text = "The hostage was driven across the border into Irkutsk and then flown to Beijing."
    assert [(r.stops, r.mode) for r in routes_of(text, names)] == [(("irkutsk", "beijing"), "plane")]
    assert [r.stops for r in routes_of("Overnight the detainee was driven from Paris to Irkutsk.", names)] == [("paris", "irkutsk")]


def test_people_released_in_a_town_and_flown_on_start_there() -> None:
    names = {"Irkutsk": ("irkutsk", False), "Beijing": ("beijing", False)}
    text = "The two engineers were released in Irkutsk on Friday and flown to Beijing on Saturday."
    assert [r.stops for r in routes_of(text, names)] == [("irkutsk", "beijing")]
    names_ar = {"إيركوتسك": ("irkutsk", False), "بكين": ("beijing", False)}
    text_ar = "أفرج عن المهندسين في إيركوتسك يوم الجمعة ونقلوا جوا إلى بكين."
    assert [r.stops for r in routes_of(text_ar, names_ar)] == [("irkutsk", "beijing")]
    # A statement released somewhere moves nobody.
    assert routes_of("The ministry released a statement in Irkutsk and the minister flew to Beijing.", names) == ()
    # Told in a sentence of its own before the flight, the release still places them.
    before = "The two engineers were released in Irkutsk on Friday.\n\nThey were flown to Beijing on Saturday."
    assert [r.stops for r in routes_of(before, names)] == [("irkutsk", "beijing")]
    # Told after the arrival it led to, the release leaves the freed where they arrived.
    later = ("The engineers were flown to Beijing on Saturday.\n\nThey had been released in Irkutsk on Friday.\n\n"
             "They will then travel on to Paris.")
    assert [r.stops for r in routes_of(later, {"Paris": ("paris", False), **names})] == [("beijing", "paris")]


@pytest.mark.parametrize("text", [
    "Reports from Paris said the convoy had reached Irkutsk.",
    "تقول تقارير من باريس إن القافلة وصلت إلى إيركوتسك.",
])
def test_reports_from_a_town_name_a_source_not_a_start(text: str) -> None:
    names = {"Paris": ("paris", False), "Irkutsk": ("irkutsk", False), "باريس": ("paris", False), "إيركوتسك": ("irkutsk", False)}
    assert routes_of(text, names) == ()
    # The same words with a traveller's "from" make the trip.
    assert [r.stops for r in routes_of("The convoy from Paris reached Irkutsk on Monday.", names)] == [("paris", "irkutsk")]


def test_leave_x_for_y_is_a_trip_planned_or_told() -> None:
    names = {"Paris": ("paris", False), "Irkutsk": ("irkutsk", False)}
    text = "The next convoy is scheduled to leave Paris for Irkutsk at the end of the month."
    assert [(r.stops, r.status) for r in routes_of(text, names)] == [(("paris", "irkutsk"), "proposed")]


def test_the_town_a_tour_ends_in_is_its_last_stop() -> None:
    names = {"Paris": ("paris", False), "Irkutsk": ("irkutsk", False), "Beijing": ("beijing", False)}
    text = "The minister left Paris for Irkutsk, and will travel on before ending his tour in Beijing."
    assert [r.stops for r in routes_of(text, names)] == [("paris", "irkutsk"), ("irkutsk", "beijing")]
    names_ar = {"باريس": ("paris", False), "إيركوتسك": ("irkutsk", False), "بكين": ("beijing", False)}
    text_ar = "غادر الوزير باريس متوجها إلى إيركوتسك، ثم يواصل رحلته قبل أن يختتم جولته في بكين."
    assert [r.stops for r in routes_of(text_ar, names_ar)] == [("paris", "irkutsk"), ("irkutsk", "beijing")]


def test_min_after_kull_is_each_of_not_from() -> None:
    # "بمشاركة القوات البحرية في كل من اليونان وقبرص": with the navies of each of Greece and Cyprus taking part;
    # that من is no origin marker, so no line from Greece to the host's base. "من كل من" still is one.
    from geo.pipeline import analyse

    text = ("انطلقت الإثنين فعاليات التمرين الذي تنفذه القوات البحرية بقاعدة الملك فيصل البحرية في الإسكندرية، "
            "بمشاركة القوات البحرية في كل من اليونان وقبرص.")
    assert analyse(text).routes == ()
    names = {"مالطا": ("malta", False), "إيطاليا": ("italy", False), "باليرمو": ("palermo", False)}
    sailed = "أبحرت سفن حربية من كل من مالطا وإيطاليا إلى باليرمو الإثنين."
    assert [r.stops[-1] for r in routes_of(sailed, names)] == ["palermo"]


def test_a_station_of_another_kind_gives_no_train() -> None:
    # محطة is any station (a container terminal, a power plant, a tour's "stop"): only a rail word makes a train.
    names = {"باليرمو": ("palermo", False), "كاتانيا": ("catania", False)}
    text = "يزور الوزير الثلاثاء مدينة باليرمو حيث يتفقد محطة حاويات جديدة، قبل أن يغادر إلى كاتانيا."
    assert [(r.stops, r.mode) for r in routes_of(text, names)] == [(("palermo", "catania"), "unknown")]
    by_rail = "يزور الوزير الثلاثاء مدينة باليرمو حيث يتفقد محطة القطارات، قبل أن يغادر إلى كاتانيا."
    assert [r.mode for r in routes_of(by_rail, names)] == ["train"]


def test_after_a_span_of_time_dates_an_earlier_trip_and_carries_no_journey_on() -> None:
    # "بعد أسبوع من زيارة أجراها إلى X": a week after an earlier visit to X; the traveller does not go on to X.
    names = {"باليرمو": ("palermo", False), "كاتانيا": ("catania", False)}
    text = ("وصل وزير الخارجية إلى باليرمو مساء الأحد في زيارة رسمية. "
            "وتأتي الزيارة بعد أسبوع من زيارة أجراها الوزير إلى كاتانيا.")
    assert [r.stops for r in routes_of(text, names)] == []
    then = "وصل وزير الخارجية إلى باليرمو مساء الأحد في زيارة رسمية. ثم توجه بعد أسبوع إلى كاتانيا."
    assert [r.stops for r in routes_of(then, names)] == [("palermo", "catania")]


def test_a_match_or_an_embassy_moved_between_towns_is_no_journey() -> None:
    # "قرر الاتحاد نقل مباراة الفريق من باليرمو إلى كاتانيا": the venue moves, nobody travels; moving the injured does.
    names = {"باليرمو": ("palermo", False), "كاتانيا": ("catania", False)}
    venue = "وقرر الاتحاد نقل مباراة الفريق المقبلة من باليرمو إلى كاتانيا بسبب أعمال الصيانة."
    assert routes_of(venue, names) == ()
    people = "وتم نقل المصابين من باليرمو إلى كاتانيا بسبب نقص الأسرة."
    assert [r.stops for r in routes_of(people, names)] == [("palermo", "catania")]


def test_a_journey_that_ends_where_it_began_is_two_legs_out_and_back() -> None:
    # "يغادر الفريق باليرمو متوجهاً إلى فاليتا …، على أن يعود إلى باليرمو": out to Valletta and back, not one route
    # whose two ends are Palermo.
    names = {"باليرمو": ("palermo", False), "فاليتا": ("valletta", False)}
    text = "ويغادر الفريق باليرمو فجر الثلاثاء متوجهاً إلى فاليتا على متن طائرة خاصة، على أن يعود إلى باليرمو عقب المباراة."
    assert [(r.stops, r.mode) for r in routes_of(text, names)] == [
        (("palermo", "valletta"), "plane"), (("valletta", "palermo"), "plane")]


def test_an_arrival_told_again_at_the_citys_airport_is_no_new_leg() -> None:
    # "وصل إلى باليرمو قادماً من فاليتا … وكان في استقباله لدى وصوله إلى مطار بونتا رايسي": one arrival, told twice.
    airport = place("punta-raisi", "site", 38.1824, 13.0991, "IT")
    names = {"باليرمو": ("palermo", False), "فاليتا": ("valletta", False), "بونتا رايسي": ("punta-raisi", False)}
    text = ("وصل رئيس الوزراء إلى باليرمو مساء الأحد قادماً من فاليتا في زيارة رسمية.\n"
            "وكان في استقباله لدى وصوله إلى مطار بونتا رايسي وزير الخارجية، قبل أن يتوجه إلى مقر الحكومة.")
    _, mentions = annotate(text, names)
    routes = find_routes(Document.read(text), [*ALL.values(), airport], mentions)
    assert [r.stops for r in routes] == [("valletta", "palermo")]


def test_a_before_told_after_the_stop_does_not_carry_the_journey_on_to_it() -> None:
    # The van was on its way to Catania; the lorry driver "fled toward Valletta, before police caught him": another
    # traveller, and the "before" follows the stop, so no leg Catania -> Valletta. "قبل أن يتوجه إلى X" still chains.
    names = {"باليرمو": ("palermo", False), "كاتانيا": ("catania", False), "فاليتا": ("valletta", False)}
    text = ("كانت الحافلة في طريقها من باليرمو إلى كاتانيا عندما اصطدمت بشاحنة. "
            "وأضافت الشرطة أن سائق الشاحنة فر باتجاه فاليتا، قبل أن تتمكن دورية من ضبطه.")
    assert [r.stops for r in routes_of(text, names)] == [("palermo", "catania")]
    on = "وصل الوزير إلى كاتانيا صباح الأحد. ومكث فيها يومين قبل أن يتوجه إلى فاليتا."
    assert ("catania", "valletta") in [r.stops for r in routes_of(on, names)]

"""The yardstick: the matcher in geo.evaluate, the gold corpus it reads, and the floor the geoparser must reach."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from geo.core.model import Place
from geo.evaluate import (
    DEFAULT_DIR,
    FLOOR,
    FalseFriend,
    GoldPlace,
    Score,
    by_language,
    evaluate,
    load_corpus,
    main,
    micro,
    pipeline_predict,
    report,
    score_article,
)

EVAL_DIR = Path(__file__).parent / "data" / "eval"


def place(name: str, kind: str, lat: float, lon: float, country: str = "") -> Place:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "x"
    return Place(id=slug, name=name, name_ar="", kind=kind, lat=lat, lon=lon, country=country, source="curated")


def as_prediction(g: GoldPlace) -> Place:
    return place(g.name, g.kind, g.lat, g.lon, g.country)


BEIRUT = GoldPlace("Beirut", "city", 33.894, 35.502, "LB")
LEBANON = GoldPlace("Lebanon", "country", 33.85, 35.86, "LB")
LITANI = GoldPlace("Litani River", "water", 33.5, 35.55, "LB", aliases=("Litani",))
GAZA = GoldPlace(
    "Gaza Strip", "region", 31.42, 34.37, "PS", alt=(GoldPlace("Gaza City", "city", 31.50, 34.467, "PS"),)
)
GOLD = (BEIRUT, LEBANON, LITANI)
TYRE_FRIEND = FalseFriend("صور", "pictures", "Tyre", GoldPlace("Tyre", "city", 33.273, 35.194, "LB"))


# --- the matcher -------------------------------------------------------------------------------------


def test_perfect_prediction_scores_one() -> None:
    r = score_article([as_prediction(g) for g in GOLD], GOLD)
    assert (r.score.precision, r.score.recall, r.score.f1) == (1.0, 1.0, 1.0)
    assert r.misses == () and r.false_positives == ()


def test_false_friend_lowers_precision_and_is_named_in_the_report() -> None:
    tyre = place("Tyre", "city", 33.27, 35.2, "LB")  # صور read as the city, where it means "pictures"
    r = score_article([*map(as_prediction, GOLD), tyre], GOLD, false_friends=[TYRE_FRIEND], file="a.txt", lang="ar")
    assert r.score.recall == 1.0
    assert r.score.precision == pytest.approx(3 / 4)
    assert r.false_positives == (tyre,)
    assert "false friend 'صور' (pictures), not Tyre" in report([r])


def test_city_100_km_off_is_a_miss_and_a_false_positive() -> None:
    far_beirut = place("Beirut", "city", 33.894 + 0.9, 35.502, "LB")  # ~100 km north
    r = score_article([far_beirut, as_prediction(LEBANON), as_prediction(LITANI)], GOLD)
    assert r.misses == (BEIRUT,)
    assert r.false_positives == (far_beirut,)
    assert r.score.recall == pytest.approx(2 / 3) and r.score.precision == pytest.approx(2 / 3)


def test_city_within_50_km_matches() -> None:
    near = place("Bayrut", "city", 33.894 + 0.3, 35.502, "LB")  # ~33 km
    r = score_article([near], [BEIRUT])
    assert r.score == Score(tp=1) and r.matches[0].km == pytest.approx(33.4, abs=1)


def test_country_matches_by_code_not_by_coordinates_or_kind() -> None:
    odd_centroid = place("Lebanese Republic", "country", 0.0, 0.0, "lb")
    assert score_article([odd_centroid], [LEBANON]).score == Score(tp=1)
    wrong_code = place("Lebanon", "country", 33.85, 35.86, "SY")
    capital_for_country = place("Beirut", "city", 33.894, 35.502, "LB")
    r = score_article([wrong_code, capital_for_country], [LEBANON])
    assert r.score == Score(tp=0, fp=2, fn=1)


def test_region_or_water_matches_within_600_km_or_by_name() -> None:
    assert score_article([place("Litani", "water", 33.3, 35.3)], [LITANI]).score.tp == 1
    far_same_name = place("the litani river", "water", 10.0, 10.0)  # a bad point, but the right feature
    assert score_article([far_same_name], [LITANI]).score.tp == 1
    far_other = place("Orontes", "water", 40.0, 45.0)  # > 600 km and another name
    assert score_article([far_other], [LITANI]).score == Score(fp=1, fn=1)
    city_for_river = place("Beirut", "city", 33.894, 35.502, "LB")  # a city is not a river, however close
    assert score_article([city_for_river], [LITANI]).score == Score(fp=1, fn=1)


def test_alt_reading_accepted_but_only_once() -> None:
    gaza_city = place("Gaza", "city", 31.5, 34.47, "PS")
    assert score_article([gaza_city], [GAZA]).score == Score(tp=1)
    both = [gaza_city, place("Gaza Strip", "region", 31.42, 34.37, "PS")]
    assert score_article(both, [GAZA]).score == Score(tp=1, fp=1)  # one gold place, two predictions


def test_duplicate_prediction_of_one_place_is_a_false_positive() -> None:
    r = score_article([as_prediction(BEIRUT), place("Beyrouth", "city", 33.89, 35.5, "LB")], [BEIRUT])
    assert r.score == Score(tp=1, fp=1)
    assert "wrong candidate or a duplicate" in r.notes[0]


def test_matching_is_maximal_not_greedy() -> None:
    # Prediction A lies within 50 km of both gold cities and is closest to Tel Aviv; B is near Tel Aviv only.
    tel_aviv = GoldPlace("Tel Aviv", "city", 32.085, 34.781, "IL")
    jerusalem = GoldPlace("Jerusalem", "city", 31.778, 35.235)
    a = place("Between", "city", 31.95, 34.98)
    b = place("Tel Aviv", "city", 32.08, 34.78, "IL")
    r = score_article([a, b], [tel_aviv, jerusalem])
    assert r.score == Score(tp=2)
    assert {(m.gold.name, m.predicted.name) for m in r.matches} == {("Tel Aviv", "Tel Aviv"), ("Jerusalem", "Between")}


def test_order_of_predictions_does_not_change_the_score() -> None:
    preds = [*map(as_prediction, GOLD), place("Tyre", "city", 33.27, 35.2, "LB"), place("X", "city", 0, 0)]
    expected = score_article(preds, GOLD).score
    rng = random.Random(7)
    for _ in range(20):
        rng.shuffle(preds)
        assert score_article(preds, GOLD).score == expected


def test_optional_places_are_neither_rewarded_nor_penalised() -> None:
    europe = GoldPlace("Europe", "region", 50.0, 10.0)
    r = score_article([as_prediction(BEIRUT), place("Europe", "region", 54.0, 15.0)], [BEIRUT], optional=[europe])
    assert r.score == Score(tp=1) and len(r.ignored) == 1


def test_nothing_predicted_gives_zero_recall_and_vacuous_precision() -> None:
    s = score_article([], GOLD).score
    assert (s.precision, s.recall, s.f1) == (1.0, 0.0, 0.0)


def test_micro_average_sums_counts_not_ratios() -> None:
    good = score_article([as_prediction(g) for g in GOLD], GOLD, lang="ar")  # 3/3
    bad = score_article([place("X", "city", 0, 0)], [BEIRUT], lang="en")  # 0/1, 1 fp
    total = micro([good, bad])
    assert total == Score(tp=3, fp=1, fn=1)
    assert total.recall == pytest.approx(3 / 4)  # a macro average would say 0.5
    assert by_language([good, bad]) == {"ar": Score(tp=3), "en": Score(fp=1, fn=1)}


def test_cli_reports_a_missing_corpus_as_one_line_and_exit_2(tmp_path: Path, capsys) -> None:
    assert main([str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: No gold.json") and err.count("\n") == 1


# --- the corpus ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(EVAL_DIR)


def test_default_dir_is_this_corpus() -> None:
    assert DEFAULT_DIR.resolve() == EVAL_DIR.resolve()


def test_corpus_has_both_languages_with_rules(corpus) -> None:
    langs = [a.lang for a in corpus]
    assert langs.count("ar") >= 12 and langs.count("en") >= 8
    rules = json.loads((EVAL_DIR / "gold.json").read_text(encoding="utf-8"))["_rules"]
    assert any("adjective" in r for r in rules) and any("metonym" in r for r in rules)
    listed = {a.file for a in corpus}
    assert listed == {p.name for p in EVAL_DIR.glob("*.txt")}, "every article has gold, every gold has an article"


def test_articles_are_news_length_and_in_their_language(corpus) -> None:
    for a in corpus:
        words = len(a.text.split())
        assert 150 <= words <= 400, f"{a.file}: {words} words"
        arabic = sum("\u0600" <= c <= "\u06ff" for c in a.text) / max(1, sum(c.isalpha() for c in a.text))
        assert (arabic > 0.9) if a.lang == "ar" else (arabic == 0), a.file
        assert a.title == a.text.splitlines()[0]


def test_gold_mentions_occur_in_the_text_and_places_are_distinct(corpus) -> None:
    for a in corpus:
        keys = [(g.name, g.kind) for g in a.gold]
        assert len(keys) == len(set(keys)), f"{a.file}: a gold place is listed twice"
        for g in (*a.gold, *a.optional):
            assert g.mentions, f"{a.file}: {g.name} has no mentions"
            for m in g.mentions:
                assert m in a.text, f"{a.file}: {g.name}: {m!r} is not in the text"
        for f in a.false_friends:
            assert f.text in a.text, f"{a.file}: false friend {f.text!r} is not in the text"


def test_gold_predicted_as_itself_scores_one_everywhere(corpus) -> None:
    # Guards the annotation: no gold place is unmatchable, none swallows another's match.
    results = evaluate(corpus, lambda a: [as_prediction(g) for g in a.gold])
    assert all(r.score == Score(tp=len(a.gold)) for r, a in zip(results, corpus))


def test_no_false_friend_is_gold_in_its_own_article(corpus) -> None:
    # A word that is a false friend in an article must not also be the place it imitates there.
    for a in corpus:
        for f in a.false_friends:
            hit = score_article([as_prediction(f.place)], a.gold, a.optional)
            assert hit.score.tp == 0, f"{a.file}: {f.not_} is both a false friend and gold"


# --- the floor -----------------------------------------------------------------------------------------


def test_corpus_meets_floor(corpus) -> None:
    """The geoparser must reach micro precision and recall >= 0.95 per language on unseen articles."""
    results = evaluate(corpus, pipeline_predict)
    per_lang = by_language(results)
    low = {
        lang: f"P={s.precision:.3f} R={s.recall:.3f}"
        for lang, s in per_lang.items()
        if s.precision < FLOOR or s.recall < FLOOR
    }
    assert set(per_lang) == {"ar", "en"}
    assert not low, f"below the {FLOOR} floor: {low}\n\n{report(results)}"

"""``python -m geo.evaluate --story DIR``: the story-dev gold format, scored on texts written for this test."""

from __future__ import annotations

import json
from pathlib import Path

from geo.evaluate import main
from geo.story.evaluation import StoryScores, match_routes, pairs_of, score_article

TEXT = (
    "The Chinese president flew from Beijing to Moscow on Monday.\n"
    "Russia and China held joint naval drills in the Sea of Japan.\n"
    "Japan and China are at odds over the islands."
)
GOLD = {
    "_doc": "written for the test",
    "texts/a.txt": {
        "lang": "en",
        "routes": [{"mode": "plane", "stops": [
            {"name": "Beijing", "lat": 39.9, "lon": 116.4, "tol_km": 50},
            {"name": "Moscow", "lat": 55.75, "lon": 37.62, "tol_km": 50}]}],
        "links": [
            {"kind": "exercise", "actors": ["RU", "CN"], "status": "held"},
            {"kind": "tension", "actors": ["JP", "CN"], "status": "held"},
            {"kind": "visit", "actors": ["CN", "FR"], "status": "held"},
        ],
    },
}


def test_story_scoring_prints_routes_links_status_and_baseline(tmp_path: Path, capsys) -> None:
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "gold.json").write_text(json.dumps(GOLD), encoding="utf-8")
    assert main(["--story", str(tmp_path), "--errors"]) == 0
    out = capsys.readouterr().out
    lines = {" ".join(line.split()[:3]): line for line in out.splitlines()}
    assert "R 1.00 (1/1)" in lines["routes en P"]
    assert "R 0.67 (2/3)" in next(l for l in out.splitlines() if l.startswith("links typed (actor set)") and " en " in l)
    assert "kind visit" in out and "kind exercise" in out and "mode plane" in out
    assert "status right on matched links: 2/2" in out
    assert "co-occurrence baseline" in out
    assert "FN link visit ['CN', 'FR']" in out  # --errors lists the miss


def test_story_scoring_of_a_missing_folder_is_a_one_line_error(tmp_path: Path, capsys) -> None:
    assert main(["--story", str(tmp_path / "none")]) == 2
    assert "gold.json" in capsys.readouterr().err


def test_a_country_level_gold_stop_matches_any_stop_in_that_country() -> None:
    gold = [{"mode": "ship", "stops": [{"name": "Libya", "lat": 27.0, "lon": 17.0, "tol_km": 50, "cc": "LY"},
                                       {"name": "Rome", "lat": 41.9, "lon": 12.5, "tol_km": 50}]}]
    by_id = {"tobruk": {"id": "tobruk", "lat": 32.08, "lon": 23.96, "country": "LY", "kind": "city"},
             "rome": {"id": "rome", "lat": 41.89, "lon": 12.48, "country": "IT", "kind": "city"}}
    assert match_routes(gold, [{"mode": "unknown", "stops": ["tobruk", "rome"]}], by_id) == {0: 0}
    assert match_routes(gold, [{"mode": "plane", "stops": ["tobruk", "rome"]}], by_id) == {}


def test_untyped_pairs_cut_an_n_ary_link() -> None:
    assert pairs_of([frozenset({"RU", "CN", "IR"})]) == {frozenset(p) for p in (("RU", "CN"), ("RU", "IR"), ("CN", "IR"))}
    scores = StoryScores()
    out = {"places": [], "routes": [], "links": []}
    score_article("x", {"lang": "ar", "routes": [], "links": []}, (), out, lambda cc: None, scores)
    assert scores.tallies[("links", "ar")].pred == 0


def test_per_mode_precision_never_exceeds_one_when_modes_differ() -> None:
    """A gold plane found as a journey of unknown mode (and a gold ship found as "any"): each match counts
    once, under the gold mode, so no mode row has more hits than predictions."""
    gold = {"lang": "en", "links": [], "routes": [
        {"mode": "plane", "stops": [{"name": "Rome", "lat": 41.9, "lon": 12.5, "tol_km": 50},
                                    {"name": "Oslo", "lat": 59.91, "lon": 10.75, "tol_km": 50}]},
        {"mode": "ship", "stops": [{"name": "Oslo", "lat": 59.91, "lon": 10.75, "tol_km": 50},
                                   {"name": "Rome", "lat": 41.9, "lon": 12.5, "tol_km": 50}]},
        {"mode": "plane", "stops": [{"name": "Oslo", "lat": 59.91, "lon": 10.75, "tol_km": 50},
                                    {"name": "Lima", "lat": -12.05, "lon": -77.04, "tol_km": 50}]}]}
    places = [{"id": "rome", "lat": 41.89, "lon": 12.48, "country": "IT", "kind": "city", "mentions": []},
              {"id": "oslo", "lat": 59.91, "lon": 10.74, "country": "NO", "kind": "city", "mentions": []},
              {"id": "cairo", "lat": 30.04, "lon": 31.24, "country": "EG", "kind": "city", "mentions": []}]
    out = {"places": places, "links": [], "routes": [
        {"mode": "unknown", "stops": ["rome", "oslo"]}, {"mode": "any", "stops": ["oslo", "rome"]},
        {"mode": "plane", "stops": ["oslo", "cairo"]}]}
    scores = StoryScores()
    score_article("x", gold, (), out, lambda cc: None, scores)
    rows = {g: t for (measure, g), t in scores.tallies.items() if measure == "routes"}
    for group, t in rows.items():
        assert t.tp <= t.pred and t.tp <= t.gold, (group, t)
    assert (rows["mode plane"].tp, rows["mode plane"].pred, rows["mode plane"].gold) == (1, 2, 2)
    assert (rows["mode ship"].tp, rows["mode ship"].pred, rows["mode ship"].gold) == (1, 1, 1)
    assert "mode unknown" not in rows and "mode any" not in rows  # both predictions were matched
    assert (rows["all"].tp, rows["all"].pred, rows["all"].gold) == (2, 3, 3)

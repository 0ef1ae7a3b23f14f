"""geo.corpus_eval and ``python -m geo.evaluate --corpus``: scoring on a span corpus, with a corpus written here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from geo.corpus_eval import Span, Tally, ece, match, score_document
from geo.places import calibration


def test_match_is_one_to_one_by_largest_overlap() -> None:
    gold = [Span(0, 5, "North"), Span(6, 11, "Korea")]
    pred = [Span(0, 11, "North Korea"), Span(6, 11, "Korea")]
    # The long prediction takes the gold span it overlaps most (tie → first); the other pair keeps its own.
    assert sorted(match(gold, pred)) == [(0, 0), (1, 1)]
    assert match([Span(0, 3, "abc")], [Span(3, 6, "def")]) == []


def test_score_document_counts_exact_overlap_distance_and_errors() -> None:
    text = "From Lyon to Paris, then Texas."
    gold = [Span(5, 9, "Lyon", 45.75, 4.85), Span(13, 18, "Paris", 48.85, 2.35), Span(25, 30, "Texas")]
    pred = [Span(5, 9, "Lyon", 45.76, 4.84, 0.9), Span(13, 19, "Paris,", 33.66, -95.55, 0.6), Span(0, 4, "From", None, None, 0.2)]
    t = Tally()
    score_document("a.txt", text, gold, pred, t)
    assert (t.gold, t.predicted, t.exact, t.overlap, t.pairs, t.near) == (3, 3, 1, 2, 2, 1)
    kinds = sorted(kind for _, kind, _, _ in t.errors)
    assert kinds == ["FAR", "FN", "FP"]
    # Right = matched and near: Lyon only.
    assert sorted(t.outcomes) == [(0.2, False), (0.6, False), (0.9, True)]


def test_ece_is_zero_when_confidence_matches_the_right_share() -> None:
    outcomes = [(0.75, True)] * 3 + [(0.75, False)] + [(0.25, True)] + [(0.25, False)] * 3
    value, table = ece(outcomes)
    assert value == 0.0 and table[7][2] == 4 and table[2][2] == 4
    assert ece([(0.95, False)] * 10)[0] == 0.95


def test_evaluate_corpus_cli_prints_every_figure(tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    text = "The minister flew from Cairo to Amman on Monday, then on to Baghdad."
    (texts / "d1.txt").write_text(text, encoding="utf-8")
    gold = {"d1.txt": {"places": [
        {"start": text.index(w), "end": text.index(w) + len(w), "text": w, "lat": lat, "lon": lon}
        for w, lat, lon in (("Cairo", 30.06, 31.25), ("Amman", 31.95, 35.93), ("Baghdad", 33.34, 44.40))
    ]}}
    (tmp_path / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    r = subprocess.run(
        [sys.executable, "-m", "geo.evaluate", "--corpus", str(tmp_path), "--errors", "--jobs", "1"],
        capture_output=True, text=True, timeout=300,
    )
    assert r.returncode == 0, r.stderr
    for needle in ("overlap  P 1.000  R 1.000  F1 1.000", "exact    P 1.000", "acc@161  1.000 over 3 pairs", "ECE", "== FN 0"):
        assert needle in r.stdout, r.stdout


def test_evaluate_corpus_rejects_a_folder_without_gold(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "geo.evaluate", "--corpus", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "not a corpus folder" in r.stderr and "Traceback" not in r.stderr


def test_calibration_file_says_how_it_was_fitted_and_maps_into_probabilities() -> None:
    model = json.loads(calibration.CALIBRATION.read_text(encoding="utf-8"))
    assert model["features"] == list(calibration.FEATURES)
    assert model["fitted"]["how"] and model["fitted"]["on"] and model["fitted"]["mentions"] > 1000
    assert all(v <= 0.05 for v in model["fitted"]["ece_after"].values())
    lo = [0.0] * len(calibration.FEATURES)
    hi = list(lo)
    lo[0] = hi[0] = 1.0
    hi[calibration.FEATURES.index("margin")] = 1.0
    hi[calibration.FEATURES.index("cue_strong")] = 1.0
    p_lo, p_hi = calibration.probability(tuple(lo)), calibration.probability(tuple(hi))
    assert 0.0 < p_lo < 1.0 and 0.0 < p_hi < 1.0 and p_hi >= p_lo

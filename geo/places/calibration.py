"""Confidence as a calibrated probability that a resolved mention is a right place reading.

``features`` describes a reading in a few numbers; ``probability`` maps them through a logistic model whose
weights live in ``geo/data/calibration.json``, fitted by ``scripts/fit_calibration.py`` on the development
corpora (the file says how). Without that file the old margin rule stands.
"""

from __future__ import annotations

import bisect
import functools
import json
import math

from geo.core.resources import data_file
from geo.places.entry import Entry
from geo.places.readings import Match

CALIBRATION = data_file("calibration.json")
FEATURES = (
    "bias", "margin", "country", "region", "small_town", "minor_town", "log_population", "curated", "cue_strong",
    "cue_weak", "weak_word", "adjectival", "multiword", "context_country", "repeats", "qualified", "english",
)


def features(m: Match, e: Entry, margin: float, in_context: bool, repeats: int, english: bool) -> tuple[float, ...]:
    """The numbers the confidence is computed from, in the order of ``FEATURES``."""
    small = e.kind == "city" and e.source == "geonames" and e.population < 15000
    minor = e.kind == "city" and not e.capital and e.source == "geonames" and e.population < 1_000_000
    return (
        1.0,
        min(margin, 6.0) / 6.0,
        float(e.kind == "country"),
        float(e.kind in ("region", "water")),
        float(small),
        float(minor),
        math.log10(e.population + 10) / 8.0,
        float(e.source == "curated"),
        float(m.cue == "strong"),
        float(m.cue == "weak"),
        float(m.weak),
        float(m.adjectival),
        float(" " in m.text.strip()),
        float(in_context),
        min(math.log2(repeats), 4.0) / 4.0,
        float(bool(m.qualifier)),
        float(english),
    )


@functools.lru_cache(maxsize=1)
def _model() -> dict | None:
    try:
        data = json.loads(CALIBRATION.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("features") != list(FEATURES):
        return None  # fitted on other features: refit with scripts/fit_calibration.py
    return data


@functools.lru_cache(maxsize=1 << 14)
def probability(x: tuple[float, ...]) -> float:
    """P(right reading | features): logistic model, then the isotonic table if the fit stored one."""
    model = _model()
    if model is None:
        return round(1 - 0.5 * math.exp(-x[1] * 6.0), 3)
    z = sum(w * v for w, v in zip(model["weights"], x))
    p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
    table = model.get("isotonic")
    if table:
        p = _interpolate(p, table)
    return round(min(max(p, 0.01), 0.99), 3)


def _interpolate(p: float, table: list[list[float]]) -> float:
    """Piecewise-linear through the (raw, calibrated) knots of an isotonic fit."""
    if p <= table[0][0]:
        return table[0][1]
    k = bisect.bisect_left(_knots(id(table), table), p)
    if k >= len(table):
        return table[-1][1]
    (x0, y0), (x1, y1) = table[k - 1], table[k]
    return y0 if x1 == x0 else y0 + (y1 - y0) * (p - x0) / (x1 - x0)


_KNOTS: dict[int, list[float]] = {}


def _knots(key: int, table: list[list[float]]) -> list[float]:
    if key not in _KNOTS:
        _KNOTS[key] = [x for x, _ in table]
    return _KNOTS[key]

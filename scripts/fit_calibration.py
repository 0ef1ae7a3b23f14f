"""Fit geo/data/calibration.json: the confidence model of resolved place mentions.

For every mention the geoparser keeps in the development corpora (``../shared/corpora/NAME``: texts and
gold spans, read for evaluation only), it records the features of ``geo.places.calibration.features`` and
whether the reading was right (overlap-matched to a gold span and, where both have coordinates, within
161 km: the convention of ``geo.corpus_eval``). It then fits a logistic regression (Newton's method with a
small L2 penalty) and an isotonic correction (pool-adjacent-violators over the logistic output, kept as at
most 25 knots), and writes weights, knots, the corpora, counts and the ECE before and after.

    .venv/bin/python scripts/fit_calibration.py ../shared/corpora/en-trnews ../shared/corpora/en-lgl ../shared/corpora/ar-newsfane-dev
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import numpy as np

from geo.core.document import Document
from geo.core.geometry import haversine_km
from geo.corpus_eval import Span, ece, load_gold, match
from geo.places import calibration, gazetteer
from geo.places.matching import find_matches
from geo.places.ranking import resolve

L2 = 1e-3


def samples(corpus: Path, gaz) -> list[tuple[tuple[float, ...], bool]]:
    out = []
    for doc, gold in sorted(load_gold(corpus).items()):
        text = (corpus / "texts" / doc).read_text(encoding="utf-8")
        article = Document.read(text)
        skip_adjectival = article.language == "ar"
        seen, pred, feats = set(), [], []
        for r in resolve(find_matches(article, gaz), gaz, article):
            m = r.match
            if (m.start, m.end) in seen or skip_adjectival and m.adjectival:
                continue
            seen.add((m.start, m.end))
            pred.append(Span(m.start, m.end, m.text, r.entry.lat, r.entry.lon))
            feats.append(r.features)
        order = sorted(range(len(pred)), key=lambda k: (pred[k].start, pred[k].end))
        pred = [pred[k] for k in order]
        feats = [feats[k] for k in order]
        gold = sorted(gold, key=lambda s: (s.start, s.end))
        right = [False] * len(pred)
        for gi, pi in match(gold, pred):
            g, p = gold[gi], pred[pi]
            right[pi] = not (g.located and p.located) or haversine_km((g.lat, g.lon), (p.lat, p.lon)) <= 161
        out.extend(zip(feats, right))
    return out


def fit_logistic(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    w = np.zeros(x.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) + L2 * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + L2 * np.eye(x.shape[1])
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def fit_isotonic(p: np.ndarray, y: np.ndarray, knots: int = 25) -> list[list[float]]:
    order = np.argsort(p)
    blocks = [[float(p[k]), float(y[k]), 1.0] for k in order]  # (mean x, mean y, weight)
    merged: list[list[float]] = []
    for b in blocks:
        merged.append(b)
        while len(merged) > 1 and merged[-2][1] >= merged[-1][1]:
            b2, b1 = merged.pop(), merged.pop()
            wsum = b1[2] + b2[2]
            merged.append([(b1[0] * b1[2] + b2[0] * b2[2]) / wsum, (b1[1] * b1[2] + b2[1] * b2[2]) / wsum, wsum])
    step = max(1, len(merged) // knots)
    table = [[round(b[0], 4), round(b[1], 4)] for b in merged[::step]]
    if table[-1][0] != round(merged[-1][0], 4):
        table.append([round(merged[-1][0], 4), round(merged[-1][1], 4)])
    return table


def main(corpora: list[str]) -> None:
    gaz = gazetteer.load()
    per_corpus = {c: samples(Path(c), gaz) for c in corpora}
    data = [s for v in per_corpus.values() for s in v]
    x = np.array([f for f, _ in data], dtype=float)
    y = np.array([ok for _, ok in data], dtype=float)
    w = fit_logistic(x, y)
    raw = 1 / (1 + np.exp(-np.clip(x @ w, -30, 30)))
    table = fit_isotonic(raw, y)
    model = {
        "features": list(calibration.FEATURES),
        "weights": [round(float(v), 5) for v in w],
        "isotonic": table,
        "fitted": {
            "how": "scripts/fit_calibration.py: logistic regression (Newton, L2 1e-3) then isotonic (PAV) knots",
            "on": [Path(c).name for c in corpora],
            "date": date.today().isoformat(),
            "mentions": int(len(y)),
            "right_share": round(float(y.mean()), 4),
        },
    }
    calibration.CALIBRATION.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    calibration._model.cache_clear()
    calibration.probability.cache_clear()
    report = {}
    for c, v in per_corpus.items():
        outcomes = [(calibration.probability(f), ok) for f, ok in v]
        report[Path(c).name] = round(ece(outcomes)[0], 4)
    model["fitted"]["ece_after"] = report
    calibration.CALIBRATION.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(model["fitted"], indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])

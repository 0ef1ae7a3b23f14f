"""Score the geoparser on an external gold corpus of span-annotated news (``../shared/corpora/NAME``).

A corpus folder holds ``texts/<id>.txt`` and ``gold.json`` (``{"<id>.txt": {"places": [{"start", "end",
"text", "lat", "lon", ...}], "other_loc": [...]}}``). The convention is the corpus's own scorer's:

* a predicted span is one mention; a span predicted twice counts once;
* **exact**: same start and end as a gold span; **overlap**: shares a character with one, matched one-to-one
  greedily by largest overlap (so one long prediction cannot take two gold spans);
* **acc@161**: over overlap-matched pairs where both sides have coordinates, the share within 161 km;
* **ECE**: predicted spans binned by confidence decile; a span is right when overlap-matched and, where both
  sides have coordinates, within 161 km; ECE = Σ (n_bin / n) · |right share − mean confidence|.

Adjectival mentions (الفرنسية, "French") are left out with ``skip_adjectival``: the Arabic corpus does not
annotate them. Everything is pure except :func:`load_gold` and :func:`predict`.
"""

from __future__ import annotations

import io
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from geo.batch import run_batch
from geo.core.geometry import haversine_km
from geo.core.settings import Settings

ACC_KM = 161.0


@dataclass(frozen=True)
class Span:
    """A gold or predicted place span with its point (``None`` where the corpus gives none)."""

    start: int
    end: int
    text: str
    lat: float | None = None
    lon: float | None = None
    confidence: float = 1.0
    label: str = ""  # gold: its kind; prediction: the place's name and country
    features: tuple[float, ...] = ()  # prediction: the calibration features (see geo.places.calibration)

    @property
    def located(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass
class Tally:
    gold: int = 0
    predicted: int = 0
    exact: int = 0
    overlap: int = 0
    pairs: int = 0
    near: int = 0
    outcomes: list[tuple[float, bool]] = field(default_factory=list)  # (confidence, right) per prediction
    errors: list[tuple[str, str, Span, str]] = field(default_factory=list)  # (doc, FN/FP/FAR, span, context)
    samples: list[tuple[tuple[float, ...], bool]] = field(default_factory=list)  # (features, right)


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _overlap(a: Span, b: Span) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def match(gold: list[Span], pred: list[Span]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, prediction index), greedy by largest overlap, ties by position.

    Both lists are sorted by start, so each prediction is compared only with the gold spans it can reach:
    linear in the number of spans for non-nested annotations.
    """
    cand = []
    j0 = 0
    for pi, p in enumerate(pred):
        while j0 < len(gold) and gold[j0].end <= p.start:
            j0 += 1
        j = j0
        while j < len(gold) and gold[j].start < p.end:
            n = _overlap(gold[j], p)
            if n > 0:
                cand.append((-n, j, pi))
            j += 1
    cand.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in cand:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


def score_document(doc: str, text: str, gold: list[Span], pred: list[Span], tally: Tally) -> None:
    """Add one document's counts, outcomes and errors to ``tally``."""
    gold = sorted(gold, key=lambda s: (s.start, s.end))
    pred = sorted(pred, key=lambda s: (s.start, s.end))
    tally.gold += len(gold)
    tally.predicted += len(pred)
    exact = {(g.start, g.end) for g in gold}
    tally.exact += sum((p.start, p.end) in exact for p in pred)
    pairs = match(gold, pred)
    tally.overlap += len(pairs)
    right = [False] * len(pred)
    for gi, pi in pairs:
        g, p = gold[gi], pred[pi]
        ok = True
        if g.located and p.located:
            tally.pairs += 1
            ok = haversine_km((g.lat, g.lon), (p.lat, p.lon)) <= ACC_KM
            tally.near += ok
            if not ok:
                tally.errors.append((doc, "FAR", p, f"gold {g.lat:.2f},{g.lon:.2f} " + _context(text, g)))
        right[pi] = ok
    matched_g = {gi for gi, _ in pairs}
    for gi, g in enumerate(gold):
        if gi not in matched_g:
            tally.errors.append((doc, "FN", g, _context(text, g)))
    for pi, p in enumerate(pred):
        tally.outcomes.append((p.confidence, right[pi]))
        if p.features:
            tally.samples.append((p.features, right[pi]))
        if pi not in {q for _, q in pairs}:
            tally.errors.append((doc, "FP", p, _context(text, p)))


def _context(text: str, s: Span, width: int = 40) -> str:
    if not text:
        return ""
    left = text[max(0, s.start - width) : s.start].replace("\n", " ")
    right = text[s.end : s.end + width].replace("\n", " ")
    return f"{left}[{text[s.start:s.end]}]{right}"


def ece(outcomes: list[tuple[float, bool]], bins: int = 10) -> tuple[float, list[tuple[float, float, int]]]:
    """Expected calibration error over confidence deciles, and (mean confidence, right share, n) per bin."""
    groups: list[list[tuple[float, bool]]] = [[] for _ in range(bins)]
    for c, ok in outcomes:
        groups[min(int(c * bins), bins - 1)].append((c, ok))
    table, total = [], 0.0
    for g in groups:
        if not g:
            table.append((math.nan, math.nan, 0))
            continue
        conf = sum(c for c, _ in g) / len(g)
        acc = sum(ok for _, ok in g) / len(g)
        table.append((conf, acc, len(g)))
        total += len(g) * abs(acc - conf)
    return (total / len(outcomes) if outcomes else 0.0), table


def report(name: str, t: Tally, errors: bool = False) -> str:
    """The figures as text: P/R/F1 (overlap and exact), acc@161, ECE with its decile table, then the errors."""
    p, r, f = _prf(t.overlap, t.predicted, t.gold)
    ep, er, ef = _prf(t.exact, t.predicted, t.gold)
    e, table = ece(t.outcomes)
    lines = [
        f"{name}: {t.gold} gold spans, {t.predicted} predicted",
        f"  overlap  P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (tp {t.overlap})",
        f"  exact    P {ep:.3f}  R {er:.3f}  F1 {ef:.3f}  (tp {t.exact})",
        f"  acc@161  {t.near / t.pairs:.3f} over {t.pairs} pairs" if t.pairs else "  acc@161  — (no coordinates)",
        f"  ECE      {e:.3f} over {len(t.outcomes)} predicted spans",
        "  decile  conf  right     n",
    ]
    for k, (conf, acc, n) in enumerate(table):
        if n:
            lines.append(f"  {k / 10:.1f}-{(k + 1) / 10:.1f}  {conf:.3f} {acc:.3f} {n:5d}")
    if errors:
        for kind in ("FP", "FN", "FAR"):
            rows = [x for x in t.errors if x[1] == kind]
            counts = Counter(s.text for _, _, s, _ in rows)
            lines.append(f"\n== {kind} {len(rows)} ({len(counts)} distinct), most frequent first")
            lines.append("  " + "; ".join(f"{w} ×{n}" for w, n in counts.most_common(60)))
            for doc, _, s, ctx in sorted(rows, key=lambda x: (-counts[x[2].text], x[2].text, x[0])):
                label = f" → {s.label}" if s.label else ""
                lines.append(f"  {doc}\t{s.text}{label}\t{s.confidence:.2f}\t{ctx}")
    return "\n".join(lines)


def load_gold(corpus: Path) -> dict[str, list[Span]]:
    """{file name: gold spans} from ``corpus/gold.json``."""
    data = json.loads((corpus / "gold.json").read_text(encoding="utf-8"))
    return {
        doc: [Span(g["start"], g["end"], g["text"], g.get("lat"), g.get("lon"), 1.0, g.get("kind") or "") for g in d.get("places", [])]
        for doc, d in data.items()
    }


def predictions(line: dict, skip_adjectival: bool) -> list[Span]:
    """Predicted spans of one ``geo extract --format jsonl`` line: one per mention, first place wins a span."""
    seen: set[tuple[int, int]] = set()
    out = []
    for place in line.get("places", []):
        for m in place.get("mentions", []):
            key = (m["start"], m["end"])
            if key in seen or skip_adjectival and m.get("adjectival"):
                continue
            seen.add(key)
            conf = m.get("confidence", place.get("confidence", 1.0))
            label = f"{place['name']} ({place['country']})"
            out.append(Span(m["start"], m["end"], m["text"], place["lat"], place["lon"], conf, label, tuple(m.get("features") or ())))
    return out


def predict(texts: list[Path], settings: Settings, jobs: int) -> dict[str, dict]:
    """Run the real pipeline (``geo.batch``, ``jobs`` processes) over the texts: {file name: story dict}."""
    out, err = io.StringIO(), io.StringIO()
    run_batch([str(p) for p in texts], out=out, jobs=jobs, settings=settings, err=err)
    stories = {}
    for line in out.getvalue().split("\n"):
        if not line:
            continue
        obj = json.loads(line)
        stories[Path(obj["path"]).name] = obj
    return stories


def evaluate_corpus(
    corpus: Path, settings: Settings, jobs: int = 2, skip_adjectival: bool | None = None, features: bool = False
) -> Tally:
    """Predict and score a whole corpus folder; Arabic corpora skip adjectival mentions unless told."""
    gold = load_gold(corpus)
    texts = {doc: (corpus / "texts" / doc) for doc in gold}
    stories = predict(sorted(texts.values()), settings, jobs)
    tally = Tally()
    for doc in sorted(gold):
        text = texts[doc].read_text(encoding="utf-8")
        story = stories.get(doc, {})
        skip = skip_adjectival if skip_adjectival is not None else story.get("language") == "ar"
        score_document(doc, text, gold[doc], predictions(story, skip), tally)
    return tally

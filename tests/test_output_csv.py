"""geo/output.py's CSV: no cell from any source (gazetteer, cache, geocoder) opens as a spreadsheet formula."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

from geo.core.text import name_key
from geo.output import csv_cell
from geo.places.cache import CachedPlace, upsert

REPO = Path(__file__).resolve().parent.parent
HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1"]


def test_formula_cells_are_quoted_and_numbers_kept() -> None:
    for value in HOSTILE:
        assert csv_cell(value) == "'" + value
    assert csv_cell(-20.25) == -20.25 and csv_cell("Paris") == "Paris" and csv_cell(3) == 3


def test_cli_csv_from_a_poisoned_cache_has_no_formula(tmp_path: Path) -> None:
    cache = tmp_path / "places.csv"
    names = ["Xanadu", "Yonder", "Zorbia", "Quillon"]
    rows = [
        CachedPlace(name_key(n), HOSTILE[i], HOSTILE[i + 1], "city", 10.0 + i, -20.5, "", "nominatim", HOSTILE[i - 1], "")
        for i, n in enumerate(names)
    ]
    upsert(cache, rows)
    article = tmp_path / "a.txt"
    article.write_text(" ".join(f"They reached the town of {n}." for n in names) + "\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "geo", "extract", str(article), "--format", "csv", "--cache", str(cache)],
                       cwd=REPO, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    table = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len([t for t in table if t["source"] == "nominatim"]) >= 3
    for t in table:
        for column, cell in t.items():
            if column in ("lat", "lon", "confidence", "mentions"):
                float(cell)  # numbers stay numbers (a negative longitude is no formula)
            else:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)
    assert {t["name"] for t in table} >= {"'" + HOSTILE[0], "'" + HOSTILE[1]}

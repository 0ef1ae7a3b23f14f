"""``python -m geo``: the real command in a subprocess. Good articles give valid output in any supported
encoding; every bad input exits 2 with one line on stderr and no traceback."""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fake_nominatim import FakeNominatim

from geo.cli import EPILOG
from geo.core.settings import MAX_ARTICLE_BYTES
from geo.output import PLACE_COLUMNS

REPO = Path(__file__).resolve().parent.parent

PASSAGE_KEYS = {"id", "text", "start", "end", "heading"}
PLACE_KEYS = {"id", "name", "name_ar", "kind", "lat", "lon", "country", "source", "source_id", "confidence", "candidates", "mentions"}
MENTION_KEYS = {"passage", "start", "end", "text", "adjectival", "confidence"}
ROUTE_KEYS = {"id", "mode", "stops", "path", "length_km", "on_rail", "when", "passages", "country_stops", "status",
              "evidence", "confidence"}
LINK_KEYS = {"id", "kind", "status", "places", "directed", "weight", "passages", "evidence", "confidence"}


def geo(*args: str | Path, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geo", *map(str, args)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """Keep the places cache out of the repository."""
    return {"GEO_PLACES_CACHE": str(tmp_path / "places.csv"), "GEO_NOMINATIM": ""}


def check_story(data: dict[str, Any], text: str) -> None:
    """Validate ``extract --format json`` against the schema in ``geo.cli.EPILOG`` and the article text."""
    assert set(data) == {"title", "language", "passages", "places", "routes", "links", "unresolved"}
    assert isinstance(data["title"], str) and data["language"] in ("ar", "en")
    passages = {}
    for p in data["passages"]:
        assert set(p) == PASSAGE_KEYS
        assert text[p["start"] : p["end"]] == p["text"]
        passages[p["id"]] = p
    ids = set()
    for place in data["places"]:
        assert set(place) == PLACE_KEYS
        assert -90 <= place["lat"] <= 90 and -180 <= place["lon"] <= 180
        assert 0 <= place["confidence"] <= 1
        ids.add(place["id"])
        for m in place["mentions"]:
            assert set(m) == MENTION_KEYS
            assert text[m["start"] : m["end"]] == m["text"], m
            p = passages[m["passage"]]
            assert p["start"] <= m["start"] and m["end"] <= p["end"]
    assert len(ids) == len(data["places"])
    for r in data["routes"]:
        assert set(r) == ROUTE_KEYS and set(r["stops"]) <= ids and len(r["path"]) >= 2
        assert r["evidence"] and all(text[a:b].strip() for a, b in r["evidence"]) and 0 < r["confidence"] <= 1
    for link in data["links"]:
        assert set(link) == LINK_KEYS and set(link["places"]) <= ids
        assert link["evidence"] and all(text[a:b].strip() for a, b in link["evidence"]) and 0 < link["confidence"] <= 1
    assert all(isinstance(u, str) for u in data["unresolved"])


def extract_json(path: Path, env: dict[str, str]) -> dict[str, Any]:
    r = geo("extract", path, "--format", "json", env=env)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    return json.loads(r.stdout)


def summary(data: dict[str, Any]) -> dict[str, list[tuple[int, int]]]:
    return {p["id"]: [(m["start"], m["end"]) for m in p["mentions"]] for p in data["places"]}


# --- good input -------------------------------------------------------------------------------------


def test_extract_seed_json(seed_path: Path, seed_text: str, env: dict[str, str]) -> None:
    data = extract_json(seed_path, env)
    check_story(data, seed_text)
    assert data["language"] == "ar"
    ids = {p["id"] for p in data["places"]}
    assert {"pyongyang", "vladivostok", "moscow", "seoul", "washington", "beijing", "russia", "north-korea"} <= ids
    assert [p["text"] for p in data["passages"] if p["heading"]] == ["تفاصيل الزيارة", "حلفاء الحرب الباردة"]


def test_extract_seed_csv(seed_path: Path, env: dict[str, str]) -> None:
    r = geo("extract", seed_path, "--format", "csv", env=env)
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert tuple(rows[0]) == PLACE_COLUMNS
    as_json = extract_json(seed_path, env)
    assert [row["id"] for row in rows] == [p["id"] for p in as_json["places"]]
    assert {row["id"]: int(row["mentions"]) for row in rows} == {p["id"]: len(p["mentions"]) for p in as_json["places"]}
    moscow = next(row for row in rows if row["id"] == "moscow")
    assert abs(float(moscow["lat"]) - 55.75) < 0.3 and abs(float(moscow["lon"]) - 37.62) < 0.3


def test_help_documents_the_schema_and_exit_codes() -> None:
    r = geo("extract", "--help")
    assert r.returncode == 0
    for needle in ('"mentions": [{"passage", "start", "end", "text", "adjectival", "confidence"}]', '"candidates"', "text[start:end] == mention text", "2 bad input"):
        assert needle in r.stdout
    assert '"passages"' in EPILOG and '"unresolved"' in EPILOG


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda t: t.encode("cp1256"), id="cp1256"),
        pytest.param(lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), id="utf16le-bom"),
        pytest.param(lambda t: t.encode("utf-16-be"), id="utf16be-no-bom"),
        pytest.param(lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), id="utf8-bom"),
    ],
)
def test_other_encodings_give_the_same_story(tmp_path: Path, seed_path: Path, seed_text: str, env: dict[str, str], encode) -> None:
    other = tmp_path / "article.txt"
    other.write_bytes(encode(seed_text))
    data = extract_json(other, env)
    check_story(data, seed_text)  # offsets index the decoded text, BOM removed
    assert summary(data) == summary(extract_json(seed_path, env))


def test_html_markup_scripts_and_bidi_controls(tmp_path: Path, env: dict[str, str]) -> None:
    text = (
        "<html><head><script>alert('x'); var city = \"</script>\"</script></head><body>\n"
        "<h1>زيارة \u200fإلى موسكو\u200f</h1>\n"
        "<p>\u202bوصل الرئيس إلى <b>بكين</b> قادما من \u2067سول\u2069، وقال إن \"واشنطن\" <i>لم</i> ترد.\u202c</p>\n"
        "<p>&lt;script&gt;Moscow&lt;/script&gt; &amp; \u200e\u061c</p>\n"
        "</body></html>\n"
    )
    path = tmp_path / "article.html"
    path.write_text(text, encoding="utf-8")
    data = extract_json(path, env)
    check_story(data, text)
    assert {"moscow", "beijing", "seoul", "washington"} <= {p["id"] for p in data["places"]}


def test_text_with_no_places_is_an_empty_story(tmp_path: Path, env: dict[str, str]) -> None:
    path = tmp_path / "nothing.txt"
    text = "The committee met on Tuesday and agreed to meet again next month.\nNothing else was decided.\n"
    path.write_text(text, encoding="utf-8")
    data = extract_json(path, env)
    check_story(data, text)
    assert data["places"] == [] and data["routes"] == [] and data["links"] == [] and data["unresolved"] == []


def test_online_lookup_through_the_cli(tmp_path: Path, fake_nominatim: FakeNominatim, env: dict[str, str]) -> None:
    fake_nominatim.places["Xanadu"] = {"lat": 42.3575, "lon": 116.1858, "display_name": "Xanadu, China", "country_code": "CN"}
    path = tmp_path / "xanadu.txt"
    path.write_text("They arrived in the town of Xanadu after a long ride.\n", encoding="utf-8")
    cache = tmp_path / "cache.csv"
    r = geo("extract", path, "--online", "--nominatim", fake_nominatim.url, "--cache", cache, env=env)
    assert r.returncode == 0, r.stderr
    assert "xanadu" in {p["id"] for p in json.loads(r.stdout)["places"]}
    assert len(fake_nominatim.search_requests) == 1
    assert "Xanadu" in cache.read_text(encoding="utf-8")
    # Offline, the cached row still places it.
    again = geo("extract", path, "--cache", cache, env=env)
    assert "xanadu" in {p["id"] for p in json.loads(again.stdout)["places"]}
    assert len(fake_nominatim.search_requests) == 1


def test_geocoder_failure_is_a_one_line_warning(tmp_path: Path, env: dict[str, str]) -> None:
    path = tmp_path / "xanadu.txt"
    path.write_text("They arrived in the town of Xanadu after a long ride.\n", encoding="utf-8")
    r = geo("extract", path, "--online", "--nominatim", "http://127.0.0.1:9", env=env)  # nothing listens there
    assert r.returncode == 0
    assert json.loads(r.stdout)["unresolved"] == ["Xanadu"]
    assert "Traceback" not in r.stderr
    assert [line for line in r.stderr.splitlines() if line.startswith("warning: Xanadu:")]


# --- bad input: exit 2, one line, no traceback ---------------------------------------------------------


def assert_refused(r: subprocess.CompletedProcess[str], *words: str) -> None:
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("error: ")
    for w in words:
        assert w in lines[0], lines[0]
    assert r.stdout == ""


@pytest.mark.parametrize(
    "content, words",
    [
        pytest.param(b"", ["empty"], id="empty"),
        pytest.param(b"  \n\t\r\n \xc2\xa0\n", ["empty"], id="whitespace"),
        pytest.param(codecs.BOM_UTF8 + b"\n\n", ["empty"], id="bom-only"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, ["binary"], id="png"),
        pytest.param(b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56 + bytes(range(256)) * 8, ["binary"], id="elf"),
        pytest.param("Le président a visité Besançon et Genève.".encode("latin-1"), ["UTF-8"], id="invalid-utf8"),
    ],
)
def test_bad_files_exit_2(tmp_path: Path, env: dict[str, str], content: bytes, words: list[str]) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    r = geo("extract", path, env=env)
    assert_refused(r, str(path), *words)


def test_directory_exits_2(tmp_path: Path, env: dict[str, str]) -> None:
    assert_refused(geo("extract", tmp_path, env=env), "directory")


def test_missing_path_exits_2(tmp_path: Path, env: dict[str, str]) -> None:
    assert_refused(geo("extract", tmp_path / "nope.txt", env=env), "no such file")


def _permission_denied_path(tmp_path: Path) -> Path:
    """A path whose open() fails with PermissionError for this user, even root (write-only procfs files)."""
    for candidate in (Path("/proc/sys/vm/drop_caches"), Path("/proc/sys/vm/compact_memory")):
        try:
            with candidate.open("rb"):
                pass
        except PermissionError:
            return candidate
        except OSError:
            continue
    locked = tmp_path / "locked.txt"
    locked.write_text("موسكو", encoding="utf-8")
    locked.chmod(0)
    try:
        locked.open("rb").close()
    except PermissionError:
        return locked
    pytest.skip("no path here refuses reading to this user (root without write-only procfs files)")


def test_unreadable_file_exits_2(tmp_path: Path, env: dict[str, str]) -> None:
    path = _permission_denied_path(tmp_path)
    assert_refused(geo("extract", path, env=env), "permission denied")


def test_read_error_exits_2(env: dict[str, str]) -> None:
    # Reading a process's own memory at offset 0 fails with EIO, for root too.
    assert_refused(geo("extract", "/proc/self/mem", env=env), "cannot read")


def test_oversized_file_exits_2(tmp_path: Path, env: dict[str, str]) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk
    assert path.stat().st_size > MAX_ARTICLE_BYTES
    assert_refused(geo("extract", path, env=env), "limit")


def test_bad_arguments_exit_2(seed_path: Path, env: dict[str, str]) -> None:
    r = geo("extract", seed_path, "--format", "xml", env=env)
    assert r.returncode == 2 and "Traceback" not in r.stderr and "invalid choice" in r.stderr
    r = geo("extract", env=env)
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_debug_shows_the_traceback(tmp_path: Path, env: dict[str, str]) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    r = geo("--debug", "extract", path, env=env)
    assert r.returncode != 0 and "Traceback" in r.stderr and "InputError" in r.stderr

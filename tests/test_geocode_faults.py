"""A hostile or broken geocoder costs one name, never the run: any JSON shape, a dripping or oversized reply,
a redirect to another host, absurd coordinates, names too long to be names. The real geopy HTTP path
against ``tests/fake_nominatim.py`` on 127.0.0.1, scripted to misbehave."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import warnings
from pathlib import Path

import pytest
from fake_nominatim import FakeNominatim, Fault

from geo.core.errors import GeocoderError
from geo.core.text import name_key
from geo.pipeline import GeocodeReport, analyse
from geo.places import gazetteer
from geo.places.cache import load
from geo.places.geocode import MAX_NAME_CHARS, OnlineGeocoder, parse_reply

REPO = Path(__file__).resolve().parent.parent
TEXT = "They arrived in the town of Xanadu after a long ride, then flew on to Moscow."
XANADU = {"lat": 42.3575, "lon": 116.1858, "display_name": "Xanadu, Inner Mongolia, China", "country_code": "CN", "type": "town"}


@pytest.fixture(scope="module")
def gaz() -> gazetteer.Gazetteer:
    return gazetteer.load()


def geocoder(fake: FakeNominatim, tmp_path: Path, **kw: float) -> OnlineGeocoder:
    kw.setdefault("min_delay_seconds", 0.05)
    kw.setdefault("timeout", 5)
    kw.setdefault("max_retries", 0)
    return OnlineGeocoder(domain=fake.domain, scheme="http", rate_file=tmp_path / "rate", **kw)  # type: ignore[arg-type]


def run(fake: FakeNominatim, tmp_path: Path, gaz: gazetteer.Gazetteer, **kw: float):
    report = GeocodeReport()
    cache = tmp_path / "places.csv"
    story = analyse(TEXT, gazetteer=gaz, cache_path=cache, geocoder=geocoder(fake, tmp_path, **kw), report=report)
    return story, report, cache


SHAPES = [
    pytest.param([1], id="list-of-int"),
    pytest.param(["x"], id="list-of-str"),
    pytest.param("x", id="str"),
    pytest.param(None, id="null"),
    pytest.param(7, id="int"),
    pytest.param({"unexpected": [1, 2]}, id="object"),
    pytest.param([{"lat": "1e308", "lon": "0", "display_name": "Far"}], id="lat-1e308"),
    pytest.param([{"lat": "nan", "lon": "0"}], id="lat-nan"),
    pytest.param([{"lat": [1], "lon": {"a": 1}}], id="lat-list"),
    pytest.param([{"lat": True, "lon": False}], id="lat-bool"),
    pytest.param([[{"lat": "1", "lon": "2"}]], id="nested-list"),
]


@pytest.mark.parametrize("payload", SHAPES)
def test_any_json_shape_fails_one_name_and_the_run_completes(
    fake_nominatim: FakeNominatim, tmp_path: Path, gaz: gazetteer.Gazetteer, payload: object
) -> None:
    fake_nominatim.faults.append(Fault.reply(payload))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # geopy's multi-line "latitude normalization" warning is a failure too
        story, report, cache = run(fake_nominatim, tmp_path, gaz)
    assert story.unresolved == ("Xanadu",)
    assert "moscow" in {p.id for p in story.places}
    why = report.failed["Xanadu"]
    assert "unusable reply" in why and "\n" not in why and len(why) < 300
    assert not cache.exists()


def test_odd_fields_are_dropped_and_the_place_kept(fake_nominatim: FakeNominatim, tmp_path: Path, gaz: gazetteer.Gazetteer) -> None:
    # address as a string, display_name a number, osm ids that are not ids, a junk item before the good one.
    fake_nominatim.faults.append(
        Fault.reply([1, {"lat": "42.5", "lon": 116.25, "address": "str", "display_name": 5, "osm_type": "<b>", "osm_id": "1;2",
                         "class": ["x"], "type": {"y": 1}, "name": None}])
    )
    story, report, cache = run(fake_nominatim, tmp_path, gaz)
    assert report.failed == {} and story.unresolved == ()
    place = story.place("xanadu")
    assert (place.lat, place.lon, place.country, place.source_id, place.kind) == (42.5, 116.25, "", "", "site")
    assert load(cache)[name_key("Xanadu")].name == "Xanadu"


def test_error_object_is_a_refusal(fake_nominatim: FakeNominatim, tmp_path: Path, gaz: gazetteer.Gazetteer) -> None:
    fake_nominatim.faults.append(Fault.reply({"error": {"code": 400, "message": "Nothing to search for.\n" * 50}}))
    _, report, _ = run(fake_nominatim, tmp_path, gaz)
    assert "refused" in report.failed["Xanadu"] and "\n" not in report.failed["Xanadu"]


def test_names_from_the_service_are_capped_and_cleaned() -> None:
    row = parse_reply("k", "Xanadu", [{"lat": "1", "lon": "2", "name": "A\u0000B\n" + "x" * 10_000}], "en")
    assert row is not None and len(row.name) == MAX_NAME_CHARS and row.name.startswith("A B x")


def test_cli_survives_a_geocoder_answering_a_list_of_one(fake_nominatim: FakeNominatim, tmp_path: Path) -> None:
    fake_nominatim.faults.append(Fault.reply([1]))
    article = tmp_path / "a.txt"
    article.write_text(TEXT + "\n", encoding="utf-8")
    r = subprocess.run(
        [sys.executable, "-m", "geo", "extract", str(article), "--online", "--nominatim", fake_nominatim.url,
         "--cache", str(tmp_path / "places.csv")],
        cwd=REPO, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "GEO_RATE_FILE": str(tmp_path / "rate"), "HOME": str(Path.home())},
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["unresolved"] == ["Xanadu"]
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: Xanadu: "), r.stderr


def test_a_dripping_reply_is_cut_at_the_total_deadline(fake_nominatim: FakeNominatim, tmp_path: Path, gaz: gazetteer.Gazetteer) -> None:
    # 40 bytes, one every 0.25 s: each read gets a byte long before any socket timeout; the reply is valid
    # JSON, so without a total deadline the lookup would succeed after 10 s.
    fake_nominatim.faults.append(Fault.drip(0.25, size=40))
    story, report, _ = run(fake_nominatim, tmp_path, gaz, timeout=1.0)
    assert story.unresolved == ("Xanadu",)
    assert "no complete reply within 1s" in report.failed["Xanadu"]


def test_an_oversized_reply_is_refused_unread(fake_nominatim: FakeNominatim, tmp_path: Path, gaz: gazetteer.Gazetteer) -> None:
    fake_nominatim.faults.append(Fault.huge(300 * 2**20))
    story, report, _ = run(fake_nominatim, tmp_path, gaz)
    assert story.unresolved == ("Xanadu",)
    assert "over the 1,048,576-byte limit" in report.failed["Xanadu"]


def test_a_redirect_to_another_host_is_not_followed(fake_nominatim: FakeNominatim, tmp_path: Path, gaz: gazetteer.Gazetteer) -> None:
    with FakeNominatim(places={"Xanadu": XANADU}) as elsewhere:
        fake_nominatim.faults.append(Fault.redirect(f"{elsewhere.url}/search?q=Xanadu&format=json"))
        story, report, cache = run(fake_nominatim, tmp_path, gaz)
        assert elsewhere.requests == []  # our User-Agent never reached the other host
    assert story.unresolved == ("Xanadu",) and "redirect to another host" in report.failed["Xanadu"]
    assert not cache.exists()


def test_a_redirect_on_the_same_host_is_followed(fake_nominatim: FakeNominatim, tmp_path: Path, gaz: gazetteer.Gazetteer) -> None:
    fake_nominatim.places["Xanadu"] = XANADU
    fake_nominatim.faults.append(Fault.redirect(f"{fake_nominatim.url}/search?q=Xanadu&format=json&addressdetails=1"))
    story, report, _ = run(fake_nominatim, tmp_path, gaz)
    assert report.failed == {} and story.place("xanadu").country == "CN"


def test_an_overlong_name_is_never_sent_and_the_cache_stays_readable(
    fake_nominatim: FakeNominatim, tmp_path: Path, gaz: gazetteer.Gazetteer
) -> None:
    long_name = "Q" + "x" * 299_999
    fake_nominatim.places[long_name] = XANADU  # a service that would answer anything
    fake_nominatim.places["Xanadu"] = XANADU
    cache = tmp_path / "places.csv"
    text = f"They went to the town of {long_name} and to the town of Xanadu."
    analyse(text, gazetteer=gaz, cache_path=cache, geocoder=geocoder(fake_nominatim, tmp_path))
    assert [r.query["q"] for r in fake_nominatim.search_requests] == ["Xanadu"]
    with pytest.raises(GeocoderError, match="not looked up"):
        geocoder(fake_nominatim, tmp_path).lookup(name_key(long_name), long_name, "en")
    # The next run reads the cache.
    again = analyse(text, gazetteer=gaz, cache_path=cache)
    assert "xanadu" in {p.id for p in again.places}
    assert all(len(k) <= MAX_NAME_CHARS for k in load(cache))


def test_one_rate_limit_across_threads_and_processes(fake_nominatim: FakeNominatim, tmp_path: Path) -> None:
    """Three sessions (threads, each its own geocoder) and another process share one 0.5 s interval."""
    fake_nominatim.places["Xanadu"] = XANADU
    rate = tmp_path / "shared-rate"
    script = (
        "import sys; sys.path.insert(0, '.');"
        "from pathlib import Path; from geo.places.geocode import OnlineGeocoder;"
        f"g = OnlineGeocoder(domain='{fake_nominatim.domain}', scheme='http', min_delay_seconds=0.5, rate_file=Path('{rate}'));"
        "[g.lookup('xanadu', 'Xanadu', 'en') for _ in range(2)]"
    )
    other = subprocess.Popen([sys.executable, "-c", script], cwd=REPO)

    def session() -> None:
        OnlineGeocoder(domain=fake_nominatim.domain, scheme="http", min_delay_seconds=0.5, rate_file=rate).lookup("xanadu", "Xanadu", "en")

    threads = [threading.Thread(target=session) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert other.wait(timeout=60) == 0
    times = sorted(r.time for r in fake_nominatim.search_requests)
    assert len(times) == 5
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert min(gaps) >= 0.45, gaps

"""geo/geocode.py through the pipeline: the real geopy HTTP path against a fake Nominatim on 127.0.0.1.

Names only Nominatim knows are looked up politely (our User-Agent, ≤ 1 request/s), cached with provenance,
and never looked up twice; every way the service can fail leaves a complete story and a clean cache.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_nominatim import FakeNominatim, Fault

from geo.core.errors import GeocoderError
from geo.core.text import name_key
from geo.pipeline import GeocodeReport, analyse
from geo.places import gazetteer
from geo.places.cache import load
from geo.places.geocode import USER_AGENT, OnlineGeocoder, parse_result

AR_TEXT = "وصل الوفد إلى بلدة زيلاند صباحا، ثم غادر وفد زيلاند مساء."
AR_NAME = "زيلاند"
ZEELAND = {
    "lat": 51.4941,
    "lon": 3.8497,
    "display_name": "Zeeland, Nederland",
    "name": "Zeeland",
    "country_code": "NL",
    "class": "boundary",
    "type": "administrative",
    "addresstype": "state",
    "osm_type": "relation",
    "osm_id": 47806,
}
EN_TEXT = "They arrived in the town of Xanadu after a long ride."
XANADU = {"lat": 42.3575, "lon": 116.1858, "display_name": "Xanadu, Inner Mongolia, China", "country_code": "CN", "type": "town"}


@pytest.fixture(scope="module")
def gaz() -> gazetteer.Gazetteer:
    return gazetteer.load()


def geocoder(fake: FakeNominatim, **kw: float) -> OnlineGeocoder:
    """A geocoder aimed at the fake; short delays where the test is not about the rate."""
    kw.setdefault("min_delay_seconds", 0.05)
    kw.setdefault("timeout", 5)
    return OnlineGeocoder(domain=fake.domain, scheme="http", **kw)  # type: ignore[arg-type]


def test_unknown_name_is_looked_up_cached_and_not_asked_again(
    fake_nominatim: FakeNominatim, tmp_cache: Path, gaz: gazetteer.Gazetteer
) -> None:
    fake_nominatim.places[AR_NAME] = ZEELAND
    report = GeocodeReport()
    story = analyse(AR_TEXT, gazetteer=gaz, cache_path=tmp_cache, geocoder=geocoder(fake_nominatim), report=report)

    # One request, polite and well-formed.
    [req] = fake_nominatim.search_requests
    assert req.user_agent == USER_AGENT and not req.user_agent.startswith("geopy/")
    assert req.query["q"] == AR_NAME and req.query["format"] == "json"
    assert req.query.get("accept-language") == "ar"

    # On the map, with both mentions at their exact offsets.
    assert report.looked_up == [AR_NAME] and report.found == [AR_NAME] and report.failed == {}
    [place] = [p for p in story.places if p.source == "nominatim"]
    assert (place.name, place.name_ar, place.kind, place.country) == ("Zeeland", AR_NAME, "region", "NL")
    assert (place.lat, place.lon) == pytest.approx((51.4941, 3.8497))
    first = AR_TEXT.index(AR_NAME)
    assert (first, first + len(AR_NAME)) in [(m.start, m.end) for m in story.mentions_of(place.id)]
    assert story.unresolved == ()

    # Cached with provenance.
    cached = load(tmp_cache)[name_key(AR_NAME)]
    assert (cached.source, cached.source_id, cached.country) == ("nominatim", "relation/47806", "NL")
    assert cached.retrieved_at

    # A second run reads the cache: no request at all, same place.
    again = analyse(AR_TEXT, gazetteer=gaz, cache_path=tmp_cache, geocoder=geocoder(fake_nominatim))
    assert len(fake_nominatim.search_requests) == 1
    assert [p for p in again.places if p.source == "nominatim"] == [place]
    # Offline runs use it too.
    offline = analyse(AR_TEXT, gazetteer=gaz, cache_path=tmp_cache)
    assert any(p.name == "Zeeland" for p in offline.places)


def test_every_occurrence_of_a_geocoded_name_is_a_mention(
    fake_nominatim: FakeNominatim, tmp_cache: Path, gaz: gazetteer.Gazetteer
) -> None:
    fake_nominatim.places[AR_NAME] = ZEELAND
    story = analyse(AR_TEXT, gazetteer=gaz, cache_path=tmp_cache, geocoder=geocoder(fake_nominatim))
    [place] = [p for p in story.places if p.source == "nominatim"]
    first, last = AR_TEXT.index(AR_NAME), AR_TEXT.rindex(AR_NAME)
    assert first != last
    assert [(m.start, m.end) for m in story.mentions_of(place.id)] == [(first, first + len(AR_NAME)), (last, last + len(AR_NAME))]


def test_english_unknown_town(fake_nominatim: FakeNominatim, tmp_cache: Path, gaz: gazetteer.Gazetteer) -> None:
    fake_nominatim.places["Xanadu"] = XANADU
    story = analyse(EN_TEXT, gazetteer=gaz, cache_path=tmp_cache, geocoder=geocoder(fake_nominatim))
    place = story.place("xanadu")
    assert (place.kind, place.country, place.source) == ("city", "CN", "nominatim")
    [m] = story.mentions_of("xanadu")
    assert EN_TEXT[m.start : m.end] == "Xanadu"
    assert fake_nominatim.search_requests[0].query.get("accept-language") == "en"


def test_offline_run_makes_no_request_and_reports_unresolved(
    fake_nominatim: FakeNominatim, tmp_cache: Path, gaz: gazetteer.Gazetteer
) -> None:
    fake_nominatim.places[AR_NAME] = ZEELAND
    story = analyse(AR_TEXT, gazetteer=gaz, cache_path=tmp_cache, geocoder=None)
    assert fake_nominatim.requests == []
    assert story.unresolved == (AR_NAME,)
    assert not tmp_cache.exists()


def test_not_found_is_unresolved_and_not_cached(fake_nominatim: FakeNominatim, tmp_cache: Path, gaz: gazetteer.Gazetteer) -> None:
    report = GeocodeReport()
    story = analyse(AR_TEXT, gazetteer=gaz, cache_path=tmp_cache, geocoder=geocoder(fake_nominatim), report=report)
    assert len(fake_nominatim.search_requests) == 1
    assert story.unresolved == (AR_NAME,)
    # The user can tell it was asked and not found (not a failure of the service).
    assert report.looked_up == [AR_NAME] and report.found == [] and AR_NAME not in report.failed
    assert not tmp_cache.exists() or name_key(AR_NAME) not in load(tmp_cache)


FAULTS = [
    pytest.param(lambda: Fault.server_error(500), "500", id="http-500"),
    pytest.param(lambda: Fault.server_error(503), "503", id="http-503"),
    pytest.param(lambda: Fault.garbage(), "GeocoderParseError", id="garbage-json"),
    pytest.param(lambda: Fault.garbage(b"[{"), "GeocoderParseError", id="truncated-json"),
    pytest.param(lambda: Fault.slow(3), "TimedOut", id="timeout"),
    pytest.param(lambda: Fault.too_many_requests(2), "rate-limited us (retry after 2", id="http-429"),
]


@pytest.mark.parametrize("make, why", FAULTS)
def test_service_faults_leave_a_complete_story_and_a_clean_cache(
    fake_nominatim: FakeNominatim, tmp_cache: Path, gaz: gazetteer.Gazetteer, make, why: str
) -> None:
    fake_nominatim.places[AR_NAME] = ZEELAND  # it would be found, were the service well
    fake_nominatim.faults.append(make())
    text = AR_TEXT + " وقال مسؤولون في موسكو إن الزيارة مهمة."
    report = GeocodeReport()
    story = analyse(
        text, gazetteer=gaz, cache_path=tmp_cache, geocoder=geocoder(fake_nominatim, timeout=0.5, max_retries=0), report=report
    )
    assert len(fake_nominatim.search_requests) == 1  # max_retries=0: no hidden retry
    assert story.unresolved == (AR_NAME,)
    assert "moscow" in {p.id for p in story.places}  # the offline part is unaffected
    assert why in report.failed[AR_NAME]
    assert not tmp_cache.exists() or name_key(AR_NAME) not in load(tmp_cache)
    # A later run (service well again) finds it: the failure was not cached as "unknown".
    later = analyse(text, gazetteer=gaz, cache_path=tmp_cache, geocoder=geocoder(fake_nominatim))
    assert later.unresolved == () and any(p.name == "Zeeland" for p in later.places)


def test_failure_reason_is_one_line(fake_nominatim: FakeNominatim, tmp_cache: Path, gaz: gazetteer.Gazetteer) -> None:
    fake_nominatim.faults.append(Fault.garbage(b"<html>\n<body>Bad gateway</body>\n</html>"))
    report = GeocodeReport()
    analyse(AR_TEXT, gazetteer=gaz, cache_path=tmp_cache, geocoder=geocoder(fake_nominatim, max_retries=0), report=report)
    assert "\n" not in report.failed[AR_NAME]  # the CLI prints it as one warning line


def test_one_failure_is_retried(fake_nominatim: FakeNominatim, tmp_cache: Path, gaz: gazetteer.Gazetteer) -> None:
    fake_nominatim.places[AR_NAME] = ZEELAND
    fake_nominatim.faults.append(Fault.server_error(502))
    report = GeocodeReport()
    story = analyse(AR_TEXT, gazetteer=gaz, cache_path=tmp_cache, geocoder=geocoder(fake_nominatim, max_retries=1), report=report)
    assert [r.fault is not None for r in fake_nominatim.search_requests] == [True, False]
    assert report.failed == {} and story.unresolved == ()


def test_at_most_one_request_per_second(fake_nominatim: FakeNominatim, tmp_cache: Path, gaz: gazetteer.Gazetteer) -> None:
    names = ["زيلاند", "كورنوفا", "مارابيلا"]
    for i, n in enumerate(names):
        fake_nominatim.places[n] = {**ZEELAND, "name": f"Place {i}", "osm_id": i, "lat": 50 + i}
    text = "زار الوفد بلدة زيلاند وقرية كورنوفا وبلدة مارابيلا."
    story = analyse(text, gazetteer=gaz, cache_path=tmp_cache, geocoder=OnlineGeocoder(domain=fake_nominatim.domain, scheme="http"))
    times = [r.time for r in fake_nominatim.search_requests]
    assert len(times) == 3 and story.unresolved == ()
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert all(g >= 0.95 for g in gaps), gaps  # Nominatim's usage policy: 1 request/s


def test_unreachable_service_is_a_one_line_failure(tmp_cache: Path, gaz: gazetteer.Gazetteer) -> None:
    # Nothing listens on port 9 of loopback: connection refused, as when offline.
    report = GeocodeReport()
    g = OnlineGeocoder(domain="127.0.0.1:9", scheme="http", timeout=1, min_delay_seconds=0.01, max_retries=0)
    story = analyse(AR_TEXT, gazetteer=gaz, cache_path=tmp_cache, geocoder=g, report=report)
    assert story.unresolved == (AR_NAME,)
    assert "Nominatim failed" in report.failed[AR_NAME]


def test_lookup_raises_geocoder_error_not_geopy_errors(fake_nominatim: FakeNominatim) -> None:
    fake_nominatim.faults.append(Fault.garbage())
    with pytest.raises(GeocoderError):
        geocoder(fake_nominatim, max_retries=0).lookup("k", "Anything", "en")


@pytest.mark.parametrize(
    "raw, kind",
    [
        ({"addresstype": "country", "type": "administrative", "class": "boundary"}, "country"),
        ({"addresstype": "city", "type": "city", "class": "place"}, "city"),
        ({"addresstype": "village", "type": "village", "class": "place"}, "city"),
        ({"type": "sea", "class": "natural"}, "water"),
        ({"addresstype": "state", "type": "administrative", "class": "boundary"}, "region"),
        ({"type": "museum", "class": "tourism"}, "site"),
    ],
)
def test_parse_result_kinds(raw: dict[str, str], kind: str) -> None:
    row = parse_result("k", "Name", {**raw, "lat": "10.5", "lon": "-20.25", "name": "Name", "address": {"country_code": "fr"}}, "en")
    assert (row.kind, row.lat, row.lon, row.country, row.source) == (kind, 10.5, -20.25, "FR", "nominatim")


def test_parse_result_rejects_impossible_coordinates() -> None:
    with pytest.raises(ValueError):
        parse_result("k", "Name", {"lat": "95", "lon": "0", "name": "Name"}, "en")

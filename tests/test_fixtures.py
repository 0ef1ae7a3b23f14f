"""The shared fixtures work for real: HTTP through geopy, Streamlit on loopback, a guarded browser."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from fake_nominatim import FakeNominatim, Fault
from geopy.adapters import URLLibAdapter
from geopy.exc import (
    GeocoderParseError,
    GeocoderRateLimited,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
)
from geopy.geocoders import Nominatim

USER_AGENT = "geo-storymap-tests"
VLADIVOSTOK = {
    "lat": 43.1056,
    "lon": 131.8735,
    "display_name": "Vladivostok, Primorsky Krai, Russia",
    "names": {"ar": "فلاديفوستوك، روسيا"},
    "country_code": "RU",
}
# Two places answer the same query, as with real ambiguous names.
MOSCOWS = [
    {"lat": 55.7558, "lon": 37.6173, "display_name": "Moscow, Russia", "country_code": "ru", "importance": 0.9},
    {"lat": 46.7324, "lon": -117.0002, "display_name": "Moscow, Idaho, United States", "country_code": "us"},
]


def _geocoder(fake: FakeNominatim, timeout: float = 5) -> Nominatim:
    return Nominatim(domain=fake.domain, scheme="http", user_agent=USER_AGENT, timeout=timeout)


def test_seed_fixtures(seed_text: str, seed_path: Path, tmp_cache: Path) -> None:
    assert seed_path.is_file()
    assert "فلاديفوستك" in seed_text or "فلاديفوستوك" in seed_text
    assert not tmp_cache.exists()
    tmp_cache.parent.mkdir(parents=True, exist_ok=True)
    tmp_cache.write_text("name\n", encoding="utf-8")  # a test may create it; it lives under tmp_path


def test_geopy_geocodes_through_fake_server_and_request_is_recorded(fake_nominatim: FakeNominatim) -> None:
    fake_nominatim.places["Vladivostok"] = VLADIVOSTOK
    location = _geocoder(fake_nominatim).geocode("  vladivostok ", addressdetails=True)

    assert location is not None
    assert (location.latitude, location.longitude) == pytest.approx((43.1056, 131.8735))
    assert location.raw["address"]["country_code"] == "ru"
    assert isinstance(location.raw["place_id"], int) and location.raw["class"] == "place"
    [request] = fake_nominatim.requests
    assert request.path == "/search"
    assert request.user_agent == USER_AGENT
    assert request.query["format"] == "json" and request.query["limit"] == "1"


def test_fake_server_honours_limit_language_and_address_details(fake_nominatim: FakeNominatim) -> None:
    fake_nominatim.places.update({"Vladivostok": VLADIVOSTOK, "moscow": MOSCOWS})
    geocoder = _geocoder(fake_nominatim)

    both = geocoder.geocode("Moscow", exactly_one=False, limit=5)
    assert [loc.raw["display_name"] for loc in both] == ["Moscow, Russia", "Moscow, Idaho, United States"]
    assert "address" not in both[0].raw  # only sent when addressdetails=1

    [idaho] = geocoder.geocode("Moscow", exactly_one=False, country_codes="us")
    assert idaho.longitude == pytest.approx(-117.0002)

    arabic = geocoder.geocode("Vladivostok", language="ar-EG,en;q=0.5")
    assert arabic.address == "فلاديفوستوك، روسيا"
    assert geocoder.geocode("Atlantis") is None


def test_scripted_faults_surface_as_geopy_errors(fake_nominatim: FakeNominatim) -> None:
    fake_nominatim.places["Vladivostok"] = VLADIVOSTOK
    fake_nominatim.faults.extend(
        [Fault.server_error(), Fault.too_many_requests(retry_after=7), Fault.garbage(), Fault.empty(), Fault.slow(2)]
    )
    # urllib's adapter makes exactly one request per call, so each fault maps to one error.
    geocoder = Nominatim(
        domain=fake_nominatim.domain, scheme="http", user_agent=USER_AGENT, timeout=0.3, adapter_factory=URLLibAdapter
    )

    with pytest.raises(GeocoderServiceError, match="500"):
        geocoder.geocode("Vladivostok")
    with pytest.raises(GeocoderRateLimited) as limited:
        geocoder.geocode("Vladivostok")
    assert limited.value.retry_after == 7
    with pytest.raises(GeocoderParseError):
        geocoder.geocode("Vladivostok")
    assert geocoder.geocode("Vladivostok") is None
    with pytest.raises(GeocoderTimedOut):
        geocoder.geocode("Vladivostok")
    # Faults are used up: the next request is answered normally.
    assert geocoder.geocode("Vladivostok") is not None
    assert [r.fault.kind if r.fault else None for r in fake_nominatim.requests] == [
        "status", "status", "garbage", "empty", "delay", None,
    ]  # fmt: skip


def test_default_adapter_retries_are_visible_in_the_request_log(fake_nominatim: FakeNominatim) -> None:
    """geopy's default (requests) adapter silently retries a 429 that has Retry-After and read
    timeouts, up to 3 requests per call; the log shows every one, so rate tests can count them."""
    fake_nominatim.faults.extend([Fault.too_many_requests(retry_after=0)] * 3 + [Fault.slow(2)] * 3)
    geocoder = _geocoder(fake_nominatim, timeout=0.3)

    with pytest.raises(GeocoderRateLimited):
        geocoder.geocode("Vladivostok")
    assert len(fake_nominatim.requests) == 3
    with pytest.raises(GeocoderUnavailable, match="(?i)timed out"):
        geocoder.geocode("Vladivostok")
    assert len(fake_nominatim.requests) == 6 and not fake_nominatim.faults


def test_requests_record_arrival_times_in_order(fake_nominatim: FakeNominatim) -> None:
    geocoder = _geocoder(fake_nominatim)
    for name in ("a", "b", "c"):
        geocoder.geocode(name)
    times = [r.time for r in fake_nominatim.search_requests]
    assert len(times) == 3 and times == sorted(times)
    assert [r.query["q"] for r in fake_nominatim.requests] == ["a", "b", "c"]


@pytest.fixture(scope="module")
def hello_script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    script = tmp_path_factory.mktemp("hello-app") / "hello_app.py"
    script.write_text(
        textwrap.dedent(
            """
            import streamlit as st

            st.title("Fixture check")
            st.write("مرحبا من الخادم المحلي")
            """
        ),
        encoding="utf-8",
    )
    return script


def test_start_streamlit_reports_server_output_when_it_cannot_start(start_streamlit, hello_script: Path) -> None:
    with pytest.raises(pytest.fail.Exception, match="(?s)exited with code .*no-such-option"):
        start_streamlit(hello_script, extra_args=["--no-such-option"])


@pytest.mark.browser
def test_page_shows_streamlit_script_and_blocks_the_internet(
    start_streamlit, hello_script: Path, page, blocked_requests: list[str], dialogs, page_errors: list[str]
) -> None:
    base_url = start_streamlit(hello_script)
    page.goto(base_url)
    page.get_by_text("مرحبا من الخادم المحلي").wait_for(timeout=30_000)
    assert page.get_by_role("heading", name="Fixture check").is_visible()
    # Streamlit itself needed nothing from the internet.
    assert blocked_requests == []

    outcome = page.evaluate("fetch('https://example.com/').then(() => 'reached', () => 'blocked')")
    assert outcome == "blocked"
    assert blocked_requests == ["https://example.com/"]
    assert page.blocked_requests is blocked_requests

    page.evaluate("() => { alert('<img src=x onerror=1>'); }")
    assert [(d.type, d.message) for d in dialogs] == [("alert", "<img src=x onerror=1>")]
    assert page_errors == []


@pytest.mark.browser
def test_page_blocks_external_websockets_and_subresources(page, blocked_requests: list[str]) -> None:
    page.set_content(
        "<img src='https://tile.openstreetmap.org/0/0/0.png'>"
        "<script>window.ws = new WebSocket('wss://example.org/socket');</script>"
    )
    page.wait_for_function("window.ws.readyState === WebSocket.CLOSED", timeout=10_000)
    assert "https://tile.openstreetmap.org/0/0/0.png" in blocked_requests
    assert "wss://example.org/socket" in blocked_requests

"""Online geocoding through geopy's Nominatim, used only when the user allows it.

The HTTP, timeouts, user agent and rate limit (≤ 1 request/s, Nominatim's usage policy) live here once;
``parse_reply`` turns a Nominatim reply of any JSON shape into a checked cache row (or a one-line
``GeocoderError``) and is pure.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from geopy.exc import (
    GeocoderQueryError,
    GeocoderRateLimited,
    GeocoderServiceError,
    GeopyError,
)
from geopy.geocoders import Nominatim

from geo import __version__
from geo.core.errors import GeocoderError, InputError
from geo.core.text import has_arabic
from geo.places.cache import MAX_NAME_CHARS, CachedPlace, now
from geo.places.guarded_http import GuardedAdapter
from geo.places.ratelimit import SharedRateLimit, default_rate_file

USER_AGENT = f"geo-storymap/{__version__} (news story maps; python-geopy)"

# Nominatim class/type/addresstype → our kinds.
_COUNTRY_TYPES = {"country"}
_CITY_TYPES = {"city", "town", "village", "municipality", "hamlet", "suburb", "borough", "quarter", "neighbourhood"}
_REGION_TYPES = {"state", "region", "province", "county", "district", "island", "archipelago", "peninsula", "continent"}
_WATER_CLASSES = {"natural", "waterway"}
_WATER_TYPES = {"sea", "bay", "strait", "water", "river", "ocean", "lake", "canal"}


MAX_REPLY_BYTES = 1 << 20  # a Nominatim answer with addressdetails is a few KB
_OSM_TYPES = {"node", "way", "relation", "N", "W", "R"}


def parse_reply(key: str, name: str, reply: Any, language: str) -> CachedPlace | None:
    """The first usable result of a Nominatim reply, whatever JSON it is; None when it is an empty list.

    Raises ``GeocoderError`` when the reply is not a list of places or none of its items is usable, so a
    hostile or broken service costs one name, never the run.
    """
    if isinstance(reply, dict):
        if "error" in reply:
            raise GeocoderError(f"Nominatim refused the query {_short(name)!r}: {_one_line(_text(reply['error']))}")
        reply = [reply]
    if not isinstance(reply, list):
        raise GeocoderError(f"Nominatim gave an unusable reply for {_short(name)!r}: a {type(reply).__name__}, not a list of places")
    if not reply:
        return None
    why = ""
    for raw in reply[:10]:
        if not isinstance(raw, dict):
            why = f"a {type(raw).__name__} where a place was expected"
            continue
        try:
            return parse_result(key, name, raw, language)
        except (KeyError, TypeError, ValueError) as err:
            why = _one_line(err)
    raise GeocoderError(f"Nominatim gave an unusable reply for {_short(name)!r}: {why}")


def parse_result(key: str, name: str, raw: dict[str, Any], language: str) -> CachedPlace:
    """A cache row from one Nominatim JSON result (with ``addressdetails``); every field checked and capped.

    Raises ``ValueError`` for a result without finite, in-range coordinates.
    """
    addresstype = _text(raw.get("addresstype") or raw.get("type"))
    cls, typ = _text(raw.get("class")), _text(raw.get("type"))
    if addresstype in _COUNTRY_TYPES:
        kind = "country"
    elif addresstype in _CITY_TYPES or typ in _CITY_TYPES:
        kind = "city"
    elif typ in _WATER_TYPES or cls in _WATER_CLASSES and typ in _WATER_TYPES:
        kind = "water"
    elif addresstype in _REGION_TYPES or typ in _REGION_TYPES or cls == "boundary":
        kind = "region"
    else:
        kind = "site"
    address = raw.get("address")
    address = address if isinstance(address, dict) else {}
    english = _string(raw.get("name")) or _string(raw.get("display_name")).split(",")[0]
    english = _short(english.strip()) or _short(name)
    country = _text(address.get("country_code")).upper()
    osm_type, osm_id = _text(raw.get("osm_type")), _text(raw.get("osm_id"))
    return CachedPlace(
        key=key,
        name=english if language != "ar" or not has_arabic(english) else _short(name),
        name_ar=_short(name) if language == "ar" else "",
        kind=kind,
        lat=_coordinate(raw.get("lat"), "lat"),
        lon=_coordinate(raw.get("lon"), "lon"),
        country=country if len(country) == 2 and country.isascii() and country.isalpha() else "",
        source="nominatim",
        source_id=f"{osm_type}/{osm_id}" if osm_type in _OSM_TYPES and osm_id.isdigit() and len(osm_id) <= 20 else "",
        retrieved_at=now(),
    )


def _text(value: Any) -> str:
    """A JSON scalar as text (numbers too); anything else (lists, objects, null) as ""."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def _string(value: Any) -> str:
    """A JSON string as is; a name sent as a number, list or object is no name."""
    return value if isinstance(value, str) else ""


def _short(s: str) -> str:
    """A name without control characters, at most ``MAX_NAME_CHARS`` long."""
    clean = "".join(c if c.isprintable() else " " for c in s[: MAX_NAME_CHARS * 2])
    return " ".join(clean.split())[:MAX_NAME_CHARS]


def _coordinate(value: Any, what: str) -> float:
    """A latitude or longitude from a JSON string or number; ``ValueError`` if it is not a finite number."""
    text = _text(value)
    if not text or len(text) > 32:
        raise ValueError(f"{what} is missing or not a number")
    number = float(text)  # ValueError for "abc"
    if not math.isfinite(number):
        raise ValueError(f"{what} {text} is not finite")
    return number


def _one_line(err: BaseException, limit: int = 160) -> str:
    """An exception's message on one line, cut short: replies can embed whole HTML bodies."""
    text = " ".join(str(err).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _RawNominatim(Nominatim):
    """geopy's Nominatim, handing back the JSON reply as it came: ``parse_reply`` checks its shape."""

    def _parse_json(self, places: Any, exactly_one: bool) -> Any:
        return places


@dataclass
class OnlineGeocoder:
    """Nominatim through geopy, rate-limited. ``domain``/``scheme`` point it at a mirror or a local test server.

    ``timeout`` is a total deadline per request (connect, headers and body), ``max_reply_bytes`` caps a reply,
    redirects go only to the same host. The rate limit is shared through ``rate_file`` by every geocoder of
    every process on the machine that talks to the same service (see ``geo.places.ratelimit``).
    """

    domain: str = "nominatim.openstreetmap.org"
    scheme: str = "https"
    user_agent: str = USER_AGENT
    timeout: float = 10.0
    min_delay_seconds: float = 1.0
    max_retries: int = 2
    max_reply_bytes: int = MAX_REPLY_BYTES
    rate_file: Path | None = None

    def __post_init__(self) -> None:
        def adapter(*, proxies: Any, ssl_context: Any) -> GuardedAdapter:
            return GuardedAdapter(proxies=proxies, ssl_context=ssl_context, deadline=self.timeout, max_bytes=self.max_reply_bytes)

        # One HTTP request per call (urllib, no hidden retries behind the rate limit's back).
        self._nominatim = _RawNominatim(
            domain=self.domain, scheme=self.scheme, user_agent=self.user_agent, timeout=self.timeout, adapter_factory=adapter
        )
        self._rate = SharedRateLimit(self.rate_file or default_rate_file(f"{self.scheme}://{self.domain}"), self.min_delay_seconds)

    @classmethod
    def at(cls, url: str = "", rate_file: Path | None = None) -> OnlineGeocoder:
        """A geocoder for a Nominatim base URL ("http://127.0.0.1:8080", a mirror); "" is the public service.

        ``rate_file`` shares the rate limit with every process using the same file (default: one per service).
        """
        if not url:
            return cls(rate_file=rate_file)
        parts = urlsplit(url if "://" in url else "http://" + url)
        if not parts.netloc or parts.scheme not in ("http", "https"):
            raise InputError(f"Nominatim URL {url!r}: give one such as http://127.0.0.1:8080")
        return cls(domain=parts.netloc + parts.path.rstrip("/"), scheme=parts.scheme, rate_file=rate_file)

    def lookup(self, key: str, name: str, language: str) -> CachedPlace | None:
        """The best Nominatim match for ``name``, or None when Nominatim knows no such place.

        Raises ``GeocoderError`` (one line, saying what happened) when the service fails or its reply is
        unusable. Names longer than ``MAX_NAME_CHARS`` are not sent.
        """
        if not name.strip() or len(name) > MAX_NAME_CHARS or len(key) > MAX_NAME_CHARS:
            raise GeocoderError(f"name of {len(name):,} characters not looked up (limit {MAX_NAME_CHARS})")
        for attempt in range(self.max_retries + 1):
            self._rate.wait()
            try:
                reply = self._nominatim.geocode(name, exactly_one=False, addressdetails=True, language=language or "en")
                break
            except GeocoderQueryError as err:
                raise GeocoderError(f"Nominatim refused the query {name!r}: {_one_line(err)}") from err
            except GeocoderRateLimited as err:
                if attempt == self.max_retries:
                    raise GeocoderError(f"Nominatim rate-limited us (retry after {err.retry_after}s): try again later") from err
                time.sleep(min(float(err.retry_after or 0), 5.0))  # the shared limit adds its own interval
            except GeocoderServiceError as err:
                if attempt == self.max_retries:
                    raise GeocoderError(f"Nominatim failed for {name!r}: {type(err).__name__}: {_one_line(err)}") from err
            except (GeopyError, ValueError, TypeError) as err:
                raise GeocoderError(f"Nominatim gave an unusable reply for {name!r}: {_one_line(err)}") from err
        return parse_reply(key, name, reply, language)

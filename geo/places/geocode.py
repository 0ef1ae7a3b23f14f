"""Online geocoding through geopy's Nominatim, used only when the user allows it.

The HTTP, timeouts, user agent and rate limit (≤ 1 request/s, Nominatim's usage policy) live here once;
``parse_result`` turns a Nominatim reply into a cache row and is pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from geopy.adapters import URLLibAdapter
from geopy.exc import (
    GeocoderQueryError,
    GeocoderRateLimited,
    GeocoderServiceError,
    GeopyError,
)
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim

from geo import __version__
from geo.core.errors import GeocoderError, InputError
from geo.places.cache import CachedPlace, now

USER_AGENT = f"geo-storymap/{__version__} (news story maps; python-geopy)"
NOMINATIM_URL_ENV = "GEO_NOMINATIM"  # a mirror or a local server instead of nominatim.openstreetmap.org

# Nominatim class/type/addresstype → our kinds.
_COUNTRY_TYPES = {"country"}
_CITY_TYPES = {"city", "town", "village", "municipality", "hamlet", "suburb", "borough", "quarter", "neighbourhood"}
_REGION_TYPES = {"state", "region", "province", "county", "district", "island", "archipelago", "peninsula", "continent"}
_WATER_CLASSES = {"natural", "waterway"}
_WATER_TYPES = {"sea", "bay", "strait", "water", "river", "ocean", "lake", "canal"}


def parse_result(key: str, name: str, raw: dict[str, Any], language: str) -> CachedPlace:
    """A cache row from one Nominatim JSON result (with ``addressdetails``)."""
    addresstype = str(raw.get("addresstype") or raw.get("type") or "")
    cls, typ = str(raw.get("class") or ""), str(raw.get("type") or "")
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
    address = raw.get("address") or {}
    english = str(raw.get("name") or raw.get("display_name", name).split(",")[0]).strip() or name
    return CachedPlace(
        key=key,
        name=english if language != "ar" or not _is_arabic(english) else name,
        name_ar=name if language == "ar" else "",
        kind=kind,
        lat=float(raw["lat"]),
        lon=float(raw["lon"]),
        country=str(address.get("country_code") or "").upper()[:2],
        source="nominatim",
        source_id=f"{raw.get('osm_type', '')}/{raw.get('osm_id', '')}".strip("/"),
        retrieved_at=now(),
    )


def _one_line(err: BaseException, limit: int = 160) -> str:
    """An exception's message on one line, cut short: replies can embed whole HTML bodies."""
    text = " ".join(str(err).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_arabic(s: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in s)


@dataclass
class OnlineGeocoder:
    """Nominatim through geopy, rate-limited. ``domain``/``scheme`` point it at a mirror or a local test server."""

    domain: str = "nominatim.openstreetmap.org"
    scheme: str = "https"
    user_agent: str = USER_AGENT
    timeout: float = 10.0
    min_delay_seconds: float = 1.0
    max_retries: int = 2

    def __post_init__(self) -> None:
        # URLLibAdapter sends exactly one HTTP request per call: the default requests adapter retries
        # inside urllib3 (429, timeouts), behind the rate limiter's back.
        self._nominatim = Nominatim(
            domain=self.domain,
            scheme=self.scheme,
            user_agent=self.user_agent,
            timeout=self.timeout,
            adapter_factory=URLLibAdapter,
        )
        self._geocode = RateLimiter(
            self._nominatim.geocode,
            min_delay_seconds=self.min_delay_seconds,
            max_retries=self.max_retries,
            error_wait_seconds=max(2.0, self.min_delay_seconds),
            swallow_exceptions=False,
        )

    @classmethod
    def at(cls, url: str = "") -> OnlineGeocoder:
        """A geocoder for a Nominatim base URL ("http://127.0.0.1:8080", a mirror); "" is the public service."""
        if not url:
            return cls()
        parts = urlsplit(url if "://" in url else "http://" + url)
        if not parts.netloc or parts.scheme not in ("http", "https"):
            raise InputError(f"Nominatim URL {url!r}: give one such as http://127.0.0.1:8080")
        return cls(domain=parts.netloc + parts.path.rstrip("/"), scheme=parts.scheme)

    def lookup(self, key: str, name: str, language: str) -> CachedPlace | None:
        """The best Nominatim match for ``name``, or None when Nominatim knows no such place.

        Raises ``GeocoderError`` (one line, saying what happened) when the service fails.
        """
        try:
            loc = self._geocode(name, exactly_one=True, addressdetails=True, language=language or "en")
        except GeocoderRateLimited as err:
            raise GeocoderError(f"Nominatim rate-limited us (retry after {err.retry_after}s): try again later") from err
        except GeocoderQueryError as err:
            raise GeocoderError(f"Nominatim refused the query {name!r}: {_one_line(err)}") from err
        except GeocoderServiceError as err:
            raise GeocoderError(f"Nominatim failed for {name!r}: {type(err).__name__}: {_one_line(err)}") from err
        except (GeopyError, ValueError, KeyError, TypeError) as err:
            raise GeocoderError(f"Nominatim gave an unusable reply for {name!r}: {_one_line(err)}") from err
        if loc is None:
            return None
        try:
            return parse_result(key, name, loc.raw, language)
        except (KeyError, TypeError, ValueError) as err:
            raise GeocoderError(f"Nominatim gave an unusable result for {name!r}: {err}") from err

"""A local stand-in for the Nominatim search API, for tests that need the real HTTP path.

Nominatim itself is on the internet, which tests may not use. This server speaks enough of
its ``/search`` API for geopy's ``Nominatim(domain=..., scheme="http")`` to work against it
unchanged, records every request (so tests can check the user agent and the request rate),
and can be scripted to misbehave the way a public service does: 429 with ``Retry-After``,
5xx, slow answers, garbage bodies, empty results — and the way a hostile or broken one does:
any JSON shape, a body dripped a byte at a time, an oversized body, a redirect to another host.
Every misbehaviour is bounded in bytes and seconds, so the server always stops by itself.

Canned places are a mapping from a query (compared case-insensitively, surrounding spaces
ignored) to one place or a list of places; a place is a mapping with at least ``lat``,
``lon`` and ``display_name``. Optional keys: ``name``, ``country_code``, ``class``, ``type``,
``importance``, ``addresstype``, ``osm_type``, ``osm_id``, ``place_id``, ``address`` (extra
address fields) and ``names`` (``{"ar": "...", "en": "..."}``, chosen by ``accept-language``).
"""

from __future__ import annotations

import json
import threading
import time
import zlib
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

__all__ = ["Fault", "FakeNominatim", "RecordedRequest", "nominatim_result"]

FaultKind = Literal["status", "delay", "garbage", "empty", "json", "drip", "huge", "redirect"]


@dataclass(frozen=True)
class Fault:
    """One scripted misbehaviour, applied to one request.

    Build them with the class methods; ``FakeNominatim.faults`` holds the queue.
    """

    kind: FaultKind
    status: int = 200
    retry_after: str | None = None
    delay: float = 0.0
    body: bytes = b""
    size: int = 0
    location: str = ""

    @classmethod
    def too_many_requests(cls, retry_after: int | str | None = 1) -> Fault:
        """HTTP 429, as Nominatim answers a client that exceeds 1 request/s."""
        return cls("status", status=429, retry_after=None if retry_after is None else str(retry_after))

    @classmethod
    def server_error(cls, status: int = 500) -> Fault:
        """An HTTP error status (500 by default; 502/503/504 also useful)."""
        return cls("status", status=status)

    @classmethod
    def slow(cls, seconds: float) -> Fault:
        """Wait ``seconds`` and then answer normally: longer than a client's timeout is a timeout."""
        return cls("delay", delay=seconds)

    @classmethod
    def garbage(cls, body: bytes = b"<html><body>Service temporarily unavailable</body></html>") -> Fault:
        """HTTP 200 whose body is not JSON (a captive portal or proxy error page)."""
        return cls("garbage", body=body)

    @classmethod
    def empty(cls) -> Fault:
        """HTTP 200 with ``[]``: Nominatim found nothing, whatever the query."""
        return cls("empty")

    @classmethod
    def reply(cls, payload: Any) -> Fault:
        """HTTP 200 with ``payload`` as the JSON body, whatever its shape (``[1]``, ``{"lat": …}``, …)."""
        return cls("json", body=json.dumps(payload).encode("utf-8"))

    @classmethod
    def drip(cls, interval: float, size: int = 40) -> Fault:
        """A valid-looking reply of ``size`` bytes sent one byte every ``interval`` seconds.

        Each read by the client gets a byte before any socket timeout, so only a total deadline stops it.
        """
        return cls("drip", delay=interval, size=size)

    @classmethod
    def huge(cls, size: int) -> Fault:
        """HTTP 200 with a JSON body of ``size`` bytes (a list of one place padded with a long name)."""
        return cls("huge", size=size)

    @classmethod
    def redirect(cls, location: str, status: int = 302) -> Fault:
        """An HTTP redirect to ``location`` (another host, to test that it is not followed)."""
        return cls("redirect", status=status, location=location)


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it. ``time`` is ``time.monotonic()`` on arrival."""

    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]
    time: float
    fault: Fault | None = None

    @property
    def user_agent(self) -> str | None:
        """The User-Agent header, which Nominatim's usage policy requires to be real."""
        return self.headers.get("user-agent")


def _preferred_languages(value: str) -> list[str]:
    """Language tags from an Accept-Language value, best first (``"ar,en;q=0.8"`` → ar, en)."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(value.split(",")):
        tag, _, params = part.strip().partition(";")
        if not tag:
            continue
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, position, tag.strip().lower()))
    return [tag for _, _, tag in sorted(ranked)]


def nominatim_result(
    key: str,
    index: int,
    place: Mapping[str, Any],
    *,
    languages: Iterable[str] = (),
    address_details: bool = False,
    jsonv2: bool = False,
) -> dict[str, Any]:
    """Turn one canned place into the JSON object Nominatim returns for it."""
    names: Mapping[str, str] = place.get("names", {})
    display_name = str(place["display_name"])
    for tag in languages:
        # "ar-EG" falls back to "ar", as Nominatim does with its name:xx tags.
        chosen = names.get(tag) or names.get(tag.split("-")[0])
        if chosen:
            display_name = chosen
            break
    name = str(place.get("name", display_name.split(",")[0].strip()))
    # Stable ids derived from the query, so repeated runs give the same answers.
    stable = zlib.crc32(f"{key}#{index}".encode())
    result: dict[str, Any] = {
        "place_id": place.get("place_id", stable),
        "licence": "Data © OpenStreetMap contributors, ODbL 1.0. https://osm.org/copyright",
        "osm_type": place.get("osm_type", "node"),
        "osm_id": place.get("osm_id", stable % 10_000_000),
        # Nominatim sends coordinates as strings; clients must convert them.
        "lat": str(place["lat"]),
        "lon": str(place["lon"]),
        "class": place.get("class", "place"),
        "type": place.get("type", "city"),
        "importance": place.get("importance", 0.5),
        "addresstype": place.get("addresstype", place.get("type", "city")),
        "name": name,
        "display_name": display_name,
        "boundingbox": [
            str(float(place["lat"]) - 0.1),
            str(float(place["lat"]) + 0.1),
            str(float(place["lon"]) - 0.1),
            str(float(place["lon"]) + 0.1),
        ],
    }
    if jsonv2:
        result["category"] = result.pop("class")
        result["place_rank"] = place.get("place_rank", 16)
    if address_details:
        address = dict(place.get("address", {}))
        if "country_code" in place:
            address.setdefault("country_code", str(place["country_code"]).lower())
        result["address"] = address
    return result


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Stay quiet: pytest shows test output, not access logs."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        fake = self.server.fake
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        headers = {k.lower(): v for k, v in self.headers.items()}
        fault = fake._next_fault()
        fake._record(RecordedRequest(parts.path, query, headers, time.monotonic(), fault))
        try:
            self._answer(fake, parts.path, query, headers, fault)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (its timeout was shorter than our delay): that was the point.
            pass

    def _answer(
        self,
        fake: FakeNominatim,
        path: str,
        query: Mapping[str, str],
        headers: Mapping[str, str],
        fault: Fault | None,
    ) -> None:
        if fault is not None and fault.kind == "delay":
            time.sleep(fault.delay)
        elif fault is not None and fault.kind == "status":
            extra = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
            self._send(fault.status, {"error": f"scripted HTTP {fault.status}"}, extra)
            return
        elif fault is not None and fault.kind == "garbage":
            self._send_bytes(200, fault.body, "text/html; charset=utf-8")
            return
        elif fault is not None and fault.kind == "empty":
            self._send(200, [])
            return
        elif fault is not None and fault.kind == "json":
            self._send_bytes(200, fault.body, "application/json; charset=utf-8")
            return
        elif fault is not None and fault.kind == "drip":
            self._drip(fault)
            return
        elif fault is not None and fault.kind == "huge":
            self._huge(fault.size)
            return
        elif fault is not None and fault.kind == "redirect":
            self._send_bytes(fault.status, b"", "text/plain", {"Location": fault.location})
            return

        if path.rstrip("/") not in ("/search", "/search.php"):
            self._send(404, {"error": f"unknown endpoint {path}"})
            return
        fmt = query.get("format", "")
        if fmt not in ("json", "jsonv2"):
            # The real service defaults to other formats; a client must ask for JSON explicitly.
            self._send(400, {"error": f"format={fmt!r} not supported by the fake; use json"})
            return
        try:
            limit = max(1, min(int(query.get("limit", "10")), 50))
        except ValueError:
            self._send(400, {"error": "limit must be an integer"})
            return
        language = query.get("accept-language") or headers.get("accept-language", "")
        wanted_countries = {c.strip().lower() for c in query.get("countrycodes", "").split(",") if c.strip()}
        text = query.get("q") or ", ".join(
            query[k] for k in ("street", "city", "county", "state", "country", "postalcode") if query.get(k)
        )
        key = " ".join(text.split()).casefold()
        results = []
        for index, place in enumerate(fake._lookup(key)):
            if wanted_countries and str(place.get("country_code", "")).lower() not in wanted_countries:
                continue
            results.append(
                nominatim_result(
                    key,
                    index,
                    place,
                    languages=_preferred_languages(language),
                    address_details=query.get("addressdetails") == "1",
                    jsonv2=fmt == "jsonv2",
                )
            )
        self._send(200, results[:limit])

    def _drip(self, fault: Fault) -> None:
        """Headers at once, then the body a byte at a time; stops when the client hangs up or after ``size`` bytes."""
        body = (b'[{"lat": "1", "lon": "2", "display_name": "x"}]' + b" " * fault.size)[: max(fault.size, 1)]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.flush()
        for i in range(len(body)):
            self.wfile.write(body[i : i + 1])
            self.wfile.flush()
            time.sleep(fault.delay)

    def _huge(self, size: int) -> None:
        """A JSON list of one place whose name pads the body to ``size`` bytes, streamed in 64 KB chunks."""
        head, tail = b'[{"lat": "1", "lon": "2", "display_name": "', b'"}]'
        pad = max(size - len(head) - len(tail), 0)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(head) + pad + len(tail)))
        self.end_headers()
        self.wfile.write(head)
        chunk = b"a" * 65536
        while pad > 0:
            self.wfile.write(chunk[: min(pad, len(chunk))])
            pad -= len(chunk)
        self.wfile.write(tail)

    def _send(self, status: int, payload: Any, extra_headers: Mapping[str, str] | None = None) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self._send_bytes(status, body, "application/json; charset=utf-8", extra_headers)

    def _send_bytes(
        self, status: int, body: bytes, content_type: str, extra_headers: Mapping[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra_headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeNominatim) -> None:
        self.fake = fake
        super().__init__(("127.0.0.1", 0), _Handler)


@dataclass
class FakeNominatim:
    """A running fake Nominatim on 127.0.0.1. Use as a context manager, or ``start``/``stop``.

    ``places`` and ``faults`` may be changed while the server runs; each request takes the
    next fault from the front of ``faults`` (if any) and is recorded in ``requests``.
    """

    places: dict[str, Any] = field(default_factory=dict)
    faults: deque[Fault] = field(default_factory=deque)
    requests: list[RecordedRequest] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _server: _Server | None = field(default=None, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.faults = deque(self.faults)

    @property
    def port(self) -> int:
        """The port the server listens on (chosen by the OS)."""
        if self._server is None:
            raise RuntimeError("FakeNominatim is not running; call start() first")
        return int(self._server.server_address[1])

    @property
    def domain(self) -> str:
        """``host:port``, what geopy's ``Nominatim(domain=...)`` wants."""
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """Base URL, for clients that take one."""
        return f"http://{self.domain}"

    @property
    def search_requests(self) -> list[RecordedRequest]:
        """Recorded requests to ``/search`` only."""
        with self._lock:
            return [r for r in self.requests if r.path.rstrip("/") in ("/search", "/search.php")]

    def start(self) -> FakeNominatim:
        """Start serving in a daemon thread."""
        if self._server is None:
            self._server = _Server(self)
            self._thread = threading.Thread(target=self._server.serve_forever, name="fake-nominatim", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeNominatim:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _next_fault(self) -> Fault | None:
        with self._lock:
            return self.faults.popleft() if self.faults else None

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _lookup(self, key: str) -> list[Mapping[str, Any]]:
        with self._lock:
            for query, found in self.places.items():
                if " ".join(query.split()).casefold() == key:
                    return [found] if isinstance(found, Mapping) else list(found)
        return []

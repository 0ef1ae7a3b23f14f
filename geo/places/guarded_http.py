"""geopy's urllib adapter with the limits a public or hostile service needs.

- A total deadline per request: geopy's ``timeout`` bounds each socket read, so a server that drips a byte
  every few seconds holds a request for ever. A timer shuts the request's socket down when the deadline
  passes, wherever the request is (connecting, headers, body).
- A size cap: a reply over ``max_bytes`` is refused without reading the rest (Content-Length, or counted).
- Redirects only to the same scheme and host: a redirect elsewhere would send our User-Agent to a third
  party and cache its answer as Nominatim's.
"""

from __future__ import annotations

import http.client
import socket
import threading
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlsplit
from urllib.request import (
    HTTPHandler,
    HTTPRedirectHandler,
    HTTPSHandler,
    ProxyHandler,
    build_opener,
)

from geopy.adapters import AdapterHTTPError, URLLibAdapter
from geopy.exc import GeocoderParseError, GeocoderServiceError, GeocoderTimedOut

_current = threading.local()  # the deadline of the request this thread is making


class _Deadline:
    """Shuts down every socket a request opened once ``seconds`` have passed."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def add(self, sock: socket.socket) -> None:
        with self._lock:
            if self.expired:
                _shutdown(sock)
            self._sockets.append(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shutdown(sock)

    def __enter__(self) -> _Deadline:
        _current.deadline = self
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        _current.deadline = None


def _shutdown(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)  # wakes a blocked recv at once; close() alone would not
    except OSError:
        pass


def _register(sock: Any) -> None:
    deadline = getattr(_current, "deadline", None)
    if deadline is not None and sock is not None:
        deadline.add(sock)


class _HTTPConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _register(self.sock)


class _HTTPSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        _register(self.sock)


class _HTTP(HTTPHandler):
    def http_open(self, req: Any) -> Any:
        return self.do_open(_HTTPConnection, req)


class _HTTPS(HTTPSHandler):
    def https_open(self, req: Any) -> Any:
        return self.do_open(_HTTPSConnection, req, context=self._context)


class _SameHostRedirects(HTTPRedirectHandler):
    max_redirections = 3

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        old, new = urlsplit(req.full_url), urlsplit(newurl)
        if (new.scheme, new.netloc.lower()) != (old.scheme, old.netloc.lower()):
            where = new.netloc or newurl[:80]
            raise HTTPError(req.full_url, code, f"redirect to another host ({where}) refused", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class GuardedAdapter(URLLibAdapter):
    """``URLLibAdapter`` with a total deadline per request, a reply size cap and same-host redirects only."""

    def __init__(self, *, proxies: Any, ssl_context: Any, deadline: float, max_bytes: int) -> None:
        super().__init__(proxies=proxies, ssl_context=ssl_context)
        self.deadline = deadline
        self.max_bytes = max_bytes
        handlers = [h for h in self.urlopen.__self__.handlers if isinstance(h, ProxyHandler)]
        opener = build_opener(_HTTP(), _HTTPS(context=ssl_context), _SameHostRedirects(), *handlers)
        self.urlopen = opener.open

    def get_text(self, url: str, *, timeout: float, headers: dict[str, str]) -> str:
        with _Deadline(self.deadline) as deadline:
            try:
                return super().get_text(url, timeout=min(timeout, self.deadline), headers=headers)
            except (GeocoderServiceError, OSError, http.client.HTTPException) as err:
                if deadline.expired:
                    raise GeocoderTimedOut(f"no complete reply within {self.deadline:g}s") from None
                if isinstance(err, (GeocoderServiceError, AdapterHTTPError)):
                    raise  # geopy turns an HTTP status into its own error (429 → GeocoderRateLimited)
                raise GeocoderServiceError(f"{type(err).__name__}: {err}") from err

    def _decode_page(self, page: Any) -> str:
        length = page.headers.get("Content-Length", "")
        if length.strip().isdigit() and int(length) > self.max_bytes:
            raise GeocoderServiceError(f"reply of {int(length):,} bytes is over the {self.max_bytes:,}-byte limit")
        chunks, total = [], 0
        while True:
            chunk = page.read(65536)
            if not chunk:
                break
            total += len(chunk)
            if total > self.max_bytes:
                raise GeocoderServiceError(f"reply over the {self.max_bytes:,}-byte limit")
            chunks.append(chunk)
        deadline = getattr(_current, "deadline", None)
        if deadline is not None and deadline.expired:  # a socket shut down by the deadline reads as EOF
            raise GeocoderTimedOut(f"no complete reply within {deadline.seconds:g}s")
        charset = page.headers.get_content_charset() or "utf-8"
        try:
            return b"".join(chunks).decode(charset)
        except (LookupError, UnicodeDecodeError) as err:
            raise GeocoderParseError(f"reply is not {charset} text") from err

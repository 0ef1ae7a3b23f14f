"""The Streamlit server's own TCP sockets: Nagle's algorithm off, so a page's ~110 files are not each held 40 ms.

Streamlit 1.67 binds its listening socket itself (``socket.socket(family=…)``, protocol 0) and hands it to
uvicorn. asyncio turns Nagle's algorithm off only on sockets whose protocol reads ``IPPROTO_TCP``
(``asyncio.base_events._set_nodelay``), so every connection the server accepts keeps it on. A response is a
header write and then a body write: on a kept-alive connection the body waits for the browser's ACK of the
header, which Linux delays by 40 ms. Measured on loopback against this app's server: the first request of a
connection 1 ms, every later one 44–48 ms, for a 2-byte health check as for a 480 KB bundle; the page loads
~110 files over Chromium's 6 connections per host, so ~0.7 s of each page load was this wait.

:func:`disable_nagle` sets ``TCP_NODELAY`` on every TCP socket of this process: the listening socket (Linux
copies the option to each connection it accepts) and the connections already open. The page calls it once
per server process; any platform without ``/dev/fd`` or these options is left as it is.
"""

from __future__ import annotations

import os
import socket
import stat


def _tcp_fds() -> list[int]:
    """File descriptors of this process that are sockets (TCP or not: the caller checks)."""
    try:
        names = os.listdir("/dev/fd")
    except OSError:
        return []
    fds = []
    for name in names:
        try:
            fd = int(name)
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                fds.append(fd)
        except (ValueError, OSError):  # the listing's own descriptor is gone by now
            continue
    return fds


def disable_nagle() -> int:
    """Set ``TCP_NODELAY`` on this process's IPv4/IPv6 stream sockets; returns how many were set."""
    done = 0
    for fd in _tcp_fds():
        try:
            # A duplicate descriptor: closing it leaves the server's socket open; the options are shared.
            with socket.socket(fileno=os.dup(fd)) as sock:  # family and type read from the descriptor
                if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.type != socket.SOCK_STREAM:
                    continue
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                done += 1
        except OSError:  # not a TCP socket (a Unix socket, a socketpair), or already closed
            continue
    return done

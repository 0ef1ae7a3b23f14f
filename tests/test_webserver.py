"""geo.webserver: Nagle's algorithm off on the process's TCP sockets, as Streamlit's server needs it."""

from __future__ import annotations

import socket
import sys

import pytest

from geo.webserver import disable_nagle


def _nodelay(sock: socket.socket) -> int:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="accepted sockets inherit TCP_NODELAY on Linux")
def test_listening_and_open_connections_get_nodelay_and_new_connections_inherit_it() -> None:
    # Bound as Streamlit binds its server socket: protocol 0, so asyncio leaves Nagle on for what it accepts.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener, socket.socket(socket.AF_UNIX) as unix:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        with socket.create_connection(listener.getsockname()) as client:
            server_side, _ = listener.accept()
            with server_side:
                assert server_side.proto == 0 and _nodelay(server_side) == 0
                assert disable_nagle() >= 3  # the listener, both ends of the open connection (and any other)
                assert _nodelay(listener) and _nodelay(server_side) and _nodelay(client)
        with socket.create_connection(listener.getsockname()), listener.accept()[0] as accepted_later:
            assert _nodelay(accepted_later)
        assert unix.fileno() >= 0  # a Unix socket is passed over, left open and unchanged

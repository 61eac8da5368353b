"""Loopback ports for servers a test starts (and for endpoints nothing answers)."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A loopback port nothing listens on now: a server may bind it, a client is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]

"""Helpers behind the tracker's fixtures, shared with its browser test (tests/e2e)."""

from __future__ import annotations


def sandbox_on(live_server, settings) -> str:
    """Point the sandbox base URL at the live server (so its tracker URLs are accepted and texts go to
    its Twilio stand-in); the tracker's sandbox base URL."""
    settings.SANDBOX_BASE_URL = f"{live_server.url}/sandbox"
    settings.TRACKER_TIMEOUT_SECONDS = 1
    settings.TRACKER_SANDBOX_HANG_SECONDS = 3
    from tracker.clients import _tracker_client, _twilio_client

    _tracker_client.cache_clear()
    _twilio_client.cache_clear()
    return f"{live_server.url}/sandbox/tracker"

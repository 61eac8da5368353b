"""Helpers behind the scraper's fixtures (tests/scraper/fixtures.py)."""

from __future__ import annotations


def sandbox_on(live_server, settings) -> str:
    """Point the sandbox base URL and MOVIES_PAGE_URL at the live server; its scraper sandbox URL."""
    base = f"{live_server.url}/sandbox/scraper"
    settings.SANDBOX_BASE_URL = f"{live_server.url}/sandbox"
    settings.MOVIES_PAGE_URL = f"{base}/movies/"
    return base

"""The scraper's sandbox fixture, for tests/scraper (its conftest) and the browser test (tests/e2e)."""

from __future__ import annotations

import pytest

from tests.scraper.helpers import sandbox_on


@pytest.fixture
def sandbox(live_server, settings):
    """The sandbox stand-in's base URL (``.../sandbox/scraper``), which MOVIES_PAGE_URL now points at."""
    return sandbox_on(live_server, settings)

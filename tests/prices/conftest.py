"""Prices fixtures: the open-data stand-in on a live server (tests/prices/fixtures.py), or `responses`."""

from __future__ import annotations

import pytest

from tests.prices import fixtures

sandbox = fixtures.sandbox  # shared with tests/e2e


@pytest.fixture
def upstream(settings):
    """``responses`` standing in for the open data (for answers the sandbox never gives)."""
    import responses

    from prices import clients

    settings.NY_OPEN_DATA_BASE_URL = "https://data.ny.gov"
    clients._client.cache_clear()
    with responses.RequestsMock() as mock:
        yield mock
    clients._client.cache_clear()

"""Prices fixtures: the open-data stand-in on a live server, and the local event runner."""

from __future__ import annotations

import pytest

from tests.prices.helpers import sandbox_on


@pytest.fixture
def sandbox(live_server, settings):
    """The stand-in's base URL (``.../sandbox/prices``), which the open-data client now calls."""
    yield sandbox_on(live_server, settings)
    from prices.sandbox import data

    data.appended_reset()


@pytest.fixture
def runner(aws):
    """The local event runner on the stage's real declarations (a fresh emulator: empty streams)."""
    from tests.scraper.helpers import local_runner

    with local_runner() as events:
        yield events


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

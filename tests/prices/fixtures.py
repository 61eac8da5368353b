"""The prices sandbox fixture, for tests/prices (its conftest) and the browser test (tests/e2e)."""

from __future__ import annotations

import pytest

from tests.prices.helpers import sandbox_on


@pytest.fixture
def sandbox(live_server, settings):
    """The stand-in's base URL (``.../sandbox/prices``), which the open-data client now calls."""
    yield sandbox_on(live_server, settings)
    from prices.sandbox import data

    data.appended_reset()

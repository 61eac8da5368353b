"""The tracker's sandbox fixture, for tests/tracker (its conftest) and the browser test (tests/e2e)."""

from __future__ import annotations

import pytest

from tests.tracker.helpers import sandbox_on


@pytest.fixture
def sandbox(live_server, settings, aws):
    """The sandbox's base URL on the live server (tracker URLs and texts go there); short timeouts."""
    return sandbox_on(live_server, settings)

"""The countries upstream fixture, for tests/countries (its conftest) and the browser test (tests/e2e)."""

from __future__ import annotations

import pytest

from tests.countries.helpers import sandbox_on


@pytest.fixture
def upstream(live_server, settings, aws):
    """REST Countries is the sandbox stand-in on the live server; ``upstream.mode("fail/503")`` switches it."""

    class Upstream:
        url = sandbox_on(live_server.url, settings)

        def mode(self, mode: str) -> str:
            self.url = sandbox_on(live_server.url, settings, mode)
            return self.url

    settings.COUNTRIES_DEFER_SECONDS = 0
    return Upstream()

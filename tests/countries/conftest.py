"""Countries fixtures: the REST Countries stand-in on a live server, and the local event runner."""

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


@pytest.fixture
def runner(aws):
    from tests.scraper.helpers import local_runner

    with local_runner() as events:
        yield events

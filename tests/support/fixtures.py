"""Fixtures every test package shares (registered by tests/conftest.py, so tests/e2e has them too)."""

from __future__ import annotations

import pytest

from tests.support.runner import local_runner


@pytest.fixture
def runner(aws):
    """The local event runner on the stage's real declarations (the emulator emptied, as before every test);
    ``runner.drain()`` ticks until nothing is left to deliver."""
    with local_runner() as events:
        yield events

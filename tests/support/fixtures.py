"""Fixtures every test package shares (registered by tests/conftest.py, so tests/e2e has them too)."""

from __future__ import annotations

import pytest

from tests.support.runner import local_runner


@pytest.fixture
def runner(aws_fresh):
    """The local event runner on the stage's real declarations (a fresh emulator: empty streams);
    ``runner.drain()`` ticks until nothing is left to deliver."""
    with local_runner() as events:
        yield events

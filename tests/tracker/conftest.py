"""Tracker fixtures: the sandbox tracker and Twilio on a live server (tests/tracker/fixtures.py), orders on it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core import clock as product_clock
from tests.tracker import fixtures

sandbox = fixtures.sandbox  # shared with tests/e2e


@pytest.fixture
def place(sandbox, clock):
    """``place(mode=NORMAL, walk=300)``: a sandbox cart placed now; returns its tracker URL."""
    from tests.tracker.factories import cart_url

    def make(mode: int = 0, walk: int = 300) -> str:
        return cart_url(sandbox, mode=mode, walk=walk)

    return make


@pytest.fixture(autouse=True)
def _twilio_answers_normally():
    from tracker.sandbox.views import twilio_fail_next

    twilio_fail_next(0)
    yield
    twilio_fail_next(0)


@pytest.fixture(autouse=True)
def _no_remembered_tokens():
    from tracker.tokens import tokens_forget

    tokens_forget()


@pytest.fixture
def at(clock):
    """``at(seconds)``: the clock that many seconds after the test started (sandbox and poll alike)."""
    start = product_clock.now()

    def move(seconds: float):
        clock.set(start + timedelta(seconds=seconds))

    move(0)
    return move

"""Routines fixtures: alice's Morning routine (the original app's sample) and a clock to pin."""

from datetime import datetime

import pytest

MORNING_ITEMS = [
    "Shower",
    "Get dressed",
    "Take pills",
    "Make coffee",
    "Make breakfast",
    "Eat breakfast",
    "Get badge",
]


@pytest.fixture
def morning(alice):
    from routines.services import routine_create

    return routine_create(
        owner=alice, name="Morning", description="Getting up and out the door", items=MORNING_ITEMS
    )


@pytest.fixture
def morning_items(morning):
    return list(morning.items.all())


@pytest.fixture
def clock(monkeypatch):
    """Pin "now" for the routines app: ``clock.set(datetime(...tz...))``."""

    class Clock:
        now: datetime | None = None

        def set(self, when: datetime) -> None:
            self.now = when
            monkeypatch.setattr("routines.selectors._now", lambda: when)

    return Clock()

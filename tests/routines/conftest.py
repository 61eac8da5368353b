"""Routines fixtures: alice's Morning routine (the original app's sample)."""

from datetime import timedelta

import pytest

from core import clock
from tests.routines.factories import MORNING_ITEMS, RoutineFactory

# Alice has kept Morning since well before any day a test ticks (no day before a routine's first
# day can be ticked).
MORNING_AGE = timedelta(days=400)


@pytest.fixture
def morning(alice):
    return RoutineFactory(
        owner=alice,
        name="Morning",
        description="Getting up and out the door",
        items=MORNING_ITEMS,
        created_at=clock.now() - MORNING_AGE,
    )


@pytest.fixture
def morning_items(morning):
    return list(morning.items.all())

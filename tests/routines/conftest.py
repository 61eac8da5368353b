"""Routines fixtures: alice's Morning routine (the original app's sample)."""

import pytest

from tests.routines.factories import MORNING_ITEMS, RoutineFactory


@pytest.fixture
def morning(alice):
    return RoutineFactory(
        owner=alice, name="Morning", description="Getting up and out the door", items=MORNING_ITEMS
    )


@pytest.fixture
def morning_items(morning):
    return list(morning.items.all())

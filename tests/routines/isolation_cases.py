"""Three tests run in this order by tests/routines/test_isolation.py, in a pytest of their own.

Not collected by the suite (the name does not start with ``test_``). The first leaves DynamoDB items
behind without asking for the ``aws`` fixture; SQLite gives the second test's routine the same id
again (a rolled-back id is reused), so without the emptying before every test the second would count
the first one's days and see a streak of 4.
"""

from datetime import timedelta

from core.clock import user_today
from routines.selectors import routine_get, routine_history
from tests.routines.test_selectors import PARIS, fill


def test_an_earlier_test_asks_for_the_emulator(db, aws):
    pass  # the tables exist from here on, as they do in a full run


def test_first_ticks_two_earlier_days_and_leaves_them(alice, morning):
    today = user_today(user=alice)
    fill(alice, morning, [today - timedelta(days=3), today - timedelta(days=2)])


def test_then_yesterday_and_today_are_a_two_day_streak(alice, morning):
    today = user_today(user=alice)
    fill(alice, morning, [today - timedelta(days=1), today])

    history = routine_history(
        routine=routine_get(owner=alice, pk=morning.pk),
        start=today - timedelta(days=29),
        end=today,
        zone=PARIS,
    )

    assert history.streak == 2

"""Reads of routines: today's board, one day, and history with completion rate and streak."""

import zoneinfo
from datetime import UTC, date, datetime, timedelta

import pytest

from core.clock import user_today
from routines.models import Routine
from routines.selectors import routine_board, routine_get, routine_history, routine_list
from routines.services import routine_create, routine_day_set, routine_day_toggle, routine_item_add

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def fill(owner, routine, days, *, count=None):
    ids = [item.pk for item in routine.items.all()]
    for day in days:
        routine_day_set(owner=owner, routine_id=routine.pk, day=day, item_ids=ids[:count] if count else ids)


def test_today_is_the_users_day_not_the_servers(alice, bob, clock):
    clock.set(datetime(2026, 3, 1, 23, 30, tzinfo=UTC))

    assert user_today(user=alice) == date(2026, 3, 2)  # Paris, 00:30
    assert user_today(user=bob) == date(2026, 3, 1)  # Los Angeles, 15:30


def test_the_board_lists_every_routine_with_its_state_for_the_day(aws, alice, bob, morning, morning_items):
    bedtime = routine_create(owner=alice, name="Bedtime", items=["Brush teeth", "Set alarm"])
    routine_create(owner=bob, name="Bob's morning", items=["Run"])
    today = user_today(user=alice)
    routine_day_toggle(
        owner=alice, routine_id=bedtime.pk, item_id=bedtime.items.first().pk, day=today, done=True
    )

    board = routine_board(owner=alice, day=today)

    assert [(r.name, s.done, s.total) for r, s in board] == [("Morning", 0, 7), ("Bedtime", 1, 2)]


def test_the_board_reads_the_same_number_of_queries_for_many_routines(alice, django_assert_max_num_queries):
    for n in range(12):
        routine_create(owner=alice, name=f"Routine {n}", items=[f"Item {k}" for k in range(9)])

    with django_assert_max_num_queries(2):
        board = routine_board(owner=alice, day=date(2026, 5, 1))
        assert sum(state.total for _, state in board) == 108


def test_routines_can_be_filtered_by_name(alice, morning):
    routine_create(owner=alice, name="Bedtime")
    assert [r.name for r in routine_list(owner=alice, name="bed")] == ["Bedtime"]


def test_history_spans_a_month_boundary_and_counts_the_streak(alice, morning):
    today = date(2026, 2, 2)
    Routine.objects.filter(pk=morning.pk).update(created_at=datetime(2026, 1, 28, 7, tzinfo=PARIS))
    fill(alice, morning, [date(2026, 1, 28), date(2026, 1, 30), date(2026, 1, 31), date(2026, 2, 1)])
    fill(alice, morning, [date(2026, 1, 29)], count=3)  # a partial day breaks the older run

    history = routine_history(
        routine=routine_get(owner=alice, pk=morning.pk),
        start=date(2026, 1, 27),
        end=date(2026, 2, 2),
        zone=PARIS,
        today=today,
    )

    assert [d.date.isoformat() for d in history.days][:2] == ["2026-01-27", "2026-01-28"]
    assert [(d.date.day, d.done, d.complete) for d in history.days] == [
        (27, 0, False),
        (28, 7, True),
        (29, 3, False),
        (30, 7, True),
        (31, 7, True),
        (1, 7, True),
        (2, 0, False),
    ]
    # Today is still open, so the streak runs up to yesterday: 30 Jan, 31 Jan, 1 Feb.
    assert history.streak == 3
    # Counted from the first recorded day (28 Jan) to yesterday: 4 complete of 5.
    assert (history.complete_days, history.counted_days, history.completion_rate) == (4, 5, 0.8)


def test_completing_today_extends_the_streak(alice, morning):
    today = user_today(user=alice)
    fill(alice, morning, [today - timedelta(days=1), today])

    history = routine_history(
        routine=routine_get(owner=alice, pk=morning.pk),
        start=today - timedelta(days=29),
        end=today,
        zone=PARIS,
    )

    assert history.streak == 2
    assert len(history.days) == 30


def test_a_day_ticked_just_after_midnight_in_paris_counts_for_the_new_day(alice, morning, clock):
    # 23:10 UTC on 31 March is 01:10 on 1 April in Paris (summer time): alice's today is 1 April.
    clock.set(datetime(2026, 3, 31, 23, 10, tzinfo=UTC))
    today = user_today(user=alice)
    assert today == date(2026, 4, 1)
    fill(alice, morning, [date(2026, 3, 31), today])

    history = routine_history(
        routine=routine_get(owner=alice, pk=morning.pk), start=date(2026, 3, 30), end=today, zone=PARIS
    )

    assert history.today == date(2026, 4, 1)
    assert [(d.date.isoformat(), d.complete) for d in history.days] == [
        ("2026-03-30", False),
        ("2026-03-31", True),
        ("2026-04-01", True),
    ]
    assert history.streak == 2


def test_adding_an_item_today_does_not_rewrite_past_days(aws, alice, morning):
    today = user_today(user=alice)
    yesterday = today - timedelta(days=1)
    fill(alice, morning, [yesterday])
    routine_item_add(routine=morning, text="Water the plants")

    history = routine_history(
        routine=routine_get(owner=alice, pk=morning.pk), start=yesterday, end=today, zone=PARIS
    )

    assert [(d.done, d.total) for d in history.days] == [(7, 7), (0, 8)]
    assert history.streak == 1


@pytest.mark.parametrize("days", [0, 1])
def test_an_empty_routine_never_counts_as_complete(aws, alice, days):
    empty = routine_create(owner=alice, name="Empty")
    today = user_today(user=alice)
    history = routine_history(
        routine=routine_get(owner=alice, pk=empty.pk),
        start=today - timedelta(days=days),
        end=today,
        zone=PARIS,
    )
    assert history.streak == 0
    assert history.completion_rate == 0.0


def test_no_day_before_the_routine_existed_can_be_ticked_in_the_owners_zone(aws, alice, clock):
    from django.core.exceptions import ValidationError

    # 23:30 UTC on 1 March is already 2 March in Paris: the routine's first day is 2 March there.
    clock.set(datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    routine = routine_create(owner=alice, name="Stretch", items=["Neck", "Back"])
    item = routine.items.first()

    for write in (
        lambda day: routine_day_set(owner=alice, routine_id=routine.pk, day=day, item_ids=[item.pk]),
        lambda day: routine_day_toggle(
            owner=alice, routine_id=routine.pk, item_id=item.pk, day=day, done=True
        ),
    ):
        with pytest.raises(ValidationError) as error:
            write(date(2026, 3, 1))
        assert "before this routine existed" in str(error.value.message_dict["date"])
        write(date(2026, 3, 2))  # its first day is fine


def test_history_counts_only_days_since_the_routine_existed(aws, alice, clock):
    clock.set(datetime(2026, 3, 10, 9, tzinfo=UTC))
    routine = routine_create(owner=alice, name="Stretch", items=["Neck"])
    fill(alice, routine, [date(2026, 3, 10)])

    history = routine_history(
        routine=routine_get(owner=alice, pk=routine.pk),
        start=date(1, 1, 1),
        end=date(1, 1, 30),
        zone=PARIS,
        today=date(2026, 3, 10),
    )
    recent = routine_history(
        routine=routine_get(owner=alice, pk=routine.pk),
        start=date(2026, 2, 9),
        end=date(2026, 3, 10),
        zone=PARIS,
        today=date(2026, 3, 10),
    )

    assert (history.counted_days, history.complete_days, history.completion_rate) == (0, 0, 0.0)
    assert (recent.counted_days, recent.complete_days, recent.streak) == (1, 1, 1)
    # The days of the window before the routine existed are marked, not shown as undone days.
    assert [d.existed for d in recent.days] == [False] * 29 + [True]


def _history_now(alice, routine):
    from core import clock

    zone, today = clock.user_zone(alice), clock.user_today(alice)
    return routine_history(
        routine=routine_get(owner=alice, pk=routine.pk),
        start=today - timedelta(days=29),
        end=today,
        zone=zone,
        today=today,
    )


@pytest.mark.parametrize(
    ("created", "before", "after"),
    [
        # 18:30 UTC on 7 Dec, completed that day in UTC; in Tokyo it is already 8 Dec, the
        # routine's first day there: the completed 7 Dec must still count.
        (datetime(2026, 12, 7, 18, 30, tzinfo=UTC), "UTC", "Asia/Tokyo"),
        # 01:30 UTC on 7 Dec, completed on 7 Dec in Paris; in New York it is still 6 Dec: the
        # completed day is "tomorrow" there and still counts.
        (datetime(2026, 12, 7, 1, 30, tzinfo=UTC), "Europe/Paris", "America/New_York"),
    ],
)
def test_a_routine_completed_today_keeps_its_streak_after_a_time_zone_change(
    aws, alice, clock, created, before, after
):
    clock.set(created)
    alice.time_zone = before
    alice.save()
    routine = routine_create(owner=alice, name="Stretch", items=["Neck", "Back"])
    routine_day_set(
        owner=alice,
        routine_id=routine.pk,
        day=user_today(alice),
        item_ids=[item.pk for item in routine.items.all()],
    )
    assert (_history_now(alice, routine).streak, _history_now(alice, routine).completion_rate) == (1, 1.0)

    alice.time_zone = after
    alice.save()
    history = _history_now(alice, routine)

    assert (history.streak, history.complete_days, history.completion_rate) == (1, 1, 1.0)

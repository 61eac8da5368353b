"""Reads of routines: the relational lists and the day state kept in DynamoDB.

Every selector runs a constant number of SQL queries whatever the number of routines or items
(items come with ``prefetch_related``) and never Scans DynamoDB: one day is a GetItem, today's state
of all a user's routines one BatchGetItem, a date range one Query on the range key.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from core.clock import zone_today
from routines.models import Routine

if TYPE_CHECKING:  # PynamoDB pulls in botocore: imported where a function needs it, not at start
    from accounts.models import User
    from routines.dynamo import RoutineDayItem

# A client a little ahead of the server's clock (or just past midnight elsewhere) may tick tomorrow.
MAX_DAYS_AHEAD = 1
# How far back the streak looks (one Query of at most this many small items per routine).
STREAK_LOOKBACK_DAYS = 366
# The history page's and the history API's default window.
HISTORY_DAYS = 30


@dataclass(frozen=True)
class DayState:
    """Which items of one routine are ticked on one day."""

    routine_id: int
    date: date
    checked_ids: list[int]
    total: int
    version: int = 0

    @property
    def done(self) -> int:
        return len(self.checked_ids)

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total


@dataclass(frozen=True)
class HistoryDay:
    date: date
    done: int
    total: int
    recorded: bool
    existed: bool = True  # False before the routine's first day: nothing to do then

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total


@dataclass(frozen=True)
class History:
    """A routine's days in ``[start, end]``, its completion rate and current streak."""

    routine: Routine
    start: date
    end: date
    today: date
    days: list[HistoryDay] = field(default_factory=list)
    completion_rate: float = 0.0
    counted_days: int = 0
    complete_days: int = 0
    streak: int = 0


def latest_day(*, zone: zoneinfo.ZoneInfo) -> date:
    """The last day that may be ticked in ``zone``: tomorrow."""
    return zone_today(zone=zone) + timedelta(days=MAX_DAYS_AHEAD)


def first_day(*, created_at: datetime, zone: zoneinfo.ZoneInfo) -> date:
    """A routine's first day: the day it was created on, in the owner's zone."""
    return created_at.astimezone(zone).date()


def routine_list(*, owner: User, name: str | None = None) -> QuerySet[Routine]:
    """The owner's routines in their order, items prefetched (two queries however many there are)."""
    queryset = Routine.objects.filter(owner=owner).prefetch_related("items")
    if name:
        queryset = queryset.filter(name__icontains=name)
    return queryset.order_by("position", "id")


def routine_get(*, owner: User, pk: int) -> Routine:
    """One of the owner's routines with its items; ``Routine.DoesNotExist`` for anybody else's."""
    return routine_list(owner=owner).get(pk=pk)


def day_state_from_item(
    *, routine_id: int, day: date, item: RoutineDayItem | None, item_ids: Iterable[int]
) -> DayState:
    """The state of a day from its DynamoDB item (None: never ticked) and the routine's current items."""
    current = list(item_ids)
    if item is None:
        return DayState(routine_id=routine_id, date=day, checked_ids=[], total=len(current))
    checked = item.checked_ids
    # Ids of items deleted since they were ticked no longer count.
    return DayState(
        routine_id=routine_id,
        date=day,
        checked_ids=[item_id for item_id in current if item_id in checked],
        total=len(current),
        version=int(item.version or 0),
    )


def routine_day_state(*, routine: Routine, day: date) -> DayState:
    """The routine's state on ``day``: one strongly consistent GetItem (items prefetched by the caller)."""
    from routines.dynamo import RoutineDayItem

    key = RoutineDayItem.key(owner_id=routine.owner_id, routine_id=routine.pk)
    try:
        item = RoutineDayItem.get(key, day.isoformat(), consistent_read=True)
    except RoutineDayItem.DoesNotExist:
        item = None
    return day_state_from_item(
        routine_id=routine.pk, day=day, item=item, item_ids=[i.pk for i in routine.items.all()]
    )


def routine_board(*, owner: User, day: date) -> list[tuple[Routine, DayState]]:
    """Every routine of the owner with its state on ``day``: 2 SQL queries and one BatchGetItem.

    BatchGetItem rather than a GSI keyed by user+date: the keys are known exactly from the routine
    list, it is strongly consistent (a GSI is only eventually consistent, so a reload right after a
    tap could show it unticked) and it costs no extra index writes on the hot tap path.
    """
    from routines.dynamo import RoutineDayItem

    routines = list(routine_list(owner=owner))
    keys = [(RoutineDayItem.key(owner_id=owner.pk, routine_id=r.pk), day.isoformat()) for r in routines]
    found = {item.owner_routine: item for item in RoutineDayItem.batch_get(keys, consistent_read=True)}
    return [
        (
            routine,
            day_state_from_item(
                routine_id=routine.pk,
                day=day,
                item=found.get(key),
                item_ids=[i.pk for i in routine.items.all()],
            ),
        )
        for routine, (key, _) in zip(routines, keys, strict=True)
    ]


def _day_range(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def routine_history(
    *, routine: Routine, start: date, end: date, zone: zoneinfo.ZoneInfo, today: date | None = None
) -> History:
    """Days of ``routine`` in ``[start, end]`` with the completion rate and the current streak.

    One Query on the range key covers both the window and the streak's look-back. A past day keeps
    the item count it had when last ticked (adding an item today does not break yesterday); today
    and days never ticked use the routine's current items. The rate counts days from the routine's
    first day (its creation, in the owner's zone) up to yesterday, plus today (and tomorrow, ticked
    ahead) once complete; the streak counts complete days back from the latest complete one of
    tomorrow and today, or from yesterday while today is still open, never before the first day.

    After the owner changed time zone, a day ticked in the old zone may lie before the routine's
    first day in the new one (created at 18:30 UTC, ticked that day, then moved to Tokyo, where it
    was created "tomorrow") or after today there: the first day is then the earliest ticked day, and
    a complete tomorrow counts, so the day just completed is never lost from the streak and rate.
    """
    from routines.dynamo import RoutineDayItem

    today = today or zone_today(zone=zone)
    current_total = len(routine.items.all())
    lookback_start = min(start, today - timedelta(days=STREAK_LOOKBACK_DAYS))
    last = max(end, today + timedelta(days=MAX_DAYS_AHEAD))  # a day ticked ahead counts
    key = RoutineDayItem.key(owner_id=routine.owner_id, routine_id=routine.pk)
    stored = {
        item.date: item
        for item in RoutineDayItem.query(
            key,
            RoutineDayItem.date.between(lookback_start.isoformat(), last.isoformat()),
            consistent_read=True,
        )
    }
    current_ids = {i.pk for i in routine.items.all()}

    def day_of(day: date) -> HistoryDay:
        item = stored.get(day.isoformat())
        if item is None:
            return HistoryDay(date=day, done=0, total=current_total, recorded=False)
        if day >= today:
            done = len(item.checked_ids & current_ids)
            return HistoryDay(date=day, done=done, total=current_total, recorded=True)
        total = int(item.total or 0)
        return HistoryDay(date=day, done=min(len(item.checked_ids), total), total=total, recorded=True)

    # Only days since the routine existed (its creation day in the user's zone) count. A day
    # recorded before that can only have been ticked in another zone (ticks before the first day
    # are refused), within a day of it: it was the routine's first day there.
    first = first_day(created_at=routine.created_at, zone=zone)
    recorded_before = [
        date.fromisoformat(key)
        for key in stored
        if first - timedelta(days=1) <= date.fromisoformat(key) < first
    ]
    first = min([first, *recorded_before])
    days = [
        replace(day_of(day), existed=False) if day < first else day_of(day) for day in _day_range(start, end)
    ]
    tomorrow = today + timedelta(days=1)
    ahead = [day_of(tomorrow)] if end < tomorrow and day_of(tomorrow).complete else []
    counted = [
        d
        for d in [*days, *ahead]
        if first <= d.date < today or (d.date >= today and d.complete and d.existed)
    ]
    complete = [d for d in counted if d.complete]

    streak = 0
    cursor = next((day for day in (tomorrow, today) if day_of(day).complete), today - timedelta(days=1))
    while cursor >= max(lookback_start, first) and day_of(cursor).complete:
        streak += 1
        cursor -= timedelta(days=1)

    return History(
        routine=routine,
        start=start,
        end=end,
        today=today,
        days=days,
        completion_rate=round(len(complete) / len(counted), 3) if counted else 0.0,
        counted_days=len(counted),
        complete_days=len(complete),
        streak=streak,
    )

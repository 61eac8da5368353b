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
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from core.clock import zone_of, zone_today
from routines.models import Routine
from routines.schedules import BEFORE, DUE, NOT_DUE, day_marks, is_due

if TYPE_CHECKING:  # PynamoDB pulls in botocore: imported where a function needs it, not at start
    from accounts.models import User
    from routines.dynamo import RoutineDayItem

Date = date  # for fields named ``date``

# A client a little ahead of the server's clock (or just past midnight elsewhere) may tick tomorrow.
MAX_DAYS_AHEAD = 1
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
    first_day: Date | None = None  # the routine's first day, where the caller knew it
    mark: str = "due"  # routines.schedules: before, off, not_due, due (the board's day)

    @property
    def before_first_day(self) -> bool:
        return self.first_day is not None and self.date < self.first_day

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
    mark: str = "due"  # routines.schedules: before, off (paused/archived), not_due, due

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total

    @property
    def due(self) -> bool:
        return self.mark == "due"


@dataclass(frozen=True)
class MonthRate:
    """One calendar month's completion: complete due days / counted due days."""

    month: date  # its first day
    complete_days: int
    counted_days: int

    @property
    def rate(self) -> float:
        return round(self.complete_days / self.counted_days, 3) if self.counted_days else 0.0


@dataclass(frozen=True)
class History:
    """A routine's days in ``[start, end]``, its completion rate, current and best streak, and the
    completion rate of each month since it began (the trend)."""

    routine: Routine
    start: date
    end: date
    today: date
    days: list[HistoryDay] = field(default_factory=list)
    completion_rate: float = 0.0
    counted_days: int = 0
    complete_days: int = 0
    streak: int = 0
    best_streak: int = 0
    first_day: date | None = None
    months: list[MonthRate] = field(default_factory=list)


def latest_day(*, zone: zoneinfo.ZoneInfo) -> date:
    """The last day that may be ticked in ``zone``: tomorrow."""
    return zone_today(zone=zone) + timedelta(days=MAX_DAYS_AHEAD)


def first_day(*, created_at: datetime, zone: zoneinfo.ZoneInfo) -> date:
    """A routine's first day: the day it was created on, in the owner's zone."""
    return created_at.astimezone(zone).date()


def routine_list(*, owner: User, name: str | None = None, status: str | None = None) -> QuerySet[Routine]:
    """The owner's routines in their order, items prefetched (two queries however many there are)."""
    queryset = Routine.objects.filter(owner=owner).prefetch_related("items")
    if name:
        queryset = queryset.filter(name__icontains=name)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("position", "id")


def routines_off(*, owner: User) -> list[Any]:
    """The owner's paused and archived routines (pk, name, status), in their order: one query."""
    return list(
        Routine.objects.filter(owner=owner)
        .exclude(status=Routine.Status.ACTIVE)
        .order_by("position", "id")
        .values("pk", "name", "status")
    )


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


def routine_board(
    *, owner: User, day: date, zone: zoneinfo.ZoneInfo | None = None
) -> list[tuple[Routine, DayState]]:
    """Every active routine of the owner with its state on ``day``: 2 SQL queries and one BatchGetItem.

    Paused and archived routines are not on the board (``routine_list(status=...)`` lists them).
    Each state knows the routine's first day (in ``zone``, default the owner's) and whether the
    routine is due that day by its weekdays (a day before the first one cannot be ticked).

    BatchGetItem rather than a GSI keyed by user+date: the keys are known exactly from the routine
    list, it is strongly consistent (a GSI is only eventually consistent, so a reload right after a
    tap could show it unticked) and it costs no extra index writes on the hot tap path.
    """
    from routines.dynamo import RoutineDayItem

    zone = zone or zone_of(getattr(owner, "time_zone", None))
    routines = list(routine_list(owner=owner, status=Routine.Status.ACTIVE))
    keys = [(RoutineDayItem.key(owner_id=owner.pk, routine_id=r.pk), day.isoformat()) for r in routines]
    found = {item.owner_routine: item for item in RoutineDayItem.batch_get(keys, consistent_read=True)}
    board = []
    for routine, (key, _) in zip(routines, keys, strict=True):
        state = day_state_from_item(
            routine_id=routine.pk, day=day, item=found.get(key), item_ids=[i.pk for i in routine.items.all()]
        )
        first = first_day(created_at=routine.created_at, zone=zone)
        mark = BEFORE if day < first else DUE if is_due(routine, day) else NOT_DUE
        board.append((routine, replace(state, first_day=first, mark=mark)))
    return board


def _day_range(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


# The trend shows at most this many months (the newest).
TREND_MONTHS = 12


def routine_history(
    *, routine: Routine, start: date, end: date, zone: zoneinfo.ZoneInfo, today: date | None = None
) -> History:
    """Days of ``routine`` in ``[start, end]`` with the completion rate, the current and the best
    streak and the monthly trend, counting only the days it was due (routines/schedules.py).

    One Query on the range key from the routine's first day (or ``start``) covers the window, both
    streaks and the trend, whatever their length. A past day keeps the item count it had when last
    ticked (adding an item today does not break yesterday); today and days never ticked use the
    routine's current items. The rate counts due days from the routine's first day (its creation,
    in the owner's zone) up to yesterday, plus today (and tomorrow, ticked ahead) once complete; the
    streak counts complete due days back from the latest complete one of tomorrow and today, or
    from yesterday while today is still open, skipping days not due, never before the first day.

    After the owner changed time zone, a day ticked in the old zone may lie before the routine's
    first day in the new one (created at 18:30 UTC, ticked that day, then moved to Tokyo, where it
    was created "tomorrow") or after today there: the first day is then the earliest ticked day, and
    a complete tomorrow counts, so the day just completed is never lost from the streak and rate.
    """
    from routines.dynamo import RoutineDayItem

    today = today or zone_today(zone=zone)
    current_total = len(routine.items.all())
    created = first_day(created_at=routine.created_at, zone=zone)
    query_start = min(start, created - timedelta(days=1))
    tomorrow = today + timedelta(days=MAX_DAYS_AHEAD)
    last = max(end, tomorrow)  # a day ticked ahead counts
    key = RoutineDayItem.key(owner_id=routine.owner_id, routine_id=routine.pk)
    stored = {
        item.date: item
        for item in RoutineDayItem.query(
            key,
            RoutineDayItem.date.between(query_start.isoformat(), last.isoformat()),
            consistent_read=True,
        )
    }
    current_ids = {i.pk for i in routine.items.all()}

    def counts(day: date) -> tuple[int, int, bool]:
        item = stored.get(day.isoformat())
        if item is None:
            return 0, current_total, False
        if day >= today:
            return len(item.checked_ids & current_ids), current_total, True
        total = int(item.total or 0)
        return min(len(item.checked_ids), total), total, True

    # Only days since the routine existed (its creation day in the user's zone) count. A day
    # recorded before that can only have been ticked in another zone (ticks before the first day
    # are refused), within a day of it: it was the routine's first day there.
    recorded_before = [
        date.fromisoformat(key)
        for key in stored
        if created - timedelta(days=1) <= date.fromisoformat(key) < created
    ]
    first = min([created, *recorded_before])
    complete = {
        date.fromisoformat(key)
        for key in stored
        if (lambda c: c[1] > 0 and c[0] >= c[1])(counts(date.fromisoformat(key)))
    }
    # Marks for the routine's whole life (streaks, trend) and for the window asked (which may lie
    # anywhere in the calendar): never a loop over the years between them.
    marks = day_marks(routine=routine, first=first, start=first, end=tomorrow, today=today, complete=complete)
    marks.update(
        day_marks(routine=routine, first=first, start=start, end=end, today=today, complete=complete)
    )

    def day_of(day: date) -> HistoryDay:
        done, total, recorded = counts(day)
        mark = marks[day]
        return HistoryDay(
            date=day, done=done, total=total, recorded=recorded, existed=mark != BEFORE, mark=mark
        )

    def counted(day: date) -> bool:
        return marks[day] == DUE and (day < today or day in complete)

    days = [day_of(day) for day in _day_range(start, end)]
    window = [d for d in _day_range(start, end) if counted(d)]
    if end < tomorrow and tomorrow in complete and marks[tomorrow] == DUE:
        window.append(tomorrow)
    window_complete = [d for d in window if d in complete]

    # Streaks: due days in a row that are complete; days not due (and an open today) are skipped.
    streak = 0
    cursor = next((day for day in (tomorrow, today) if day in complete), today - timedelta(days=1))
    while cursor >= first:
        if marks[cursor] == DUE:
            if cursor not in complete:
                break
            streak += 1
        cursor -= timedelta(days=1)
    best = run = 0
    for day in _day_range(first, tomorrow):
        if marks[day] != DUE:
            continue
        if day in complete:
            run += 1
            best = max(best, run)
        elif day < today:
            run = 0

    months: dict[date, list[int]] = {}
    for day in _day_range(first, tomorrow):
        if counted(day):
            month = months.setdefault(day.replace(day=1), [0, 0])
            month[0] += day in complete
            month[1] += 1
    trend = [
        MonthRate(month=month, complete_days=done, counted_days=count)
        for month, (done, count) in sorted(months.items())
    ][-TREND_MONTHS:]

    return History(
        routine=routine,
        start=start,
        end=end,
        today=today,
        days=days,
        completion_rate=round(len(window_complete) / len(window), 3) if window else 0.0,
        counted_days=len(window),
        complete_days=len(window_complete),
        streak=streak,
        best_streak=max(best, streak),
        first_day=first,
        months=trend,
    )

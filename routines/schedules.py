"""Which days a routine is due: its schedule, its pauses, and for N-times-a-week its weeks.

Pure functions of a routine's fields and the set of its complete days (no database, no DynamoDB),
so the history, the streaks and the reminders agree on one rule:

* every day (``daily``): each day is due;
* chosen weekdays (``weekdays``): the chosen days of the week only;
* N times a week (``weekly``): a week (Monday to Sunday) asks for N complete days. Complete days
  are due; a missed day is due only as part of a week's shortfall: in a week that ended with fewer
  than N complete days, its latest N - done missed days are due (so 1 of 3 counts 1 done, 2 missed),
  the other missed days are not; in the current week, a missed day is due only once the days left
  cannot make up the shortfall any more.
* paused or archived (``off_since``, and the past intervals in ``pauses``): no day is due then.

A day is one of ``BEFORE`` (before the routine's first day), ``OFF`` (paused or archived),
``NOT_DUE`` and ``DUE``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from routines.models import EVERY_WEEKDAY, WEEKDAY_NAMES, Routine

BEFORE, OFF, NOT_DUE, DUE = "before", "off", "not_due", "due"


def weekdays_mask(names: Iterable[str]) -> int:
    """``["mon", "fri"]`` -> the bit mask kept on the routine."""
    return sum(1 << WEEKDAY_NAMES.index(name) for name in set(names))


def weekdays_names(mask: int) -> list[str]:
    return [name for n, name in enumerate(WEEKDAY_NAMES) if mask & (1 << n)]


def describe(routine: Any) -> str:
    """The schedule in words: "Every day", "Mon, Wed, Fri", "3 times a week"."""
    if routine.schedule == Routine.Schedule.WEEKDAYS and routine.weekdays != EVERY_WEEKDAY:
        return ", ".join(name.capitalize() for name in weekdays_names(routine.weekdays))
    if routine.schedule == Routine.Schedule.WEEKLY and routine.times_per_week < 7:
        return f"{routine.times_per_week} time{'s' if routine.times_per_week != 1 else ''} a week"
    return "Every day"


def is_off(routine: Any, day: date) -> bool:
    """Paused or archived on ``day``."""
    if routine.off_since is not None and day >= routine.off_since:
        return True
    return any(date.fromisoformat(a) <= day <= date.fromisoformat(b) for a, b in routine.pauses or ())


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def day_marks(*, routine: Any, first: date, start: date, end: date, today: date, complete: set[date]) -> dict:
    """``{day: BEFORE | OFF | NOT_DUE | DUE}`` for every day of ``[start, end]``."""
    marks: dict[date, str] = {}
    weekly = routine.schedule == Routine.Schedule.WEEKLY and routine.times_per_week < 7
    for n in range((end - start).days + 1):
        day = start + timedelta(days=n)
        if day < first:
            marks[day] = BEFORE
        elif is_off(routine, day):
            marks[day] = OFF
        elif routine.schedule == Routine.Schedule.WEEKDAYS and not routine.weekdays & (1 << day.weekday()):
            marks[day] = NOT_DUE
        else:
            marks[day] = DUE
    if not weekly:
        return marks
    need = routine.times_per_week
    for w in range(((end - _week_start(start)).days) // 7 + 1):
        week = _week_start(start) + timedelta(days=7 * w)
        days = [week + timedelta(days=n) for n in range(7) if (date.max - week).days >= n]
        # The whole week decides, even where the window cuts it: mark the days outside it too.
        eligible = [d for d in days if d >= first and not is_off(routine, d)]
        done = sum(1 for d in eligible if d in complete)
        left = sum(1 for d in eligible if d >= today and d not in complete)
        missed = [d for d in eligible if d < today and d not in complete]
        shortfall = max(0, min(len(missed), need - done - left))
        due_missed = set(missed[len(missed) - shortfall :]) if shortfall else set()
        for d in days:
            if start <= d <= end and marks[d] == DUE and d not in complete and d not in due_missed:
                marks[d] = NOT_DUE
    return marks


def is_due(routine: Any, day: date) -> bool:
    """Whether a reminder makes sense on ``day``: not paused, a chosen weekday (for N times a week
    every day is a chance until the week's N are done, which the caller checks)."""
    if routine.status != Routine.Status.ACTIVE or is_off(routine, day):
        return False
    if routine.schedule == Routine.Schedule.WEEKDAYS:
        return bool(routine.weekdays & (1 << day.weekday()))
    return True

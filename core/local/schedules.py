"""EventBridge schedule expressions: ``rate(...)`` and six-field ``cron(...)``, evaluated in UTC.

Hand-written because the local runner must read exactly what EventBridge reads: croniter and
APScheduler speak five-field Unix cron (Sunday = 0, no ``?``, no year field). Supported:
``rate(N minute|minutes|hour|hours|day|days)`` and ``cron(min hour day-of-month month day-of-week year)``
with ``*``, ``?``, lists, ranges, steps and month/day names. ``L``, ``W`` and ``#`` are rejected with
:class:`ScheduleError` rather than approximated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


class ScheduleError(ValueError):
    """An expression the local runner cannot honour."""


_RATE = re.compile(r"^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$")
_CRON = re.compile(r"^cron\((.*)\)$")
_UNITS = {"minute": 60, "hour": 3600, "day": 86400}
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1
    )
}
_DAYS = {d: i for i, d in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], 1)}
# (name, low, high, names)
_FIELDS: tuple[tuple[str, int, int, dict[str, int]], ...] = (
    ("minutes", 0, 59, {}),
    ("hours", 0, 23, {}),
    ("day-of-month", 1, 31, {}),
    ("month", 1, 12, _MONTHS),
    ("day-of-week", 1, 7, _DAYS),
    ("year", 1970, 2199, {}),
)


@dataclass(frozen=True)
class Rate:
    seconds: int

    def next_after(self, moment: datetime, *, start: datetime) -> datetime:
        """Rates fire every period counted from when the rule was created (here: the runner started)."""
        elapsed = (moment - start).total_seconds()
        periods = int(elapsed // self.seconds) + 1
        return start + timedelta(seconds=periods * self.seconds)


@dataclass(frozen=True)
class Cron:
    minutes: frozenset[int]
    hours: frozenset[int]
    days_of_month: frozenset[int] | None  # None means '?'
    months: frozenset[int]
    days_of_week: frozenset[int] | None  # None means '?'; 1 = Sunday
    years: frozenset[int]

    def matches(self, moment: datetime) -> bool:
        return self._day_matches(moment) and moment.hour in self.hours and moment.minute in self.minutes

    def _day_matches(self, moment: datetime) -> bool:
        if moment.year not in self.years or moment.month not in self.months:
            return False
        if self.days_of_month is not None and moment.day not in self.days_of_month:
            return False
        aws_weekday = (moment.isoweekday() % 7) + 1  # Monday=1 -> 2, Sunday=7 -> 1
        return self.days_of_week is None or aws_weekday in self.days_of_week

    def next_after(self, moment: datetime, *, start: datetime | None = None) -> datetime | None:
        """The first whole minute strictly after ``moment`` that matches, or None within ~5 years."""
        moment = moment.astimezone(UTC).replace(second=0, microsecond=0)
        day = moment.replace(hour=0, minute=0)
        for _ in range(366 * 5):
            if self._day_matches(day):
                for hour in sorted(self.hours):
                    for minute in sorted(self.minutes):
                        candidate = day.replace(hour=hour, minute=minute)
                        if candidate > moment:
                            return candidate
            day += timedelta(days=1)
        return None


def _parse_field(text: str, index: int) -> frozenset[int] | None:
    name, low, high, names = _FIELDS[index]
    if text == "?":
        if name not in ("day-of-month", "day-of-week"):
            raise ScheduleError(f"'?' is only allowed in day-of-month or day-of-week, not {name}.")
        return None
    tokens = [t for t in re.split(r"[,/-]", text.upper()) if t and t not in names]
    if "#" in text or any(re.search(r"[LW]", token) for token in tokens):
        raise ScheduleError(f"{name} {text!r}: L, W and # are not supported by the local runner.")
    values: set[int] = set()
    for part in text.split(","):
        base, _, step_text = part.partition("/")
        step = 1
        if step_text:
            if not step_text.isdigit() or int(step_text) == 0:
                raise ScheduleError(f"{name} {part!r}: the step must be a positive number.")
            step = int(step_text)
        if base == "*":
            first, last = low, high
        else:
            first_text, dash, last_text = base.partition("-")
            first = _value(first_text, name, names)
            last = _value(last_text, name, names) if dash else (high if step_text else first)
        if not (low <= first <= high and low <= last <= high) or first > last:
            raise ScheduleError(f"{name} {part!r} is outside {low}-{high}.")
        values.update(range(first, last + 1, step))
    return frozenset(values)


def _value(text: str, name: str, names: dict[str, int]) -> int:
    upper = text.upper()
    if upper in names:
        return names[upper]
    if not text.isdigit():
        raise ScheduleError(f"{name} {text!r} is not a number{' or name' if names else ''}.")
    return int(text)


def parse(expression: str) -> Rate | Cron:
    """Parse an EventBridge schedule expression or raise ScheduleError saying what is wrong."""
    expression = expression.strip()
    rate = _RATE.match(expression)
    if rate:
        value, unit = int(rate.group(1)), rate.group(2).rstrip("s")
        if value <= 0:
            raise ScheduleError(f"{expression}: the rate must be positive.")
        return Rate(seconds=value * _UNITS[unit])
    cron = _CRON.match(expression)
    if not cron:
        raise ScheduleError(f"{expression!r} is neither rate(...) nor cron(...).")
    fields = cron.group(1).split()
    if len(fields) != 6:
        raise ScheduleError(
            f"{expression}: cron needs six fields (minutes hours day-of-month month day-of-week year)."
        )
    parsed = [_parse_field(text, index) for index, text in enumerate(fields)]
    if (parsed[2] is None) == (parsed[4] is None):
        raise ScheduleError(f"{expression}: exactly one of day-of-month and day-of-week must be '?'.")
    return Cron(
        minutes=parsed[0],  # type: ignore[arg-type]
        hours=parsed[1],  # type: ignore[arg-type]
        days_of_month=parsed[2],
        months=parsed[3],  # type: ignore[arg-type]
        days_of_week=parsed[4],
        years=parsed[5],  # type: ignore[arg-type]
    )

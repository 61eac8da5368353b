"""The product's one clock and its time-zone helpers.

Every "now" in the apps comes from :func:`now`, so a test pins time for all of them at once with
:func:`frozen` (or the ``clock`` fixture) whatever way a module imported it.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

_frozen: datetime | None = None


def now() -> datetime:
    """This instant (aware, UTC), unless a test froze the clock."""
    return _frozen if _frozen is not None else timezone.now()


@contextmanager
def frozen(moment: datetime) -> Iterator[None]:
    """Make :func:`now` answer ``moment`` (aware) inside the block."""
    global _frozen
    if moment.tzinfo is None:
        raise ValueError("Freeze the clock at an aware datetime.")
    previous, _frozen = _frozen, moment
    try:
        yield
    finally:
        _frozen = previous


def set_frozen(moment: datetime | None) -> None:
    """Freeze (or with None, release) the clock; for fixtures that cannot hold a ``with`` block."""
    global _frozen
    _frozen = moment


def zone_of(name: str | None) -> zoneinfo.ZoneInfo:
    """The zone named ``name``, or the product's default zone for new users."""
    return zoneinfo.ZoneInfo(name or settings.DEFAULT_USER_TIME_ZONE)


def user_zone(user: Any) -> zoneinfo.ZoneInfo:
    """The zone the user's "today" is in (the time zone on their account)."""
    return zone_of(getattr(user, "time_zone", None))


def zone_today(*, zone: zoneinfo.ZoneInfo, at: datetime | None = None) -> date:
    """The calendar day in ``zone`` at ``at`` (default: now)."""
    return (at or now()).astimezone(zone).date()


def user_today(user: Any, *, at: datetime | None = None) -> date:
    """The user's calendar day at ``at`` (default: now)."""
    return zone_today(zone=user_zone(user), at=at)


# The one way a moment is shown to a person, on pages and in the JSON the pages redraw themselves
# from: "7 Dec 2026, 13:18:47 EST" in the reader's zone (Django's date format characters).
MOMENT_FORMAT = "j M Y, H:i:s T"


def moment_text(value: datetime | None, *, zone: zoneinfo.ZoneInfo | None = None) -> str:
    """``value`` as :data:`MOMENT_FORMAT` in ``zone`` (default: the zone active for this request,
    which :class:`core.web.middleware.UserTimeZoneMiddleware` sets to the signed-in user's)."""
    if value is None:
        return ""
    from django.utils.dateformat import format as date_format

    local = timezone.localtime(value, zone or timezone.get_current_timezone())
    return date_format(local, MOMENT_FORMAT)


@contextmanager
def user_time(user: Any) -> Iterator[None]:
    """Show moments in ``user``'s zone inside the block (anonymous users: the server's zone)."""
    if getattr(user, "is_authenticated", False):
        with timezone.override(user_zone(user)):
            yield
    else:
        yield

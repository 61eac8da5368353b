"""The sandbox's rows: the real 798 weeks of dataset wuxr-ni2i (SOURCES.md), plus appended weeks.

``drop_week_append()`` adds a week after the newest one in which most regions drop (and one
rises), so a drop alert can be seen end to end offline. Appended weeks live in this process's
memory (the dev server's, or the test's live server): a restart forgets them.
"""

from __future__ import annotations

import gzip
import json
import threading
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from prices import regions

DATA = Path(__file__).parent / "data" / "ny-gas-prices.json.gz"
# How much each region moves in an appended week, in cents: drops everywhere but Buffalo.
DROP_CENTS = {region: 4 + n % 9 for n, region in enumerate(regions.REGIONS)}
RISE = "buffalo"

_lock = threading.Lock()
_appended: list[dict[str, str]] = []


@cache
def _recorded() -> tuple[dict[str, str], ...]:
    with gzip.open(DATA, "rt", encoding="utf-8") as handle:
        return tuple(json.load(handle))


def rows() -> list[dict[str, Any]]:
    """Every row, newest first (the recorded ones and any appended)."""
    with _lock:
        appended = list(_appended)
    return [dict(row) for row in reversed(appended)] + [dict(row) for row in _recorded()]


def row_week(row: dict[str, Any]) -> date:
    return datetime.fromisoformat(row["date"]).date()


def drop_week_append(*, stored: dict[str, str] | None = None) -> dict[str, str]:
    """Append the week after the newest one: every region 4-12 cents cheaper, Buffalo 3 cents dearer.

    ``stored`` is the app's newest stored row when it is newer than anything served here (weeks
    appended before the dev server restarted): the new week follows it, so a fetch finds it.
    """
    with _lock:
        newest = _appended[-1] if _appended else _recorded()[0]
        if stored and stored["date"] > newest["date"]:
            newest = stored
        week = row_week(newest) + timedelta(weeks=1)
        row = {"date": f"{week.isoformat()}T00:00:00.000"}
        for region in regions.REGIONS:
            field = regions.field_of(region)
            if field not in newest:
                continue
            cents = Decimal(3) if region == RISE else -Decimal(DROP_CENTS[region])
            row[field] = str((Decimal(newest[field]) + cents / 100).quantize(Decimal("0.01")))
        _appended.append(row)
        return row


def appended_reset() -> None:
    with _lock:
        _appended.clear()


def appended_count() -> int:
    with _lock:
        return len(_appended)

"""Throttle rates written ``N/period``: ``120/min``, ``20/15min``, ``1000/day``. Standard library only
(settings read them at start-up, core.env.env_rate)."""

from __future__ import annotations

import re

RATE_PATTERN = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*(s|sec|second|m|min|minute|h|hour|d|day)s?\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate_seconds(text: str) -> tuple[int, int] | None:
    """``"20/15min"`` -> (20, 900), ``"120/min"`` -> (120, 60); None if it is not such a rate."""
    match = RATE_PATTERN.match(text or "")
    if not match or int(match[1]) < 1:
        return None
    return int(match[1]), int(match[2] or 1) * _UNIT_SECONDS[match[3][0]]

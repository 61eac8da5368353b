"""The time an invocation has left, for work that must stop before Lambda kills it.

Lambda kills a function at its timeout without running ``finally`` blocks: nothing a killed run
held in memory is recorded, and whatever it leased stays leased. Work that can run long (the
tracker's poll) asks :func:`deadline_get` when it must be done, and stops starting new work in time
to record what it finished and release the rest.

The entry points set the deadline from the Lambda context (``get_remaining_time_in_millis()``, the
local runner's context has it too) minus :data:`RESERVE_SECONDS` for the response and the logs;
outside an invocation (``manage.py`` on a laptop) there is none, and the work uses its own.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

RESERVE_SECONDS = 1.0

_deadline: ContextVar[float | None] = ContextVar("invocation_deadline", default=None)


def deadline_get() -> float | None:
    """The ``time.monotonic()`` by which the current invocation must have returned, or None."""
    return _deadline.get()


def deadline_earliest(*candidates: float | None) -> float | None:
    """The earliest of the given monotonic deadlines and the invocation's (None if there is none)."""
    known = [when for when in (*candidates, deadline_get()) if when is not None]
    return min(known) if known else None


@contextmanager
def invocation_deadline(context: Any) -> Iterator[float | None]:
    """Within the block, :func:`deadline_get` is the Lambda context's deadline (if it has one)."""
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if remaining is None:
        yield deadline_get()
        return
    when = time.monotonic() + remaining() / 1000 - RESERVE_SECONDS
    earlier = deadline_get()
    token = _deadline.set(when if earlier is None else min(when, earlier))
    try:
        yield _deadline.get()
    finally:
        _deadline.reset(token)

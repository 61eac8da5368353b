"""The local event runner as tests drive it: the one `make run` starts, ticked by the test itself."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

from tests.zappa_state import zappa_state_restored


@contextmanager
def local_runner() -> Iterator:
    """core.local.runner.EventRunner on the real declarations, with ``drain()``: tick until idle."""
    from core.local.runner import EventRunner

    with zappa_state_restored():
        events = EventRunner(stage="dev", stdout=io.StringIO())

        def drain(max_ticks: int = 20) -> int:
            """Tick until a tick delivers nothing; how many ticks delivered something."""
            for busy in range(max_ticks):
                if not events.tick():
                    return busy
            raise AssertionError(f"Still busy after {max_ticks} ticks:\n{events.stdout.getvalue()}")

        events.drain = drain  # type: ignore[attr-defined]
        yield events

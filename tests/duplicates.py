"""The duplicate-delivery registry: how each handler and schedule is delivered twice, and what it does.

Lambda delivers at least once: an SQS message, a stream or Kinesis record and a scheduled event can
all arrive twice. Each product app (core included) has ``tests/<app>/duplicates.py`` defining
``DUPLICATES``: one :class:`DuplicateCase` per handler it declares in ``event_sources`` (keyed by the
handler's dotted path) and per schedule of zappa_settings.json it owns (keyed by the schedule's
``name``). tests/lambda/test_duplicate_delivery.py delivers each event twice through the Lambda
entry point and FAILS for a handler or schedule nobody declared a case for.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DuplicateCase:
    """``event(world)`` builds the event Lambda would deliver (creating what it needs; ``world`` has
    ``alice``, ``bob``, pytest-django's ``live_server``, which serves the sandbox stand-ins, and its
    ``settings``, restored after the test); ``effects(world)`` reads back every side effect the handler can have
    (rows, DynamoDB items, queue messages, texts sent...), comparable. ``changes`` says the first
    delivery must change what ``effects`` sees (False for a read-only job such as ``check``)."""

    event: Callable[[dict[str, Any]], dict[str, Any]]
    effects: Callable[[dict[str, Any]], Any]
    changes: bool = True


def declarations() -> dict[str, DuplicateCase]:
    """Every app's cases, by handler path or schedule name."""
    from core.contract.registry import product_apps

    found: dict[str, DuplicateCase] = {}
    for config in product_apps():
        try:
            module = importlib.import_module(f"tests.{config.label}.duplicates")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{config.label}.duplicates":
                raise
            continue
        found.update(module.DUPLICATES)
    return found

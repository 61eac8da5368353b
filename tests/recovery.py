"""The recovery registry: how each app puts work in flight, and what "finished" means for it.

Every product app has ``tests/<app>/recovery.py`` defining ``RECOVERY``: a :class:`RecoveryCase`
(or :class:`NothingInFlight` with the reason, for an app no piece of work ever waits in).
tests/core/test_recovery_gate.py starts ``manage.py devserver`` once with every case's ``env``
(short deadlines) merged, calls every ``start``, kills the whole process group with SIGKILL while
that work is in flight, starts it again, and waits (bounded) until every ``finished`` is true, then
runs every ``check`` (nothing acknowledged lost, no side effect twice). It FAILS for an app that
declares nothing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class World:
    """What a case sees: the server's ``base`` URL, ``api`` (a requests session logged in as the
    demo user, CSRF header set), the emulator's ``aws_url`` and the SQLite file ``database``."""

    base: str
    api: Any
    aws_url: str
    database: Any
    notes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RecoveryCase:
    """``start(world)`` puts work in flight over HTTP (a thread may go on until the kill) and returns
    a handle; ``finished(world, handle)`` is True once every piece reached a final state;
    ``check(world, handle)`` asserts nothing acknowledged was lost and nothing happened twice.
    ``env``: what the app's work needs to run at all in the gate (a slow stand-in, raised limits);
    ``deadlines``: the short deadlines that keep the gate from waiting minutes (bench/recovery_trial.py
    runs the same cases at full size without them, on the product's own deadlines)."""

    start: Callable[[World], Any]
    finished: Callable[[World, Any], bool]
    check: Callable[[World, Any], None]
    env: dict[str, str] = field(default_factory=dict)
    deadlines: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class NothingInFlight:
    """An app whose requests finish before they are answered: nothing waits in any state."""

    reason: str


def declarations() -> dict[str, RecoveryCase | NothingInFlight | None]:
    """Every product app's declaration by label (None: the app declares nothing)."""
    from core.contract.registry import product_apps

    found: dict[str, RecoveryCase | NothingInFlight | None] = {}
    for config in product_apps():
        try:
            module = importlib.import_module(f"tests.{config.label}.recovery")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{config.label}.recovery":
                raise
            found[config.label] = None
            continue
        found[config.label] = getattr(module, "RECOVERY", None)
    return found

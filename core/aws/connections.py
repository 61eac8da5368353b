"""Database connections of invocations that are not HTTP requests (schedules, queues, streams).

Django checks its persistent connections (``CONN_MAX_AGE``, ``CONN_HEALTH_CHECKS``) only on the
``request_started`` and ``request_finished`` signals, which only HTTP requests send. A warm Lambda
container that serves schedules, SQS, DynamoDB Streams or Kinesis would otherwise keep a connection
the server dropped (an Aurora failover, an RDS reboot, ``pg_terminate_backend``, an idle cut) for
ever: every later invocation fails with "terminating connection due to administrator command",
then "the connection is closed", until an HTTP request happens to reconnect.

:func:`fresh_connections` does what Django does around a request, around any other invocation:
``close_old_connections()`` before (a connection past its age or broken by an earlier error is
closed, and the next query's health check reconnects a dropped one) and after (a connection an
error left unusable is not handed to the next invocation). Nested uses (the Lambda router around a
batch handler) check once, at the outermost. A connection inside an atomic block is left alone:
closing it would end the caller's transaction (the test suite's, or a caller's own).
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_depth = threading.local()


def connections_close_stale() -> None:
    """Django's ``close_old_connections``, for open connections outside an atomic block only."""
    from django.conf import settings

    if not settings.configured:  # Django not loaded yet (a cold start): no connection to check
        return
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if connection.connection is not None and not connection.in_atomic_block:
            _close_if_unusable_or_obsolete(connection)


def _close_if_unusable_or_obsolete(connection: Any) -> None:
    """``BaseDatabaseWrapper.close_if_unusable_or_obsolete`` of Django 5.2 for an OPEN connection.

    The same steps, except that the autocommit flag is read as it is instead of through
    ``get_autocommit()``, whose ``ensure_connection()`` would open a connection (and which a test
    that may not use the database refuses even when the connection is already open).
    """
    connection.health_check_done = False  # the next query checks the connection first
    if connection.autocommit != connection.settings_dict["AUTOCOMMIT"]:
        connection.close()  # somebody left autocommit changed: do not take chances
        return
    if connection.errors_occurred:
        if connection.is_usable():
            connection.errors_occurred = False
            connection.health_check_done = True
        else:
            connection.close()
            return
    if connection.close_at is not None and time.monotonic() >= connection.close_at:
        connection.close()


@contextmanager
def fresh_connections() -> Iterator[None]:
    """Check the database connections before and after the block, as Django does around a request."""
    outermost = getattr(_depth, "value", 0) == 0
    _depth.value = getattr(_depth, "value", 0) + 1
    try:
        if outermost:
            connections_close_stale()
        yield
    finally:
        _depth.value -= 1
        if outermost:
            connections_close_stale()


def with_fresh_connections(function: F) -> F:
    """Decorator form of :func:`fresh_connections` for Lambda handlers ``(event, context)``."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with fresh_connections():
            return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]

"""Lambda entry points that are not HTTP.

Every scheduled event in ``zappa_settings.json`` calls :func:`run_command`; the event's
``kwargs`` (an EventBridge input template Zappa writes) name the management command and its
arguments, so the settings file itself says which command runs when::

    {"name": "daily-check", "function": "config.events.run_command",
     "expression": "cron(15 3 * * ? *)", "kwargs": {"command": "check", "args": ["--deploy"]}}

Queue and stream handlers live beside their app, in ``<app>/events.py``.

EventBridge delivers a scheduled event at least once: the same firing (one event ``id``) can
arrive twice, and Lambda retries a failed one with that same ``id``. A firing is claimed in the
shared DynamoDB cache before its command runs (``add``: one conditional PutItem), so a duplicate
is skipped with a log line, while a failed run gives its claim back for the retry. A claim not
marked done expires after ``SCHEDULE_CLAIM_SECONDS`` (longer than the function's timeout), so a
run killed mid-way is still retried. Calls without an EventBridge id (tests, a person) always run.
"""

from __future__ import annotations

import logging
import time
from io import StringIO
from typing import Any

logger = logging.getLogger(__name__)


class ScheduledCommandError(RuntimeError):
    """The scheduled command failed; raised so Lambda records the invocation as an error."""


def _command_from(event: dict[str, Any]) -> tuple[str, list[str]]:
    kwargs = event.get("kwargs") or {}
    command = kwargs.get("command")
    if not command or not isinstance(command, str):
        raise ScheduledCommandError(f"The event names no command: kwargs={kwargs!r}")
    args = kwargs.get("args") or []
    if not isinstance(args, list):
        raise ScheduledCommandError(f"kwargs.args must be a list, got {args!r}")
    return command, [str(arg) for arg in args]


# How long a firing's claim says "done": EventBridge and Lambda stop redelivering well before.
DONE_SECONDS = 24 * 60 * 60


def _claim_key(event: dict[str, Any]) -> str | None:
    event_id = event.get("id")
    if event.get("source") != "aws.events" or not isinstance(event_id, str) or not event_id:
        return None
    return f"scheduled-event:{event_id}"


def _claims() -> Any:
    from django.conf import settings
    from django.core.cache import caches

    return caches[settings.SCHEDULE_CLAIMS_CACHE]


def _claim(key: str | None, command: str) -> bool:
    """True if this delivery is the one to run (the cache failing lets it run: fail open)."""
    from django.conf import settings

    if key is None:
        return True
    try:
        return bool(_claims().add(key, "running", timeout=settings.SCHEDULE_CLAIM_SECONDS))
    except Exception as exc:  # DynamoDB unreachable: a duplicate run beats a missed one
        logger.warning("Scheduled command %s runs unclaimed: the shared cache failed (%s)", command, exc)
        return True


def _release(key: str | None, *, done: bool) -> None:
    if key is None:
        return
    try:
        if done:
            _claims().set(key, "done", timeout=DONE_SECONDS)
        else:
            _claims().delete(key)
    except Exception as exc:
        logger.warning("Could not %s the claim %s: %s", "close" if done else "release", key, exc)


def run_command(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Run the management command named in ``event["kwargs"]`` and return its summary line."""
    command, args = _command_from(event)
    key = _claim_key(event)
    if not _claim(key, command):
        logger.info("Scheduled command %s skipped: event %s was delivered before", command, event["id"])
        return {"command": command, "args": args, "summary": "skipped: a duplicate delivery"}
    try:
        result = _run(command, args, event)
    except BaseException:
        _release(key, done=False)
        raise
    _release(key, done=True)
    return result


def _run(command: str, args: list[str], event: dict[str, Any]) -> dict[str, Any]:
    from django.core.management import call_command

    rule = (event.get("resources") or ["(direct call)"])[0]
    logger.info("Scheduled command %s %s started (%s)", command, " ".join(args), rule)
    started = time.perf_counter()
    out = StringIO()
    try:
        summary = call_command(command, *args, stdout=out, stderr=out)
    except BaseException as exc:  # SystemExit/CommandError included: Lambda must see a failure
        elapsed = (time.perf_counter() - started) * 1000
        logger.error("Scheduled command %s failed after %.0f ms: %s", command, elapsed, exc)
        output = out.getvalue().strip()
        if output:
            logger.error("Output of %s:\n%s", command, output)
        raise ScheduledCommandError(f"{command} failed: {exc}") from exc
    elapsed = (time.perf_counter() - started) * 1000
    summary = (summary or "").strip() or _last_line(out.getvalue())
    logger.info("Scheduled command %s finished in %.0f ms: %s", command, elapsed, summary)
    return {"command": command, "args": args, "summary": summary}


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"

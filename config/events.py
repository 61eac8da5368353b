"""Lambda entry points that are not HTTP.

Every scheduled event in ``zappa_settings.json`` calls :func:`run_command`; the event's
``kwargs`` (an EventBridge input template Zappa writes) name the management command and its
arguments, so the settings file itself says which command runs when::

    {"name": "daily-check", "function": "config.events.run_command",
     "expression": "cron(15 3 * * ? *)", "kwargs": {"command": "check", "args": ["--deploy"]}}

Queue and stream handlers live beside their app, in ``<app>/events.py``.
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


def run_command(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Run the management command named in ``event["kwargs"]`` and return its summary line."""
    from django.core.management import call_command

    command, args = _command_from(event)
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

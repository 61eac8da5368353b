"""Lambda entry points that are not HTTP: scheduled commands and ``{"manage": ...}`` events.

Every scheduled event in ``zappa_settings.json`` calls :func:`run_command`; the event's
``kwargs`` (an EventBridge input template Zappa writes) name the management command and its
arguments, so the settings file itself says which command runs when::

    {"name": "daily-check", "function": "config.events.run_command",
     "expression": "cron(15 3 * * ? *)", "kwargs": {"command": "check", "args": ["--deploy"]}}

``{"manage": "migrate --noinput"}`` (what ``zappa manage`` sends) runs through :func:`run_manage`.

Both run only an allowed command (:func:`allowed_commands`): the commands the schedules of
zappa_settings.json name, plus ``settings.LAMBDA_ALLOWED_COMMANDS`` (the operations a deploy needs:
migrate, provision, sync_event_sources...). Anybody who may invoke the function, or any source
that passes caller-shaped JSON through, could otherwise run ``flush``. A refusal is one log line
and an exception, so Lambda records the invocation as failed.

Queue and stream handlers live beside their app, in ``<app>/events.py``.

EventBridge delivers a scheduled event at least once: the same firing (one event ``id``) can
arrive twice, and Lambda retries a failed one with that same ``id``. A firing is claimed in the
shared DynamoDB cache before its command runs (``add``: one conditional PutItem), so a duplicate
is skipped with a log line, while a failed run gives its claim back for the retry. A claim not
marked done expires after ``SCHEDULE_CLAIM_SECONDS`` (longer than the function's timeout), so a
run killed mid-way is still retried. Calls without an EventBridge id (tests, a person) always run.

Both check the database connections before and after the command (core.aws.connections): Django does
that only around HTTP requests, and a connection dropped between two firings must not fail the next.
"""

from __future__ import annotations

import logging
import shlex
import time
from functools import cache
from io import StringIO
from typing import Any

from core.aws.connections import with_fresh_connections
from core.aws.deadlines import invocation_deadline

logger = logging.getLogger(__name__)

# The function every schedule of zappa_settings.json names (config.lambda_entry runs no other).
RUN_COMMAND = "config.events.run_command"


class ScheduledCommandError(RuntimeError):
    """The scheduled command failed; raised so Lambda records the invocation as an error."""


class CommandRefused(ScheduledCommandError):
    """The event names a command outside the allow-list; nothing ran."""


@cache
def scheduled_commands() -> frozenset[str]:
    """The commands the schedules of every stage of zappa_settings.json run."""
    import json

    from core.stages import SETTINGS_FILE

    try:
        stages = json.loads(SETTINGS_FILE.read_text())
    except (OSError, ValueError) as exc:
        logger.warning("Scheduled commands unknown: %s cannot be read (%s)", SETTINGS_FILE.name, exc)
        return frozenset()
    found = set()
    for stage in stages.values():
        for event in stage.get("events", []) if isinstance(stage, dict) else []:
            command = (event.get("kwargs") or {}).get("command")
            if event.get("function") == RUN_COMMAND and isinstance(command, str):
                found.add(command)
    return frozenset(found)


def allowed_commands() -> frozenset[str]:
    """What a schedule or a ``manage`` event may run: the schedules' commands + LAMBDA_ALLOWED_COMMANDS."""
    from django.conf import settings

    return scheduled_commands() | frozenset(settings.LAMBDA_ALLOWED_COMMANDS)


def _refuse_unless_allowed(command: str, *, via: str) -> None:
    if command in allowed_commands():
        return
    message = (
        f"Refused {via} {command!r}: not a command of zappa_settings.json's schedules nor of "
        "LAMBDA_ALLOWED_COMMANDS; nothing ran."
    )
    logger.error(message)
    raise CommandRefused(message)


def _command_from(event: dict[str, Any]) -> tuple[str, list[str]]:
    kwargs = event.get("kwargs") or {}
    if not isinstance(kwargs, dict):
        raise ScheduledCommandError(f"The event's kwargs must be an object, got {kwargs!r}")
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


def _call(command: str, args: list[str], *, origin: str, log_output: bool = False) -> dict[str, Any]:
    """Run an allowed management command, log its summary line, raise if it fails."""
    from django.core.management import call_command

    logger.info("Command %s %s started (%s)", command, " ".join(args), origin)
    started = time.perf_counter()
    out = StringIO()
    try:
        summary = call_command(command, *args, stdout=out, stderr=out)
    except BaseException as exc:  # SystemExit/CommandError included: Lambda must see a failure
        elapsed = (time.perf_counter() - started) * 1000
        logger.error("Command %s failed after %.0f ms: %s", command, elapsed, exc)
        output = out.getvalue().strip()
        if output:
            logger.error("Output of %s:\n%s", command, output)
        raise ScheduledCommandError(f"{command} failed: {exc}") from exc
    elapsed = (time.perf_counter() - started) * 1000
    if log_output and out.getvalue().strip():
        logger.info("Output of %s:\n%s", command, out.getvalue().strip())
    summary = (summary if isinstance(summary, str) else "").strip() or _last_line(out.getvalue())
    logger.info("Command %s finished in %.0f ms: %s", command, elapsed, summary)
    return {"command": command, "args": args, "summary": summary}


@with_fresh_connections
def run_command(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Run the allowed management command named in ``event["kwargs"]`` and return its summary line
    (once per EventBridge firing)."""
    command, args = _command_from(event)
    _refuse_unless_allowed(command, via="scheduled command")
    key = _claim_key(event)
    if not _claim(key, command):
        logger.info("Scheduled command %s skipped: event %s was delivered before", command, event["id"])
        return {"command": command, "args": args, "summary": "skipped: a duplicate delivery"}
    resources = event.get("resources")
    rule = resources[0] if isinstance(resources, list) and resources else "(direct call)"
    try:
        with invocation_deadline(context):  # long commands stop in time (core.aws.deadlines)
            result = _call(command, args, origin=str(rule))
    except BaseException:
        _release(key, done=False)
        raise
    _release(key, done=True)
    return result


@with_fresh_connections
def run_manage(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """``{"manage": "migrate --noinput"}``: run an allowed management command (shell-style quoting)."""
    line = event.get("manage")
    if not isinstance(line, str):
        message = f"Refused manage event: 'manage' must be a command line, got {type(line).__name__}."
        logger.error(message)
        raise CommandRefused(message)
    try:
        words = shlex.split(line)
    except ValueError as exc:
        message = f"Refused manage event: cannot read {line!r} ({exc})."
        logger.error(message)
        raise CommandRefused(message) from exc
    if not words:
        message = "Refused manage event: it names no command."
        logger.error(message)
        raise CommandRefused(message)
    command, args = words[0], words[1:]
    _refuse_unless_allowed(command, via="manage command")
    with invocation_deadline(context):
        return _call(command, args, origin="manage event", log_output=True)


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"

"""The Lambda handler named by ``"lambda_handler"`` in zappa_settings.json.

It looks at the event before importing anything heavy, and runs only what this product sends it:

* HTTP (API Gateway v1/v2, ALB) -> ``config.lambda_http`` -> Django, without zappa.handler,
  werkzeug or boto3 (they cost ~100 ms of every cold start and HTTP needs none of them).
* ``Records`` from DynamoDB Streams, Kinesis or SQS -> the handler an app declared for that table,
  stream or queue (``event_sources`` on its AppConfig, core.contract.registry), found by the resource NAME in
  the records' ARN: a DynamoDB stream ARN ends in the stream's creation time, which no settings
  file can know. Records of any other source (one nobody declared, SNS, S3...) are refused.
* A schedule (EventBridge ``Scheduled Event``) -> :func:`config.events.run_command` (the one
  function zappa_settings.json's events name), or Zappa's keep-warm ping.
* ``{"manage": "migrate --noinput"}`` (``zappa manage``) -> :func:`config.events.run_manage`.
  Schedules and ``manage`` run only allowed commands (config.events.allowed_commands).
* ``{"command": "module.function"}`` (``zappa invoke``) -> only a function listed in
  ``settings.LAMBDA_ALLOWED_FUNCTIONS`` (none by default); ``raw_command`` (Python source) never.
* Anything else raises :class:`UnroutableEvent`.

Every non-HTTP invocation checks the database connections before and after it, as Django does
around an HTTP request (core.aws.connections): a connection the server dropped between two schedules
is replaced instead of failing every invocation of the warm container.

Every refusal is one log line and an exception: Lambda records the invocation as failed (so
asynchronous events are retried and reach the function's dead-letter queue, and alarms see it);
nothing an event asks for is silently dropped as a success. Zappa's own ``LambdaHandler`` is still
built for every non-HTTP event (it loads the settings, remote_env and Django as for any Zappa
event), but its dispatch, which obeys ``raw_command`` and any dotted ``command``, is never used.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)

# SnapStart (a stage's opt-in): Lambda imports this module during Init; with AWS_LAMBDA_INITIALIZATION_TYPE
# = snap-start the before-snapshot and after-restore hooks are registered (config/snapstart.py), else nothing.
from config import snapstart  # noqa: E402  (standard library only until its hooks run)

snapstart.register()

SETTINGS_MODULE = "zappa_settings"
KEEP_WARM_FUNCTION = (
    "keep_warm_callback"  # Zappa's keep-warm rule: ...-zappa-keep-warm-handler.keep_warm_callback
)


class UnroutableEvent(RuntimeError):
    """An event this function has no handler for: raised so Lambda records an error (and retries)."""


class RefusedEvent(UnroutableEvent):
    """An event asking to run something this function never runs (raw Python, an unlisted function)."""


def _refuse(message: str, kind: type[UnroutableEvent] = UnroutableEvent) -> UnroutableEvent:
    logger.error(message)
    return kind(message)


def _zappa_handler() -> Any:
    from zappa.handler import LambdaHandler

    return LambdaHandler(SETTINGS_MODULE)


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:77]}..."


def _records_source(records: Any) -> tuple[str, str]:
    """(service, name) of the one source a batch comes from; refuses a batch it cannot place."""
    from core.contract.naming import parse_arn

    if not isinstance(records, list) or not records:
        raise _refuse(f"Records must be a non-empty list, got {_describe(records)}.")
    sources = set()
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            raise _refuse(
                f"Record {index} of {len(records)} is not an object ({_describe(record)}): "
                "no source to route the batch by."
            )
        arn = record.get("eventSourceARN") or record.get("EventSubscriptionArn") or ""
        parsed = parse_arn(arn)
        if parsed is None:
            raise _refuse(
                f"Record {index} of {len(records)} comes from {_describe(arn or None)}: "
                "not a DynamoDB stream, Kinesis stream or SQS queue this function consumes."
            )
        sources.add((parsed[0], parsed[2]))
    if len(sources) > 1:
        raise _refuse(f"One batch names several sources: {sorted(sources)}.")
    (source,) = sources
    return source


def _records(event: dict[str, Any], context: Any) -> Any:
    service, name = _records_source(event["Records"])
    zappa = _zappa_handler()  # loads settings, the environment and Django, as for any Zappa event
    from core.contract.registry import event_source_for

    source = event_source_for(service, name)
    if source is None:
        raise _refuse(f"No app declares a handler for {service} {name} ({len(event['Records'])} records).")
    function = zappa.import_module_and_get_function(source.function)
    return function(event, context)


def _scheduled(event: dict[str, Any], context: Any) -> Any:
    resources = event.get("resources")
    rule = resources[0] if isinstance(resources, list) and resources else None
    if not isinstance(rule, str) or "/" not in rule:
        raise _refuse(
            f"Scheduled event without a rule ARN in resources ({_describe(resources)}): "
            "the rule's name says which function runs."
        )
    function = rule.rsplit("/", 1)[-1].rsplit("-", 1)[-1]  # Zappa's rule name ends in -<function>
    _zappa_handler()  # settings, remote_env and Django, as for any Zappa event
    if function.rsplit(".", 1)[-1] == KEEP_WARM_FUNCTION:
        return {"keep_warm": True}  # building Zappa's handler loaded Django: the instance is warm
    from config import events

    if function != events.RUN_COMMAND:
        raise _refuse(
            f"Refused scheduled event of rule {rule}: it names {function!r}; schedules run only "
            f"{events.RUN_COMMAND}.",
            RefusedEvent,
        )
    return events.run_command(event, context)


def _manage(event: dict[str, Any], context: Any) -> Any:
    _zappa_handler()
    from config.events import run_manage

    return run_manage(event, context)


def _direct_function(event: dict[str, Any], context: Any) -> Any:
    path = event.get("command")
    zappa = _zappa_handler()
    from django.conf import settings

    if not isinstance(path, str) or path not in settings.LAMBDA_ALLOWED_FUNCTIONS:
        raise _refuse(
            f"Refused command event {_describe(path)}: only functions listed in "
            "LAMBDA_ALLOWED_FUNCTIONS run this way (none by default); nothing ran.",
            RefusedEvent,
        )
    function = zappa.import_module_and_get_function(path)
    return function(event, context)


def handler(event: Any, context: Any = None) -> Any:
    """Lambda's entry point for every event of this function."""
    from config.lambda_environment import prepare
    from config.lambda_http import event_kind

    prepare()  # secrets (SSM) and remote_env before anything loads Django's settings

    if not isinstance(event, dict):
        raise _refuse(f"Not an event this function handles: {_describe(event)}.")
    if event_kind(event) is not None:
        from config.lambda_http import handle

        return handle(event, context)
    if "raw_command" in event:
        raise _refuse("Refused raw_command event: this function never runs Python sent to it.", RefusedEvent)
    route = _route(event)
    from core.aws.connections import fresh_connections

    with fresh_connections():  # Django checks connections on HTTP requests only (core/aws/connections.py)
        return route(event, context)


def _route(event: dict[str, Any]) -> Any:
    """The function that runs a non-HTTP event, or UnroutableEvent."""
    if "Records" in event:
        return _records
    if event.get("detail-type") == "Scheduled Event":
        return _scheduled
    if "manage" in event:
        return _manage
    if "command" in event:
        return _direct_function
    raise _refuse(
        f"Not an event this function handles (keys: {sorted(event)[:10]}): not HTTP, records of a "
        "declared source, a schedule, manage or an allowed command."
    )

"""The Lambda handler named by ``"lambda_handler"`` in zappa_settings.json.

It looks at the event before importing anything heavy:

* HTTP (API Gateway v1/v2, ALB) -> ``config.lambda_http`` -> Django, without zappa.handler,
  werkzeug or boto3 (they cost ~100 ms of every cold start and HTTP needs none of them).
* ``Records`` from DynamoDB Streams, Kinesis or SQS -> the handler an app declared for that table,
  stream or queue (``event_sources`` on its AppConfig, core.registry), found by the resource NAME in
  the record's ARN: a DynamoDB stream ARN ends in the stream's creation time, which no settings
  file can know.
* everything else (schedules, keep-warm, ``{"manage": ...}``) -> Zappa's own ``LambdaHandler``.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)

SETTINGS_MODULE = "zappa_settings"


class UnroutableEvent(RuntimeError):
    """An event this function has no handler for: raised so Lambda records an error (and retries)."""


def _zappa_handler() -> Any:
    from zappa.handler import LambdaHandler

    return LambdaHandler(SETTINGS_MODULE)


def _records(event: dict[str, Any], context: Any) -> Any:
    from core.naming import parse_arn

    records = event["Records"]
    first = records[0] if isinstance(records[0], dict) else {}
    arn = first.get("eventSourceARN") or first.get("EventSubscriptionArn") or ""
    parsed = parse_arn(arn)
    zappa = _zappa_handler()  # loads settings, the environment and Django, as for any Zappa event
    if parsed is None:
        return zappa.handler(event, context)  # SNS, S3...: Zappa's own routing
    from core.registry import event_source_for

    service, _region, name = parsed
    source = event_source_for(service, name)
    if source is None:
        raise UnroutableEvent(f"No app declares a handler for {service} {name} ({len(records)} records).")
    function = zappa.import_module_and_get_function(source.function)
    return zappa.run_function(function, event, context)


def handler(event: dict[str, Any], context: Any = None) -> Any:
    """Lambda's entry point for every event of this function."""
    from config.lambda_environment import prepare
    from config.lambda_http import event_kind

    prepare()  # secrets (SSM) and remote_env before anything loads Django's settings

    if event_kind(event) is not None:
        from config.lambda_http import handle

        return handle(event, context)
    if event.get("Records"):
        return _records(event, context)
    from zappa.handler import LambdaHandler

    return LambdaHandler.lambda_handler(event, context)

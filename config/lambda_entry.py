"""The Lambda handler named by ``"lambda_handler"`` in zappa_settings.json.

It looks at the event before importing anything heavy:

* HTTP (API Gateway v1/v2, ALB) -> ``config.lambda_http`` -> Django, without zappa.handler,
  werkzeug or boto3 (they cost ~100 ms of every cold start and HTTP needs none of them).
* ``Records`` from DynamoDB Streams, Kinesis or SQS -> the function the settings map to that
  table, stream or queue NAME. Zappa routes by the exact ARN written in the settings, but a
  DynamoDB stream ARN ends in the stream's creation time, which no settings file can know, so
  Zappa would drop such events ("Cannot find a function to process the triggered event").
* everything else (schedules, keep-warm, ``{"manage": ...}``, ``{"command": ...}``, SNS, S3)
  -> Zappa's own ``LambdaHandler``, unchanged.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)

SETTINGS_MODULE = "zappa_settings"


def source_key(arn: str) -> tuple[str, str] | None:
    """(service, resource name) of a table/stream/queue ARN; None for other ARNs.

    ``arn:aws:dynamodb:r:a:table/T/stream/2026-...`` -> ("dynamodb", "T");
    ``arn:aws:kinesis:r:a:stream/S`` -> ("kinesis", "S"); ``arn:aws:sqs:r:a:Q`` -> ("sqs", "Q").
    """
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return None
    service, resource = parts[2], parts[5]
    if service == "dynamodb" and resource.startswith("table/"):
        return ("dynamodb", resource.split("/")[1])
    if service == "kinesis" and resource.startswith("stream/"):
        return ("kinesis", resource.split("/")[1])
    if service == "sqs" and "/" not in resource:
        return ("sqs", resource)
    return None


def functions_by_source(event_mapping: dict[str, Any]) -> dict[tuple[str, str], list[str]]:
    """Zappa's AWS_EVENT_MAPPING ({arn: [function, ...]}) re-keyed by (service, name)."""
    routes: dict[tuple[str, str], list[str]] = {}
    for arn, functions in event_mapping.items():
        key = source_key(arn)
        if key is not None:
            routes.setdefault(key, []).extend([functions] if isinstance(functions, str) else functions)
    return routes


def _zappa_handler() -> Any:
    from zappa.handler import LambdaHandler

    return LambdaHandler(SETTINGS_MODULE)


def _records(event: dict[str, Any], context: Any) -> Any:
    records = event["Records"]
    key = source_key(records[0].get("eventSourceARN") or "")
    zappa = _zappa_handler()  # loads settings, the environment and Django, as for any Zappa event
    functions = (
        functions_by_source(getattr(zappa.settings, "AWS_EVENT_MAPPING", {})).get(key) if key else None
    )
    if not functions:
        return zappa.handler(event, context)
    result = None
    for whole_function in functions:
        function = zappa.import_module_and_get_function(whole_function)
        result = zappa.run_function(function, event, context)
    return result


def handler(event: dict[str, Any], context: Any = None) -> Any:
    """Lambda's entry point for every event of this function."""
    from config.lambda_http import event_kind

    if event_kind(event) is not None:
        from config.lambda_http import handle

        return handle(event, context)
    if event.get("Records"):
        return _records(event, context)
    from zappa.handler import LambdaHandler

    return LambdaHandler.lambda_handler(event, context)

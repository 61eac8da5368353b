"""The one naming rule of the stage's AWS resources, and the one ARN parser.

Every table, queue, topic, Kinesis stream and the function itself is named
``<project>-<stage>-<suffix>`` (``serverless-django-dev-routine-days``); on the laptop
``AWS_RESOURCE_PREFIX`` may point the product at another stage's resources. Standard library only
(and Django settings read lazily): the Lambda router imports this on every queue or stream event.
"""

from __future__ import annotations

import re

PROJECT_NAME = "serverless-django"


def stage_prefix(stage: str, *, project: str = PROJECT_NAME) -> str:
    """The prefix of every resource of ``stage``: ``serverless-django-<stage>-``."""
    return f"{project}-{stage}-"


def current_prefix() -> str:
    """The prefix this process uses (``settings.AWS_RESOURCE_PREFIX``)."""
    from django.conf import settings

    return settings.AWS_RESOURCE_PREFIX


def resource_name(suffix: str, *, stage: str | None = None) -> str:
    """The AWS name of the resource ``suffix``: of this process's stage, or of ``stage``."""
    prefix = current_prefix() if stage is None else stage_prefix(stage)
    return f"{prefix}{suffix}"


def dead_letter_name(name: str) -> str:
    """The dead-letter (or on-failure) queue of a queue or stream: ``<name>-dlq``."""
    return f"{name}-dlq"


def function_name(stage: str, *, project: str = PROJECT_NAME) -> str:
    """The Lambda function Zappa creates for ``stage`` (its slug of ``project-stage``)."""
    return re.sub(r"[^a-z0-9-]+", "-", f"{project}-{stage}".lower()).strip("-")


def parse_arn(arn: str) -> tuple[str, str, str] | None:
    """(service, region, name) of a DynamoDB table/stream, Kinesis stream or SQS queue ARN, else None.

    ``arn:aws:dynamodb:r:a:table/T/stream/2026-...`` -> ("dynamodb", "r", "T");
    ``arn:aws:kinesis:r:a:stream/S`` -> ("kinesis", "r", "S"); ``arn:aws:sqs:r:a:Q`` -> ("sqs", "r", "Q").
    """
    parts = arn.split(":", 5) if isinstance(arn, str) else []
    if len(parts) != 6 or parts[0] != "arn":
        return None
    service, region, resource = parts[2], parts[3], parts[5]
    if service in ("dynamodb", "kinesis"):
        kind, _, rest = resource.partition("/")
        if kind == ("table" if service == "dynamodb" else "stream") and rest:
            return (service, region, rest.split("/")[0])
        return None
    if service == "sqs" and resource and "/" not in resource:
        return (service, region, resource)
    return None

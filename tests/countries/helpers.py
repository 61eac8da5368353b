"""Helpers behind the countries fixtures, shared with the duplicate-delivery cases and the browser test."""

from __future__ import annotations

import json
from typing import Any


def sandbox_on(base_url: str, settings: Any, mode: str = "") -> str:
    """Point REST_COUNTRIES_BASE_URL at the stand-in served at ``base_url`` (``mode``: "fail/503", ...)."""
    upstream = f"{base_url}/sandbox/countries" + (f"/{mode}" if mode else "")
    settings.REST_COUNTRIES_BASE_URL = upstream
    return upstream


def sqs_event(
    *bodies: Any, queue: str = "serverless-django-test-fetch-requests", receive_count: int = 1
) -> dict:
    """An SQS batch as Lambda delivers it, one record per body (dicts are JSON-encoded)."""
    records = []
    for number, body in enumerate(bodies, start=1):
        records.append(
            {
                "messageId": f"0a1b2c3d-0000-4000-8000-{number:012d}",
                "receiptHandle": f"receipt-{number}",
                "body": body if isinstance(body, str) else json.dumps(body),
                "attributes": {
                    "ApproximateReceiveCount": str(receive_count),
                    "SentTimestamp": "1767225600000",
                    "SenderId": "AIDAEXAMPLE",
                    "ApproximateFirstReceiveTimestamp": "1767225600000",
                },
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:us-east-1:123456789012:{queue}",
                "awsRegion": "us-east-1",
            }
        )
    return {"Records": records}


def queued_bodies(*, dlq: bool = False) -> list[dict]:
    """The messages waiting on the fetch queue (or its DLQ), read without consuming them for long."""
    from core.aws import client
    from core.contract.naming import resource_name

    sqs = client("sqs")
    name = resource_name("fetch-requests") + ("-dlq" if dlq else "")
    url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    found = []
    for _ in range(5):
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0).get(
            "Messages", []
        )
        if not messages:
            break
        found = [json.loads(m["Body"]) for m in messages]
        break
    return found

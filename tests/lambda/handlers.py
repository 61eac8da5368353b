"""Fixture handlers for dispatch tests: SQS and Kinesis have no product handler yet (countries and
scraper come in later issues). They live in the test tree, never in the shipped zip."""

import base64
import json

from core.aws.batch import batch_handler, bulk_stream_handler

CALLS: list[dict] = []


def _body(record):
    if "kinesis" in record:
        return json.loads(base64.b64decode(record["kinesis"]["data"]))
    if "dynamodb" in record:
        image = record["dynamodb"].get("NewImage") or {}
        return {"new": image, "event": record["eventName"], "poison": "poison" in image}
    return json.loads(record["body"])


@batch_handler
def fail_on_poison(record):
    """Fails every record whose payload says ``"poison": true``."""
    body = _body(record)
    CALLS.append({"source": record.get("eventSource"), "body": body, "arn": record.get("eventSourceARN")})
    if isinstance(body, dict) and body.get("poison"):
        raise ValueError("poison record")


def whole_batch(event, context):
    CALLS.append({"records": len(event["Records"]), "arn": event["Records"][0]["eventSourceARN"]})
    return {"batchItemFailures": []}


def ping(event, context):
    return {"pong": event.get("value")}


def _users_seen():
    from accounts.models import User

    CALLS.append({"users": User.objects.count()})


@batch_handler
def count_users(record):
    """Reads the database once per record (for the dropped-connection tests)."""
    _users_seen()


count_users_in_bulk = bulk_stream_handler(parse=lambda record: record, apply=lambda records: _users_seen())

"""Helpers behind the prices fixtures, shared with the browser test (tests/e2e)."""

from __future__ import annotations

import json
from typing import Any


def sandbox_on(live_server, settings) -> str:
    """Point the sandbox base (and so the open-data client) at the live server; a fresh sandbox."""
    from prices import clients
    from prices.sandbox import data

    settings.SANDBOX_BASE_URL = f"{live_server.url}/sandbox"
    settings.NY_OPEN_DATA_BASE_URL = None
    settings.PRICES_SITE_URL = live_server.url
    clients._client.cache_clear()
    data.appended_reset()
    return f"{live_server.url}/sandbox/prices"


def drop_queue(*, regions: list[str], min_drop_cents: int) -> str:
    """An SQS queue subscribed to the price-drops topic with a subscription's filter policy; its URL."""
    from core.aws import client
    from core.naming import resource_name
    from prices import notify

    sqs = client("sqs")
    url = sqs.create_queue(QueueName=resource_name(f"test-drops-{min_drop_cents}-{len(regions)}"))["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    client("sns").subscribe(
        TopicArn=notify.topic_arn(),
        Protocol="sqs",
        Endpoint=arn,
        Attributes={
            "FilterPolicy": json.dumps(notify.filter_policy(regions=regions, min_drop_cents=min_drop_cents))
        },
    )
    return url


def received(url: str) -> list[dict[str, Any]]:
    """Every SNS notification in the queue (removed from it): the envelopes' JSON."""
    from core.aws import client

    sqs = client("sqs")
    found = []
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return found
        for message in messages:
            found.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def stream_record(
    item, *, event_name: str = "MODIFY", sequence: str = "100000000000000000001", old=None
) -> dict:
    """A DynamoDB stream record of a LatestPriceItem as Lambda delivers it."""
    image = item.serialize()
    table = type(item).Meta.table_name
    body = {
        "Keys": {"region": image["region"]},
        "SequenceNumber": sequence,
        "SizeBytes": 100,
        "StreamViewType": "NEW_AND_OLD_IMAGES",
    }
    if event_name != "REMOVE":
        body["NewImage"] = image
    if old is not None:
        body["OldImage"] = old.serialize()
    return {
        "eventID": sequence[-6:],
        "eventName": event_name,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "eventSourceARN": f"arn:aws:dynamodb:us-east-1:123456789012:table/{table}/stream/2026-01-01T00:00:00.000",
        "dynamodb": body,
    }

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


def address_queue(email: str) -> str:
    """An SQS queue subscribed to the price-drops topic with the filter policy of ``email``'s SNS
    subscription (what SNS would email that address); its URL."""
    import hashlib

    from core.aws import client
    from core.contract.naming import resource_name
    from prices import notify

    sqs = client("sqs")
    name = resource_name(f"test-address-{hashlib.sha256(email.encode()).hexdigest()[:12]}")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    client("sns").subscribe(
        TopicArn=notify.topic_arn(),
        Protocol="sqs",
        Endpoint=arn,
        Attributes={"FilterPolicy": json.dumps(notify.filter_policy(email=email))},
    )
    return url


def week_of_drops(week, previous_week, **prices) -> list[dict]:
    """Store the reports of ``previous_week`` and ``week`` (``albany=("3.52", "3.40")``: before,
    after) and return the stream records the latest-price items of ``week`` would make."""
    from decimal import Decimal

    from prices.models import PriceReport
    from tests.prices.factories import latest_item

    records = []
    for n, (region, (before, after)) in enumerate(prices.items()):
        PriceReport.objects.create(week=previous_week, region=region, price=Decimal(before))
        PriceReport.objects.create(week=week, region=region, price=Decimal(after))
        item = latest_item(region, week=week, price=after, previous_week=previous_week, previous_price=before)
        records.append(stream_record(item, sequence=f"1000000000000000000{n + 10}"))
    return records


def link_path(body: str) -> str:
    """The path of the unsubscribe link in an alert's body."""
    link = body.split("Stop these alerts: ", 1)[1].split()[0]
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


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

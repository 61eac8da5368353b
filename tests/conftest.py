"""Test fixtures shared by every app: the embedded AWS, personas and their clients.

The emulator itself is started by tests/settings.py (before Django's settings load), so every
boto3/PynamoDB call in the product goes over HTTP to moto, as it would to AWS.

* ``aws``: every declared table, queue, topic and stream exists and is empty. They are provisioned
  once per session; each test then only empties the tables and purges the queues (a few ms), so
  the cost does not grow with every table an app adds.
* ``aws_fresh``: a brand-new emulator (moto reset, then provisioning) for the tests that create or
  delete resources themselves, or read a stream from its first record.
* ``alice`` and ``bob`` need only the database; ``alice_client`` (a logged-in browser session)
  needs ``aws`` because sessions live in DynamoDB.
"""

from __future__ import annotations

import os

import pytest


class _Emulator:
    """What the session's emulator holds: "empty" (nothing), "provisioned" (the declared resources,
    maybe with items) or "dirty" (whatever a test using ``aws_fresh`` left)."""

    state = "empty"


def _provision() -> None:
    from core.deploy.provisioning import aws_provision

    aws_provision()
    _Emulator.state = "provisioned"


def _reset() -> None:
    import requests

    # Clients stay: the endpoint is the same, and building boto3 clients again costs ~1 s.
    requests.post(f"{os.environ['AWS_ENDPOINT_URL']}/moto-api/reset", timeout=10)
    _Emulator.state = "empty"


def _empty_everything() -> None:
    from core.aws import client

    dynamodb = client("dynamodb")
    for table in dynamodb.list_tables()["TableNames"]:
        keys = [k["AttributeName"] for k in dynamodb.describe_table(TableName=table)["Table"]["KeySchema"]]
        pages = dynamodb.get_paginator("scan").paginate(
            TableName=table,
            ProjectionExpression=", ".join(f"#k{n}" for n in range(len(keys))),
            ExpressionAttributeNames={f"#k{n}": key for n, key in enumerate(keys)},
        )
        items = [item for page in pages for item in page["Items"]]
        for start in range(0, len(items), 25):
            dynamodb.batch_write_item(
                RequestItems={table: [{"DeleteRequest": {"Key": key}} for key in items[start : start + 25]]}
            )
    # SNS subscriptions (users' alerts, test queues) go too: a test sees only its own.
    sns = client("sns")
    for page in sns.get_paginator("list_subscriptions").paginate():
        for subscription in page["Subscriptions"]:
            sns.unsubscribe(SubscriptionArn=subscription["SubscriptionArn"])
    # SQS allows one PurgeQueue a minute: a queue holding messages is recreated instead.
    sqs = client("sqs")
    for url in sqs.list_queues().get("QueueUrls", []):
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        held = int(attributes["ApproximateNumberOfMessages"]) + int(
            attributes["ApproximateNumberOfMessagesNotVisible"]
        )
        if held:
            keep = ("VisibilityTimeout", "MessageRetentionPeriod", "RedrivePolicy", "DelaySeconds")
            sqs.delete_queue(QueueUrl=url)
            sqs.create_queue(
                QueueName=url.rsplit("/", 1)[1],
                Attributes={k: attributes[k] for k in keep if k in attributes},
            )


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """No test counts another's requests against a throttle (the test settings' local cache)."""
    from django.conf import settings
    from django.core.cache import caches

    caches[settings.THROTTLE_CACHE].clear()


@pytest.fixture(autouse=True)
def _root_script_prefix():
    """Every test starts at the root URL prefix.

    A request through the Lambda handler in this process (tests/lambda/) sets Django's script
    prefix to its stage (`/dev/`) for the thread, and the test client never resets it, so a later
    test's reverse() would answer `/dev/account/login/`.
    """
    from django.urls import set_script_prefix

    set_script_prefix("/")
    yield
    set_script_prefix("/")


@pytest.fixture(scope="session")
def moto_url() -> str:
    return os.environ["AWS_ENDPOINT_URL"]


@pytest.fixture
def aws(moto_url):
    """Every declared AWS resource, provisioned once per session, emptied for this test."""
    if _Emulator.state == "provisioned":
        _empty_everything()
        return moto_url
    if _Emulator.state == "dirty":
        _reset()
    _provision()
    return moto_url


@pytest.fixture
def aws_fresh(moto_url):
    """A brand-new emulator holding only the declared resources (slow: for tests that need it)."""
    if _Emulator.state != "empty":
        _reset()
    _provision()
    _Emulator.state = "dirty"  # whatever this test creates or deletes, the next one starts over
    return moto_url


@pytest.fixture
def alice(db):
    from tests.accounts.factories import UserFactory

    return UserFactory(username="alice", time_zone="Europe/Paris")


@pytest.fixture
def bob(db):
    from tests.accounts.factories import UserFactory

    return UserFactory(username="bob", time_zone="America/Los_Angeles")


@pytest.fixture
def alice_client(alice, aws):
    from django.test import Client

    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def api_alice(alice):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(alice)
    return client


@pytest.fixture
def api_bob(bob):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(bob)
    return client


@pytest.fixture
def clock():
    """Pin the product's clock (core.clock): ``clock.set(datetime(..., tzinfo=...))``."""
    from core import clock as product_clock

    class Clock:
        now = None

        def set(self, when):
            self.now = when
            product_clock.set_frozen(when)

    yield Clock()
    product_clock.set_frozen(None)

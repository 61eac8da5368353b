"""The poll run keeps to the time it has: what finished is recorded, the rest released and polled next.

Hanging trackers (the sandbox's HANGS carts) cost each poll two read timeouts (1 s here) plus a
backoff; with two workers and seven of them a run cannot finish in the 3 s it is given, as a
Lambda at its timeout could not. Past ``TRACKER_POLL_SHARD_SIZE`` due orders the every-minute run
fans the orders out in shards over the ``poll-shards`` queue.
"""

import json
import time

import pytest
from django.core.management import call_command

from config.events import run_command
from tests.tracker.factories import order_for
from tracker import events, services
from tracker.models import StatusChange, TrackedOrder
from tracker.sandbox import carts

HANGING = 7


@pytest.fixture
def slow_world(alice, place, settings):
    """alice: one order whose tracker answers (first by id), then seven whose trackers hang."""
    settings.TRACKER_POLL_WORKERS = 2
    healthy = order_for(alice, place(), texted=["PC"])
    hanging = [order_for(alice, place(mode=carts.HANGS, walk=300 + n)) for n in range(HANGING)]
    return healthy, hanging


def _given(seconds):
    """A deadline ``seconds`` of polling from now (the run keeps services.RESERVE for itself)."""
    return time.monotonic() + services.RESERVE + seconds


def test_a_run_out_of_time_records_what_finished_and_releases_the_rest(slow_world):
    healthy, hanging = slow_world

    summary = services.orders_poll(deadline=_given(3))

    assert summary.unreached > 0
    assert summary.polled + summary.unreached == 1 + HANGING
    assert (summary.changed, summary.texts_sent) == (1, 1)  # the healthy order: its stage and its text
    assert StatusChange.objects.filter(order=healthy).count() == 1
    orders = TrackedOrder.objects.filter(pk__in=[o.pk for o in hanging])
    assert orders.filter(failed_polls=1, last_polled_at__isnull=False).count() == summary.failed
    assert orders.filter(failed_polls=0, last_polled_at__isnull=True).count() == summary.unreached
    assert not TrackedOrder.objects.exclude(lease_id="").exists()  # nothing stays leased
    assert not TrackedOrder.objects.filter(lease_until__isnull=False).exists()


def test_the_next_run_polls_the_orders_waiting_longest_first(slow_world, settings):
    healthy, hanging = slow_world
    first = services.orders_poll(deadline=_given(3))
    never_polled = set(TrackedOrder.objects.filter(last_polled_at__isnull=True).values_list("pk", flat=True))
    assert len(never_polled) == first.unreached

    second = services.orders_poll(deadline=_given(3), limit=first.unreached)

    assert second.polled > 0
    polled_now = set(
        TrackedOrder.objects.filter(pk__in=never_polled, last_polled_at__isnull=False).values_list(
            "pk", flat=True
        )
    )
    assert len(polled_now) == second.polled  # only orders the first run never reached
    assert TrackedOrder.objects.get(pk=healthy.pk).polls == 1


def test_the_scheduled_poll_stops_by_the_time_its_invocation_has_left(slow_world, aws):
    class Context:  # what Lambda hands the function: 7 s left (1 s of it kept for the answer)
        deadline = time.monotonic() + services.RESERVE + 1 + 3

        def get_remaining_time_in_millis(self):
            return int((self.deadline - time.monotonic()) * 1000)

    event = {
        "source": "aws.events",
        "id": "poll-orders-firing-1",
        "detail-type": "Scheduled Event",
        "resources": ["arn:aws:events:us-east-1:123456789012:rule/serverless-django-test-poll-orders-x"],
        "kwargs": {"command": "poll_orders"},
    }

    result = run_command(event, Context())

    assert "not reached before the deadline" in result["summary"], result
    assert not TrackedOrder.objects.exclude(lease_id="").exists()


def _shard_messages(aws):
    from core.aws import client
    from core.contract.naming import resource_name

    sqs = client("sqs")
    url = sqs.get_queue_url(QueueName=resource_name(services.POLL_SHARDS_QUEUE))["QueueUrl"]
    messages = []
    while batch := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        messages += batch
    return messages


def _sqs_event(messages):
    return {
        "Records": [
            {
                "eventSource": "aws:sqs",
                "messageId": message["MessageId"],
                "body": message["Body"],
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:serverless-django-test-poll-shards",
            }
            for message in messages
        ]
    }


def test_past_the_shard_size_the_minute_fans_out_and_every_order_is_polled_once(
    alice, bob, place, settings, aws
):
    from tests.tracker.factories import BOB_PHONE

    settings.TRACKER_POLL_SHARD_SIZE = 2
    orders = [order_for(alice, place(walk=300 + n)) for n in range(3)] + [
        order_for(bob, place(walk=400 + n), phone=BOB_PHONE) for n in range(2)
    ]

    line = call_command("poll_orders")
    messages = _shard_messages(aws)
    results = [events.on_poll_shard(_sqs_event([message]), None) for message in messages]

    assert line == "Fanned out 5 orders in 3 shards of at most 2."
    assert sorted(json.loads(m["Body"])["shard"] for m in messages) == [0, 1, 2]
    assert results == [{"batchItemFailures": []}] * 3
    assert sorted(TrackedOrder.objects.values_list("polls", flat=True)) == [1] * len(orders)
    assert StatusChange.objects.count() == len(orders)


def test_a_shard_message_past_its_minute_polls_nothing(alice, place, aws):
    order_for(alice, place())
    stale = {"MessageId": "m-1", "Body": json.dumps({"shard": 0, "of": 1, "until": time.time() - 1})}

    assert events.on_poll_shard(_sqs_event([stale]), None) == {"batchItemFailures": []}
    assert TrackedOrder.objects.get().polls == 0

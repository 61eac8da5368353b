"""The whole path on the emulator through the local runner, as Lambda runs it: the weekly schedule
fetches from the stand-in, the hot items' stream feeds the handler, SNS delivers to the queue
subscribed with the filter policy."""

import pytest

from prices import services
from prices.models import OutboxEmail, PriceDrop
from prices.sandbox import data
from tests.prices.helpers import drop_queue, received

pytestmark = pytest.mark.django_db(transaction=True)


def _fire_fetch(runner):
    timer = next(t for t in runner.timers if t.schedule.name == "fetch-prices")
    runner._fire(timer, timer.next_at)
    assert "schedule fetch-prices ran" in runner.stdout.getvalue(), runner.stdout.getvalue()


def test_a_fetched_drop_reaches_the_subscribers_queue_through_the_stream(sandbox, runner, alice):
    _fire_fetch(runner)  # the first fetch: the real history; its newest week is a rise for most
    runner.drain()
    first = set(PriceDrop.objects.values_list("region", flat=True))
    queue = drop_queue(regions=["albany", "buffalo"], min_drop_cents=5)
    services.subscription_create(owner=alice, email="alice@example.com", regions=["albany"], min_drop_cents=1)

    data.drop_week_append()  # Albany 5 cents down, Buffalo 3 cents up
    _fire_fetch(runner)
    runner.drain()

    [message] = received(queue)
    assert message["MessageAttributes"]["region"]["Value"] == "albany"
    assert "Albany dropped from $3.61" in message["Message"]
    assert set(PriceDrop.objects.values_list("region", flat=True)) - first == set(data.DROP_CENTS) - {
        "buffalo"
    }
    services.outbox_collect()
    assert list(OutboxEmail.objects.values_list("to", "region")) == [("alice@example.com", "albany")]

    _fire_fetch(runner)  # nothing new upstream: no record, no message
    assert runner.drain() == 0
    assert received(queue) == []

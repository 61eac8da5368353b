"""The whole path on the emulator through the local runner, as Lambda runs it: the weekly schedule
fetches from the stand-in, the hot items' stream feeds the handler, SNS delivers to the queue
subscribed with the address's filter policy: one email per subscriber and week."""

import pytest

from prices import services
from prices.models import OutboxEmail, PriceDrop
from prices.sandbox import data
from tests.prices.helpers import address_queue, received

pytestmark = pytest.mark.django_db(transaction=True)


def _fire_fetch(runner):
    timer = next(t for t in runner.timers if t.schedule.name == "fetch-prices")
    runner._fire(timer, timer.next_at)
    assert "schedule fetch-prices ran" in runner.stdout.getvalue(), runner.stdout.getvalue()


def test_a_fetched_week_of_drops_reaches_each_subscriber_as_one_email_through_the_stream(
    sandbox, runner, alice, bob
):
    _fire_fetch(runner)  # the first fetch: the real history; its newest week is a rise for most
    runner.drain()
    first = set(PriceDrop.objects.values_list("region", flat=True))
    services.subscription_create(
        owner=alice, email="alice@example.com", regions=["albany", "nassau", "buffalo"], min_drop_cents=1
    )
    services.subscription_create(owner=bob, email="bob@example.com", regions=["buffalo"], min_drop_cents=1)
    inbox = address_queue("alice@example.com")

    data.drop_week_append()  # every region 4-12 cents down, Buffalo 3 cents up
    _fire_fetch(runner)
    runner.drain()

    [message] = received(inbox)  # one email for the week, not one per drop
    assert message["Subject"] == "Gas prices dropped in 2 of your regions (week of 13 Feb 2023)"
    assert "- Albany: $3.61" in message["Message"]
    assert "- Nassau: " in message["Message"]
    assert "Buffalo" not in message["Message"]
    assert set(PriceDrop.objects.values_list("region", flat=True)) - first == set(data.DROP_CENTS) - {
        "buffalo"
    }
    services.outbox_collect()
    assert list(OutboxEmail.objects.values_list("to", "owner")) == [("alice@example.com", alice.pk)]

    _fire_fetch(runner)  # nothing new upstream: no record, no message
    assert runner.drain() == 0
    assert received(inbox) == []

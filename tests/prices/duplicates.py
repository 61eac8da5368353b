"""Duplicate-delivery cases of prices: the latest-price stream's publisher and the weekly fetch."""

from prices.models import OutboxEmail, PriceAlert, PriceDrop, PriceReport
from tests.duplicates import DuplicateCase


def _drop_record(world):
    """Alice subscribes to Albany and Nassau drops, bob to Albany falling under $3.50; the stream
    records of a week where both drop and Albany crosses under $3.50, as Lambda has them (one email
    each for the week, never a second one)."""
    from decimal import Decimal

    from prices.services import subscription_create
    from tests.prices.factories import MONDAY, weeks_back
    from tests.prices.helpers import week_of_drops

    subscription_create(
        owner=world["alice"], email="alice@example.com", regions=["albany", "nassau"], min_drop_cents=1
    )
    subscription_create(
        owner=world["bob"],
        email="bob@example.com",
        regions=["albany"],
        min_drop_cents=None,
        target_price=Decimal("3.50"),
    )
    records = week_of_drops(MONDAY, weeks_back(1), albany=("3.52", "3.40"), nassau=("3.60", "3.55"))
    return {"Records": records}


def _emails_and_drops(world):
    from prices.services import outbox_collect

    outbox_collect()  # what SNS delivered to alice's address so far
    return (
        list(OutboxEmail.objects.values_list("to", "subject", "body")),
        list(PriceDrop.objects.values_list("week", "region", "recorded_at")),
        list(
            PriceAlert.objects.values_list("subscription_id", "week", "regions", "sns_message_id", "sent_at")
        ),
    )


def _fetch_event(world):
    """The weekly schedule against the open-data stand-in on the live server."""
    from tests.prices.helpers import sandbox_on

    sandbox_on(world["live_server"], world["settings"])
    return {}


def _reports_and_latest(world):
    from prices.dynamo import LatestPriceItem
    from prices.regions import REGIONS

    latest = sorted(
        (item.region, item.week, item.price, item.updated_at)
        for item in LatestPriceItem.batch_get(list(REGIONS))
    )
    return list(PriceReport.objects.values_list("week", "region", "price", "fetched_at")), latest


def _interrupted_fetch(world):
    """A weekly fetch whose function died an hour ago: the sweep ends it, once."""
    from datetime import timedelta

    from core import clock
    from prices.models import PriceFetch

    PriceFetch.objects.create(started_at=clock.now() - timedelta(hours=1))
    return {"kwargs": {"command": "sweep_price_fetches"}}


def _fetches(world):
    from prices.models import PriceFetch

    return list(PriceFetch.objects.values_list("status", "failure", "finished_at"))


DUPLICATES = {
    "prices.events.on_price_change": DuplicateCase(event=_drop_record, effects=_emails_and_drops),
    "fetch-prices": DuplicateCase(event=_fetch_event, effects=_reports_and_latest),
    "sweep-price-fetches": DuplicateCase(event=_interrupted_fetch, effects=_fetches),
}

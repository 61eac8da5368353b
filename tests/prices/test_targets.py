"""Below-target alerts: an email when a region's price falls under a subscriber's target, once per
crossing (however often the stream delivers it), beside the week-over-week drop alerts."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from prices import services
from prices.events import on_price_change
from prices.models import OutboxEmail, PriceReport, Subscription
from tests.prices.factories import MONDAY, latest_item, weeks_back
from tests.prices.helpers import stream_record, week_of_drops


def _emails():
    services.outbox_collect()
    return list(OutboxEmail.objects.order_by("id"))


def _subscribe(owner, regions, *, min_drop_cents=None, target_price="3.50", email="alice@example.com"):
    return services.subscription_create(
        owner=owner,
        email=email,
        regions=regions,
        min_drop_cents=min_drop_cents,
        target_price=Decimal(target_price) if target_price else None,
    )


def _albany_weeks(*prices):
    """Albany's reports, oldest first and one a week up to MONDAY; the stream record of each week
    after the first (what the latest-price item of that week makes)."""
    weeks = [weeks_back(len(prices) - 1 - n) for n in range(len(prices))]
    for week, price in zip(weeks, prices, strict=True):
        PriceReport.objects.create(week=week, region="albany", price=Decimal(price))
    return [
        stream_record(
            latest_item("albany", week=week, price=price, previous_week=weeks[n], previous_price=prices[n]),
            sequence=f"2000000000000000000{n + 10}",
        )
        for n, (week, price) in enumerate(zip(weeks[1:], prices[1:], strict=True))
    ]


def test_falling_under_the_target_is_emailed_once_per_crossing(aws, alice):
    _subscribe(alice, ["albany"], target_price="3.50")
    crossing, still_under, back_over, crossing_again = _albany_weeks("3.52", "3.45", "3.40", "3.55", "3.48")

    for record in (crossing, crossing, still_under, back_over):
        assert on_price_change({"Records": [record]}) == {"batchItemFailures": []}
    [first] = _emails()
    assert first.subject == "Gas under $3.50 in Albany: $3.45"
    assert "- Albany: $3.52 (week of " in first.body
    assert "to $3.45, down 7 cents a gallon (2.0 %) (under your $3.50 target)" in first.body
    assert "(under $3.50)" in first.body  # what the subscription asked for

    on_price_change({"Records": [crossing_again]})
    on_price_change({"Records": [crossing_again]})
    assert [email.subject for email in _emails()] == [
        "Gas under $3.50 in Albany: $3.45",
        "Gas under $3.50 in Albany: $3.48",
    ]


def test_a_price_at_the_target_is_not_under_it_and_a_third_decimal_is_shown(aws, alice):
    _subscribe(alice, ["albany"], target_price="3.50")
    at_target, under = _albany_weeks("3.60", "3.50", "3.495")

    on_price_change({"Records": [at_target]})
    assert _emails() == []
    on_price_change({"Records": [under]})
    [email] = _emails()
    assert email.subject == "Gas under $3.50 in Albany: $3.495"


def test_a_target_only_subscription_ignores_drops_that_stay_over_it(aws, alice):
    _subscribe(alice, ["albany", "nassau"], target_price="3.00")
    records = week_of_drops(MONDAY, weeks_back(1), albany=("3.52", "3.40"), nassau=("3.60", "3.20"))

    on_price_change({"Records": records})

    assert _emails() == []


def test_drops_and_a_crossing_come_in_the_weeks_one_email(aws, alice, bob):
    _subscribe(alice, ["albany", "nassau"], min_drop_cents=5, target_price="3.50")
    _subscribe(bob, ["nassau"], min_drop_cents=10, target_price=None, email="bob@example.com")
    records = week_of_drops(MONDAY, weeks_back(1), albany=("3.52", "3.40"), nassau=("3.60", "3.55"))

    on_price_change({"Records": records})
    on_price_change({"Records": records})

    [email] = _emails()
    assert email.to == "alice@example.com"
    assert email.subject == "Gas prices dropped in 2 of your regions (week of 23 Nov 2026), 1 under $3.50"
    assert "(drops of 5¢ or more; under $3.50)" in email.body
    assert email.body.count("(under your $3.50 target)") == 1
    assert "Nassau: $3.60 (week of 16 Nov 2026) to $3.55, down 5 cents a gallon (1.4 %)\n" in email.body


def test_a_drop_big_enough_and_under_the_target_is_a_drop_email_naming_the_target(aws, alice):
    _subscribe(alice, ["albany"], min_drop_cents=5, target_price="3.50")
    records = week_of_drops(MONDAY, weeks_back(1), albany=("3.52", "3.40"))

    on_price_change({"Records": records})

    [email] = _emails()
    assert email.subject == "Gas price drop in Albany: $3.40 (down 12 cents)"
    assert "(under your $3.50 target)" in email.body


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"target_price": Decimal("0.99")}, "target_price", "The target is a price from $1.00 to $9.99"),
        ({"target_price": Decimal("10.00")}, "target_price", "The target is a price from $1.00 to $9.99"),
        ({"target_price": Decimal("3.505")}, "target_price", "in whole cents, such as 3.50"),
        ({"target_price": Decimal("NaN")}, "target_price", "The target is a price"),
        (
            {"target_price": None, "min_drop_cents": None},
            "target_price",
            "Choose a smallest drop, a target price or both",
        ),
        ({"min_drop_cents": 0}, "min_drop_cents", "The minimum drop is 1 to 100 cents."),
    ],
)
def test_bad_targets_are_refused_with_a_message(aws, alice, changes, field, message):
    values = {
        "email": "alice@example.com",
        "regions": ["albany"],
        "min_drop_cents": None,
        "target_price": Decimal("3.50"),
        **changes,
    }

    with pytest.raises(ValidationError) as refused:
        services.subscription_create(owner=alice, **values)

    assert message in " ".join(refused.value.message_dict[field])
    assert not Subscription.objects.exists()


def test_the_api_subscribes_to_a_target_and_refuses_a_number_for_it(api_alice, aws):
    created = api_alice.post(
        "/api/price-subscriptions/",
        {"email": "alice@example.com", "regions": ["albany"], "min_drop_cents": None, "target_price": "3.50"},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert (created.json()["min_drop_cents"], created.json()["target_price"]) == (None, "3.50")

    for target in (3.5, "3,50", "", "$3.50"):
        refused = api_alice.post(
            "/api/price-subscriptions/",
            {"email": "other@example.com", "regions": ["albany"], "target_price": target},
            format="json",
        )
        assert refused.status_code == 400
        assert "target_price" in refused.json()
    neither = api_alice.post(
        "/api/price-subscriptions/",
        {"email": "other@example.com", "regions": ["albany"], "min_drop_cents": None},
        format="json",
    )
    assert neither.status_code == 400
    assert neither.json()["target_price"] == [
        "Choose a smallest drop, a target price or both: an alert needs one of them."
    ]


def test_leaving_the_smallest_drop_out_of_the_api_keeps_drop_alerts_of_a_cent(api_alice, aws):
    created = api_alice.post(
        "/api/price-subscriptions/", {"email": "alice@example.com", "regions": ["albany"]}, format="json"
    ).json()

    assert (created["min_drop_cents"], created["target_price"]) == (1, None)


def test_the_page_subscribes_to_a_target_without_a_smallest_drop(alice_client, aws):
    done = alice_client.post(
        "/prices/subscriptions/",
        {"email": "alice@example.com", "regions": ["albany"], "min_drop_cents": "", "target_price": "3.50"},
        follow=True,
    )

    assert "alice@example.com is subscribed to 1 region (under $3.50)." in done.content.decode()
    refused = alice_client.post(
        "/prices/subscriptions/",
        {"email": "bob@example.com", "regions": ["albany"], "min_drop_cents": "", "target_price": ""},
    )
    assert refused.status_code == 400
    assert "Choose a smallest drop, a target price or both" in refused.content.decode()

"""Drops through the stream handler to SNS, subscriptions with filter policies, the unsubscribe link."""

import json
from datetime import date
from decimal import Decimal

import pytest

from core.aws import client
from prices import notify, services
from prices.events import on_price_change
from prices.models import OutboxEmail, PriceDrop, Subscription
from tests.prices.factories import MONDAY, latest_item, weeks_back
from tests.prices.helpers import drop_queue, received, stream_record


def _drop(region="albany", price="3.40", previous="3.52"):
    return latest_item(region, week=MONDAY, price=price, previous_week=weeks_back(1), previous_price=previous)


def test_a_drop_is_published_with_region_old_and_new_price_and_the_change(aws, db):
    queue = drop_queue(regions=["albany"], min_drop_cents=1)

    result = on_price_change({"Records": [stream_record(_drop())]})

    assert result == {"batchItemFailures": []}
    [message] = received(queue)
    assert message["Subject"] == "Gas price drop in Albany: $3.40 (down 12 cents)"
    assert (
        "from $3.52 (week of 16 Nov 2026) to $3.40 (week of 23 Nov 2026): down 12 cents" in message["Message"]
    )
    assert "/prices/unsubscribe/" in message["Message"]
    assert message["MessageAttributes"]["region"]["Value"] == "albany"
    assert message["MessageAttributes"]["drop_cents"] == {"Type": "Number", "Value": "12"}


def test_rises_removes_and_first_prices_publish_nothing(aws, db):
    queue = drop_queue(regions=["albany"], min_drop_cents=1)
    rise = _drop(price="3.60")
    first = latest_item("albany", week=MONDAY, price="3.40", previous_week=None, previous_price=None)
    records = [
        stream_record(rise, sequence="100000000000000000001"),
        stream_record(first, sequence="100000000000000000002"),
        stream_record(_drop(), event_name="REMOVE", sequence="100000000000000000003"),
    ]

    assert on_price_change({"Records": records}) == {"batchItemFailures": []}
    assert received(queue) == []
    assert not PriceDrop.objects.exists()


def test_every_record_of_a_batch_is_handled(aws, db):
    queue = drop_queue(regions=["albany", "nassau", "utica"], min_drop_cents=1)
    records = [
        stream_record(_drop(region), sequence=f"10000000000000000000{n}")
        for n, region in enumerate(["albany", "nassau", "utica"])
    ]

    on_price_change({"Records": records})

    assert sorted(m["MessageAttributes"]["region"]["Value"] for m in received(queue)) == [
        "albany",
        "nassau",
        "utica",
    ]


def test_a_redelivered_drop_is_published_once(aws, db):
    queue = drop_queue(regions=["albany"], min_drop_cents=1)
    event = {"Records": [stream_record(_drop())]}

    on_price_change(event)
    on_price_change(event)
    on_price_change({"Records": [stream_record(_drop(), sequence="100000000000000000009")]})

    assert len(received(queue)) == 1
    assert PriceDrop.objects.get().published_at is not None


def test_sns_itself_picks_the_recipients_by_region_and_drop_size(aws, db):
    small_drops = drop_queue(regions=["albany"], min_drop_cents=5)
    big_drops = drop_queue(regions=["albany"], min_drop_cents=20)
    elsewhere = drop_queue(regions=["nassau", "buffalo"], min_drop_cents=1)

    on_price_change({"Records": [stream_record(_drop(price="3.40", previous="3.52"))]})

    assert len(received(small_drops)) == 1
    assert received(big_drops) == []
    assert received(elsewhere) == []


def test_a_failed_publish_reports_the_record_and_publishes_it_on_the_retry(aws, db, monkeypatch):
    queue = drop_queue(regions=["albany"], min_drop_cents=1)
    record = stream_record(_drop())

    def refuse(**kwargs):
        raise RuntimeError("SNS is down")

    with monkeypatch.context() as patched:
        patched.setattr(notify, "publish", refuse)
        assert on_price_change({"Records": [record]}) == {
            "batchItemFailures": [{"itemIdentifier": "100000000000000000001"}]
        }
    assert not PriceDrop.objects.exists()

    assert on_price_change({"Records": [record]}) == {"batchItemFailures": []}
    assert len(received(queue)) == 1


# --- Subscriptions --------------------------------------------------------------------------


def _policy(subscription):
    attributes = client("sns").get_subscription_attributes(SubscriptionArn=subscription.sns_subscription_arn)
    return json.loads(attributes["Attributes"]["FilterPolicy"])


def test_a_subscription_is_stored_and_subscribed_on_sns_with_its_filter_policy(aws, alice):
    subscription = services.subscription_create(
        owner=alice, email="Alice@Example.COM", regions=["nassau", "albany"], min_drop_cents=5
    )

    assert subscription.email == "Alice@example.com"
    assert subscription.regions == ["albany", "nassau"]  # the regions' own order
    assert _policy(subscription) == {"region": ["albany", "nassau"], "drop_cents": [{"numeric": [">=", 5]}]}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"email": ""}, "email"),
        ({"regions": []}, "regions"),
        ({"regions": ["albany", "atlantis"]}, "regions"),
        ({"min_drop_cents": 0}, "min_drop_cents"),
        ({"min_drop_cents": 101}, "min_drop_cents"),
    ],
)
def test_bad_subscriptions_are_refused_by_field(aws, alice, changes, field):
    from django.core.exceptions import ValidationError

    values = {"email": "alice@example.com", "regions": ["albany"], "min_drop_cents": 5, **changes}
    with pytest.raises(ValidationError) as refused:
        services.subscription_create(owner=alice, **values)

    assert field in refused.value.message_dict
    assert not Subscription.objects.exists()


def test_an_address_is_subscribed_once(aws, alice, bob):
    from django.core.exceptions import ValidationError

    services.subscription_create(
        owner=alice, email="shared@example.com", regions=["albany"], min_drop_cents=1
    )

    with pytest.raises(ValidationError) as refused:
        services.subscription_create(
            owner=bob, email="SHARED@example.com", regions=["nassau"], min_drop_cents=1
        )
    assert "subscribed already" in refused.value.message_dict["email"][0]


def test_sns_refusing_stores_nothing(aws, alice, monkeypatch):
    def refuse(subscription):
        raise notify.DeliveryUnavailable("Alerts cannot be set up right now; try again in a moment.")

    monkeypatch.setattr(notify, "subscribe", refuse)
    with pytest.raises(notify.DeliveryUnavailable):
        services.subscription_create(owner=alice, email="a@example.com", regions=["albany"], min_drop_cents=1)
    assert not Subscription.objects.exists()


def test_removing_a_subscription_removes_it_from_sns(aws, alice, bob):
    subscription = services.subscription_create(
        owner=alice, email="alice@example.com", regions=["albany"], min_drop_cents=1
    )
    with pytest.raises(Subscription.DoesNotExist):
        services.subscription_delete(owner=bob, pk=subscription.pk)

    services.subscription_delete(owner=alice, pk=subscription.pk)

    assert not Subscription.objects.exists()
    arns = [
        s["SubscriptionArn"]
        for s in client("sns").list_subscriptions_by_topic(TopicArn=notify.topic_arn())["Subscriptions"]
    ]
    assert subscription.sns_subscription_arn not in arns


def test_the_outbox_shows_what_sns_delivered_to_each_subscriber(aws, alice, bob):
    services.subscription_create(owner=alice, email="alice@example.com", regions=["albany"], min_drop_cents=1)
    services.subscription_create(owner=bob, email="bob@example.com", regions=["nassau"], min_drop_cents=1)

    on_price_change({"Records": [stream_record(_drop("albany"))]})

    assert services.outbox_collect() == 1
    assert services.outbox_collect() == 0
    email = OutboxEmail.objects.get()
    assert (email.to, email.region) == ("alice@example.com", "albany")
    assert email.subject.startswith("Gas price drop in Albany")


def test_the_unsubscribe_link_works_without_logging_in(aws, alice, client):
    services.subscription_create(owner=alice, email="alice@example.com", regions=["albany"], min_drop_cents=1)
    on_price_change({"Records": [stream_record(_drop("albany"))]})
    services.outbox_collect()
    body = OutboxEmail.objects.get().body
    link = body.split("Stop these alerts: ", 1)[1].split()[0]
    path = link.split("://", 1)[1].split("/", 1)[1]

    page = client.get(f"/{path}")
    assert page.status_code == 200
    assert "Albany alert for the week of 23 Nov 2026" in page.content.decode()
    done = client.post(f"/{path}", {"email": "alice@example.com"})

    assert done.status_code == 200
    assert "alice@example.com gets no more Albany alerts" in done.content.decode()
    assert not Subscription.objects.exists()


def test_a_forged_or_foreign_token_is_refused(aws, alice, client):
    services.subscription_create(owner=alice, email="alice@example.com", regions=["albany"], min_drop_cents=1)
    token = services.unsubscribe_token(region="albany", week=MONDAY)

    assert client.get(f"/prices/unsubscribe/{token}x/").status_code == 400
    assert (
        client.post(f"/prices/unsubscribe/{token[:-3]}abc/", {"email": "alice@example.com"}).status_code
        == 400
    )
    # a link of another region's alert does not touch the address's Albany alerts
    nassau = services.unsubscribe_token(region="nassau", week=MONDAY)
    client.post(f"/prices/unsubscribe/{nassau}/", {"email": "alice@example.com"})
    assert Subscription.objects.count() == 1


def test_unsubscribe_page_refuses_a_bad_address_with_a_form_error(aws, client):
    token = services.unsubscribe_token(region="albany", week=date(2026, 11, 23))

    page = client.post(f"/prices/unsubscribe/{token}/", {"email": "nope"})

    assert page.status_code == 400
    assert "Enter a valid email address." in page.content.decode()


def test_drop_cents_are_exact(db):
    drop = PriceDrop(
        week=MONDAY,
        region="albany",
        price=Decimal("3.400"),
        previous_week=weeks_back(1),
        previous_price=Decimal("3.525"),
    )
    assert drop.drop_cents == Decimal("12.500")


def test_a_restarted_emulator_gets_the_subscriptions_back(aws, alice):
    subscription = services.subscription_create(
        owner=alice, email="alice@example.com", regions=["albany"], min_drop_cents=1
    )
    notify.unsubscribe(subscription.sns_subscription_arn)  # as if the emulator had restarted

    assert services.latest_prices_restore() == "Latest prices: 0 regions written, 1 subscriptions restored."
    on_price_change({"Records": [stream_record(_drop("albany"))]})
    assert services.outbox_collect() == 1

"""Drops through the stream handler to one email per subscriber and week, subscriptions that belong
to their account, and the signed per-subscription unsubscribe link."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.aws import client
from prices import notify, services
from prices.events import on_price_change
from prices.models import OutboxEmail, PriceAlert, PriceDrop, Subscription
from tests.prices.factories import MONDAY, latest_item, weeks_back
from tests.prices.helpers import address_queue, link_path, received, stream_record, week_of_drops

PREVIOUS = weeks_back(1)


def _subscribe(owner, email, regions, min_drop_cents=1):
    return services.subscription_create(
        owner=owner, email=email, regions=regions, min_drop_cents=min_drop_cents
    )


def _emails(to=None):
    services.outbox_collect()
    emails = OutboxEmail.objects.order_by("id")
    return list(emails.filter(to=to) if to else emails)


# --- One email per subscriber and week --------------------------------------------------------


def test_each_subscriber_gets_one_email_listing_every_drop_of_the_week_in_their_regions(aws, alice, bob):
    _subscribe(alice, "alice@example.com", ["albany", "nassau", "buffalo"])
    _subscribe(bob, "bob@example.com", ["utica"])
    records = week_of_drops(
        MONDAY,
        PREVIOUS,
        albany=("3.52", "3.40"),
        nassau=("3.60", "3.55"),
        utica=("3.50", "3.41"),
        buffalo=("3.40", "3.43"),  # a rise: not listed
    )

    assert on_price_change({"Records": records}) == {"batchItemFailures": []}

    [to_alice] = _emails("alice@example.com")
    assert to_alice.subject == "Gas prices dropped in 2 of your regions (week of 23 Nov 2026)"
    assert "- Albany: $3.52 (week of 16 Nov 2026) to $3.40, down 12 cents a gallon (3.4 %)" in to_alice.body
    assert "- Nassau: $3.60 (week of 16 Nov 2026) to $3.55, down 5 cents a gallon" in to_alice.body
    assert "Utica" not in to_alice.body
    assert "Buffalo" not in to_alice.body
    [to_bob] = _emails("bob@example.com")
    assert to_bob.subject == "Gas price drop in Utica: $3.41 (down 9 cents)"
    assert link_path(to_alice.body) != link_path(to_bob.body)
    assert (to_alice.owner, to_bob.owner) == (alice, bob)


def test_the_weeks_email_waits_for_its_last_drop(aws, alice):
    _subscribe(alice, "alice@example.com", ["albany", "nassau"])
    first, last = week_of_drops(MONDAY, PREVIOUS, albany=("3.52", "3.40"), nassau=("3.60", "3.55"))

    on_price_change({"Records": [first]})
    assert _emails() == []

    on_price_change({"Records": [last]})
    [email] = _emails()
    assert "Albany" in email.body
    assert "Nassau" in email.body


def test_a_redelivered_week_is_emailed_once(aws, alice):
    _subscribe(alice, "alice@example.com", ["albany", "nassau"])
    records = week_of_drops(MONDAY, PREVIOUS, albany=("3.52", "3.40"), nassau=("3.60", "3.55"))

    on_price_change({"Records": records})
    on_price_change({"Records": records})
    on_price_change({"Records": list(reversed(records))})

    assert len(_emails()) == 1
    assert PriceAlert.objects.get().sent_at is not None
    assert PriceDrop.objects.count() == 2


def test_each_email_lists_only_drops_of_the_subscribers_size(aws, alice, bob):
    _subscribe(alice, "alice@example.com", ["albany", "nassau"], min_drop_cents=10)
    _subscribe(bob, "bob@example.com", ["nassau"], min_drop_cents=10)
    records = week_of_drops(MONDAY, PREVIOUS, albany=("3.52", "3.40"), nassau=("3.60", "3.55"))

    on_price_change({"Records": records})

    [email] = _emails()
    assert email.to == "alice@example.com"
    assert "Albany" in email.body
    assert "Nassau" not in email.body


def test_rises_removes_and_first_prices_send_nothing(aws, alice):
    _subscribe(alice, "alice@example.com", ["albany"])
    rise = latest_item("albany", week=MONDAY, price="3.60", previous_week=PREVIOUS, previous_price="3.52")
    first = latest_item("albany", week=MONDAY, price="3.40", previous_week=None, previous_price=None)
    records = [
        stream_record(rise, sequence="100000000000000000001"),
        stream_record(first, sequence="100000000000000000002"),
        stream_record(rise, event_name="REMOVE", sequence="100000000000000000003"),
    ]

    assert on_price_change({"Records": records}) == {"batchItemFailures": []}
    assert _emails() == []
    assert not PriceDrop.objects.exists()


def test_sns_delivers_an_alert_only_to_its_address(aws, alice, bob):
    alice_inbox, bob_inbox = address_queue("alice@example.com"), address_queue("bob@example.com")
    _subscribe(alice, "alice@example.com", ["albany"])

    on_price_change({"Records": week_of_drops(MONDAY, PREVIOUS, albany=("3.52", "3.40"))})

    [message] = received(alice_inbox)
    assert message["MessageAttributes"]["to"]["Value"] == "alice@example.com"
    assert received(bob_inbox) == []


def test_a_failed_publish_reports_the_record_and_sends_on_the_retry(aws, alice, monkeypatch):
    _subscribe(alice, "alice@example.com", ["albany"])
    [record] = week_of_drops(MONDAY, PREVIOUS, albany=("3.52", "3.40"))

    def refuse(**kwargs):
        raise RuntimeError("SNS is down")

    with monkeypatch.context() as patched:
        patched.setattr(notify, "publish", refuse)
        assert on_price_change({"Records": [record]}) == {
            "batchItemFailures": [{"itemIdentifier": record["dynamodb"]["SequenceNumber"]}]
        }
    assert not PriceAlert.objects.exists()

    assert on_price_change({"Records": [record]}) == {"batchItemFailures": []}
    assert len(_emails()) == 1


# --- Subscriptions belong to the account -----------------------------------------------------


def _policy(subscription):
    attributes = client("sns").get_subscription_attributes(SubscriptionArn=subscription.sns_subscription_arn)
    return json.loads(attributes["Attributes"]["FilterPolicy"])


def test_a_subscription_is_stored_and_subscribed_on_sns_for_its_address(aws, alice):
    subscription = services.subscription_create(
        owner=alice, email="Alice@Example.COM", regions=["nassau", "albany"], min_drop_cents=5
    )

    assert subscription.email == "Alice@example.com"
    assert subscription.regions == ["albany", "nassau"]  # the regions' own order
    assert _policy(subscription) == {"to": ["Alice@example.com"]}


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
    values = {"email": "alice@example.com", "regions": ["albany"], "min_drop_cents": 5, **changes}
    with pytest.raises(ValidationError) as refused:
        services.subscription_create(owner=alice, **values)

    assert field in refused.value.message_dict
    assert not Subscription.objects.exists()


def test_an_account_subscribes_an_address_once(aws, alice):
    _subscribe(alice, "alice@example.com", ["albany"])

    with pytest.raises(ValidationError) as refused:
        _subscribe(alice, "ALICE@example.com", ["nassau"])
    assert "You have subscribed this address already" in refused.value.message_dict["email"][0]


def test_another_account_subscribing_an_address_is_neither_refused_nor_told(aws, alice, bob):
    mine = _subscribe(alice, "alice@example.com", ["albany", "new_york_city"])

    squatted = _subscribe(bob, "ALICE@example.com", ["nassau"])  # not refused, nothing said about alice's
    carol_first = _subscribe(bob, "carol@example.com", ["albany"])
    carols_own = _subscribe(alice, "carol@example.com", ["albany"])  # bob was first: carol is not blocked

    assert {squatted.owner, carol_first.owner, carols_own.owner} == {bob, alice}
    assert Subscription.objects.get(pk=mine.pk).regions == ["albany", "new_york_city"]


def test_subscriptions_of_one_address_share_its_sns_subscription_until_the_last_goes(aws, alice, bob):
    alices = _subscribe(alice, "shared@example.com", ["albany"])
    bobs = _subscribe(bob, "shared@example.com", ["albany"])
    assert alices.sns_subscription_arn == bobs.sns_subscription_arn

    on_price_change({"Records": week_of_drops(MONDAY, PREVIOUS, albany=("3.52", "3.40"))})
    assert sorted(email.owner.username for email in _emails()) == ["alice", "bob"]  # one each

    services.subscription_delete(owner=bob, pk=bobs.pk)
    arns = [
        s["SubscriptionArn"]
        for s in client("sns").list_subscriptions_by_topic(TopicArn=notify.topic_arn())["Subscriptions"]
    ]
    assert alices.sns_subscription_arn in arns
    services.subscription_delete(owner=alice, pk=alices.pk)
    arns = [
        s["SubscriptionArn"]
        for s in client("sns").list_subscriptions_by_topic(TopicArn=notify.topic_arn())["Subscriptions"]
    ]
    assert alices.sns_subscription_arn not in arns


def test_sns_refusing_stores_nothing(aws, alice, monkeypatch):
    def refuse(subscription):
        raise notify.DeliveryUnavailable("Alerts cannot be set up right now; try again in a moment.")

    monkeypatch.setattr(notify, "subscribe", refuse)
    with pytest.raises(notify.DeliveryUnavailable):
        services.subscription_create(owner=alice, email="a@example.com", regions=["albany"], min_drop_cents=1)
    assert not Subscription.objects.exists()


def test_removing_a_subscription_removes_it_from_sns(aws, alice, bob):
    subscription = _subscribe(alice, "alice@example.com", ["albany"])
    with pytest.raises(Subscription.DoesNotExist):
        services.subscription_delete(owner=bob, pk=subscription.pk)

    services.subscription_delete(owner=alice, pk=subscription.pk)

    assert not Subscription.objects.exists()
    arns = [
        s["SubscriptionArn"]
        for s in client("sns").list_subscriptions_by_topic(TopicArn=notify.topic_arn())["Subscriptions"]
    ]
    assert subscription.sns_subscription_arn not in arns


# --- The unsubscribe link ----------------------------------------------------------------------


def _alert_link(owner, email, regions, drops):
    """Subscribe, let a week of ``drops`` through the stream; the path of the email's link."""
    _subscribe(owner, email, regions)
    on_price_change({"Records": week_of_drops(MONDAY, PREVIOUS, **drops)})
    [alert] = _emails(email)
    return link_path(alert.body)


def test_the_link_removes_its_subscription_in_one_click_without_an_address(aws, alice, client):
    path = _alert_link(alice, "alice@example.com", ["albany"], {"albany": ("3.52", "3.40")})

    page = client.get(path)  # opening it changes nothing (link scanners open links)
    assert page.status_code == 200
    text = page.content.decode()
    assert "sent to <strong>alice@example.com</strong>" in text
    assert "Stop all alerts of this subscription" in text
    assert 'name="email"' not in text
    assert Subscription.objects.count() == 1

    done = client.post(path, {"scope": "all"})

    assert done.status_code == 200
    assert "alice@example.com gets no more alerts from this subscription." in done.content.decode()
    assert not Subscription.objects.exists()
    assert client.post(path, {"scope": "all"}).status_code == 200  # again: removed already, says so


def test_the_link_stops_the_alerts_regions_or_explicitly_everything(aws, alice, client):
    path = _alert_link(
        alice,
        "alice@example.com",
        ["albany", "nassau", "utica"],
        {"albany": ("3.52", "3.40"), "nassau": ("3.6", "3.5")},
    )
    text = client.get(path).content.decode()
    assert "Stop Albany, Nassau alerts" in text

    done = client.post(path, {"scope": "regions"})

    assert "gets no more Albany, Nassau alerts from this subscription (still: Utica)" in done.content.decode()
    assert Subscription.objects.get().regions == ["utica"]
    client.post(path, {"scope": "all"})
    assert not Subscription.objects.exists()


def test_bobs_link_never_touches_alices_subscription(aws, alice, bob, client):
    mine = _subscribe(alice, "alice@example.com", ["albany", "new_york_city"])
    bobs_path = _alert_link(bob, "bob@example.com", ["albany"], {"albany": ("3.52", "3.40")})

    # the attack of the report: bob's link, alice's address typed in; and the "all" choice
    client.post(bobs_path, {"email": "alice@example.com", "scope": "all"})

    assert Subscription.objects.get(pk=mine.pk).regions == ["albany", "new_york_city"]
    assert not Subscription.objects.filter(owner=bob).exists()


def test_a_forged_or_tampered_token_is_refused(aws, alice, client):
    subscription = _subscribe(alice, "alice@example.com", ["albany"])
    token = services.unsubscribe_token(subscription=subscription, regions=["albany"], week=MONDAY)

    assert client.get(f"/prices/unsubscribe/{token}x/").status_code == 400
    assert client.post(f"/prices/unsubscribe/{token[:-3]}abc/", {"scope": "all"}).status_code == 400
    from django.core import signing

    forged = signing.dumps(
        {"s": subscription.pk, "r": ["albany"], "w": "2026-11-23"}, salt="prices.unsubscribe"
    )
    assert client.post(f"/prices/unsubscribe/{forged}/", {"scope": "all"}).status_code == 400
    assert Subscription.objects.count() == 1


def test_a_post_without_a_choice_is_refused(aws, alice, client):
    subscription = _subscribe(alice, "alice@example.com", ["albany"])
    token = services.unsubscribe_token(subscription=subscription, regions=["albany"], week=MONDAY)

    assert client.post(f"/prices/unsubscribe/{token}/", {}).status_code == 400
    assert Subscription.objects.count() == 1


# --- The rest ------------------------------------------------------------------------------------


def test_drop_cents_are_exact(db):
    drop = PriceDrop(
        week=MONDAY,
        region="albany",
        price=Decimal("3.400"),
        previous_week=PREVIOUS,
        previous_price=Decimal("3.525"),
    )
    assert drop.drop_cents == Decimal("12.500")


def test_the_outbox_shows_each_user_their_own_emails_and_staff_all(aws, alice, bob, client):
    _subscribe(alice, "alice@example.com", ["albany"])
    _subscribe(bob, "bob@example.com", ["albany"])
    on_price_change({"Records": week_of_drops(MONDAY, PREVIOUS, albany=("3.52", "3.40"))})

    assert client.get("/sandbox/prices/outbox/").status_code == 302  # signed out: log in first
    client.force_login(bob)
    text = client.get("/sandbox/prices/outbox/").content.decode()
    assert "bob@example.com" in text
    assert "alice@example.com" not in text
    bob.is_staff = True
    bob.save()
    text = client.get("/sandbox/prices/outbox/").content.decode()
    assert "bob@example.com" in text
    assert "alice@example.com" in text


def test_a_restarted_emulator_gets_the_subscriptions_back(aws, alice):
    subscription = _subscribe(alice, "alice@example.com", ["albany"])
    notify.unsubscribe(subscription.sns_subscription_arn)  # as if the emulator had restarted

    assert services.latest_prices_restore() == "Latest prices: 0 regions written, 1 subscriptions restored."
    on_price_change({"Records": week_of_drops(MONDAY, PREVIOUS, albany=("3.52", "3.40"))})
    assert len(_emails()) == 1

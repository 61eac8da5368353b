"""Editing a subscription in place (regions, smallest drop, target) on the page and in the API, and
the "confirm your address" state while SNS waits for the address to follow its link."""

from decimal import Decimal

import pytest

from prices import notify, services
from prices.models import Subscription


@pytest.fixture
def sns_asks_confirmation(monkeypatch):
    """SNS as it is on AWS for an email address: a new subscription waits for its confirmation.
    ``confirm(email)`` is the address following the link."""
    from moto.sns.models import SNSBackend

    subscribe = SNSBackend.subscribe

    def pending(self, topic_arn, endpoint, protocol):
        existing = self._find_subscription(topic_arn, endpoint, protocol)
        made = subscribe(self, topic_arn, endpoint, protocol)
        if existing is None:
            made.attributes["PendingConfirmation"] = "true"
        return made

    monkeypatch.setattr(SNSBackend, "subscribe", pending)

    def confirm(email: str) -> None:
        for subscription in Subscription.objects.filter(email=email):
            _moto_subscription(subscription.sns_subscription_arn).attributes["PendingConfirmation"] = "false"

    return confirm


def _moto_subscription(arn: str):
    from moto.sns.models import sns_backends

    account, region = arn.split(":")[4], arn.split(":")[3]
    return sns_backends[account][region].subscriptions[arn]


def _subscribe(owner, email="alice@example.com", **values):
    values = {"regions": ["albany"], "min_drop_cents": 5, "target_price": None, **values}
    return services.subscription_create(owner=owner, email=email, **values)


# --- Editing ---------------------------------------------------------------------------------


def test_alice_edits_her_subscription_in_the_api_keeping_its_address_and_sns(api_alice, alice, aws):
    subscription = _subscribe(alice)
    arn = subscription.sns_subscription_arn

    changed = api_alice.patch(
        f"/api/price-subscriptions/{subscription.pk}/",
        {"regions": ["nassau", "albany"], "min_drop_cents": None, "target_price": "3.25"},
        format="json",
    )

    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert (body["email"], body["regions"], body["min_drop_cents"], body["target_price"]) == (
        "alice@example.com",
        ["albany", "nassau"],  # in the regions' order
        None,
        "3.25",
    )
    subscription.refresh_from_db()
    assert (subscription.sns_subscription_arn, subscription.target_price) == (arn, Decimal("3.25"))
    only_target = api_alice.patch(
        f"/api/price-subscriptions/{subscription.pk}/", {"target_price": "3.10"}, format="json"
    ).json()
    assert (only_target["regions"], only_target["target_price"]) == (["albany", "nassau"], "3.10")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"regions": []}, "regions"),
        ({"regions": ["atlantis"]}, "regions"),
        ({"min_drop_cents": 0}, "min_drop_cents"),
        ({"min_drop_cents": "5"}, "min_drop_cents"),
        ({"target_price": 3.5}, "target_price"),
        ({"target_price": "0.50"}, "target_price"),
        ({"min_drop_cents": None}, "target_price"),  # nothing left to alert on
    ],
)
def test_a_bad_edit_is_a_400_and_changes_nothing(api_alice, alice, aws, body, field):
    subscription = _subscribe(alice)

    answer = api_alice.patch(f"/api/price-subscriptions/{subscription.pk}/", body, format="json")

    assert answer.status_code == 400
    assert field in answer.json()
    kept = Subscription.objects.get()
    assert (kept.regions, kept.min_drop_cents, kept.target_price) == (["albany"], 5, None)


def test_bob_cannot_edit_alices_subscription(api_bob, alice, aws):
    subscription = _subscribe(alice)

    assert (
        api_bob.patch(f"/api/price-subscriptions/{subscription.pk}/", {"regions": ["nassau"]}).status_code
        == 404
    )
    assert api_bob.put(
        f"/api/price-subscriptions/{subscription.pk}/", {"regions": ["nassau"]}
    ).status_code in (
        404,
        405,
    )
    assert Subscription.objects.get().regions == ["albany"]


def test_alice_edits_her_subscription_on_its_page(alice_client, alice, aws):
    subscription = _subscribe(alice, target_price=Decimal("3.50"))
    page = alice_client.get(f"/prices/subscriptions/{subscription.pk}/edit/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="3.50"' in html
    assert 'value="albany" id="id_regions_1" checked' in html or "checked" in html

    done = alice_client.post(
        f"/prices/subscriptions/{subscription.pk}/edit/",
        {"regions": ["albany", "utica"], "min_drop_cents": "", "target_price": "3.40"},
        follow=True,
    )

    assert "Saved: alice@example.com gets alerts for 2 regions (under $3.40)." in done.content.decode()
    subscription.refresh_from_db()
    assert (subscription.regions, subscription.min_drop_cents, subscription.target_price) == (
        ["albany", "utica"],
        None,
        Decimal("3.40"),
    )


def test_a_bad_edit_on_the_page_says_why(alice_client, alice, aws):
    subscription = _subscribe(alice)

    page = alice_client.post(
        f"/prices/subscriptions/{subscription.pk}/edit/", {"min_drop_cents": "", "target_price": "12.5"}
    )

    assert page.status_code == 400
    html = page.content.decode()
    assert "Choose at least one region." in html
    assert Subscription.objects.get().min_drop_cents == 5


def test_the_edit_page_of_someone_elses_subscription_is_a_404(client, alice, bob, aws):
    subscription = _subscribe(alice)
    client.force_login(bob)

    assert client.get(f"/prices/subscriptions/{subscription.pk}/edit/").status_code == 404
    assert (
        client.post(f"/prices/subscriptions/{subscription.pk}/edit/", {"regions": ["nassau"]}).status_code
        == 404
    )


# --- Confirming the address ------------------------------------------------------------------


def test_on_the_laptop_an_address_is_confirmed_at_once(api_alice, aws):
    created = api_alice.post(
        "/api/price-subscriptions/", {"email": "alice@example.com", "regions": ["albany"]}, format="json"
    ).json()

    assert created["confirmation"] == "confirmed"


def test_an_address_stays_pending_until_it_follows_snss_link(
    api_alice, alice_client, aws, sns_asks_confirmation
):
    created = api_alice.post(
        "/api/price-subscriptions/", {"email": "alice@example.com", "regions": ["albany"]}, format="json"
    ).json()
    assert created["confirmation"] == "pending"
    page = alice_client.get("/prices/").content.decode()
    assert "Confirm your address:" in page
    assert "Send the link again" in page
    assert api_alice.get("/api/price-subscriptions/").json()["results"][0]["confirmation"] == "pending"

    sns_asks_confirmation("alice@example.com")

    assert api_alice.get(f"/api/price-subscriptions/{created['id']}/").json()["confirmation"] == "confirmed"
    assert "Confirm your address:" not in alice_client.get("/prices/").content.decode()
    assert Subscription.objects.get().confirmed_at is not None


def test_a_page_with_pending_addresses_asks_sns_once_each_and_keeps_its_queries(
    alice_client, alice, aws, sns_asks_confirmation, monkeypatch, django_assert_max_num_queries
):
    for n in range(4):
        _subscribe(alice, email=f"alice{n}@example.com")
    asked = []
    confirmed = notify.confirmed
    monkeypatch.setattr(notify, "confirmed", lambda arn: asked.append(arn) or confirmed(arn))

    with django_assert_max_num_queries(13):
        alice_client.get("/prices/")

    assert len(asked) == 4


def test_the_address_is_shown_pending_when_sns_cannot_be_asked(
    alice_client, alice, aws, sns_asks_confirmation, monkeypatch
):
    _subscribe(alice)

    def unavailable(arn):
        raise notify.DeliveryUnavailable("SNS cannot be asked right now; try again in a moment.")

    monkeypatch.setattr(notify, "confirmed", unavailable)
    page = alice_client.get("/prices/")

    assert page.status_code == 200
    assert "Confirm your address:" in page.content.decode()


def test_resending_the_link_subscribes_the_address_again(
    api_alice, alice_client, alice, aws, sns_asks_confirmation
):
    subscription = _subscribe(alice)

    again = api_alice.post(f"/api/price-subscriptions/{subscription.pk}/resend-confirmation/")
    assert again.status_code == 200
    assert again.json()["confirmation"] == "pending"
    done = alice_client.post(f"/prices/subscriptions/{subscription.pk}/confirm/", follow=True)
    assert (
        "Amazon SNS is emailing alice@example.com a new link to confirm the address." in done.content.decode()
    )

    sns_asks_confirmation("alice@example.com")
    done = alice_client.post(f"/prices/subscriptions/{subscription.pk}/confirm/", follow=True)
    assert "alice@example.com is confirmed: alerts reach it." in done.content.decode()


def test_notify_reads_the_confirmation_from_sns(alice, aws):
    subscription = _subscribe(alice)
    arn = subscription.sns_subscription_arn

    assert notify.confirmed(arn) is True
    _moto_subscription(arn).attributes["PendingConfirmation"] = "true"
    assert notify.confirmed(arn) is False
    assert notify.confirmed(arn + "0") is False  # expired (SNS deletes a pending one after 3 days)
    assert notify.confirmed("pending confirmation") is False

"""Ownership declarations of prices: alice's drop-alert subscription and an alert email of hers
in the local outbox (the prices themselves are public data every signed-in user sees)."""

from prices.models import OutboxEmail, Subscription
from tests.ownership import SECRET, Ownership, Route

ALICE_EMAIL = f"alice-{SECRET}@example.com"


def build(alice):
    from datetime import date

    from prices.services import subscription_create, unsubscribe_token
    from tests.accounts.factories import UserFactory

    subscription = subscription_create(
        owner=alice, email=ALICE_EMAIL, regions=["albany", "new_york_city"], min_drop_cents=5
    )
    OutboxEmail.objects.create(
        sns_message_id="alices-alert", to=ALICE_EMAIL, owner=alice, subject=f"Drop {SECRET}", body=SECRET
    )
    # Another account's alert link: the link a stranger (bob) got for his own subscription of
    # the same regions. Used on alice's objects it must change nothing of hers.
    stranger = UserFactory(username="stranger-prices")
    strangers = subscription_create(
        owner=stranger, email="stranger@example.com", regions=["albany"], min_drop_cents=1
    )
    link = unsubscribe_token(subscription=strangers, regions=["albany"], week=date(2026, 11, 23))
    return {"subscription": subscription, "stranger_unsubscribe_token": link}


def snapshot(alice):
    return (
        list(Subscription.objects.filter(owner=alice).values()),
        list(OutboxEmail.objects.filter(owner=alice).values()),
    )


def write_body(world):
    return {"email": "bob@example.com", "regions": ["nassau"], "min_drop_cents": 50, "target_price": "2.00"}


OWNERSHIP = Ownership(
    build=build,
    snapshot=snapshot,
    write_body=write_body,
    routes={
        # API
        "price-list": Route(owned=False),
        "price-latest": Route(owned=False),
        "price-subscription-list": Route(owned=False),
        "price-subscription-detail": Route(lambda world: {"pk": world["subscription"].pk}),
        "price-subscription-resend-confirmation": Route(lambda world: {"pk": world["subscription"].pk}),
        # Pages
        "prices:index": Route(owned=False),
        "prices:subscribe": Route(owned=False),
        "prices:subscription-delete": Route(lambda world: {"pk": world["subscription"].pk}),
        "prices:subscription-edit": Route(lambda world: {"pk": world["subscription"].pk}),
        "prices:subscription-confirm": Route(lambda world: {"pk": world["subscription"].pk}),
        # The link in an alert works without logging in and acts on the subscription it was sent
        # for only: another subscriber's link, with alice's address typed in and the "all"
        # choice, leaves hers alone.
        "prices:unsubscribe": Route(
            lambda world: {"token": world["stranger_unsubscribe_token"]},
            owned=False,
            public=True,
            body=lambda world: {"email": ALICE_EMAIL, "scope": "all"},
        ),
        # The laptop's email outbox: a signed-in user sees only their own emails.
        "prices-sandbox:outbox": Route(owned=False),
    },
)

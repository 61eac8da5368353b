"""Ownership declarations of prices: alice's drop-alert subscription (the prices themselves are
public data every signed-in user sees)."""

from prices.models import Subscription
from tests.ownership import SECRET, Ownership, Route

ALICE_EMAIL = f"alice-{SECRET}@example.com"


def build(alice):
    from datetime import date

    from prices.services import subscription_create, unsubscribe_token

    subscription = subscription_create(owner=alice, email=ALICE_EMAIL, regions=["albany"], min_drop_cents=5)
    return {
        "subscription": subscription,
        "token": unsubscribe_token(region="albany", week=date(2026, 11, 23)),
    }


def snapshot(alice):
    return list(Subscription.objects.filter(owner=alice).values())


def write_body(world):
    return {"email": "bob@example.com", "regions": ["nassau"], "min_drop_cents": 50}


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
        # Pages
        "prices:index": Route(owned=False),
        "prices:subscribe": Route(owned=False),
        "prices:subscription-delete": Route(lambda world: {"pk": world["subscription"].pk}),
        # The link in an alert works without logging in: the link and the address it came to are
        # what unsubscribe (by design), so the matrix tries it with another address.
        "prices:unsubscribe": Route(
            lambda world: {"token": world["token"]},
            owned=False,
            public=True,
            body=lambda world: {"email": "bob@example.com"},
        ),
    },
)

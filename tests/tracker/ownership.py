"""Ownership declarations of the tracker: alice's tracked order, its timeline and a text (in the
ledger and in the sandbox's SMS outbox), and an ended order of hers (which she could hide or remove)."""

from tests.ownership import SECRET, Ownership, Route
from tracker.models import StatusChange, TrackedOrder


def build(alice):
    from django.conf import settings

    from tracker import order_stages, services
    from tracker.sandbox import carts

    cart = carts.cart_new(walk_seconds=300)
    order = services.order_create(
        owner=alice,
        tracker_url=f"{settings.SANDBOX_BASE_URL}/tracker{order_stages.CART_PATH}{cart.cart_id}",
        token=f"Bearer {SECRET}",
        phone="+60123456789",
    )
    StatusChange.objects.create(order=order, stage="PC")
    TrackedOrder.objects.filter(pk=order.pk).update(stage="PC", last_error=f"A failed poll {SECRET}")
    # A text the product sent her, as the sandbox's Twilio received it (the SMS outbox shows it).
    from core import clock
    from tracker.dynamo import TextLedgerItem
    from tracker.models import SandboxText

    sid = "SM" + "a1" * 16
    TextLedgerItem(
        order_id=str(order.pk),
        key="PC",
        status=TextLedgerItem.SENT,
        body=SECRET,
        claimed_at=clock.now(),
        claim="ownership",
        message_sid=sid,
    ).save()
    SandboxText.objects.create(
        sid=sid, account_sid="AC", to="+60123456789", from_number="+1", body=f"Text {SECRET}"
    )
    ended = services.order_create(
        owner=alice,
        tracker_url=f"{settings.SANDBOX_BASE_URL}/tracker{order_stages.CART_PATH}{carts.cart_new(walk_seconds=302).cart_id}",
        token=f"Bearer {SECRET}",
        phone="+60123456789",
    )
    services.order_stop(owner=alice, pk=ended.pk)
    return {"order": order, "ended": ended}


def snapshot(alice):
    from tracker.dynamo import OrderStateItem, TextLedgerItem

    orders = list(TrackedOrder.objects.filter(owner=alice).order_by("pk").values())
    changes = list(StatusChange.objects.filter(order__owner=alice).order_by("pk").values())
    hot = [OrderStateItem.get(str(order["id"])).attribute_values for order in orders]
    texts = [item.attribute_values for order in orders for item in TextLedgerItem.query(str(order["id"]))]
    return orders, changes, hot, texts


def write_body(world):
    from tracker.sandbox import carts

    return {
        "tracker_url": f"http://127.0.0.1:8000/sandbox/tracker/api/GPSTracker/CartId/{carts.cart_new(walk_seconds=301).cart_id}",
        "token": "Bearer bob-was-here",
        "phone": "+60198765432",
        "texted_stages": ["PC"],
        "hidden": True,
        "name": "bob renamed it",
    }


def order(world):
    return {"pk": world["order"].pk}


def ended_order(world):
    return {"pk": world["ended"].pk}


OWNERSHIP = Ownership(
    build=build,
    snapshot=snapshot,
    write_body=write_body,
    routes={
        # API
        "order-list": Route(owned=False, body=write_body),
        "order-detail": Route(order, body=write_body),
        "order-stages": Route(order, body=write_body),
        "order-remove": Route(ended_order, body=write_body),
        # Pages
        "tracker:index": Route(owned=False, body=write_body),
        "tracker:order": Route(order, body=write_body),
        "tracker:stop": Route(order, body=write_body),
        "tracker:hide": Route(ended_order, body=write_body),
        "tracker:change": Route(order, body=write_body),
        "tracker:remove": Route(ended_order, body=write_body),
        "tracker:new": Route(owned=False, body=write_body),
        # The laptop's SMS outbox: a signed-in user sees only the texts of their own orders.
        "tracker-sandbox:outbox": Route(owned=False),
    },
)

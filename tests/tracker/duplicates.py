"""Duplicate-delivery cases of the tracker: the poll-orders schedule, delivered twice."""

from tests.duplicates import DuplicateCase


def _alices_order(world):
    """Alice tracks an order and wants a text at its first stage. The tracker and Twilio are the
    in-process fakes (the gate has no live server; tests/tracker/helpers.py)."""
    from django.conf import settings

    from tests.tracker.helpers import fake_upstreams
    from tracker import services, stages
    from tracker.clients import _twilio_client
    from tracker.models import TrackedOrder
    from tracker.sandbox import carts

    fake = fake_upstreams()
    fake.texts.clear()
    settings.TWILIO_BASE_URL = fake.url  # tracker tests set it back (helpers.sandbox_on)
    _twilio_client.cache_clear()
    cart = carts.cart_new(walk_seconds=300)
    order = services.order_create(
        owner=world["alice"],
        tracker_url=f"{settings.SANDBOX_BASE_URL}/tracker{stages.CART_PATH}{cart.cart_id}",
        token="Bearer alice-duplicate",
        phone="+60123456789",
        texted_stages=["PC"],
    )
    TrackedOrder.objects.filter(pk=order.pk).update(tracker_url=f"{fake.url}{stages.CART_PATH}{cart.cart_id}")
    world["order"] = order
    return {"kwargs": {"command": "poll_orders"}}


def _effects(world):
    from tests.tracker.helpers import fake_upstreams
    from tracker.dynamo import TextLedgerItem
    from tracker.models import StatusChange, TrackedOrder

    order = TrackedOrder.objects.values("stage", "tracking", "texts_sent", "texts_pending").get(
        pk=world["order"].pk
    )
    return (
        order,
        list(StatusChange.objects.filter(order_id=world["order"].pk).values_list("previous", "stage")),
        [(item.key, item.status, item.message_sid) for item in TextLedgerItem.query(str(world["order"].pk))],
        [(text["To"], text["Body"]) for text in fake_upstreams().texts],
    )


DUPLICATES = {
    # A second delivery of the same minute's event polls again: the stage has not changed, the text
    # is in the ledger, so nothing new is recorded or sent.
    "poll-orders": DuplicateCase(event=_alices_order, effects=_effects),
}

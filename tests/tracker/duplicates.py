"""Duplicate-delivery cases of the tracker: the poll-orders schedule and a poll-shards message,
delivered twice."""

from tests.duplicates import DuplicateCase


def _alices_order(world):
    """Alice tracks a sandbox order and wants a text at its first stage; the gate's live server
    serves the sandbox tracker and Twilio (its settings are restored after the test)."""
    from tests.tracker.factories import cart_url, order_for
    from tests.tracker.helpers import sandbox_on

    base = sandbox_on(world["live_server"], world["settings"])
    world["order"] = order_for(world["alice"], cart_url(base), texted=["PC"])
    return {"kwargs": {"command": "poll_orders"}}


def _effects(world):
    from tracker.dynamo import TextLedgerItem
    from tracker.models import SandboxText, StatusChange, TrackedOrder

    pk = world["order"].pk
    order = TrackedOrder.objects.values("stage", "tracking", "texts_sent", "texts_pending").get(pk=pk)
    return (
        order,
        list(StatusChange.objects.filter(order_id=pk).values_list("previous", "stage")),
        [(item.key, item.status, item.message_sid) for item in TextLedgerItem.query(str(pk))],
        list(SandboxText.objects.values_list("to", "body")),
    )


def _alices_shard(world):
    """Alice's order, and the fan-out's message for the one shard that holds it (this minute's)."""
    import time

    from tests.countries.helpers import sqs_event

    _alices_order(world)
    body = {"shard": 0, "of": 1, "until": time.time() + 50}
    return sqs_event(body, queue="serverless-django-test-poll-shards")


DUPLICATES = {
    # A shard message delivered twice polls the order twice: the stage is recorded once (it did not
    # change) and the text is claimed once in the ledger.
    "tracker.events.on_poll_shard": DuplicateCase(event=_alices_shard, effects=_effects),
    # The same firing delivered again is skipped by its claim (config.events); were it run, the
    # stage has not changed and the text is in the ledger, so nothing new is recorded or sent.
    "poll-orders": DuplicateCase(event=_alices_order, effects=_effects),
}

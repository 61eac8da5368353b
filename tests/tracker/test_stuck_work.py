"""Nothing stuck: a text claim its run never finished, a token KMS will not decrypt, a stopped order."""

from datetime import timedelta

from core import clock as product_clock
from tests.tracker.factories import ALICE_PHONE, order_for
from tracker import services
from tracker.dynamo import TextLedgerItem
from tracker.models import SandboxText, TrackedOrder
from tracker.sandbox import carts


def _claimed_by_a_dead_run(order, key: str, *, age: int) -> TextLedgerItem:
    """What a poll run that died between claiming the text and Twilio's answer leaves behind."""
    item = TextLedgerItem(
        order_id=str(order.pk),
        key=key,
        status=TextLedgerItem.SENDING,
        body=services._text_body(order, key),
        attempts=1,
        claimed_at=product_clock.now() - timedelta(seconds=age),
        claim="a-run-that-died",
    )
    item.save()
    TrackedOrder.objects.filter(pk=order.pk).update(texts_pending=key, stage="PC")
    return item


def _bodies():
    return list(SandboxText.objects.values_list("body", flat=True))


def test_a_claim_younger_than_the_send_deadline_stays_pending_and_is_not_sent(alice, place, at, settings):
    settings.TRACKER_TEXT_SEND_SECONDS = 120
    order = order_for(alice, place(walk=3000), texted=["PC"])
    _claimed_by_a_dead_run(order, "PC", age=30)

    summary = services.orders_poll()

    order.refresh_from_db()
    assert (summary.texts_sent, order.texts_pending, order.last_error) == (0, "PC", "")
    assert TextLedgerItem.get(str(order.pk), "PC").status == "sending"
    assert _bodies() == []


def test_a_claim_left_sending_by_a_dead_run_is_sent_once_twilio_says_it_never_got_it(
    alice, place, at, settings
):
    settings.TRACKER_TEXT_SEND_SECONDS = 120
    order = order_for(alice, place(walk=3000), texted=["PC"])
    _claimed_by_a_dead_run(order, "PC", age=121)

    summary = services.orders_poll()
    services.orders_poll()

    order.refresh_from_db()
    item = TextLedgerItem.get(str(order.pk), "PC")
    assert (item.status, item.attempts, item.claim != "a-run-that-died") == ("sent", 2, True)
    assert (summary.texts_sent, order.texts_sent, order.texts_pending) == (1, 1, "")
    assert _bodies() == [f"Domino's order {order.cart_id}: In progress (PC)."]


def test_a_claim_whose_text_twilio_took_is_recorded_as_sent_and_not_sent_again(alice, place, at, settings):
    settings.TRACKER_TEXT_SEND_SECONDS = 120
    order = order_for(alice, place(walk=3000), texted=["PC"])
    item = _claimed_by_a_dead_run(order, "PC", age=300)
    taken = SandboxText.objects.create(
        sid="SMtakenbeforetherundied",
        account_sid=settings.TWILIO_ACCOUNT_SID,
        to=ALICE_PHONE,
        from_number=settings.TWILIO_FROM_NUMBER,
        body=item.body,
    )

    summary = services.orders_poll()

    order.refresh_from_db()
    item = TextLedgerItem.get(str(order.pk), "PC")
    assert (item.status, item.message_sid) == ("sent", taken.sid)
    assert (summary.texts_sent, order.texts_sent, order.texts_pending, order.last_error) == (1, 1, "", "")
    assert len(_bodies()) == 1


def test_a_claim_twilio_cannot_account_for_is_shown_unknown_on_the_order(alice, place, at, settings):
    settings.TRACKER_TEXT_SEND_SECONDS = 120
    order = order_for(alice, place(walk=3000), texted=["PC"])
    _claimed_by_a_dead_run(order, "PC", age=300)
    settings.TWILIO_BASE_URL = "http://127.0.0.1:9"  # nothing listens: Twilio cannot be asked

    services.orders_poll()

    order.refresh_from_db()
    item = TextLedgerItem.get(str(order.pk), "PC")
    assert item.status == "unknown"
    assert order.texts_pending == ""
    assert order.last_error.startswith("The text about In progress may not have arrived: the run sending it")
    assert "Twilio could not say whether it took it" in order.last_error
    settings.TWILIO_BASE_URL = None
    services.orders_poll()
    assert _bodies() == []  # never sent twice, not even once Twilio answers again


def test_a_token_kms_refuses_to_decrypt_ends_tracking_with_one_truthful_text(alice, place, at):
    order = order_for(alice, place(walk=3000))
    blob = bytes(order.token_ciphertext)
    # A key this KMS does not have (what a new emulator did to every stored token): AccessDenied.
    TrackedOrder.objects.filter(pk=order.pk).update(
        token_ciphertext=b"00000000-0000-4000-8000-000000000000" + blob[36:]
    )

    summary = services.orders_poll()
    at(60)
    services.orders_poll()

    order.refresh_from_db()
    assert summary.ends == {"token_unreadable": 1}
    assert (order.tracking, order.token_ciphertext, order.texts_pending) == ("token_unreadable", None, "")
    assert order.get_tracking_display() == "Stopped: the stored token could not be read"
    assert "AccessDeniedException" in order.last_error
    assert "tried again" not in order.last_error
    assert _bodies() == [
        f"Tracking of your Domino's order {order.cart_id} stopped: its stored token could not be read. "
        "Add the order again with your token to keep following it."
    ]


def test_an_order_stopped_after_failed_polls_never_says_it_is_tried_again(alice, place, at, monkeypatch):
    order = order_for(alice, place(mode=carts.NORMAL))

    def surprise(**kwargs):
        raise RuntimeError("something nobody foresaw")

    monkeypatch.setattr("tracker.clients.stage_fetch", surprise)
    for minute in range(5):
        at(60 * minute)
        services.orders_poll()

    order.refresh_from_db()
    assert order.tracking == "failed"
    assert order.last_error == (
        "Stopped after 5 failed polls in a row: The poll failed unexpectedly (RuntimeError)."
    )

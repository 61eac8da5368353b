"""The poll run: stage changes recorded, the stop rules, token expiry, one text per stage."""

import threading
from datetime import timedelta

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import clock as product_clock
from tests.tracker.factories import order_for
from tracker import services
from tracker.dynamo import OrderStateItem, TextLedgerItem
from tracker.models import SandboxText, StatusChange, TrackedOrder
from tracker.sandbox import carts
from tracker.sandbox.views import twilio_fail_next

WALK = 300  # PC 0-99 s, BK 100-199 s, DL 200-299 s, CP from 300 s


def poll():
    return services.orders_poll()


def _texts():
    return list(SandboxText.objects.order_by("received_at").values_list("to", "body"))


def test_every_stage_change_is_recorded_and_the_chosen_ones_texted(alice, place, at):
    order = order_for(alice, place(walk=WALK))

    assert poll().line() == "Polled 1 order: 1 changed, 0 failed, 0 texts sent."
    at(50)
    assert poll().line() == "Polled 1 order: 0 changed, 0 failed, 0 texts sent."
    at(150)
    poll()
    at(250)
    assert poll().line() == "Polled 1 order: 1 changed, 0 failed, 1 text sent."
    at(310)
    summary = poll()

    assert (
        summary.line()
        == "Polled 1 order: 1 changed, 0 failed, 1 text sent; tracking ended for 1 (1 completed)."
    )
    assert list(StatusChange.objects.filter(order=order).values_list("previous", "stage")) == [
        ("", "PC"),
        ("PC", "BK"),
        ("BK", "DL"),
        ("DL", "CP"),
    ]
    order.refresh_from_db()
    assert (order.tracking, order.stage, order.texts_sent, order.texts_pending) == ("completed", "CP", 2, "")
    assert order.token_ciphertext is None
    assert [body for _, body in _texts()] == [
        f"Domino's order {order.cart_id}: Out for delivery (DL).",
        f"Domino's order {order.cart_id}: Completed (CP).",
    ]
    assert {item.key: item.status for item in TextLedgerItem.query(str(order.pk))} == {
        "DL": "sent",
        "CP": "sent",
    }
    assert all(item.message_sid.startswith("SM") for item in TextLedgerItem.query(str(order.pk)))
    at(400)
    assert poll().polled == 0  # completed orders are not polled again


def test_the_latest_state_is_the_orders_hot_item(alice, place, at):
    order = order_for(alice, place(walk=WALK))
    at(120)
    poll()

    item = OrderStateItem.get(str(order.pk))
    assert (item.stage, item.tracking, item.owner) == ("BK", "active", str(alice.pk))
    assert item.polled_at == product_clock.now()


def test_the_command_prints_the_summary(alice, place, at):
    import io

    order_for(alice, place(walk=WALK))
    out = io.StringIO()

    call_command("poll_orders", stdout=out)

    assert out.getvalue().strip() == "Polled 1 order: 1 changed, 0 failed, 0 texts sent."


def test_five_failed_polls_in_a_row_stop_tracking(alice, place, at):
    order = order_for(alice, place(mode=carts.FAILS))
    for minute in range(4):
        at(60 * minute)
        assert poll().failed == 1
    order.refresh_from_db()
    assert (order.tracking, order.failed_polls) == ("active", 4)
    assert "answered 500" in order.last_error

    at(300)
    summary = poll()

    order.refresh_from_db()
    assert summary.ends == {"failed": 1}
    assert (order.tracking, order.failed_polls, order.token_ciphertext) == ("failed", 5, None)
    assert order.last_error.startswith("Stopped after 5 failed polls in a row: ")
    assert not _texts()


def test_a_good_poll_resets_the_count_of_failed_ones(alice, place, at):
    order = order_for(alice, place(mode=carts.HTML))
    poll()
    TrackedOrder.objects.filter(pk=order.pk).update(tracker_url=place(), cart_id="x")

    poll()

    order.refresh_from_db()
    assert (order.failed_polls, order.last_error, order.stage) == (0, "", "PC")


def test_a_tracker_answering_badly_fails_that_order_only(alice, bob, place, at):
    bad = [order_for(alice, place(mode=mode)) for mode in (carts.HTML, carts.NO_STATUS, carts.HANGS)]
    good = order_for(bob, place(), phone="+60198765432")

    summary = poll()

    assert (summary.polled, summary.failed, summary.changed) == (4, 3, 1)
    reasons = [TrackedOrder.objects.get(pk=o.pk).last_error for o in bad]
    assert "text/html, not JSON" in reasons[0]
    assert "JSON without a Status" in reasons[1]
    assert "did not answer within 1 s" in reasons[2]
    assert TrackedOrder.objects.get(pk=good.pk).stage == "PC"


def test_tracking_stops_three_hours_after_it_started(alice, place, at):
    order = order_for(alice, place())
    at(3 * 3600 - 1)
    TrackedOrder.objects.filter(pk=order.pk).update(tracker_url=place())  # an order that is still on its way
    assert poll().polled == 1

    at(3 * 3600)
    summary = poll()

    order.refresh_from_db()
    assert (summary.polled, summary.ends) == (0, {"timed_out": 1})
    assert order.tracking == "timed_out"
    assert order.token_ciphertext is None
    assert "3 hours" in order.last_error


def test_an_expired_token_stops_tracking_and_texts_the_user_once(alice, place, at):
    order = order_for(alice, place(mode=carts.EXPIRES, walk=WALK))
    poll()
    at(120)

    summary = poll()

    order.refresh_from_db()
    assert summary.ends == {"token_expired": 1}
    assert "(1 token expired)" in summary.line()
    assert summary.texts_sent == 1
    assert order.tracking == "token_expired"
    assert order.token_ciphertext is None
    assert order.get_tracking_display() == "Token expired"
    assert "Token expired" in order.last_error
    ((to, body),) = _texts()
    assert to == "+60123456789"
    assert "token" in body
    assert "expired" in body
    at(180)
    poll()
    assert len(_texts()) == 1


def test_a_failed_text_is_sent_on_the_next_poll_and_only_once(alice, place, at):
    order = order_for(alice, place(walk=WALK), texted=["PC"])
    twilio_fail_next(1)

    first = poll()

    order.refresh_from_db()
    assert (first.texts_sent, first.texts_failed, order.texts_pending) == (0, 1, "PC")
    assert "was not sent" in order.last_error
    assert "500" in order.last_error
    assert TextLedgerItem.get(str(order.pk), "PC").status == "failed"
    at(60)

    second = poll()

    order.refresh_from_db()
    assert (second.texts_sent, order.texts_pending, order.texts_sent) == (1, "", 1)
    item = TextLedgerItem.get(str(order.pk), "PC")
    assert (item.status, item.attempts) == ("sent", 2)
    assert len(_texts()) == 1
    at(120)
    poll()
    assert len(_texts()) == 1


def test_a_retried_invocation_never_texts_twice(alice, place, at):
    """The run sent the text, then died before the database heard of it: the rerun finds the ledger."""
    order = order_for(alice, place(walk=WALK), texted=["PC"])
    poll()
    assert len(_texts()) == 1
    TrackedOrder.objects.filter(pk=order.pk).update(texts_pending="PC", texts_sent=0)

    again = poll()

    assert again.texts_sent == 0
    assert len(_texts()) == 1
    order.refresh_from_db()
    assert order.texts_pending == ""


def test_overlapping_poll_runs_text_each_stage_once(alice, bob, place, at):
    orders = [order_for(alice, place(walk=WALK + n), texted=["PC"]) for n in range(6)]
    orders += [order_for(bob, place(walk=WALK + n), phone="+60198765432", texted=["PC"]) for n in range(6)]
    summaries = []
    start = threading.Barrier(3)

    def run():
        from django.db import connections

        start.wait()
        try:
            summaries.append(services.orders_poll(now=product_clock.now()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(_texts()) == len(orders)
    assert sum(s.texts_sent for s in summaries) == len(orders)
    assert sum(s.polled for s in summaries) == len(orders)
    assert StatusChange.objects.count() == len(orders)


def test_an_order_leased_by_a_run_still_going_is_skipped(alice, place, at):
    order = order_for(alice, place())
    TrackedOrder.objects.filter(pk=order.pk).update(
        lease_id="other", lease_until=product_clock.now() + timedelta(minutes=1)
    )

    assert (poll().polled, poll().skipped) == (0, 1)
    at(121)
    assert poll().polled == 1  # the other run died: its lease expired


def _queries(alice, place, count):
    for n in range(count):
        order_for(alice, place(walk=WALK + n), texted=["PC"])
        order_for(alice, place(mode=carts.FAILS, walk=WALK + n))
    with CaptureQueriesContext(connection) as queries:
        summary = poll()
    assert summary.polled == 2 * count
    TrackedOrder.objects.all().delete()
    SandboxText.objects.all().delete()
    return len(queries)


def test_the_queries_of_a_poll_run_do_not_grow_with_the_orders(alice, place, at, settings):
    settings.TRACKER_MAX_ACTIVE_ORDERS = 100

    assert _queries(alice, place, 2) == _queries(alice, place, 12)


def test_the_hot_items_come_back_after_the_emulator_restarts(alice, place, at):
    order = order_for(alice, place())
    poll()
    OrderStateItem.get(str(order.pk)).delete()

    assert services.order_states_restore() == "Restored the latest state of 1 tracked order."
    assert OrderStateItem.get(str(order.pk)).stage == "PC"


def test_an_order_stopped_while_a_run_polls_it_stays_stopped(alice, place, at, monkeypatch):
    order = order_for(alice, place(walk=WALK))
    at(310)  # the tracker says completed
    real = services._poll_one

    def stopped_meanwhile(o):
        services.order_stop(owner=alice, pk=o.pk)
        return real(o)

    monkeypatch.setattr(services, "_poll_one", stopped_meanwhile)
    services.orders_poll()

    order.refresh_from_db()
    assert order.tracking == "stopped"


def test_a_text_whose_run_died_mid_send_is_shown_as_unknown_and_never_sent_again(alice, place, at):
    from tracker import selectors

    order = order_for(alice, place(walk=WALK), texted=["PC"])
    TextLedgerItem(
        order_id=str(order.pk),
        key="PC",
        status="sending",
        body="x",
        attempts=1,
        claimed_at=product_clock.now(),
        claim="a-run-that-died",
    ).save()
    poll()
    assert not _texts()  # claimed by the dead run: not sent again
    at(11 * 60)

    (text,) = selectors.order_texts(order=order)

    assert text.status == "unknown"
    assert "interrupted" in text.error

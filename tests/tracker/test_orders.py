"""Adding and stopping orders: exact validation, the token encrypted at rest and erased at the end."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.tracker.factories import TOKEN, order_for
from tracker import services
from tracker.models import TrackedOrder
from tracker.tokens import TokenUnreadable, token_decrypt

pytestmark = pytest.mark.django_db


def _table_text() -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {TrackedOrder._meta.db_table}")
        rows = cursor.fetchall()
    return repr(rows) + "".join(
        bytes(v).decode("latin-1") for row in rows for v in row if isinstance(v, (bytes, memoryview))
    )


def test_an_order_is_stored_with_its_token_encrypted(alice, place):
    order = order_for(alice, place(), texted=["DL"])

    assert order.tracking == "active"
    assert order.texted_list == ["DL"]
    assert order.cart_id
    assert order.phone == "+60123456789"
    assert TOKEN not in _table_text()
    assert "alice-token" not in _table_text()
    assert token_decrypt(ciphertext=order.token_ciphertext, owner_id=alice.pk) == TOKEN


def test_a_ciphertext_moved_to_another_owner_does_not_decrypt(alice, bob, place):
    order = order_for(alice, place())

    with pytest.raises(TokenUnreadable):
        token_decrypt(ciphertext=order.token_ciphertext, owner_id=bob.pk)


def test_the_default_stages_texted_are_out_for_delivery_and_completed(alice, place):
    assert order_for(alice, place()).texted_list == ["DL", "CP"]


def test_bad_input_is_refused_field_by_field(alice, aws):
    with pytest.raises(ValidationError) as refused:
        services.order_create(
            owner=alice,
            tracker_url="https://api.dominos.com.my.evil.example/api/GPSTracker/CartId/12",
            token="abc",
            phone="0123456789",
            texted_stages=["XX"],
        )

    errors = refused.value.message_dict
    assert set(errors) == {"tracker_url", "token", "phone", "texted_stages"}
    assert "https://api.dominos.com.my/api/GPSTracker/CartId/<digits>" in errors["tracker_url"][0]
    assert "+60123456789" in errors["phone"][0]
    assert not TrackedOrder.objects.exists()


def test_spaces_and_dashes_in_a_phone_are_dropped(alice, place):
    assert order_for(alice, place(), phone="+60 12-345 6789").phone == "+60123456789"


def test_the_same_order_is_tracked_once_at_a_time(alice, place):
    url = place()
    order_for(alice, url)

    with pytest.raises(ValidationError, match="already tracking"):
        order_for(alice, url)


def test_a_user_tracks_a_limited_number_of_orders_at_once(alice, place, settings):
    settings.TRACKER_MAX_ACTIVE_ORDERS = 2
    order_for(alice, place())
    order_for(alice, place(walk=301))

    with pytest.raises(services.TooManyOrders):
        order_for(alice, place(walk=302))


def test_stopping_ends_tracking_and_erases_the_token(alice, place):
    order = order_for(alice, place())

    stopped = services.order_stop(owner=alice, pk=order.pk)

    assert stopped.tracking == "stopped"
    assert stopped.ended_at is not None
    assert stopped.token_ciphertext is None
    assert not stopped.has_token
    assert services.order_stop(owner=alice, pk=order.pk).ended_at == stopped.ended_at  # idempotent


def test_nobody_stops_somebody_elses_order(alice, bob, place):
    order = order_for(alice, place())

    with pytest.raises(TrackedOrder.DoesNotExist):
        services.order_stop(owner=bob, pk=order.pk)
    order.refresh_from_db()
    assert order.tracking == "active"


def test_a_key_that_cannot_encrypt_stores_nothing(alice, place, monkeypatch):
    import tracker.tokens

    monkeypatch.setattr(tracker.tokens, "key_alias", lambda: "alias/no-such-key")

    with pytest.raises(services.OrderNotStored):
        order_for(alice, place())
    assert not TrackedOrder.objects.exists()


def test_the_demo_loads_two_sandbox_orders_and_keeps_tracking_them_on_the_next_start(alice, aws):
    from tracker.demo import load_demo

    first = load_demo(user=alice)
    again = load_demo(user=alice)

    assert first.startswith("Tracking 2 sandbox orders (")
    assert again == "2 sandbox orders still tracked; texts arrive at /sandbox/tracker/outbox/."
    assert TrackedOrder.objects.filter(owner=alice, tracking="active").count() == 2
    assert not TrackedOrder.objects.filter(owner=alice, tracking="stopped").exists()

"""Naming an order, changing its phone and stages while it is tracked, removing an ended one, the
list above the form on a phone, and the new-order page a phone's share sheet or bookmarklet opens."""

import re

import pytest
from django.urls import reverse

from tests.tracker.factories import TOKEN, order_for
from tracker import services
from tracker.dynamo import OrderStateItem, TextLedgerItem
from tracker.models import SandboxText, StatusChange, TrackedOrder

pytestmark = pytest.mark.django_db

WALK = 300  # PC 0-99 s, BK 100-199 s, DL 200-299 s, CP from 300 s


def _ended(owner, url):
    order = order_for(owner, url)
    return services.order_stop(owner=owner, pk=order.pk)


# --- Naming and changing ------------------------------------------------------------------


def test_alice_names_an_order_when_adding_it_and_the_list_shows_the_name(api_alice, alice_client, place):
    response = api_alice.post(
        reverse("order-list"),
        {"tracker_url": place(), "token": TOKEN, "phone": "+60123456789", "name": "  Friday pizzas "},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["name"] == "Friday pizzas"
    page = alice_client.get(reverse("tracker:index")).content.decode()
    assert ">Friday pizzas</a>" in page


def test_the_next_text_goes_to_the_new_phone_at_the_new_stages(api_alice, alice, place, at):
    order = order_for(alice, place(walk=WALK), texted=["CP"])
    services.orders_poll()  # PC

    response = api_alice.patch(
        reverse("order-detail", args=[order.pk]),
        {"phone": "+60 19-876 5432", "texted_stages": ["DL", "PC"], "name": "Office lunch"},
        format="json",
    )
    at(250)
    services.orders_poll()  # BK... DL

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["phone"], body["texted_stages"], body["name"]) == (
        "+60198765432",
        ["PC", "DL"],
        "Office lunch",
    )
    assert list(SandboxText.objects.values_list("to", "body")) == [
        ("+60198765432", f"Domino's order {order.cart_id}: Out for delivery (DL).")
    ]


def test_a_refused_change_names_every_wrong_field_and_changes_nothing(api_alice, alice, place):
    order = order_for(alice, place())

    response = api_alice.patch(
        reverse("order-detail", args=[order.pk]),
        {"phone": "0123", "texted_stages": [], "name": "two\nlines"},
        format="json",
    )
    typed = api_alice.patch(
        reverse("order-detail", args=[order.pk]), {"name": 7, "phone": "+1"}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()) == {"phone", "texted_stages", "name"}
    assert typed.status_code == 400
    assert set(typed.json()) == {"name", "phone"}
    order.refresh_from_db()
    assert (order.phone, order.texted_stages, order.name) == ("+60123456789", "DL,CP", "")


def test_an_ended_order_keeps_its_phone_and_stages_but_can_be_renamed(api_alice, alice, place):
    order = _ended(alice, place())

    refused = api_alice.patch(
        reverse("order-detail", args=[order.pk]),
        {"phone": "+60198765432", "texted_stages": ["PC"]},
        format="json",
    )
    renamed = api_alice.patch(
        reverse("order-detail", args=[order.pk]), {"name": "Last week's", "hidden": True}, format="json"
    )

    assert refused.status_code == 400
    assert set(refused.json()) == {"phone", "texted_stages"}
    assert renamed.status_code == 200
    assert (renamed.json()["name"], renamed.json()["hidden"]) == ("Last week's", True)
    order.refresh_from_db()
    assert order.phone == "+60123456789"


def test_the_change_form_works_without_javascript_and_shows_its_errors(alice_client, alice, place):
    order = order_for(alice, place())
    url = reverse("tracker:change", args=[order.pk])

    shown = alice_client.get(url).content.decode()
    bad = alice_client.post(url, {"name": "x", "phone": "12", "texted_stages": ["DL"]})
    good = alice_client.post(
        url, {"name": "Pizza night", "phone": "+44 7700 900123", "texted_stages": ["PC", "CP"]}
    )

    assert 'value="+60123456789"' in shown
    assert 'http-equiv="refresh"' not in shown  # the order's page reloads itself without JavaScript
    assert bad.status_code == 400
    assert "international (E.164) format" in bad.content.decode()
    assert good.status_code == 302
    order.refresh_from_db()
    assert (order.name, order.phone, order.texted_list) == ("Pizza night", "+447700900123", ["PC", "CP"])
    page = alice_client.get(good["Location"]).content.decode()
    assert '<h1 data-testid="order-title">Pizza night</h1>' in page


def test_the_change_form_of_an_ended_order_has_the_name_only(alice_client, alice, place):
    order = _ended(alice, place())

    page = alice_client.get(reverse("tracker:change", args=[order.pk])).content.decode()
    saved = alice_client.post(
        reverse("tracker:change", args=[order.pk]), {"name": "Old one", "phone": "+60198765432"}
    )

    assert 'name="phone"' not in page
    assert "only the name can change" in page
    assert saved.status_code == 302
    order.refresh_from_db()
    assert (order.name, order.phone) == ("Old one", "+60123456789")


# --- Removing ----------------------------------------------------------------------------


def test_alice_removes_an_ended_order_with_its_timeline_state_and_texts(api_alice, alice, place):
    order = _ended(alice, place())
    StatusChange.objects.create(order=order, stage="PC")
    TextLedgerItem(
        order_id=str(order.pk), key="PC", status="sent", body="b", claimed_at=order.started_at, claim="run"
    ).save()

    response = api_alice.post(reverse("order-remove", args=[order.pk]))
    again = api_alice.post(reverse("order-remove", args=[order.pk]))

    assert response.status_code == 204
    assert again.status_code == 404
    assert not TrackedOrder.objects.filter(pk=order.pk).exists()
    assert not StatusChange.objects.filter(order_id=order.pk).exists()
    assert list(TextLedgerItem.query(str(order.pk))) == []
    with pytest.raises(OrderStateItem.DoesNotExist):
        OrderStateItem.get(str(order.pk))


def test_a_tracked_order_or_one_with_a_text_due_is_not_removed(api_alice, alice, place):
    from datetime import timedelta

    from core import clock

    tracked = order_for(alice, place())
    texting = _ended(alice, place(walk=301))
    TrackedOrder.objects.filter(pk=texting.pk).update(texts_pending="CP")
    leased = _ended(alice, place(walk=302))  # a poll run that ended it is still writing it
    TrackedOrder.objects.filter(pk=leased.pk).update(
        lease_id="run", lease_until=clock.now() + timedelta(minutes=1)
    )

    responses = [api_alice.post(reverse("order-remove", args=[o.pk])) for o in (tracked, texting, leased)]

    assert [r.status_code for r in responses] == [400, 400, 400]
    assert "stop tracking it" in responses[0].json()["tracking"][0]
    assert TrackedOrder.objects.count() == 3


def test_nothing_is_removed_while_dynamodb_cannot_be_reached(api_alice, alice, place, monkeypatch):
    order = _ended(alice, place())

    def unreachable(*args, **kwargs):
        raise ConnectionError("no DynamoDB")

    monkeypatch.setattr(TextLedgerItem, "query", unreachable)
    response = api_alice.post(reverse("order-remove", args=[order.pk]))

    assert response.status_code == 503
    assert TrackedOrder.objects.filter(pk=order.pk).exists()


def test_the_remove_button_works_without_javascript(alice_client, alice, place):
    order = _ended(alice, place())

    response = alice_client.post(reverse("tracker:remove", args=[order.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("tracker:index")
    assert not TrackedOrder.objects.exists()


# --- The list and the form; the new-order page ---------------------------------------------


def test_my_orders_come_before_the_form_in_the_page_tracked_ones_first(alice_client, alice, place):
    ended = _ended(alice, place())
    tracked = order_for(alice, place(walk=301))

    text = alice_client.get(reverse("tracker:index")).content.decode()

    assert text.index('id="my-orders"') < text.index('id="new-order"')
    assert text.index(f'data-order-id="{tracked.pk}"') < text.index(f'data-order-id="{ended.pk}"')


def test_a_shared_tracker_url_prefills_the_new_order_form(alice_client, place):
    url = place()

    direct = alice_client.get(reverse("tracker:new"), {"url": url}).content.decode()
    shared = alice_client.get(
        reverse("tracker:new"), {"text": f"My pizza! {url} (Domino's)"}
    ).content.decode()

    for text in (direct, shared):
        assert f'value="{url}"' in text
        assert 'data-testid="prefilled"' in text
        assert "autofocus" in text


@pytest.mark.parametrize(
    "sent",
    [
        "https://evil.example/api/GPSTracker/CartId/123<script>alert(1)</script>",
        "https://api.dominos.com.my.evil.example/api/GPSTracker/CartId/1",
        "javascript:alert(1)",
        "x" * 5000,
    ],
)
def test_anything_else_shared_is_refused_and_never_echoed(alice_client, sandbox, sent):
    response = alice_client.get(reverse("tracker:new"), {"url": sent, "title": sent})

    text = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="prefill-refused"' in text
    assert "evil.example" not in text
    assert "alert(1)" not in text
    assert 'name="tracker_url"' in text
    assert not re.search(r'name="tracker_url"[^>]*value=', text)


def test_the_bookmarklet_opens_this_sites_new_order_form_and_carries_no_token(alice_client, sandbox):
    from tracker.prefill import bookmarklet

    code = bookmarklet("https://pizza.example/dev/tracker/new/")
    page = alice_client.get(reverse("tracker:new")).content.decode()

    assert code.startswith("javascript:(function(){")
    assert 'var NEW="https://pizza.example/dev/tracker/new/"' in code
    assert "%" not in code
    assert "\n" not in code
    assert "#" not in code.split("location.href=")[1].split(";")[0]  # only ?url= goes in the URL
    assert "http://testserver/tracker/new/" in page  # the help's share link and the bookmarklet
    assert "On a phone: the bookmarklet" in page


def test_signed_out_the_shared_link_comes_back_after_logging_in(client, alice, place):
    from urllib.parse import unquote

    url = place()

    response = client.get(reverse("tracker:new"), {"url": url})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert f"next=/tracker/new/?url={url}" in unquote(unquote(response["Location"]))


def test_an_empty_hidden_filter_is_refused_not_taken_for_false(api_alice, aws):
    assert api_alice.get(reverse("order-list"), {"hidden": ""}).status_code == 400
    assert api_alice.get(reverse("order-list"), {"hidden": "false"}).status_code == 200

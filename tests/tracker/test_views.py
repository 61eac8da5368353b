"""The tracker pages: add an order (form errors), My orders, the order's timeline, stop; the admin."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.tracker.factories import TOKEN, order_for
from tracker import services
from tracker.models import TrackedOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_page(alice_client, sandbox):
    return alice_client


def test_the_page_shows_the_form_the_howto_and_an_empty_list(alice_page):
    response = alice_page.get(reverse("tracker:index"))

    text = response.content.decode()
    assert response.status_code == 200
    assert "Where to find the tracker URL and the token" in text
    assert "https://api.dominos.com.my/api/GPSTracker/CartId/&lt;digits&gt;" in text
    assert "No orders yet" in text
    assert reverse("tracker-sandbox:index") in text


def test_a_link_prefills_the_tracker_url_but_never_a_token(alice_page, place):
    url = place()

    text = alice_page.get(reverse("tracker:index"), {"tracker_url": url, "token": TOKEN}).content.decode()

    assert f'value="{url}"' in text
    assert TOKEN not in text


def test_a_rejected_form_never_sends_the_token_back(alice_page, place):
    response = alice_page.post(
        reverse("tracker:index"), {"tracker_url": place(), "token": TOKEN, "phone": "0123"}
    )

    assert response.status_code == 400
    text = response.content.decode()
    assert TOKEN not in text
    assert "paste it again" in text
    assert not TrackedOrder.objects.exists()


def test_the_sandbox_page_posts_its_order_to_the_tracker_without_a_token_in_any_url(alice_page, aws):
    """The page that made the sandbox order shows its token (as Domino's page shows yours), and
    hands it to /tracker/ in a POST body: never in a link (links land in access logs)."""
    import re

    made = alice_page.get(reverse("tracker-sandbox:index"), {"walk": "30", "mode": "0"}).content.decode()
    token = re.search(r'data-testid="sandbox-token">([^<]+)<', made).group(1)
    url = re.search(r'data-testid="sandbox-url">([^<]+)<', made).group(1)

    hrefs = re.findall(r'(?:href|action)="([^"]*)"', made)
    assert not [href for href in hrefs if "token=" in href or token.split()[-1] in href]
    form = re.search(r'<form method="post" action="/tracker/"[\s\S]*?</form>', made).group(0)
    assert f'name="tracker_url" value="{url}"' in form
    assert f'name="token" value="{token}"' in form  # in the POST body, not in a URL


def test_adding_an_order_opens_its_page(alice_page, place):
    response = alice_page.post(
        reverse("tracker:index"),
        {"tracker_url": place(), "token": TOKEN, "phone": "+60123456789", "texted_stages": ["DL", "CP"]},
    )

    order = TrackedOrder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tracker:order", kwargs={"pk": order.pk})
    text = alice_page.get(response["Location"]).content.decode()
    assert "Waiting for the first answer" in text
    assert "Stop tracking" in text
    assert TOKEN not in text


def test_bad_input_shows_field_errors(alice_page, aws):
    response = alice_page.post(
        reverse("tracker:index"),
        {
            "tracker_url": "https://api.dominos.com.my/api/GPSTracker/CartId/",
            "token": "nope",
            "phone": "0123",
            "texted_stages": ["DL"],
        },
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"tracker_url", "token", "phone"}
    assert not TrackedOrder.objects.exists()


def test_the_order_page_shows_the_timeline_and_the_texts(alice_page, alice, place):
    order = order_for(alice, place(), texted=["PC"])
    services.orders_poll()

    text = alice_page.get(reverse("tracker:order", kwargs={"pk": order.pk})).content.decode()

    assert "In progress" in text
    assert "sent" in text
    assert reverse("order-stages", kwargs={"pk": order.pk}) in text


def test_my_orders_lists_the_live_stage(alice_page, alice, place):
    order = order_for(alice, place())
    services.orders_poll()

    text = alice_page.get(reverse("tracker:index")).content.decode()

    assert f"Order {order.cart_id}" in text
    assert "In progress" in text


def test_the_stop_button_stops_tracking(alice_page, alice, place):
    order = order_for(alice, place())

    response = alice_page.post(reverse("tracker:stop", kwargs={"pk": order.pk}))

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.tracking == "stopped"
    assert order.token_ciphertext is None


def test_bob_sees_none_of_alices_orders(alice, bob, place, sandbox, client):
    order = order_for(alice, place())
    client.force_login(bob)

    assert order.cart_id not in client.get(reverse("tracker:index")).content.decode()
    assert client.get(reverse("tracker:order", kwargs={"pk": order.pk})).status_code == 404
    assert client.post(reverse("tracker:stop", kwargs={"pk": order.pk})).status_code == 404
    order.refresh_from_db()
    assert order.tracking == "active"


def test_signed_out_visitors_are_sent_to_log_in(client, db):
    response = client.get(reverse("tracker:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_the_admin_never_shows_the_token(alice, place, client, sandbox):
    from tests.accounts.factories import UserFactory

    order = order_for(alice, place())
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)

    listing = client.get(reverse("admin:tracker_trackedorder_changelist")).content.decode()
    page = client.get(reverse("admin:tracker_trackedorder_change", args=[order.pk])).content.decode()

    assert order.cart_id in listing
    assert "+60•••••6789" in listing
    for text in (listing, page):
        assert TOKEN not in text
        assert "alice-token" not in text
    assert "token_ciphertext" not in page


def test_the_sandbox_page_makes_an_order_and_the_outbox_lists_texts(alice_page, alice, place):
    made = alice_page.get(reverse("tracker-sandbox:index"), {"walk": "30", "mode": "0"}).content.decode()
    assert "/sandbox/tracker/api/GPSTracker/CartId/" in made
    assert "Bearer sandbox." in made
    order_for(alice, place(), texted=["PC"])
    services.orders_poll()

    outbox = alice_page.get(reverse("tracker-sandbox:outbox")).content.decode()

    assert "In progress (PC)" in outbox


def test_the_sms_outbox_shows_each_user_the_texts_of_their_own_orders_and_staff_all(
    alice_page, alice, bob, place, client
):
    order_for(alice, place(), texted=["PC"])
    services.orders_poll()
    outbox = reverse("tracker-sandbox:outbox")
    assert "In progress (PC)" in alice_page.get(outbox).content.decode()

    assert client.get(outbox).status_code == 302  # signed out: log in first
    client.force_login(bob)
    shown = client.get(outbox).content.decode()
    assert "In progress (PC)" not in shown
    assert "+60123456789" not in shown
    bob.is_staff = True
    bob.save()
    assert "In progress (PC)" in client.get(outbox).content.decode()


def test_the_sandbox_page_refuses_a_walk_out_of_range(alice_page):
    assert alice_page.get(reverse("tracker-sandbox:index"), {"walk": "2"}).status_code == 400


def test_an_ended_order_without_a_stage_promises_no_poll_and_can_be_hidden(alice_page, alice, place):
    tracked = order_for(alice, place())
    ended = order_for(alice, place(walk=301))
    services.order_stop(owner=alice, pk=ended.pk)

    listing = alice_page.get(reverse("tracker:index")).content.decode()
    page = alice_page.get(reverse("tracker:order", args=[ended.pk])).content.decode()

    assert listing.index(f'data-order-id="{tracked.pk}"') < listing.index(f'data-order-id="{ended.pk}"')
    assert "No stage was seen before tracking ended" in page
    assert "Waiting for the first answer" not in page
    assert "first poll runs within a minute" not in page

    response = alice_page.post(reverse("tracker:hide", args=[ended.pk]), {"hidden": "1"}, follow=True)

    text = response.content.decode()
    assert f"Order {ended.cart_id} is hidden from your orders" in text
    assert f'data-order-id="{ended.pk}"' not in text
    assert "1 ended order hidden" in text
    assert (
        f'data-order-id="{ended.pk}"'
        in alice_page.get(reverse("tracker:index"), {"hidden": "1"}).content.decode()
    )

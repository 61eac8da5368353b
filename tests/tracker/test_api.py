"""The orders API: add, list, read, stop, the timeline; strict input; everything the caller's own."""

import pytest
from django.urls import reverse

from tests.tracker.factories import TOKEN, order_for
from tracker import services
from tracker.models import TrackedOrder

pytestmark = pytest.mark.django_db


def _body(url, **changes):
    return {"tracker_url": url, "token": TOKEN, "phone": "+60123456789", **changes}


def test_alice_adds_an_order_and_its_token_never_comes_back(api_alice, place):
    response = api_alice.post(
        reverse("order-list"), _body(place(), texted_stages=["PC", "DL"]), format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["tracking"] == "active"
    assert body["texted_stages"] == ["PC", "DL"]
    assert body["has_token"] is True
    assert "token" not in body
    assert TOKEN not in response.content.decode()
    assert TrackedOrder.objects.get(pk=body["id"]).owner.username == "alice"


def test_bad_input_is_a_400_with_field_errors(api_alice, aws):
    response = api_alice.post(
        reverse("order-list"),
        {"tracker_url": "https://api.dominos.com.my/api/GPSTracker/CartId/12x", "token": "x", "phone": "+0"},
        format="json",
    )
    stages = api_alice.post(reverse("order-list"), {"texted_stages": ["ZZ"]}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"tracker_url", "token", "phone"}
    assert stages.status_code == 400
    assert "texted_stages" in stages.json()


def test_every_wrong_field_is_reported_at_once(api_alice, aws):
    response = api_alice.post(
        reverse("order-list"),
        {"tracker_url": "https://example.com/x", "token": "x", "phone": "+0", "texted_stages": ["ZZ"]},
        format="json",
    )
    typed = api_alice.post(
        reverse("order-list"), {"tracker_url": 12, "token": "x", "phone": "+0"}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()) == {"tracker_url", "token", "phone", "texted_stages"}
    assert typed.status_code == 400
    assert typed.json()["tracker_url"] == ["Not a string."]
    assert set(typed.json()) == {"tracker_url", "token", "phone"}


def test_an_empty_texted_stages_is_refused(api_alice, place):
    response = api_alice.post(reverse("order-list"), _body(place(), texted_stages=[]), format="json")

    assert response.status_code == 400
    assert response.json() == {"texted_stages": ["Choose at least one stage to be texted at."]}
    assert not TrackedOrder.objects.exists()


def test_values_of_the_wrong_json_type_are_refused(api_alice, aws):
    response = api_alice.post(
        reverse("order-list"), {"tracker_url": 12, "token": True, "phone": 60123456789}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["tracker_url"] == ["Not a string."]


def test_too_many_orders_is_a_429(api_alice, place, settings):
    settings.TRACKER_MAX_ACTIVE_ORDERS = 1
    assert api_alice.post(reverse("order-list"), _body(place()), format="json").status_code == 201

    response = api_alice.post(reverse("order-list"), _body(place(walk=301)), format="json")

    assert response.status_code == 429
    assert "stop one first" in response.json()["detail"]


def test_the_list_is_paginated_and_only_alices(api_alice, alice, bob, place):
    mine = order_for(alice, place())
    order_for(bob, place(walk=301), phone="+60198765432")

    body = api_alice.get(reverse("order-list")).json()

    assert body["count"] == 1
    assert [o["id"] for o in body["results"]] == [mine.pk]


def test_stop_is_a_delete_that_answers_the_stopped_order(api_alice, alice, place):
    order = order_for(alice, place())

    response = api_alice.delete(reverse("order-detail", kwargs={"pk": order.pk}))

    assert response.status_code == 200
    assert response.json()["tracking"] == "stopped"
    assert response.json()["has_token"] is False
    assert api_alice.get(reverse("order-detail", kwargs={"pk": order.pk})).json()["tracking"] == "stopped"


def test_the_timeline_lists_the_stages_and_texts(api_alice, alice, place):
    order = order_for(alice, place(), texted=["PC"])
    services.orders_poll()

    body = api_alice.get(reverse("order-stages", kwargs={"pk": order.pk})).json()

    assert body["order"]["stage"] == "PC"
    assert body["order"]["stage_label"] == "In progress"
    assert [(s["previous"], s["stage"], s["stage_label"]) for s in body["stages"]] == [
        ("", "PC", "In progress")
    ]
    assert [(t["key"], t["status"]) for t in body["texts"]] == [("PC", "sent")]
    assert body["texts"][0]["message_sid"].startswith("SM")


@pytest.mark.parametrize("name", ["order-detail", "order-stages"])
def test_bob_gets_a_404_for_alices_order(api_bob, alice, place, name):
    order = order_for(alice, place())

    assert api_bob.get(reverse(name, kwargs={"pk": order.pk})).status_code == 404


def test_bob_cannot_stop_alices_order(api_bob, alice, place):
    order = order_for(alice, place())

    assert api_bob.delete(reverse("order-detail", kwargs={"pk": order.pk})).status_code == 404
    order.refresh_from_db()
    assert order.tracking == "active"
    assert order.has_token


def test_anonymous_callers_are_refused(db):
    from rest_framework.test import APIClient

    assert APIClient().get(reverse("order-list")).status_code in (401, 403)


def test_the_list_reads_a_constant_number_of_queries(
    api_alice, alice, place, django_assert_max_num_queries, settings
):
    settings.TRACKER_MAX_ACTIVE_ORDERS = 20
    for n in range(15):
        order_for(alice, place(walk=300 + n))

    with django_assert_max_num_queries(3):
        assert api_alice.get(reverse("order-list")).status_code == 200


def test_an_ended_order_is_hidden_and_shown_again_and_the_list_puts_tracked_orders_first(
    api_alice, alice, place
):
    tracked = order_for(alice, place())
    ended = order_for(alice, place(walk=301))  # newer than the tracked one
    services.order_stop(owner=alice, pk=ended.pk)
    detail = reverse("order-detail", kwargs={"pk": ended.pk})

    assert [o["id"] for o in api_alice.get(reverse("order-list")).json()["results"]] == [tracked.pk, ended.pk]

    hidden = api_alice.patch(detail, {"hidden": True}, format="json")

    assert hidden.status_code == 200, hidden.content
    assert hidden.json()["hidden"] is True
    assert [o["id"] for o in api_alice.get(reverse("order-list")).json()["results"]] == [tracked.pk]
    listed = api_alice.get(reverse("order-list"), {"hidden": "true"}).json()["results"]
    assert [o["id"] for o in listed] == [ended.pk]
    assert api_alice.get(detail).json()["hidden"] is True  # its page and timeline stay

    assert api_alice.patch(detail, {"hidden": False}, format="json").json()["hidden"] is False
    assert len(api_alice.get(reverse("order-list")).json()["results"]) == 2


def test_an_order_still_tracked_cannot_be_hidden_and_bob_cannot_hide_alices(api_alice, api_bob, alice, place):
    order = order_for(alice, place())
    detail = reverse("order-detail", kwargs={"pk": order.pk})

    refused = api_alice.patch(detail, {"hidden": True}, format="json")
    services.order_stop(owner=alice, pk=order.pk)
    bobs = api_bob.patch(detail, {"hidden": True}, format="json")

    assert refused.status_code == 400
    assert "stop tracking it before hiding it" in refused.json()["hidden"][0]
    assert bobs.status_code == 404
    assert TrackedOrder.objects.get(pk=order.pk).hidden_at is None

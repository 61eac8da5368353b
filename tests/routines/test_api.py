"""The routines API with alice and bob: CRUD, items, days, toggles, history, isolation, bad input."""

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from core.clock import user_today
from routines.models import Routine
from routines.services import routine_create, routine_day_set, routine_item_delete
from tests.routines.factories import MORNING_ITEMS


def url(path=""):
    return f"/api/routines/{path}"


def day_url(routine, day, suffix=""):
    return url(f"{routine.pk}/days/{day.isoformat()}/{suffix}")


def test_alice_creates_a_routine_in_the_original_apps_shape(api_alice):
    payload = {"name": "Morning", "description": "Getting up and out the door", "items": MORNING_ITEMS}

    response = api_alice.post(url(), payload, format="json")

    assert response.status_code == 201, response.data
    assert response.data["name"] == "Morning"
    assert [i["text"] for i in response.data["items"]] == MORNING_ITEMS
    assert [i["position"] for i in response.data["items"]] == list(range(7))


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"description": "no name"}, "name"),
        ({"name": "Morning"}, "name"),  # alice already has one
        ({"name": "MORNING"}, "name"),
        ({"name": "Evening", "items": ["Brush teeth", ""]}, "items"),
        ({"name": " " + "x" * 100}, "name"),  # 101 characters as sent: the schema's maxLength is 100
    ],
)
def test_bad_routines_are_refused_with_field_errors(api_alice, morning, payload, field):
    response = api_alice.post(url(), payload, format="json")

    assert response.status_code == 400
    assert field in response.data
    assert Routine.objects.filter(owner=morning.owner).count() == 1


def test_bob_may_reuse_alices_routine_name(api_bob, morning):
    assert api_bob.post(url(), {"name": "Morning"}, format="json").status_code == 201


def test_the_list_holds_only_the_callers_routines_paginated_and_filtered(api_alice, api_bob, alice, morning):
    routine_create(owner=alice, name="Bedtime")

    mine = api_alice.get(url()).data
    assert mine["count"] == 2
    assert [r["name"] for r in mine["results"]] == ["Morning", "Bedtime"]
    assert api_alice.get(url(), {"name": "bed"}).data["count"] == 1
    assert api_bob.get(url()).data["count"] == 0


def test_the_list_pages_at_twenty(api_alice, alice):
    for n in range(23):
        routine_create(owner=alice, name=f"Routine {n:02}")

    first = api_alice.get(url()).data
    second = api_alice.get(first["next"]).data

    assert (first["count"], len(first["results"]), len(second["results"])) == (23, 20, 3)


def test_bob_gets_404_for_everything_of_alices(api_bob, morning, morning_items):
    today = user_today(user=morning.owner).isoformat()
    item = morning_items[0].pk
    attempts = [
        ("get", url(f"{morning.pk}/"), None),
        ("patch", url(f"{morning.pk}/"), {"name": "Mine now"}),
        ("put", url(f"{morning.pk}/"), {"name": "Mine now"}),
        ("delete", url(f"{morning.pk}/"), None),
        ("post", url(f"{morning.pk}/reorder/"), {"items": [item]}),
        ("get", url(f"{morning.pk}/days/{today}/"), None),
        ("put", url(f"{morning.pk}/days/{today}/"), {"checked": [item]}),
        ("post", url(f"{morning.pk}/days/{today}/toggle/"), {"item": item, "done": True}),
        ("get", url(f"{morning.pk}/history/"), None),
        ("get", url(f"{morning.pk}/items/"), None),
        ("post", url(f"{morning.pk}/items/"), {"text": "Sneak in"}),
        ("get", url(f"{morning.pk}/items/{item}/"), None),
        ("patch", url(f"{morning.pk}/items/{item}/"), {"text": "Renamed"}),
        ("delete", url(f"{morning.pk}/items/{item}/"), None),
    ]
    for method, path, body in attempts:
        response = getattr(api_bob, method)(path, body, format="json")
        assert response.status_code == 404, (method, path, response.status_code)

    morning.refresh_from_db()
    assert morning.name == "Morning"
    assert [i.text for i in morning.items.all()] == MORNING_ITEMS


def test_anonymous_callers_are_refused(morning):
    assert APIClient().get(url()).status_code in (401, 403)


def test_alice_renames_and_describes_a_routine(api_alice, alice, morning):
    routine_create(owner=alice, name="Bedtime")

    assert (
        api_alice.patch(url(f"{morning.pk}/"), {"description": "Up!"}, format="json").data["description"]
        == "Up!"
    )
    assert api_alice.put(url(f"{morning.pk}/"), {"name": "Dawn"}, format="json").data["name"] == "Dawn"
    clash = api_alice.patch(url(f"{morning.pk}/"), {"name": "bedtime"}, format="json")
    assert clash.status_code == 400
    assert "name" in clash.data
    assert api_alice.put(url(f"{morning.pk}/"), {"description": "no name"}, format="json").status_code == 400


def test_alice_deletes_a_routine(api_alice, morning):
    assert api_alice.delete(url(f"{morning.pk}/")).status_code == 204
    assert not Routine.objects.filter(pk=morning.pk).exists()


def test_alice_adds_renames_and_deletes_items(api_alice, morning, morning_items):
    items_url = url(f"{morning.pk}/items/")

    added = api_alice.post(items_url, {"text": "Water the plants"}, format="json")
    renamed = api_alice.patch(f"{items_url}{morning_items[0].pk}/", {"text": "Quick shower"}, format="json")
    deleted = api_alice.delete(f"{items_url}{morning_items[1].pk}/")

    assert (added.status_code, renamed.status_code, deleted.status_code) == (201, 200, 204)
    assert added.data["position"] == 7
    listed = [i["text"] for i in api_alice.get(items_url).data]
    assert listed == ["Quick shower", *MORNING_ITEMS[2:], "Water the plants"]
    assert api_alice.post(items_url, {"text": ""}, format="json").status_code == 400


def test_alice_reorders_items_and_must_list_every_one(api_alice, morning, morning_items):
    ids = [i.pk for i in morning_items]

    response = api_alice.post(url(f"{morning.pk}/reorder/"), {"items": ids[::-1]}, format="json")
    assert response.status_code == 200
    assert [i["text"] for i in response.data["items"]] == MORNING_ITEMS[::-1]

    missing = api_alice.post(url(f"{morning.pk}/reorder/"), {"items": ids[1:]}, format="json")
    assert missing.status_code == 400
    assert "missing" in str(missing.data["items"])
    assert api_alice.post(url(f"{morning.pk}/reorder/"), {"items": ["x"]}, format="json").status_code == 400


def test_alice_reorders_her_routines(api_alice, alice, bob, morning):
    bedtime = routine_create(owner=alice, name="Bedtime")
    bobs = routine_create(owner=bob, name="Bob's")

    response = api_alice.post(url("reorder/"), {"routines": [bedtime.pk, morning.pk]}, format="json")
    assert [r["name"] for r in response.data] == ["Bedtime", "Morning"]
    foreign = api_alice.post(url("reorder/"), {"routines": [bedtime.pk, morning.pk, bobs.pk]}, format="json")
    assert foreign.status_code == 400


def test_alice_toggles_items_and_reads_the_day(aws, api_alice, alice, morning, morning_items):
    today = user_today(user=alice)

    for item in morning_items[:2]:
        response = api_alice.post(
            day_url(morning, today, "toggle/"), {"item": item.pk, "done": True}, format="json"
        )
        assert response.status_code == 200, response.data
    untick = api_alice.post(
        day_url(morning, today, "toggle/"), {"item": morning_items[0].pk, "done": False}, format="json"
    )

    assert (untick.data["done"], untick.data["total"]) == (1, 7)
    day = api_alice.get(day_url(morning, today)).data
    assert day["checked"] == [morning_items[1].pk]
    assert (day["done"], day["total"], day["complete"], day["date"]) == (1, 7, False, today.isoformat())


def test_alice_puts_a_whole_day(aws, api_alice, alice, morning, morning_items):
    yesterday = user_today(user=alice) - timedelta(days=1)
    ids = [i.pk for i in morning_items]

    response = api_alice.put(day_url(morning, yesterday), {"checked": ids}, format="json")

    assert response.status_code == 200
    assert response.data["complete"] is True
    assert api_alice.get(day_url(morning, yesterday)).data["checked"] == ids


@pytest.mark.parametrize("bad_date", ["2026-02-30", "yesterday", "20260101", "2026-1-1x"])
def test_malformed_dates_are_400_with_a_date_error(api_alice, morning, morning_items, bad_date):
    for method, suffix, body in [
        ("get", "", None),
        ("put", "", {"checked": []}),
        ("post", "toggle/", {"item": morning_items[0].pk, "done": True}),
    ]:
        response = getattr(api_alice, method)(
            url(f"{morning.pk}/days/{bad_date}/{suffix}"), body, format="json"
        )
        assert response.status_code == 400, (method, bad_date)
        assert "date" in response.data


def test_dates_more_than_a_day_ahead_are_refused(aws, api_alice, alice, morning, morning_items):
    tomorrow = user_today(user=alice) + timedelta(days=1)
    later = tomorrow + timedelta(days=1)
    toggle = {"item": morning_items[0].pk, "done": True}

    assert api_alice.post(day_url(morning, tomorrow, "toggle/"), toggle, format="json").status_code == 200
    for method, suffix, body in [
        ("get", "", None),
        ("put", "", {"checked": []}),
        ("post", "toggle/", toggle),
    ]:
        response = getattr(api_alice, method)(day_url(morning, later, suffix), body, format="json")
        assert response.status_code == 400
        assert "future" in str(response.data["date"])


def test_an_item_of_another_routine_is_a_field_error(api_alice, alice, morning):
    other = routine_create(owner=alice, name="Bedtime", items=["Brush teeth"]).items.get().pk
    today = user_today(user=alice)

    put = api_alice.put(day_url(morning, today), {"checked": [other]}, format="json")
    toggle = api_alice.post(day_url(morning, today, "toggle/"), {"item": other, "done": True}, format="json")

    assert (put.status_code, toggle.status_code) == (400, 400)
    assert "checked" in put.data
    assert "item" in toggle.data


def test_toggling_an_item_deleted_meanwhile_is_404_and_changes_nothing(
    aws, api_alice, alice, morning, morning_items
):
    today = user_today(user=alice)
    api_alice.post(
        day_url(morning, today, "toggle/"), {"item": morning_items[0].pk, "done": True}, format="json"
    )
    gone = morning_items[1].pk
    routine_item_delete(item=morning_items[1])

    response = api_alice.post(day_url(morning, today, "toggle/"), {"item": gone, "done": True}, format="json")

    assert response.status_code == 404
    assert "deleted" in response.data["detail"]
    day = api_alice.get(day_url(morning, today)).data
    assert (day["checked"], day["version"]) == ([morning_items[0].pk], 1)


def test_toggle_needs_an_item_and_a_state(api_alice, alice, morning):
    response = api_alice.post(day_url(morning, user_today(user=alice), "toggle/"), {}, format="json")
    assert response.status_code == 400
    assert set(response.data) == {"item", "done"}


def test_history_reports_days_completion_rate_and_streak(aws, api_alice, alice, morning, morning_items):
    today = user_today(user=alice)
    ids = [i.pk for i in morning_items]
    for back in (1, 2, 3):
        routine_day_set(owner=alice, routine_id=morning.pk, day=today - timedelta(days=back), item_ids=ids)

    data = api_alice.get(url(f"{morning.pk}/history/")).data

    assert len(data["days"]) == 30
    assert data["end"] == today.isoformat()
    assert data["streak"] == 3
    assert data["complete_days"] == 3
    ranged = api_alice.get(
        url(f"{morning.pk}/history/"),
        {"start": (today - timedelta(days=2)).isoformat(), "end": today.isoformat()},
    ).data
    assert [d["complete"] for d in ranged["days"]] == [True, True, False]


@pytest.mark.parametrize(
    "params",
    [
        {"start": "nope"},
        {"start": "2026-03-02", "end": "2026-03-01"},
        {"start": "2020-01-01", "end": "2026-01-01"},
    ],
)
def test_history_refuses_bad_ranges(api_alice, morning, params):
    response = api_alice.get(url(f"{morning.pk}/history/"), params)
    assert response.status_code == 400
    assert "start" in response.data


def test_queries_per_request_do_not_grow_with_routines_or_items(
    aws, api_alice, alice, django_assert_max_num_queries
):
    def add(count, items):
        start = Routine.objects.filter(owner=alice).count()
        for n in range(count):
            routine_create(owner=alice, name=f"R{start + n}", items=[f"item {k}" for k in range(items)])

    add(2, 2)
    with django_assert_max_num_queries(3):
        assert api_alice.get(url()).status_code == 200
    add(15, 12)
    with django_assert_max_num_queries(3):
        assert len(api_alice.get(url()).data["results"]) == 17

    routine = Routine.objects.filter(owner=alice).last()
    item = routine.items.first().pk
    today = user_today(user=alice)
    with django_assert_max_num_queries(1):  # the routine's items and alice's zone in one query
        assert (
            api_alice.post(
                day_url(routine, today, "toggle/"), {"item": item, "done": True}, format="json"
            ).status_code
            == 200
        )
    with django_assert_max_num_queries(3):
        assert api_alice.get(day_url(routine, today)).status_code == 200
    with django_assert_max_num_queries(3):
        assert api_alice.get(url(f"{routine.pk}/history/")).status_code == 200


def test_the_schema_documents_the_routines_endpoints(api_alice):
    response = api_alice.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/routines/",
        "/api/routines/{id}/",
        "/api/routines/{id}/days/{date}/",
        "/api/routines/{id}/days/{date}/toggle/",
        "/api/routines/{id}/history/",
        "/api/routines/{id}/reorder/",
        "/api/routines/{routine_pk}/items/",
        "/api/routines/{routine_pk}/items/{id}/",
    ]:
        assert path in paths, path


def test_the_browsable_api_lists_routines(alice_client, morning):
    response = alice_client.get("/api/routines/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"Morning" in response.content
    assert b"/api/routines/" in alice_client.get("/api/", HTTP_ACCEPT="text/html").content


BEYOND_ANY_ID = 99999999999999999999  # more than a 64-bit integer holds


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", f"{BEYOND_ANY_ID}/"),
        ("delete", f"{BEYOND_ANY_ID}/"),
        ("get", f"{BEYOND_ANY_ID}/items/"),
        ("post", f"{BEYOND_ANY_ID}/items/"),
        ("get", f"{BEYOND_ANY_ID}/items/1/"),
        ("patch", f"{BEYOND_ANY_ID}/items/1/"),
        ("put", f"{BEYOND_ANY_ID}/items/1/"),
        ("delete", f"{BEYOND_ANY_ID}/items/1/"),
        ("patch", f"1/items/{BEYOND_ANY_ID}/"),
        ("delete", f"1/items/{BEYOND_ANY_ID}/"),
        ("get", f"{BEYOND_ANY_ID}/history/"),
        ("get", f"{BEYOND_ANY_ID}/days/2026-03-01/"),
        ("post", f"{BEYOND_ANY_ID}/days/2026-03-01/toggle/"),
    ],
)
def test_an_id_no_row_can_have_is_not_found(api_alice, morning, method, path):
    response = getattr(api_alice, method)(url(path), {"text": "x", "item": 1, "done": True}, format="json")

    assert response.status_code == 404, response.content
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "query",
    [{"end": "0001-01-01"}, {"start": "0001-01-01", "end": "0001-01-05"}, {"end": "9999-12-31"}],
)
def test_history_at_the_edges_of_the_calendar_is_an_answer_not_an_error(api_alice, aws, morning, query):
    response = api_alice.get(url(f"{morning.pk}/history/"), query)

    assert response.status_code in (200, 400), response.content
    assert response["Content-Type"] == "application/json"


def test_history_ending_on_the_first_day_of_the_calendar_is_a_400(api_alice, aws, morning):
    response = api_alice.get(url(f"{morning.pk}/history/"), {"end": "0001-01-01"})

    assert response.status_code == 400
    assert "end" in response.data


def test_a_routine_created_today_has_no_past_to_tick_or_count(aws, api_alice, alice):
    created = api_alice.post(url(), {"name": "Stretch", "items": ["Neck"]}, format="json").data
    today = user_today(user=alice)
    item = created["items"][0]["id"]

    refused = [
        api_alice.put(
            url(f"{created['id']}/days/{(today - timedelta(days=back)).isoformat()}/"),
            {"checked": [item]},
            format="json",
        ).status_code
        for back in range(1, 7)
    ]
    toggled = api_alice.post(
        url(f"{created['id']}/days/0001-01-01/toggle/"), {"item": item, "done": True}, format="json"
    )
    year_one = api_alice.get(url(f"{created['id']}/history/"), {"start": "0001-01-01", "end": "0001-01-30"})

    assert refused == [400] * 6
    assert toggled.status_code == 400
    assert "before this routine existed" in str(toggled.data["date"])
    assert (year_one.data["counted_days"], year_one.data["streak"]) == (0, 0)


def test_a_body_over_the_upload_limit_is_a_json_413(api_alice, settings):
    body = '{"name": "' + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + '"}'

    response = api_alice.generic("POST", url(), body, content_type="application/json")

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "larger than" in response.json()["detail"]
    assert not Routine.objects.exists()


def test_the_browsable_api_links_only_actions_a_browser_can_open_and_shows_code(alice_client, morning):
    listing = alice_client.get(url(), HTTP_ACCEPT="text/html").content.decode()
    detail = alice_client.get(url(f"{morning.pk}/"), HTTP_ACCEPT="text/html").content.decode()

    assert 'href="http://testserver/api/routines/reorder/"' not in listing
    assert f'href="http://testserver/api/routines/{morning.pk}/reorder/"' not in detail
    assert f'href="http://testserver/api/routines/{morning.pk}/history/"' in detail
    description = listing.split('<div class="pull-left">', 1)[1].split("</div>", 1)[0]
    assert "`" not in description
    assert "<code>reorder/</code>" in description


def test_reordering_all_routines_answers_one_plain_list(api_alice, alice, morning):
    bedtime = routine_create(owner=alice, name="Bedtime")

    response = api_alice.post(url("reorder/"), {"routines": [bedtime.pk, morning.pk]}, format="json")

    assert response.status_code == 200
    assert [r["name"] for r in response.json()] == ["Bedtime", "Morning"]


def test_patching_an_item_with_nothing_changes_nothing(api_alice, morning, morning_items):
    item = morning_items[0]

    response = api_alice.patch(url(f"{morning.pk}/items/{item.pk}/"), {}, format="json")

    assert response.status_code == 200
    assert response.json()["text"] == item.text


def test_an_empty_history_date_is_refused_not_taken_as_the_default(api_alice, aws, morning):
    response = api_alice.get(url(f"{morning.pk}/history/?end=&start="))

    assert response.status_code == 400
    assert set(response.data) == {"start", "end"}

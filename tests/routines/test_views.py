"""The routines pages with alice and bob: Today, the no-JavaScript tick, edit, reorder, history."""

from datetime import timedelta

import pytest
from django.test import Client

from core.clock import user_today
from routines.models import Routine
from routines.selectors import routine_day_state, routine_get
from routines.services import routine_create, routine_day_set, routine_day_toggle
from tests.routines.factories import MORNING_ITEMS


@pytest.fixture
def bob_client(bob):
    client = Client()
    client.force_login(bob)
    return client


def page(response) -> str:
    return response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(db, aws):
    response = Client().get("/routines/")
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_today_without_routines_offers_to_create_or_load_samples(alice_client, alice):
    html = page(alice_client.get("/routines/"))
    assert "No routines yet" in html
    assert "/routines/new/" in html

    response = alice_client.post("/routines/samples/", follow=True)

    assert "Loaded 4 sample routines" in page(response)
    assert Routine.objects.filter(owner=alice).count() == 4
    assert "0/7 done" in page(response)


def test_today_lists_each_routine_as_a_checklist_with_its_counter(
    alice_client, alice, morning, morning_items
):
    routine_create(owner=alice, name="Empty one")
    routine_day_toggle(
        owner=alice, routine_id=morning.pk, item_id=morning_items[2].pk, day=user_today(user=alice), done=True
    )

    html = page(alice_client.get("/routines/"))

    assert "1/7 done" in html
    assert html.count('type="checkbox"') == 7
    assert html.count("checked>") == 1
    assert f"/api/routines/{morning.pk}/days/{user_today(user=alice).isoformat()}/toggle/" in html
    assert "No items yet" in html


def test_today_runs_the_same_queries_for_many_routines(alice_client, alice, django_assert_max_num_queries):
    routine_create(owner=alice, name="One", items=["a", "b"])
    with django_assert_max_num_queries(5) as few:
        alice_client.get("/routines/")
    for n in range(20):
        routine_create(owner=alice, name=f"R{n}", items=[f"item {k}" for k in range(10)])
    with django_assert_max_num_queries(len(few)):
        assert page(alice_client.get("/routines/")).count("0/10 done") == 20


def test_ticking_without_javascript_saves_the_whole_checklist(alice_client, alice, morning, morning_items):
    today = user_today(user=alice)
    ticked = [morning_items[0].pk, morning_items[4].pk]

    response = alice_client.post(
        f"/routines/{morning.pk}/days/{today.isoformat()}/", {"checked": ticked}, follow=True
    )

    assert "Saved Morning: 2/7 done." in page(response)
    assert routine_day_state(routine=routine_get(owner=alice, pk=morning.pk), day=today).checked_ids == ticked


def test_a_stale_checklist_with_a_deleted_item_is_refused(alice_client, alice, morning, morning_items):
    today = user_today(user=alice)
    response = alice_client.post(
        f"/routines/{morning.pk}/days/{today.isoformat()}/", {"checked": [999_999]}, follow=True
    )

    assert "no longer part of the routine" in page(response)
    assert routine_day_state(routine=routine_get(owner=alice, pk=morning.pk), day=today).done == 0


def test_creating_a_routine_with_items_one_per_line(alice_client, alice):
    response = alice_client.post(
        "/routines/new/", {"name": "Morning", "description": "Up", "items": "\n".join(MORNING_ITEMS) + "\n\n"}
    )

    assert response.status_code == 302
    routine = Routine.objects.get(owner=alice)
    assert [i.text for i in routine.items.all()] == MORNING_ITEMS


@pytest.mark.parametrize(("name", "message"), [("", "This field is required."), ("morning", "already have")])
def test_bad_names_show_form_errors(alice_client, morning, name, message):
    response = alice_client.post("/routines/new/", {"name": name})

    assert response.status_code == 400
    assert message in page(response)
    assert Routine.objects.count() == 1


def test_editing_a_routine_and_its_items(alice_client, alice, morning, morning_items):
    routine_create(owner=alice, name="Bedtime")
    base = f"/routines/{morning.pk}"

    clash = alice_client.post(f"{base}/edit/", {"name": "Bedtime"})
    assert clash.status_code == 400
    assert "already have" in page(clash)
    assert alice_client.post(f"{base}/edit/", {"name": "Dawn", "description": "Up"}).status_code == 302
    assert alice_client.post(f"{base}/items/add/", {"text": "Water plants"}).status_code == 302
    assert alice_client.post(f"{base}/items/add/", {"text": ""}).status_code == 400
    assert (
        alice_client.post(f"{base}/items/{morning_items[0].pk}/rename/", {"text": "Bath"}).status_code == 302
    )
    refused = alice_client.post(f"{base}/items/{morning_items[0].pk}/rename/", {"text": " "})
    assert (refused.status_code, refused["Location"]) == (302, f"{base}/edit/#item-{morning_items[0].pk}")
    assert alice_client.post(f"{base}/items/{morning_items[1].pk}/delete/").status_code == 302

    morning.refresh_from_db()
    assert morning.name == "Dawn"
    assert [i.text for i in morning.items.all()] == ["Bath", *MORNING_ITEMS[2:], "Water plants"]
    assert "Water plants" in page(alice_client.get(f"{base}/edit/"))


def test_a_refused_rename_shows_its_error_at_the_item_on_the_edit_page(alice_client, morning, morning_items):
    base = f"/routines/{morning.pk}"
    first, second = morning_items[0], morning_items[1]

    refused = alice_client.post(f"{base}/items/{second.pk}/rename/", {"text": "   "}, follow=True)

    assert refused.redirect_chain == [(f"{base}/edit/#item-{second.pk}", 302)]
    text = page(refused)
    item = text[text.index(f'<li id="item-{second.pk}">') :]
    item = item[: item.index("</li>")]
    assert "This field is required." in item
    assert 'value="   "' in item  # the text as typed
    assert 'aria-invalid="true"' in item
    assert "This field is required." not in text.replace(item, "")  # nowhere else
    assert "This field is required." not in page(alice_client.get(f"{base}/edit/"))  # shown once
    assert [i.text for i in morning.items.all()][:2] == [first.text, second.text]


def test_a_get_on_an_items_post_address_goes_back_to_the_edit_page(alice_client, morning, morning_items):
    base = f"/routines/{morning.pk}"
    item = morning_items[0]

    for address, anchor in (
        (f"{base}/items/{item.pk}/rename/", f"item-{item.pk}"),
        (f"{base}/items/{item.pk}/delete/", f"item-{item.pk}"),
        (f"{base}/items/add/", "add-item"),
    ):
        response = alice_client.get(address)
        assert (response.status_code, response["Location"]) == (302, f"{base}/edit/#{anchor}")
    assert morning.items.filter(pk=item.pk).exists()  # a GET deletes nothing


def test_reordering_moves_an_item_up_and_down(alice_client, morning, morning_items):
    url = f"/routines/{morning.pk}/reorder/"
    assert "Move Shower down" in page(alice_client.get(url))

    alice_client.post(url, {"item": morning_items[2].pk, "direction": "up"})
    alice_client.post(url, {"item": morning_items[0].pk, "direction": "down"})

    assert [i.text for i in morning.items.all()][:3] == ["Take pills", "Shower", "Get dressed"]
    assert alice_client.post(url, {"item": morning_items[0].pk, "direction": "sideways"}).status_code == 404


def test_deleting_a_routine_asks_first(alice_client, morning):
    assert "cannot be undone" in page(alice_client.get(f"/routines/{morning.pk}/delete/"))
    alice_client.post(f"/routines/{morning.pk}/delete/")
    assert not Routine.objects.filter(pk=morning.pk).exists()


def test_history_shows_this_month_as_a_calendar_and_the_streak(alice_client, alice, morning, morning_items):
    today = user_today(user=alice)
    for back in (1, 2):
        routine_day_set(
            owner=alice,
            routine_id=morning.pk,
            day=today - timedelta(days=back),
            item_ids=[i.pk for i in morning_items],
        )

    html = page(alice_client.get(f"/routines/{morning.pk}/history/"))

    days_in_month = ((today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)).day
    assert html.count('<td class="cell') == days_in_month
    assert html.count('<th scope="col" abbr=') == 7
    assert html.count(" complete") >= min(2, today.day - 1)
    assert '<strong data-testid="streak">2</strong> due days in a row' in html
    assert '<strong data-testid="best-streak">2</strong>' in html
    assert f'data-testid="trend-{today:%Y-%m}"' in html


def test_bob_cannot_see_or_change_alices_routine(bob_client, alice, morning, morning_items):
    today = user_today(user=alice).isoformat()
    for url in ["edit/", "history/", "reorder/", "delete/"]:
        assert bob_client.get(f"/routines/{morning.pk}/{url}").status_code == 404
    for url, data in [
        (f"days/{today}/", {"checked": [morning_items[0].pk]}),
        ("edit/", {"name": "Mine"}),
        ("items/add/", {"text": "x"}),
        (f"items/{morning_items[0].pk}/delete/", {}),
        ("delete/", {}),
    ]:
        assert bob_client.post(f"/routines/{morning.pk}/{url}", data).status_code == 404
    assert "No routines yet" in page(bob_client.get("/routines/"))
    assert Routine.objects.get(pk=morning.pk).items.count() == 7

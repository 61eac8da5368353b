"""Order and safety on the pages: routines move up and down on Today; a deleted item can be undone."""

from datetime import timedelta

from core import clock as product_clock
from core.clock import user_today
from routines.models import Routine, RoutineItem
from routines.selectors import routine_day_state, routine_get
from routines.services import routine_create, routine_day_set, routine_status_set


def page(response) -> str:
    return response.content.decode()


def test_routines_move_up_and_down_on_today_without_javascript(alice_client, alice, morning):
    bedtime = routine_create(owner=alice, name="Bedtime", items=["Brush teeth"])
    paused = routine_create(owner=alice, name="Paused one", items=["x"])
    routine_status_set(routine=paused, status="paused")
    kitchen = routine_create(owner=alice, name="Kitchen", items=["Wipe"])

    html = page(alice_client.get("/routines/"))
    assert 'aria-label="Move Morning up" disabled' in html

    response = alice_client.post(f"/routines/{kitchen.pk}/move/", {"direction": "up"})
    assert response["Location"] == f"/routines/#routine-{kitchen.pk}"
    active = Routine.objects.filter(owner=alice, status="active").order_by("position")
    assert [r.name for r in active] == ["Morning", "Kitchen", "Bedtime"]

    alice_client.post(f"/routines/{morning.pk}/move/", {"direction": "down"})
    alice_client.post(f"/routines/{morning.pk}/move/", {"direction": "up"})
    alice_client.post(f"/routines/{morning.pk}/move/", {"direction": "up"})  # already first
    assert [r.name for r in active.all()] == ["Morning", "Kitchen", "Bedtime"]
    assert alice_client.post(f"/routines/{morning.pk}/move/", {"direction": "sideways"}).status_code == 404
    assert bedtime.pk


def test_a_deleted_item_comes_back_with_its_ticks_when_undone(alice_client, alice, morning, morning_items):
    today = user_today(user=alice)
    shower = morning_items[0]
    routine_day_set(owner=alice, routine_id=morning.pk, day=today, item_ids=[shower.pk])

    response = alice_client.post(f"/routines/{morning.pk}/items/{shower.pk}/delete/", follow=True)
    html = page(response)
    assert "Deleted “Shower”" in html
    assert "Undo" in html
    assert not RoutineItem.objects.filter(pk=shower.pk).exists()

    response = alice_client.post(f"/routines/{morning.pk}/items/undo/", follow=True)

    assert "Shower is back." in page(response)
    routine = routine_get(owner=alice, pk=morning.pk)
    assert [i.pk for i in routine.items.all()] == [i.pk for i in morning_items]
    assert routine_day_state(routine=routine, day=today).checked_ids == [shower.pk]
    # The undo is spent: a second one changes nothing.
    assert "Too late to undo" in page(alice_client.post(f"/routines/{morning.pk}/items/undo/", follow=True))


def test_the_undo_expires(alice_client, alice, morning, morning_items, clock):
    start = product_clock.now()
    clock.set(start)
    alice_client.post(f"/routines/{morning.pk}/items/{morning_items[1].pk}/delete/")

    clock.set(start + timedelta(minutes=3))
    html = page(alice_client.get(f"/routines/{morning.pk}/edit/"))
    assert "Undo" not in html

    response = alice_client.post(f"/routines/{morning.pk}/items/undo/", follow=True)
    assert "Too late to undo" in page(response)
    assert not RoutineItem.objects.filter(pk=morning_items[1].pk).exists()

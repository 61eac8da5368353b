"""Writes of routines: names, items, order, and ticking days on the emulator's DynamoDB."""

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from core.clock import user_today
from routines.dynamo import RoutineDayItem
from routines.models import Routine, RoutineItem
from routines.selectors import routine_day_state, routine_get
from routines.services import (
    routine_create,
    routine_day_set,
    routine_day_toggle,
    routine_delete,
    routine_item_add,
    routine_item_delete,
    routine_item_move,
    routine_item_rename,
    routine_items_reorder,
    routine_samples_load,
    routine_update,
    routines_reorder,
)
from tests.routines.factories import MORNING_ITEMS


def texts(routine):
    return [item.text for item in routine.items.all()]


def test_a_new_routine_keeps_its_items_in_the_given_order(morning):
    assert texts(morning) == MORNING_ITEMS
    assert [item.position for item in morning.items.all()] == list(range(7))


def test_new_routines_go_to_the_end_of_the_list(alice, morning):
    bedtime = routine_create(owner=alice, name="Bedtime")
    assert bedtime.position == morning.position + 1


def test_a_routine_name_is_unique_per_owner_whatever_the_case(alice, bob, morning):
    with pytest.raises(ValidationError) as error:
        routine_create(owner=alice, name="  morning ")
    assert "name" in error.value.message_dict

    assert routine_create(owner=bob, name="Morning").owner == bob


@pytest.mark.parametrize("name", ["", "   "])
def test_an_empty_name_is_refused(alice, name):
    with pytest.raises(ValidationError) as error:
        routine_create(owner=alice, name=name)
    assert error.value.message_dict["name"] == ["Give the routine a name."]


def test_renaming_to_another_routines_name_is_refused_but_a_case_change_is_fine(alice, morning):
    routine_create(owner=alice, name="Bedtime")
    with pytest.raises(ValidationError):
        routine_update(routine=morning, name="BEDTIME")

    routine_update(routine=morning, name="MORNING", description="Up and out")

    morning.refresh_from_db()
    assert (morning.name, morning.description) == ("MORNING", "Up and out")


def test_items_are_added_at_the_end_renamed_and_deleted(morning, morning_items):
    added = routine_item_add(routine=morning, text="Water the plants")
    routine_item_rename(item=morning_items[0], text="Quick shower")
    routine_item_delete(item=morning_items[1])

    assert texts(morning) == ["Quick shower", *MORNING_ITEMS[2:], "Water the plants"]
    assert added.position == 7
    with pytest.raises(ValidationError):
        routine_item_add(routine=morning, text=" ")


def test_reordering_puts_items_in_the_given_order(morning, morning_items):
    ids = [item.pk for item in reversed(morning_items)]

    routine_items_reorder(routine=morning, item_ids=ids)

    assert texts(morning) == list(reversed(MORNING_ITEMS))


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda ids: ids[1:], id="missing"),
        pytest.param(lambda ids: [*ids, ids[0]], id="duplicate"),
        pytest.param(lambda ids: [*ids, 999_999], id="unknown"),
    ],
)
def test_reordering_needs_every_item_exactly_once(morning, morning_items, change):
    ids = change([item.pk for item in morning_items])

    with pytest.raises(ValidationError) as error:
        routine_items_reorder(routine=morning, item_ids=ids)

    assert "items" in error.value.message_dict
    assert texts(morning) == MORNING_ITEMS


def test_moving_an_item_up_swaps_it_with_the_one_above(morning, morning_items):
    routine_item_move(item=morning_items[2], offset=-1)
    assert texts(morning)[:3] == ["Shower", "Take pills", "Get dressed"]
    routine_item_move(item=morning_items[0], offset=-1)  # already first: stays
    assert texts(morning)[0] == "Shower"


def test_routines_can_be_reordered_only_with_all_of_them(alice, bob, morning):
    bedtime = routine_create(owner=alice, name="Bedtime")
    theirs = routine_create(owner=bob, name="Bob's")

    routines_reorder(owner=alice, routine_ids=[bedtime.pk, morning.pk])
    assert [r.name for r in Routine.objects.filter(owner=alice)] == ["Bedtime", "Morning"]

    with pytest.raises(ValidationError):
        routines_reorder(owner=alice, routine_ids=[bedtime.pk, morning.pk, theirs.pk])


def test_ticking_two_items_makes_two_of_seven_done(aws, alice, morning, morning_items):
    today = user_today(user=alice)
    routine_day_toggle(owner=alice, routine_id=morning.pk, item_id=morning_items[0].pk, day=today, done=True)
    state = routine_day_toggle(
        owner=alice, routine_id=morning.pk, item_id=morning_items[2].pk, day=today, done=True
    )

    assert (state.done, state.total) == (2, 7)
    assert state.checked_ids == [morning_items[0].pk, morning_items[2].pk]
    assert routine_day_state(routine=routine_get(owner=alice, pk=morning.pk), day=today) == state


def test_ticking_the_same_item_twice_keeps_it_ticked_once_and_unticking_clears_it(
    aws, alice, morning, morning_items
):
    today = user_today(user=alice)
    item = morning_items[3].pk
    for _ in range(2):
        state = routine_day_toggle(owner=alice, routine_id=morning.pk, item_id=item, day=today, done=True)
    assert state.checked_ids == [item]

    state = routine_day_toggle(owner=alice, routine_id=morning.pk, item_id=item, day=today, done=False)

    assert state.checked_ids == []
    assert state.version == 3


def test_ticking_an_item_deleted_meanwhile_is_not_found_and_changes_nothing(
    aws, alice, morning, morning_items
):
    today = user_today(user=alice)
    routine_day_toggle(owner=alice, routine_id=morning.pk, item_id=morning_items[0].pk, day=today, done=True)
    gone = morning_items[1].pk
    routine_item_delete(item=morning_items[1])

    with pytest.raises(RoutineItem.DoesNotExist, match="deleted"):
        routine_day_toggle(owner=alice, routine_id=morning.pk, item_id=gone, day=today, done=True)

    state = routine_day_state(routine=routine_get(owner=alice, pk=morning.pk), day=today)
    assert (state.checked_ids, state.version) == ([morning_items[0].pk], 1)


def test_an_item_of_another_routine_is_bad_input(alice, morning):
    other = routine_create(owner=alice, name="Bedtime", items=["Brush teeth"])
    foreign = other.items.get().pk

    with pytest.raises(ValidationError) as error:
        routine_day_toggle(
            owner=alice, routine_id=morning.pk, item_id=foreign, day=user_today(user=alice), done=True
        )
    assert "item" in error.value.message_dict


def test_bob_cannot_tick_alices_routine(aws, bob, morning, morning_items):
    with pytest.raises(Routine.DoesNotExist):
        routine_day_toggle(
            owner=bob, routine_id=morning.pk, item_id=morning_items[0].pk, day=date.today(), done=True
        )
    assert RoutineDayItem.count(RoutineDayItem.key(owner_id=bob.pk, routine_id=morning.pk)) == 0


def test_tomorrow_can_be_ticked_but_not_the_day_after_in_the_users_zone(alice, morning, morning_items, clock):
    # 23:30 UTC on 1 March is already 2 March in Paris (alice's zone).
    clock.set(datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    item = morning_items[0].pk

    state = routine_day_toggle(
        owner=alice, routine_id=morning.pk, item_id=item, day=date(2026, 3, 3), done=True
    )
    assert state.done == 1
    with pytest.raises(ValidationError) as error:
        routine_day_toggle(owner=alice, routine_id=morning.pk, item_id=item, day=date(2026, 3, 4), done=True)
    assert "date" in error.value.message_dict


def test_setting_a_day_replaces_its_ticked_items(alice, morning, morning_items):
    today = user_today(user=alice)
    ids = [item.pk for item in morning_items]
    routine_day_set(owner=alice, routine_id=morning.pk, day=today, item_ids=ids[:3])

    state = routine_day_set(owner=alice, routine_id=morning.pk, day=today, item_ids=[ids[4]])
    assert state.checked_ids == [ids[4]]

    state = routine_day_set(owner=alice, routine_id=morning.pk, day=today, item_ids=[])
    assert (state.done, state.total) == (0, 7)


def test_setting_a_day_with_an_item_of_another_routine_is_refused(alice, morning):
    other = routine_create(owner=alice, name="Bedtime", items=["Brush teeth"])

    with pytest.raises(ValidationError) as error:
        routine_day_set(
            owner=alice, routine_id=morning.pk, day=user_today(user=alice), item_ids=[other.items.get().pk]
        )
    assert "checked" in error.value.message_dict


@pytest.mark.django_db(transaction=True)
def test_concurrent_taps_on_the_same_day_all_land(aws, alice, morning, morning_items):
    today = user_today(user=alice)
    barrier = threading.Barrier(len(morning_items))
    failures = []

    def tap(item_id):
        try:
            barrier.wait(timeout=10)
            routine_day_toggle(owner=alice, routine_id=morning.pk, item_id=item_id, day=today, done=True)
        except Exception as exc:  # reported below; a thread's exception would otherwise vanish
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=tap, args=(item.pk,)) for item in morning_items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert failures == []
    state = routine_day_state(routine=routine_get(owner=alice, pk=morning.pk), day=today)
    assert (state.done, state.total, state.version) == (7, 7, 7)


def test_deleting_a_routine_removes_its_items(morning):
    routine_delete(routine=morning)
    assert not RoutineItem.objects.filter(routine_id=morning.pk).exists()


def test_sample_routines_load_once(alice):
    first = routine_samples_load(owner=alice)
    second = routine_samples_load(owner=alice)

    assert (first.created, first.existing) == (4, 0)
    assert (second.created, second.existing) == (0, 4)
    morning = Routine.objects.get(owner=alice, name="Morning")
    assert texts(morning) == MORNING_ITEMS
    assert sorted(Routine.objects.filter(owner=alice).values_list("name", flat=True)) == [
        "Bedtime",
        "Clean kitchen",
        "Hand therapy",
        "Morning",
    ]
    assert all(r.items.count() >= 5 for r in Routine.objects.filter(owner=alice))


def test_a_past_day_can_be_filled_in(alice, morning, morning_items):
    last_week = user_today(user=alice) - timedelta(days=7)
    state = routine_day_set(
        owner=alice, routine_id=morning.pk, day=last_week, item_ids=[i.pk for i in morning_items]
    )
    assert state.complete

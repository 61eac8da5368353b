"""Ownership declarations of routines: alice's Morning routine, its items and a ticked day."""

from routines.models import Routine, RoutineDay, RoutineItem
from tests.ownership import SECRET, Ownership, Route


def build(alice):
    from core import clock
    from routines.services import routine_create, routine_day_set

    routine = routine_create(owner=alice, name=f"Morning {SECRET}", description=SECRET, items=[SECRET, "Two"])
    items = list(routine.items.all())
    day = clock.user_today(alice)
    routine_day_set(owner=alice, routine_id=routine.pk, day=day, item_ids=[items[0].pk])
    return {"routine": routine, "items": items, "day": day}


def snapshot(alice):
    from routines.dynamo import RoutineDayItem

    routines = list(Routine.objects.filter(owner=alice).values())
    items = list(RoutineItem.objects.filter(routine__owner=alice).values())
    days = list(RoutineDay.objects.filter(routine__owner=alice).values())
    hot = sorted(
        (item.owner_routine, item.date, sorted(item.checked_ids), int(item.version or 0))
        for routine in routines
        for item in RoutineDayItem.query(RoutineDayItem.key(owner_id=alice.pk, routine_id=routine["id"]))
    )
    return routines, items, days, hot


def routine(world):
    return {"pk": world["routine"].pk}


def routine_and_day(world):
    return {"pk": world["routine"].pk, "date": world["day"].isoformat(), "day": world["day"].isoformat()}


def nested_item(world):
    return {"routine_pk": world["routine"].pk, "pk": world["items"][0].pk}


def page_item(world):
    return {"pk": world["routine"].pk, "item_pk": world["items"][0].pk}


def write_body(world):
    ids = [item.pk for item in world["items"]]
    return {
        "name": "bob was here",
        "description": "bob was here",
        "text": "bob was here",
        "items": list(reversed(ids)),
        "routines": [world["routine"].pk],
        "checked": ids,
        "item": ids[-1],
        "done": True,
        "direction": "up",
        "schedule": "weekdays",
        "weekdays": ["mon"],
        "times_per_week": 2,
        "status": "paused",
        "remind_at": "07:00",
        "remind_by": "email",
        "remind_phone": "+60123456789",
    }


OWNERSHIP = Ownership(
    build=build,
    snapshot=snapshot,
    write_body=write_body,
    routes={
        # API
        "routine-list": Route(owned=False),
        "routine-detail": Route(routine),
        "routine-reorder": Route(routine),  # also the list route routines/reorder/ (no pk): not owned
        "routine-day": Route(routine_and_day),
        "routine-toggle": Route(routine_and_day),
        "routine-history": Route(routine),
        "routine-item-list": Route(lambda world: {"routine_pk": world["routine"].pk}),
        "routine-item-detail": Route(nested_item),
        # Pages
        "routines:today": Route(owned=False),
        "routines:new": Route(owned=False),
        "routines:samples": Route(owned=False),
        "routines:edit": Route(routine),
        "routines:delete": Route(routine),
        "routines:schedule": Route(routine),
        "routines:status": Route(routine),
        "routines:reminder": Route(routine),
        "routines:item-add": Route(routine),
        "routines:item-rename": Route(page_item),
        "routines:item-delete": Route(page_item),
        "routines:reorder": Route(routine),
        "routines:item-undo": Route(routine),
        "routines:move": Route(routine),
        "routines:history": Route(routine),
        "routines:day": Route(routine_and_day),
    },
)

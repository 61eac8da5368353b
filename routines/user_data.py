"""What routines keeps of a user, for "Export my data" and "Delete my account" (accounts.services):
their routines (with schedule, pauses and reminder) and items, the archived days, and the day items
in DynamoDB (one Query per routine). A pending undo of an item deletion lives in the session, which
the account deletion removes with the others; reminders sent are in the email and SMS outboxes
(core's and the tracker's deleters)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from routines.models import Routine, RoutineDay, RoutineItem
from routines.schedules import weekdays_names


def _day_items(owner_id: int, routine_ids: list[int]) -> list[Any]:
    from routines.dynamo import RoutineDayItem

    return [
        item
        for routine_id in routine_ids
        for item in RoutineDayItem.query(
            RoutineDayItem.key(owner_id=owner_id, routine_id=routine_id), consistent_read=True
        )
    ]


def user_data_export(*, user: Any) -> dict[str, Any]:
    routines = list(Routine.objects.filter(owner=user).order_by("position", "id"))
    ids = [routine.pk for routine in routines]
    items: dict[int, list[dict[str, Any]]] = {}
    for item in RoutineItem.objects.filter(routine_id__in=ids).order_by("position", "id"):
        items.setdefault(item.routine_id, []).append({"id": item.pk, "text": item.text})
    days: dict[int, list[dict[str, Any]]] = {}
    for day in RoutineDay.objects.filter(routine_id__in=ids).order_by("date"):
        days.setdefault(day.routine_id, []).append(
            {"date": day.date, "checked_item_ids": day.checked_item_ids, "total": day.total}
        )
    ticks: dict[int, dict[str, list[int]]] = {}
    for hot in _day_items(user.pk, ids):
        routine_id = hot.parse_key(hot.owner_routine)[1]
        ticks.setdefault(routine_id, {})[hot.date] = sorted(hot.checked_ids)
    return {
        "routines": [
            {
                "id": routine.pk,
                "name": routine.name,
                "description": routine.description,
                "created_at": routine.created_at,
                "schedule": routine.schedule,
                "weekdays": weekdays_names(routine.weekdays),
                "times_per_week": routine.times_per_week,
                "status": routine.status,
                "off_since": routine.off_since,
                "pauses": routine.pauses,
                "reminder": {
                    "at": routine.remind_at,
                    "by": routine.remind_by,
                    "phone": routine.remind_phone,
                    "last_reminded_on": routine.reminded_on,
                },
                "items": items.get(routine.pk, []),
                "archived_days": days.get(routine.pk, []),
                "ticks": ticks.get(routine.pk, {}),
            }
            for routine in routines
        ]
    }


def user_data_delete(*, user: Any) -> str:
    """The day items first (found through the routines), then the rows; run again after a failure,
    it finds what is left. Deleted routines' later stream records are skipped by the archive."""
    from routines.dynamo import RoutineDayItem

    rows = list(Routine.objects.filter(owner=user).values_list("pk", "name", "remind_phone"))
    ids = [pk for pk, _, _ in rows]
    hot = _day_items(user.pk, ids)
    with RoutineDayItem.batch_write() as batch:
        for item in hot:
            batch.delete(item)
    with transaction.atomic():
        texts = _reminder_texts_delete([(name, phone) for _, name, phone in rows if phone])
        deleted = Routine.objects.filter(owner=user).delete()[0]
    return f"{len(ids)} routines ({deleted} rows), {len(hot)} day items, {texts} reminder texts"


def _reminder_texts_delete(reminders: list[tuple[str, str]]) -> int:
    """The text reminders the laptop's SMS outbox kept (core.contract.registry.text_forget); none on Lambda."""
    from core.contract.registry import text_forget

    return text_forget(texts=[(phone, f"Reminder: {name} is not done yet") for name, phone in reminders])

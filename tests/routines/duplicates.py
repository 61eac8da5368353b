"""Duplicate-delivery cases of routines: the routine-days stream archive."""

from core import clock
from routines.models import RoutineDay
from tests.duplicates import DuplicateCase


def _stream_record(world):
    """Alice ticks two items of a new routine; the stream record of that day's item, as Lambda has it."""
    from routines.dynamo import RoutineDayItem
    from routines.services import routine_create, routine_day_toggle

    alice = world["alice"]
    routine = routine_create(owner=alice, name="Morning", items=["Shower", "Coffee", "Run"])
    day = clock.user_today(alice)
    for item in list(routine.items.all())[:2]:
        routine_day_toggle(owner=alice, routine_id=routine.pk, item_id=item.pk, day=day, done=True)
    item = RoutineDayItem.get(RoutineDayItem.key(owner_id=alice.pk, routine_id=routine.pk), day.isoformat())
    image = item.serialize()
    table = RoutineDayItem.Meta.table_name
    return {
        "Records": [
            {
                "eventID": "1",
                "eventName": "MODIFY",
                "eventVersion": "1.1",
                "eventSource": "aws:dynamodb",
                "awsRegion": "us-east-1",
                "eventSourceARN": f"arn:aws:dynamodb:us-east-1:123456789012:table/{table}/stream/2026-01-01T00:00:00.000",
                "dynamodb": {
                    "Keys": {k: image[k] for k in ("owner_routine", "date")},
                    "NewImage": image,
                    "SequenceNumber": "100000000000000000001",
                    "SizeBytes": 120,
                    "StreamViewType": "NEW_AND_OLD_IMAGES",
                },
            }
        ]
    }


def _due_reminder(world):
    """Alice's Morning reminds her by email at a time already past today, not done yet."""
    from datetime import timedelta

    from routines.models import Routine
    from routines.services import routine_create

    alice = world["alice"]
    world["settings"].EMAIL_BACKEND = "core.aws.mail.OutboxBackend"  # the laptop's outbox
    routine = routine_create(owner=alice, name="Morning", items=["Shower", "Coffee"])
    Routine.objects.filter(pk=routine.pk).update(
        remind_at=(clock.now() - timedelta(minutes=5)).astimezone(clock.user_zone(alice)).time(),
        remind_next_at=clock.now() - timedelta(minutes=1),
    )
    return {"kwargs": {"command": "send_reminders"}}


def _reminders_sent(world):
    from core.models import OutboxMessage
    from routines.models import Routine

    sent = list(OutboxMessage.objects.filter(to=world["alice"].email).values_list("subject", "body"))
    assert len(sent) <= 1, "one reminder a day"
    return (
        list(OutboxMessage.objects.filter(to=world["alice"].email).values_list("subject", "body")),
        list(Routine.objects.filter(owner=world["alice"]).values_list("reminded_on", "remind_next_at")),
    )


DUPLICATES = {
    # The same firing delivered again is skipped by its claim (config.events); were it run, the
    # reminder's own claim (reminded_on, remind_next_at moved to tomorrow) finds nothing due.
    "send-reminders": DuplicateCase(event=_due_reminder, effects=_reminders_sent),
    "routines.events.archive_days": DuplicateCase(
        event=_stream_record,
        effects=lambda world: list(
            RoutineDay.objects.filter(routine__owner=world["alice"]).values(
                "routine_id", "date", "checked_item_ids", "done_count", "total", "version", "updated_at"
            )
        ),
    ),
}

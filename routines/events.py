"""Lambda handlers of the routines app.

``archive_days`` is fed by the DynamoDB stream of the ``routine-days`` table (NEW_AND_OLD_IMAGES):
each record's new image becomes the relational ``RoutineDay`` row, so the hot tap path never
writes to the database yet nothing ticked is lost. ``core.batch.batch_handler`` runs it per record,
stops at the first failure and reports that record's sequence number (Lambda retries the shard
from there). Replays are harmless: the service keeps the image with the highest ``version``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from core.batch import batch_handler
from routines.dynamo import RoutineDayItem
from routines.services import routine_day_archive


@batch_handler
def archive_days(record: dict[str, Any]) -> None:
    """One stream record -> one RoutineDay upsert (REMOVE records and key-only images change nothing)."""
    if record.get("eventName") == "REMOVE":
        return
    image = record["dynamodb"].get("NewImage")
    if not image:
        return
    item = RoutineDayItem.from_raw_data(image)
    owner_id, routine_id = RoutineDayItem.parse_key(item.owner_routine)
    routine_day_archive(
        owner_id=owner_id,
        routine_id=routine_id,
        day=date.fromisoformat(item.date),
        checked_ids=item.checked_ids,
        total=int(item.total or 0),
        version=int(item.version or 0),
        updated_at=item.updated_at,
    )

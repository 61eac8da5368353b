"""Lambda handlers of the routines app.

``archive_days`` is fed by the DynamoDB stream of the ``routine-days`` table (NEW_AND_OLD_IMAGES):
each record's new image becomes the relational ``RoutineDay`` row, so the hot tap path never
writes to the database yet nothing ticked is lost. A whole batch is archived in one transaction
(``core.aws.batch.bulk_stream_handler``: the newest image per day, bulk insert and update), so the
archive keeps up with the taps; if that transaction fails, the batch's first record is reported and
the mapping retries (bisecting) from there; a record that cannot be read is reported by its sequence
number after the ones before it are archived. Replays are harmless: the service keeps the image
with the highest ``version``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from core.aws.batch import bulk_stream_handler, new_image
from routines.dynamo import RoutineDayItem
from routines.services import ArchivedDay, routine_days_archive


def day_image(record: dict[str, Any]) -> ArchivedDay | None:
    """One stream record's new image (None for REMOVE records and key-only images)."""
    image = new_image(record)
    if image is None:
        return None
    item = RoutineDayItem.from_raw_data(image)
    owner_id, routine_id = RoutineDayItem.parse_key(item.owner_routine)
    return ArchivedDay(
        owner_id=owner_id,
        routine_id=routine_id,
        day=date.fromisoformat(item.date),
        checked_ids=frozenset(item.checked_ids),
        total=int(item.total or 0),
        version=int(item.version or 0),
        updated_at=item.updated_at,
    )


def _archive(images: list[ArchivedDay]) -> int:
    return routine_days_archive(images=images)


archive_days = bulk_stream_handler(parse=day_image, apply=_archive)

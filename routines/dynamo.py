"""Hot state of routines in DynamoDB: which items of a routine are ticked on one day.

One item per (user, routine, date): hash key ``owner_routine`` = ``"{user_id}#{routine_id}"``, range
key ``date`` = ISO date in the user's zone. A tap is one ``UpdateItem`` with ``ADD``/``DELETE`` on the
``checked`` number set, so two taps at the same moment both land without a read-modify-write, and
``version`` is bumped with ``ADD`` in the same expression.

``version`` is a plain counter rather than PynamoDB's ``VersionAttribute``: taps must never fail on an
optimistic lock (the set operations already merge concurrent writes); the counter orders the
item's images for the stream archive (``routines.events.archive_days``), which keeps the newest.

Reads never Scan: one day of one routine is a GetItem, today's state of all a user's routines is one
BatchGetItem (strongly consistent), a date range is a Query on the range key.
"""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, NumberSetAttribute, UnicodeAttribute, UTCDateTimeAttribute

from core.aws.dynamo import DynamoModel


class RoutineDayItem(DynamoModel):
    """The check-offs of one routine on one day."""

    class Meta:
        table_suffix = "routine-days"
        billing_mode = "PAY_PER_REQUEST"
        stream_view_type = "NEW_AND_OLD_IMAGES"

    owner_routine = UnicodeAttribute(hash_key=True)
    date = UnicodeAttribute(range_key=True)
    # Ids of the ticked RoutineItems; DynamoDB has no empty set, so "nothing ticked" is absent.
    checked = NumberSetAttribute(null=True)
    # How many items the routine had at the last write (so a past day keeps its own denominator).
    total = NumberAttribute(default=0)
    # Write counter, +1 on every change: orders the stream's images for the archive.
    version = NumberAttribute(default=0)
    updated_at = UTCDateTimeAttribute(null=True)

    @staticmethod
    def key(*, owner_id: int, routine_id: int) -> str:
        return f"{owner_id}#{routine_id}"

    @staticmethod
    def parse_key(owner_routine: str) -> tuple[int, int]:
        owner_id, routine_id = owner_routine.split("#", 1)
        return int(owner_id), int(routine_id)

    @property
    def checked_ids(self) -> set[int]:
        return {int(value) for value in (self.checked or ())}

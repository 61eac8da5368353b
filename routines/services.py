"""Writes of routines: the relational routines and items, and the day check-offs in DynamoDB.

Bad input raises ``django.core.exceptions.ValidationError`` keyed by field (the API turns it into
a 400 with field errors, the pages into form errors); a routine or item that is not the caller's,
or no longer exists, raises ``Routine.DoesNotExist`` / ``RoutineItem.DoesNotExist`` with a message
meant for the user.

A tap (``routine_day_toggle``) never writes to the database: it reads the routine's item ids in one
query (the same round trip that authenticates the request keeps it awake anyway; the user's zone
is on the user already loaded), then makes one atomic DynamoDB UpdateItem. The relational archive (``RoutineDay``) is
filled from the table's stream by ``routine_days_archive`` (a batch at a time).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from core import clock
from routines.models import WEEKDAY_NAMES, Routine, RoutineDay, RoutineItem
from routines.samples import SAMPLE_ROUTINES
from routines.schedules import is_due, weekdays_mask, weekdays_names
from routines.selectors import DayState, day_state_from_item, first_day, latest_day

if TYPE_CHECKING:
    from accounts.models import User

ITEM_GONE = "This item is no longer part of the routine (it was deleted); nothing was changed."
ROUTINE_GONE = "No such routine."
UNSET: Any = object()  # "not given" where None means "none"
PHONE = re.compile(r"\+[1-9][0-9]{6,14}")


# --- Routines and items (relational) -----------------------------------------------------------


def _clean_name(name: str, *, owner_id: int, exclude_pk: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the routine a name."})
    if len(name) > Routine.NAME_MAX_LENGTH:
        raise ValidationError({"name": "Keep the name under 100 characters."})
    clash = Routine.objects.filter(owner_id=owner_id, name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": f"You already have a routine called {name!r}."})
    return name


def _clean_text(text: str, *, field: str = "text") -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: "An item needs some text."})
    if len(text) > RoutineItem.TEXT_MAX_LENGTH:
        raise ValidationError({field: "Keep an item under 200 characters."})
    return text


def _save_unique(routine: Routine) -> None:
    try:
        with transaction.atomic():
            routine.save()
    except IntegrityError as exc:  # a concurrent request took the name between check and insert
        raise ValidationError({"name": f"You already have a routine called {routine.name!r}."}) from exc


@transaction.atomic
def routine_create(
    *, owner: User, name: str, description: str = "", items: Sequence[str] = (), **changes: Any
) -> Routine:
    """A new routine at the end of the owner's list, with ``items`` in the given order; ``changes``
    are what ``routine_update`` takes (schedule, reminder...)."""
    clean_name = _clean_name(name, owner_id=owner.pk)
    texts = [_clean_text(text, field="items") for text in items]
    last = Routine.objects.filter(owner=owner).aggregate(last=Max("position"))["last"]
    routine = Routine(
        owner=owner,
        name=clean_name,
        description=(description or "").strip(),
        position=0 if last is None else last + 1,
    )
    _save_unique(routine)
    RoutineItem.objects.bulk_create(
        RoutineItem(routine=routine, text=text, position=n) for n, text in enumerate(texts)
    )
    if changes:
        routine_update(routine=routine, **changes)
    return routine


@transaction.atomic
def routine_update(
    *,
    routine: Routine,
    name: str | None = None,
    description: str | None = None,
    schedule: str | None = None,
    weekdays: Sequence[str] | None = None,
    times_per_week: int | None = None,
    status: str | None = None,
    remind_at: time | None = UNSET,
    remind_by: str | None = None,
    remind_phone: str | None = None,
) -> Routine:
    """Change what is given of a routine: name, description, schedule, status, reminder (one
    transaction: a refused part changes nothing)."""
    if name is not None:
        routine.name = _clean_name(name, owner_id=routine.owner_id, exclude_pk=routine.pk)
    if description is not None:
        routine.description = description.strip()
    _save_unique(routine)
    if schedule is not None or weekdays is not None or times_per_week is not None:
        routine_schedule_set(
            routine=routine,
            schedule=schedule or routine.schedule,
            weekdays=weekdays if weekdays is not None else _weekday_names(routine),
            times_per_week=times_per_week if times_per_week is not None else routine.times_per_week,
        )
    if status is not None:
        routine_status_set(routine=routine, status=status)
    if remind_at is not UNSET or remind_by is not None or remind_phone is not None:
        routine_reminder_set(routine=routine, remind_at=remind_at, remind_by=remind_by, phone=remind_phone)
    return routine


def _weekday_names(routine: Routine) -> list[str]:
    return weekdays_names(routine.weekdays)


@transaction.atomic
def routine_schedule_set(
    *, routine: Routine, schedule: str, weekdays: Sequence[str] = (), times_per_week: int | None = None
) -> Routine:
    """When the routine is due: ``daily``, ``weekdays`` (``weekdays`` names at least one of mon..sun)
    or ``weekly`` (``times_per_week`` from 1 to 7). Streaks and rates count only due days, past ones
    included (the schedule is one rule for the routine's whole history)."""
    if schedule not in Routine.Schedule.values:
        raise ValidationError({"schedule": f"Choose one of {', '.join(Routine.Schedule.values)}."})
    routine.schedule = schedule
    if schedule == Routine.Schedule.WEEKDAYS:
        unknown = sorted(set(weekdays) - set(WEEKDAY_NAMES))
        if unknown:
            raise ValidationError({"weekdays": f"Not a weekday: {', '.join(unknown)} (use mon..sun)."})
        if not weekdays:
            raise ValidationError({"weekdays": "Choose at least one day of the week."})
        routine.weekdays = weekdays_mask(weekdays)
    elif schedule == Routine.Schedule.WEEKLY:
        if times_per_week is None or not 1 <= times_per_week <= 7:
            raise ValidationError({"times_per_week": "Say how many times a week, from 1 to 7."})
        routine.times_per_week = times_per_week
    routine.remind_next_at = _next_reminder(routine)
    routine.save(update_fields=["schedule", "weekdays", "times_per_week", "remind_next_at", "updated_at"])
    return routine


@transaction.atomic
def routine_status_set(*, routine: Routine, status: str) -> Routine:
    """Pause, archive or resume a routine. Off (paused or archived) it leaves Today and sends no
    reminder, and the days it is off are not due (the streak waits); its history is kept. Resumed,
    the interval it was off is remembered in ``pauses``."""
    if status not in Routine.Status.values:
        raise ValidationError({"status": f"Choose one of {', '.join(Routine.Status.values)}."})
    today = clock.user_today(routine.owner)
    if status == Routine.Status.ACTIVE and routine.off_since is not None:
        if routine.off_since < today:
            routine.pauses = [
                *routine.pauses,
                [routine.off_since.isoformat(), (today - timedelta(days=1)).isoformat()],
            ]
        routine.off_since = None
    elif status != Routine.Status.ACTIVE and routine.off_since is None:
        routine.off_since = today
    routine.status = status
    routine.remind_next_at = _next_reminder(routine)
    routine.save(update_fields=["status", "off_since", "pauses", "remind_next_at", "updated_at"])
    return routine


@transaction.atomic
def routine_reminder_set(
    *,
    routine: Routine,
    remind_at: time | None = UNSET,
    remind_by: str | None = None,
    phone: str | None = None,
) -> Routine:
    """Remind the owner at ``remind_at`` (their zone; None: no reminder) on due days the routine is
    not done yet, by ``email`` (the account's address) or ``sms`` (``phone``, E.164)."""
    if remind_at is not UNSET:
        routine.remind_at = remind_at
    if remind_by is not None:
        if remind_by not in Routine.RemindBy.values:
            raise ValidationError({"remind_by": f"Choose one of {', '.join(Routine.RemindBy.values)}."})
        routine.remind_by = remind_by
    if phone is not None:
        phone = phone.strip()
        if phone and not PHONE.fullmatch(phone):
            raise ValidationError(
                {"remind_phone": "Write the phone number as +<country><number>, e.g. +60123456789."}
            )
        routine.remind_phone = phone
    if routine.remind_at is not None:
        if routine.remind_by == Routine.RemindBy.SMS and not routine.remind_phone:
            raise ValidationError({"remind_phone": "A text reminder needs a phone number."})
        if routine.remind_by == Routine.RemindBy.EMAIL and not routine.owner.email:
            raise ValidationError(
                {
                    "remind_by": "Your account has no email address: add one on your profile, or remind by text."
                }
            )
    routine.remind_next_at = _next_reminder(routine)
    routine.save(update_fields=["remind_at", "remind_by", "remind_phone", "remind_next_at", "updated_at"])
    return routine


def _next_reminder(routine: Routine, *, after: datetime | None = None) -> datetime | None:
    """The next instant (UTC) the routine's reminder falls on a due day, after ``after`` (default now),
    never on a day already reminded; None without a reminder, or while paused or archived."""
    if routine.remind_at is None or routine.status != Routine.Status.ACTIVE:
        return None
    zone = clock.user_zone(routine.owner)
    after = after or clock.now()
    local = after.astimezone(zone).date()
    for n in range(8):
        day = local + timedelta(days=n)
        moment = datetime.combine(day, routine.remind_at, tzinfo=zone)
        if moment > after and routine.reminded_on != day and is_due(routine, day):
            return moment.astimezone(UTC)
    return None


@transaction.atomic
def routine_delete(*, routine: Routine) -> None:
    """Delete a routine with its items and archived days (its DynamoDB days simply stop being read)."""
    routine.delete()


@transaction.atomic
def routines_reorder(*, owner: User, routine_ids: Sequence[int]) -> list[Routine]:
    """Put all of the owner's routines in the order of ``routine_ids`` (every id exactly once)."""
    rows = Routine.objects.select_for_update().filter(owner=owner)
    return _apply_order(rows, list(routine_ids), field="routines", noun="routine")


@transaction.atomic
def routine_item_add(*, routine: Routine, text: str) -> RoutineItem:
    """Append an item to the routine."""
    clean = _clean_text(text)
    last = routine.items.aggregate(last=Max("position"))["last"]
    return RoutineItem.objects.create(routine=routine, text=clean, position=0 if last is None else last + 1)


@transaction.atomic
def routine_item_rename(*, item: RoutineItem, text: str) -> RoutineItem:
    item.text = _clean_text(text)
    item.save(update_fields=["text"])
    return item


@transaction.atomic
def routine_item_delete(*, item: RoutineItem) -> None:
    """Delete an item; days it was ticked on stop counting it (reads intersect with current items)."""
    item.delete()


@dataclass(frozen=True)
class DeletedItem:
    """What an undo needs to put a deleted item back: its id (so its ticks count again), text and place."""

    routine_id: int
    item_id: int
    text: str
    index: int


@transaction.atomic
def routine_item_delete_undoable(*, item: RoutineItem) -> DeletedItem:
    """Delete an item and say how to put it back (``routine_item_restore``)."""
    ids = list(RoutineItem.objects.filter(routine_id=item.routine_id).values_list("pk", flat=True))
    gone = DeletedItem(routine_id=item.routine_id, item_id=item.pk, text=item.text, index=ids.index(item.pk))
    item.delete()
    return gone


@transaction.atomic
def routine_item_restore(*, routine: Routine, deleted: DeletedItem) -> RoutineItem:
    """Put a deleted item back with its id at its place (its ticks in DynamoDB count again: they
    were never removed). Ids are never reused (AUTOINCREMENT on SQLite, sequences on PostgreSQL),
    so the id is still free; an item already back is left as it is."""
    if deleted.routine_id != routine.pk:
        raise RoutineItem.DoesNotExist(ITEM_GONE)
    existing = RoutineItem.objects.filter(pk=deleted.item_id).first()
    if existing is not None:
        return existing
    item = RoutineItem.objects.create(pk=deleted.item_id, routine=routine, text=deleted.text, position=0)
    ids = [
        pk for pk in RoutineItem.objects.filter(routine=routine).values_list("pk", flat=True) if pk != item.pk
    ]
    ids.insert(min(deleted.index, len(ids)), item.pk)
    routine_items_reorder(routine=routine, item_ids=ids)
    item.refresh_from_db()
    return item


@transaction.atomic
def routine_move(*, routine: Routine, offset: int) -> list[Routine]:
    """Move a routine up (``offset`` < 0) or down past its neighbour among the owner's routines of
    the same status (Today shows the active ones only: a move always shows)."""
    rows = list(Routine.objects.filter(owner_id=routine.owner_id).values_list("pk", "status"))
    ids = [pk for pk, _ in rows]
    alike = [pk for pk, status in rows if status == routine.status]
    target = alike.index(routine.pk) + offset
    if 0 <= target < len(alike):
        a, b = ids.index(routine.pk), ids.index(alike[target])
        ids[a], ids[b] = ids[b], ids[a]
    return routines_reorder(owner=routine.owner, routine_ids=ids)


def _check_permutation(ids: list[int], expected: set[int], *, field: str, noun: str) -> None:
    errors = []
    if len(ids) != len(set(ids)):
        errors.append(f"Each {noun} may appear only once.")
    unknown = sorted(set(ids) - expected)
    if unknown:
        errors.append(f"Not a {noun} of yours here: {', '.join(map(str, unknown))}.")
    missing = sorted(expected - set(ids))
    if missing:
        errors.append(f"Every {noun} must be listed; missing: {', '.join(map(str, missing))}.")
    if errors:
        raise ValidationError({field: errors})


def _apply_order(rows, ordered_ids: list[int], *, field: str, noun: str) -> list:
    """Give ``rows`` (locked) the positions of ``ordered_ids``, which must list each row once."""
    by_pk = {row.pk: row for row in rows}
    _check_permutation(ordered_ids, set(by_pk), field=field, noun=noun)
    for position, pk in enumerate(ordered_ids):
        by_pk[pk].position = position
    rows.model.objects.bulk_update(by_pk.values(), ["position"])
    return [by_pk[pk] for pk in ordered_ids]


@transaction.atomic
def routine_items_reorder(*, routine: Routine, item_ids: Sequence[int]) -> list[RoutineItem]:
    """Put the routine's items in the order of ``item_ids`` (every item exactly once)."""
    rows = RoutineItem.objects.select_for_update().filter(routine=routine)
    return _apply_order(rows, list(item_ids), field="items", noun="item")


@transaction.atomic
def routine_item_move(*, item: RoutineItem, offset: int) -> list[RoutineItem]:
    """Move an item up (``offset`` < 0) or down among its routine's items."""
    ids = list(RoutineItem.objects.filter(routine_id=item.routine_id).values_list("pk", flat=True))
    index = ids.index(item.pk)
    target = max(0, min(len(ids) - 1, index + offset))
    ids.insert(target, ids.pop(index))
    return routine_items_reorder(routine=item.routine, item_ids=ids)


# --- Sample data ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SampleLoad:
    created: int
    existing: int

    def summary(self) -> str:
        return f"Loaded {self.created} sample routines, {self.existing} already present."


@transaction.atomic
def routine_samples_load(*, owner: User) -> SampleLoad:
    """Give the owner the original app's four routines; ones they already have are left alone."""
    have = {name.lower() for name in Routine.objects.filter(owner=owner).values_list("name", flat=True)}
    created = 0
    for name, description, items in SAMPLE_ROUTINES:
        if name.lower() in have:
            continue
        routine_create(owner=owner, name=name, description=description, items=items)
        created += 1
    return SampleLoad(created=created, existing=len(SAMPLE_ROUTINES) - created)


# --- Days (DynamoDB) --------------------------------------------------------------------------


def _routine_items_and_start(*, owner: User, routine_id: int) -> tuple[list[int], datetime]:
    """The routine's item ids in order and when it was created, in one query; DoesNotExist if the
    routine is not the owner's."""
    rows = list(
        Routine.objects.filter(pk=routine_id, owner=owner)
        .values_list("created_at", "items__id")
        .order_by("items__position", "items__id")
    )
    if not rows:
        raise Routine.DoesNotExist(ROUTINE_GONE)
    return [item_id for _, item_id in rows if item_id is not None], rows[0][0]


def _check_day(day: date, owner: User, *, created_at: datetime) -> None:
    """A day may be ticked from the routine's first day (in the owner's zone) to tomorrow."""
    zone = clock.user_zone(owner)
    latest = latest_day(zone=zone)
    if day > latest:
        raise ValidationError(
            {"date": f"{day.isoformat()} is in the future; the latest day you can tick is {latest}."}
        )
    first = first_day(created_at=created_at, zone=zone)
    if day < first:
        raise ValidationError(
            {"date": f"{day.isoformat()} is before this routine existed; its first day is {first}."}
        )


def routine_day_toggle(*, owner: User, routine_id: int, item_id: int, day: date, done: bool) -> DayState:
    """Tick (``done``) or untick one item on one day: the hot path, one atomic UpdateItem.

    ``ADD``/``DELETE`` on the number set merge with any concurrent tap on the same day, and the
    explicit ``done`` makes a repeated request harmless (two devices ticking the same item agree).
    """
    from routines.dynamo import RoutineDayItem

    item_ids, created_at = _routine_items_and_start(owner=owner, routine_id=routine_id)
    _check_day(day, owner, created_at=created_at)
    if item_id not in item_ids:
        if RoutineItem.objects.filter(pk=item_id, routine__owner=owner).exists():
            raise ValidationError({"item": "This item belongs to another of your routines."})
        raise RoutineItem.DoesNotExist(ITEM_GONE)
    change = RoutineDayItem.checked.add if done else RoutineDayItem.checked.delete
    item = RoutineDayItem(RoutineDayItem.key(owner_id=owner.pk, routine_id=routine_id), day.isoformat())
    item.update(
        actions=[
            change({item_id}),
            RoutineDayItem.total.set(len(item_ids)),
            RoutineDayItem.version.add(1),
            RoutineDayItem.updated_at.set(clock.now()),
        ]
    )
    return day_state_from_item(routine_id=routine_id, day=day, item=item, item_ids=item_ids)


def routine_day_set(*, owner: User, routine_id: int, day: date, item_ids: Sequence[int]) -> DayState:
    """Make exactly ``item_ids`` the ticked items of the routine on ``day`` (PUT semantics)."""
    from routines.dynamo import RoutineDayItem

    current, created_at = _routine_items_and_start(owner=owner, routine_id=routine_id)
    _check_day(day, owner, created_at=created_at)
    wanted = set(item_ids)
    foreign = sorted(wanted - set(current))
    if foreign:
        raise ValidationError({"checked": f"Not items of this routine: {', '.join(map(str, foreign))}."})
    item = RoutineDayItem(RoutineDayItem.key(owner_id=owner.pk, routine_id=routine_id), day.isoformat())
    item.update(
        actions=[
            # A number set holds ints as well as floats; PynamoDB's hint names only floats.
            RoutineDayItem.checked.set(cast("set[float]", wanted))
            if wanted
            else RoutineDayItem.checked.remove(),
            RoutineDayItem.total.set(len(current)),
            RoutineDayItem.version.add(1),
            RoutineDayItem.updated_at.set(clock.now()),
        ]
    )
    return day_state_from_item(routine_id=routine_id, day=day, item=item, item_ids=current)


@dataclass(frozen=True)
class ArchivedDay:
    """One stream image of a day item, as the archive keeps it."""

    owner_id: int
    routine_id: int
    day: date
    checked_ids: frozenset[int]
    total: int
    version: int
    updated_at: datetime | None


def _archive_values(image: ArchivedDay) -> dict:
    checked = sorted(image.checked_ids)
    return {
        "checked_item_ids": checked,
        "done_count": min(len(checked), image.total) if image.total else len(checked),
        "total": image.total,
        "version": image.version,
        "updated_at": image.updated_at or clock.now(),
    }


_ARCHIVED_FIELDS = ["checked_item_ids", "done_count", "total", "version", "updated_at"]


@transaction.atomic
def routine_days_archive(*, images: Sequence[ArchivedDay]) -> int:
    """Keep the relational copy of days in step with their DynamoDB items (a stream batch's images).

    One transaction and a constant number of queries for the whole batch: the newest image per
    day, the routines that still exist and are their owner's (others are skipped), the stored rows
    (locked), then one bulk insert and one bulk update. Idempotent: an image whose ``version`` is not
    newer than the stored row's changes nothing, so replays and late duplicates are harmless.
    Returns how many rows were written.
    """
    newest: dict[tuple[int, date], ArchivedDay] = {}
    for image in images:
        key = (image.routine_id, image.day)
        if key not in newest or image.version > newest[key].version:
            newest[key] = image
    if not newest:
        return 0
    owners = dict(
        Routine.objects.filter(pk__in={routine for routine, _ in newest}).values_list("pk", "owner_id")
    )
    wanted = {key: image for key, image in newest.items() if owners.get(key[0]) == image.owner_id}
    if not wanted:
        return 0
    stored = {
        (row.routine_id, row.date): row
        for row in RoutineDay.objects.select_for_update().filter(
            routine_id__in={routine for routine, _ in wanted}, date__in={day for _, day in wanted}
        )
    }
    created, changed = [], []
    for key, image in wanted.items():
        row = stored.get(key)
        if row is None:
            created.append(RoutineDay(routine_id=key[0], date=key[1], **_archive_values(image)))
        elif image.version > row.version:
            for name, value in _archive_values(image).items():
                setattr(row, name, value)
            changed.append(row)
    RoutineDay.objects.bulk_create(created, batch_size=500)
    RoutineDay.objects.bulk_update(changed, _ARCHIVED_FIELDS, batch_size=500)
    return len(created) + len(changed)


def routine_days_restore() -> int:
    """Write the archived days (``RoutineDay``) back to DynamoDB where their item is missing.

    The archive is the copy that must never be lost; the day items are hot state rebuilt from it
    when their table starts empty (the embedded emulator keeps nothing across restarts, or a table
    was lost). A day item that exists is newer than or equal to its archive and is left alone
    (conditional put), and the restored item keeps its version, so the stream's copy of the write
    changes nothing in the archive. Returns how many days were restored.
    """
    from pynamodb.exceptions import PutError

    from routines.dynamo import RoutineDayItem

    restored = 0
    days = RoutineDay.objects.select_related("routine").order_by("pk")
    for day in days.iterator(chunk_size=500):
        item = RoutineDayItem(
            RoutineDayItem.key(owner_id=day.routine.owner_id, routine_id=day.routine_id),
            day.date.isoformat(),
            checked=set(day.checked_item_ids) or None,
            total=day.total,
            version=day.version,
            updated_at=day.updated_at,
        )
        try:
            item.save(condition=RoutineDayItem.owner_routine.does_not_exist())
        except PutError as exc:
            if getattr(exc, "cause_response_code", None) != "ConditionalCheckFailedException":
                raise
            continue
        restored += 1
    return restored


def routine_days_restore_summary() -> str:
    """``routine_days_restore`` as the line ``restore_hot_items`` prints (the app's hot-item restorer)."""
    return f"{routine_days_restore()} routine days restored from the archive"


# --- Reminders --------------------------------------------------------------------------------


@dataclass
class ReminderRun:
    emails: int = 0
    texts: int = 0
    done_already: int = 0
    failed: int = 0

    def summary(self) -> str:
        return (
            f"Sent {self.emails + self.texts} reminders ({self.emails} emails, {self.texts} texts), "
            f"{self.done_already} already done, {self.failed} failed."
        )


Claim = tuple[datetime | None, date | None]  # what a claimed routine's reminder fields were


def _reminders_claim(*, now: datetime) -> list[tuple[Routine, date, Claim]]:
    """Claim every reminder due by ``now``: one locked read and one bulk update, however many users.

    The claim is the routine's ``reminded_on`` (the owner's day the reminder is for) and its next
    ``remind_next_at``, moved past that day: a second run, or the same firing delivered twice,
    finds nothing due. SQLite serializes the transaction (IMMEDIATE); PostgreSQL re-reads a row a
    concurrent run changed before it locks it (SELECT ... FOR UPDATE), so it is claimed once.
    """
    with transaction.atomic():
        due = list(
            Routine.objects.select_for_update(of=("self",))
            .filter(remind_next_at__lte=now, status=Routine.Status.ACTIVE, remind_at__isnull=False)
            .select_related("owner")
            .prefetch_related("items")
            .order_by("remind_next_at", "pk")
        )
        claimed = []
        for routine in due:
            previous: Claim = (routine.remind_next_at, routine.reminded_on)
            # The owner's day and time now (their zone may have changed since remind_next_at was set).
            zone = clock.user_zone(routine.owner)
            day = clock.zone_today(zone=zone, at=now)
            remind = (
                routine.reminded_on != day
                and datetime.combine(day, cast(time, routine.remind_at), zone) <= now
            )
            if remind:
                routine.reminded_on = day
            routine.remind_next_at = _next_reminder(routine, after=now)
            if remind:
                claimed.append((routine, day, previous))
        Routine.objects.bulk_update(due, ["reminded_on", "remind_next_at"], batch_size=500)
    return claimed


def _reminder_text(routine: Routine, left: list[str]) -> str:
    items = "\n".join(f"- {text}" for text in left)
    return f"{routine.name} is not done yet today ({len(left)} left):\n{items}\n\nTick it off in Routines."


def routine_reminders_send(*, now: datetime | None = None) -> ReminderRun:
    """Remind each owner whose routine's reminder time has come (``remind_next_at``), on a day it is
    due and not complete: by email (the laptop's outbox, SES on Lambda) or by text (Twilio, the
    tracker's sandbox outbox on the laptop). Each routine is reminded at most once a day: the claim
    comes first (``_reminders_claim``); a send that fails gives its claim back, so the next run
    tries again. A run killed between claim and send skips that day's reminder (at most once).

    Queries: the claim (3), BatchGetItems of 100 keys for the day's state (and the week's earlier
    days of N-times-a-week routines: none once the week has its N), the sends.
    """
    from django.core.mail import EmailMessage, get_connection

    from routines.dynamo import RoutineDayItem

    run = ReminderRun()
    now = now or clock.now()
    claimed = _reminders_claim(now=now)
    if not claimed:
        return run
    keys = [
        (RoutineDayItem.key(owner_id=r.owner_id, routine_id=r.pk), day.isoformat()) for r, day, *_ in claimed
    ]
    # An N-times-a-week routine whose week already has its N complete days needs no reminder: its
    # week's earlier days are read in the same BatchGetItems.
    week_keys = {
        (key[0], (day - timedelta(days=n)).isoformat())
        for (routine, day, _), key in zip(claimed, keys, strict=True)
        if routine.schedule == Routine.Schedule.WEEKLY and routine.times_per_week < 7
        for n in range(1, day.weekday() + 1)
    }
    found = {
        (i.owner_routine, i.date): i
        for i in RoutineDayItem.batch_get([*keys, *week_keys], consistent_read=True)
    }
    emails, texts = [], []
    for (routine, day, previous), key in zip(claimed, keys, strict=True):
        item_ids = [i.pk for i in routine.items.all()]
        state = day_state_from_item(routine_id=routine.pk, day=day, item=found.get(key), item_ids=item_ids)
        week_done = sum(
            1
            for n in range(1, day.weekday() + 1)
            if (past := found.get((key[0], (day - timedelta(days=n)).isoformat()))) is not None
            and past.total
            and len(past.checked_ids) >= past.total
        )
        weekly_met = routine.schedule == Routine.Schedule.WEEKLY and week_done >= routine.times_per_week
        if state.complete or not state.total or not is_due(routine, day) or weekly_met:
            run.done_already += 1
            continue
        if routine.remind_by == Routine.RemindBy.EMAIL and not routine.owner.email:
            run.failed += 1  # no address (removed since the reminder was set): nothing to retry
            continue
        left = [i.text for i in routine.items.all() if i.pk not in set(state.checked_ids)]
        body = _reminder_text(routine, left)
        if routine.remind_by == Routine.RemindBy.SMS:
            texts.append((routine, previous, f"Reminder: {body}"))
        else:
            subject = f"Reminder: {routine.name} is not done yet today"
            emails.append((routine, previous, EmailMessage(subject, body, to=[routine.owner.email])))
    if emails:
        try:
            get_connection().send_messages([message for *_, message in emails])
            run.emails += len(emails)
        except Exception:
            run.failed += len(emails)
            _reminders_give_back([(routine, previous) for routine, previous, _ in emails])
    for routine, previous, text in texts:
        try:
            _text_send(to=routine.remind_phone, body=text[:1500])
            run.texts += 1
        except Exception:
            run.failed += 1
            _reminders_give_back([(routine, previous)])
    return run


def _text_send(*, to: str, body: str) -> str:
    """Texts go out through the app that sends them (core.contract.registry.text_send: Twilio; its sandbox and
    SMS outbox on the laptop), without routines importing it."""
    from core.contract.registry import text_send

    return text_send(to=to, body=body)


def _reminders_give_back(failed: list[tuple[Routine, Claim]]) -> None:
    """A send failed: the claim goes back, so the next run sends the reminder again."""
    for routine, (next_at, reminded_on) in failed:
        Routine.objects.filter(pk=routine.pk, reminded_on=routine.reminded_on).update(
            remind_next_at=next_at, reminded_on=reminded_on
        )

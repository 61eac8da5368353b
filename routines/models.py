"""Relational data of routines: what a user keeps (Routine, RoutineItem) and the archive of days.

A routine's daily check-offs are hot state in DynamoDB (``routines/dynamo.py``); ``RoutineDay`` is
their durable copy, filled from the table's stream by ``routines.events.archive_days``.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from core import clock

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # date.weekday() order
EVERY_WEEKDAY = 0b1111111


class Routine(models.Model):
    """An ordered checklist a user ticks off each day ("Morning": Shower, Get dressed, ...).

    Its schedule says which days it is due (every day, chosen weekdays, or N times a week: see
    routines/schedules.py); a paused or archived routine is off Today and due on no day while so
    (``pauses`` keeps the past intervals, so its history and streak stay as they were).
    """

    class Schedule(models.TextChoices):
        DAILY = "daily", "Every day"
        WEEKDAYS = "weekdays", "On chosen weekdays"
        WEEKLY = "weekly", "N times a week"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        ARCHIVED = "archived", "Archived"

    class RemindBy(models.TextChoices):
        EMAIL = "email", "Email"
        SMS = "sms", "Text message (SMS)"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="routines")
    NAME_MAX_LENGTH = 100

    name = models.CharField(max_length=NAME_MAX_LENGTH)
    description = models.TextField(blank=True, max_length=1000)
    position = models.PositiveIntegerField(default=0)
    # From the product's clock (core.clock), which tests can pin: no day before it can be ticked.
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    schedule = models.CharField(max_length=10, choices=Schedule.choices, default=Schedule.DAILY)
    # WEEKDAYS: a bit per weekday, Monday = 1 (``1 << date.weekday()``).
    weekdays = models.PositiveSmallIntegerField(default=EVERY_WEEKDAY)
    # WEEKLY: how many days of each week (Monday to Sunday) it should be done.
    times_per_week = models.PositiveSmallIntegerField(default=7)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # The day (owner's zone) it was paused or archived; past [first, last] off-intervals in ``pauses``.
    off_since = models.DateField(null=True, blank=True)
    pauses = models.JSONField(default=list, blank=True)

    # A reminder at ``remind_at`` (owner's zone) on due days not yet done; ``remind_next_at`` is the
    # next such instant in UTC (the send_reminders schedule selects on it, indexed).
    remind_at = models.TimeField(null=True, blank=True)
    remind_by = models.CharField(max_length=5, choices=RemindBy.choices, default=RemindBy.EMAIL)
    remind_phone = models.CharField(max_length=16, blank=True)
    remind_next_at = models.DateTimeField(null=True, blank=True, db_index=True)
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                "owner",
                Lower("name"),
                name="routine_name_unique_per_owner",
                violation_error_message="You already have a routine with this name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def schedule_text(self) -> str:
        from routines.schedules import describe

        return describe(self)


# The schema names this choice set RoutineStatusEnum (RoutinesConfig.schema_enum_names).
ROUTINE_STATUSES = Routine.Status.choices


class RoutineItem(models.Model):
    """One checkbox of a routine, in ``position`` order."""

    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="items")
    TEXT_MAX_LENGTH = 200

    text = models.CharField(max_length=TEXT_MAX_LENGTH)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class RoutineDay(models.Model):
    """The archived state of one routine on one day (the user's calendar day).

    ``version`` is the DynamoDB item's write counter: a stream record carrying a version not newer
    than the stored one is a replay or arrived late, and changes nothing.
    """

    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="days")
    date = models.DateField()
    checked_item_ids = models.JSONField(default=list)
    done_count = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    version = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["routine", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["routine", "date"], name="routine_day_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.routine} on {self.date}: {self.done_count}/{self.total}"

"""Relational data of routines: what a user keeps (Routine, RoutineItem) and the archive of days.

A routine's daily check-offs are hot state in DynamoDB (``routines/dynamo.py``); ``RoutineDay`` is
their durable copy, filled from the table's stream by ``routines.events.archive_days``.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from core import clock


class Routine(models.Model):
    """An ordered checklist a user ticks off each day ("Morning": Shower, Get dressed, ...)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="routines")
    NAME_MAX_LENGTH = 100

    name = models.CharField(max_length=NAME_MAX_LENGTH)
    description = models.TextField(blank=True, max_length=1000)
    position = models.PositiveIntegerField(default=0)
    # From the product's clock (core.clock), which tests can pin: no day before it can be ticked.
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

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

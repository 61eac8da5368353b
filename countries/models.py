"""Relational data of countries: each fetch a caller asked for (``FetchRequest``) and each time the
worker called REST Countries for it (``FetchAttempt``, the status history ``/status/<code>/`` lists).

The documents themselves are hot items in DynamoDB (``countries/dynamo.py``); ``StoredCountry`` keeps
the few fields of each stored document that lists filter and sort on (region, name, population, when
it was fetched), so browsing a user's countries is one indexed query, never a Scan. A request is recorded
*before* it is sent to the queue (``pending``): if SQS cannot be reached it stays pending and
``manage.py requeue_pending_fetches`` sends it later, so a request that was answered 202 is never lost.
Every other unfinished state has a deadline too (``services.fetch_requests_sweep``, the same schedule):
queued or retrying too long, or fetching by a dead worker, it is sent again; sent too often, it fails.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core import clock


class FetchRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending (not on the queue yet)"
        QUEUED = "queued", "Queued"
        FETCHING = "fetching", "Fetching"
        RETRYING = "retrying", "Retrying"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    class Trigger(models.TextChoices):
        API = "api", "API"
        WEB = "web", "Web page"
        COMMAND = "command", "Command"
        DEMO = "demo", "Demo data"
        RESTORE = "restore", "Restore after the emulator restarted"

    ACTIVE = (Status.PENDING, Status.QUEUED, Status.FETCHING, Status.RETRYING)
    FINISHED = (Status.DONE, Status.FAILED)

    code = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2, upper case.")
    # Nobody for anonymous callers of /fetch-data/ (the original answered everybody).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="country_fetches",
    )
    trigger = models.CharField(max_length=10, choices=Trigger.choices, default=Trigger.API)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    failure = models.TextField(blank=True, help_text="Why the fetch failed, for the person who asked.")
    send_error = models.TextField(blank=True, help_text="Why the last send to the queue failed (outbox).")
    send_attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=clock.now)
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="country_fetch_owner"),
            models.Index(fields=["status", "created_at"], name="country_fetch_status"),
        ]

    def __str__(self) -> str:
        return f"Fetch {self.pk} of {self.code} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED


class FetchAttempt(models.Model):
    """One call to REST Countries for a request (or one decision not to call it: the breaker open)."""

    request = models.ForeignKey(FetchRequest, on_delete=models.CASCADE, related_name="attempts")
    code = models.CharField(max_length=2)
    started_at = models.DateTimeField(default=clock.now)
    duration_ms = models.PositiveIntegerField(default=0)
    success = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    upstream_status = models.PositiveSmallIntegerField(null=True, blank=True)
    # Which delivery of which message made it: the same delivery never records twice.
    message_id = models.CharField(max_length=128, blank=True)
    receive_count = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["code", "-started_at"], name="country_attempt_code")]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "message_id", "receive_count"],
                condition=~models.Q(message_id=""),
                name="country_attempt_once_per_delivery",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} at {self.started_at:%Y-%m-%d %H:%M:%S} ({'ok' if self.success else 'failed'})"


class StoredCountry(models.Model):
    """The list fields of a country's stored document (one row per code, written with the document
    by ``services.country_document_store``). Public data about a country, as the document is: a
    user's countries are the codes of their finished fetches (``selectors.stored_country_list``)."""

    code = models.CharField(max_length=2, primary_key=True, help_text="cca2, upper case.")
    name = models.CharField(max_length=200, blank=True, help_text="The common name.")
    official_name = models.CharField(max_length=300, blank=True)
    region = models.CharField(max_length=40, blank=True)
    subregion = models.CharField(max_length=80, blank=True)
    population = models.BigIntegerField(null=True, blank=True)
    fetched_at = models.DateTimeField(help_text="When the stored document was fetched (by anybody).")

    class Meta:
        ordering = ["name", "code"]
        indexes = [
            models.Index(fields=["region", "name"], name="country_stored_region_name"),
            models.Index(fields=["population"], name="country_stored_population"),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.code} ({self.code})"

"""Relational data of prices: the weekly reports, the fetch runs, subscriptions and the drop ledger.

``PriceReport`` is one (week, region) price: the whole history, refetching a week changes
nothing. ``PriceFetch`` records each run of ``fetch_prices`` (counts, the reason it failed).
``Subscription`` is a user's email alert (regions, minimum drop) and the SNS subscription that
carries it. ``PriceDrop`` is the ledger of published drops: one row per (week, region), so a
stream redelivery never publishes twice. ``OutboxEmail`` is what the local stand-in of email
delivery received (laptop stages only; empty on Lambda).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core import clock
from prices import regions


class PriceReport(models.Model):
    week = models.DateField(help_text="The Monday the average was published for.")
    region = models.CharField(max_length=regions.SLUG_MAX_LENGTH, choices=regions.CHOICES)
    price = models.DecimalField(max_digits=6, decimal_places=3, help_text="US dollars per gallon.")
    fetched_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-week", "region"]
        constraints = [models.UniqueConstraint(fields=["week", "region"], name="price_report_week_region")]
        indexes = [models.Index(fields=["region", "-week"], name="price_report_region_recent")]

    def __str__(self) -> str:
        return f"{regions.label_of(self.region)} {self.week}: ${self.price}"


class PriceFetch(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    started_at = models.DateTimeField(default=clock.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    backfill = models.PositiveIntegerField(null=True, blank=True, help_text="Weeks asked for, if a backfill.")
    rows_received = models.PositiveIntegerField(default=0)
    reports_created = models.PositiveIntegerField(default=0)
    reports_unchanged = models.PositiveIntegerField(default=0)
    reports_revised = models.PositiveIntegerField(default=0)
    values_skipped = models.PositiveIntegerField(default=0, help_text="Missing or non-numeric prices.")
    hot_items_written = models.PositiveIntegerField(default=0)
    failure = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Fetch {self.pk} ({self.status})"


class Subscription(models.Model):
    """An email address alerted when a chosen region's price drops by at least ``min_drop_cents``.

    One subscription per address (SNS keeps one subscription per topic and endpoint). The SNS side
    has the same regions and minimum as its filter policy, so SNS itself picks the recipients.
    """

    EMAIL_MAX_LENGTH = 254

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="price_subscriptions"
    )
    email = models.EmailField(max_length=EMAIL_MAX_LENGTH, unique=True)
    regions = models.JSONField(default=list, help_text="Region slugs.")
    min_drop_cents = models.PositiveIntegerField(default=1)
    sns_subscription_arn = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.email}: {', '.join(self.regions)} (>= {self.min_drop_cents}¢)"

    @property
    def region_labels(self) -> list[str]:
        return [regions.label_of(region) for region in self.regions]


class PriceDrop(models.Model):
    """One published drop: the ledger that makes the stream handler publish once per week and region."""

    week = models.DateField()
    region = models.CharField(max_length=regions.SLUG_MAX_LENGTH, choices=regions.CHOICES)
    price = models.DecimalField(max_digits=6, decimal_places=3)
    previous_week = models.DateField()
    previous_price = models.DecimalField(max_digits=6, decimal_places=3)
    sns_message_id = models.CharField(max_length=100, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-week", "region"]
        constraints = [models.UniqueConstraint(fields=["week", "region"], name="price_drop_week_region")]

    def __str__(self) -> str:
        return f"{regions.label_of(self.region)} {self.week}: -{self.drop_cents}¢"

    @property
    def drop_cents(self):
        return (self.previous_price - self.price) * 100


class OutboxEmail(models.Model):
    """An email the local stand-in of SNS email delivery received (one per SNS message and address)."""

    sns_message_id = models.CharField(max_length=100)
    to = models.EmailField(max_length=Subscription.EMAIL_MAX_LENGTH)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    region = models.CharField(max_length=regions.SLUG_MAX_LENGTH, blank=True)
    received_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["sns_message_id", "to"], name="outbox_email_once")]

    def __str__(self) -> str:
        return f"To {self.to}: {self.subject}"

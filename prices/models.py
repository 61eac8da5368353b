"""Relational data of prices: the weekly reports, the fetch runs, subscriptions and the drop ledger.

``PriceReport`` is one (week, region) price: the whole history, refetching a week changes
nothing. ``PriceFetch`` records each run of ``fetch_prices`` (counts, the reason it failed).
``Subscription`` is an account's email alert (regions, minimum drop) and the SNS subscription that
carries it. ``PriceDrop`` is the ledger of the drops the stream reported: one row per (week,
region). ``PriceAlert`` is the ledger of alert emails: one per subscription and week, listing every
drop of that week in its regions, so a stream redelivery never emails twice. ``OutboxEmail`` is
what the local stand-in of email delivery received (laptop stages only; empty on Lambda).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

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
        verbose_name_plural = "price fetches"

    def __str__(self) -> str:
        return f"Fetch {self.pk} ({self.status})"


class Subscription(models.Model):
    """An email address alerted when a chosen region's price drops by at least ``min_drop_cents``
    from its previous week, or falls under ``target_price`` (either may be None, not both).

    It belongs to the account: one per address within an account, and another account may
    subscribe the same address (it is never told). SNS keeps one subscription per topic and
    address, so the subscriptions of one address share it (``prices.notify``).
    """

    EMAIL_MAX_LENGTH = 254

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="price_subscriptions"
    )
    email = models.EmailField(max_length=EMAIL_MAX_LENGTH)
    regions = models.JSONField(default=list, help_text="Region slugs.")
    min_drop_cents = models.PositiveIntegerField(
        default=1, null=True, blank=True, help_text="None: no drop alerts."
    )
    target_price = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Email when a region's price falls under this (dollars a gallon); None: no target.",
    )
    sns_subscription_arn = models.CharField(max_length=300, blank=True)
    confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="When SNS was seen to have the address confirmed; None: pending."
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(Lower("email"), "owner", name="subscription_owner_email"),
        ]

    def __str__(self) -> str:
        return f"{self.email}: {', '.join(self.regions)} ({self.alerts_summary})"

    @property
    def alerts_summary(self) -> str:
        """What it emails about, in words: "drops of 5¢ or more; under $3.50"."""
        parts = []
        if self.min_drop_cents is not None:
            parts.append(f"drops of {self.min_drop_cents}¢ or more")
        if self.target_price is not None:
            parts.append(f"under ${self.target_price:.2f}")
        return "; ".join(parts)

    @property
    def confirmation(self) -> str:
        """ "confirmed", or "pending" while SNS waits for the address to follow its confirmation link."""
        return "confirmed" if self.confirmed_at is not None else "pending"

    @property
    def region_labels(self) -> list[str]:
        return [regions.label_of(region) for region in self.regions]


class PriceDrop(models.Model):
    """One drop the stream reported, once per week and region: what the week's alerts list."""

    week = models.DateField()
    region = models.CharField(max_length=regions.SLUG_MAX_LENGTH, choices=regions.CHOICES)
    price = models.DecimalField(max_digits=6, decimal_places=3)
    previous_week = models.DateField()
    previous_price = models.DecimalField(max_digits=6, decimal_places=3)
    recorded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-week", "region"]
        constraints = [models.UniqueConstraint(fields=["week", "region"], name="price_drop_week_region")]

    def __str__(self) -> str:
        return f"{regions.label_of(self.region)} {self.week}: -{self.drop_cents}¢"

    @property
    def drop_cents(self):
        return (self.previous_price - self.price) * 100


class PriceAlert(models.Model):
    """The alert email of one subscription for one week's drops: sent once, however often the
    stream delivers the week's records (the row is locked while publishing)."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="alerts")
    week = models.DateField()
    regions = models.JSONField(default=list, help_text="The regions whose drops the email lists.")
    sns_message_id = models.CharField(max_length=100, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-week", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "week"], name="price_alert_subscription_week")
        ]

    def __str__(self) -> str:
        return f"Alert {self.week} to subscription {self.subscription_id}"


class OutboxEmail(models.Model):
    """An email the local stand-in of SNS email delivery received (one per SNS message and address).

    ``owner`` is the account whose subscription it was sent for (the outbox shows a user only
    theirs); None if that subscription was gone when the outbox read it (staff see those)."""

    sns_message_id = models.CharField(max_length=100)
    to = models.EmailField(max_length=Subscription.EMAIL_MAX_LENGTH)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    received_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["sns_message_id", "to"], name="outbox_email_once")]

    def __str__(self) -> str:
        return f"To {self.to}: {self.subject}"

"""Relational data of the tracker: the orders a user tracks and every stage they reached.

* ``TrackedOrder``: the tracker URL, the phone to text, the stages to text about, the token
  (encrypted with KMS, ``tracker/tokens.py``; erased when tracking ends), where tracking stands
  (active or why it ended) and the latest stage. A poll run leases the orders it works on
  (``lease_id``/``lease_until``), so two overlapping runs never poll the same order.
* ``StatusChange``: one row per stage an order reached, with when the poll saw it (the timeline).
* ``SandboxText``: what the sandbox's Twilio stand-in received (the SMS outbox page of the laptop
  stages; nothing writes it on Lambda).

The latest state also lives in DynamoDB (``tracker/dynamo.py``), with the ledger of texts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core import clock
from tracker import order_stages


class TrackedOrder(models.Model):
    class Tracking(models.TextChoices):
        ACTIVE = "active", "Tracking"
        COMPLETED = "completed", "Completed"
        TOKEN_EXPIRED = "token_expired", "Token expired"
        TOKEN_UNREADABLE = "token_unreadable", "Stopped: the stored token could not be read"
        FAILED = "failed", "Stopped after failed polls"
        TIMED_OUT = "timed_out", "Stopped: tracked for too long"
        STOPPED = "stopped", "Stopped by you"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tracked_orders"
    )
    tracker_url = models.CharField(max_length=order_stages.URL_MAX)
    # The owner's own name for the order ("Friday pizzas"); blank: "Order <cart id>".
    name = models.CharField(max_length=order_stages.NAME_MAX, blank=True, default="")
    cart_id = models.CharField(max_length=30)
    phone = models.CharField(max_length=16, help_text="E.164, e.g. +60123456789.")
    # Comma-separated stage codes to text about, e.g. "DL,CP".
    texted_stages = models.CharField(max_length=200, default=",".join(order_stages.DEFAULT_TEXTED))
    # The token, encrypted by KMS (tracker/tokens.py); None once tracking ended.
    token_ciphertext = models.BinaryField(null=True, blank=True, editable=False)

    tracking = models.CharField(max_length=16, choices=Tracking.choices, default=Tracking.ACTIVE)
    stage = models.CharField(max_length=order_stages.CODE_MAX, blank=True, help_text="The latest stage code.")
    stage_at = models.DateTimeField(null=True, blank=True)
    failed_polls = models.PositiveIntegerField(default=0, help_text="Failed polls in a row.")
    last_error = models.TextField(blank=True, help_text="Why the last poll (or text) failed.")
    last_polled_at = models.DateTimeField(null=True, blank=True)
    polls = models.PositiveIntegerField(default=0)
    # Ledger keys (stage codes, "token-expired", "token-unreadable") of texts still to send or whose
    # send is still in flight: a failed send is retried on the next poll run, a claim older than
    # TRACKER_TEXT_SEND_SECONDS is resolved (the DynamoDB ledger makes sure each is sent once).
    texts_pending = models.CharField(max_length=300, blank=True, default="")
    texts_sent = models.PositiveIntegerField(default=0)

    started_at = models.DateTimeField(default=clock.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    # An ended order its owner put out of "My orders" (it stays, with its timeline, at its own page).
    hidden_at = models.DateTimeField(null=True, blank=True)
    lease_id = models.CharField(max_length=36, blank=True, default="", editable=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-started_at"], name="tracked_order_owner_recent"),
            models.Index(fields=["tracking", "lease_until"], name="tracked_order_pollable"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_tracking_display()})"

    @property
    def is_active(self) -> bool:
        return self.tracking == self.Tracking.ACTIVE

    @property
    def title(self) -> str:
        return self.name or f"Order {self.cart_id}"

    @property
    def stage_label(self) -> str:
        if self.stage:
            return order_stages.label(self.stage)
        return "Waiting for the first answer" if self.is_active else "No stage was seen before tracking ended"

    @property
    def hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def texted_list(self) -> list[str]:
        return [code for code in self.texted_stages.split(",") if code]

    @property
    def pending_list(self) -> list[str]:
        return [key for key in self.texts_pending.split(",") if key]

    @property
    def has_token(self) -> bool:
        return bool(self.token_ciphertext)


class StatusChange(models.Model):
    """A stage the order reached, when a poll first saw it (``previous`` is the stage before)."""

    order = models.ForeignKey(TrackedOrder, on_delete=models.CASCADE, related_name="changes")
    stage = models.CharField(max_length=order_stages.CODE_MAX)
    previous = models.CharField(max_length=order_stages.CODE_MAX, blank=True)
    seen_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["seen_at", "id"]
        indexes = [models.Index(fields=["order", "seen_at"], name="status_change_order_time")]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.previous or '-'} -> {self.stage}"

    @property
    def label(self) -> str:
        return order_stages.label(self.stage)


class SandboxText(models.Model):
    """A text the sandbox's Twilio stand-in accepted (laptop stages only): the SMS outbox."""

    sid = models.CharField(max_length=40, unique=True)
    account_sid = models.CharField(max_length=64)
    to = models.CharField(max_length=32)
    from_number = models.CharField(max_length=32)
    body = models.TextField()
    received_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.sid} to {self.to}"

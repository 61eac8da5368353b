"""core's one table: the laptop's email outbox (core/aws/mail.py)."""

from __future__ import annotations

from django.db import models

from core import clock


class OutboxMessage(models.Model):
    """An email the product sent on a laptop stage (``EMAIL_BACKEND = "core.aws.mail.OutboxBackend"``):
    one row per recipient, shown at /sandbox/core/outbox/. Empty on Lambda, where SES sends them."""

    to = models.EmailField(max_length=254)
    from_email = models.CharField(max_length=254)
    subject = models.CharField(max_length=998)
    body = models.TextField()
    sent_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["to", "-sent_at"], name="outbox_message_to_recent")]

    def __str__(self) -> str:
        return f"To {self.to}: {self.subject}"

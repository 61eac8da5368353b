"""Email per stage (``EMAIL_BACKEND``): the laptop's outbox, Amazon SES on Lambda.

* Laptop stages: :class:`OutboxBackend` stores every message, one row per recipient
  (``core.models.OutboxMessage``), and the outbox page (/sandbox/core/outbox/, core/web/sandbox_urls.py)
  shows them: the password-reset email a person asks for on ``make run`` is read there, offline.
  It is Django's own backend contract (``send_mail``, the auth views' emails), so any app that sends
  email with Django reaches the same outbox.
* Lambda stages: django-ses' ``SESBackend`` (SES API v2), the sender ``DEFAULT_FROM_EMAIL`` and the
  region ``AWS_SES_REGION_NAME`` from settings; the role may send from that sender only
  (core/deploy/iam.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


def _text_of(message: EmailMessage) -> str:
    body = str(message.body)
    alternatives = getattr(message, "alternatives", None)
    if not body and alternatives:
        body = str(alternatives[0][0])
    return body


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from core.models import OutboxMessage

        sent = 0
        for message in email_messages:
            recipients = message.recipients()
            if not recipients:
                continue
            OutboxMessage.objects.bulk_create(
                OutboxMessage(
                    to=address,
                    from_email=message.from_email,
                    subject=str(message.subject),
                    body=_text_of(message),
                )
                for address in recipients
            )
            sent += 1
        return sent


def outbox_list(*, to: str, viewer, limit: int = 50) -> list:
    """The outbox as a mailbox: the newest emails sent to the address ``to`` (case-insensitive);
    staff asking for no address see every email. Laptop stages only."""
    from core.models import OutboxMessage

    messages = OutboxMessage.objects.all()
    if to:
        messages = messages.filter(to__iexact=to.strip())
    elif not getattr(viewer, "is_staff", False):
        return []
    return list(messages[:limit])


def outbox_delete(*, to: str) -> int:
    """Delete the outbox's emails to ``to`` (an account being deleted); how many."""
    from core.models import OutboxMessage

    if not to:
        return 0
    return OutboxMessage.objects.filter(to__iexact=to.strip()).delete()[0]

"""Reads of the tracker, always scoped to the caller: their orders, an order's timeline and texts.

The order and its stage history come from the database; "last checked" comes from the order's hot
item in DynamoDB (one BatchGetItem per page of orders), and the texts from the ledger (one Query
of the order's own partition). DynamoDB being unreachable never breaks a page: those parts are
then left out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Case, QuerySet, Value, When

from core import clock
from tracker.models import SandboxText, StatusChange, TrackedOrder

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

# A text still "sending" this long after its claim was interrupted (a poll run lasts under a minute).
INTERRUPTED_AFTER = timedelta(minutes=10)


def order_list(*, owner: User) -> QuerySet[TrackedOrder]:
    """The owner's orders, newest first."""
    return TrackedOrder.objects.filter(owner=owner).order_by("-started_at", "-id")


def order_list_shown(*, owner: User, hidden: bool = False) -> QuerySet[TrackedOrder]:
    """The owner's orders as "My orders" lists them: those being tracked first, then the ended
    ones, newest first in each; without the ended orders they hid (only those with ``hidden``)."""
    return (
        TrackedOrder.objects.filter(owner=owner, hidden_at__isnull=not hidden)
        .annotate(ended=Case(When(tracking=TrackedOrder.Tracking.ACTIVE, then=Value(0)), default=Value(1)))
        .order_by("ended", "-started_at", "-id")
    )


def order_hidden_count(*, owner: User) -> int:
    return TrackedOrder.objects.filter(owner=owner, hidden_at__isnull=False).count()


def order_get(*, owner: User, pk: int) -> TrackedOrder:
    """One of the owner's orders; ``TrackedOrder.DoesNotExist`` for anybody else's."""
    try:
        return order_list(owner=owner).get(pk=pk)
    except TrackedOrder.DoesNotExist:
        raise TrackedOrder.DoesNotExist("No such order.") from None


def order_changes(*, order: TrackedOrder) -> QuerySet[StatusChange]:
    """The order's timeline, oldest first (one query)."""
    return StatusChange.objects.filter(order=order).order_by("seen_at", "id")


@dataclass(frozen=True)
class Text:
    key: str
    status: str
    body: str
    attempts: int
    claimed_at: datetime
    sent_at: datetime | None
    message_sid: str | None
    error: str | None


def order_texts(*, order: TrackedOrder) -> list[Text]:
    """The texts of the order's ledger, in the order they were first tried."""
    from tracker.dynamo import TextLedgerItem

    try:
        items = list(TextLedgerItem.query(str(order.pk)))
    except Exception:
        logger.exception("The texts of order %s could not be read", order.pk)
        return []
    stale = clock.now() - INTERRUPTED_AFTER
    texts = []
    for item in items:
        status, error = item.status, item.error
        if status == TextLedgerItem.SENDING and item.claimed_at < stale:
            # The run that claimed it died between the claim and recording the answer: Twilio may
            # have sent it, so it is never sent again; say so.
            status, error = TextLedgerItem.UNKNOWN, "The send was interrupted; the text may not have arrived."
        texts.append(
            Text(
                key=item.key,
                status=status,
                body=item.body,
                attempts=int(item.attempts or 1),
                claimed_at=item.claimed_at,
                sent_at=item.sent_at,
                message_sid=item.message_sid,
                error=error,
            )
        )
    return sorted(texts, key=lambda text: text.claimed_at)


def order_checked_at(*, orders: list[TrackedOrder]) -> dict[int, datetime | None]:
    """When each order was last polled, from the hot items (one BatchGetItem per 100 orders)."""
    from tracker.dynamo import OrderStateItem

    found: dict[int, datetime | None] = {order.pk: order.last_polled_at for order in orders}
    if not orders:
        return found
    try:
        for item in OrderStateItem.batch_get([str(order.pk) for order in orders]):
            found[int(item.order_id)] = item.polled_at
    except Exception:
        logger.exception("The latest state of %d orders could not be read", len(orders))
    return found


OUTBOX_ORDERS = 200  # the newest orders whose texts the local outbox shows a user


def sandbox_text_list(*, viewer: User) -> QuerySet[SandboxText]:
    """The local SMS outbox (laptop stages) as ``viewer`` may see it: staff every text; anybody
    else the texts the product sent for their own orders, matched by the message SIDs of their
    orders' text ledgers (one Query per order: never by phone number, which anybody can type)."""
    texts = SandboxText.objects.order_by("-received_at", "-id")
    if viewer.is_staff:
        return texts
    from tracker.dynamo import TextLedgerItem

    sids = set()
    for order_id in order_list(owner=viewer).values_list("pk", flat=True)[:OUTBOX_ORDERS]:
        for item in TextLedgerItem.query(str(order_id), attributes_to_get=["message_sid"]):
            if item.message_sid:
                sids.add(item.message_sid)
    return texts.filter(sid__in=sids)

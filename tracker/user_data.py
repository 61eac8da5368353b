"""What the tracker keeps of a user, for "Export my data" and "Delete my account": their tracked
orders (with the encrypted token) and stage history, each order's state and text ledger in DynamoDB,
and on the laptop the texts the sandbox's Twilio received for those orders."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q

from tracker.models import SandboxText, StatusChange, TrackedOrder


def user_data_export(*, user: Any) -> dict[str, Any]:
    from tracker.dynamo import TextLedgerItem

    orders = list(TrackedOrder.objects.filter(owner=user).order_by("started_at", "id"))
    changes: dict[int, list[dict[str, Any]]] = {}
    for change in StatusChange.objects.filter(order__owner=user).order_by("seen_at", "id"):
        changes.setdefault(change.order_id, []).append(
            {"stage": change.stage, "previous": change.previous, "seen_at": change.seen_at}
        )
    return {
        "orders": [
            {
                "id": order.pk,
                "tracker_url": order.tracker_url,
                "name": order.name,
                "phone": order.phone,
                "texted_stages": order.texted_list,
                "tracking": order.tracking,
                "stage": order.stage,
                "started_at": order.started_at,
                "ended_at": order.ended_at,
                # The token itself is never exported: it is the tracker's credential (encrypted here).
                "has_token": order.has_token,
                "stages": changes.get(order.pk, []),
                "texts": [
                    {"key": item.key, "status": item.status, "body": item.body, "sent_at": item.sent_at}
                    for item in TextLedgerItem.query(str(order.pk), consistent_read=True)
                ],
            }
            for order in orders
        ]
    }


def user_data_delete(*, user: Any) -> str:
    """Stop every order (no poll writes its state again), delete the DynamoDB items, then the rows
    (tokens with them). Run again after a failure, it finds what is left."""
    from tracker.dynamo import OrderStateItem, TextLedgerItem

    ids = list(TrackedOrder.objects.filter(owner=user).values_list("pk", flat=True))
    TrackedOrder.objects.filter(pk__in=ids).update(
        tracking=TrackedOrder.Tracking.STOPPED, token_ciphertext=None, lease_id="", lease_until=None
    )
    ledger = [item for pk in ids for item in TextLedgerItem.query(str(pk), consistent_read=True)]
    sids = [item.message_sid for item in ledger if item.message_sid]
    with TextLedgerItem.batch_write() as batch:
        for item in ledger:
            batch.delete(item)
    with OrderStateItem.batch_write() as batch:
        for pk in ids:
            batch.delete(OrderStateItem(str(pk)))
    with transaction.atomic():
        SandboxText.objects.filter(sid__in=sids).delete()
        deleted = TrackedOrder.objects.filter(pk__in=ids).delete()[0]
    return f"{len(ids)} orders ({deleted} rows), {len(ledger)} texts"


def sandbox_texts_forget(*, texts: list[tuple[str, str]]) -> int:
    """Delete, in one query, the SMS outbox's copies (the laptop's Twilio stand-in) of texts another app
    sent, each ``(to, body_prefix)`` (routines' reminders, for "Delete my account"); none exist on Lambda."""
    wanted = Q()
    for to, body_prefix in texts:
        wanted |= Q(to=to, body__startswith=body_prefix)
    return SandboxText.objects.filter(wanted).delete()[0] if texts else 0

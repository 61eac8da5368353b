"""What prices keeps of a user, for "Export my data" and "Delete my account": their alert
subscriptions (and SNS's subscription of each address no other account shares), the alerts sent
for them, and on the laptop the emails of the local outbox. Prices themselves are public data."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from prices import notify
from prices.models import OutboxEmail, PriceAlert, Subscription


def user_data_export(*, user: Any) -> dict[str, Any]:
    subscriptions = list(Subscription.objects.filter(owner=user).order_by("created_at", "id"))
    alerts: dict[int, list[dict[str, Any]]] = {}
    for alert in PriceAlert.objects.filter(subscription__owner=user).order_by("week", "id"):
        alerts.setdefault(alert.subscription_id, []).append(
            {"week": alert.week, "regions": alert.regions, "sent_at": alert.sent_at}
        )
    return {
        "subscriptions": [
            {
                "id": subscription.pk,
                "email": subscription.email,
                "regions": subscription.regions,
                "min_drop_cents": subscription.min_drop_cents,
                "target_price": subscription.target_price,
                "confirmation": subscription.confirmation,
                "created_at": subscription.created_at,
                "alerts": alerts.get(subscription.pk, []),
            }
            for subscription in subscriptions
        ]
    }


def user_data_delete(*, user: Any) -> str:
    """Each subscription as its owner removing it would (SNS's subscription of the address goes with
    the last product subscription of that address), then the outbox's emails sent for them."""
    removed = 0
    for pk in Subscription.objects.filter(owner=user).values_list("pk", flat=True):
        with transaction.atomic():
            subscription = Subscription.objects.select_for_update().filter(pk=pk).first()
            if subscription is None:
                continue
            shared = Subscription.objects.filter(email__iexact=subscription.email).exclude(pk=pk).exists()
            if not shared:
                notify.unsubscribe(subscription.sns_subscription_arn)
            subscription.delete()
            removed += 1
    emails = OutboxEmail.objects.filter(owner=user).delete()[0]
    return f"{removed} subscriptions, {emails} outbox emails"

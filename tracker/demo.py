"""Sample data for ``manage.py load_demo``: two sandbox orders for the demo user.

One walks through every stage in ``TRACKER_SANDBOX_WALK_SECONDS`` (four minutes by default: the
event runner's poll every minute shows it advance and the texts arrive in the outbox), one whose
token expires after the first stage. Only on the laptop stages (the sandbox exists only there).
Loading it again stops the demo user's earlier active orders first.
"""

from __future__ import annotations

from django.conf import settings

from tracker import services, stages
from tracker.models import TrackedOrder
from tracker.sandbox import carts

DEMO_PHONE = "+60123456789"


def load_demo(*, user) -> str:
    if not settings.ON_LAPTOP:
        return "No demo orders: the sandbox tracker exists only on the laptop stages."
    # The embedded emulator's KMS key is new at each start: earlier demo orders' tokens cannot be read
    # any more, so they are stopped and two fresh ones added.
    earlier = list(TrackedOrder.objects.filter(owner=user, tracking=TrackedOrder.Tracking.ACTIVE))
    for order in earlier:
        services.order_stop(owner=user, pk=order.pk)
    base = stages.sandbox_tracker_base()
    made = []
    for mode, texted in ((carts.NORMAL, stages.TEXTABLE), (carts.EXPIRES, stages.DEFAULT_TEXTED)):
        cart = carts.cart_new(walk_seconds=max(settings.TRACKER_SANDBOX_WALK_SECONDS, 60), mode=mode)
        order = services.order_create(
            owner=user,
            tracker_url=f"{base}{stages.CART_PATH}{cart.cart_id}",
            token=carts.token_new(),
            phone=DEMO_PHONE,
            texted_stages=texted,
        )
        made.append(order.cart_id)
    stopped = f"stopped {len(earlier)} earlier; " if earlier else ""
    return f"Tracking {len(made)} sandbox orders ({stopped}{', '.join(made)}); texts arrive at /sandbox/tracker/outbox/."

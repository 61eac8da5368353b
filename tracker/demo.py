"""Sample data for ``manage.py load_demo``: two sandbox orders for the demo user.

One walks through every stage in ``TRACKER_SANDBOX_WALK_SECONDS`` (four minutes by default: the
event runner's poll every minute shows it advance and the texts arrive in the outbox), one whose
token expires after the first stage. Only on the laptop stages (the sandbox exists only there).
Loading it again stops the demo user's earlier active orders first.
"""

from __future__ import annotations

from django.conf import settings

from tracker import order_stages, services
from tracker.models import TrackedOrder
from tracker.sandbox import carts

DEMO_PHONE = "+60123456789"


def load_demo(*, user) -> str:
    if not settings.ON_LAPTOP:
        return "No demo orders: the sandbox tracker exists only on the laptop order_stages."
    # The embedded emulator keeps its KMS key across restarts (core/local/moto_server.py): orders
    # still tracked go on with their stored tokens, and new demo orders come only when none is.
    still = TrackedOrder.objects.filter(
        owner=user, tracking=TrackedOrder.Tracking.ACTIVE, phone=DEMO_PHONE
    ).count()
    if still:
        return f"{still} sandbox orders still tracked; texts arrive at /sandbox/tracker/outbox/."
    base = order_stages.sandbox_tracker_base()
    made = []
    for mode, texted in ((carts.NORMAL, order_stages.TEXTABLE), (carts.EXPIRES, order_stages.DEFAULT_TEXTED)):
        cart = carts.cart_new(walk_seconds=max(settings.TRACKER_SANDBOX_WALK_SECONDS, 60), mode=mode)
        order = services.order_create(
            owner=user,
            tracker_url=f"{base}{order_stages.CART_PATH}{cart.cart_id}",
            token=carts.token_new(),
            phone=DEMO_PHONE,
            texted_stages=texted,
        )
        made.append(order.cart_id)
    return (
        f"Tracking {len(made)} sandbox orders ({', '.join(made)}); texts arrive at /sandbox/tracker/outbox/."
    )

"""Tracker objects for tests: sandbox carts, orders added through the service (tokens encrypted)."""

from __future__ import annotations

from tracker import order_stages, services
from tracker.sandbox import carts

ALICE_PHONE = "+60123456789"
BOB_PHONE = "+60198765432"
TOKEN = "Bearer eyJhbGciOiJIUzI1NiJ9.alice-token-1f2e3d"


def cart_url(base: str, *, mode: int = carts.NORMAL, walk: int = 300) -> str:
    cart = carts.cart_new(walk_seconds=walk, mode=mode)
    return f"{base}{order_stages.CART_PATH}{cart.cart_id}"


def order_for(owner, url: str, *, phone: str = ALICE_PHONE, token: str = TOKEN, texted=None):
    return services.order_create(owner=owner, tracker_url=url, token=token, phone=phone, texted_stages=texted)

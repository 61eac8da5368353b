"""The sandbox's Domino's orders: stateless, everything the stand-in needs is in the cart id.

A sandbox cart id is 15 digits: when the order was placed (Unix seconds, 10 digits), how many
seconds it takes from placed to completed (4 digits) and how the tracker behaves (1 digit, MODES).
So any number of processes (runserver's, the event runner's, the tests' live server) answer the
same for the same URL, and nothing is stored. The order walks through ``WALK`` in equal steps:
``PC`` (in progress), ``BK`` (a code the product does not know: it is kept and shown verbatim),
``DL`` (out for delivery), ``CP`` (completed).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from core import clock

WALK = ["PC", "BK", "DL", "CP"]
NORMAL, FAILS, HANGS, EXPIRES, HTML, NO_STATUS = range(6)
MODES = {
    NORMAL: "walks through every stage",
    FAILS: "answers 500 every time",
    HANGS: "never answers in time",
    EXPIRES: "refuses the token (401) once the order is out of the first stage",
    HTML: "answers an HTML page, not JSON",
    NO_STATUS: "answers JSON without a Status",
}
WALK_RANGE = range(4, 10000)
CART_DIGITS = 15


@dataclass(frozen=True)
class Cart:
    placed: int
    walk_seconds: int
    mode: int

    @property
    def cart_id(self) -> str:
        return f"{self.placed:010d}{self.walk_seconds:04d}{self.mode}"

    def stage_index(self, at: datetime | None = None) -> int:
        elapsed = (at or clock.now()).timestamp() - self.placed
        step = self.walk_seconds / (len(WALK) - 1)
        return max(0, min(len(WALK) - 1, int(elapsed // step)))

    def stage(self, at: datetime | None = None) -> str:
        return WALK[self.stage_index(at)]


def cart_new(*, walk_seconds: int, mode: int = NORMAL, at: datetime | None = None) -> Cart:
    if walk_seconds not in WALK_RANGE or mode not in MODES:
        raise ValueError("walk_seconds is 4-9999 and mode one of MODES.")
    return Cart(placed=int((at or clock.now()).timestamp()), walk_seconds=walk_seconds, mode=mode)


def cart_parse(cart_id: str) -> Cart | None:
    if len(cart_id) != CART_DIGITS or not cart_id.isdigit():
        return None
    cart = Cart(placed=int(cart_id[:10]), walk_seconds=int(cart_id[10:14]), mode=int(cart_id[14]))
    if cart.walk_seconds not in WALK_RANGE or cart.mode not in MODES:
        return None
    return cart


def token_new() -> str:
    """A token shaped like the browser's: ``Bearer`` and a random text."""
    return f"Bearer sandbox.{secrets.token_urlsafe(24)}"


def placed_at(cart: Cart) -> datetime:
    return datetime.fromtimestamp(cart.placed, tz=UTC)

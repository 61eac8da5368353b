"""The tracker in flight: an order mid-walk, polled every (short) minute, texted at DL and CP.

After the kill and the restart the order must go on being tracked with its stored token (the
emulator keeps its KMS key), reach completed, and its phone must have exactly one text for each of
DL and CP that a poll saw (both, unless the restart outlasted the DL minute); no
order of the demo user may have ended because its token could no longer be read.
"""

from __future__ import annotations

import os

import requests

from tests.recovery import RecoveryCase, World

PHONE = "+60111111119"
# PC 0-19 s, BK 20-39 s, DL 40-59 s, CP from 60 s: longer than a restart takes on a busy 2-core machine
# (30 s was not). The trial (bench/recovery_trial.py) walks 4 minutes: its polls come every real minute.
WALK = int(os.environ.get("RECOVERY_ORDER_WALK", "60"))
SANDBOX_TWILIO = ("AC00000000000000000000000000sandbox", "sandbox-auth-token")


def _start(world: World) -> dict:
    from tracker import order_stages
    from tracker.sandbox import carts

    cart = carts.cart_new(walk_seconds=WALK)
    url = f"{world.base}/sandbox/tracker{order_stages.CART_PATH}{cart.cart_id}"
    answer = world.api.post(
        world.base + "/api/orders/",
        json={"tracker_url": url, "token": "Bearer sandbox.recovery-gate", "phone": PHONE},
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    return {"order": answer.json()["id"], "cart": cart.cart_id}


def _order(world: World, handle: dict) -> dict:
    return world.api.get(f"{world.base}/api/orders/{handle['order']}/", timeout=30).json()


def _texts(world: World) -> list[str]:
    sid, secret = SANDBOX_TWILIO
    answer = requests.get(
        f"{world.base}/sandbox/tracker/twilio/2010-04-01/Accounts/{sid}/Messages.json",
        params={"To": PHONE, "PageSize": 100},
        auth=(sid, secret),
        timeout=30,
    )
    return sorted(message["body"] for message in answer.json()["messages"])


def _finished(world: World, handle: dict) -> bool:
    order = _order(world, handle)
    return order["tracking"] != "active" and not order["texts_pending"]


TEXTS = {"DL": "Out for delivery (DL)", "CP": "Completed (CP)"}


def _check(world: World, handle: dict) -> None:
    order = _order(world, handle)
    assert (order["tracking"], order["stage"]) == ("completed", "CP"), order
    # One text per texted stage a poll saw, none twice, none lost. Which stages a poll sees depends on
    # how long the restart took: on a machine busy enough that it outlasted the walk's DL minute, the
    # first poll after it finds CP, and DL is (rightly) never texted.
    timeline = world.api.get(f"{world.base}/api/orders/{handle['order']}/stages/", timeout=30).json()
    seen = [change["stage"] for change in timeline["stages"] if change["stage"] in TEXTS]
    assert "CP" in seen, timeline
    cart = handle["cart"]
    assert _texts(world) == sorted(f"Domino's order {cart}: {TEXTS[stage]}." for stage in seen)
    assert order["texts_sent"] == len(seen), order
    every = world.api.get(world.base + "/api/orders/", timeout=30).json()
    orders = every["results"] if isinstance(every, dict) else every
    ended_badly = [o for o in orders if o["tracking"] in ("token_expired", "token_unreadable", "failed")]
    assert not ended_badly, ended_badly


RECOVERY = RecoveryCase(
    start=_start,
    finished=_finished,
    check=_check,
    # The demo's own orders walk slowly, so its order whose token expires after the first stage (by
    # design) is still in that stage when the gate ends: any order ended badly then is the restart's doing.
    env={"TRACKER_MAX_ACTIVE_ORDERS": "20", "TRACKER_SANDBOX_WALK_SECONDS": "1200"},
    deadlines={"TRACKER_TEXT_SEND_SECONDS": "5"},
)

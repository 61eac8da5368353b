"""Routines in flight: taps acknowledged as DynamoDB writes, archived to the database by the stream.

Killed mid-burst, every tap that got its 200 must be there after the restart (the emulator's
journal) and the archive must catch up with it (the stream is replayed and the handler is
idempotent). A tap whose answer never came may be either way.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import requests

from tests.recovery import RecoveryCase, World


def _archived(world: World, routine: int, day: str) -> list[int] | None:
    with sqlite3.connect(world.database) as db:
        row = db.execute(
            "SELECT checked_item_ids FROM routines_routineday WHERE routine_id = ? AND date = ?",
            (routine, day),
        ).fetchone()
    return sorted(json.loads(row[0])) if row else None


def _start(world: World) -> dict:
    zone = world.api.get(world.base + "/api/me/", timeout=30).json()["time_zone"]
    today = datetime.now(ZoneInfo(zone)).date().isoformat()
    routine = world.api.get(world.base + "/api/routines/?name=Morning", timeout=30).json()["results"][0]
    items = [item["id"] for item in routine["items"]]
    day_url = f"{world.base}/api/routines/{routine['id']}/days/{today}/"
    # Per item: the last state the server acknowledged, and the one in flight when it died.
    handle = {
        "routine": routine["id"],
        "today": today,
        "day_url": day_url,
        "acked": dict.fromkeys(items),
        "in_flight": dict.fromkeys(items),
        "count": 0,
    }

    def burst(item: int) -> None:
        done = True
        with requests.Session() as own:
            own.cookies.update(world.api.cookies)
            own.headers.update(world.api.headers)
            while True:
                handle["in_flight"][item] = done
                try:
                    response = own.post(day_url + "toggle/", json={"item": item, "done": done}, timeout=30)
                except requests.RequestException:
                    return  # the server was killed
                if response.status_code == 200:
                    handle["acked"][item], handle["in_flight"][item] = done, None
                    handle["count"] += 1
                done = not done

    for item in items:
        threading.Thread(target=burst, args=(item,), daemon=True).start()
    return handle


def _checked(world: World, handle: dict) -> list[int]:
    return sorted(world.api.get(handle["day_url"], timeout=30).json()["checked"])


def _finished(world: World, handle: dict) -> bool:
    return _archived(world, handle["routine"], handle["today"]) == _checked(world, handle)


def _check(world: World, handle: dict) -> None:
    assert handle["count"] > 5, "the burst hardly ran before the kill"
    checked = set(_checked(world, handle))
    for item, acked in handle["acked"].items():
        possible = {acked, handle["in_flight"][item]} - {None} or {False}
        assert (item in checked) in possible, f"item {item}: acknowledged {acked}, now {item in checked}"
    assert _archived(world, handle["routine"], handle["today"]) == sorted(checked)


RECOVERY = RecoveryCase(
    start=_start, finished=_finished, check=_check, env={"THROTTLE_WRITE_RATE": "100000/min"}
)

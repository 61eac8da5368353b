"""Countries in flight: twenty fetches queued at once, the stand-in answering slowly.

After the kill and the restart every request must end done (each country's document stored) or
failed with a reason; none may stay queued or fetching, and none is fetched successfully twice.
"""

from __future__ import annotations

import os

from tests.recovery import RecoveryCase, World

COUNT = int(os.environ.get("RECOVERY_FETCHES", "20"))  # the trial (bench/recovery_trial.py) queues 40


def _codes() -> list[str]:
    from countries.sandbox.data import codes

    return [code for code in codes() if code not in ("PY", "BR", "CO")][:COUNT]  # not the demo's


def _start(world: World) -> dict:
    for code in _codes():
        answer = world.api.get(f"{world.base}/fetch-data/{code}/", timeout=30)
        assert answer.status_code == 202, answer.text
    return {"codes": _codes()}


def _requests(world: World, handle: dict) -> list[dict]:
    found, url = [], f"{world.base}/api/country-fetches/"
    while url:
        page = world.api.get(url, timeout=30).json()
        found += page["results"] if isinstance(page, dict) else page
        url = page.get("next") if isinstance(page, dict) else None
    return [request for request in found if request["code"] in handle["codes"]]


def _finished(world: World, handle: dict) -> bool:
    requests = _requests(world, handle)
    return len(requests) == COUNT and all(request["finished"] for request in requests)


def _check(world: World, handle: dict) -> None:
    requests = _requests(world, handle)
    assert sorted(request["code"] for request in requests) == sorted(handle["codes"])
    for request in requests:
        assert request["status"] == "done" or request["failure"], request
        assert sum(1 for attempt in request["attempts"] if attempt["success"]) <= 1, request
    done = [request["code"] for request in requests if request["status"] == "done"]
    assert len(done) == COUNT, f"only {done} were fetched"
    for code in done:
        assert world.api.get(f"{world.base}/view-data/{code}/", timeout=30).status_code == 200
    # ... and each is in the list of stored countries (its StoredCountry row was written with it).
    listed = world.api.get(f"{world.base}/api/countries/stored/?page_size=100", timeout=30).json()
    assert set(done) <= {country["code"] for country in listed["results"]}, listed


RECOVERY = RecoveryCase(
    start=_start,
    finished=_finished,
    check=_check,
    env={
        "REST_COUNTRIES_BASE_URL": "{base}/sandbox/countries/slow/300",
        "COUNTRIES_CODE_RATE": "1000/min",
        "COUNTRIES_CLIENT_RATE": "1000/min",
    },
    deadlines={"COUNTRIES_QUEUED_SECONDS": "6", "COUNTRIES_CLAIM_SECONDS": "4", "COUNTRIES_MAX_SENDS": "20"},
)

"""The scraper in flight: a 4,000-row scrape, killed while its rows are sent or stored.

After the kill and the restart the run must finish with counts that add up: every row sent is
stored (the stream's records survive in the emulator, the consumer counts each once), and the
table and its relational listing (the movie list's count) hold each movie once.
"""

from __future__ import annotations

from tests.recovery import RecoveryCase, World

ROWS = 4000


def _start(world: World) -> dict:
    answer = world.api.post(
        world.base + "/api/scrapes/",
        json={"url": f"{world.base}/sandbox/scraper/movies/?rows={ROWS}"},
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    return {"run": answer.json()["id"]}


def _run(world: World, handle: dict) -> dict:
    return world.api.get(f"{world.base}/api/scrapes/{handle['run']}/", timeout=30).json()


def _finished(world: World, handle: dict) -> bool:
    return _run(world, handle)["status"] in ("done", "failed")


def _check(world: World, handle: dict) -> None:
    run = _run(world, handle)
    assert run["status"] == "done", run
    assert run["rows_seen"] == ROWS, run
    assert run["rows_sent"] + run["rows_unsent"] + run["rows_duplicate"] == run["rows_seen"], run
    assert run["rows_stored"] + run["rows_rejected"] == run["rows_sent"], run
    assert run["rows_stored"] == ROWS, run
    # The relational listing holds each movie once (the demo's sample page has the same first ids).
    listed = world.api.get(f"{world.base}/api/movies/?page_size=1", timeout=30).json()["count"]
    assert listed == ROWS, listed


RECOVERY = RecoveryCase(
    start=_start,
    finished=_finished,
    check=_check,
    deadlines={
        "SCRAPER_QUEUED_SECONDS": "6",
        "SCRAPER_RUNNING_SECONDS": "6",
        "SCRAPER_STORING_SECONDS": "20",
        "SCRAPER_MAX_RESTARTS": "5",
    },
)

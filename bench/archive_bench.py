"""Benchmark of the routines archive: taps per second, what the emulator's journal costs a tap, and
how fast the local event runner archives the routine-days stream into the database.

In-process, against the embedded emulator (core.local.moto_server, as tests/settings.py starts it)
and a throwaway SQLite file (or DATABASE_URL as given: point it at a scratch database).

1. Tap cost: the same ``routine_day_toggle`` taps sent to the emulator without a journal, with the
   journal (``LOCAL_AWS_JOURNAL``, the ``make run`` default) and with ``LOCAL_AWS_JOURNAL_FSYNC``.
2. Archive: the local runner (``core.local.runner.EventRunner``, the routine-days source only) is
   started on a stream holding (a) the taps of step 1 (many versions of few days) and (b)
   ``--days`` items each a different day (the worst case: every record a row to write); records/s
   is records handled / wall time from the first tick until the stream is caught up.

    .venv/bin/python bench/archive_bench.py [--taps 600] [--days 3000]

Prints a Markdown table for bench/README.md.
"""

from __future__ import annotations

import argparse
import io
import os
import socket
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taps", type=int, default=600, help="taps per journal mode")
    parser.add_argument("--days", type=int, default=3000, help="distinct day items for the worst case")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="archive-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection

    import core.local.runner
    from accounts.services import user_create
    from core.aws import client, reset_clients
    from core.clock import user_today
    from core.contract.registry import event_sources
    from core.deploy.provisioning import aws_provision
    from core.local.moto_server import EmbeddedMotoServer
    from routines.dynamo import RoutineDayItem
    from routines.models import RoutineDay
    from routines.services import routine_create, routine_day_toggle
    from tests.zappa_state import zappa_state_restored

    call_command("migrate", verbosity=0)
    aws_provision()
    user = user_create(username=f"bench{int(time.time())}", password="bench-Pass-2026!", time_zone="UTC")
    today = user_today(user=user)
    routines = [
        routine_create(owner=user, name=f"Routine {n}", items=[f"Item {k}" for k in range(10)])
        for n in range(20)
    ]
    items = [(r.pk, i.pk) for r in routines for i in r.items.all()]

    # 1. What a tap costs, per journal mode (a second server on the same in-process moto backend).
    rows = []
    flip = [False]
    for label, journal, fsync in (
        ("no journal", None, False),
        ("journal (make run default)", tmp / "bench.aws-journal", False),
        ("journal + fsync", tmp / "bench-fsync.aws-journal", True),
    ):
        server = EmbeddedMotoServer(port=_free_port(), journal=journal, fsync=fsync)
        server.start()
        os.environ["AWS_ENDPOINT_URL"] = f"http://127.0.0.1:{server.port}"
        reset_clients()
        timings = []
        for n in range(args.taps):
            routine_id, item_id = items[n % len(items)]
            flip[0] = not flip[0] if n % len(items) == 0 else flip[0]
            started = time.perf_counter()
            routine_day_toggle(owner=user, routine_id=routine_id, item_id=item_id, day=today, done=flip[0])
            timings.append((time.perf_counter() - started) * 1000)
        server.stop()
        rows.append(
            (
                f"tap (`routine_day_toggle`), {label}",
                f"{statistics.median(timings):.2f} ms median, {sorted(timings)[int(len(timings) * 0.95)]:.2f} ms p95",
                f"{args.taps / (sum(timings) / 1000):.0f} taps/s (one client)",
            )
        )
    connection.close()

    # 2. Archive: the runner on the stream, first the taps above, then distinct days.
    def archive(expected_label: str) -> None:
        source = [s for s in event_sources() if s.function == "routines.events.archive_days"]
        core.local.runner.event_sources = lambda: list(source)
        with zappa_state_restored():
            runner = core.local.runner.EventRunner(stage="dev", stdout=io.StringIO())
            client("dynamodb"), client("dynamodbstreams")  # built once per process, not per tick
            started = time.perf_counter()
            while runner.tick() > 0:
                pass
            elapsed = time.perf_counter() - started
        rows.append(
            (
                f"archive: {expected_label}",
                f"{runner.delivered} records in {elapsed:.2f} s ({RoutineDay.objects.count()} rows)",
                f"{runner.delivered / elapsed:.0f} records/s",
            )
        )

    import tests.settings

    os.environ["AWS_ENDPOINT_URL"] = f"http://127.0.0.1:{tests.settings._port}"
    reset_clients()
    archive(f"{3 * args.taps} taps on {len(routines)} routines, today")
    with RoutineDayItem.batch_write() as batch:
        start = date(2020, 1, 1)
        for n in range(args.days):
            routine_id, _ = items[(n % len(routines)) * 10]
            batch.save(
                RoutineDayItem(
                    RoutineDayItem.key(owner_id=user.pk, routine_id=routine_id),
                    (start + timedelta(days=n // len(routines))).isoformat(),
                    checked={float(items[0][1])},
                    total=10,
                    version=1,
                )
            )
    archive(f"the same stream from its start plus {args.days} records each a different day")

    print("| what | measured | rate |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()

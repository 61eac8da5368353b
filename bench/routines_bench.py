"""Benchmark of the routines hot pages: queries per request and median latency.

A user with 50 routines of 20 items (some ticked today); measured in-process through Django's test
client with the full middleware stack, sessions in DynamoDB and the day state on an embedded moto
server (the same one the test suite uses), against a throwaway SQLite file, or DATABASE_URL as given
(point it at a scratch database: the script migrates it; its user is deleted at the end).

    .venv/bin/python bench/routines_bench.py [--routines 50] [--items 20] [--runs 50]

Prints a Markdown table for bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--routines", type=int, default=50)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="routines-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    # tests.settings: STAGE=test, a moto server on a free loopback port, fast password hashing.
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from accounts.services import user_create
    from core.clock import user_today
    from core.deploy.provisioning import aws_provision
    from routines.services import routine_create, routine_day_toggle

    call_command("migrate", verbosity=0)
    aws_provision()
    user = user_create(
        username=f"bench{int(time.time())}", password="bench-Pass-2026!", time_zone="Europe/Paris"
    )
    today = user_today(user=user)
    routines = [
        routine_create(owner=user, name=f"Routine {n}", items=[f"Item {k}" for k in range(args.items)])
        for n in range(args.routines)
    ]
    for routine in routines[::2]:
        for item in list(routine.items.all())[:5]:
            routine_day_toggle(owner=user, routine_id=routine.pk, item_id=item.pk, day=today, done=True)

    client = Client()
    client.force_login(user)
    target = routines[-1]
    target_item = target.items.first().pk
    toggle_url = f"/api/routines/{target.pk}/days/{today.isoformat()}/toggle/"
    flip = {"value": True}

    def toggle():
        flip["value"] = not flip["value"]
        return client.post(
            toggle_url, {"item": target_item, "done": flip["value"]}, content_type="application/json"
        )

    cases = [
        ("Today page `GET /routines/`", lambda: client.get("/routines/")),
        ("`GET /api/routines/` (first page: 20 routines with items)", lambda: client.get("/api/routines/")),
        (
            "`GET /api/routines/{id}/history/` (30 days)",
            lambda: client.get(f"/api/routines/{target.pk}/history/"),
        ),
        ("`POST .../days/{date}/toggle/` (the tap)", toggle),
    ]
    print(
        f"{args.routines} routines x {args.items} items, {args.runs} runs each after 5 warm-up, "
        f"database {connection.vendor}, DynamoDB on moto (loopback HTTP)\n"
    )
    print("| request | SQL queries | median ms | p90 ms |")
    print("|---|---|---|---|")
    for label, call in cases:
        for _ in range(5):
            response = call()
            assert response.status_code == 200, (label, response.status_code)
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        # Counted at the cursor: Django resets connection.queries at every request start.
        with connection.execute_wrapper(count):
            call()
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            call()
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        p90 = timings[int(len(timings) * 0.9) - 1]
        print(f"| {label} | {len(queries)} | {statistics.median(timings):.1f} | {p90:.1f} |")
    user.delete()


if __name__ == "__main__":
    main()

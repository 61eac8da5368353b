"""Benchmark of prices: fetch_prices and the /prices/ page with 10 and with 10,000 stored weeks.

For each history size: N weeks x 17 regions of reports in a throwaway SQLite file (or DATABASE_URL),
then one ``fetch_prices`` run whose upstream answer is one new week (the weekly case; the HTTP call
is replaced by that answer so the figures are the product's own work), counting database queries at
the cursor and DynamoDB calls on the latest-price table's botocore client (the embedded moto server,
as in the test suite); then the /prices/ page through Django's test client (full middleware,
sessions in DynamoDB), queries and median latency over ``--runs`` requests.

    .venv/bin/python bench/prices_bench.py [--weeks 10 10000] [--runs 20]

Prints a Markdown table for bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, nargs="+", default=[10, 10_000])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--verbose", action="store_true", help="Print each query of the page with its time.")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="prices-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"  # STAGE=test, moto on a free port
    import django

    django.setup()

    from contextlib import contextmanager

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from accounts.services import user_create
    from core.deploy.provisioning import aws_provision
    from prices import clients, regions, services
    from prices.dynamo import LatestPriceItem
    from prices.models import PriceFetch, PriceReport

    call_command("migrate", verbosity=0)
    aws_provision()
    user = user_create(username=f"bench{int(time.time())}", password="bench-Pass-2026!")
    browser = Client()
    browser.force_login(user)

    dynamo_calls: list[str] = []
    botocore_client = LatestPriceItem._get_connection().connection.client
    botocore_client.meta.events.register(
        "before-call.dynamodb", lambda model, **kwargs: dynamo_calls.append(model.name)
    )

    @contextmanager
    def counted():
        """SQL statements counted at the cursor (the test client resets connection.queries)."""
        seen: list[str] = []

        def count(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                seen.append((sql, (time.perf_counter() - started) * 1000))

        with connection.execute_wrapper(count):
            yield seen

    rows = []
    for weeks in args.weeks:
        PriceReport.objects.all().delete()
        PriceFetch.objects.all().delete()
        LatestPriceItem.delete_table() if LatestPriceItem.exists() else None
        aws_provision()
        first = date(2026, 11, 23) - timedelta(weeks=weeks - 1)
        PriceReport.objects.bulk_create(
            [
                PriceReport(
                    week=first + timedelta(weeks=n),
                    region=region,
                    price=Decimal("3.000") + Decimal((n * 7 + k) % 90) / 100,
                )
                for n in range(weeks)
                for k, region in enumerate(regions.REGIONS)
            ],
            batch_size=2000,
        )
        services.latest_prices_sync()
        new_week = first + timedelta(weeks=weeks)
        answer = [
            {"date": f"{new_week.isoformat()}T00:00:00.000"}
            | {regions.field_of(region): "2.99" for region in regions.REGIONS}
        ]
        clients.price_rows_fetch = lambda *, after, limit, offset=0, answer=answer: answer  # type: ignore[assignment]

        dynamo_calls.clear()
        started = time.perf_counter()
        with counted() as fetch_queries:
            fetch = services.price_fetch_run()
        fetch_ms = (time.perf_counter() - started) * 1000
        fetch_dynamo = len(dynamo_calls)
        summary = services.price_fetch_summary(fetch)
        assert fetch.reports_created == 17, summary
        assert fetch.hot_items_written == 17, summary

        browser.get("/prices/")  # warm-up
        with counted() as page_queries:
            response = browser.get("/prices/?region=nassau")
        assert response.status_code == 200
        if args.verbose:
            for sql, ms in page_queries:
                print(f"  {ms:7.1f} ms  {sql[:150]}")
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            browser.get("/prices/?region=nassau")
            times.append((time.perf_counter() - started) * 1000)
        rows.append(
            (
                weeks,
                PriceReport.objects.count(),
                len(fetch_queries),
                fetch_dynamo,
                fetch_ms,
                len(page_queries),
                statistics.median(times),
                max(times),
            )
        )

    print(f"\n{connection.vendor}, {args.runs} page requests each\n")
    print(
        "| stored weeks | reports | fetch_prices: SQL queries | DynamoDB calls | ms | "
        "/prices/: SQL queries | median ms | max ms |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for weeks, reports, fq, fd, fms, pq, pmed, pmax in rows:
        print(f"| {weeks:,} | {reports:,} | {fq} | {fd} | {fms:.0f} | {pq} | {pmed:.0f} | {pmax:.0f} |")


if __name__ == "__main__":
    main()

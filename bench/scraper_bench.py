"""Benchmark of the scraper pipeline: a 10,000-row page from the request to the stored movies.

Everything runs as in ``make run``: the sandbox's page served by the product's own WSGI app over
loopback HTTP, the embedded moto server (the one the test suite uses) for SQS, Kinesis and
DynamoDB, and the local event runner (core.local.runner.EventRunner) delivering the queue and
the streams to the real handlers through the Lambda entry point, ticked back to back (no 1 s
pause between ticks). The database is a throwaway SQLite file, or DATABASE_URL as given (point it
at a scratch database: the script migrates it; its user is deleted at the end).

    .venv/bin/python bench/scraper_bench.py [--rows 10000]

Prints the phases and records per second as a Markdown table for bench/README.md.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def serve_product() -> str:
    """The product's WSGI app (with the sandbox stand-in) on a free loopback port, in a thread."""
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    class Threaded(WSGIServer):
        daemon_threads = True

    server = make_server("127.0.0.1", 0, get_wsgi_application(), server_class=Threaded, handler_class=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="scraper-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"  # STAGE=test, moto on a free port
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from accounts.services import user_create
    from core.deploy.provisioning import aws_provision
    from core.local.runner import EventRunner
    from scraper import selectors, services
    from scraper.models import ScrapeRun
    from scraper.parsing import parse_movies
    from scraper.sandbox.pages import page_html

    call_command("migrate", verbosity=0)
    aws_provision()
    base = serve_product()
    settings.SANDBOX_BASE_URL = f"{base}/sandbox"
    url = f"{base}/sandbox/scraper/movies/?rows={args.rows}"
    user = user_create(username=f"bench{int(time.time())}", password="bench-Pass-2026!", time_zone="UTC")
    runner = EventRunner(stage="dev", stdout=io.StringIO())

    html = page_html(rows=args.rows)  # also warms the sandbox's cache: the page is served at once
    started = time.perf_counter()
    parse_movies(html)
    parse_seconds = time.perf_counter() - started

    started = time.perf_counter()
    run = services.scrape_run_request(owner=user, url=url, trigger=ScrapeRun.Trigger.API)
    ticks = 0
    while not run.finished:
        runner.tick()
        ticks += 1
        run.refresh_from_db()
        if time.perf_counter() - started > 3600:
            raise SystemExit(f"Not done after an hour: {run.status} {run.rows_stored}/{run.rows_sent}")
    total = time.perf_counter() - started
    assert run.status == ScrapeRun.Status.DONE, (run.status, run.failure)
    assert run.rows_stored == args.rows, (run.rows_stored, args.rows)
    assert selectors.movie_list(owner=user, limit=1).movies
    send = (run.sent_at - run.started_at).total_seconds()
    store = (run.finished_at - run.sent_at).total_seconds()

    print(
        f"{args.rows} rows ({len(html.encode()) / 1e6:.2f} MB page), database {connection.vendor}, "
        f"SQS/Kinesis/DynamoDB on moto (loopback HTTP), {ticks} runner ticks\n"
    )
    print("| phase | seconds | records/s |")
    print("|---|---|---|")
    print(
        f"| fetch the page, parse it, put every row on the stream (the SQS handler) | {send:.1f} | {args.rows / send:.0f} |"
    )
    print(
        f"| of which parsing (`html.parser`, measured alone) | {parse_seconds:.2f} | {args.rows / parse_seconds:.0f} |"
    )
    print(
        f"| stream -> movies stored, run done (the Kinesis handler, batches of 500) | {store:.1f} | {args.rows / store:.0f} |"
    )
    print(f"| **request to done, end to end** | **{total:.1f}** | **{args.rows / total:.0f}** |")
    user.delete()


if __name__ == "__main__":
    main()

"""Benchmark of the poll run against its deadline: hanging trackers, and 10,000 healthy orders fanned out.

Three scenarios, each on fresh orders (one owner, one KMS-encrypted token shared by every order, so
KMS costs one Decrypt: a warm process), against a tracker stand-in in this process (a threaded
``http.server``: ``/hang/...`` never answers in time, anything else answers ``{"Status": "PC"}``
after ``--delay-ms``) and a moto server (KMS, DynamoDB hot items) in another process:

A. the issue's repro: ``--hanging`` orders whose tracker hangs, ONE run given a 29 s invocation
   (``orders_poll(deadline=...)``, as ``run_command`` sets it from the Lambda context): its wall
   time, what it recorded, what it released;
B. the same orders fanned out in shards of ``TRACKER_POLL_SHARD_SIZE``, each shard a run with its
   own 29 s deadline, ``--concurrency`` at once in threads (each thread stands for one invocation
   of the queue's handler; the work is mostly waiting on sockets);
C. ``--healthy`` orders fanned out the same way: wall time until every order was polled once.

    .venv/bin/python bench/tracker_deadline_bench.py [--hanging 1000] [--healthy 10000] [--delay-ms 100]

Prints a Markdown table for bench/README.md. The whole product runs on this 2-core machine here
(stand-in, moto, SQLite, every shard); on Lambda each shard has its own CPU.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from tracker_bench import free_port, wait_for  # noqa: E402


def stand_in(delay_ms: int) -> str:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            time.sleep(60 if "/hang/" in self.path else delay_ms / 1000)
            body = json.dumps({"Status": "PC"}).encode()
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                pass  # the poller gave up on it

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.request_queue_size = 1024
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hanging", type=int, default=1000)
    parser.add_argument("--healthy", type=int, default=10000)
    parser.add_argument("--delay-ms", type=int, default=100)
    parser.add_argument("--invocation-seconds", type=float, default=29.0)
    parser.add_argument(
        "--concurrency", type=int, default=20, help="Shards polled at once (the queue handler's concurrency)."
    )
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="tracker-deadline-bench-")
    moto_port = free_port()
    env = {
        "STAGE": "test",
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3"),
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{moto_port}",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
        "LOG_LEVEL": "ERROR",
    }
    os.environ.update(env)
    moto = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(moto_port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://127.0.0.1:{moto_port}/moto-api/")
        rows = run(args, stand_in(args.delay_ms))
    finally:
        moto.terminate()
        moto.wait(10)
    print(
        f"\ninvocation {args.invocation_seconds:g} s; stand-in {args.delay_ms} ms; workers per run "
        f"{rows[0][-1][0]}; shard size {rows[0][-1][1]}; read timeout {rows[0][-1][2]} s; "
        f"shards at once {args.concurrency}"
    )
    print(
        "| scenario | orders | runs | slowest run (s) | wall (s) | polled | released unpolled | left leased |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for label, orders, runs, slowest, wall, polled, unreached, leased, _ in rows:
        print(
            f"| {label} | {orders} | {runs} | {slowest:.1f} | {wall:.1f} | {polled} | {unreached} | {leased} |"
        )


def run(args, upstream: str) -> list[tuple]:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    from accounts.services import user_create
    from core.deploy.provisioning import aws_provision
    from tracker import services, tokens
    from tracker.models import TrackedOrder

    call_command("migrate", verbosity=0)
    aws_provision()
    owner = user_create(username="bench", password="bench-Pass-2026!", time_zone="UTC")
    ciphertext = tokens.token_encrypt(token="Bearer bench.token", owner_id=owner.pk)
    knobs = (
        settings.TRACKER_POLL_WORKERS,
        settings.TRACKER_POLL_SHARD_SIZE,
        settings.TRACKER_TIMEOUT_SECONDS,
    )

    def fresh(count: int, kind: str) -> None:
        TrackedOrder.objects.all().delete()
        TrackedOrder.objects.bulk_create(
            [
                TrackedOrder(
                    owner=owner,
                    tracker_url=f"{upstream}/{kind}/api/GPSTracker/CartId/{n:015d}",
                    cart_id=f"{n:015d}",
                    phone="+60123456789",
                    texted_stages="",
                    token_ciphertext=ciphertext,
                )
                for n in range(count)
            ],
            batch_size=1000,
        )

    def one_run(shard=None) -> tuple[float, object]:
        started = time.monotonic()
        try:
            summary = services.orders_poll(
                shard=shard,
                deadline=started + args.invocation_seconds - 1.0,  # core.aws.deadlines.RESERVE_SECONDS
            )
        finally:
            connections.close_all()
        return time.monotonic() - started, summary

    def fanned_out(count: int) -> tuple[int, float, float, int, int]:
        shards = math.ceil(count / settings.TRACKER_POLL_SHARD_SIZE)
        results: list = [None] * shards

        def work(k: int) -> None:
            results[k] = one_run((k, shards))

        from concurrent.futures import ThreadPoolExecutor

        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=args.concurrency) as invocations:
            list(invocations.map(work, range(shards)))
        wall = time.monotonic() - started
        slowest = max(seconds for seconds, _ in results)
        polled = sum(summary.polled for _, summary in results)
        unreached = sum(summary.unreached for _, summary in results)
        return shards, slowest, wall, polled, unreached

    def leased() -> int:
        return TrackedOrder.objects.exclude(lease_id="").count()

    rows = []
    if args.hanging:
        fresh(args.hanging, "hang")
        seconds, summary = one_run()
        rows.append(
            (
                "A: hanging, one run",
                args.hanging,
                1,
                seconds,
                seconds,
                summary.polled,
                summary.unreached,
                leased(),
                knobs,
            )
        )
        print(f"A: {seconds:.1f} s: {summary.line()}", flush=True)
        fresh(args.hanging, "hang")
        shards, slowest, wall, polled, unreached = fanned_out(args.hanging)
        rows.append(
            (
                "B: hanging, fanned out",
                args.hanging,
                shards,
                slowest,
                wall,
                polled,
                unreached,
                leased(),
                knobs,
            )
        )
        print(
            f"B: {shards} shards, slowest {slowest:.1f} s, polled {polled}, unreached {unreached}", flush=True
        )
    if args.healthy:
        fresh(args.healthy, "ok")
        shards, slowest, wall, polled, unreached = fanned_out(args.healthy)
        rows.append(
            (
                "C: healthy, fanned out",
                args.healthy,
                shards,
                slowest,
                wall,
                polled,
                unreached,
                leased(),
                knobs,
            )
        )
        print(f"C: {shards} shards, slowest {slowest:.1f} s, wall {wall:.1f} s, polled {polled}", flush=True)
    return rows


if __name__ == "__main__":
    main()

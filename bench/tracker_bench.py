"""Benchmark of the tracker's poll run: N active orders against the stand-in answering in 100 ms each.

As on Lambda, the upstreams and AWS are other processes: the sandbox tracker (and Twilio) served
by the product itself (``manage.py runserver``, ``TRACKER_SANDBOX_DELAY_MS=100``) and a moto
server (KMS for the tokens, DynamoDB for the hot items and the text ledger). The poll run is the
real one (``tracker.services.orders_poll``, as ``manage.py poll_orders`` runs it) in this process on
a throwaway SQLite file. Each size gets fresh orders; the first run sees every order change (PC),
the second sees no change; ``--texts`` also texts every order at PC (1 text each, first run).

    .venv/bin/python bench/tracker_bench.py [--orders 1000] [--small 100] [--delay-ms 100] [--texts]

Prints a Markdown table for bench/README.md: seconds per run and the database queries of each, and
what decrypting every token costs alone (the first run after a cold start decrypts them all; later
runs of a warm process use the tokens it remembers, tracker/tokens.py).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not come up within {seconds:g} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--small", type=int, default=100, help="A smaller size, to compare the query counts.")
    parser.add_argument("--delay-ms", type=int, default=100)
    parser.add_argument(
        "--texts", action="store_true", help="Text every order at PC (the first run sends N texts)."
    )
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="tracker-bench-")
    moto_port, web_port = free_port(), free_port()
    web = f"http://127.0.0.1:{web_port}"
    env = {
        **os.environ,
        "STAGE": "test",
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3"),
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{moto_port}",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
        "SANDBOX_BASE_URL": f"{web}/sandbox",
        "TRACKER_SANDBOX_DELAY_MS": str(args.delay_ms),
        "TRACKER_MAX_ACTIVE_ORDERS": str(args.orders + args.small),
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    python = sys.executable
    moto = subprocess.Popen(
        [str(Path(python).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(moto_port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [python, "manage.py", "runserver", f"127.0.0.1:{web_port}", "--noreload", "--skip-checks"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://127.0.0.1:{moto_port}/moto-api/")
        wait_for(f"{web}/sandbox/tracker/")
        rows = run(args)
    finally:
        server.terminate()
        moto.terminate()
        server.wait(10)
        moto.wait(10)
    print(f"\n{args.orders} active orders, stand-in answering in {args.delay_ms} ms, workers: {rows[0][-1]}")
    print("| orders | run | seconds | orders/s | database queries | summary |")
    print("|---|---|---|---|---|---|")
    for count, label, seconds, queries, summary, _ in rows:
        print(f"| {count} | {label} | {seconds:.2f} | {count / seconds:.0f} | {queries} | {summary} |")


def run(args) -> list[tuple]:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.services import user_create
    from core.deploy.provisioning import aws_provision
    from tracker import order_stages, services, tokens
    from tracker.models import TrackedOrder
    from tracker.sandbox import carts

    aws_provision()
    base = order_stages.sandbox_tracker_base()
    rows = []
    for count in (args.small, args.orders):
        TrackedOrder.objects.all().delete()
        user = user_create(
            username=f"bench{count}-{int(time.time())}", password="bench-Pass-2026!", time_zone="UTC"
        )
        started = time.perf_counter()
        placed = int(time.time())
        for n in range(count):
            cart_id = f"{placed - n:010d}9999{carts.NORMAL}"  # distinct carts, all still at PC
            services.order_create(
                owner=user,
                tracker_url=f"{base}{order_stages.CART_PATH}{cart_id}",
                token=carts.token_new(),
                phone="+60123456789",
                texted_stages=["PC"] if args.texts else [],
            )
        print(
            f"{count} orders added (tokens encrypted by KMS) in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        # What KMS alone costs the first run: every token decrypted once, by the same worker pool.
        orders = list(TrackedOrder.objects.filter(owner=user))
        started = time.perf_counter()
        services._parallel(
            orders, lambda o: tokens.token_decrypt(ciphertext=o.token_ciphertext, owner_id=o.owner_id)
        )
        kms_seconds = time.perf_counter() - started
        print(f"  KMS alone: {count} tokens decrypted in {kms_seconds:.2f} s", flush=True)
        rows.append(
            (count, "KMS Decrypt of every token alone", kms_seconds, 0, "-", settings.TRACKER_POLL_WORKERS)
        )
        tokens.tokens_forget()
        for label in ("first (all change)", "second (no change)"):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                summary = services.orders_poll()
                seconds = time.perf_counter() - started
            phases = ", ".join(f"{name} {value:.2f} s" for name, value in summary.seconds.items())
            print(
                f"  {label}: {seconds:.2f} s ({phases}), {len(queries)} queries: {summary.line()}", flush=True
            )
            rows.append((count, label, seconds, len(queries), summary.line(), settings.TRACKER_POLL_WORKERS))
            if summary.texts_failed:
                reasons = TrackedOrder.objects.exclude(last_error="").values_list("last_error", flat=True)
                print(f"  texts not sent, e.g.: {sorted(set(reasons))[:3]}", flush=True)
    return rows


if __name__ == "__main__":
    main()

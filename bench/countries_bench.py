"""Benchmark of the countries worker: 1,000 queued fetches against the stand-in answering in 50 ms.

Everything runs as in ``make run``: the REST Countries stand-in (countries/sandbox, its ``slow/50/``
switch) served by the product's own WSGI app over loopback HTTP, SQS and DynamoDB on the embedded
moto server (the one the test suite uses), a throwaway SQLite file. Two consumers of the same queue:

1. the local event runner (core.local.runner.EventRunner) ticked back to back, delivering batches of
   10 messages to ``countries.events.on_fetch_requests`` through the Lambda entry point;
2. the packaged handler: build/dev.zip unzipped, run by a fresh ``python3.13 -I -S -B`` process
   (boto3/botocore beside it as Lambda's runtime), fed the same kind of batches (10 records each,
   built from the queued requests) one invocation after another, as one warm Lambda instance.

    make package STAGE=dev && .venv/bin/python bench/countries_bench.py [--fetches 1000] [--delay-ms 50]

Prints messages per second as a Markdown table for bench/README.md.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DRIVER = """
import json, os, sys, time
package_dir, runtime_dir, events_path, results_path = sys.argv[1:5]
sys.path[:0] = [package_dir]
sys.path.append(runtime_dir)
os.chdir(package_dir)
from config.lambda_entry import handler
events = json.load(open(events_path))
setup, batches = events[0], events[1:]
handler(setup, None)
from django.conf import settings
settings.REST_COUNTRIES_BASE_URL = os.environ["BENCH_UPSTREAM"]
failures = 0
started = time.perf_counter()
for event in batches:
    failures += len(handler(event, None)["batchItemFailures"])
elapsed = time.perf_counter() - started
json.dump({"seconds": elapsed, "failures": failures}, open(results_path, "w"))
"""


def serve_product() -> str:
    from bench.scraper_bench import serve_product as serve

    return serve()


def sqs_batches(request_ids: list[int], queue: str) -> list[dict]:
    batches = []
    for start in range(0, len(request_ids), 10):
        records = [
            {
                "messageId": f"bench-{pk}",
                "receiptHandle": f"bench-{pk}",
                "body": json.dumps({"request": pk}),
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:us-east-1:123456789012:{queue}",
                "awsRegion": "us-east-1",
            }
            for pk in request_ids[start : start + 10]
        ]
        batches.append({"Records": records})
    return batches


def packaged(zip_path: Path, work: Path, *, database: str, upstream: str, request_ids: list[int]) -> dict:
    from core.deploy import runtime

    package, lambda_runtime = work / "var-task", work / "var-runtime"
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(package)
    for item in [*package.rglob("*"), package]:
        item.chmod(item.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    site = runtime.venv_site_packages(runtime.package_venv(ROOT))
    lambda_runtime.mkdir()
    for name in ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six.py"):
        source = site / name
        if source.is_dir():
            shutil.copytree(source, lambda_runtime / name)
        elif source.exists():
            shutil.copy2(source, lambda_runtime / name)
    events = [{"manage": "provision"}, *sqs_batches(request_ids, "serverless-django-dev-fetch-requests")]
    (work / "events.json").write_text(json.dumps(events))
    (work / "driver.py").write_text(DRIVER)
    env = {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "STAGE": "dev",
        "AWS_LAMBDA_FUNCTION_NAME": "serverless-django-dev",  # as Lambda sets it: deployed settings
        "SECRET_KEY": "bench-only-secret",
        "DATABASE_URL": database,
        "ALLOWED_HOSTS": "localhost",
        "AWS_ENDPOINT_URL": os.environ["AWS_ENDPOINT_URL"],
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "LOG_LEVEL": "WARNING",
        "COUNTRIES_CODE_RATE": "100000/min",
        "COUNTRIES_BREAKER_FAIL_MAX": "100000",
        "BENCH_UPSTREAM": upstream,
    }
    argv = [runtime.runtime_python(), "-I", "-S", "-B", str(work / "driver.py")]
    argv += [str(package), str(lambda_runtime), str(work / "events.json"), str(work / "results.json")]
    subprocess.run(argv, env=env, cwd=work, check=True, timeout=3600)
    return json.loads((work / "results.json").read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fetches", type=int, default=1000)
    parser.add_argument("--delay-ms", type=int, default=50)
    parser.add_argument("--zip", type=Path, default=ROOT / "build" / "dev.zip")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="countries-bench-"))
    database = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DATABASE_URL", database)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"  # STAGE=test, moto on a free port
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command

    from core.deploy.provisioning import aws_provision
    from core.local.runner import EventRunner
    from countries import services
    from countries.codes import country_get
    from countries.models import FetchRequest
    from countries.sandbox.data import codes

    call_command("migrate", verbosity=0)
    aws_provision()
    base = serve_product()
    upstream = f"{base}/sandbox/countries/slow/{args.delay_ms}"
    settings.REST_COUNTRIES_BASE_URL = upstream
    settings.COUNTRIES_CODE_RATE = "100000/min"
    settings.COUNTRIES_BREAKER_FAIL_MAX = 100000
    settings.THROTTLE_CACHE = "default"
    sample = [code for code in codes() if country_get(code)]  # XK is no ISO 3166-1 code

    # 1. The local runner.
    for number in range(args.fetches):
        services.fetch_request_create(code=sample[number % len(sample)], owner=None)
    runner = EventRunner(stage="dev", stdout=io.StringIO())
    started = time.perf_counter()
    ticks = 0
    while FetchRequest.objects.exclude(status__in=FetchRequest.FINISHED).exists():
        runner.tick()
        ticks += 1
        if time.perf_counter() - started > 3600:
            raise SystemExit("Not done after an hour.")
    by_runner = time.perf_counter() - started
    done = FetchRequest.objects.filter(status="done").count()
    assert done == args.fetches, (
        done,
        FetchRequest.objects.exclude(status="done").values_list("status", "failure")[:3],
    )

    # 2. The packaged handler (requests recorded as queued; their batches built here).
    ids = [
        FetchRequest.objects.create(code=sample[n % len(sample)], status=FetchRequest.Status.QUEUED).pk
        for n in range(args.fetches)
    ]
    result = None
    if args.zip.exists():
        result = packaged(args.zip, tmp / "lambda", database=database, upstream=upstream, request_ids=ids)
        stored = FetchRequest.objects.filter(pk__in=ids, status="done").count()
        assert stored == args.fetches, (stored, result)
        assert not result["failures"], result

    print(
        f"{args.fetches} fetches, stand-in answering in {args.delay_ms} ms, SQLite, SQS/DynamoDB on moto "
        f"(loopback HTTP), batches of 10\n"
    )
    print("| consumer | seconds | messages/s |")
    print("|---|---|---|")
    print(
        f"| local event runner ({ticks} ticks, back to back) | {by_runner:.1f} | {args.fetches / by_runner:.1f} |"
    )
    if result:
        print(
            f"| packaged handler, one warm instance (python3.13, build/dev.zip) | {result['seconds']:.1f} | "
            f"{args.fetches / result['seconds']:.1f} |"
        )
    else:
        print(f"| packaged handler | (no {args.zip}: `make package STAGE=dev` first) | |")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

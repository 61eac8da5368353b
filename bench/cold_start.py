"""Cold start: fresh process -> packaged handler -> first API response that reads the database.

    .venv/bin/python bench/cold_start.py [--zip build/dev.zip] [--runs 15]
    .venv/bin/python bench/cold_start.py --importtime        # where our cold start goes
    .venv/bin/python bench/cold_start.py --compare build/other.zip   # a variant in the same run

Each run is a new ``python -I -S -B`` process (the real interpreter, not the pyenv shim) that imports
the handler and answers one API Gateway REST (v1) ``GET /api/routines/`` with ``Authorization:
Token``:

* ours: ``config.lambda_entry.handler`` from the zip unzipped read-only into <out-of-tree>/bench/var-task (core.deploy.runtime),
  boto3/botocore/s3transfer in a separate directory standing in for /var/runtime (as in
  tests/lambda/test_package.py), a SQLite file prepared beforehand (one user, token, 20 routines of
  5 items), so the response runs the token, profile, routines and items queries;
* Mangum + FastAPI: a minimal app (bench/mangum_app.py) answering the same event, from a separate
  virtualenv (<out-of-tree>/bench-venv, bench/requirements-bench.txt);
* ``python -c pass``: the interpreter's own start and exit.

The three are interleaved in a shuffled order each round after one discarded warm-up round.
"Response" is the child's wall clock when the handler returned minus the parent's just before it
spawned the process; "exit" is until the process ended. Budget: our median response no slower than
Mangum + FastAPI's. Exits 1 when over budget or when a response is not the expected 200.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import stat
import statistics
import subprocess
import sys
import time
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
from core.deploy import runtime  # noqa: E402  (standard library only)

# Both sides run on the Lambda runtime's interpreter (python3.13), the one the zip is built for.
PYTHON = runtime.runtime_python()
PACKAGE_VENV_SITE = runtime.venv_site_packages(runtime.package_venv(ROOT))
LAMBDA_RUNTIME = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six.py")
HOST = "abc123.execute-api.us-east-1.amazonaws.com"


def _writable(path: Path) -> None:
    for item in [path, *path.rglob("*")]:
        if not item.is_symlink():
            item.chmod(item.stat().st_mode | stat.S_IWUSR)


def recreate_postgres_database(url: str) -> None:
    """Drop and create the database named in a postgres:// URL (the bench owns it)."""
    from urllib.parse import urlparse

    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = psycopg2.connect(parsed._replace(path="/postgres").geturl())
    try:
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        admin.close()


def prepare(zip_path: Path, work: Path, bench_venv: Path, database_url: str | None = None) -> dict:
    if work.exists():
        _writable(work)
        shutil.rmtree(work)
    package, runtime, app = work / "var-task", work / "var-runtime", work / "mangum-app"
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(package)
    for item in [*package.rglob("*"), package]:
        item.chmod(item.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    runtime.mkdir()
    for name in LAMBDA_RUNTIME:  # what Lambda's Python runtime has in /var/runtime
        source = PACKAGE_VENV_SITE / name
        if source.is_dir():
            shutil.copytree(source, runtime / name)
        elif source.exists():
            shutil.copy2(source, runtime / name)
    app.mkdir()
    shutil.copy(HERE / "mangum_app.py", app / "mangum_app.py")
    site = next(bench_venv.glob("lib/python3*/site-packages"))
    env = {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "STAGE": "dev",
        "AWS_LAMBDA_FUNCTION_NAME": "serverless-django-dev",  # as Lambda sets it: deployed settings
        "SECRET_KEY": "bench-only-secret",
        "DATABASE_URL": database_url or f"sqlite:///{work / 'db.sqlite3'}",
        # Nothing on this path may call AWS: an unroutable endpoint makes a stray call fail fast.
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "LOG_LEVEL": "WARNING",
    }
    if database_url:
        recreate_postgres_database(database_url)
    token_path = work / "token.json"
    argv = [
        PYTHON,
        "-I",
        "-S",
        "-B",
        str(HERE / "prepare_db.py"),
        str(package),
        str(runtime),
        str(token_path),
    ]
    subprocess.run(argv, env=env, cwd=work, check=True, timeout=300)
    token = json.loads(token_path.read_text())["token"]
    event = api_gateway_v1_get("/api/routines/", {"Authorization": f"Token {token}"})
    event_path = work / "event.json"
    event_path.write_text(json.dumps(event))
    return {"package": package, "runtime": runtime, "app": app, "site": site, "env": env, "event": event_path}


def api_gateway_v1_get(path: str, extra_headers: dict[str, str]) -> dict:
    headers = {
        "Host": HOST,
        "Accept": "application/json",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": "203.0.113.9",
        "X-Forwarded-Port": "443",
        **extra_headers,
    }
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": "GET",
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": {"proxy": path.strip("/")},
        "stageVariables": None,
        "requestContext": {
            "resourcePath": "/{proxy+}",
            "httpMethod": "GET",
            "path": f"/dev{path}",
            "stage": "dev",
            "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
            "accountId": "123456789012",
            "apiId": "abc123",
            "protocol": "HTTP/1.1",
            "requestTimeEpoch": 1795323600000,
            "domainName": HOST,
            "identity": {"sourceIp": "203.0.113.9", "userAgent": "bench"},
        },
        "body": None,
        "isBase64Encoded": False,
    }


def commands(world: dict) -> dict[str, tuple[list[str], dict]]:
    child = [PYTHON, "-I", "-S", "-B", str(HERE / "cold_child.py")]
    return {
        "ours": (
            [*child, "django", str(world["package"]), str(world["runtime"]), str(world["event"])],
            world["env"],
        ),
        "mangum": (
            [*child, "mangum", str(world["app"]), str(world["site"]), str(world["event"])],
            {"PATH": "/usr/bin:/bin"},
        ),
        "pass": ([PYTHON, "-c", "pass"], {"PATH": "/usr/bin:/bin"}),
        # The children's own flags: this machine's site-packages has a .pth importing certifi (~20 ms).
        "pass-isolated": ([PYTHON, "-I", "-S", "-B", "-c", "pass"], {"PATH": "/usr/bin:/bin"}),
    }


def ssm_variant(world: dict) -> tuple:
    """Ours with SECRET_KEY and DATABASE_URL only in SSM Parameter Store (a moto server on loopback):
    the cold start makes one signed GetParametersByPath call, without boto3 (config.ssm_secrets)."""
    import socket

    import boto3
    from moto.server import ThreadedMotoServer

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    ssm = boto3.client(
        "ssm",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
    )
    argv, env = commands(world)["ours"]
    env = dict(env)
    for name in ("SECRET_KEY", "DATABASE_URL"):
        ssm.put_parameter(Name=f"/serverless-django/dev/{name}", Value=env.pop(name), Type="SecureString")
    env.update(SECRETS_SSM_PATH="/serverless-django/dev/", AWS_ENDPOINT_URL=endpoint)
    return server, (argv, env)


def run_once(argv: list[str], env: dict, cwd: Path) -> dict:
    started = time.time_ns()
    completed = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=120)
    ended = time.time_ns()
    if completed.returncode != 0:
        raise SystemExit(f"{argv} failed:\n{completed.stderr[-3000:]}")
    result = {"exit_ms": (ended - started) / 1e6}
    if completed.stdout.strip():
        reported = json.loads(completed.stdout.strip().splitlines()[-1])
        result.update(reported, response_ms=(reported["done_ns"] - started) / 1e6)
    else:
        result["response_ms"] = result["exit_ms"]
    return result


LAST_MEDIANS: dict[str, float] = {}  # the last run's response medians (bench/bench_all.py reads them)
CPU_MEDIANS: dict[str, float] = {}  # and the children's CPU time to their response (less bent by other load)


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10, method="inclusive")[8]


def importtime(world: dict, top: int) -> None:
    argv, env = commands(world)["ours"]
    argv = [argv[0], "-X", "importtime", *argv[1:]]
    completed = subprocess.run(argv, env=env, cwd=world["package"].parent, capture_output=True, text=True)
    rows = []
    for line in completed.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            rows.append((int(match[1]), int(match[2]), len(match[3]) // 2, match[4]))
    by_package: dict[str, int] = defaultdict(int)
    for self_us, _, _, name in rows:
        by_package[name.split(".")[0]] += self_us
    total = sum(by_package.values())
    print(f"{len(rows)} modules imported, {total / 1000:.0f} ms self time in total")
    print("self time by top-level package (ms):")
    for name, self_us in sorted(by_package.items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {self_us / 1000:7.1f}  {name}")
    print("biggest cumulative imports at nesting depth <= 2 (ms):")
    shallow = [row for row in rows if row[2] <= 2]
    for _, cumulative, depth, name in sorted(shallow, key=lambda row: -row[1])[:top]:
        print(f"  {cumulative / 1000:7.1f}  {'  ' * depth}{name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Cold start: ours vs Mangum + FastAPI vs python -c pass.")
    parser.add_argument("--zip", default=ROOT / "build/dev.zip", type=Path)
    parser.add_argument("--runs", default=15, type=int)
    # Outside the project folder: the unzipped package holds Zappa's handler.py, which Zappa's walk of the
    # project folder would take for WebSocket code (core/deploy/runtime.py).
    parser.add_argument("--work", default=runtime.out_of_tree_dir(ROOT) / "bench", type=Path)
    parser.add_argument("--bench-venv", default=runtime.out_of_tree_dir(ROOT) / "bench-venv", type=Path)
    parser.add_argument(
        "--compare", action="append", default=[], type=Path, help="another zip, interleaved in the same run"
    )
    parser.add_argument("--importtime", action="store_true", help="show what our cold start imports")
    parser.add_argument(
        "--database-url",
        help="a postgres:// URL of a database the bench may drop and re-create (default: a SQLite file)",
    )
    parser.add_argument("--top", default=25, type=int)
    parser.add_argument(
        "--no-ssm",
        action="store_true",
        help="leave out the variant reading SECRET_KEY and DATABASE_URL from SSM at cold start",
    )
    args = parser.parse_args(argv)
    args.work, args.zip = args.work.resolve(), args.zip.resolve()
    args.bench_venv = args.bench_venv.resolve()
    world = prepare(args.zip, args.work, args.bench_venv, args.database_url)
    if args.importtime:
        importtime(world, args.top)
        return 0
    variants = commands(world)
    labels = {
        "ours": "ours (Django + DRF, packaged)",
        "mangum": "Mangum + FastAPI",
        "pass": "python -c pass",
        "pass-isolated": "python -I -S -B -c pass",
    }
    for number, other in enumerate(args.compare, start=1):
        other_world = prepare(
            other.resolve(), args.work.with_name(f"{args.work.name}-{number}"), args.bench_venv
        )
        variants[f"compare{number}"] = commands(other_world)["ours"]
        labels[f"compare{number}"] = other.name
    moto = None
    if not args.no_ssm:
        moto, variants["ours-ssm"] = ssm_variant(world)
        labels["ours-ssm"] = "ours, secrets from SSM (moto)"
    samples: dict[str, list[dict]] = {name: [] for name in variants}
    rounds = [list(variants) for _ in range(args.runs + 1)]
    for number, order in enumerate(rounds):
        random.shuffle(order)
        for name in order:
            argv_, env = variants[name]
            result = run_once(argv_, env, args.work)
            if number:  # round 0 warms the page cache and is discarded
                samples[name].append(result)
    if moto is not None:
        moto.stop()
    ours = samples["ours"]
    bad = [r for r in ours if r.get("status") != 200 or r.get("count") != 20 or r.get("boto3")]
    bad += [r for r in samples.get("ours-ssm", []) if r.get("status") != 200 or r.get("boto3")]
    bad += [r for r in samples["mangum"] if r.get("status") != 200]
    database = args.database_url or "SQLite file"
    print(f"{args.runs} interleaved runs each, interpreter {PYTHON}, zip {args.zip}, database {database}")
    print(f"{'':32} {'response median':>15} {'p90':>7} {'min':>7} {'exit median':>12} {'CPU median':>11}")
    medians = {}
    CPU_MEDIANS.clear()
    for name, results in samples.items():
        response = [r["response_ms"] for r in results]
        exits = [r["exit_ms"] for r in results]
        cpu = [r["cpu_ns"] / 1e6 for r in results if "cpu_ns" in r]  # the child's own CPU to its response
        medians[name] = statistics.median(response)
        if cpu:
            CPU_MEDIANS[name] = statistics.median(cpu)
        print(
            f"{labels[name]:32} {medians[name]:12.0f} ms {p90(response):4.0f} ms {min(response):4.0f} ms"
            f" {statistics.median(exits):9.0f} ms" + (f" {CPU_MEDIANS[name]:8.0f} ms" if cpu else "")
        )
    first = ours[0]
    print(
        f"ours: status {first.get('status')}, {first.get('count')} routines, {first.get('body_bytes')} body"
        f" bytes, {first.get('modules')} modules, boto3 imported: {first.get('boto3')}"
    )
    LAST_MEDIANS.clear()
    LAST_MEDIANS.update(medians)
    if "ours" in CPU_MEDIANS and "mangum" in CPU_MEDIANS:
        print(
            f"CPU to the response: ours {CPU_MEDIANS['ours'] / CPU_MEDIANS['mangum']:.2f}x Mangum + FastAPI's"
        )
    within = medians["ours"] <= medians["mangum"]
    print(
        f"budget: ours {medians['ours']:.0f} ms <= Mangum + FastAPI {medians['mangum']:.0f} ms: {'PASS' if within else 'FAIL'}"
    )
    if bad:
        print(f"FAIL: {len(bad)} responses were not 200 with 20 routines, or imported boto3: {bad[0]}")
    return 0 if within and not bad else 1


if __name__ == "__main__":
    sys.exit(main())

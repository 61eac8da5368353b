"""Every budget of the web function in one run against the anchor (``make bench`` / ``tasks.py bench``).

    .venv/bin/python bench/bench_all.py --zip build/dev.zip [--runs 15] [--warm-calls 500] [--warm-rounds 4]
        [--database-url postgres://postgres@127.0.0.1:5432/bench_cold]   # a database it may drop

1. Cold start on SQLite and on PostgreSQL (bench/cold_start.py: fresh ``python -I -S -B`` processes of
   the unzipped zip, interleaved with Mangum + FastAPI). PostgreSQL is skipped, with a line saying so,
   when the server cannot be reached.
2. Warm: one process of the package answering the API root ``GET /api/``, a page ``GET /routines/``
   (signed out: a 302) and an authenticated database read ``GET /api/routines/`` (20 routines of 5
   items), against one process of the anchor answering FastAPI's hello ``GET /api/``
   (bench/warm_child.py); the two processes alternate, ``--warm-rounds`` times each, access log off.
   Throughput is calls / summed call time; p99 over every call.
3. SnapStart: a simulated snapshot and two restores (tests/lambda/packaged/snapstart_driver.py): the
   first request of a restored copy, and its second, against the cold start of step 1.

Budgets (issue 26): cold <= 0.8x the anchor on both databases; warm GET /api/ ahead of FastAPI's
hello. Exit 1 when one is missed. On a shared machine only the ratios inside one run mean anything.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import cold_start  # noqa: E402

COLD_BUDGET = 0.8


def _load() -> str:
    try:
        return "load average " + " / ".join(f"{value:.1f}" for value in os.getloadavg())
    except (OSError, AttributeError):  # AttributeError: Windows has no load average
        return "load average unknown"


def _cpu_ratio() -> float:
    cpu = cold_start.CPU_MEDIANS
    return cpu["ours"] / cpu["mangum"] if cpu.get("mangum") else float("nan")


def _warm_events(world: dict) -> dict[str, dict]:
    event = json.loads(Path(world["event"]).read_text())
    token = event["headers"]["Authorization"]
    return {
        "api_root": cold_start.api_gateway_v1_get("/api/", {}),
        "page": cold_start.api_gateway_v1_get("/routines/", {}),
        "db_read": cold_start.api_gateway_v1_get("/api/routines/", {"Authorization": token}),
    }


def _warm_run(kind: str, world: dict, events_path: Path, calls: int) -> dict:
    child = [cold_start.PYTHON, "-I", "-S", "-B", str(HERE / "warm_child.py"), kind]
    if kind == "django":
        argv, env = [*child, str(world["package"]), str(world["runtime"])], world["env"]
    else:
        argv, env = [*child, str(world["app"]), str(world["site"])], {"PATH": "/usr/bin:/bin"}
    argv += [str(events_path), str(calls), "1"]
    done = subprocess.run(
        argv, env=env, cwd=world["package"].parent, capture_output=True, text=True, timeout=600
    )
    if done.returncode:
        raise SystemExit(f"warm {kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def warm(world: dict, calls: int, rounds: int) -> dict[str, dict]:
    ours_events = _warm_events(world)
    folder = Path(tempfile.mkdtemp(prefix="warm-"))
    ours_path, anchor_path = folder / "ours.json", folder / "anchor.json"
    ours_path.write_text(json.dumps(ours_events))
    anchor_path.write_text(json.dumps({"hello": ours_events["api_root"]}))
    samples: dict[str, dict] = {}
    for _ in range(rounds):  # alternate the two processes so both see the same load
        for kind, path in (("django", ours_path), ("mangum", anchor_path)):
            for name, result in _warm_run(kind, world, path, calls).items():
                entry = samples.setdefault(name, {"status": result["status"], "ns": []})
                entry["ns"].extend(result["ns"])
    table = {}
    for name, entry in samples.items():
        ns = sorted(entry["ns"])
        table[name] = {
            "status": entry["status"],
            "per_s": len(ns) * 1e9 / sum(ns),
            "p99_ms": ns[min(len(ns) - 1, int(len(ns) * 0.99))] / 1e6,
            "median_ms": statistics.median(ns) / 1e6,
        }
    return table


def snapstart(world: dict) -> list[dict]:
    fixtures = Path(tempfile.mkdtemp(prefix="snapstart-"))
    results = fixtures / "results.json"
    argv = [cold_start.PYTHON, "-I", "-S", "-B", str(ROOT / "tests/lambda/packaged/snapstart_driver.py")]
    argv += [str(world["package"]), str(world["runtime"]), str(fixtures), str(world["event"]), str(results)]
    done = subprocess.run(argv, env=world["env"], cwd=world["package"].parent, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"snapstart simulation failed:\n{done.stderr[-3000:]}")
    return json.loads(results.read_text())["copies"]


def _postgres_reachable(url: str) -> bool:
    try:
        import psycopg2
    except ImportError:
        return False
    from urllib.parse import urlparse

    try:
        psycopg2.connect(urlparse(url)._replace(path="/postgres").geturl(), connect_timeout=3).close()
    except psycopg2.Error:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--zip", default=ROOT / "build/dev.zip", type=Path)
    parser.add_argument("--runs", default=15, type=int)
    parser.add_argument(
        "--bench-venv", default=cold_start.runtime.out_of_tree_dir(ROOT) / "bench-venv", type=Path
    )
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_cold")
    parser.add_argument("--warm-calls", default=500, type=int)
    parser.add_argument("--warm-rounds", default=4, type=int)
    args = parser.parse_args(argv)
    common = [
        "--zip",
        str(args.zip),
        "--runs",
        str(args.runs),
        "--bench-venv",
        str(args.bench_venv),
        "--no-ssm",
    ]
    failed = []
    print(f"== cold start, SQLite ({_load()})")
    cold_start.main(common)
    cold = dict(cold_start.LAST_MEDIANS)
    ratios = {"SQLite": cold["ours"] / cold["mangum"]}
    cpu_ratios = {"SQLite": _cpu_ratio()}
    if _postgres_reachable(args.database_url):
        print(f"\n== cold start, PostgreSQL ({_load()})")
        pg_work = cold_start.runtime.out_of_tree_dir(ROOT) / "bench-pg"
        cold_start.main([*common, "--database-url", args.database_url, "--work", str(pg_work)])
        ratios["PostgreSQL"] = cold_start.LAST_MEDIANS["ours"] / cold_start.LAST_MEDIANS["mangum"]
        cpu_ratios["PostgreSQL"] = _cpu_ratio()
    else:
        print(f"\n== cold start, PostgreSQL: skipped ({args.database_url} not reachable)")
    for database, ratio in ratios.items():
        verdict = "PASS" if ratio <= COLD_BUDGET else "FAIL"
        print(
            f"budget: cold start on {database} {ratio:.2f}x the anchor <= {COLD_BUDGET}x: {verdict}"
            f" (CPU to the response {cpu_ratios[database]:.2f}x)"
        )
        if ratio > COLD_BUDGET:
            failed.append(f"cold {database}")

    # The SQLite world of step 1 (prepared again: cold_start removed nothing, but be explicit).
    world = cold_start.prepare(
        args.zip.resolve(), cold_start.runtime.out_of_tree_dir(ROOT) / "bench", args.bench_venv.resolve()
    )
    print(
        f"\n== warm, {args.warm_rounds} alternating rounds of {args.warm_calls} calls per request ({_load()})"
    )
    table = warm(world, args.warm_calls, args.warm_rounds)
    print(f"{'':36} {'status':>6} {'req/s':>8} {'median ms':>10} {'p99 ms':>8}")
    labels = {
        "api_root": "ours GET /api/ (API root)",
        "page": "ours GET /routines/ (signed out)",
        "db_read": "ours GET /api/routines/ (token, DB)",
        "hello": "Mangum + FastAPI GET /api/ (hello)",
    }
    for name, row in table.items():
        print(
            f"{labels[name]:36} {row['status']:>6} {row['per_s']:8.0f} {row['median_ms']:10.2f} {row['p99_ms']:8.2f}"
        )
    ratio = table["api_root"]["per_s"] / table["hello"]["per_s"]
    verdict = "PASS" if ratio > 1 else "FAIL"
    print(f"budget: warm GET /api/ {ratio:.2f}x FastAPI's hello throughput > 1x: {verdict}")
    if ratio <= 1:
        failed.append("warm api root")

    print(f"\n== SnapStart, simulated snapshot and two restores ({_load()})")
    for number, copy in enumerate(snapstart(world), start=1):
        if "error" in copy:
            print(f"copy {number}: {copy['error']}")
            failed.append("snapstart")
            continue
        print(
            f"copy {number}: first request after restore {copy['connect_ms'] + copy['first_ms']:.0f} ms"
            f" (of which the database connection {copy['connect_ms']:.0f}), the next {copy['second_ms']:.0f} ms;"
            f" cold start {cold['ours']:.0f} ms in step 1"
        )
    print(f"\n{'FAIL: ' + ', '.join(failed) if failed else 'all budgets met'} ({_load()})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

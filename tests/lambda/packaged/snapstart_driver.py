"""A SnapStart snapshot and two restores of the unzipped package, simulated; run with ``python -I -S -B``.

argv: package dir, simulated /var/runtime, fixtures dir, event JSON (an authenticated API read),
results JSON. As Lambda does with ``AWS_LAMBDA_INITIALIZATION_TYPE=snap-start``: Init imports the
handler module, which registers its hooks with ``snapshot_restore_py`` (a stand-in here, recording
them); then Init leaves what an instance may hold before the snapshot (a database connection, an AWS
client with the Init's credentials, an upstream session), but serves no request;
then the before-snapshot hooks run; then the process forks twice, and each child (a restored copy)
gets new credentials as Lambda gives each copy, runs the after-restore hooks and serves the event
twice. Each child reports what it shares with the snapshot; the parent writes both reports.
"""

import json
import os
import sys
import time
import types

package_dir, runtime_dir, fixtures_dir, event_path, results_path = sys.argv[1:6]
sys.path[:0] = [fixtures_dir, package_dir]
sys.path.append(runtime_dir)
os.chdir(package_dir)
os.environ.setdefault("AWS_LAMBDA_FUNCTION_NAME", "serverless-django-dev")
os.environ["AWS_LAMBDA_INITIALIZATION_TYPE"] = "snap-start"

hooks = {"before": [], "after": []}
stand_in = types.ModuleType("snapshot_restore_py")
stand_in.register_before_snapshot = hooks["before"].append
stand_in.register_after_restore = hooks["after"].append
sys.modules["snapshot_restore_py"] = stand_in

from config.lambda_entry import handler  # noqa: E402  (Init: as Lambda imports it)

with open(event_path) as source:
    event = json.load(source)


def backend_id(connection):
    """The database session serving this process: PostgreSQL's backend pid, or None on SQLite."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def access_key():
    from core import aws

    return aws.client("dynamodb")._request_signer._credentials.access_key


# --- Init before the snapshot: Django loaded, a connection, clients, a session (no request yet) --
registered = {name: len(found) for name, found in hooks.items()}
from config.lambda_http import application  # noqa: E402

application()
from django.db import connection  # noqa: E402

from core.http import UpstreamClient  # noqa: E402

connection.ensure_connection()
snapshot = {
    "backend": backend_id(connection),
    "access_key": access_key(),
}
upstream = UpstreamClient(name="Upstream", base_url="http://127.0.0.1:9/")
upstream.session()
for hook in hooks["before"]:
    hook()
snapshot["connection_open_after_hooks"] = connection.connection is not None

import random  # noqa: E402

# Python reseeds ``random`` in a forked child (os.register_at_fork); a SnapStart restore does not: each
# child puts back the snapshot's state first, as a restored copy has it.
snapshot_random_state = random.getstate()
children = []
for number in range(2):
    read_end, write_end = os.pipe()
    if hasattr(os, "fork"):  # the simulated restore forks: POSIX only, as Lambda's Linux is
        pid = os.fork()
    else:
        raise SystemExit("the SnapStart simulation forks the process: it needs Linux or macOS")
    if pid == 0:  # a restored copy
        os.close(read_end)
        os.environ["AWS_ACCESS_KEY_ID"] = f"restored-copy-{number}"  # Lambda's credentials of this copy
        random.setstate(snapshot_random_state)
        try:
            for hook in hooks["after"]:
                hook()
            report = {
                "connection_open_after_restore": connection.connection is not None,
                "upstream_sessions_after_restore": len(upstream._sessions),
                "random": [random.random() for _ in range(3)],
            }
            modules = set(sys.modules)
            started = time.perf_counter()
            connection.ensure_connection()  # this copy's own connection (the first request would open it)
            report["connect_ms"] = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
            response = handler(event, None)
            report["first_ms"] = (time.perf_counter() - started) * 1000
            report["first_imported"] = sorted(set(sys.modules) - modules)
            started = time.perf_counter()
            handler(event, None)
            report["second_ms"] = (time.perf_counter() - started) * 1000
            report.update(
                status=response["statusCode"],
                count=json.loads(response["body"]).get("count"),
                backend=backend_id(connection),
                access_key=access_key(),
            )
        except Exception as exc:  # reported, not raised: the parent must hear from both copies
            report = {"error": f"{type(exc).__name__}: {exc}"}
        with os.fdopen(write_end, "w") as out:
            json.dump(report, out)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as source:
        children.append(json.loads(source.read() or "{}"))
    os.waitpid(pid, 0)

with open(results_path, "w") as out:
    json.dump({"registered": registered, "snapshot": snapshot, "copies": children}, out)

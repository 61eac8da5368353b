"""Run events through the unzipped package the way Lambda does; started with ``python -I -S -B``.

argv: package dir, simulated /var/runtime (boto3, botocore, s3transfer), fixtures dir, events JSON,
results JSON. Nothing else is on sys.path: no site-packages, no dev tools.
"""

import json
import os
import sys

package_dir, runtime_dir, fixtures_dir, events_path, results_path = sys.argv[1:6]
# Lambda's order: the function code first, the runtime's own packages (boto3, botocore) last.
sys.path[:0] = [fixtures_dir, package_dir]
sys.path.append(runtime_dir)
os.chdir(package_dir)
# Lambda names the function in every one's environment (config.settings reads it: deployed settings).
os.environ.setdefault("AWS_LAMBDA_FUNCTION_NAME", "serverless-django-dev")

from config.lambda_entry import handler  # noqa: E402  (as Lambda imports "config.lambda_entry")


class Context:
    """The part of Lambda's context the product reads: the time left (DRIVER_TIMEOUT_SECONDS a call)."""

    def __init__(self, seconds):
        import time

        self._deadline = time.monotonic() + seconds

    def get_remaining_time_in_millis(self):
        import time

        return max(0, int((self._deadline - time.monotonic()) * 1000))


timeout = os.environ.get("DRIVER_TIMEOUT_SECONDS")
results = []
with open(events_path) as source:
    events = json.load(source)
for event in events:
    try:
        results.append({"result": handler(event, Context(float(timeout)) if timeout else None)})
    except Exception as exc:  # Lambda would mark the invocation failed
        results.append({"error": f"{type(exc).__name__}: {exc}"})
try:
    import moto  # noqa: F401

    dev_tools = True
except ImportError:
    dev_tools = False
results.append(
    {
        "python": list(sys.version_info[:3]),
        "sys_path": sys.path,
        "dev_tools_importable": dev_tools,
        "modules": sorted(sys.modules),
    }
)
with open(results_path, "w") as out:
    json.dump(results, out, default=str)

"""One cold start, run by bench/cold_start.py as ``python -I -S -B bench/cold_child.py KIND ...``.

KIND ``django``: argv = package dir, runtime dir (boto3/botocore, as /var/runtime), event JSON.
KIND ``mangum``: argv = app dir, bench virtualenv site-packages, event JSON.
Prints one JSON line: the wall clock (time.time_ns) once the handler returned, the process's CPU time
then (time.process_time_ns), status, body size.
Nothing but this file's standard-library imports runs before the handler is imported.
"""

import json
import os
import sys
import time

kind, code_dir, extra_dir, event_path = sys.argv[1:5]
with open(event_path) as source:
    event = json.load(source)
if kind == "django":
    # Lambda's order: the function code first, the runtime's own packages (boto3, botocore) last.
    sys.path[:0] = [code_dir]
    sys.path.append(extra_dir)
    os.chdir(code_dir)
    from config.lambda_entry import handler
else:
    sys.path[:0] = [code_dir, extra_dir]
    from mangum_app import handler

response = handler(event, None)
done = time.time_ns()
cpu_ns = time.process_time_ns()  # the process's CPU time so far: less bent by other load than the wall clock
try:
    count = json.loads(response["body"]).get("count")
except (ValueError, AttributeError, KeyError):
    count = None
print(
    json.dumps(
        {
            "done_ns": done,
            "cpu_ns": cpu_ns,
            "status": response["statusCode"],
            "body_bytes": len(response.get("body") or ""),
            "count": count,
            "boto3": "boto3" in sys.modules,
            "modules": len(sys.modules),
        }
    )
)

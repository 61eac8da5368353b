"""Warm requests in one process, run by bench/warm.py as ``python -I -S -B bench/warm_child.py KIND ...``.

KIND ``django``: argv = package dir, runtime dir, events JSON ({name: event}), calls per event, rounds.
KIND ``mangum``: argv = app dir, bench virtualenv site-packages, events JSON, calls, rounds.
Each event is answered once (warm-up, not counted), then ``calls`` times per round; the rounds of the
events are interleaved. Prints one JSON line: {name: {"status": ..., "ns": [one duration per call]}}.
"""

import json
import os
import sys
import time

kind, code_dir, extra_dir, events_path, calls, rounds = sys.argv[1:7]
with open(events_path) as source:
    events = json.load(source)
if kind == "django":
    sys.path[:0] = [code_dir]
    sys.path.append(extra_dir)
    os.chdir(code_dir)
    from config.lambda_entry import handler
else:
    sys.path[:0] = [code_dir, extra_dir]
    from mangum_app import handler

results = {}
for name, event in events.items():
    response = handler(event, None)
    results[name] = {"status": response["statusCode"], "ns": []}
clock = time.perf_counter_ns
for _ in range(int(rounds)):
    for name, event in events.items():
        durations = results[name]["ns"]
        for _ in range(int(calls)):
            started = clock()
            handler(event, None)
            durations.append(clock() - started)
print(json.dumps(results))

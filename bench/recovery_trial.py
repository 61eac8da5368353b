"""The recovery trial of issue 19 at full size, on the product's own deadlines.

The recovery gate (tests/core/test_recovery_gate.py) runs every app's recovery case with short deadlines
and a scheduled minute of two seconds, so it fits in the test suite. This runs the same cases as a person
would meet them: an order mid-walk (a four-minute walk, polled every real minute), 40 country fetches, a
4,000-row scrape and a burst of routine taps, then SIGKILL of `devserver`'s whole process group, one
restart, and the product's default deadlines (five minutes before a queued fetch or a stuck scrape is
moved on). Every piece of work must reach a final state within 8 minutes of the restart, nothing
acknowledged lost, nothing done twice. Prints when each app finished; exits non-zero otherwise.

    .venv/bin/python bench/recovery_trial.py [--within 480]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--within", type=float, default=480, help="seconds after the restart (default 480)")
    args = parser.parse_args()
    os.environ.setdefault("RECOVERY_FETCHES", "40")
    os.environ.setdefault("RECOVERY_ORDER_WALK", "240")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()
    from tests.core.test_recovery_gate import run_recovery

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="recovery-trial-") as folder:
        failures, _ = run_recovery(
            Path(folder),
            short_deadlines=False,
            finish_within=args.within,
            progress=lambda label, seconds: print(
                f"{label}: finished {seconds:.0f} s after the restart", flush=True
            ),
        )
    print(f"trial: {time.monotonic() - started:.0f} s in all", flush=True)
    for label, reason in sorted(failures.items()):
        print(f"FAILED {label}: {reason}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""No test sees the DynamoDB items another test left, whichever fixtures it asked for."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_days_left_by_an_earlier_test_never_reach_a_later_tests_streak():
    # The reproduction of the order dependence, in that order: its own pytest on SQLite (whose reused
    # ids make the leftover days land on the second test's routine), one process, no random order.
    dropped = ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PYTEST_XDIST_WORKER")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            "-n",
            "0",
            "-q",
            "--ds",
            "tests.settings",
        ]
        + ["tests/routines/isolation_cases.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        stdin=subprocess.DEVNULL,
    )

    assert completed.returncode == 0, completed.stdout[-3000:]
    assert "3 passed" in completed.stdout

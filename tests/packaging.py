"""The Lambda zip the slow tests run (tests/lambda/, tests/deploy/): built once per test session."""

import os
import subprocess
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@cache
def package_zip() -> Path:
    """``make package STAGE=dev`` (python3.13), or the zip named by LAMBDA_PACKAGE_ZIP."""
    prebuilt = os.environ.get("LAMBDA_PACKAGE_ZIP")
    if prebuilt:
        return Path(prebuilt)
    completed = subprocess.run(
        ["make", "package", "STAGE=dev"], cwd=ROOT, capture_output=True, text=True, timeout=1500
    )
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-3000:]
    return ROOT / "build/dev.zip"

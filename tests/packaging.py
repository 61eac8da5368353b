"""The Lambda zip the packaged tests run (tests/lambda/, tests/deploy/): built once, then reused.

``python tasks.py package --stage dev`` (``make package STAGE=dev``) takes a minute or more on the
2-core machine, so a run never builds it twice, and a run whose sources did not change since the
last build does not build it at all:

* the zip is kept in the out-of-tree cache (``<cache>/zips/dev-<key>.zip``, beside the package
  virtualenv), named by a key over everything that decides its contents: the lock files,
  zappa_settings.json, the runtime interpreter's version and the content of every file of the
  checkout that can be packaged (tracked or untracked-but-not-ignored; tests/, bench/, .ci/, the
  Markdown files, pyproject.toml and the dev lock are never packaged, so editing them reuses the zip);
* an exclusive lock on ``<cache>/zips/.lock`` (filelock: flock on POSIX, msvcrt on Windows) makes
  every process (the xdist workers, a second checkout) wait for one build instead of starting their own;
* :func:`start_background_build` starts that build at collection, in a thread of the first worker,
  when the run holds a test that needs it, so the minute of packaging overlaps the other tests;
* ``LAMBDA_PACKAGE_ZIP=path`` uses that zip instead, ``LAMBDA_ZIP_CACHE=rebuild`` builds a fresh one
  even when the cache has it (.ci/run does, so CI proves the build from its clean clone).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
import threading
from functools import cache
from pathlib import Path

from filelock import FileLock

from core.deploy import runtime

ROOT = Path(__file__).resolve().parents[1]
NEVER_PACKAGED = ("tests/", "bench/", ".ci/", "docs/", "pyproject.toml", "requirements-dev.")


def _packaged_sources() -> list[str] | None:
    """The checkout's files that can reach the zip, or None outside a git checkout."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    names = {name for name in listed.decode().split("\0") if name}
    return sorted(
        name
        for name in names
        if not name.startswith(NEVER_PACKAGED) and not name.endswith(".md") and (ROOT / name).is_file()
    )


def cache_key() -> str | None:
    """A digest of everything the zip is built from, or None when it cannot be known (no git)."""
    sources = _packaged_sources()
    if sources is None:
        return None
    digest = hashlib.sha256()
    digest.update(f"runtime={runtime.runtime()} {runtime.version_of(runtime.runtime())}\0".encode())
    for name in sources:
        digest.update(name.encode() + b"\0")
        digest.update(hashlib.sha256((ROOT / name).read_bytes()).digest())
    return digest.hexdigest()[:20]


def _zips_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(base) / "serverless-django" / "zips"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _build() -> Path:
    completed = subprocess.run(
        [sys.executable, "tasks.py", "package", "--stage", "dev"],  # what `make package` runs
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1500,
        stdin=subprocess.DEVNULL,
    )
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-3000:]
    return ROOT / "build/dev.zip"


@cache
def package_zip() -> Path:
    """The dev stage's zip: LAMBDA_PACKAGE_ZIP, else the cached build of these sources, else a new build."""
    prebuilt = os.environ.get("LAMBDA_PACKAGE_ZIP")
    if prebuilt:
        return Path(prebuilt)
    rebuild = os.environ.get("LAMBDA_ZIP_CACHE") == "rebuild"
    folder = _zips_dir()
    with FileLock(folder / ".lock"):  # one build at a time; the others then find it cached
        key = cache_key()
        cached = folder / f"dev-{key}.zip" if key else None
        if cached is not None and cached.exists() and not (rebuild and not _fresh_marker(cached).exists()):
            return cached
        built = _build()
        if cached is None:
            return built
        for old in folder.glob("dev-*.zip*"):  # keep one zip: the cache is a speed-up, not a store
            old.unlink(missing_ok=True)
        partial = cached.with_suffix(".zip.partial")
        shutil.copyfile(built, partial)
        os.replace(partial, cached)
        if rebuild:
            _fresh_marker(cached).write_text(str(os.getppid()))
        return cached


def _fresh_marker(cached: Path) -> Path:
    """With LAMBDA_ZIP_CACHE=rebuild, marks a zip built by this test run (the workers share a parent)."""
    return cached.with_suffix(
        f".zip.run-{os.getppid() if os.environ.get('PYTEST_XDIST_WORKER') else os.getpid()}"
    )


def start_background_build() -> threading.Thread:
    """Build (or find) the zip in a thread now, so tests that need it later find it ready."""

    def build() -> None:
        # On failure the test that needs the zip builds it again in the foreground and reports why.
        with contextlib.suppress(AssertionError, OSError, subprocess.SubprocessError):
            package_zip()

    thread = threading.Thread(target=build, name="package-zip", daemon=True)
    thread.start()
    return thread

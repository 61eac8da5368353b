"""Django's own contract suites, taken from the installed Django's source distribution at test time.

The product hand-writes two Django backends (core/aws/sessions.py, core/aws/cache.py). Django tests every
backend it ships with shared suites (``SessionTestsMixin`` and ``SessionMiddlewareTests`` in
``tests/sessions_tests/tests.py``, ``BaseCacheTests`` in ``tests/cache/tests.py``); third-party
backends plug themselves into them. Those suites are not in the wheel, only in the source
distribution, so the first test run downloads it once (``pip download django==<installed version>
--no-binary :all:``, ~10 MB) and keeps the two test packages and Django's LICENSE in
``~/.cache/serverless-django/django-tests-<version>/``. The folder is named by ``django.__version__``:
upgrading Django runs the new version's contract.

The two packages are Django apps (their test models), so tests/settings.py installs them, with
``django.contrib.sessions`` (whose ``Session`` model the session suite imports), through
:func:`installed_apps`. When the download fails, a developer's run goes on without them (the
contract modules skip, saying why); a CI run (``CI=true``) fails instead.

What the backends are excused from, and why, is :data:`EXCLUDED`: the one place.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

# Django's test packages the contract modules import; both are apps (they declare models).
SUITES = ("cache", "sessions_tests")

# Tests of Django's suites the product's backends do not run, with the reason (test ids are
# ``<suite>.<TestClass>.<method>`` of Django's classes).
EXCLUDED = {
    "cache.BaseCacheTests.test_cull": (
        "MAX_ENTRIES culling: DynamoDB has no size limit to protect and its TTL removes old entries; "
        "Django skips the cull tests for memcached and Redis too"
    ),
    "cache.BaseCacheTests.test_zero_cull": (
        "CULL_FREQUENCY=0 culling: DynamoDB has no size limit to protect and its TTL removes old "
        "entries; Django skips the cull tests for memcached and Redis too"
    ),
    "sessions_tests.SessionMiddlewareTests.test_empty_session_saved": (
        "reads the saved session back through django.contrib.sessions' Session model, that is from the "
        "database engine's table; tests/core/test_sessions.py checks the same for DynamoDB"
    ),
}

# Set by obtain() when Django's tests could not be had on this machine.
unavailable: str | None = None


def folder() -> Path:
    import django

    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "serverless-django" / f"django-tests-{django.__version__}"


def _download(version: str, into: Path) -> Path:
    """The source distribution of Django ``version``, through pip (PyPI, or the configured index)."""
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            f"django=={version}",
            "--no-binary",
            ":all:",
            "--no-deps",
            "--quiet",
            "--disable-pip-version-check",
            "-d",
            str(into),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    found = sorted(into.glob("*.tar.gz"))
    if completed.returncode != 0 or not found:
        last = (completed.stderr.strip().splitlines() or ["no source distribution downloaded"])[-1]
        raise RuntimeError(f"pip download django=={version} --no-binary :all: failed: {last}")
    return found[0]


def _extract(sdist: Path, version: str, into: Path) -> None:
    """Django's LICENSE and the suites' packages, out of the source distribution."""
    top = f"django-{version}/"
    wanted = (top + "LICENSE", *(f"{top}tests/{suite}/" for suite in SUITES))
    with tarfile.open(sdist) as archive:
        members = []
        for member in archive.getmembers():
            if not member.isfile() or not member.name.startswith(wanted):
                continue
            member.name = member.name.removeprefix(top).removeprefix("tests/")
            members.append(member)
        archive.extractall(into, members=members, filter="data")
    for suite in SUITES:
        if not (into / suite / "tests.py").is_file():
            raise RuntimeError(f"{sdist.name} holds no tests/{suite}/tests.py")


def obtain() -> Path:
    """The folder holding Django's suites for the installed version, downloaded on first use."""
    import django
    from filelock import FileLock  # flock on POSIX, msvcrt on Windows (fcntl is POSIX only)

    target = folder()
    if (target / "LICENSE").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # pytest-xdist's workers all load the settings at once: one downloads, the others wait for it.
    with FileLock(target.parent / f"{target.name}.lock"):
        if (target / "LICENSE").is_file():
            return target
        with tempfile.TemporaryDirectory(dir=target.parent) as work:
            sdist = _download(django.__version__, Path(work) / "sdist")
            staged = Path(work) / "tests"
            _extract(sdist, django.__version__, staged)
            shutil.rmtree(target, ignore_errors=True)
            staged.rename(target)
    return target


def installed_apps() -> list[str]:
    """What tests/settings.py adds to INSTALLED_APPS: the suites' apps, or nothing when they cannot be had."""
    global unavailable
    try:
        path = obtain()
    except Exception as exc:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            raise RuntimeError(
                f"Django's contract suites (tests/contract/) cannot be obtained, and CI must run them: {exc}"
            ) from exc
        unavailable = f"Django's test suite could not be obtained: {exc}"
        return []
    if str(path) not in sys.path:
        sys.path.append(str(path))  # last: nothing of the project or of site-packages is shadowed
    return ["django.contrib.sessions", *SUITES]


def require() -> None:
    """Skip the calling contract module (saying why) when Django's suites are not installed."""
    import pytest
    from django.conf import settings

    if unavailable or not set(SUITES) <= set(settings.INSTALLED_APPS):
        pytest.skip(unavailable or "Django's suites are not in INSTALLED_APPS", allow_module_level=True)


def excluding_in(suite: str):
    """A class decorator: the tests :data:`EXCLUDED` lists for ``suite`` are skipped, giving the reason."""
    import unittest

    def decorate(cls: type) -> type:
        bases = {base.__name__: base for base in cls.__mro__}
        for test_id, reason in EXCLUDED.items():
            owner, _, name = test_id.removeprefix(f"{suite}.").partition(".")
            if test_id.startswith(f"{suite}.") and owner in bases:
                setattr(cls, name, unittest.skip(reason)(getattr(bases[owner], name)))
        return cls

    return decorate

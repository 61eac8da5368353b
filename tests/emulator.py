"""The session's embedded AWS as every test sees it: provisioned once per process, empty at each test's start.

tests/settings.py starts one :class:`~core.local.moto_server.EmbeddedMotoServer` per test process (each
pytest-xdist worker has its own). Before every test, :func:`ready` makes sure it holds every declared
table, queue, topic and stream and that they are empty: the first test of a process provisions them;
every later test only empties them in-process (:func:`core.local.moto_server.empty_resources`), which
costs well under a millisecond where the old per-test emptying over HTTP cost ~180 ms. Because it runs
before *every* test (an autouse fixture in tests/conftest.py), no test can see the items, messages,
subscriptions or stream records another test left, whether or not it asked for the ``aws`` fixture.

A test that replaces resources (``aws_fresh``, the deploy tests) marks the emulator dirty; the next
test then gets a brand-new one (moto reset, then provisioning). ``generation`` counts those resets, so
code that provisioned other names itself (the packaged zip's stage) knows when to do it again.
"""

from __future__ import annotations

import os


class Emulator:
    """``state``: "empty" (nothing), "provisioned" (the declared resources) or "dirty" (whatever a test
    that replaces resources left); ``generation`` goes up at every reset."""

    state = "empty"
    generation = 0


def server():
    """The process's embedded server (tests/settings.py started it)."""
    from tests import settings

    return settings._server


def reset() -> None:
    """A brand-new, empty emulator: every resource gone."""
    import requests

    # Clients stay: the endpoint is the same, and building boto3 clients again costs ~1 s.
    requests.post(f"{os.environ['AWS_ENDPOINT_URL']}/moto-api/reset", timeout=10)
    Emulator.state = "empty"
    Emulator.generation += 1


def provision() -> None:
    from core.deploy.provisioning import aws_provision

    aws_provision()
    Emulator.state = "provisioned"


def ready() -> None:
    """Every declared resource exists and holds nothing."""
    if Emulator.state == "provisioned":
        server().empty()
        return
    if Emulator.state == "dirty":
        reset()
    provision()


def fresh() -> None:
    """A brand-new emulator holding only the declared resources; the next test starts over."""
    if Emulator.state != "empty":
        reset()
    provision()
    Emulator.state = "dirty"

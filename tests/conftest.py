"""Test fixtures shared by every app: the embedded AWS, personas and their clients.

The emulator itself is started by tests/settings.py (before Django's settings load), so every
boto3/PynamoDB call in the product goes over HTTP to moto, as it would to AWS.

* before every test (autouse): every declared table, queue, topic and stream exists and is empty.
  They are provisioned once per process; each test then only empties them in-process
  (tests/emulator.py), so no test sees another's items, messages or stream records, in any order.
  ``aws`` names that dependency; ``aws_fresh`` gives a brand-new emulator (moto reset, then
  provisioning) to the tests that create or delete resources themselves.
* ``alice`` and ``bob`` need only the database; ``alice_client`` (a logged-in browser session)
  needs ``aws`` because sessions live in DynamoDB.
"""

from __future__ import annotations

import os

import pytest

# Shared fixtures (the local event runner), visible to every package, tests/e2e included.
pytest_plugins = ["tests.support.fixtures"]


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """No test counts another's requests against a throttle (the test settings' local cache)."""
    from django.conf import settings
    from django.core.cache import caches

    caches[settings.THROTTLE_CACHE].clear()


@pytest.fixture(autouse=True)
def _root_script_prefix():
    """Every test starts at the root URL prefix.

    A request through the Lambda handler in this process (tests/lambda/) sets Django's script
    prefix to its stage (`/dev/`) for the thread, and the test client never resets it, so a later
    test's reverse() would answer `/dev/account/login/`.
    """
    from django.urls import set_script_prefix

    set_script_prefix("/")
    yield
    set_script_prefix("/")


@pytest.fixture(scope="session")
def moto_url() -> str:
    return os.environ["AWS_ENDPOINT_URL"]


@pytest.fixture(autouse=True)
def _empty_emulator(request):
    """Every test starts with every declared resource present and empty (tests/emulator.py), so no
    test sees what another left, whatever fixtures it asked for and in whatever order tests run.
    A module marked ``keeps_emulator`` (tests/deploy/) works on an emulator of its own making."""
    from tests import emulator

    if request.node.get_closest_marker("keeps_emulator") is None:
        emulator.ready()


@pytest.fixture
def aws(moto_url):
    """Every declared AWS resource, empty (as for every test); names the dependency."""
    return moto_url


@pytest.fixture
def aws_fresh(moto_url):
    """A brand-new emulator holding only the declared resources (for tests that create or delete
    resources themselves, or need moto's own state new); the next test gets a new one too."""
    from tests import emulator

    emulator.fresh()
    return moto_url


@pytest.fixture
def alice(db):
    from tests.accounts.factories import UserFactory

    return UserFactory(username="alice", time_zone="Europe/Paris")


@pytest.fixture
def bob(db):
    from tests.accounts.factories import UserFactory

    return UserFactory(username="bob", time_zone="America/Los_Angeles")


@pytest.fixture
def alice_client(alice, aws):
    from django.test import Client

    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def api_alice(alice):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(alice)
    return client


@pytest.fixture
def api_bob(bob):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(bob)
    return client


@pytest.fixture
def clock():
    """Pin the product's clock (core.clock): ``clock.set(datetime(..., tzinfo=...))``."""
    from core import clock as product_clock

    class Clock:
        now = None

        def set(self, when):
            self.now = when
            product_clock.set_frozen(when)

    yield Clock()
    product_clock.set_frozen(None)


# --- how the suite is split over pytest-xdist workers (`make test`: cores + 1 workers, `--dist loadgroup`) --

# Tests that share something costly run on one worker, one after another: a browser test module
# (one Chromium per module), the packaged-zip tests (the zip unzipped and migrated once per process) and
# each deploy module (one walk over one deployed stage). A prefix ending in "/" makes one group per
# module under it, so the workers share the browser modules and the deploy walks between them; the zip
# itself is built once per run whichever worker asks first (tests/packaging.py).
XDIST_GROUPS = {
    "tests/e2e/": "browser",
    "tests/lambda/test_package.py": "package",
    "tests/deploy/": "deploy",
}
# Fixtures through which a test reaches the database; a test with none of them (and no django_db mark)
# is marked ``no_db``: pytest-django refuses it any query, so it does not depend on which database runs
# (.ci/run runs those once, on SQLite, not again on PostgreSQL).
DB_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server"}
)


def xdist_group_of(nodeid: str) -> str | None:
    """The group a test runs in (XDIST_GROUPS), or None for a test any worker may take on its own."""
    path = nodeid.split("::", 1)[0]
    for prefix, group in XDIST_GROUPS.items():
        if path.startswith(prefix):
            module = path[len(prefix) :] if prefix.endswith("/") else ""
            return f"{group}:{module}" if module else group
    return None


def _group_in_node_id(item) -> None:
    """Put the test's xdist group into its node id (``...::test_x@deploy:test_deploy.py``), which is
    how pytest-xdist's loadgroup scheduler finds it. xdist writes the suffix to ``item._nodeid``, an
    attribute pytest 9 no longer reads (its node id is ``_id``): without this every test was its own
    group, a deploy walk's module fixture (a whole Zappa deploy) ran once on each worker that got one
    of its tests, and the packaged tests unzipped and migrated on every worker."""
    marks = [
        mark.args[0] if mark.args else mark.kwargs.get("name", "default")
        for mark in item.iter_markers("xdist_group")
    ]
    if marks and "@" not in item.nodeid:
        from _pytest.nodeid import coerce_node_id

        item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(sorted(set(map(str, marks))))}")


def restore_file_order(items) -> None:
    """Put the tests of each module marked ``in_file_order`` back in the order they are written, in the
    places the shuffle gave that module's tests. Each module refills only its own places: refilling all
    of them from one sorted list split a module whose places came after a shorter module's, and its
    module-scoped fixtures (a whole deploy) were set up again for each part."""
    walks: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        if item.get_closest_marker("in_file_order"):
            walks.setdefault(str(item.path), []).append(index)
    for places in walks.values():
        in_order = sorted((items[index] for index in places), key=lambda item: item.location[1])
        for index, item in zip(places, in_order, strict=True):
            items[index] = item


def pytest_collection_modifyitems(config, items):
    # A module marked ``in_file_order`` is one walk (deploy, update, undeploy): pytest-randomly shuffled
    # every module's tests before this hook; its tests go back to the order they are written in, in the
    # places they were shuffled to (so the rest of the run keeps its random order).
    restore_file_order(items)
    for item in items:
        label = getattr(item, "operation_label", None)  # schemathesis' one test per API operation
        if label and f"[{label}]" not in item.nodeid:
            # schemathesis gives all of them the function's node id; pytest-xdist hands tests to
            # workers by node id, so all but one were silently dropped. The operation makes it unique.
            from _pytest.nodeid import coerce_node_id  # pytest 9 keeps node ids structured

            item._id = coerce_node_id(f"{item.nodeid}[{label}]")
        group = xdist_group_of(item.nodeid)
        if group and item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(group))
        if config.getoption("dist", None) == "loadgroup":
            _group_in_node_id(item)
        if (
            item.get_closest_marker("django_db") is None
            and item.get_closest_marker("every_database") is None
            and not DB_FIXTURES & set(item.fixturenames)
        ):
            item.add_marker(pytest.mark.no_db)
    # The long ones first (the groups, the subprocess tests), so the workers fill in round them with the
    # short tests instead of one worker starting a one-minute test at the end; a stable sort, so each
    # part keeps its random order (and pytest-django's grouping by kind of database access).
    items.sort(
        key=lambda item: (
            item.get_closest_marker("xdist_group") is None and item.get_closest_marker("slow") is None
        )
    )


def pytest_collection_finish(session):
    """Start building the Lambda zip now when the run holds a test that needs it (one process does:
    the first worker, or the only one), so the minute of packaging overlaps the other tests."""
    if os.environ.get("PYTEST_XDIST_WORKER", "gw0") != "gw0" or os.environ.get("LAMBDA_PACKAGE_ZIP"):
        return
    if session.config.option.collectonly:
        return
    if any("package_zip" in getattr(item, "fixturenames", ()) for item in session.items):
        from tests import packaging

        packaging.start_background_build()

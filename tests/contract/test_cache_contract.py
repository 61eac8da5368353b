"""core.aws.cache held to Django's own cache contract, on the emulator (tests/contract/django_suite.py).

``BaseCacheTests`` is what every cache backend Django ships passes. Its caches (``default``,
``prefix``, ``v2``, ``custom_key``...) are all DynamoCache, so they share one table, as Redis or
memcached caches share one server; ``throttle`` stays the suite's local cache (tests/conftest.py
empties it before every test).
"""

import time
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.test import TestCase, override_settings

from core.aws import cache as cache_module
from tests.contract import django_suite

django_suite.require()

from cache import tests as django_cache  # noqa: E402

pytestmark = pytest.mark.usefixtures("aws")


@pytest.fixture(autouse=True)
def _sleeps_pass_at_once(monkeypatch):
    """The contract's ``time.sleep`` (about 13 s of them) moves the cache's clock instead of waiting.

    The backend reads the time in two places only: Django computes deadlines from ``time.time()``
    (django.core.cache.backends.base) and core.aws.cache compares them with ``_now()`` (DynamoDB keeps
    no clock of its own for it), so both follow the same clock, ahead of the real one by the sleeps.
    """
    ahead = 0.0

    def sleep(seconds: float) -> None:
        nonlocal ahead
        ahead += seconds

    def clock() -> float:
        return time.time() + ahead

    monkeypatch.setattr(django_cache, "time", SimpleNamespace(sleep=sleep, time=clock))
    monkeypatch.setattr("django.core.cache.backends.base.time", SimpleNamespace(time=clock))
    monkeypatch.setattr(cache_module, "_now", lambda: datetime.fromtimestamp(clock(), tz=UTC))


@django_suite.excluding_in("cache")
@override_settings(
    CACHES={
        **django_cache.caches_setting_for_tests(BACKEND="core.aws.cache.DynamoCache"),
        "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"},
    }
)
class DynamoCacheContractTests(django_cache.BaseCacheTests, TestCase):
    pass

"""core.cache held to Django's own cache contract, on the emulator (tests/contract/django_suite.py).

``BaseCacheTests`` is what every cache backend Django ships passes. Its caches (``default``,
``prefix``, ``v2``, ``custom_key``...) are all DynamoCache, so they share one table, as Redis or
memcached caches share one server; ``throttle`` stays the suite's local cache (tests/conftest.py
empties it before every test).
"""

import pytest
from django.test import TestCase, override_settings

from tests.contract import django_suite

django_suite.require()

from cache import tests as django_cache  # noqa: E402

pytestmark = pytest.mark.usefixtures("aws")


@django_suite.excluding_in("cache")
@override_settings(
    CACHES={
        **django_cache.caches_setting_for_tests(BACKEND="core.cache.DynamoCache"),
        "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"},
    }
)
class DynamoCacheContractTests(django_cache.BaseCacheTests, TestCase):
    pass

"""The DynamoDB cache (core/aws/cache.py) where DynamoDB's limits meet Django's cache contract.

Django's whole contract runs in tests/contract/test_cache_contract.py; these pin each place where
the backend had to do something about DynamoDB: whole-second TTLs, numbers it can add to, its
key and item sizes.
"""

import warnings
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.core.cache.backends.base import InvalidCacheKey

from core.aws import cache as cache_module
from core.aws.cache import DynamoCache, ValueTooLarge

pytestmark = pytest.mark.usefixtures("aws")


@pytest.fixture
def cache():
    return DynamoCache("", {})


@pytest.fixture
def at(monkeypatch):
    """Pin the cache's clock (the deadlines Django computes and the instants the cache compares)."""

    def set_time(epoch: float) -> None:
        monkeypatch.setattr("django.core.cache.backends.base.time", SimpleNamespace(time=lambda: epoch))
        monkeypatch.setattr(cache_module, "_now", lambda: datetime.fromtimestamp(epoch, tz=UTC))

    return set_time


def test_incr_and_decr_of_something_that_is_not_a_whole_number_raise_type_error(cache):
    cache.set("null", None)
    cache.set("doc", {"a": 1})
    cache.set("price", 2.5)
    cache.set("yes", True)

    for key in ("null", "doc", "price", "yes"):
        with pytest.raises(TypeError, match="not a whole number"):
            cache.incr(key)
        with pytest.raises(TypeError, match="not a whole number"):
            cache.decr(key)
    with pytest.raises(ValueError, match="not found"):
        cache.incr("missing")
    assert cache.get("price") == 2.5


def test_a_delta_that_is_not_a_whole_number_is_refused_and_the_count_is_kept(cache):
    cache.set("alice-logins", 3)

    with pytest.raises(TypeError, match="whole numbers"):
        cache.incr("alice-logins", 0.5)
    with pytest.raises(TypeError, match="whole numbers"):
        cache.decr("alice-logins", 1.5)

    assert cache.get("alice-logins") == 3
    assert cache.incr("alice-logins") == 4


def test_an_integer_too_large_for_a_dynamodb_number_is_kept_but_not_counted(cache):
    huge = 10**40

    cache.set("huge", huge)

    assert cache.get("huge") == huge
    with pytest.raises(TypeError, match="not a whole number DynamoDB can add to"):
        cache.incr("huge")


def test_an_entry_never_expires_before_its_timeout_though_dynamodb_keeps_whole_seconds(cache, at):
    at(1_800_000_000.85)
    cache.set("bob-claim", "v", timeout=1)  # due at ...001.85

    at(1_800_000_001.15)  # 0.3 s later, still 0.7 s before its deadline
    assert cache.get("bob-claim") == "v"
    assert cache.has_key("bob-claim")
    assert not cache.add("bob-claim", "other")  # the conditions agree with the reads
    assert cache.touch("bob-claim", timeout=1)  # due at ...002.15 now

    at(1_800_000_002.10)
    assert cache.get("bob-claim") == "v"

    at(1_800_000_003.0)  # past the deadline rounded up to the second: gone, read or written
    assert cache.get("bob-claim") is None
    assert cache.add("bob-claim", "new")


def test_a_key_longer_than_dynamodb_takes_is_an_invalid_cache_key(cache):
    key = "k" * 2100
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Django's warning that memcached would refuse it too
        for call in (lambda: cache.set(key, 1), lambda: cache.get(key), lambda: cache.add(key, 1)):
            with pytest.raises(InvalidCacheKey, match="at most 2048"):
                call()


def test_a_value_too_large_for_a_dynamodb_item_says_so(cache):
    with pytest.raises(ValueTooLarge, match="too large for a DynamoDB item"):
        cache.set("big", b"x" * 410_000)
    with pytest.raises(ValueTooLarge):
        cache.add("big", "x" * 410_000)

    assert cache.get("big") is None


def test_a_value_dynamodb_itself_refuses_as_too_large_is_value_too_large_not_a_raw_error(cache):
    # Under AWS's documented 409,600 bytes, so the size check lets it through; the emulator (moto)
    # stops at 405,000 bytes and answers a ValidationException, as DynamoDB would over its limit.
    with pytest.raises(ValueTooLarge, match="refused by DynamoDB: Item size has exceeded"):
        cache.set("large", b"x" * 406_000)

    assert cache.get("large") is None


def test_incr_adds_to_a_count_another_instance_starts_while_it_looks(cache, monkeypatch):
    other = DynamoCache("", {})
    read = DynamoCache._read

    def read_after_bob_starts_the_count(self, key):
        other.add("bob-logins", 1)  # between incr's refused update and its read, another instance counts
        return read(self, key)

    monkeypatch.setattr(DynamoCache, "_read", read_after_bob_starts_the_count)

    assert cache.incr("bob-logins") == 2

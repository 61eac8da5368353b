"""A Django cache backend on DynamoDB, shared by every Lambda instance (``core.aws.dynamo.CacheItem``).

The throttles (core/web/throttling.py) count requests here: Django's local-memory cache lives in one
Lambda instance, so each instance would keep its own count and an attacker spread over many would
never be stopped.

Hand-written after trying the maintained packages: django-dynamodb-cache 0.6.0 (2024) points
boto3 at ``http://localhost:8000`` whenever pytest is imported and has no endpoint setting (so it
cannot reach the embedded emulator), makes ``add`` and ``incr`` a read followed by a write (two
instances lose each other's counts), and builds a boto3 resource (boto3 is not otherwise loaded
on the HTTP path); enkonix-django-dynamodb-cache, its fork, requires Django < 4. This one is
PynamoDB, which sessions already load, and is atomic where a throttle needs it: ``add`` is a
conditional put, ``incr`` one UpdateItem ADD on an item that exists and has not expired.

``CACHES = {"throttle": {"BACKEND": "core.aws.cache.DynamoCache"}}``; errors of DynamoDB are raised
like any backend's, and the throttle decides what to do with them (it fails open).

It passes Django's own cache contract (``BaseCacheTests``, run by tests/contract/), but for
``MAX_ENTRIES`` culling (tests/contract/django_suite.py says why). Where DynamoDB differs:

* an entry never expires early and at most a second late: DynamoDB's TTL attribute holds whole
  seconds, so the deadline is rounded up, and reads and conditions compare against it;
* ``incr``/``decr`` add to whole numbers only, atomically: on anything else held (``None``, a
  string, a float, a number too large for DynamoDB) they raise ``TypeError``, as Redis and
  memcached do, and a delta that is not a whole number is refused with ``TypeError`` too;
* a key longer than DynamoDB's 2,048 bytes raises Django's ``InvalidCacheKey``, before any request;
  a value that makes the item larger than DynamoDB's 400 KB raises :class:`ValueTooLarge`, before
  the request when the pickled size shows it, or when DynamoDB refuses the item (moto, the
  emulator, stops at 405,000 bytes where AWS documents 409,600).
"""

from __future__ import annotations

import math
import pickle
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache, InvalidCacheKey

if TYPE_CHECKING:
    from core.aws.dynamo import CacheItem


def _table() -> type[CacheItem]:
    from core.aws.dynamo import CacheItem

    return CacheItem


def _now() -> datetime:
    return datetime.now(tz=UTC)


def _condition_failed(exc: Exception) -> bool:
    return getattr(exc, "cause_response_code", None) == "ConditionalCheckFailedException"


# DynamoDB's limits (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html).
MAX_KEY_BYTES = 2048  # a partition key
MAX_ITEM_BYTES = 400 * 1024  # an item: attribute names and values
# A DynamoDB number holds 38 significant digits: larger integers are pickled like any value.
MAX_NUMBER = 10**38 - 1
# What an item holds besides the key and the value: attribute names, the expiry number.
_ITEM_OVERHEAD = len("cache_key") + len("data") + len("expires_at") + 21


class ValueTooLarge(ValueError):
    """The value would make a DynamoDB item larger than DynamoDB stores (400 KB)."""


def _is_number(value: Any) -> bool:
    """Whether ``value`` is stored as a DynamoDB number, to which ``incr`` adds atomically."""
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) <= MAX_NUMBER


class DynamoCache(BaseCache):
    """Django's cache API on one DynamoDB table; ``LOCATION`` is unused (the table is the stage's)."""

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)

    # --- helpers ----------------------------------------------------------------------------

    def _expiry(self, timeout: float | None) -> datetime | None:
        """The deadline, rounded up to the whole second DynamoDB's TTL attribute holds: never early."""
        deadline = self.get_backend_timeout(timeout)
        return None if deadline is None else datetime.fromtimestamp(math.ceil(deadline), tz=UTC)

    def _key(self, key: str, version: int | None) -> str:
        made = self.make_and_validate_key(key, version=version)
        size = len(made.encode())
        if size > MAX_KEY_BYTES:
            raise InvalidCacheKey(
                f"Cache key {made[:40]!r}... is {size} bytes long; a DynamoDB key holds at most {MAX_KEY_BYTES}."
            )
        return made

    def _live(self) -> Any:
        """A condition: the item exists and has not expired (TTL deletes only eventually)."""
        table = _table()
        return table.cache_key.exists() & (table.expires_at.does_not_exist() | (table.expires_at > _now()))

    def _item(self, key: str, value: Any, timeout: float | None) -> CacheItem:
        table = _table()
        expires_at = self._expiry(timeout)
        if _is_number(value):
            return table(key, number=value, expires_at=expires_at)
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        size = len(key.encode()) + len(data) + _ITEM_OVERHEAD
        if size > MAX_ITEM_BYTES:
            raise ValueTooLarge(
                f"Cache value for {key!r} is {len(data)} bytes pickled: too large for a DynamoDB item "
                f"(at most {MAX_ITEM_BYTES} bytes with its key)."
            )
        return table(key, data=data, expires_at=expires_at)

    def _save(self, item: CacheItem, condition: Any = None) -> None:
        """Put ``item``; DynamoDB's own refusal of an item too large (its size counted its way) is
        :class:`ValueTooLarge` too, not a raw ValidationException."""
        from pynamodb.exceptions import PutError

        try:
            item.save(condition=condition)
        except PutError as exc:
            message = getattr(exc, "cause_response_message", None) or ""
            if getattr(exc, "cause_response_code", None) == "ValidationException" and "size" in message:
                raise ValueTooLarge(
                    f"Cache value for {item.cache_key!r} refused by DynamoDB: {message}"
                ) from exc
            raise

    def _read(self, key: str) -> CacheItem | None:
        table = _table()
        try:
            item = table.get(key, consistent_read=True)
        except table.DoesNotExist:
            return None
        if item.expires_at is not None and item.expires_at <= _now():
            return None
        return item

    # --- Django's cache API ---------------------------------------------------------------

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        item = self._read(self._key(key, version))
        if item is None:
            return default
        if item.number is not None:
            return int(item.number)
        return pickle.loads(item.data) if item.data is not None else default

    def set(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._save(self._item(self._key(key, version), value, timeout))

    def add(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        """Store ``value`` only if the key holds nothing live; True when it was stored."""
        from pynamodb.exceptions import PutError

        table = _table()
        item = self._item(self._key(key, version), value, timeout)
        try:
            self._save(item, condition=table.cache_key.does_not_exist() | (table.expires_at <= _now()))
        except PutError as exc:
            if _condition_failed(exc):
                return False
            raise
        return True

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        """Add ``delta`` atomically (Django's contract): ValueError if the key holds nothing live,
        TypeError if it holds something other than a whole number or ``delta`` is not one."""
        from pynamodb.exceptions import UpdateError

        if not isinstance(delta, int):
            raise TypeError(f"incr/decr add whole numbers; got {type(delta).__name__} {delta!r}.")
        table = _table()
        made = self._key(key, version)
        for _ in range(3):
            item = table(made)
            try:
                item.update(actions=[table.number.add(delta)], condition=self._live() & table.number.exists())
            except UpdateError as exc:
                if not _condition_failed(exc):
                    raise
            else:
                return int(item.number or 0)
            # Only now tell "nothing there" from "not a number": one more read, on the error path.
            held = self._read(made)
            if held is None:
                raise ValueError(f"Key {key!r} not found.")
            if held.number is None:
                value = pickle.loads(held.data) if held.data is not None else None
                raise TypeError(
                    f"Key {key!r} holds {type(value).__name__} {value!r}, not a whole number DynamoDB can add to."
                )
            # A number was set between the update and the read: add to it.
        raise ValueError(f"Key {key!r} kept changing while incr/decr added to it.")

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        from pynamodb.exceptions import UpdateError

        table = _table()
        item = table(self._key(key, version))
        expires_at = self._expiry(timeout)
        action = table.expires_at.set(expires_at) if expires_at else table.expires_at.remove()
        try:
            item.update(actions=[action], condition=self._live())
        except UpdateError as exc:
            if _condition_failed(exc):
                return False
            raise
        return True

    def delete(self, key: str, version: int | None = None) -> bool:
        from pynamodb.exceptions import DeleteError

        table = _table()
        try:
            table(self._key(key, version)).delete(condition=self._live())
        except DeleteError as exc:
            if _condition_failed(exc):
                return False
            raise
        return True

    def has_key(self, key: str, version: int | None = None) -> bool:
        return self._read(self._key(key, version)) is not None

    def clear(self) -> None:
        """Delete every entry: a Scan, for a person or a test, never on a request path."""
        for item in _table().scan(attributes_to_get=["cache_key"]):
            item.delete()

"""A Django cache backend on DynamoDB, shared by every Lambda instance (``core.dynamo.CacheItem``).

The throttles (core/throttling.py) count requests here: Django's local-memory cache lives in one
Lambda instance, so each instance would keep its own count and an attacker spread over many would
never be stopped.

Hand-written after trying the maintained packages: django-dynamodb-cache 0.6.0 (2024) points
boto3 at ``http://localhost:8000`` whenever pytest is imported and has no endpoint setting (so it
cannot reach the embedded emulator), makes ``add`` and ``incr`` a read followed by a write (two
instances lose each other's counts), and builds a boto3 resource (boto3 is not otherwise loaded
on the HTTP path); enkonix-django-dynamodb-cache, its fork, requires Django < 4. This one is
PynamoDB, which sessions already load, and is atomic where a throttle needs it: ``add`` is a
conditional put, ``incr`` one UpdateItem ADD on an item that exists and has not expired.

``CACHES = {"throttle": {"BACKEND": "core.cache.DynamoCache"}}``; errors of DynamoDB are raised
like any backend's, and the throttle decides what to do with them (it fails open).
"""

from __future__ import annotations

import pickle
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

if TYPE_CHECKING:
    from core.dynamo import CacheItem


def _table() -> type[CacheItem]:
    from core.dynamo import CacheItem

    return CacheItem


def _now() -> datetime:
    return datetime.now(tz=UTC)


def _condition_failed(exc: Exception) -> bool:
    return getattr(exc, "cause_response_code", None) == "ConditionalCheckFailedException"


class DynamoCache(BaseCache):
    """Django's cache API on one DynamoDB table; ``LOCATION`` is unused (the table is the stage's)."""

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)

    # --- helpers ----------------------------------------------------------------------------

    def _expiry(self, timeout: float | None) -> datetime | None:
        seconds = self.get_backend_timeout(timeout)
        return None if seconds is None else datetime.fromtimestamp(seconds, tz=UTC)

    def _live(self) -> Any:
        """A condition: the item exists and has not expired (TTL deletes only eventually)."""
        table = _table()
        return table.cache_key.exists() & (table.expires_at.does_not_exist() | (table.expires_at > _now()))

    def _item(self, key: str, value: Any, timeout: float | None) -> CacheItem:
        table = _table()
        expires_at = self._expiry(timeout)
        if isinstance(value, int) and not isinstance(value, bool):
            return table(key, number=value, expires_at=expires_at)
        return table(key, data=pickle.dumps(value, pickle.HIGHEST_PROTOCOL), expires_at=expires_at)

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
        item = self._read(self.make_and_validate_key(key, version=version))
        if item is None:
            return default
        if item.number is not None:
            return int(item.number)
        return pickle.loads(item.data) if item.data is not None else default

    def set(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._item(self.make_and_validate_key(key, version=version), value, timeout).save()

    def add(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        """Store ``value`` only if the key holds nothing live; True when it was stored."""
        from pynamodb.exceptions import PutError

        table = _table()
        item = self._item(self.make_and_validate_key(key, version=version), value, timeout)
        try:
            item.save(condition=table.cache_key.does_not_exist() | (table.expires_at <= _now()))
        except PutError as exc:
            if _condition_failed(exc):
                return False
            raise
        return True

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        """Add ``delta`` atomically; ValueError if the key holds nothing live (Django's contract)."""
        from pynamodb.exceptions import UpdateError

        table = _table()
        item = table(self.make_and_validate_key(key, version=version))
        try:
            item.update(actions=[table.number.add(delta)], condition=self._live() & table.number.exists())
        except UpdateError as exc:
            if _condition_failed(exc):
                raise ValueError(f"Key {key!r} holds no number.") from None
            raise
        return int(item.number or 0)

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        from pynamodb.exceptions import UpdateError

        table = _table()
        item = table(self.make_and_validate_key(key, version=version))
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
            table(self.make_and_validate_key(key, version=version)).delete(condition=self._live())
        except DeleteError as exc:
            if _condition_failed(exc):
                return False
            raise
        return True

    def has_key(self, key: str, version: int | None = None) -> bool:
        return self._read(self.make_and_validate_key(key, version=version)) is not None

    def clear(self) -> None:
        """Delete every entry: a Scan, for a person or a test, never on a request path."""
        for item in _table().scan(attributes_to_get=["cache_key"]):
            item.delete()

"""A Django session engine that keeps sessions in DynamoDB (``SESSION_ENGINE = "core.aws.sessions"``).

Hand-written because the design card's pick, django-dynamodb-sessions 0.6, is boto 2 code from
2015 that fails on Python 3.11 (``ImportError: cannot import name 'Mapping' from 'collections'``).
It follows the contract of Django's own backends (exists, create, save, delete, load,
clear_expired): creation is a conditional put so two new sessions never share a key, expiry
is a DynamoDB TTL attribute and is checked again on load because DynamoDB deletes expired
items only eventually. It works with ``USE_TZ`` on or off: with it off, Django hands out naive
expiry dates in ``TIME_ZONE``, which are made aware before they are stored (a TTL is an instant).
Django's own session contract runs against it both ways (tests/contract/).

A session that holds a signed-in user is also listed under that user in ``UserSessionItem``
(written with the session, deleted at log-out, expiring with it), so deleting an account finds
every session of the user with one Query (:func:`user_sessions_delete`): no Scan.

While DynamoDB cannot be reached (core.aws.unavailable) a session that cannot be read is empty: the
visitor is anonymous, pages that need no session keep working, and one warning line says why.
Writing one (a login) raises :class:`core.aws.unavailable.DataStoreUnavailable`, which the login form
and the middleware turn into a clear 503 instead of a 500.

PynamoDB (and botocore under it, ~75 ms) is imported on the first session read or write, not
with this module: Django imports the engine when it builds the middleware on every cold start,
and API requests authenticated by token never touch the session.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import CreateError, SessionBase, UpdateError
from django.utils import timezone

from core.aws.unavailable import DataStoreUnavailable, describe, is_unavailable

if TYPE_CHECKING:
    from pynamodb.exceptions import PutError
    from pynamodb.expressions.condition import Condition

    from core.aws.dynamo import SessionItem, UserSessionItem


def _table() -> type[SessionItem]:
    from core.aws.dynamo import SessionItem

    return SessionItem


def _user_sessions() -> type[UserSessionItem]:
    from core.aws.dynamo import UserSessionItem

    return UserSessionItem


logger = logging.getLogger(__name__)


@contextmanager
def _reachable(action: str) -> Iterator[None]:
    """DynamoDB errors a retry later can fix become DataStoreUnavailable."""
    try:
        yield
    except DataStoreUnavailable:
        raise
    except Exception as exc:
        if not is_unavailable(exc):
            raise
        raise DataStoreUnavailable(f"Sessions cannot be {action}: {describe(exc)}") from exc


def _now() -> datetime:
    return datetime.now(tz=UTC)


def _condition_failed(exc: PutError) -> bool:
    return getattr(exc, "cause_response_code", None) == "ConditionalCheckFailedException"


class SessionStore(SessionBase):
    def _get_item(self, session_key: str | None) -> SessionItem | None:
        if not session_key:
            return None
        from pynamodb.exceptions import DoesNotExist

        try:
            with _reachable("read"):
                item = _table().get(session_key, consistent_read=True)
        except DoesNotExist:
            return None
        if item.expires_at is None or item.expires_at <= _now():
            return None
        return item

    # Set when load() could not reach the table: the session is empty for this request, but its key
    # (and so the visitor's cookie) is kept, and nothing may be saved over what the table holds.
    unreadable = False

    def load(self) -> dict:
        try:
            item = self._get_item(self._session_key)
        except DataStoreUnavailable as exc:
            logger.warning("Session not loaded, the visitor is anonymous for now: %s", exc)
            self.unreadable = True
            return {}
        if item is None:
            self._session_key = None
            return {}
        return self.decode(item.data)

    def exists(self, session_key: str) -> bool:
        return self._get_item(session_key) is not None

    def create(self) -> None:
        while True:
            self._session_key = self._get_new_session_key()  # type: ignore[attr-defined]  # SessionBase API the stubs omit
            try:
                self.save(must_create=True)
            except CreateError:
                continue
            self.modified = True
            return

    def save(self, must_create: bool = False) -> None:
        if self.unreadable:
            raise DataStoreUnavailable("Session not saved: it could not be read, saving would overwrite it.")
        if self.session_key is None:
            return self.create()
        from pynamodb.exceptions import PutError

        SessionItem = _table()
        data = self._get_session(no_load=must_create)  # type: ignore[attr-defined]
        expires_at = self.get_expiry_date()
        if timezone.is_naive(expires_at):  # USE_TZ = False: a local time of TIME_ZONE
            expires_at = timezone.make_aware(expires_at)
        item = SessionItem(
            self._get_or_create_session_key(),  # type: ignore[attr-defined]
            data=self.encode(data),
            expires_at=expires_at,
        )
        condition: Condition
        if must_create:
            condition = SessionItem.session_key.does_not_exist()
        else:
            condition = SessionItem.session_key.exists()
        try:
            with _reachable("saved"):
                item.save(condition=condition)
        except PutError as exc:
            if not _condition_failed(exc):
                raise
            raise (CreateError if must_create else UpdateError) from exc
        user_id = data.get(SESSION_KEY)
        if user_id is not None:
            with _reachable("saved"):
                _user_sessions()(str(user_id), item.session_key, expires_at=expires_at).save()

    def delete(self, session_key: str | None = None) -> None:
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        with _reachable("deleted"):
            _table()(session_key).delete()

    @classmethod
    def clear_expired(cls) -> None:
        """Nothing to delete: the table's TTL is the one way sessions expire.

        DynamoDB deletes an expired item by itself (``expires_at`` is the table's TTL attribute,
        which ``provision`` enables, on the emulator too) and :meth:`load` refuses an expired item
        it has not deleted yet. Deleting them here would need a Scan of the whole table (and
        ``dynamodb:Scan`` in the role), which no path of the product may run. Django's
        ``clearsessions``, the only caller of this method, is not even installed
        (``django.contrib.sessions`` is not in INSTALLED_APPS); this stays for the backend contract.
        """


# --- A user's sessions -----------------------------------------------------------------------


def _logged_out(sender, request, user, **kwargs) -> None:
    """Log-out: the session is deleted by Django (flush); its entry under the user goes too."""
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if user is None or user.pk is None or not session_key or not isinstance(request.session, SessionStore):
        return
    with _reachable("deleted"):
        _user_sessions()(str(user.pk), session_key).delete()


def connect_signals() -> None:
    from django.contrib.auth.signals import user_logged_out

    user_logged_out.connect(_logged_out, dispatch_uid="core.aws.sessions.logged_out")


def user_sessions_list(*, user_id: int) -> list[UserSessionItem]:
    """The sessions a user signed in with that have not expired (one Query)."""
    with _reachable("read"):
        return [
            item
            for item in _user_sessions().query(str(user_id), consistent_read=True)
            if item.expires_at is not None and item.expires_at > _now()
        ]


def user_sessions_delete(*, user_id: int) -> int:
    """Delete every session of the user (everywhere they are signed in) and their entries; how many."""
    deleted = 0
    with _reachable("deleted"):
        for entry in _user_sessions().query(str(user_id), consistent_read=True):
            _table()(entry.session_key).delete()
            entry.delete()
            deleted += 1
    return deleted

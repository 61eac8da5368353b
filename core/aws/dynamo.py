"""The base of every PynamoDB model, and the tables core itself owns (sessions).

A model's table is ``core.contract.naming.resource_name(Meta.table_suffix)`` so each stage has its own
tables; apps list their models in ``dynamo_models`` on their AppConfig (core.apps). The endpoint (emulator or real AWS) and region come from the environment when the
first connection opens, which is what lets ``devserver`` start the emulator first.
"""

from __future__ import annotations

import os

from django.conf import settings
from pynamodb.models import Model

from core.aws.restore import on_restore
from core.contract.naming import resource_name


class DynamoModel(Model):
    """Abstract base: subclasses set ``Meta.table_suffix`` instead of ``Meta.table_name``."""

    class Meta:
        abstract = True
        # Set by each model (table_suffix) or by __init_subclass__ (the rest).
        table_suffix: str
        table_name: str
        region: str
        host: str | None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        meta = cls.__dict__.get("Meta")
        suffix = getattr(meta, "table_suffix", None)
        if meta is None or suffix is None:
            return
        meta.table_name = resource_name(suffix)
        meta.region = settings.AWS_REGION
        meta.host = os.environ.get("AWS_ENDPOINT_URL") or settings.AWS_ENDPOINT_URL
        meta.connect_timeout_seconds = getattr(meta, "connect_timeout_seconds", 3)
        meta.read_timeout_seconds = getattr(meta, "read_timeout_seconds", 10)
        meta.max_retry_attempts = getattr(meta, "max_retry_attempts", 3)

    @classmethod
    def _get_connection(cls):
        # Follow the endpoint chosen at run time (devserver starts the emulator after settings load).
        host = os.environ.get("AWS_ENDPOINT_URL") or settings.AWS_ENDPOINT_URL
        if cls.Meta.host != host:
            cls.Meta.host = host
            cls._connection = None
        return super()._get_connection()


@on_restore  # SnapStart: PynamoDB's connections hold the snapshot's credentials and sockets
def reset_connections() -> None:
    """Forget every model's PynamoDB connection; the next call builds a new one."""
    pending = list(DynamoModel.__subclasses__())
    while pending:
        model = pending.pop()
        model._connection = None
        pending.extend(model.__subclasses__())


# --- Tables owned by core -------------------------------------------------------------------

from pynamodb.attributes import (  # noqa: E402
    BinaryAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
)


class SessionItem(DynamoModel):
    """One Django session: the encoded session dict and when it stops being valid."""

    class Meta:
        table_suffix = "sessions"
        billing_mode = "PAY_PER_REQUEST"
        # Read on every signed-in page: when DynamoDB does not answer, give up within ~3 s (the
        # visitor is then anonymous, core.aws.sessions) instead of 4 x 3 s of default connect timeouts.
        connect_timeout_seconds = 1
        read_timeout_seconds = 3
        max_retry_attempts = 2

    session_key = UnicodeAttribute(hash_key=True)
    data = UnicodeAttribute()
    # DynamoDB deletes the item some time after this instant; loads check it too.
    expires_at = TTLAttribute()


class CacheItem(DynamoModel):
    """One entry of the shared Django cache (``core.aws.cache.DynamoCache``): throttle counters and the
    like, shared by every Lambda instance.

    Whole numbers live in ``number`` (so ``incr`` is one atomic ADD), anything else pickled in
    ``data``. The timeouts are short on purpose: a throttle asks on every write it guards and
    fails open when DynamoDB does not answer, so a sick DynamoDB must cost a request little.
    """

    class Meta:
        table_suffix = "cache"
        billing_mode = "PAY_PER_REQUEST"
        connect_timeout_seconds = 1
        read_timeout_seconds = 2
        max_retry_attempts = 1

    cache_key = UnicodeAttribute(hash_key=True)
    number = NumberAttribute(null=True)
    data = BinaryAttribute(null=True, legacy_encoding=False)
    # DynamoDB deletes the item some time after this instant; reads check it too.
    expires_at = TTLAttribute(null=True)


class UserSessionItem(DynamoModel):
    """Which sessions a signed-in user has: one item per (user, session), written when a session
    holding a signed-in user is saved (core/aws/sessions.py), deleted at log-out, expiring with it.

    The session table's key is the session key alone; this table lets "Delete my account" find and
    delete every session of a user with one Query instead of a Scan of every session.
    """

    class Meta:
        table_suffix = "user-sessions"
        billing_mode = "PAY_PER_REQUEST"
        connect_timeout_seconds = 1
        read_timeout_seconds = 3
        max_retry_attempts = 2

    user_id = UnicodeAttribute(hash_key=True)
    session_key = UnicodeAttribute(range_key=True)
    expires_at = TTLAttribute()

"""The tracker token at rest: encrypted by KMS, never stored or shown in clear.

The key is the stage's KMS key ``alias/<prefix>tracker-tokens`` (declared on the AppConfig,
created by ``manage.py provision`` on AWS and on the embedded emulator alike), so the key is never
in the database: a copy of the database alone reveals no token. boto3 is in Lambda's runtime, so
this costs the zip nothing (cryptography's Fernet would add ~4 MiB zipped to an 11 MiB package with a
12 MiB budget; bench/README.md). The ciphertext is bound to its owner by the encryption context,
so a ciphertext copied onto another user's order does not decrypt.

boto3 is imported on first use (adding an order, polling), never by other pages. The poll's
workers share one KMS client whose connection pool is as large as the worker pool, and a warm
process keeps a decrypted token for ``REMEMBER_SECONDS`` (in memory only, keyed by owner and
ciphertext): a poll run every minute then asks KMS for each token every ten minutes, not every run.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from functools import cache
from typing import Any

from django.conf import settings

from core.aws.restore import on_restore

KEY = "tracker-tokens"
REMEMBER_SECONDS = 600
REMEMBER_MAX = 5000
_remembered: OrderedDict[tuple[int, str], tuple[float, str]] = OrderedDict()
_lock = threading.Lock()


class TokenUnreadable(Exception):
    """KMS refused to decrypt the stored token, whatever its reason (another or a deleted key, a key
    it denies, another owner, a damaged value): asking again would be refused again."""


# KMS errors that say "not now", not "never": the poll fails and is tried again.
TRANSIENT = frozenset(
    {"ThrottlingException", "KMSInternalException", "DependencyTimeoutException", "ServiceUnavailable"}
)


def key_alias() -> str:
    from core.contract.naming import resource_name

    return f"alias/{resource_name(KEY)}"


def _context(owner_id: int) -> dict[str, str]:
    return {"app": "tracker", "owner": str(owner_id)}


@cache
def _kms(endpoint: str | None, region: str, pool: int) -> Any:
    import boto3
    from botocore.config import Config

    config = Config(
        connect_timeout=3,
        read_timeout=10,
        retries={"max_attempts": 3, "mode": "standard"},
        max_pool_connections=pool,
    )
    return boto3.session.Session().client("kms", endpoint_url=endpoint, region_name=region, config=config)


on_restore(_kms.cache_clear)  # a SnapStart copy builds its own client (credentials, sockets)


def kms() -> Any:
    """The KMS client of this stage, its pool as large as the poll's worker pool."""
    from core.aws import endpoint_url

    return _kms(endpoint_url(), settings.AWS_REGION, max(10, settings.TRACKER_POLL_WORKERS))


def token_encrypt(*, token: str, owner_id: int) -> bytes:
    answer = kms().encrypt(KeyId=key_alias(), Plaintext=token.encode(), EncryptionContext=_context(owner_id))
    return answer["CiphertextBlob"]


def token_decrypt(*, ciphertext: bytes | memoryview, owner_id: int) -> str:
    blob = bytes(ciphertext)
    key = (owner_id, hashlib.sha256(blob).hexdigest())
    now = time.monotonic()
    with _lock:
        found = _remembered.get(key)
        if found and now - found[0] < REMEMBER_SECONDS:
            return found[1]
    from botocore.exceptions import ClientError

    client = kms()
    try:
        answer = client.decrypt(CiphertextBlob=blob, EncryptionContext=_context(owner_id))
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in TRANSIENT:  # KMS is busy or failing: the next poll asks again
            raise
        raise TokenUnreadable(
            f"The stored token could not be read (KMS refused to decrypt it: {code or 'an error'}); "
            "add the order again with your token."
        ) from exc
    token = answer["Plaintext"].decode()
    with _lock:
        _remembered[key] = (now, token)
        _remembered.move_to_end(key)
        while len(_remembered) > REMEMBER_MAX:
            _remembered.popitem(last=False)
    return token


def tokens_forget() -> None:
    """Drop every decrypted token this process remembers (tests; a key rotation)."""
    with _lock:
        _remembered.clear()

"""boto3 clients for the current stage: the emulator when AWS_ENDPOINT_URL is set, real AWS otherwise.

boto3 is imported on first use, not at import time, so HTTP-only cold starts never pay for it.
"""

from __future__ import annotations

import functools
import os
from typing import Any

from django.conf import settings

from core.aws.restore import on_restore


def endpoint_url() -> str | None:
    """The endpoint every AWS call goes to; None means real AWS."""
    return os.environ.get("AWS_ENDPOINT_URL") or settings.AWS_ENDPOINT_URL


@functools.cache
def _client(service: str, endpoint: str | None, region: str) -> Any:
    import boto3
    from botocore.config import Config

    config = Config(
        connect_timeout=5,
        read_timeout=20,
        retries={"max_attempts": 3, "mode": "standard"},
    )
    return boto3.session.Session().client(service, endpoint_url=endpoint, region_name=region, config=config)


def client(service: str) -> Any:
    """A cached boto3 client for ``service`` bound to the current endpoint and region."""
    return _client(service, endpoint_url(), settings.AWS_REGION)


def account_id() -> str:
    """The AWS account the credentials belong to (the emulator answers 123456789012)."""
    return client("sts").get_caller_identity()["Account"]


@on_restore  # a SnapStart copy must not use the snapshot's credentials and sockets
def reset_clients() -> None:
    """Forget cached clients (after the endpoint changes, e.g. in tests)."""
    _client.cache_clear()

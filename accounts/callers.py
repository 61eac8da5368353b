"""The caller of a request that requires login, typed as the product's user."""

from __future__ import annotations

from typing import Any, cast

from accounts.models import User


def caller(request: Any) -> User:
    """The authenticated caller (every view that asks requires login: never AnonymousUser)."""
    return cast(User, request.user)

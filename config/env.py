"""Typed reads of environment variables for settings.

Hand-written on purpose: django-environ and python-decouple quietly read ``DEBUG=maybe``
as false, and the house rule is that a malformed value stops start-up with an error that
names the variable. Only the standard library (and core.rates, itself only that) is imported so settings stay cheap to load
on a Lambda cold start.
"""

from __future__ import annotations

import os
from typing import overload

from django.core.exceptions import ImproperlyConfigured

from core.rates import rate_seconds

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_MISSING = object()


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


@overload
def env_str(name: str) -> str: ...
@overload
def env_str(name: str, default: str) -> str: ...
@overload
def env_str(name: str, default: None) -> str | None: ...


def env_str(name: str, default: object = _MISSING) -> str | None:
    """Return the variable, or ``default``; without a default the variable is required."""
    value = _raw(name)
    if value is not None and value != "":
        return value
    if default is _MISSING:
        raise ImproperlyConfigured(f"Set the environment variable {name}: it has no default here.")
    assert default is None or isinstance(default, str)
    return default


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean: use one of true/false, 1/0, yes/no, on/off."
    )


def env_int(name: str, default: int) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default)
    return [part.strip() for part in value.split(",") if part.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = _raw(name) or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of: {', '.join(choices)}.")
    return value


def env_rate(name: str, default: str) -> str:
    """A throttle rate such as ``120/min`` or ``20/15min`` (count / window)."""
    value = env_str(name, default)
    if rate_seconds(value) is None:
        raise ImproperlyConfigured(f"{name}={value!r} is not a rate such as 120/min or 20/15min.")
    return value

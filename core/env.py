"""Typed reads of environment variables for settings: config's and each app's own (``<app>/conf.py``).

Hand-written on purpose: django-environ and python-decouple quietly read ``DEBUG=maybe``
as false, and the house rule is that a malformed value stops start-up with an error that
names the variable. Only the standard library (and core.rates, itself only that) is imported so settings stay cheap to load
on a Lambda cold start.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, overload

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


STAGES = ("local", "test", "dev", "prod")
LAPTOP_STAGES = ("local", "test")
LOCAL_SANDBOX_BASE_URL = "http://127.0.0.1:8000/sandbox"


def stage() -> str:
    """This process's stage. dev and prod are Lambda's stages: their settings (no default secrets,
    DATABASE_URL required, the real upstreams) apply inside a Lambda function (AWS_LAMBDA_FUNCTION_NAME,
    which Lambda sets in every one) or where DEPLOYED_SETTINGS=true asks for them on purpose
    (`check --deploy`, the desktop against a stage's RDS). Anywhere else STAGE=dev names the target of a
    tooling command, not this process's stage (`make undeploy STAGE=dev` exports it to `manage.py
    undeploy --stage dev`): the process runs on the local stage's settings, as when typed without make."""
    name = env_choice("STAGE", "local", STAGES)
    if name in LAPTOP_STAGES:
        return name
    deployed = bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME")) or env_bool("DEPLOYED_SETTINGS", False)
    return name if deployed else "local"


def on_laptop() -> bool:
    """Whether this is a laptop stage (local, test): SQLite, the embedded AWS, sandbox upstreams."""
    return stage() in LAPTOP_STAGES


def sandbox_base_url() -> str | None:
    """Where the apps' sandbox stand-ins are served on a laptop stage (None on Lambda): an app's
    upstream setting defaults to f"{SANDBOX_BASE_URL}/<app>/..." there. devserver exports the
    address it serves on; tests point it at their live server."""
    return env_str("SANDBOX_BASE_URL", LOCAL_SANDBOX_BASE_URL) if on_laptop() else None


def app_settings(base_dir: Path, installed_apps: list[str], *, taken: Iterable[str] = ()) -> dict[str, Any]:
    """The settings every installed app of this project declares in its own ``<app>/conf.py``
    (its UPPER_CASE names), so config/settings.py names none of them. A name declared twice, or
    one config already has (``taken``), stops start-up."""
    found: dict[str, Any] = {}
    owners = dict.fromkeys(taken, "config")
    for app in installed_apps:
        if "." in app or not (base_dir / app / "conf.py").is_file():
            continue
        module = importlib.import_module(f"{app}.conf")
        for name in dir(module):
            if name.isupper() and not name.startswith("_"):
                if name in owners:
                    raise ImproperlyConfigured(
                        f"{app}/conf.py sets {name}, which {owners[name]} sets already."
                    )
                found[name], owners[name] = getattr(module, name), app
    return found

"""Zappa's ``callbacks`` (zappa_settings.json): once the settings are loaded, after the zip is
built, and after deploy/update.

Zappa loads this file by its path, as a top-level module, in its own process: the project folder
is not on ``sys.path`` and Django is not set up. So this module imports only the standard library
at import time, and each callback makes the project importable first.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _project_importable() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def _django_for_tooling(zappa_cli: Any) -> None:
    """Load the apps' declarations; the deployed stage is an argument of the tooling, so the
    settings load as the local stage (no secrets needed, nothing of another stage is touched)."""
    import django
    from django.apps import apps

    if apps.ready:
        return
    os.environ["DJANGO_SETTINGS_MODULE"] = zappa_cli.stage_config["django_settings"]
    os.environ["STAGE"] = "local"
    os.environ["DEBUG"] = "true"
    django.setup()


def _refuse(message: str) -> None:
    from click import ClickException  # Zappa's CLI shows it as one line and exits non-zero

    raise ClickException(message)


def _skip(*args: Any, **kwargs: Any) -> None:
    print("Nothing done for stage base: it is the template dev and prod extend, not a stage.")


def _architecture(zappa_cli: Any) -> str:
    """The stage's ``architecture`` (Zappa's default: x86_64)."""
    return getattr(zappa_cli, "architecture", None) or "x86_64"


def before_command(zappa_cli: Any) -> None:
    """``callbacks.settings``: refuse what must never reach AWS (core.deploy.guards).

    * ``base`` is skipped (``zappa update --all`` walks every key of the file): its command
      methods become no-ops on this ZappaCLI for this one stage, and are restored for the next.
    * A WebSocket API (Zappa's walk of the project folder found a ``zappa.websocket`` import).
    * A zip built here by an interpreter other than the runtime's, or a ``--zip`` that has
      WebSocket settings or another interpreter's bytecode.
    """
    _project_importable()
    from core.deploy import guards
    from core.deploy.runtime import RuntimeMismatch, check_running_interpreter

    for name in guards.COMMAND_METHODS:
        zappa_cli.__dict__.pop(name, None)
    if zappa_cli.api_stage in guards.TEMPLATE_STAGES:
        for name in guards.COMMAND_METHODS:
            setattr(zappa_cli, name, _skip)
        return
    if zappa_cli.use_websocket:
        _refuse(
            f"Zappa would add a public WebSocket API: it found a zappa.websocket import in "
            f"{zappa_cli.use_websocket!r} under the project folder; move it (or a virtualenv) out."
        )
    command = getattr(zappa_cli, "command", None)
    source_zip = (getattr(zappa_cli, "vargs", None) or {}).get("zip")
    try:
        if command in ("deploy", "update") and source_zip and not str(source_zip).startswith("s3://"):
            guards.check_zip(source_zip, runtime=zappa_cli.runtime, architecture=_architecture(zappa_cli))
        elif command in ("package", "deploy", "update") and not source_zip:
            check_running_interpreter(zappa_cli.runtime)
    except (guards.PackageRefused, RuntimeMismatch) as exc:
        _refuse(str(exc))


def after_zip(zappa_cli: Any) -> None:
    """``callbacks.zip``: keep only the checkout's files and the dependencies, prune the package and
    ship unchecked-hash bytecode (core.deploy.packaging_zip), then refuse the result if it holds
    local data, would turn on a WebSocket API or holds another interpreter's bytecode."""
    _project_importable()
    from core.deploy import guards
    from core.deploy.packaging_zip import LocalDataRefused, zappa_zip_callback

    try:
        zappa_zip_callback(zappa_cli)
        guards.check_zip(zappa_cli.zip_path, runtime=zappa_cli.runtime, architecture=_architecture(zappa_cli))
    except (guards.PackageRefused, LocalDataRefused) as exc:
        os.unlink(zappa_cli.zip_path)
        _refuse(f"Package refused and deleted: {exc}")


def after_deploy(zappa_cli: Any) -> None:
    """``callbacks.post``: create or fix the stage's event source mappings (core.deploy.event_sources),
    and give the function's log group its retention (core.deploy.logs)."""
    _project_importable()
    _django_for_tooling(zappa_cli)
    from core.deploy import logs
    from core.deploy.event_sources import zappa_post_callback

    logs.zappa_post_callback(zappa_cli)
    zappa_post_callback(zappa_cli)

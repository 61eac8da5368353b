"""Zappa's ``callbacks`` (zappa_settings.json): after the zip is built, and after deploy/update.

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


def after_zip(zappa_cli: Any) -> None:
    """``callbacks.zip``: prune the package and ship unchecked-hash bytecode (core.deploy.packaging_zip)."""
    _project_importable()
    from core.deploy.packaging_zip import zappa_zip_callback

    zappa_zip_callback(zappa_cli)


def after_deploy(zappa_cli: Any) -> None:
    """``callbacks.post``: create or fix the stage's event source mappings (core.deploy.event_sources)."""
    _project_importable()
    _django_for_tooling(zappa_cli)
    from core.deploy.event_sources import zappa_post_callback

    zappa_post_callback(zappa_cli)

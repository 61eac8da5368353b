"""Lambda SnapStart for the web function: what happens before the snapshot, and after each restore.

With ``"snap_start": "PublishedVersions"`` on a stage (zappa_settings.json; off unless an operator
opts in, docs/deploy.md), Lambda runs the function's Init once when a version is published, snapshots
the memory, and starts every later instance from that snapshot instead of a cold start. Lambda then
sets ``AWS_LAMBDA_INITIALIZATION_TYPE=snap-start`` and provides ``snapshot_restore_py`` in its Python
runtime; :func:`register` (called when ``config.lambda_entry`` is imported, i.e. during Init) hooks
into it only then, so an ordinary cold start pays nothing and no code outside Lambda runs the hooks.

Before the snapshot (:func:`before_snapshot`), everything expensive is done once: the settings, the
app registry, the URL map with its reverse tables, every template compiled, DRF's renderers, and two
requests served in-process (the API root and the login page), so the first request of a restored copy
imports and compiles nothing; then every database connection is closed (none may be in the snapshot).

After each restore (:func:`after_restore`), what a copy must not share with its siblings is dropped,
because every restored copy starts from the same memory:

* database connections (closed; the next query opens this copy's own);
* cached boto3 clients (they hold the snapshot's credentials and sockets), PynamoDB's connections,
  and the pooled ``requests`` sessions of the upstream clients (core.http): each hook registered with
  :func:`core.aws.restore.on_restore` by the module that owns the cache;
* the ``random`` module's state (reseeded from the OS: otherwise every copy draws the same sequence).

Secrets read at Init (SSM, ``config.lambda_environment``) are kept: a rotated ``SECRET_KEY`` or
database password needs a new version published (which takes a new snapshot), as without SnapStart
it needs new instances.
"""

from __future__ import annotations

import gc
import logging
import os
import random
from typing import Any

from core.aws.restore import run_restore_hooks

logger = logging.getLogger(__name__)


def enabled() -> bool:
    """True when this process is a SnapStart function's Init (Lambda sets the variable)."""
    return os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") == "snap-start"


def register() -> bool:
    """Register the hooks with Lambda's runtime when SnapStart is on; False (and nothing done) otherwise."""
    if not enabled():
        return False
    try:
        from snapshot_restore_py import (  # type: ignore[import-not-found]
            register_after_restore,
            register_before_snapshot,
        )
    except ImportError:  # not Lambda's runtime: nothing takes a snapshot
        logger.warning("AWS_LAMBDA_INITIALIZATION_TYPE=snap-start but snapshot_restore_py is missing")
        return False
    register_before_snapshot(before_snapshot)
    register_after_restore(after_restore)
    return True


def _warm_up_host() -> str:
    """A host ALLOWED_HOSTS accepts, for the in-process warm-up requests."""
    from django.conf import settings

    for entry in settings.ALLOWED_HOSTS:
        if entry == "*":
            return "localhost"
        if entry.startswith("."):
            return f"warm-up{entry}"
        return entry
    return "localhost"


def _warm_up_event(path: str, extra_headers: dict[str, str]) -> dict[str, Any]:
    """An API Gateway REST v1 GET of ``path`` (no stage, no client address: served in-process)."""
    headers = {"Host": _warm_up_host(), "Accept": "application/json", "X-Forwarded-Proto": "https"}
    headers.update(extra_headers)
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": "GET",
        "headers": headers,
        "multiValueHeaders": {name: [value] for name, value in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "requestContext": {"identity": {"sourceIp": "127.0.0.1"}, "stage": "", "path": path},
        "body": None,
        "isBase64Encoded": False,
    }


# The API root, a page, and an API read whose token is looked up in the database and refused (a 401):
# the token query, the connection's set-up and DRF's authentication run once before the snapshot.
WARM_UP_REQUESTS: tuple[tuple[str, dict[str, str]], ...] = (
    ("/api/", {}),
    ("/account/login/", {}),
    ("/api/me/", {"Authorization": "Token snapstart-warm-up-no-such-token"}),
)


def _compile_templates() -> int:
    """Load every template of every engine's folders (Django's cached loader keeps them compiled)."""
    from pathlib import Path

    from django.template import engines
    from django.template.exceptions import TemplateSyntaxError

    count = 0
    for engine in engines.all():
        for folder in engine.template_dirs:
            root = Path(folder)
            for path in root.rglob("*.html"):
                try:
                    engine.get_template(path.relative_to(root).as_posix())
                    count += 1
                except TemplateSyntaxError:  # a template only another engine reads
                    continue
    return count


def before_snapshot() -> None:
    """Load, build and compile everything a request needs, then close the database connections."""
    from django.db import connections
    from django.urls import get_resolver

    from config import lambda_http

    lambda_http.application()  # settings, app registry, middleware
    resolver = get_resolver()
    resolver.reverse_dict  # noqa: B018  (builds the reverse tables: imports every app's views, core/web/lazy_urls.py)
    templates = _compile_templates()
    from django.apps import apps

    for model in apps.get_models():  # the models' field and relation caches
        model._meta.get_fields()
    for path, headers in WARM_UP_REQUESTS:
        status = lambda_http.handle(_warm_up_event(path, headers), None)["statusCode"]
        if status >= 500:
            logger.warning("SnapStart warm-up: GET %s answered %s", path, status)
    connections.close_all()
    gc.collect()
    gc.freeze()  # the long-lived objects of the snapshot stay out of the collector's way
    logger.info("SnapStart: ready for the snapshot (%d templates compiled)", templates)


def after_restore() -> None:
    """Drop what a restored copy must not share with the other copies of the same snapshot."""
    from django.db import connections

    connections.close_all()
    run_restore_hooks()
    random.seed()  # from os.urandom: each copy its own sequence

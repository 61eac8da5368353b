"""API Gateway (REST v1, HTTP API v2) and ALB events -> Django's WSGI application -> Lambda response.

Not ``zappa.handler`` for HTTP because that module imports werkzeug, and ``zappa.utilities``
imports boto3 and botocore, on every cold start; an HTTP request needs none of them (FACTS: 516 ->
419 ms to the first response). The event <-> WSGI conversion is apig-wsgi's (no dependencies;
API Gateway v1/v2 and ALB); this module adds, as a WSGI layer around Django and on the response:

* REST v1: ``path`` has no stage; requests to the ``execute-api`` host are mounted under
  ``/<stage>`` (SCRIPT_NAME), as Zappa does. apig-wsgi always sets SCRIPT_NAME to "".
* HTTP API v2: ``rawPath`` includes the stage unless it is ``$default``; it is moved to
  SCRIPT_NAME (apig-wsgi leaves it in PATH_INFO). Cookies arrive in ``cookies`` and go back as
  ``cookies`` (apig-wsgi); the request's Cookie header is re-joined with "; " (apig-wsgi: ";").
* REMOTE_ADDR is the request context's source IP (v1 ``identity.sourceIp``; v2 ``http.sourceIp``),
  never the client-controlled first X-Forwarded-For entry apig-wsgi uses on v1 and ALB. ALB has no
  source IP in its event: there it is the last X-Forwarded-For entry, the one the load balancer
  appended.
* ALB: the response gets ``statusDescription`` (apig-wsgi omits it); query values arrive still
  URL-encoded and are passed through as they are (apig-wsgi).
* Several Cookie headers in ``multiValueHeaders`` (HTTP/2 clients) are joined with "; ", not ",".

Bodies that are not text (or carry a Content-Encoding) go back base64-encoded (apig-wsgi with
``binary_support=True`` and the text types below).

apig-wsgi replaced a hand-written conversion on 2026-12-01 after an interleaved cold-start bench
(31 runs, twice): median 515 / 493 ms with it vs 521 / 538 ms without, Mangum + FastAPI 643 / 661
ms in the same runs; its import (with wsgiref.types) is ~2 ms. Figures in bench/README.md.
"""

from __future__ import annotations

import gc
import logging
import sys
import time
import types
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

logger = logging.getLogger(__name__)

# Responses of these types go back as text, everything else base64-encoded (binary support on).
TEXT_CONTENT_TYPE_PREFIXES = (
    "text/",
    "application/json",
    "application/problem+json",
    "application/vnd.api+json",
    "application/vnd.oai.openapi",  # drf-spectacular's schema, YAML and +json
    "application/javascript",
    "application/xml",
    "image/svg+xml",
)


def event_kind(event: dict[str, Any]) -> str | None:
    """'v2', 'alb', 'v1' for HTTP events, None for anything else."""
    if event.get("version") == "2.0" and "rawPath" in event:
        return "v2"
    if event.get("httpMethod"):
        return "alb" if (event.get("requestContext") or {}).get("elb") else "v1"
    return None


def _adjust_environ(environ: dict[str, Any], api_stage: str) -> None:
    """What this project changes in apig-wsgi's environ: stage mount, REMOTE_ADDR, cookies."""
    event = environ["apig_wsgi.full_event"]
    kind = event_kind(event)
    context = event.get("requestContext") or {}
    if kind == "v2":
        stage, path = context.get("stage"), environ["PATH_INFO"]
        if stage and stage != "$default" and (path == f"/{stage}" or path.startswith(f"/{stage}/")):
            environ["SCRIPT_NAME"], environ["PATH_INFO"] = f"/{stage}", path[len(stage) + 1 :] or "/"
        cookies = list(event.get("cookies") or ())
        cookies += [value for name, value in (event.get("headers") or {}).items() if name.lower() == "cookie"]
        if cookies:
            environ["HTTP_COOKIE"] = "; ".join(cookies)
        else:
            environ.pop("HTTP_COOKIE", None)  # apig-wsgi sets "" when there are none
        environ["REMOTE_ADDR"] = (context.get("http") or {}).get("sourceIp") or "127.0.0.1"
    else:
        for name, values in (event.get("multiValueHeaders") or {}).items():
            if name.lower() == "cookie" and values and len(values) > 1:
                environ["HTTP_COOKIE"] = "; ".join(values)
        if kind == "v1":
            if "amazonaws.com" in environ.get("HTTP_HOST", ""):
                environ["SCRIPT_NAME"] = f"/{context.get('stage') or api_stage}"
            environ["REMOTE_ADDR"] = (context.get("identity") or {}).get("sourceIp") or "127.0.0.1"
        else:
            forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
            environ["REMOTE_ADDR"] = forwarded.rsplit(",", 1)[-1].strip() or "127.0.0.1"
    if "HTTP_X_FORWARDED_PROTO" not in environ:  # API Gateway is HTTPS only
        environ["wsgi.url_scheme"] = "https"
    environ["SERVER_NAME"] = environ.get("SERVER_NAME") or "localhost"
    environ["SERVER_PORT"] = environ.get("SERVER_PORT") or "443"


def _body_bytes(response: dict[str, Any]) -> int:
    body = response.get("body") or ""
    if response.get("isBase64Encoded"):
        return len(body) * 3 // 4 - body[-2:].count("=")
    return len(body.encode("utf-8"))


def make_handler(app: Any, *, api_stage: str = "") -> Any:
    """A Lambda handler serving HTTP events (API Gateway v1/v2, ALB) with the WSGI ``app``."""
    from apig_wsgi import make_lambda_handler

    served: list[dict[str, Any]] = []

    def mounted(environ: dict[str, Any], start_response: Any) -> Any:
        _adjust_environ(environ, api_stage)
        served.append(environ)
        return app(environ, start_response)

    convert = make_lambda_handler(
        mounted, binary_support=True, non_binary_content_type_prefixes=TEXT_CONTENT_TYPE_PREFIXES
    )

    def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
        started = time.perf_counter()
        served.clear()
        try:
            response = convert(event, context)
        except Exception:
            environ = served[0] if served else {}
            logger.exception(
                "Unhandled error serving %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO")
            )
            response = {
                "statusCode": 500,
                "headers": {"Content-Type": "text/plain"},
                "body": "Internal Server Error",
                "isBase64Encoded": False,
            }
        status = response["statusCode"]
        if event_kind(event) == "alb":
            try:
                phrase = HTTPStatus(status).phrase
            except ValueError:
                phrase = "Unknown"
            response["statusDescription"] = f"{status} {phrase}"
        environ = served[0] if served else {}
        logger.info(
            '%s "%s %s%s" %d %d %.0fms',
            environ.get("REMOTE_ADDR", "-"),
            environ.get("REQUEST_METHOD", "-"),
            quote(environ.get("SCRIPT_NAME", "")),
            quote(environ.get("PATH_INFO", "")),
            status,
            _body_bytes(response),
            (time.perf_counter() - started) * 1000,
        )
        return response

    return handler


_application = None
_handler = None


def _zappa_settings() -> Any:
    """The settings module Zappa writes into the zip, with the environment completed from it,
    remote_env and SSM (config.lambda_environment) before Django's settings load."""
    from config.lambda_environment import prepare

    return prepare()


# Optional imports of ``rest_framework.compat`` that nothing on the Lambda path uses: ``requests``
# (only for rest_framework.test's RequestsClient) and ``yaml`` (only DRF's own OpenAPI renderer;
# drf-spectacular imports yaml itself when /api/schema/ is served). ~27 ms of a cold start.
# ``uritemplate`` and ``inflection`` only for DRF's own OpenAPI AutoSchema (rest_framework.schemas.openapi),
# which this project does not use (drf-spectacular imports both itself when /api/schema/ is served).
COMPAT_SKIPPED = ("requests", "yaml", "uritemplate", "inflection")

# Modules Django imports at start-up for work a Lambda request never does: ``sqlparse`` (SQL scripts of
# migrations and flush, SQLite/MySQL introspection; django.db.backends.base.operations) and
# ``multiprocessing`` (cloning test databases; django.db.backends.sqlite3.creation). Both are bound
# as a :class:`DeferredModule` and run on first use. ~25 modules of the cold start. (``logging`` asks a
# ``multiprocessing`` found in sys.modules for the process name of each record, so on a stage that logs
# INFO, such as dev, the first access-log line loads it; prod logs WARNING.)
DEFERRED_MODULES = ("sqlparse", "multiprocessing")


def _uses_contrib_postgres() -> bool:
    from django.conf import settings

    return "django.contrib.postgres" in settings.INSTALLED_APPS


def import_drf_compat_without_extras() -> None:
    """Import ``rest_framework.compat`` while ``requests`` and ``yaml`` look uninstalled.

    The modules are only hidden during that one import (``sys.modules[name] = None`` makes
    ``import name`` raise ImportError, which compat catches); they import normally afterwards.
    ``django.contrib.postgres`` is hidden too unless it is an installed app: compat imports it (and
    with it the driver, its range types, forms and search lookups) only to map PostgreSQL-only model
    fields (ArrayField, HStoreField...), which no model here has (every model runs on SQLite too).
    On SQLite that spares the driver (psycopg 3 was ~45 ms); on PostgreSQL the backend imports it anyway, and
    the contrib modules alone were ~50-90 ms of a cold start (bench/README.md, issue 20).
    """
    if "rest_framework.compat" in sys.modules:
        return
    skipped = COMPAT_SKIPPED if _uses_contrib_postgres() else (*COMPAT_SKIPPED, "django.contrib.postgres")
    hidden = [name for name in skipped if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import rest_framework.compat  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name, False) is None:
                del sys.modules[name]


class DeferredModule(types.ModuleType):
    """Stands in for a module in ``sys.modules`` until one of its attributes is read; then the real
    module is imported, replaces it in ``sys.modules``, and the stand-in takes its namespace (so a
    module that bound the stand-in with ``import name`` keeps working).

    Not ``importlib.util.LazyLoader``: its module loads on *any* attribute read, and the ``import``
    statement itself reads ``__spec__`` (whether the module is still initialising), so every
    ``import sqlparse`` loaded it at once. The stand-in carries the real spec (not initialising).
    """

    def __getattr__(self, attribute: str) -> Any:
        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
        import importlib

        real = importlib.import_module(name)
        self.__dict__.update(real.__dict__)
        return getattr(real, attribute)


def defer_unused_modules(names: tuple[str, ...] = DEFERRED_MODULES) -> list[str]:
    """Put a :class:`DeferredModule` in ``sys.modules`` for each of ``names`` not yet imported.
    Returns the names deferred."""
    import importlib.util

    deferred = []
    for name in names:
        if name in sys.modules or "." in name:
            continue
        spec = importlib.util.find_spec(name)
        if spec is None:
            continue
        module = DeferredModule(name)
        module.__spec__ = spec
        module.__loader__ = spec.loader
        sys.modules[name] = module
        deferred.append(name)
    return deferred


def application() -> Any:
    """Django's WSGI application, built once per container."""
    global _application
    if _application is None:
        defer_unused_modules()  # before anything imports Django's database layer
        from django.core.wsgi import get_wsgi_application

        _zappa_settings()
        import_drf_compat_without_extras()
        _application = get_wsgi_application()
    return _application


def handle(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Serve one HTTP event with Django.

    The first event of a container builds Django and imports most of it (the URL map, DRF, the
    apps' views) with the cyclic garbage collector paused: those ~1,000 modules only allocate
    long-lived objects, so collections there are pure cost. Afterwards everything alive is moved
    out of the collector's sight (``gc.freeze``) and collection resumes for the requests.
    """
    if _application is None and gc.isenabled():
        gc.disable()
        try:
            return _handle(event, context)
        finally:
            gc.freeze()
            gc.enable()
    return _handle(event, context)


def _handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    global _handler
    if _handler is None:
        _handler = make_handler(application(), api_stage=_zappa_settings().API_STAGE)
    return _handler(event, context)

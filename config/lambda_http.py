"""API Gateway (REST v1, HTTP API v2) and ALB events -> Django's WSGI application -> Lambda response.

Hand-written instead of going through ``zappa.handler`` for HTTP because that module imports
werkzeug, and ``zappa.utilities`` imports boto3 and botocore, on every cold start; an HTTP request
needs none of them (FACTS: 516 -> 419 ms to the first response). Only the standard library and
Django are imported here. The conversions follow the AWS payload formats:

* REST v1: ``path`` has no stage; requests to the ``execute-api`` host are mounted under
  ``/<stage>`` (SCRIPT_NAME), as Zappa does. Query and headers come multi-valued and decoded.
* HTTP API v2: ``rawPath`` includes the stage unless it is ``$default``; cookies arrive in
  ``cookies`` and go back as ``cookies`` (never folded into one header).
* ALB: query values arrive still URL-encoded; the response needs ``statusDescription``.

Bodies that are not text (or carry a Content-Encoding) go back base64-encoded.
"""

from __future__ import annotations

import base64
import gc
import io
import logging
import os
import sys
import time
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, unquote, urlencode

logger = logging.getLogger(__name__)

_TEXT_TYPES = ("text/", "application/json", "application/javascript", "application/xml", "image/svg+xml")
_TEXT_SUFFIXES = ("+json", "+xml")


def event_kind(event: dict[str, Any]) -> str | None:
    """'v2', 'alb', 'v1' for HTTP events, None for anything else."""
    if event.get("version") == "2.0" and "rawPath" in event:
        return "v2"
    if event.get("httpMethod"):
        return "alb" if (event.get("requestContext") or {}).get("elb") else "v1"
    return None


def _headers(event: dict[str, Any]) -> dict[str, str]:
    """Lower-cased request headers, multi-values joined as HTTP allows."""
    merged: dict[str, str] = {}
    for name, value in (event.get("headers") or {}).items():
        merged[name.lower()] = value
    for name, values in (event.get("multiValueHeaders") or {}).items():
        if values:
            separator = "; " if name.lower() == "cookie" else ","
            merged[name.lower()] = separator.join(values)
    if event.get("cookies"):
        merged["cookie"] = "; ".join(event["cookies"])
    return merged


def _query_string(event: dict[str, Any], kind: str) -> str:
    if kind == "v2":
        return event.get("rawQueryString") or ""
    multi = event.get("multiValueQueryStringParameters")
    single = event.get("queryStringParameters") or {}
    pairs = [(k, v) for k, values in multi.items() for v in values] if multi else list(single.items())
    if kind == "alb":  # the load balancer passes values through still encoded
        return "&".join(f"{k}={v}" for k, v in pairs)
    return urlencode(pairs, doseq=False)


def _script_name_and_path(
    event: dict[str, Any], kind: str, headers: dict[str, str], api_stage: str
) -> tuple[str, str]:
    context = event.get("requestContext") or {}
    if kind == "v2":
        path = unquote(event.get("rawPath") or "/")
        stage = context.get("stage")
        if stage and stage != "$default" and (path == f"/{stage}" or path.startswith(f"/{stage}/")):
            return f"/{stage}", path[len(stage) + 1 :] or "/"
        return "", path
    path = event.get("path") or "/"
    if kind == "v1" and "amazonaws.com" in headers.get("host", ""):
        return f"/{context.get('stage') or api_stage}", path
    return "", path


def _wsgi_str(value: str) -> str:
    """PEP 3333 'native string': UTF-8 bytes seen as latin-1."""
    return value.encode("utf-8").decode("latin-1")


def wsgi_environ(event: dict[str, Any], context: Any = None, *, api_stage: str = "") -> dict[str, Any]:
    """The WSGI environ of an API Gateway v1/v2 or ALB event."""
    kind = event_kind(event)
    if kind is None:
        raise ValueError("Not an HTTP event.")
    headers = _headers(event)
    script_name, path = _script_name_and_path(event, kind, headers, api_stage)
    body = event.get("body") or ""
    body_bytes = base64.b64decode(body) if event.get("isBase64Encoded") else body.encode("utf-8")
    request_context = event.get("requestContext") or {}
    if kind == "v2":
        method = request_context.get("http", {}).get("method", "GET")
        source_ip = request_context.get("http", {}).get("sourceIp", "")
    else:
        method = event["httpMethod"]
        source_ip = (request_context.get("identity") or {}).get("sourceIp", "")
    forwarded_for = headers.get("x-forwarded-for", "")
    host = headers.get("host", "localhost")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method.upper(),
        "SCRIPT_NAME": _wsgi_str(script_name),
        "PATH_INFO": _wsgi_str(path),
        "QUERY_STRING": _query_string(event, kind),
        "SERVER_NAME": host.split(":")[0],
        "SERVER_PORT": headers.get("x-forwarded-port", "443"),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": forwarded_for.split(",")[0].strip() or source_ip or "127.0.0.1",
        "CONTENT_LENGTH": str(len(body_bytes)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": headers.get("x-forwarded-proto", "https"),
        "wsgi.input": io.BytesIO(body_bytes),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "lambda.event": event,
        "lambda.context": context,
    }
    if environ["wsgi.url_scheme"] == "https":
        environ["HTTPS"] = "on"
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        if key == "CONTENT_TYPE":
            environ["CONTENT_TYPE"] = value
        elif key != "CONTENT_LENGTH":
            environ[f"HTTP_{key}"] = _wsgi_str(value)
    return environ


def _is_text(headers: list[tuple[str, str]]) -> bool:
    content_type = ""
    for name, value in headers:
        lowered = name.lower()
        if lowered == "content-encoding":
            return False
        if lowered == "content-type":
            content_type = value.split(";")[0].strip().lower()
    return not content_type or content_type.startswith(_TEXT_TYPES) or content_type.endswith(_TEXT_SUFFIXES)


def call_application(app: Any, environ: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
    """Run a WSGI application and collect its status, headers and body."""
    captured: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        captured["status"] = int(status.split(" ", 1)[0])
        captured["headers"] = headers
        return lambda chunk: chunks.append(chunk)

    chunks: list[bytes] = []
    result = app(environ, start_response)
    try:
        chunks.extend(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return captured["status"], captured["headers"], b"".join(chunks)


def lambda_response(
    event: dict[str, Any], status: int, headers: list[tuple[str, str]], body: bytes
) -> dict[str, Any]:
    """The response dict API Gateway / ALB expect for this event's payload format."""
    kind = event_kind(event)
    if _is_text(headers):
        text, is_base64 = body.decode("utf-8", errors="replace"), False
    else:
        text, is_base64 = base64.b64encode(body).decode("ascii"), True
    response: dict[str, Any] = {"statusCode": status, "body": text, "isBase64Encoded": is_base64}
    if kind == "v2":
        single: dict[str, str] = {}
        cookies = []
        for name, value in headers:
            if name.lower() == "set-cookie":
                cookies.append(value)
            else:
                single[name] = f"{single[name]},{value}" if name in single else value
        response["headers"] = single
        response["cookies"] = cookies
        return response
    if kind == "alb":
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Unknown"
        response["statusDescription"] = f"{status} {phrase}"
    if "multiValueHeaders" in event:
        multi: dict[str, list[str]] = {}
        for name, value in headers:
            multi.setdefault(name, []).append(value)
        response["multiValueHeaders"] = multi
    else:
        response["headers"] = dict(headers)
    return response


_application = None


def _zappa_settings() -> Any:
    """The settings module Zappa writes into the zip; its variables are applied as Zappa does."""
    import zappa_settings

    if not getattr(zappa_settings, "_applied", False):
        os.environ["SERVERTYPE"] = "AWS Lambda"
        os.environ["FRAMEWORK"] = "Zappa"
        os.environ["PROJECT"] = zappa_settings.PROJECT_NAME
        os.environ["STAGE"] = zappa_settings.API_STAGE
        for key, value in (zappa_settings.ENVIRONMENT_VARIABLES or {}).items():
            os.environ[key] = value
        if zappa_settings.DJANGO_SETTINGS:
            os.environ["DJANGO_SETTINGS_MODULE"] = zappa_settings.DJANGO_SETTINGS
        zappa_settings._applied = True
    return zappa_settings


# Optional imports of ``rest_framework.compat`` that nothing on the Lambda path uses: ``requests``
# (only for rest_framework.test's RequestsClient) and ``yaml`` (only DRF's own OpenAPI renderer;
# drf-spectacular imports yaml itself when /api/schema/ is served). ~27 ms of a cold start.
COMPAT_SKIPPED = ("requests", "yaml")


def _uses_postgresql() -> bool:
    from django.conf import settings

    return any("postgresql" in db.get("ENGINE", "") for db in settings.DATABASES.values())


def import_drf_compat_without_extras() -> None:
    """Import ``rest_framework.compat`` while ``requests`` and ``yaml`` look uninstalled.

    The modules are only hidden during that one import (``sys.modules[name] = None`` makes
    ``import name`` raise ImportError, which compat catches); they import normally afterwards.
    ``django.contrib.postgres`` is hidden too when no database is PostgreSQL: compat imports it
    (and with it psycopg, ~45 ms) only to map PostgreSQL-only model fields, which a SQLite
    database cannot have. On PostgreSQL nothing changes (the backend imports psycopg anyway).
    """
    if "rest_framework.compat" in sys.modules:
        return
    skipped = COMPAT_SKIPPED if _uses_postgresql() else (*COMPAT_SKIPPED, "django.contrib.postgres")
    hidden = [name for name in skipped if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import rest_framework.compat  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name, False) is None:
                del sys.modules[name]


def application() -> Any:
    """Django's WSGI application, built once per container."""
    global _application
    if _application is None:
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
    app = application()
    started = time.perf_counter()
    environ = wsgi_environ(event, context, api_stage=_zappa_settings().API_STAGE)
    try:
        status, headers, body = call_application(app, environ)
    except Exception:
        logger.exception("Unhandled error serving %s %s", environ["REQUEST_METHOD"], environ["PATH_INFO"])
        status, headers, body = 500, [("Content-Type", "text/plain")], b"Internal Server Error"
    logger.info(
        '%s "%s %s%s" %d %d %.0fms',
        environ["REMOTE_ADDR"],
        environ["REQUEST_METHOD"],
        quote(environ["SCRIPT_NAME"]),
        quote(environ["PATH_INFO"]),
        status,
        len(body),
        (time.perf_counter() - started) * 1000,
    )
    return lambda_response(event, status, headers, body)

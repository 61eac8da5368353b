"""Static-file storages whose URLs follow the request's script prefix (API Gateway's stage path).

Behind API Gateway's default URL every page lives under ``/<stage>/`` (config.lambda_http sets
SCRIPT_NAME), behind a custom domain under ``/``, and one warm function can serve both. Django
adds the script prefix to a relative ``STATIC_URL`` only once, the first time the setting is read,
and keeps that value for the life of the process (``LazySettings`` caches it): read before any
request (middleware construction, a check) it stays ``/static/`` and API Gateway answers 403 for
every stylesheet, script and the API docs' Swagger UI; read first under ``/dev/`` it would stay
``/dev/static/`` for custom-domain requests too, and WhiteNoise would index its files under that
prefix (zappa/Zappa#575 is this pitfall).

So ``STATIC_URL`` is the absolute path ``/static/`` (what WhiteNoise matches against PATH_INFO,
which never holds the stage) and these storages put the current request's script prefix in front
of every URL they build, each time (``get_script_prefix()`` is per thread, set by Django for each
request). A ``STATIC_URL`` on another host (a CDN: ``https://...`` or ``//...``) is left alone.
"""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles.storage import StaticFilesStorage
from django.urls import get_script_prefix
from whitenoise.storage import CompressedManifestStaticFilesStorage


class ScriptPrefixedURLs:
    """Mixin for a static-files storage: ``url()`` answers under the request's script prefix."""

    def url(self, name: Any, *args: Any, **kwargs: Any) -> str:
        url: str = super().url(name, *args, **kwargs)  # type: ignore[misc]
        prefix = get_script_prefix()
        if prefix == "/" or not url.startswith("/") or url.startswith("//"):
            return url
        return prefix.rstrip("/") + url


class PrefixedStaticFilesStorage(ScriptPrefixedURLs, StaticFilesStorage):
    """Django's StaticFilesStorage (the laptop stages, DEBUG) with script-prefixed URLs."""


class PrefixedManifestStaticFilesStorage(ScriptPrefixedURLs, CompressedManifestStaticFilesStorage):
    """WhiteNoise's CompressedManifestStaticFilesStorage (deployed stages) with script-prefixed URLs."""

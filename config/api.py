"""The API router: every app's viewsets (``api_routes`` on its AppConfig), so /api/ lists them all."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf
from django.utils.module_loading import import_string
from rest_framework.permissions import AllowAny
from rest_framework.reverse import preserve_builtin_query_params, reverse
from rest_framework.routers import APIRootView, DefaultRouter

from core.contract.registry import product_apps

# Endpoints that are not viewsets, listed at /api/ beside the routers' entries.
EXTRA_ENTRIES = {"schema": "schema", "docs": "api-docs"}


@lru_cache(maxsize=64)
def _root_paths(
    resolver: Any,
    script_prefix: str,
    namespace: str,
    url_names: tuple[tuple[str, str], ...],
    format: str | None,
) -> dict[str, str]:
    """{name: path} of the API root's entries, reversed once per URL map, script prefix (API Gateway's
    stage) and format instead of on every request (13 reverses were ~45 % of a warm GET /api/).

    ``resolver`` is the URL map's resolver (``get_resolver``, rebuilt whenever the URLconf changes),
    so a changed URL map never answers from an older one; ``script_prefix`` is in the key because
    ``reverse`` puts it in front of each path.
    """
    paths = {}
    for name, url_name in url_names:
        try:
            paths[name] = reverse(f"{namespace}:{url_name}" if namespace else url_name, format=format)
        except NoReverseMatch:  # as DRF's root: skip a route without a list URL
            continue
    return paths


class ProductAPIRoot(APIRootView):
    """Every endpoint of the product.

    Log in through the web UI (the browsable API then uses your session), or send
    `Authorization: Token <key>` with a token created at /account/token/.
    The OpenAPI schema is at /api/schema/ and interactive docs at /api/docs/.
    """

    permission_classes = [AllowAny]

    def get(self, request, *args, **kwargs):
        from rest_framework.response import Response

        if getattr(request, "versioning_scheme", None) is not None:  # reverses through the scheme
            return self._get_uncached(request, *args, **kwargs)
        namespace = request.resolver_match.namespace
        entries = {name: url for config in product_apps() for name, url in config.api_root_entries.items()}
        # The routers' entries are namespaced like DRF's root; the extra entries are global names.
        routed = _root_paths(
            get_resolver(get_urlconf()),
            get_script_prefix(),
            namespace,
            tuple((self.api_root_dict or {}).items()),
            kwargs.get("format"),
        )
        extra = _root_paths(
            get_resolver(get_urlconf()),
            get_script_prefix(),
            "",
            tuple({**entries, **EXTRA_ENTRIES}.items()),
            kwargs.get("format"),
        )
        # Every path is absolute ("/dev/api/..."): Django's build_absolute_uri would put the request's
        # scheme and host in front of it; done once here instead of once per entry.
        origin = request.build_absolute_uri("/")[:-1]
        return Response(
            {
                name: preserve_builtin_query_params(origin + path, request)  # keeps ?format=...
                for name, path in {**routed, **extra}.items()
            }
        )

    def _get_uncached(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        entries = {name: url for config in product_apps() for name, url in config.api_root_entries.items()}
        for name, url_name in {**entries, **EXTRA_ENTRIES}.items():
            response.data[name] = reverse(url_name, request=request, format=kwargs.get("format"))
        return response


class ProductRouter(DefaultRouter):
    """No ``.json``-style format-suffix routes: DRF's custom actions and API root do not take the
    ``format`` they would pass (a 500). ``?format=json`` or an ``Accept`` header picks a format;
    ``/api/movies.json`` is the API's JSON 404, as every path no route matches under /api/."""

    APIRootView = ProductAPIRoot
    include_format_suffixes = False


def build_router() -> ProductRouter:
    router = ProductRouter()
    for config in product_apps():
        for route in config.api_routes:
            router.register(route.prefix, import_string(route.viewset), basename=route.basename)
    return router

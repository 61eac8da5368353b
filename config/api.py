"""The API under /api/: every app's viewsets (``api_routes`` on its AppConfig), its plain API views
(``api_urls_module``) and the root that lists them all.

Each app's viewsets are routed by their own router, built (and the viewsets imported) the first time a
path under /api/ starts with one of the app's route prefixes, or when a URL is reversed
(core/web/lazy_urls.py): a cold ``GET /api/routines/`` imports the routines API only. The root lists
every app's routes from the declarations alone.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf, path
from django.urls.resolvers import RoutePattern
from django.utils.module_loading import import_string
from rest_framework.permissions import AllowAny
from rest_framework.reverse import preserve_builtin_query_params, reverse
from rest_framework.routers import APIRootView, SimpleRouter

from core.apps import ProductAppConfig
from core.contract.registry import product_apps
from core.web.lazy_urls import LazyURLconf, LazyURLResolver, NarrowPattern, first_segment, lazy_include

# Endpoints that are not viewsets, listed at /api/ beside the routers' entries.
EXTRA_ENTRIES = {"schema": "schema", "docs": "api-docs"}


@lru_cache(maxsize=64)
def _root_paths(
    resolver: Any,
    script_prefix: str,
    namespace: str,
    routed_names: tuple[tuple[str, str], ...],
    format: str | None,
) -> tuple[tuple[str, str], ...]:
    """(name, path) of the API root's entries, reversed once per URL map, script prefix (API Gateway's
    stage) and format instead of on every request (13 reverses were ~45 % of a warm GET /api/).

    ``resolver`` is the URL map's resolver (``get_resolver``, rebuilt whenever the URLconf changes),
    so a changed URL map never answers from an older one; ``script_prefix`` is in the key because
    ``reverse`` puts it in front of each path. The routers' entries (``routed_names``) are namespaced
    like DRF's root; the apps' extra entries and EXTRA_ENTRIES are global names.
    """
    extra = {name: url for config in product_apps() for name, url in config.api_root_entries.items()}
    names = [(name, f"{namespace}:{url}" if namespace else url) for name, url in routed_names]
    names += list({**extra, **EXTRA_ENTRIES}.items())
    paths = {}
    for name, url_name in names:
        try:
            paths[name] = reverse(url_name, format=format)
        except NoReverseMatch:  # as DRF's root: skip a route without a list URL
            continue
    return tuple(paths.items())


class ProductAPIRoot(APIRootView):
    """Every endpoint of the product.

    Log in through the web UI (the browsable API then uses your session), or send
    `Authorization: Token <key>` with a token created at /account/token/.
    The OpenAPI schema is at /api/schema/ and interactive docs at /api/docs/.
    """

    permission_classes = [AllowAny]
    # api_root_dict's items, given once to as_view (a view instance lives for one request).
    routed_names: tuple[tuple[str, str], ...] = ()

    def get(self, request, *args, **kwargs):
        from rest_framework.response import Response
        from rest_framework.settings import api_settings

        if getattr(request, "versioning_scheme", None) is not None:  # reverses through the scheme
            return self._get_uncached(request, *args, **kwargs)
        paths = _root_paths(
            get_resolver(get_urlconf()),
            get_script_prefix(),
            request.resolver_match.namespace,
            self.routed_names or tuple((self.api_root_dict or {}).items()),
            kwargs.get("format"),
        )
        # Every path is absolute ("/dev/api/..."): Django's build_absolute_uri would put the request's
        # scheme and host in front of it; done once here instead of once per entry.
        origin = request.build_absolute_uri("/")[:-1]
        override = api_settings.URL_FORMAT_OVERRIDE
        if override and override in request.GET:  # keeps ?format=... on each link (DRF's root does)
            return Response(
                {name: preserve_builtin_query_params(origin + path, request) for name, path in paths}
            )
        return Response({name: origin + path for name, path in paths})

    def _get_uncached(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        entries = {name: url for config in product_apps() for name, url in config.api_root_entries.items()}
        for name, url_name in {**entries, **EXTRA_ENTRIES}.items():
            response.data[name] = reverse(url_name, request=request, format=kwargs.get("format"))
        return response


class ProductRouter(SimpleRouter):
    """One app's viewsets. No ``.json``-style format-suffix routes: DRF's custom actions and API root do
    not take the ``format`` they would pass (a 500). ``?format=json`` or an ``Accept`` header picks a
    format; ``/api/movies.json`` is the API's JSON 404, as every path no route matches under /api/."""


def _app_routes(config: ProductAppConfig) -> LazyURLResolver:
    """The app's viewsets on their own router, imported when a path starts with one of their prefixes."""

    def build() -> list[Any]:
        router = ProductRouter()
        for route in config.api_routes:
            router.register(route.prefix, import_string(route.viewset), basename=route.basename)
        return router.urls

    segments = [first_segment(route.prefix) for route in config.api_routes]
    if all(segments):
        pattern: Any = NarrowPattern(s for s in segments if s)
    else:  # a prefix that is a regular expression: loaded for every path under /api/
        pattern = RoutePattern("", is_endpoint=False)
    return LazyURLResolver(pattern, LazyURLconf(build, f"{config.label} API routes"))


def api_root_view() -> Any:
    """The API root (DRF's DefaultRouter's, with the apps' extra entries), from the declarations."""
    api_root_dict = {}
    basenames: set[str] = set()
    for config in product_apps():
        for route in config.api_routes:
            if route.basename in basenames:  # one router would refuse it (DRF's BaseRouter.register)
                raise ImproperlyConfigured(
                    f'{config.label}: API basename "{route.basename}" is already registered.'
                )
            basenames.add(route.basename)
            api_root_dict[route.prefix] = f"{route.basename}-list"
    return ProductAPIRoot.as_view(api_root_dict=api_root_dict, routed_names=tuple(api_root_dict.items()))


def api_urlpatterns() -> list[Any]:
    """Everything under /api/: each app's viewsets, the root, then the apps' plain API views (their
    paths and the routers' never overlap: test_lazy_urls checks that every route resolves to itself)."""
    patterns: list[Any] = [_app_routes(config) for config in product_apps() if config.api_routes]
    patterns.append(path("", api_root_view(), name="api-root"))
    patterns += [
        lazy_include("", config.api_urls_module) for config in product_apps() if config.api_urls_module
    ]
    return patterns

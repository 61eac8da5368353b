"""The API router: every app's viewsets (``api_routes`` on its AppConfig), so /api/ lists them all."""

from django.utils.module_loading import import_string
from rest_framework.permissions import AllowAny
from rest_framework.reverse import reverse
from rest_framework.routers import APIRootView, DefaultRouter

from core.registry import product_apps

# Endpoints that are not viewsets, listed at /api/ beside the routers' entries.
EXTRA_ENTRIES = {"schema": "schema", "docs": "api-docs"}


class ProductAPIRoot(APIRootView):
    """Every endpoint of the product.

    Log in through the web UI (the browsable API then uses your session), or send
    `Authorization: Token <key>` with a token created at /account/token/.
    The OpenAPI schema is at /api/schema/ and interactive docs at /api/docs/.
    """

    permission_classes = [AllowAny]

    def get(self, request, *args, **kwargs):
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

"""The API router: every app registers its viewsets here, so /api/ lists all of them."""

from rest_framework.permissions import AllowAny
from rest_framework.reverse import reverse
from rest_framework.routers import APIRootView, DefaultRouter

# Endpoints that are not viewsets, listed at /api/ beside the routers' entries.
EXTRA_ENTRIES = {"me": "api-me", "schema": "schema", "docs": "api-docs"}


class ProductAPIRoot(APIRootView):
    """Every endpoint of the product.

    Log in through the web UI (the browsable API then uses your session), or send
    `Authorization: Token <key>` with a token created at /account/token/.
    The OpenAPI schema is at /api/schema/ and interactive docs at /api/docs/.
    """

    permission_classes = [AllowAny]

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        for name, url_name in EXTRA_ENTRIES.items():
            response.data[name] = reverse(url_name, request=request, format=kwargs.get("format"))
        return response


class ProductRouter(DefaultRouter):
    APIRootView = ProductAPIRoot


router = ProductRouter()

# Each app registers its viewsets (imported here so /api/ lists them all).
from routines.api import RoutineItemViewSet, RoutineViewSet  # noqa: E402

router.register("routines", RoutineViewSet, basename="routine")
router.register(r"routines/(?P<routine_pk>[0-9]+)/items", RoutineItemViewSet, basename="routine-item")

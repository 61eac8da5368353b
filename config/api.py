"""The API router: every app registers its viewsets here, so /api/ lists all of them."""

from rest_framework.permissions import AllowAny
from rest_framework.routers import APIRootView, DefaultRouter


class ProductAPIRoot(APIRootView):
    """Every endpoint of the product.

    Log in through the web UI (the browsable API then uses your session), or send
    `Authorization: Token <key>` with a token created at /account/token/.
    The OpenAPI schema is at /api/schema/ and interactive docs at /api/docs/.
    """

    permission_classes = [AllowAny]


class ProductRouter(DefaultRouter):
    APIRootView = ProductAPIRoot


router = ProductRouter()

"""URL map: the web UI, the browsable API under /api/, the schema and docs, the admin."""

from django.contrib import admin
from django.urls import include, path

from config.api import router
from config.schema import lazy_view
from core.api import MeView

urlpatterns = [
    path("", include("core.urls")),
    path("routines/", include("routines.urls")),
    path("admin/", admin.site.urls),
    # drf-spectacular is imported on the first request to these two (config/schema.py).
    path("api/schema/", lazy_view("SpectacularAPIView"), name="schema"),
    path("api/docs/", lazy_view("SpectacularSwaggerView", url_name="schema"), name="api-docs"),
    path("api/auth/", include("rest_framework.urls")),
    path("api/me/", MeView.as_view(), name="api-me"),
    path("api/", include(router.urls)),
]

"""URL map: the web UI, the browsable API under /api/, the schema and docs, the admin."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config.api import router
from core.api import MeView

urlpatterns = [
    path("", include("core.urls")),
    path("routines/", include("routines.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/auth/", include("rest_framework.urls")),
    path("api/me/", MeView.as_view(), name="api-me"),
    path("api/", include(router.urls)),
]

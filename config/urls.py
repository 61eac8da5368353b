"""URL map: each app's pages and API (declared on its AppConfig), the schema and docs, the admin."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config.api import build_router
from config.schema import lazy_view
from core.contract.registry import product_apps

urlpatterns = [
    path("admin/", admin.site.urls),
    # drf-spectacular is imported on the first request to these two (config/schema.py).
    path("api/schema/", lazy_view("SpectacularAPIView"), name="schema"),
    path("api/docs/", lazy_view("SpectacularSwaggerView", url_name="schema"), name="api-docs"),
    path("api/auth/", include("core.web.auth_urls")),  # DRF's login/logout, the login throttled
]
for _config in product_apps():
    if _config.api_urls_module:
        urlpatterns.append(path("api/", include(_config.api_urls_module)))
urlpatterns.append(path("api/", include(build_router().urls)))
for _config in product_apps():
    pages = _config.pages_module()
    if pages:
        urlpatterns.append(path(_config.url_prefix or "", include(pages)))
    # Stand-ins of upstream APIs exist on the laptop only; Lambda stages never route them.
    if _config.sandbox_urls_module and settings.ON_LAPTOP:
        urlpatterns.append(path(f"sandbox/{_config.label}/", include(_config.sandbox_urls_module)))

# A URL under /api/ that no route matches gets the API's JSON 404 (core.web.views.not_found).
handler404 = "core.web.views.not_found"

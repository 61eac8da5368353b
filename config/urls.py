"""URL map: each app's pages and API (declared on its AppConfig), the schema and docs, the admin.

Every include is lazy (core/web/lazy_urls.py): an app's views are imported when a path first enters its
prefix or a URL is first reversed, so a cold start imports only the app that answers it.
"""

from django.conf import settings
from django.urls import include, path

from config.api import api_urlpatterns
from config.schema import lazy_view
from core.contract.registry import product_apps
from core.web.lazy_admin import admin_urls
from core.web.lazy_urls import lazy_include

urlpatterns = [
    admin_urls("admin/"),
    # drf-spectacular is imported on the first request to these two (config/schema.py).
    path("api/schema/", lazy_view("SpectacularAPIView"), name="schema"),
    path("api/docs/", lazy_view("SpectacularSwaggerView", url_name="schema"), name="api-docs"),
    lazy_include("api/auth/", "core.web.auth_urls"),  # DRF's login/logout, the login throttled
    path("api/", include(api_urlpatterns())),
]
for _config in product_apps():
    pages = _config.pages_module()
    if pages:
        urlpatterns.append(lazy_include(_config.url_prefix or "", pages))
    # Stand-ins of upstream APIs exist on the laptop only; Lambda stages never route them.
    if _config.sandbox_urls_module and settings.ON_LAPTOP:
        urlpatterns.append(lazy_include(f"sandbox/{_config.label}/", _config.sandbox_urls_module))

# A URL under /api/ that no route matches gets the API's JSON 404 (core.web.views.not_found).
handler404 = "core.web.views.not_found"

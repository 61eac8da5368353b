"""Django's admin, with the apps' ``admin.py`` modules imported on first use instead of at start-up.

Django's default ``AdminConfig`` runs ``admin.autodiscover()`` in ``ready()``: every app's admin
module (and through ``django.contrib.auth.admin`` the auth forms) on every Lambda cold start, though
an API or page request never shows the admin. Here (``INSTALLED_APPS`` names
:class:`LazyAdminConfig` instead of ``django.contrib.admin``) discovery runs when something first
needs the registrations:

* the admin's URLs (:func:`admin_urls`), built on the first request under /admin/ or the first
  ``reverse()`` (which builds the whole URL map, as before);
* the system checks of the admin (``manage.py check``, the test runner), which check every
  registered ModelAdmin as Django's own check does.

Anything else that reads ``admin.site`` directly calls :func:`discover` first.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.apps import SimpleAdminConfig
from django.contrib.admin.checks import check_admin_app, check_dependencies
from django.core import checks

from core.web.lazy_urls import LazyURLconf, LazyURLResolver, lazy_include

_discovered = False


def discover() -> None:
    """``admin.autodiscover()``, once per process."""
    global _discovered
    if not _discovered:
        from django.contrib import admin

        admin.autodiscover()
        _discovered = True


def check_discovered_admin_app(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """Django's ``check_admin_app`` after the apps' admin modules are imported."""
    discover()
    return check_admin_app(app_configs, **kwargs)


class LazyAdminConfig(SimpleAdminConfig):
    """``django.contrib.admin`` (same label, models, templates and static files) without
    ``autodiscover()`` at start-up."""

    def ready(self) -> None:
        checks.register(check_dependencies, checks.Tags.admin)
        checks.register(check_discovered_admin_app, checks.Tags.admin)


def _admin_patterns() -> list[Any]:
    from django.contrib import admin

    discover()
    return admin.site.get_urls()


def admin_urls(route: str = "admin/") -> LazyURLResolver:
    """``path(route, admin.site.urls)``, built (and the admin modules discovered) on first use."""
    return lazy_include(
        route, LazyURLconf(_admin_patterns, "admin.site"), app_name="admin", namespace="admin"
    )

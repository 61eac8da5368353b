"""The URL map loads each app's views on first use (core/web/lazy_urls.py, core/web/lazy_admin.py), and behaves
as the eager map did: every route resolves to itself, 404s are the same, reverse() and the admin work
before anything was loaded."""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse

from tests.accounts.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
OTHER_APPS = ("accounts", "countries", "prices", "scraper", "tracker")


def _fresh(code: str) -> dict:
    """Run ``code`` (which prints one JSON line last) in a new interpreter with the laptop settings."""
    env = {
        "PATH": os.environ["PATH"],
        "STAGE": "local",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    prelude = "import json, sys, django\ndjango.setup()\n"
    result = subprocess.run(
        [sys.executable, "-c", prelude + code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _named_routes() -> list[tuple[str, str]]:
    """(namespaced name, pattern) of every named route of the whole map."""
    found = []

    def walk(patterns, prefix: str, namespace: str | None) -> None:
        for entry in patterns:
            pattern = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(
                    entry.url_patterns,
                    pattern,
                    ":".join(n for n in (namespace, entry.namespace) if n) or None,
                )
            elif isinstance(entry, URLPattern) and entry.name:
                found.append((f"{namespace}:{entry.name}" if namespace else entry.name, pattern))

    walk(get_resolver().url_patterns, "", None)
    return found


SAMPLES = ("1", "x", "routines", "view-data", "", "2026-01-02", "00000000-0000-0000-0000-000000000001")


def _kwargs_to_try(pattern: str) -> list[dict[str, str]]:
    """Sample values for the route's groups (each group tried with every sample)."""
    groups = re.findall(r"\(\?P<(\w+)>", pattern) + re.findall(r"<(?:\w+:)?(\w+)>", pattern)
    return [
        dict(zip(groups, values, strict=True)) for values in itertools.product(SAMPLES, repeat=len(groups))
    ]


def test_every_named_route_reverses_and_resolves_back_to_itself():
    routes = _named_routes()
    assert len(routes) > 100
    checked = 0
    for name, pattern in routes:
        for kwargs in _kwargs_to_try(pattern):
            try:
                path = reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue
            break
        else:
            pytest.fail(f"{name} ({pattern}) reverses with none of the sample values")
        assert resolve(path).view_name == name, (name, pattern, path)
        checked += 1
    assert checked == len(routes)


@pytest.mark.parametrize(
    ("path", "view_name"),
    [
        ("/api/", "api-root"),
        ("/api/routines/", "routine-list"),
        ("/api/routines/7/", "routine-detail"),
        ("/api/routines/7/items/", "routine-item-list"),
        ("/api/movies/", "movie-list"),
        ("/api/me/", "api-me"),
        ("/api/countries/", "countries-api"),
        ("/api/auth/login/", "rest_framework:login"),
        ("/routines/", "routines:today"),
        ("/", "home"),
        ("/admin/", "admin:index"),
    ],
)
def test_each_part_of_the_map_resolves_where_it_did(path, view_name):
    assert resolve(path).view_name == view_name


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/nothing/", "/api/movies.json", "/api/routines/0.5/"])
def test_a_path_no_api_route_matches_is_the_apis_json_404(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.django_db
def test_an_api_path_without_its_slash_is_a_json_404_naming_the_slash(client):
    response = client.get("/api/routines")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found. The API's routes end with a slash: /api/routines/"}


@pytest.mark.django_db
def test_a_page_no_route_matches_is_the_404_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_an_api_request_imports_only_the_app_it_reaches():
    report = _fresh(
        """
from django.urls import resolve
match = resolve("/api/routines/")
view = match.func
apps = ("accounts", "countries", "prices", "scraper", "tracker")
print(json.dumps({
    "view": match.view_name,
    "routines_api": "routines.api" in sys.modules,
    "others": sorted(m for m in sys.modules if m.split(".")[0] in apps and m.rsplit(".", 1)[-1] in
                     ("api", "api_urls", "views", "urls", "forms", "admin", "serializers", "selectors")),
    "admin_modules": sorted(m for m in sys.modules if m.endswith(".admin") and not m.startswith("django.")),
    "auth_admin": "django.contrib.auth.admin" in sys.modules,
}))
"""
    )

    assert report["view"] == "routine-list"
    assert report["routines_api"] is True
    assert report["others"] == []
    assert report["admin_modules"] == []
    assert report["auth_admin"] is False


def test_reverse_before_any_request_builds_the_whole_map():
    report = _fresh(
        """
from django.urls import reverse
paths = [reverse("admin:index"), reverse("routines:today"), reverse("movie-list"), reverse("api-me"),
         reverse("admin:countries_fetchrequest_changelist"), reverse("rest_framework:login")]
print(json.dumps({"paths": paths, "admin_loaded": "routines.admin" in sys.modules}))
"""
    )

    assert report["paths"] == [
        "/admin/",
        "/routines/",
        "/api/movies/",
        "/api/me/",
        "/admin/countries/fetchrequest/",
        "/api/auth/login/",
    ]
    assert report["admin_loaded"] is True


@pytest.mark.django_db
def test_the_admin_lists_every_apps_models_for_staff(aws, client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    index = client.get("/admin/")

    assert index.status_code == 200
    for app_label in ("accounts", "routines", "tracker", "prices", "countries", "scraper"):
        assert f"/admin/{app_label}/" in index.content.decode(), app_label
    assert client.get(reverse("admin:routines_routine_changelist")).status_code == 200


def test_the_admin_checks_see_the_registered_model_admins(monkeypatch):
    from django.contrib import admin
    from django.contrib.admin import ModelAdmin
    from django.contrib.admin.checks import ModelAdminChecks

    from core.web import lazy_admin
    from routines.models import Routine

    seen = []

    def check(self, admin_obj, **kwargs):
        seen.append(admin_obj.model)
        return []

    monkeypatch.setattr(ModelAdminChecks, "check", check)
    monkeypatch.setattr(lazy_admin, "_discovered", False)

    assert run_checks(tags=["admin"]) == []
    assert Routine in seen
    assert isinstance(admin.site._registry[Routine], ModelAdmin)


def test_two_apps_may_not_route_the_same_api_basename(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from config import api
    from core.apps import ApiRoute
    from core.contract.registry import product_apps

    routines = next(c for c in product_apps() if c.label == "routines")
    monkeypatch.setattr(
        type(routines),
        "api_routes",
        [*routines.api_routes, ApiRoute("again", "routines.api.RoutineViewSet", "movie")],
    )

    with pytest.raises(ImproperlyConfigured, match='"movie"'):
        api.api_root_view()

"""The API gate's sibling: what an unusual client sends, on every API route of the URL configuration.

schemathesis (test_schemathesis.py) fuzzes what the schema documents; these are what it does not
send. Every route the URL configuration has under /api/ (so a new app's routes are held here from
their first commit), with the values the ownership matrix's declarations give for alice's objects
(tests/<app>/ownership.py), through the live server (real SQLite/PostgreSQL, the real emulator):

* format suffixes: ``/api/.json``, ``/api/movies.json``, ``/api/orders/{id}/stages.json`` and
  their ``.api`` twins, GET and POST, as alice and anonymous: JSON (the API's JSON 404 when no
  route takes the suffix), never a 500;
* a JSON body nested 1,500 deep (an array and an object) on every write: a JSON 400.
"""

from __future__ import annotations

import json

import pytest
import requests
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.core.test_ownership_matrix import DECLARED, url_routes
from tests.ownership import declarations

pytestmark = pytest.mark.django_db(transaction=True)

API_ROUTES = [route for route in url_routes() if route.is_api]
DEPTH = 1_500
DEEP_BODIES = {
    "array": "[" * DEPTH + "]" * DEPTH,
    "object": '{"a":' * DEPTH + "1" + "}" * DEPTH,
}
WRITES = {"post", "put", "patch"}


def _parses_json(path: str, method: str) -> bool:
    """Whether the DRF view at ``path`` takes ``method`` (the auth pages, the schema and the docs
    are not DRF views that parse a body)."""
    from django.urls import resolve
    from rest_framework.views import APIView

    callback = resolve(path).func
    cls = getattr(callback, "cls", None)
    if cls is None or not issubclass(cls, APIView):
        return False
    actions = getattr(callback, "actions", None)
    return method in actions if actions else hasattr(cls, method)


def test_the_gate_sees_the_api_routes_of_every_app():
    names = {route.name for route in API_ROUTES}
    assert {"api-root", "movie-list", "price-latest", "order-stages", "routine-history"} <= names


@pytest.fixture
def world(alice, aws, live_server, settings):
    """Alice's objects (as the ownership matrix builds them), her token; the throttle out of the way."""
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "write": "100000/min"}
    built = {"alice": alice}
    for ownership in declarations().values():
        built.update(ownership.build(alice))
    built["api_token"] = Token.objects.get_or_create(user=alice)[0].key
    return built


def _path(route, world) -> str:
    if route.name == route.pattern:
        return "/" + route.pattern
    values = DECLARED[route.name].kwargs(world)
    return reverse(route.name, kwargs={group: values[group] for group in route.groups})


def _suffixed(path: str, suffix: str) -> list[str]:
    """DRF's suffix routes: ``/api/movies/`` -> ``/api/movies.json`` (and ``/api/.json`` for the root)."""
    bare = path.rstrip("/")
    found = {f"{bare}{suffix}", f"{bare}{suffix}/", f"{path}{suffix}"}
    return sorted(url for url in found if url.startswith("/api/"))


@pytest.mark.parametrize("route", API_ROUTES, ids=str)
def test_every_api_route_answers_format_suffixes_with_json_never_a_500(route, world, live_server):
    path = _path(route, world)
    visitors = {"alice": {"Authorization": f"Token {world['api_token']}"}, "anonymous": {}}
    for visitor, headers in visitors.items():
        for suffix in (".json", ".api"):
            for url in _suffixed(path, suffix):
                for method in ("GET", "POST"):
                    response = requests.request(
                        method,
                        f"{live_server.url}{url}",
                        headers=headers,
                        json={},
                        timeout=30,
                        allow_redirects=False,
                    )
                    where = f"{method} {url} as {visitor}: {response.status_code}"
                    assert response.status_code < 500, where
                    assert response.headers.get("Content-Type", "").startswith("application/json"), where
                    response.json()


@pytest.mark.parametrize("route", [route for route in API_ROUTES if WRITES & set(route.methods)], ids=str)
@pytest.mark.parametrize("shape", sorted(DEEP_BODIES))
def test_a_body_nested_too_deeply_is_a_json_400_on_every_write(route, shape, world, live_server):
    path = _path(route, world)
    headers = {"Authorization": f"Token {world['api_token']}", "Content-Type": "application/json"}
    methods = [method for method in sorted(WRITES & set(route.methods)) if _parses_json(path, method)]
    if not methods:
        pytest.skip(f"{route} parses no JSON body")
    for method in methods:
        response = requests.request(
            method, f"{live_server.url}{path}", headers=headers, data=DEEP_BODIES[shape], timeout=30
        )
        where = f"{method.upper()} {path} ({shape} nested {DEPTH} deep): {response.status_code}"
        assert response.status_code == 400, where
        assert response.headers["Content-Type"].startswith("application/json"), where
        assert "nested" in json.dumps(response.json()), where

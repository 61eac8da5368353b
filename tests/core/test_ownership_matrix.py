"""The ownership matrix: every route of the URL configuration, as bob and as an anonymous visitor, on
alice's objects.

The routes come from the URL configuration itself (``get_resolver()``), so a new route cannot
escape: a route that no app declares in its ``tests/<app>/ownership.py`` (tests/ownership.py)
fails here by name. For each route, each method its view answers (a viewset's actions; GET and POST
for pages) is tried, a write with values that would change her objects, and then:

* the body never holds alice's data (her objects' texts carry ``tests.ownership.SECRET``, and her
  API token is looked for too);
* on a URL naming her object, bob and anonymous are refused: 401, 403, 404, 405, or a redirect to
  log in; anonymous is refused (or redirected) on every route that is not public;
* afterwards everything of hers (each app's ``snapshot``: rows, DynamoDB items, password, token) is
  unchanged.

Not walked: the admin (staff only, Django's own), static files, and the laptop-only sandbox
stand-ins of upstream APIs (they hold no user's data), except the sandbox pages an app declares
because they show users' data (the email and SMS outboxes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from tests.ownership import SECRET, Route, declarations

SKIPPED_PREFIXES = ("admin/", "static/")
SANDBOX_PREFIX = "sandbox/"
REFUSED = {401, 403, 404, 405}
DECLARED: dict[str, Route] = {
    name: route for ownership in declarations().values() for name, route in ownership.routes.items()
}


@dataclass(frozen=True)
class UrlRoute:
    name: str  # "namespace:name", or the pattern when the route has no name
    pattern: str
    groups: tuple[str, ...]
    methods: tuple[str, ...]
    is_api: bool

    def __str__(self) -> str:
        return f"{self.name} ({self.pattern})"


def _groups(pattern: str) -> tuple[str, ...]:
    names = re.findall(r"\(\?P<(\w+)>", pattern) + re.findall(r"<(?:\w+:)?(\w+)>", pattern)
    return tuple(sorted(set(names)))


def _methods(callback) -> tuple[str, ...]:
    actions = getattr(callback, "actions", None)  # a DRF viewset's route: {method: action}
    if actions:
        return tuple(sorted(actions))
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if cls is not None:
        return tuple(m for m in ("get", "post", "put", "patch", "delete") if hasattr(cls, m))
    return ("get", "post")


def url_routes() -> list[UrlRoute]:
    found: dict[tuple[str, tuple[str, ...]], UrlRoute] = {}

    def walk(patterns, prefix: str, namespace: str | None) -> None:
        for entry in patterns:
            pattern = prefix + str(entry.pattern)
            if pattern.startswith(SKIPPED_PREFIXES):
                continue
            if isinstance(entry, URLResolver):
                inner = ":".join(n for n in (namespace, entry.namespace) if n) or None
                walk(entry.url_patterns, pattern, inner)
                continue
            assert isinstance(entry, URLPattern)
            groups = _groups(pattern)
            if "format" in groups:  # DRF's .json twins of the same views
                continue
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or pattern)
            if pattern.startswith(SANDBOX_PREFIX) and name not in DECLARED:
                continue  # an upstream's stand-in, not a page of users' data
            found.setdefault(
                (name, groups),
                UrlRoute(name, pattern, groups, _methods(entry.callback), pattern.startswith("api/")),
            )

    walk(get_resolver().url_patterns, "", None)
    return list(found.values())


ROUTES = url_routes()
DECLARATIONS = declarations()
# The app whose declaration names each route: a route is tried on that app's objects of alice's, and on
# her account (every app's data hangs off it: her email, password and API token are always there).
# core's routes (the home page, the API root, the failures page) span every app: all are built for them.
APP_OF_ROUTE = {name: label for label, ownership in DECLARATIONS.items() for name in ownership.routes}
ALWAYS_BUILT = ("accounts",)
SPANS_EVERY_APP = ("core",)


def test_the_matrix_sees_the_routes_of_every_app():
    names = {route.name for route in ROUTES}
    assert {"routine-detail", "routines:edit", "api-me", "home"} <= names
    assert {"prices-sandbox:outbox", "tracker-sandbox:outbox"} <= names  # the outboxes hold users' data


def _apps_for(route: UrlRoute) -> tuple[str, ...]:
    own = APP_OF_ROUTE.get(route.name)
    if own is None or own in SPANS_EVERY_APP:
        return tuple(DECLARATIONS)
    return tuple(dict.fromkeys([*ALWAYS_BUILT, own]))


@pytest.fixture
def world(request, alice, aws):
    """Alice's objects of the route's own app (and her account; every app's for core's routes): another
    app's objects cannot be reached through this route's view, and building all of them cost ~250 ms."""
    route = request.node.callspec.params["route"]
    built = {"alice": alice, "apps": _apps_for(route)}
    for label in built["apps"]:
        built.update(DECLARATIONS[label].build(alice))
    return built


def _snapshot(alice, apps):
    return {label: DECLARATIONS[label].snapshot(alice) for label in apps}


def _body(world) -> dict:
    body: dict = {}
    for label in world["apps"]:
        body.update(DECLARATIONS[label].write_body(world))
    return body


def _visitor(kind: str, bob, is_api: bool):
    if kind == "anonymous":
        return APIClient() if is_api else Client()
    client = APIClient()
    if is_api:
        client.force_authenticate(bob)
    else:
        client.force_login(bob)
    return client


@pytest.mark.parametrize("visitor", ["bob", "anonymous"])
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_nobody_but_alice_reaches_her_objects(route, visitor, world, alice, bob):
    declared = DECLARED.get(route.name)
    assert declared is not None, (
        f"No app declares the route {route}: add it to the routes of OWNERSHIP in tests/<app>/ownership.py "
        "(docs/architecture.md: How to add an app)."
    )
    values = declared.kwargs(world)
    missing = [group for group in route.groups if group not in values]
    assert not missing, f"{route}: the declaration gives no value for {missing}"
    if route.name == route.pattern:  # an unnamed route (it has no groups, or nothing could reach it)
        url = "/" + route.pattern
    else:
        url = reverse(route.name, kwargs={group: values[group] for group in route.groups})
    owned = declared.owned and bool(route.groups)
    client = _visitor(visitor, bob, route.is_api)
    body = (declared.body or _body)(world)
    before = _snapshot(alice, world["apps"])

    for method in route.methods:
        if route.is_api:
            response = getattr(client, method)(url, body if method != "get" else None, format="json")
        else:
            response = getattr(client, method)(url, body if method != "get" else None)
        body_bytes = b"".join(response.streaming_content) if response.streaming else response.content
        text = body_bytes.decode(errors="replace")  # a streamed answer (a CSV export) is read whole
        where = f"{method.upper()} {url} as {visitor}: {response.status_code}"
        assert SECRET not in text, f"{where} shows alice's data"
        assert world.get("token", SECRET) not in text, f"{where} shows alice's token"
        redirected_to_login = response.status_code == 302 and response["Location"].startswith(
            reverse("login")
        )
        if owned or (visitor == "anonymous" and not declared.public):
            assert response.status_code in REFUSED or redirected_to_login, f"{where}, not refused"
        assert response.status_code < 500, where

    assert _snapshot(alice, world["apps"]) == before, f"{route} as {visitor} changed alice's data"

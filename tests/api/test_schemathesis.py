"""The API gate: schemathesis fuzzes every operation of the live /api/schema/ with all its checks.

What runs: schemathesis reads the product's schema (through Django's WSGI handler at collection,
so each operation is a pytest test of its own and a new app's operations are fuzzed without
editing this file); each test first checks that the product (real SQLite/PostgreSQL, the real
emulator for DynamoDB) publishes that same schema, then sends every case to Django's WSGI handler
in the test's own thread and transaction, authenticated as alice with a token. (Until 2026-12 the
cases went over HTTP to pytest-django's ``live_server``: the same handler, but every test then had
to empty every table afterwards, ~0.8 s a test on PostgreSQL; two thirds of the gate's time is
Hypothesis generating cases, which only more workers shorten: bench/README.md.) Each operation gets schemathesis'
coverage phase (boundary and invalid values derived from the schema) and at least 100 generated
examples (``max_examples``), positive and negative (``generation.mode = all``): about 130 requests
per operation. Every built-in check is on: no 5xx (``not_a_server_error``), bodies, headers and
content types as documented, only documented status codes, valid data accepted and invalid data
refused, authentication enforced (``ignored_auth``), a deleted object gone (``use_after_free``),
undocumented methods answered 405. ``positive_data_acceptance`` also accepts a 400 (see CONFIG).
The stateful phase is off (the schema has no links). Shrinking is off, so a failure is reported as
first found; Hypothesis prints the seed to re-run it with (``--hypothesis-seed``).

So that generated ids reach real objects, small ids (0-3) are mapped onto alice's own routines
and items, and on the tracker's paths onto her orders (one tracked, two ended: PATCH and remove
meet both states); any other id stays as generated (mostly 404s, which must then be documented JSON).
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from routines.models import RoutineItem
from routines.services import routine_create
from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MAX_EXAMPLES = 100
KNOWN: dict[str, list[int]] = {"routine": [], "item": [], "order": []}


CONFIG = {
    "request-timeout": 30,
    "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "no-shrink": True},
    "phases": {"stateful": {"enabled": False}},
    "checks": {
        "enabled": True,
        # Schema-valid input may still break a rule that depends on stored state or on the day
        # (a name taken, a day before the routine's first or after tomorrow, a reorder that does
        # not list every id, a window over 366 days): those answer a documented 400. Anything
        # else a schema-valid request gets must be as schemathesis expects, and never a 5xx.
        "positive_data_acceptance": {
            "expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409", "429"]
        },
    },
}


def _product_schema() -> schemathesis.schemas.BaseSchema:
    """The product's schema, read at collection time so each operation is a test of its own.

    It is read through Django's WSGI handler (no server runs yet at collection); every test then
    checks that the live server publishes exactly this schema before fuzzing it there.
    """
    from django.core.wsgi import get_wsgi_application

    loaded = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json",
        get_wsgi_application(),
        config=schemathesis.config.SchemathesisConfig.from_dict(CONFIG),
    )
    loaded.hook(map_path_parameters)
    return loaded


@pytest.fixture
def in_process_requests(alice_token):
    """Requests go through Django's WSGI handler in the test's thread, inside its transaction: the
    handler's end-of-request hook must not close that connection (Django's test client does the same,
    and connects it again after each of its requests: so this comes after alice's set-up)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def alice_token(aws, settings):
    """Alice with a token and two routines; the throttle out of the way (fuzzing is not abuse)."""
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "write": "100000/min"}
    alice = UserFactory(username="alice", email="")
    routines = [
        routine_create(owner=alice, name="Morning", items=["Shower", "Get dressed", "Coffee"]),
        routine_create(owner=alice, name="Bedtime", items=["Teeth", "Alarm"]),
    ]
    KNOWN["routine"] = [r.pk for r in routines]
    KNOWN["item"] = list(RoutineItem.objects.filter(routine__in=routines).values_list("pk", flat=True))
    KNOWN["order"] = _alice_orders(alice)
    published = json.loads(Client().get("/api/schema/?format=json").content)
    assert published == schema.raw_schema, "the product publishes another schema than the one tested"
    return Token.objects.create(user=alice).key


def _alice_orders(alice) -> list[int]:
    """Alice's tracked order and two ended ones (sandbox tracker URLs, accepted on the test stage)."""
    from django.conf import settings as django_settings

    from tracker import order_stages
    from tracker.sandbox import carts
    from tracker.services import order_create, order_stop

    base = f"{django_settings.SANDBOX_BASE_URL}/tracker{order_stages.CART_PATH}"
    orders = [
        order_create(
            owner=alice,
            tracker_url=f"{base}{carts.cart_new(walk_seconds=walk).cart_id}",
            token="Bearer schemathesis",
            phone="+60123456789",
        )
        for walk in (300, 301, 302)
    ]
    for ended in orders[1:]:
        order_stop(owner=alice, pk=ended.pk)
    return [order.pk for order in orders]


def map_path_parameters(context, path_parameters):
    """Small generated ids point at alice's objects, so examples exercise real rows too."""
    mapped = dict(path_parameters or {})
    if context.operation.path.startswith("/api/orders/"):
        value = mapped.get("id")
        if isinstance(value, str) and value.isascii() and value.isdigit() and int(value) <= 3:
            mapped["id"] = str(KNOWN["order"][int(value) % len(KNOWN["order"])])
        elif isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 3:
            mapped["id"] = str(KNOWN["order"][value % len(KNOWN["order"])])
        return mapped
    for name, kind in (("id", "item" if "routine_pk" in mapped else "routine"), ("routine_pk", "routine")):
        value = mapped.get(name)
        known = KNOWN[kind]
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 3 and known:
            mapped[name] = known[value % len(known)]
    return mapped


schema = _product_schema()


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)
def test_every_operation_keeps_its_published_contract(case, alice_token, in_process_requests):
    case.call_and_validate(headers={"Authorization": f"Token {alice_token}"})

"""Throttles on the shared DynamoDB cache: logins (form and /api/auth/login/), API and page writes.

Every test here counts in the real DynamoDB table on the emulator (``shared_throttle``), as the
Lambda instances of a stage do; the rest of the suite counts in a local cache (tests/settings.py).
"""

import logging

import pytest
from django.core.cache import caches
from rest_framework.authtoken.models import Token

from core.aws.cache import DynamoCache
from routines.models import Routine
from tests.accounts.factories import persona_password
from tests.support.net import free_port


@pytest.fixture
def shared_throttle(settings, aws):
    settings.CACHES = {**settings.CACHES, "throttle": {"BACKEND": "core.aws.cache.DynamoCache"}}
    settings.THROTTLE_RATES = {"login": "5/15min", "write": "4/min"}
    return caches["throttle"]


# --- the cache itself ------------------------------------------------------------------------


def test_two_instances_of_the_cache_share_one_atomic_count(aws):
    first, second = DynamoCache("", {}), DynamoCache("", {})

    assert first.add("hits", 1, timeout=60)
    assert not second.add("hits", 1, timeout=60)  # already there, whoever asks
    assert second.incr("hits") == 2
    assert first.incr("hits", 3) == 5
    assert second.get("hits") == 5


def test_the_cache_keeps_django_s_contract(aws):
    cache = DynamoCache("", {})

    with pytest.raises(ValueError, match="not found"):
        cache.incr("missing")
    cache.set("doc", {"a": [1, 2]}, timeout=60)
    assert cache.get("doc") == {"a": [1, 2]}
    with pytest.raises(TypeError, match="not a whole number"):
        cache.incr("doc")
    assert cache.get("missing", "default") == "default"
    assert cache.touch("doc", timeout=120)
    assert not cache.touch("missing")
    assert cache.delete("doc")
    assert not cache.delete("doc")
    assert not cache.has_key("doc")


def test_an_expired_entry_is_gone_before_dynamodb_deletes_it(aws):
    cache = DynamoCache("", {})

    cache.set("old", 7, timeout=0)  # expires at once; DynamoDB's TTL would delete it much later

    assert cache.get("old") is None
    assert cache.add("old", 1, timeout=60)
    assert cache.get("old") == 1


# --- logins ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/account/login/", "/api/auth/login/"])
def test_wrong_passwords_are_throttled_and_then_even_the_right_one_waits(
    client, alice, shared_throttle, path
):
    statuses = [
        client.post(path, {"username": "alice", "password": f"guess-{n}"}).status_code for n in range(5)
    ]
    blocked = client.post(path, {"username": "alice", "password": persona_password("alice")})

    assert statuses == [200] * 5  # the form again, with its error
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert "Too many login attempts" in blocked.content.decode()
    assert "_auth_user_id" not in client.session


def test_one_client_trying_many_usernames_is_throttled_too(client, db, shared_throttle):
    statuses = [
        client.post("/account/login/", {"username": f"user{n}", "password": "x"}).status_code
        for n in range(6)
    ]

    assert statuses == [200] * 5 + [429]


def test_a_right_password_under_the_limit_logs_in(client, alice, shared_throttle):
    client.post("/account/login/", {"username": "alice", "password": "wrong"})

    response = client.post("/account/login/", {"username": "alice", "password": persona_password("alice")})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


# --- writes ----------------------------------------------------------------------------------


def test_api_writes_are_throttled_per_user_with_a_json_429(api_alice, api_bob, shared_throttle):
    statuses = [
        api_alice.post("/api/routines/", {"name": f"R{n}"}, format="json").status_code for n in range(5)
    ]
    throttled = api_alice.post("/api/routines/", {"name": "Too many"}, format="json")

    assert statuses == [201] * 4 + [429]
    assert throttled.status_code == 429
    assert throttled["Content-Type"] == "application/json"
    assert "throttled" in throttled.json()["detail"]
    assert int(throttled["Retry-After"]) > 0
    assert api_alice.get("/api/routines/").status_code == 200  # reads are not counted
    assert api_bob.post("/api/routines/", {"name": "Bob's"}, format="json").status_code == 201
    assert Routine.objects.count() == 5


def test_page_writes_are_throttled_with_a_429_page(alice_client, shared_throttle):
    statuses = [
        alice_client.post("/routines/new/", {"name": f"R{n}", "items": "One"}).status_code for n in range(5)
    ]

    assert statuses == [302] * 4 + [429]
    page = alice_client.post("/routines/new/", {"name": "Another", "items": "One"})
    assert "Too many changes" in page.content.decode()
    assert Routine.objects.count() == 4


def test_an_unreachable_dynamodb_lets_writes_through_with_one_log_line(
    alice, shared_throttle, monkeypatch, caplog
):
    from rest_framework.test import APIClient

    token = Token.objects.create(user=alice)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")

    with caplog.at_level(logging.WARNING, logger="core.web.throttling"):
        response = api.post("/api/routines/", {"name": "Still works"}, format="json")

    assert response.status_code == 201, response.content
    lines = [r.getMessage() for r in caplog.records if r.name == "core.web.throttling"]
    assert len(lines) == 1
    assert lines[0].startswith("Throttle write not applied: the shared cache failed")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("120/min", (120, 60)), ("20/15min", (20, 900)), ("5/hour", (5, 3600)), ("x", None)],
)
def test_rates_read_as_count_per_window(text, expected):
    from core.rates import rate_seconds

    assert rate_seconds(text) == expected


def test_a_malformed_rate_stops_start_up_naming_the_variable(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from core.env import env_rate

    monkeypatch.setenv("THROTTLE_WRITE_RATE", "lots")
    with pytest.raises(ImproperlyConfigured, match="THROTTLE_WRITE_RATE"):
        env_rate("THROTTLE_WRITE_RATE", "120/min")

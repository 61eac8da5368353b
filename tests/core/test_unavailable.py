"""DynamoDB unreachable (issue 9, item 7): the API answers a JSON 503, pages the friendly 503 page,
login says why it cannot sign in, and what needs only the relational database keeps working.

The emulator is "stopped" by pointing the endpoint at a loopback port nothing listens on: every
DynamoDB call is refused, as when `make run`'s emulator is gone or the network to AWS is.
"""

import time

import pytest
from django.urls import reverse

from core import aws as core_aws
from core.aws.dynamo import CacheItem, SessionItem
from core.clock import user_today
from core.contract.registry import dynamo_models
from tests.accounts.factories import persona_password
from tests.support.net import free_port

MESSAGE = "cannot be reached right now"


@pytest.fixture
def dynamodb_unreachable(monkeypatch, settings):
    """From here on, the AWS endpoint is a closed port (refused at once; botocore's retries of a
    refused connection take ~0.1-0.2 s per call)."""

    def stop():
        url = f"http://127.0.0.1:{free_port()}"
        monkeypatch.setenv("AWS_ENDPOINT_URL", url)
        settings.AWS_ENDPOINT_URL = url
        core_aws.reset_clients()
        for model in {*dynamo_models(), SessionItem, CacheItem}:
            monkeypatch.setattr(model, "_connection", None)  # the next call connects to the new endpoint

    yield stop
    core_aws.reset_clients()


@pytest.fixture
def morning(alice, aws):
    from routines.services import routine_create

    return routine_create(owner=alice, name="Morning", description="", items=["Shower", "Get dressed"])


def test_the_api_answers_a_json_503_for_a_day_it_cannot_read(api_alice, morning, alice, dynamodb_unreachable):
    dynamodb_unreachable()
    day = user_today(alice).isoformat()

    response = api_alice.get(f"/api/routines/{morning.pk}/days/{day}/")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert MESSAGE in response.json()["detail"]
    assert response["Retry-After"] == "30"


def test_the_api_503_is_json_even_with_debug_on(api_alice, morning, alice, dynamodb_unreachable, settings):
    settings.DEBUG = True
    dynamodb_unreachable()

    response = api_alice.post(
        f"/api/routines/{morning.pk}/days/{user_today(alice).isoformat()}/toggle/",
        {"item": morning.items.first().pk, "done": True},
        format="json",
    )

    assert response.status_code == 503
    assert MESSAGE in response.json()["detail"]


def test_api_operations_that_need_only_the_database_keep_working(api_alice, morning, dynamodb_unreachable):
    dynamodb_unreachable()

    listed = api_alice.get("/api/routines/")
    created = api_alice.post("/api/routines/", {"name": "Evening"}, format="json")  # throttle fails open

    assert listed.status_code == 200
    assert [r["name"] for r in listed.json()["results"]] == ["Morning"]
    assert created.status_code == 201, created.content


@pytest.mark.parametrize("debug", [False, True], ids=["lambda", "laptop-debug"])
def test_a_page_that_reads_dynamodb_answers_the_friendly_503_page(
    client, alice, morning, settings, dynamodb_unreachable, debug
):
    settings.DEBUG = debug
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"  # a session without DynamoDB
    client.force_login(alice)
    dynamodb_unreachable()

    response = client.get(reverse("routines:today"))

    assert response.status_code == 503
    assert "503.html" in [t.name for t in response.templates]
    assert MESSAGE in response.content.decode()
    assert "Traceback" not in response.content.decode()
    edit = client.get(reverse("routines:edit", kwargs={"pk": morning.pk}))  # the database alone
    assert edit.status_code == 200
    assert "Shower" in edit.content.decode()


def test_the_home_and_login_pages_keep_working(client, db, dynamodb_unreachable):
    dynamodb_unreachable()

    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("login")).status_code == 200


def test_login_says_signing_in_is_unavailable_instead_of_a_500(client, alice, dynamodb_unreachable):
    dynamodb_unreachable()

    response = client.post(reverse("login"), {"username": "alice", "password": persona_password("alice")})

    assert response.status_code == 503
    assert "Signing in is unavailable right now" in response.content.decode()
    assert "<form" in response.content.decode()
    assert "sessionid" not in response.cookies


def test_a_signed_in_visitor_whose_session_cannot_be_read_is_anonymous_and_keeps_the_session(
    alice_client, dynamodb_unreachable, settings
):
    assert alice_client.get(reverse("home")).context["user"].username == "alice"
    dynamodb_unreachable()

    home = alice_client.get(reverse("home"))
    today = alice_client.get(reverse("routines:today"))

    assert home.status_code == 200
    assert not home.context["user"].is_authenticated
    assert settings.SESSION_COOKIE_NAME not in home.cookies  # not deleted: she is back once DynamoDB is
    assert today.status_code == 302
    assert today["Location"].startswith(reverse(settings.LOGIN_URL))


def test_signup_answers_503_and_creates_no_account_so_it_can_be_sent_again(client, db, dynamodb_unreachable):
    from accounts.models import User

    dynamodb_unreachable()
    form = {
        "username": "carol",
        "password1": "carol-Pass-2026!",
        "password2": "carol-Pass-2026!",
        "time_zone": "Europe/Paris",
    }

    response = client.post(reverse("signup"), form)

    assert response.status_code == 503
    assert MESSAGE in response.content.decode()
    assert not User.objects.filter(username="carol").exists()


def test_a_refused_endpoint_costs_a_request_little(api_alice, morning, alice, dynamodb_unreachable):
    dynamodb_unreachable()
    started = time.perf_counter()
    api_alice.get(f"/api/routines/{morning.pk}/days/{user_today(alice).isoformat()}/")
    assert time.perf_counter() - started < 5


def test_every_api_operation_documents_its_503(api_alice):
    paths = api_alice.get("/api/schema/", {"format": "json"}).json()["paths"]
    methods = {"get", "post", "put", "patch", "delete"}
    operations = [op for ops in paths.values() for method, op in ops.items() if method in methods]
    assert operations
    assert all("503" in op["responses"] for op in operations)


@pytest.fixture
def dynamodb_failing(monkeypatch, settings):
    """From here on, the AWS endpoint answers every request ``status`` with an empty body: a 5xx
    that names no error code (a load balancer's or a proxy's answer)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Failing(BaseHTTPRequestHandler):
        status = 502

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(self.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Failing)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def fail(status: int = 502):
        Failing.status = status
        url = f"http://127.0.0.1:{server.server_address[1]}"
        monkeypatch.setenv("AWS_ENDPOINT_URL", url)
        settings.AWS_ENDPOINT_URL = url
        core_aws.reset_clients()
        for model in {*dynamo_models(), SessionItem, CacheItem}:
            monkeypatch.setattr(model, "_connection", None)

    yield fail
    server.shutdown()
    server.server_close()
    core_aws.reset_clients()


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_5xx_without_an_error_code_is_a_json_503_under_the_api(
    api_alice, morning, alice, dynamodb_failing, status
):
    dynamodb_failing(status)

    response = api_alice.get(f"/api/routines/{morning.pk}/days/{user_today(alice).isoformat()}/")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert MESSAGE in response.json()["detail"]
    assert response["Retry-After"] == "30"


def test_a_5xx_without_an_error_code_is_the_503_page_on_pages(
    client, alice, morning, settings, dynamodb_failing
):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"  # a session without DynamoDB
    client.force_login(alice)
    dynamodb_failing(502)

    response = client.get(reverse("routines:today"))

    assert response.status_code == 503
    assert MESSAGE in response.content.decode()


def test_a_4xx_refusal_stays_a_bug_not_an_outage():
    from botocore.exceptions import ClientError

    from core.aws.unavailable import is_unavailable

    refused = ClientError(
        {
            "Error": {"Code": "ValidationException", "Message": "no"},
            "ResponseMetadata": {"HTTPStatusCode": 400},
        },
        "GetItem",
    )
    assert not is_unavailable(refused)

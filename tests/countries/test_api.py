"""The original's three endpoints (anonymous too, the {Code, Message} body on every failure) and the
caller's fetches under /api/."""

from __future__ import annotations

import boto3
import pytest
from botocore.config import Config
from django.urls import reverse
from rest_framework.test import APIClient

from countries import services
from countries.models import FetchRequest
from tests.countries.factories import FetchAttemptFactory, FetchRequestFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def anonymous():
    return APIClient()


def _error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"Code", "Message"}, body
    assert body["Code"] == code
    assert body["Message"]
    return body["Message"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_anyone_can_queue_a_fetch_and_gets_202_with_the_request_and_its_status_url(anonymous, aws, method):
    response = getattr(anonymous, method)("/fetch-data/py/")

    assert response.status_code == 202
    body = response.json()
    request = FetchRequest.objects.get()
    assert body == {
        "message": "fetch data request for country (PY) successfully queued.",
        "request_id": request.pk,
        "code": "PY",
        "status": "queued",
        "status_url": "http://testserver/status/PY/",
        "view_url": "http://testserver/view-data/PY/",
    }
    assert request.owner is None


def test_a_logged_in_callers_fetch_is_theirs(api_alice, alice, aws):
    api_alice.post("/fetch-data/BR/")

    assert FetchRequest.objects.get().owner == alice


@pytest.mark.parametrize(
    "code", ["C2", "COL", "C", "QQ", "%C3%91A", "12", "p%20y", "a%2Fb"], ids=lambda c: f"code={c}"
)
@pytest.mark.parametrize("endpoint", ["fetch-data", "view-data", "status"])
def test_a_bad_code_is_a_400_bad_request_error_on_every_endpoint(anonymous, aws, endpoint, code):
    response = anonymous.get(f"/{endpoint}/{code}/")

    _error(response, 400, "BadRequestError")
    assert not FetchRequest.objects.exists()


def test_an_empty_code_is_a_bad_request_too(anonymous, aws):
    assert "Give a country code" in _error(anonymous.get("/status//"), 400, "BadRequestError")


def test_a_country_never_fetched_is_a_404_not_found_error(anonymous, aws):
    message = _error(anonymous.get("/view-data/PY/"), 404, "NotFoundError")

    assert message == "PY was never fetched: GET /fetch-data/PY/ first."


def test_view_data_returns_the_stored_document(anonymous, alice, upstream):
    request = services.fetch_request_create(code="PY", owner=alice)
    services.fetch_request_process(request_id=request.pk)

    response = anonymous.get("/view-data/py/")

    assert response.status_code == 200
    document = response.json()
    assert document["cca2"] == "PY"
    assert document["gini"] == {"2019": 45.7}
    assert document["name"]["official"] == "Republic of Paraguay"


def test_status_lists_the_attempts_newest_first_with_time_zone_and_duration(anonymous, aws):
    request = FetchRequestFactory(code="PY")
    older = FetchAttemptFactory(
        request=request, success=False, error="REST Countries did not answer within 5 s."
    )
    newer = FetchAttemptFactory(request=request, success=True, duration_ms=87)
    FetchAttemptFactory(request=FetchRequestFactory(code="BR"))
    older.started_at = newer.started_at.replace(year=2025)
    older.save()

    response = anonymous.get("/status/PY/")

    assert response.status_code == 200
    body = response.json()
    assert [a["success"] for a in body] == [True, False]
    assert body[0]["fetched_country"] == "PY"
    assert body[0]["duration_ms"] == 87
    assert body[0]["timestamp"].endswith("Z") or "+" in body[0]["timestamp"]
    assert body[1]["error"] == "REST Countries did not answer within 5 s."


def test_status_of_a_country_never_fetched_is_an_empty_list(anonymous, aws):
    response = anonymous.get("/status/PY/")

    assert (response.status_code, response.json()) == (200, [])


def test_a_method_the_endpoints_do_not_take_is_a_405_in_the_same_body(anonymous, aws):
    _error(anonymous.delete("/fetch-data/PY/"), 405, "MethodNotAllowedError")
    _error(anonymous.post("/view-data/PY/"), 405, "MethodNotAllowedError")


def test_head_never_records_or_queues_a_fetch(anonymous, aws):
    from core.aws import client
    from core.contract.naming import resource_name

    response = anonymous.head("/fetch-data/BR/")

    assert response.status_code == 405
    assert "HEAD" not in response["Allow"]
    assert "GET" in response["Allow"]
    assert not FetchRequest.objects.exists()
    sqs = client("sqs")
    url = sqs.get_queue_url(QueueName=resource_name("fetch-requests"))["QueueUrl"]
    assert sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0).get("Messages") is None
    assert anonymous.head("/status/PY/").status_code == 200  # reads answer HEAD as GET


def test_fetches_by_get_count_against_the_write_throttle(anonymous, aws, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "write": "2/min"}
    assert anonymous.get("/fetch-data/PY/").status_code == 202
    assert anonymous.post("/fetch-data/BR/").status_code == 202

    _error(anonymous.get("/fetch-data/AR/"), 429, "TooManyRequestsError")
    assert FetchRequest.objects.count() == 2
    assert anonymous.get("/status/PY/").status_code == 200  # reads are not writes


@pytest.mark.parametrize("debug", [False, True], ids=["lambda", "laptop-debug"])
def test_every_path_under_the_endpoints_answers_their_json(anonymous, aws, settings, debug):
    settings.DEBUG = debug  # with DEBUG on, APPEND_SLASH raised a RuntimeError for a POST
    response = anonymous.post("/fetch-data/BR")
    assert response.status_code == 202, response.content
    assert response.json()["status_url"] == "http://testserver/status/BR/"
    status = anonymous.get("/status/BR")
    assert (status.status_code, status.json()) == (200, [])  # queued, no attempt yet
    _error(anonymous.get("/view-data/PY"), 404, "NotFoundError")
    for path in ("/fetch-data/", "/fetch-data", "/status/", "/view-data"):
        assert "Give a country code" in _error(anonymous.get(path), 400, "BadRequestError")
    _error(anonymous.get("/status/PY/extra"), 400, "BadRequestError")
    _error(anonymous.put("/fetch-data/BR"), 405, "MethodNotAllowedError")
    assert FetchRequest.objects.count() == 1


def test_a_bad_token_is_a_401_in_the_same_body(aws):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token nope")

    _error(client.get("/status/PY/"), 401, "UnauthorizedError")


def test_a_client_over_its_rate_gets_429_with_retry_after(anonymous, aws, settings):
    settings.COUNTRIES_CLIENT_RATE = "3/min"
    for _ in range(3):
        assert anonymous.get("/status/PY/").status_code == 200

    response = anonymous.get("/view-data/PY/")

    _error(response, 429, "TooManyRequestsError")
    assert int(response["Retry-After"]) >= 1
    other = APIClient(REMOTE_ADDR="10.1.2.3")
    assert other.get("/status/PY/").status_code == 200  # another client has its own budget


def test_a_code_requested_too_often_is_429_for_everybody(anonymous, api_bob, aws, settings):
    settings.COUNTRIES_CODE_RATE = "2/min"
    assert anonymous.get("/fetch-data/PY/").status_code == 202
    assert api_bob.get("/fetch-data/PY/").status_code == 202

    response = api_bob.post("/fetch-data/py/")

    assert "PY was requested too often" in _error(response, 429, "TooManyRequestsError")
    assert response["Retry-After"]
    assert anonymous.get("/fetch-data/BR/").status_code == 202


def test_sqs_unreachable_keeps_the_request_pending_and_still_answers_202(anonymous, aws, monkeypatch):
    dead = boto3.client(
        "sqs",
        endpoint_url="http://127.0.0.1:9",
        region_name="us-east-1",
        config=Config(connect_timeout=1, retries={"max_attempts": 1}),
    )
    monkeypatch.setattr(services, "client", lambda service: dead)

    response = anonymous.get("/fetch-data/PY/")

    assert response.status_code == 202
    assert response.json()["status"] == "pending"
    assert FetchRequest.objects.get().status == "pending"


def test_dynamodb_unreachable_is_a_503_service_unavailable_error(anonymous, aws, monkeypatch):
    from countries.dynamo import CountryItem

    monkeypatch.setattr(CountryItem.Meta, "host", "http://127.0.0.1:9")
    monkeypatch.setattr(CountryItem, "_connection", None)
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    monkeypatch.setattr(CountryItem.Meta, "max_retry_attempts", 0)

    message = _error(anonymous.get("/view-data/PY/"), 503, "ServiceUnavailableError")

    assert "cannot be read right now" in message
    monkeypatch.undo()
    CountryItem._connection = None


def test_the_database_unreachable_is_a_503_too(anonymous, aws, monkeypatch):
    from django.db import OperationalError

    def broken(**kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr("countries.selectors.fetch_attempt_list", broken)

    _error(anonymous.get("/status/PY/"), 503, "ServiceUnavailableError")


def test_your_fetches_are_yours_alone(api_alice, api_bob, alice, bob, aws):
    mine = FetchRequestFactory(owner=alice, code="PY")
    FetchAttemptFactory(request=mine)
    theirs = FetchRequestFactory(owner=bob, code="BR")

    listed = api_alice.get(reverse("country-fetch-list")).json()
    assert [r["id"] for r in listed["results"]] == [mine.pk]
    assert listed["results"][0]["attempts"][0]["success"] is True
    assert api_alice.get(reverse("country-fetch-detail", args=[theirs.pk])).status_code == 404
    assert api_bob.get(reverse("country-fetch-detail", args=[mine.pk])).status_code == 404
    assert APIClient().get(reverse("country-fetch-list")).status_code in (401, 403)


def test_the_index_lists_the_endpoints_and_finds_countries(api_alice, anonymous, aws):
    assert anonymous.get("/api/countries/").status_code in (401, 403)
    body = api_alice.get("/api/countries/", {"search": "paraguay"}).json()

    assert body["endpoints"]["fetch-data"] == "/fetch-data/{code}/"
    assert body["endpoints"]["status"] == "/status/{code}/"
    assert body["endpoints"]["fetches"] == "http://testserver/api/country-fetches/"
    assert body["endpoints"]["stored"] == "http://testserver/api/countries/stored/"
    assert [c["code"] for c in body["results"]] == ["PY"]
    assert "countries" in anonymous.get("/api/").json()


def test_the_schema_documents_the_original_paths_and_their_error_body(anonymous, aws):
    schema = anonymous.get("/api/schema/", {"format": "json"}).json()

    fetch = schema["paths"]["/fetch-data/{code}/"]
    assert set(fetch) >= {"get", "post"}
    for status in ("202", "400", "429", "503"):
        assert status in fetch["get"]["responses"]
    assert schema["paths"]["/view-data/{code}/"]["get"]["responses"]["404"]["content"]["application/json"][
        "schema"
    ]["$ref"].endswith("/CountryError")
    assert "/status/{code}/" in schema["paths"]


def test_the_browsable_index_links_real_urls_only_not_the_code_templates(api_alice, aws):
    page = api_alice.get("/api/countries/", HTTP_ACCEPT="text/html").content.decode()

    assert "/fetch-data/{code}/" in page  # shown as text
    assert "fetch-data/{code}/</a>" not in page
    assert 'href="http://testserver/api/country-fetches/"' in page

"""The request side and the worker, on the real emulator and the sandbox stand-in over HTTP."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import boto3
import pytest
from botocore.config import Config
from django.core.exceptions import ValidationError

from countries import selectors, services
from countries.dynamo import CountryItem
from countries.models import FetchAttempt, FetchRequest
from tests.countries.helpers import queued_bodies

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sqs_down(monkeypatch):
    """SQS cannot be reached (a real client on a port nobody listens on, no retries)."""
    dead = boto3.client(
        "sqs",
        endpoint_url="http://127.0.0.1:9",
        region_name="us-east-1",
        config=Config(connect_timeout=1, read_timeout=1, retries={"max_attempts": 1}),
    )
    real = services.client

    def pick(service):
        return dead if service == "sqs" else real(service)

    monkeypatch.setattr(services, "client", pick)


def test_a_fetch_is_recorded_and_queued(alice, aws):
    request = services.fetch_request_create(code="py", owner=alice)

    request.refresh_from_db()
    assert (request.code, request.status, request.owner) == ("PY", "queued", alice)
    assert request.queued_at is not None
    assert queued_bodies() == [{"request": request.pk, "code": "PY"}]


def test_an_invalid_code_records_nothing(alice, aws):
    with pytest.raises(ValidationError):
        services.fetch_request_create(code="COL", owner=alice)

    assert not FetchRequest.objects.exists()
    assert queued_bodies() == []


def test_a_code_asked_for_too_often_is_refused_with_the_wait(alice, bob, aws, settings):
    settings.COUNTRIES_CODE_RATE = "2/min"
    services.fetch_request_create(code="PY", owner=alice)
    services.fetch_request_create(code="PY", owner=bob)

    with pytest.raises(services.TooManyFetches) as refused:
        services.fetch_request_create(code="py", owner=alice)

    assert refused.value.wait >= 1
    assert "PY was requested too often" in str(refused.value)
    services.fetch_request_create(code="BR", owner=alice)  # another code is not limited
    assert FetchRequest.objects.count() == 3


def test_when_sqs_is_down_the_request_stays_pending_and_the_schedule_sends_it_later(
    alice, aws, sqs_down, monkeypatch, clock
):
    from datetime import UTC, datetime

    clock.set(datetime(2026, 3, 1, 12, 0, tzinfo=UTC))
    request = services.fetch_request_create(code="PY", owner=alice)

    request.refresh_from_db()
    assert request.status == "pending"
    assert "The queue could not be reached" in request.send_error
    assert services.fetch_requests_requeue_pending(older_than=timedelta(seconds=10)) == (0, 1)

    monkeypatch.undo()  # SQS is back
    clock.set(datetime(2026, 3, 1, 12, 1, tzinfo=UTC))
    assert services.fetch_requests_requeue_pending(older_than=timedelta(seconds=10)) == (1, 0)

    request.refresh_from_db()
    assert (request.status, request.send_error, request.send_attempts) == ("queued", "", 2)
    assert queued_bodies() == [{"request": request.pk, "code": "PY"}]
    assert services.fetch_requests_requeue_pending(older_than=timedelta(seconds=10)) == (0, 0)


def test_the_worker_stores_the_first_element_with_decimals_and_records_the_attempt(alice, upstream):
    request = services.fetch_request_create(code="PY", owner=alice)

    outcome = services.fetch_request_process(request_id=request.pk, delivery=services.Delivery("m-1", 1))

    assert outcome == "stored"
    document = selectors.country_document_get(code="PY")
    assert document["name"]["common"] == "Paraguay"
    assert document["cca2"] == "PY"
    assert document["gini"] == {"2019": Decimal("45.7")}  # exactly: stored as a decimal, never a float
    assert isinstance(document["gini"]["2019"], Decimal)
    assert (document["area"], document["population"], document["latlng"]) == (406752, 6109644, [-23, -58])
    assert CountryItem.get("PY").request_id == request.pk
    request.refresh_from_db()
    assert request.status == "done"
    assert request.finished_at is not None
    (attempt,) = FetchAttempt.objects.all()
    assert attempt.success
    assert attempt.error == ""
    assert attempt.duration_ms >= 0


def test_a_redelivered_message_changes_nothing(alice, upstream):
    request = services.fetch_request_create(code="BR", owner=alice)
    services.fetch_request_process(request_id=request.pk, delivery=services.Delivery("m-1", 1))
    stored = CountryItem.get("BR").fetched_at

    assert services.fetch_request_process(request_id=request.pk, delivery=services.Delivery("m-1", 1)) == (
        "finished already or in progress"
    )
    assert services.fetch_request_process(request_id=request.pk, delivery=services.Delivery("m-2", 1)) == (
        "finished already or in progress"
    )
    assert FetchAttempt.objects.count() == 1
    assert CountryItem.get("BR").fetched_at == stored


def test_a_country_rest_countries_does_not_have_fails_at_once_and_is_not_retried(alice, upstream):
    request = services.fetch_request_create(code="FJ", owner=alice)  # a real country, not in the sandbox

    assert services.fetch_request_process(request_id=request.pk) == "failed"

    request.refresh_from_db()
    assert request.status == "failed"
    assert request.failure.startswith("REST Countries has no document for FJ")
    (attempt,) = FetchAttempt.objects.all()
    assert (attempt.success, attempt.upstream_status) == (False, 404)
    assert selectors.country_document_get(code="FJ") is None


def test_an_upstream_failure_is_retried_and_the_fourth_receive_marks_the_request_failed(
    alice, upstream, settings
):
    settings.COUNTRIES_BREAKER_FAIL_MAX = 100  # this test is about retries, not the breaker
    upstream.mode("fail/503")
    request = services.fetch_request_create(code="CO", owner=alice)

    for receive in (1, 2, 3):
        with pytest.raises(services.CountryFetchFailed):
            services.fetch_request_process(request_id=request.pk, delivery=services.Delivery("m-1", receive))
        request.refresh_from_db()
        assert request.status == "retrying"
        assert request.failure == "REST Countries answered 503 Service Unavailable."
    with pytest.raises(services.CountryFetchFailed):
        services.fetch_request_process(request_id=request.pk, delivery=services.Delivery("m-1", 4))

    request.refresh_from_db()
    assert request.status == "failed"
    assert request.failure == "REST Countries answered 503 Service Unavailable. Gave up after 4 tries."
    assert FetchAttempt.objects.filter(request=request, success=False).count() == 4


def test_an_unknown_request_is_nothing_to_do(aws):
    assert services.fetch_request_process(request_id=987654) == "unknown"


def test_lost_documents_are_fetched_again_after_the_emulator_restarts(alice, upstream):
    request = services.fetch_request_create(code="PY", owner=alice)
    services.fetch_request_process(request_id=request.pk)
    CountryItem("PY").delete()
    queued_bodies()  # (the first message stays; the restore adds one)

    summary = services.country_documents_restore()

    assert summary == "1 of 1 fetched countries queued again (their documents were gone)"
    restore = FetchRequest.objects.get(trigger="restore")
    assert (restore.code, restore.status) == ("PY", "queued")
    services.fetch_request_process(request_id=restore.pk)
    assert (
        services.country_documents_restore()
        == "0 of 1 fetched countries queued again (their documents were gone)"
    )


def test_with_a_dax_endpoint_documents_are_read_through_the_dax_client(
    alice, upstream, settings, monkeypatch
):
    from core.aws import client
    from countries import dax

    request = services.fetch_request_create(code="PY", owner=alice)
    services.fetch_request_process(request_id=request.pk)
    calls = []
    dynamodb = client("dynamodb")  # DAX's client speaks DynamoDB's low-level API

    def fake_dax(endpoint):
        calls.append(endpoint)
        return dynamodb

    monkeypatch.setattr(dax, "_dax_client", fake_dax)
    settings.COUNTRIES_DAX_ENDPOINT = "dax://countries.abc123.dax-clusters.us-east-1.amazonaws.com"

    assert selectors.country_document_get(code="PY")["name"]["common"] == "Paraguay"
    assert selectors.country_document_get(code="BR") is None
    assert calls == [settings.COUNTRIES_DAX_ENDPOINT] * 2


def test_a_dax_endpoint_without_the_client_installed_says_what_to_install(aws, settings):
    from django.core.exceptions import ImproperlyConfigured

    from countries import dax

    settings.COUNTRIES_DAX_ENDPOINT = "dax://nowhere"
    dax._dax_client.cache_clear()
    with pytest.raises(ImproperlyConfigured, match="amazon-dax-client"):
        dax.document_get("PY")


def test_an_unforeseen_failure_gives_the_claim_back_so_the_next_delivery_fetches(
    alice, upstream, monkeypatch
):
    from countries import breaker

    request = services.fetch_request_create(code="PY", owner=alice)

    def unreachable(self):
        raise ConnectionError("DynamoDB is unreachable")

    monkeypatch.setattr(breaker.DynamoBreakerStorage, "_item", unreachable)
    with pytest.raises(ConnectionError):
        services.fetch_request_process(request_id=request.pk, delivery=services.Delivery("m-1", 1))
    request.refresh_from_db()
    assert (request.status, request.claimed_at) == ("retrying", None)
    with pytest.raises(ConnectionError):
        services.fetch_request_process(request_id=request.pk, delivery=services.Delivery("m-1", 4))
    request.refresh_from_db()
    assert request.status == "failed"
    assert request.failure == "The fetch failed (ConnectionError). Gave up after 4 tries."

    monkeypatch.undo()
    request.status = "retrying"
    request.save()
    assert (
        services.fetch_request_process(request_id=request.pk, delivery=services.Delivery("m-2", 1))
        == "stored"
    )

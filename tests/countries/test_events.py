"""The worker as Lambda runs it: batches, partial failures, the dead-letter queue, the breaker, and
the whole path on the emulator through the local event runner."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.aws import client
from core.contract.naming import resource_name
from countries import selectors, services
from countries.events import on_fetch_requests
from countries.models import FetchAttempt, FetchRequest
from tests.countries.helpers import queued_bodies, sqs_event
from tests.support.queues import send_retried_at_once, waiting_bodies

pytestmark = pytest.mark.django_db(transaction=True)


def _request(code, owner=None, status=FetchRequest.Status.QUEUED):
    return FetchRequest.objects.create(code=code, owner=owner, status=status)


def test_one_bad_message_fails_alone_and_the_rest_of_the_batch_is_stored(alice, upstream):
    good, missing, also_good = _request("PY", alice), _request("FJ", alice), _request("BR", alice)
    event = sqs_event(
        {"request": good.pk}, {"request": missing.pk}, "not json at all", {"request": also_good.pk}
    )

    result = on_fetch_requests(event)

    assert result == {"batchItemFailures": [{"itemIdentifier": event["Records"][2]["messageId"]}]}
    assert selectors.country_document_get(code="PY")["name"]["common"] == "Paraguay"
    assert selectors.country_document_get(code="BR")["name"]["common"] == "Brazil"
    missing.refresh_from_db()
    assert missing.status == "failed"  # a 404 is final: not retried, not a batch failure


def test_a_transient_failure_is_reported_and_only_that_message_comes_back(alice, upstream, settings):
    settings.COUNTRIES_BREAKER_FAIL_MAX = 100
    upstream.mode("fail/500")
    request = _request("PY", alice)
    event = sqs_event({"request": request.pk}, receive_count=2)

    assert on_fetch_requests(event) == {
        "batchItemFailures": [{"itemIdentifier": event["Records"][0]["messageId"]}]
    }
    request.refresh_from_db()
    assert request.status == "retrying"
    attempt = FetchAttempt.objects.get()
    assert (attempt.receive_count, attempt.upstream_status) == (2, 500)


def test_while_the_breaker_is_open_nothing_goes_upstream_and_the_message_waits_on_the_queue(
    alice, upstream, settings, clock
):
    settings.COUNTRIES_BREAKER_FAIL_MAX = 2
    clock.set(datetime(2026, 3, 1, 12, 0, tzinfo=UTC))
    upstream.mode("fail/503")
    first, second, third = _request("PY", alice), _request("BR", alice), _request("CO", alice)

    event = sqs_event({"request": first.pk}, {"request": second.pk}, {"request": third.pk})
    result = on_fetch_requests(event)

    # Two failures open the breaker; the third request is not sent upstream and not failed.
    failed = [f["itemIdentifier"] for f in result["batchItemFailures"]]
    assert failed == [event["Records"][0]["messageId"], event["Records"][1]["messageId"]]
    third.refresh_from_db()
    assert third.status == "queued"
    assert "circuit breaker is open" in third.failure
    assert not FetchAttempt.objects.filter(request=third).exists()
    assert queued_bodies() == [{"request": third.pk, "code": "CO"}]  # a copy waits on the queue

    upstream.mode("")  # REST Countries is back; after the reset timeout the trial call succeeds
    clock.set(
        datetime(2026, 3, 1, 12, 0, tzinfo=UTC) + timedelta(seconds=settings.COUNTRIES_BREAKER_RESET_SECONDS)
    )
    assert on_fetch_requests(sqs_event({"request": third.pk})) == {"batchItemFailures": []}
    third.refresh_from_db()
    assert third.status == "done"


def test_the_whole_path_through_the_local_runner(alice, upstream, runner):
    request = services.fetch_request_create(code="co", owner=alice)

    runner.drain()

    request.refresh_from_db()
    assert request.status == "done"
    assert selectors.country_document_get(code="CO")["capital"] == ["Bogotá"]
    (attempt,) = selectors.fetch_attempt_list(code="CO")
    assert attempt.success


def test_a_message_failing_four_times_lands_in_the_dead_letter_queue_and_its_request_says_failed(
    alice, upstream, runner, settings
):
    settings.COUNTRIES_BREAKER_FAIL_MAX = 100
    sqs = client("sqs")
    url = sqs.get_queue_url(QueueName=resource_name("fetch-requests"))["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "0"})  # retry at once
    upstream.mode("fail/502")
    request = services.fetch_request_create(code="PY", owner=alice)

    runner.drain()

    request.refresh_from_db()
    assert request.status == "failed"
    assert request.failure == "REST Countries answered 502 Bad Gateway. Gave up after 4 tries."
    assert [a.receive_count for a in selectors.fetch_attempt_list(code="PY")] == [4, 3, 2, 1]
    assert queued_bodies(dlq=True) == [{"request": request.pk, "code": "PY"}]
    assert queued_bodies() == []


def test_a_message_that_names_no_request_ends_in_the_dead_letter_queue_not_dropped(runner):
    send_retried_at_once("fetch-requests", '{"code": "PY"}')

    runner.drain()

    assert waiting_bodies("fetch-requests-dlq") == ['{"code": "PY"}']
    assert waiting_bodies("fetch-requests") == []

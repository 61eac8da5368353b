"""Nothing stuck: every fetch request waiting past its deadline is sent again or failed with a reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from countries import services
from countries.models import FetchRequest
from tests.countries.helpers import queued_bodies

pytestmark = pytest.mark.django_db(transaction=True)
START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _sweep():
    return services.fetch_requests_sweep(pending_older_than=timedelta(seconds=10))


def _lost_from_the_queue(request: FetchRequest) -> None:
    """What a restart of an emulator that kept no messages did: the request says queued, SQS has nothing."""
    from core.aws import client
    from core.contract.naming import resource_name

    sqs = client("sqs")
    url = sqs.get_queue_url(QueueName=resource_name("fetch-requests"))["QueueUrl"]
    for message in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def test_a_queued_request_past_its_deadline_is_sent_again(alice, aws, clock, settings):
    settings.COUNTRIES_QUEUED_SECONDS = 300
    clock.set(START)
    request = services.fetch_request_create(code="PY", owner=alice)
    _lost_from_the_queue(request)

    clock.set(START + timedelta(seconds=299))
    assert (_sweep().requeued, queued_bodies()) == (0, [])
    clock.set(START + timedelta(seconds=301))
    summary = _sweep()

    request.refresh_from_db()
    assert (summary.requeued, summary.failed) == (1, 0)
    assert (request.status, request.queued_at, request.send_attempts) == ("queued", clock.now, 2)
    assert queued_bodies() == [{"request": request.pk, "code": "PY"}]
    assert summary.line() == (
        "Requeued 0 pending fetches; 0 still pending. Past their deadline: 1 queued again, 0 failed."
    )


def test_a_request_whose_worker_died_mid_fetch_is_queued_again_and_then_fetched(
    alice, aws, clock, settings, upstream
):
    settings.COUNTRIES_CLAIM_SECONDS = 30
    clock.set(START)
    request = services.fetch_request_create(code="PY", owner=alice)
    _lost_from_the_queue(request)
    FetchRequest.objects.filter(pk=request.pk).update(status="fetching", claimed_at=START)

    clock.set(START + timedelta(seconds=31))
    assert _sweep().requeued == 1
    assert services.fetch_request_process(request_id=request.pk) == "stored"

    request.refresh_from_db()
    assert request.status == "done"


def test_a_retrying_request_whose_message_never_came_back_is_sent_again(alice, aws, clock, settings):
    settings.COUNTRIES_QUEUED_SECONDS = 300
    clock.set(START)
    request = services.fetch_request_create(code="PY", owner=alice)
    _lost_from_the_queue(request)
    FetchRequest.objects.filter(pk=request.pk).update(
        status="retrying", queued_at=START + timedelta(minutes=2)
    )

    clock.set(START + timedelta(minutes=6))
    assert _sweep().requeued == 0  # it went back on the queue 4 minutes ago
    clock.set(START + timedelta(minutes=8))
    assert _sweep().requeued == 1


def test_a_request_sent_too_often_fails_with_a_reason_the_user_sees(alice, aws, clock, settings):
    settings.COUNTRIES_QUEUED_SECONDS = 60
    settings.COUNTRIES_MAX_SENDS = 3
    clock.set(START)
    request = services.fetch_request_create(code="PY", owner=alice)
    for minute in (2, 4):
        _lost_from_the_queue(request)
        clock.set(START + timedelta(minutes=minute))
        assert _sweep().requeued == 1
    _lost_from_the_queue(request)
    clock.set(START + timedelta(minutes=6))

    summary = _sweep()

    request.refresh_from_db()
    assert (summary.requeued, summary.failed) == (0, 1)
    assert (request.status, request.finished_at) == ("failed", clock.now)
    assert request.failure == (
        "Not fetched after being queued 3 times: the worker never finished it (last queued). Ask again."
    )


def test_finished_and_young_requests_are_left_alone(alice, aws, clock, upstream):
    clock.set(START)
    done = services.fetch_request_create(code="PY", owner=alice)
    services.fetch_request_process(request_id=done.pk)
    young = services.fetch_request_create(code="BR", owner=alice)

    clock.set(START + timedelta(days=1))
    FetchRequest.objects.filter(pk=young.pk).update(queued_at=clock.now)
    summary = _sweep()

    assert (summary.requeued, summary.failed) == (0, 0)
    assert dict(FetchRequest.objects.values_list("code", "status")) == {"PY": "done", "BR": "queued"}


def test_the_scheduled_command_prints_what_the_sweep_did(alice, aws, clock, settings):
    settings.COUNTRIES_QUEUED_SECONDS = 60
    clock.set(START)
    request = services.fetch_request_create(code="PY", owner=alice)
    _lost_from_the_queue(request)
    clock.set(START + timedelta(minutes=2))

    assert call_command("requeue_pending_fetches") == (
        "Requeued 0 pending fetches; 0 still pending. Past their deadline: 1 queued again, 0 failed."
    )

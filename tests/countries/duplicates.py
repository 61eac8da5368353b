"""Duplicate-delivery cases of countries: the fetch worker (SQS) and the outbox's schedule."""

from __future__ import annotations

from datetime import timedelta

from countries.models import FetchAttempt, FetchRequest
from tests.countries.helpers import sqs_event
from tests.duplicates import DuplicateCase


def _fetch_message(world):
    """A queued request of alice's for Paraguay, and its message as Lambda delivers it."""
    # REST Countries is the sandbox on the gate's live server; the gate restores the settings after.
    world["settings"].REST_COUNTRIES_BASE_URL = f"{world['live_server'].url}/sandbox/countries"
    request = FetchRequest.objects.create(code="PY", owner=world["alice"], status=FetchRequest.Status.QUEUED)
    world["request"] = request
    return sqs_event({"request": request.pk, "code": "PY"})


def _fetch_effects(world):
    from countries.dynamo import CountryItem

    try:
        item = CountryItem.get("PY")
        stored = (item.request_id, item.fetched_at)
    except CountryItem.DoesNotExist:
        stored = None
    requests = list(FetchRequest.objects.values_list("pk", "status", "finished_at"))
    attempts = list(FetchAttempt.objects.values_list("pk", "success"))
    return requests, attempts, stored


def _pending_request(world):
    from core import clock

    FetchRequest.objects.create(
        code="BR", owner=world["alice"], created_at=clock.now() - timedelta(minutes=5)
    )
    return {}


def _queue_effects(world):
    from core.aws import client
    from core.contract.naming import resource_name

    sqs = client("sqs")
    url = sqs.get_queue_url(QueueName=resource_name("fetch-requests"))["QueueUrl"]
    held = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])[
        "Attributes"
    ]
    return list(FetchRequest.objects.values_list("pk", "status", "send_attempts")), held


DUPLICATES = {
    "countries.events.on_fetch_requests": DuplicateCase(event=_fetch_message, effects=_fetch_effects),
    "requeue-pending-fetches": DuplicateCase(event=_pending_request, effects=_queue_effects),
}

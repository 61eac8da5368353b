"""Writes of countries: recording and queueing fetch requests, and the worker that fetches.

Requesting (``/fetch-data/<code>/``, the page, the command): :func:`fetch_request_create` checks the
code (``ValidationError`` keyed ``code``) and how often that code is asked for (:class:`TooManyFetches`,
the 429), records a *pending* ``FetchRequest`` and sends it to the ``fetch-requests`` queue. If SQS
cannot be reached the request stays pending (the caller still gets its 202): it is the outbox, and
:func:`fetch_requests_requeue_pending` (``manage.py requeue_pending_fetches``, on a schedule) sends it
later. If the database cannot be reached nothing was promised: :class:`StoreUnavailable` (503).

Fetching (``events.on_fetch_requests``): :func:`fetch_request_process` claims the request once (a
redelivered message finds it claimed or finished and changes nothing), calls REST Countries through
the shared circuit breaker, stores the document in DynamoDB and records the attempt:

* success: the document is stored (``CountryItem``), the attempt and the request say so;
* REST Countries has no such country (a 4xx): the request fails at once, the message is done;
* anything else (timeouts, 5xx, DynamoDB): the attempt is recorded, the request is *retrying* and the
  message is reported failed, so SQS delivers it again; its 4th receive that fails marks the request
  failed with the reason, and SQS moves the message to the dead-letter queue;
* the breaker is open: nothing is sent upstream and no attempt is recorded; a copy of the message
  goes back on the queue with a delay (``COUNTRIES_DEFER_SECONDS``) and the request stays queued, so
  it is not lost and the wait does not use up its receives.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F, Q

from core import clock
from core.aws import client
from core.contract.naming import resource_name
from core.errors import DependencyUnavailable, LimitReached
from core.http import UpstreamError
from core.web.throttling import hit, parse_rate
from countries.apps import FETCH_QUEUE
from countries.codes import country_code_clean
from countries.models import FetchAttempt, FetchRequest, StoredCountry

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)


def _claim_timeout() -> timedelta:
    """A claim older than this belongs to a worker that died: the function's timeout is 29 s
    (zappa_settings.json), and its message comes back only after the 60 s visibility timeout."""
    return timedelta(seconds=settings.COUNTRIES_CLAIM_SECONDS)


class TooManyFetches(LimitReached):
    """This code was asked for more often than ``COUNTRIES_CODE_RATE`` allows; ``wait`` seconds."""


class StoreUnavailable(DependencyUnavailable):
    """The database or DynamoDB could not be reached; nothing was recorded (a 503)."""


# --- Requesting ---------------------------------------------------------------------------------


@cache
def _queue_url(name: str) -> str:
    return client("sqs").get_queue_url(QueueName=name)["QueueUrl"]


def _message(request: FetchRequest) -> str:
    return json.dumps({"request": request.pk, "code": request.code})


def fetch_request_send(*, request: FetchRequest, delay_seconds: int = 0) -> bool:
    """Put ``request`` on the queue; False (and the reason on the request) when SQS refuses."""
    now = clock.now()
    try:
        client("sqs").send_message(
            QueueUrl=_queue_url(resource_name(FETCH_QUEUE.name)),
            MessageBody=_message(request),
            DelaySeconds=delay_seconds,
        )
    except Exception as exc:
        logger.warning(
            "Fetch %s of %s stays pending: the queue refused it (%s)", request.pk, request.code, exc
        )
        request.send_error = f"The queue could not be reached ({type(exc).__name__}); it is sent again later."
        FetchRequest.objects.filter(pk=request.pk).update(
            send_error=request.send_error, send_attempts=F("send_attempts") + 1
        )
        request.send_attempts += 1
        return False
    FetchRequest.objects.filter(pk=request.pk).update(send_error="", send_attempts=F("send_attempts") + 1)
    # The worker may have taken it already: only a pending request becomes queued.
    if FetchRequest.objects.filter(pk=request.pk, status=FetchRequest.Status.PENDING).update(
        status=FetchRequest.Status.QUEUED, queued_at=now
    ):
        request.status, request.queued_at = FetchRequest.Status.QUEUED, now
    request.send_error, request.send_attempts = "", request.send_attempts + 1
    return True


def fetch_request_create(
    *, code: object, owner: User | None, trigger: str = FetchRequest.Trigger.API
) -> FetchRequest:
    """Record a fetch of ``code`` and queue it (pending if the queue cannot be reached now)."""
    clean = country_code_clean(code)
    wait = hit(scope="countries-code", ident=clean, rate=parse_rate(settings.COUNTRIES_CODE_RATE))
    if wait is not None:
        raise TooManyFetches(f"{clean} was requested too often; try again in {wait} seconds.", wait=wait)
    try:
        request = FetchRequest.objects.create(
            code=clean,
            owner=owner if owner and owner.is_authenticated else None,
            trigger=trigger,
        )
    except DatabaseError as exc:
        logger.exception("A fetch of %s could not be recorded", clean)
        raise StoreUnavailable("The request could not be recorded; try again in a moment.") from exc
    fetch_request_send(request=request)
    return request


def fetch_requests_requeue_pending(*, older_than: timedelta, limit: int = 500) -> tuple[int, int]:
    """Send pending requests older than ``older_than`` (oldest first); (sent, still pending).

    Stops at the first refusal: SQS is still unreachable, and the rest would only wait for it too.
    A request sent twice (here and by its own request, racing) is fetched once: the worker claims it.
    """
    cutoff = clock.now() - older_than
    pending = list(
        FetchRequest.objects.filter(status=FetchRequest.Status.PENDING, created_at__lte=cutoff).order_by(
            "created_at", "id"
        )[:limit]
    )
    sent = 0
    for request in pending:
        if not fetch_request_send(request=request):
            break
        sent += 1
    left = FetchRequest.objects.filter(status=FetchRequest.Status.PENDING).count()
    return sent, left


@dataclass(frozen=True)
class SweepSummary:
    sent: int  # pending requests sent to the queue
    pending: int  # still pending (the queue refused)
    requeued: int  # queued, retrying or fetching past their deadline, sent again
    failed: int  # past their deadline with every send used: failed with the reason

    def line(self) -> str:
        line = f"Requeued {self.sent} pending fetches; {self.pending} still pending."
        if self.pending and not self.sent:
            line += " The queue is still unreachable."
        if self.requeued or self.failed:
            line += f" Past their deadline: {self.requeued} queued again, {self.failed} failed."
        return line


def fetch_requests_sweep(*, pending_older_than: timedelta, limit: int = 500) -> SweepSummary:
    """Move on every request waiting past its deadline (``requeue_pending_fetches``, every minute).

    * pending (SQS refused it): sent, as :func:`fetch_requests_requeue_pending` does;
    * queued or retrying for ``COUNTRIES_QUEUED_SECONDS`` since it (last) went on the queue, or
      fetching by a claim older than ``COUNTRIES_CLAIM_SECONDS`` (the worker died; a restart of the
      laptop, a function killed at its timeout): its message is sent again, the request queued;
    * one of those already sent ``COUNTRIES_MAX_SENDS`` times: failed, with the reason.

    Each move is a conditional UPDATE on the state it saw, so a worker finishing meanwhile, or two
    sweeps at once, change nothing twice; a message sent twice is fetched once (the claim).
    """
    sent, pending = fetch_requests_requeue_pending(older_than=pending_older_than, limit=limit)
    now = clock.now()
    waited = now - timedelta(seconds=settings.COUNTRIES_QUEUED_SECONDS)
    Status = FetchRequest.Status
    stale = FetchRequest.objects.filter(
        Q(status__in=[Status.QUEUED, Status.RETRYING], queued_at__lt=waited)
        | Q(status__in=[Status.QUEUED, Status.RETRYING], queued_at__isnull=True, created_at__lt=waited)
        | Q(status=Status.FETCHING, claimed_at__lt=now - _claim_timeout())
    ).order_by("created_at", "id")[:limit]
    requeued = failed = 0
    for request in list(stale):
        unchanged = FetchRequest.objects.filter(
            pk=request.pk,
            status=request.status,
            queued_at=request.queued_at,
            claimed_at=request.claimed_at,
            send_attempts=request.send_attempts,
        )
        if request.send_attempts >= settings.COUNTRIES_MAX_SENDS:
            reason = (
                f"Not fetched after being queued {request.send_attempts} times: the worker never "
                f"finished it (last {request.get_status_display().lower()}). Ask again."
            )
            failed += unchanged.update(status=Status.FAILED, failure=reason, finished_at=now, claimed_at=None)
            continue
        if unchanged.update(status=Status.QUEUED, queued_at=now, claimed_at=None):
            request.status = Status.QUEUED
            requeued += fetch_request_send(request=request)
    return SweepSummary(sent=sent, pending=pending, requeued=requeued, failed=failed)


# --- Fetching (the queue's worker) --------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    """Which delivery of which message this is (from the SQS record)."""

    message_id: str = ""
    receive_count: int = 1


class CountryFetchFailed(Exception):
    """A transient failure: the message is reported failed and comes back (or goes to the DLQ)."""


def _claim(request_id: int) -> FetchRequest | None:
    now = clock.now()
    waiting = Q(
        status__in=[FetchRequest.Status.PENDING, FetchRequest.Status.QUEUED, FetchRequest.Status.RETRYING]
    )
    abandoned = Q(status=FetchRequest.Status.FETCHING, claimed_at__lt=now - _claim_timeout())
    claimed = (
        FetchRequest.objects.filter(pk=request_id)
        .filter(waiting | abandoned)
        .update(status=FetchRequest.Status.FETCHING, claimed_at=now)
    )
    return FetchRequest.objects.get(pk=request_id) if claimed else None


def _record(
    request: FetchRequest,
    *,
    delivery: Delivery,
    started: Any,
    began: float,
    status: str,
    success: bool = False,
    error: str = "",
    upstream_status: int | None = None,
) -> None:
    finished = status in FetchRequest.FINISHED
    back_on_queue = {"queued_at": clock.now()} if status == FetchRequest.Status.RETRYING else {}
    fields = {
        "code": request.code,
        "started_at": started,
        "duration_ms": int((time.monotonic() - began) * 1000),
        "success": success,
        "error": error[:2000],
        "upstream_status": upstream_status,
    }
    with transaction.atomic():
        if delivery.message_id:  # one attempt per delivery of a message, however often it runs
            FetchAttempt.objects.get_or_create(
                request=request,
                message_id=delivery.message_id,
                receive_count=delivery.receive_count,
                defaults=fields,
            )
        else:  # called directly (the demo, a command): every call is an attempt of its own
            FetchAttempt.objects.create(request=request, receive_count=delivery.receive_count, **fields)
        FetchRequest.objects.filter(pk=request.pk).update(
            status=status,
            failure=error[:2000],
            finished_at=clock.now() if finished else None,
            claimed_at=None,
            **back_on_queue,
        )


def _defer(request: FetchRequest, *, reason: str) -> str:
    """The breaker is open: the request waits on the queue again (a delayed copy of its message)."""
    delay = max(0, min(settings.COUNTRIES_DEFER_SECONDS, 900))
    FetchRequest.objects.filter(pk=request.pk).update(
        status=FetchRequest.Status.QUEUED,
        claimed_at=None,
        failure=reason,
        queued_at=clock.now() + timedelta(seconds=delay),  # its deadline counts from when it is visible
    )
    client("sqs").send_message(
        QueueUrl=_queue_url(resource_name(FETCH_QUEUE.name)),
        MessageBody=_message(request),
        DelaySeconds=delay,
    )
    return "deferred"


def _stored_country_save(*, code: str, document: dict[str, Any], fetched_at: Any) -> None:
    """The document's list fields in the database (``StoredCountry``), for browsing without a Scan."""
    from countries.cards import country_card

    card = country_card(document)
    StoredCountry.objects.update_or_create(
        code=code,
        defaults={
            "name": str(card["common_name"])[:200],
            "official_name": str(card["official_name"])[:300],
            "region": str(card["region"])[:40],
            "subregion": str(card["subregion"])[:80],
            "population": card["population"],
            "fetched_at": fetched_at,
        },
    )


def country_document_store(*, code: str, document: dict[str, Any], request_id: int) -> None:
    """Store a fetched document (DynamoDB) and its list fields (the database), together."""
    from countries.dynamo import CountryItem

    now = clock.now()
    CountryItem(code, document=document, fetched_at=now, request_id=request_id).save()
    _stored_country_save(code=code, document=document, fetched_at=now)


def fetch_request_process(
    *, request_id: int, delivery: Delivery = Delivery(), document: dict[str, Any] | None = None
) -> str:
    """Fetch and store one request's country; what happened, in a word ("stored", "failed", ...).

    ``document``: already in hand (the demo's), so REST Countries is not called. Raises CountryFetchFailed
    for a transient failure (the message is to be retried).
    """
    if not FetchRequest.objects.filter(pk=request_id).exists():
        logger.warning("Fetch request %s does not exist: nothing to do", request_id)
        return "unknown"
    request = _claim(request_id)
    if request is None:
        return "finished already or in progress"
    try:
        return _fetch_and_store(request, delivery=delivery, document=document)
    except CountryFetchFailed:
        raise
    except Exception as exc:
        # Anything unforeseen (DynamoDB behind the breaker, the database): give the claim back, so
        # the message's next delivery finds the request waiting instead of "in progress" (or, on
        # its last receive, say why it failed: the message is going to the dead-letter queue).
        last = delivery.receive_count >= FETCH_QUEUE.max_receive_count
        reason = f"The fetch failed ({type(exc).__name__})." + (
            f" Gave up after {delivery.receive_count} tries." if last else ""
        )
        FetchRequest.objects.filter(pk=request.pk, status=FetchRequest.Status.FETCHING).update(
            status=FetchRequest.Status.FAILED if last else FetchRequest.Status.RETRYING,
            claimed_at=None,
            failure=reason,
            finished_at=clock.now() if last else None,
            queued_at=clock.now(),
        )
        raise


def _fetch_and_store(request: FetchRequest, *, delivery: Delivery, document: dict[str, Any] | None) -> str:
    from countries.breaker import BreakerOpen, upstream_breaker
    from countries.clients import NAME, country_document_fetch

    started, began = clock.now(), time.monotonic()
    if document is None:
        try:
            document = upstream_breaker().call(country_document_fetch, request.code)
        except BreakerOpen:
            return _defer(
                request, reason=f"{NAME} is failing: the circuit breaker is open; retrying shortly."
            )
        except UpstreamError as exc:
            return _failed(request, delivery=delivery, started=started, began=began, exc=exc)
    try:
        country_document_store(code=request.code, document=document, request_id=request.pk)
    except Exception as exc:
        logger.exception("The document of %s could not be stored", request.code)
        error = UpstreamError(f"The document could not be stored ({type(exc).__name__}).")
        return _failed(request, delivery=delivery, started=started, began=began, exc=error)
    _record(
        request,
        delivery=delivery,
        started=started,
        began=began,
        status=FetchRequest.Status.DONE,
        success=True,
    )
    return "stored"


def _failed(
    request: FetchRequest, *, delivery: Delivery, started: Any, began: float, exc: UpstreamError
) -> str:
    error, status_code = str(exc), exc.status
    if exc.is_client_error:
        if status_code == 404:
            error = f"REST Countries has no document for {request.code} ({error})"
        _record(
            request,
            delivery=delivery,
            started=started,
            began=began,
            status=FetchRequest.Status.FAILED,
            error=error,
            upstream_status=status_code,
        )
        return "failed"
    if delivery.receive_count >= FETCH_QUEUE.max_receive_count:
        error = f"{error} Gave up after {delivery.receive_count} tries."
        _record(
            request,
            delivery=delivery,
            started=started,
            began=began,
            status=FetchRequest.Status.FAILED,
            error=error,
            upstream_status=status_code,
        )
        raise CountryFetchFailed(error)  # reported: SQS moves the message to the dead-letter queue
    _record(
        request,
        delivery=delivery,
        started=started,
        began=began,
        status=FetchRequest.Status.RETRYING,
        error=error,
        upstream_status=status_code,
    )
    raise CountryFetchFailed(error)


# --- Hot items ------------------------------------------------------------------------------------


def country_documents_restore() -> str:
    """After the emulator restarted: fetch again every country that had been fetched (the database
    keeps the requests, DynamoDB kept the documents). One GetItem per country, never a Scan. A
    stored document without its ``StoredCountry`` row (stored before there were any) gets it."""
    from countries.dynamo import CountryItem

    codes = sorted(
        set(FetchRequest.objects.filter(status=FetchRequest.Status.DONE).values_list("code", flat=True))
    )
    listed = set(StoredCountry.objects.values_list("code", flat=True))
    queued = 0
    for code in codes:
        try:
            item = CountryItem.get(code)
        except CountryItem.DoesNotExist:
            pass
        else:  # stored before the list fields were kept in the database: keep them now
            if code not in listed:
                _stored_country_save(code=code, document=item.document, fetched_at=item.fetched_at)
            continue
        request = FetchRequest.objects.create(code=code, trigger=FetchRequest.Trigger.RESTORE)
        queued += fetch_request_send(request=request)
    return f"{queued} of {len(codes)} fetched countries queued again (their documents were gone)"


# --- Demo -----------------------------------------------------------------------------------------

DEMO_STORED = ("PY", "BR")
DEMO_QUEUED = ("CO",)


def countries_demo_load(*, owner: User) -> str:
    """The demo user's countries: two stored now, one through the queue (nothing twice)."""
    from countries.sandbox.data import document

    stored = queued = 0
    for code in DEMO_STORED:
        if FetchRequest.objects.filter(owner=owner, code=code, status=FetchRequest.Status.DONE).exists():
            if _document_missing(code):  # the emulator restarted: store it again
                request = FetchRequest.objects.filter(owner=owner, code=code).first()
                assert request is not None
                country_document_store(code=code, document=document(code) or {}, request_id=request.pk)
            continue
        request = FetchRequest.objects.create(code=code, owner=owner, trigger=FetchRequest.Trigger.DEMO)
        fetch_request_process(request_id=request.pk, document=document(code))
        stored += 1
    for code in DEMO_QUEUED:
        if FetchRequest.objects.filter(owner=owner, code=code).exists():
            continue
        request = FetchRequest.objects.create(code=code, owner=owner, trigger=FetchRequest.Trigger.DEMO)
        queued += fetch_request_send(request=request)
    return f"{stored} countries stored, {queued} queued for the worker"


def _document_missing(code: str) -> bool:
    from countries.dynamo import CountryItem

    try:
        CountryItem.get(code)
    except CountryItem.DoesNotExist:
        return True
    return False

"""Writes of the scraper: starting and running scrapes, and storing what the streams deliver.

Starting: :func:`scrape_run_request` checks the URL, records a queued ``ScrapeRun`` and puts it on
the ``scrape-requests`` queue (call it outside a transaction: the queue's consumer must find the
run committed). Bad input raises ``ValidationError`` keyed by field, too many scrapes at once
:class:`TooManyScrapes` (the API's 429).

Running (the queue's consumer, the command, the schedule): :func:`scrape_run_execute` claims a
queued run once (a redelivered request finds it claimed and does nothing), fetches the page and
hands it to :func:`scrape_run_process_page`, which sends the rows to the movie stream or, for a page
that cannot be read, one error record to the error stream.

Storing (the streams' consumers): :func:`movie_record_store` and :func:`page_error_store` write one
record each with conditional writes (a record stored before, a replayed older one, the same run's
row sent twice change nothing), then count it on the run in one database transaction with the
shard's checkpoint (``StreamCheckpoint``; the stream handlers count a whole batch at its end,
``stream_batch``), so each record counts exactly once however often it is delivered, even when the
function died between the write and the count. Malformed records are stored as errors, never
raised; only transient failures raise. One PutItem per movie (DynamoDB keeps its genre and year
indexes) and no DynamoDB transaction: the embedded emulator deep-copies every table a transaction
touches (160-200 ms per write at 50 movies, growing with the table; bench/README.md).
"""

from __future__ import annotations

import json
import logging
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from core import clock
from core.aws import client
from core.contract.naming import resource_name
from core.errors import DependencyUnavailable, LimitReached
from core.http import UpstreamError
from scraper import records
from scraper.models import STALE_AFTER, MovieListing, ScrapeRun, ScrapeSchedule, StreamCheckpoint

if TYPE_CHECKING:  # the HTTP path never fetches or parses a page: those load when a scrape runs
    from accounts.models import User
    from scraper.clients import Page

logger = logging.getLogger(__name__)

REQUESTS_QUEUE = "scrape-requests"
MOVIE_STREAM = "movie-records"
ERROR_STREAM = "scrape-error-records"


class TooManyScrapes(LimitReached):
    """The user already has ``SCRAPER_MAX_ACTIVE_RUNS`` scrapes queued or running."""


class ScrapeNotQueued(DependencyUnavailable):
    """The queue refused the request; the run is recorded as failed with the reason."""


# --- Starting -----------------------------------------------------------------------------------


def _clean_url(url: str | None) -> str:
    from scraper.clients import FetchRefused, url_check_literal

    url = (url or "").strip() or (settings.MOVIES_PAGE_URL or "")
    if not url:
        raise ValidationError({"url": "Give the URL of a page with a table of movies."})
    if len(url) > ScrapeRun.URL_MAX_LENGTH:
        raise ValidationError({"url": f"Keep the URL under {ScrapeRun.URL_MAX_LENGTH} characters."})
    try:
        url_check_literal(url)
    except FetchRefused as exc:
        raise ValidationError({"url": str(exc)}) from exc
    return url


@cache
def _queue_url(name: str) -> str:
    return client("sqs").get_queue_url(QueueName=name)["QueueUrl"]


def _active_runs(owner: User) -> int:
    recent = clock.now() - STALE_AFTER
    return ScrapeRun.objects.filter(owner=owner, status__in=ScrapeRun.ACTIVE, created_at__gte=recent).count()


def scrape_run_create(*, owner: User, url: str | None, trigger: str) -> ScrapeRun:
    """A queued run of ``url`` (default: ``MOVIES_PAGE_URL``), if the owner may start one now."""
    clean = _clean_url(url)
    with transaction.atomic():
        # One owner's concurrent requests queue up here, so the limit holds.
        get_user_model().objects.select_for_update().filter(pk=owner.pk).first()
        limit = settings.SCRAPER_MAX_ACTIVE_RUNS
        if _active_runs(owner) >= limit:
            raise TooManyScrapes(
                f"You already have {limit} scrape{'' if limit == 1 else 's'} queued or running; wait for one to finish."
            )
        return ScrapeRun.objects.create(owner=owner, url=clean, trigger=trigger)


def scrape_run_request(
    *, owner: User, url: str | None = None, trigger: str = ScrapeRun.Trigger.WEB
) -> ScrapeRun:
    """Record a run and queue it for ``events.on_scrape_requests``; ScrapeNotQueued if SQS refuses."""
    return _queue_send(scrape_run_create(owner=owner, url=url, trigger=trigger))


def _queue_send(run: ScrapeRun) -> ScrapeRun:
    try:
        client("sqs").send_message(
            QueueUrl=_queue_url(resource_name(REQUESTS_QUEUE)), MessageBody=json.dumps({"run": run.pk})
        )
    except Exception as exc:
        logger.exception("Scrape %s could not be queued", run.pk)
        _fail(run, f"The scrape could not be queued ({type(exc).__name__}); try again in a moment.")
        raise ScrapeNotQueued(run.failure) from exc
    return run


class RunInFlight(ValidationError):
    """The run, or one of the owner's others, is still queued, running or storing."""


def scrape_run_delete(*, owner: User, pk: int, with_movies: bool = False) -> str:
    """Delete a finished run, its errors and, ``with_movies``, the movies listed as its copy
    (RunInFlight while it, or with movies any of the owner's runs, is in flight). DynamoDB first,
    then the rows in one transaction: deleting again after a failure finds what is left."""
    from scraper.dynamo import MovieItem, ScrapeErrorItem, owner_key

    run = ScrapeRun.objects.filter(owner=owner, pk=pk).first()
    if run is None:
        raise ScrapeRun.DoesNotExist("No such scrape.")
    if not run.finished:
        raise RunInFlight("This scrape is still running; delete it once it has finished.")
    movie_ids: list[str] = []
    if with_movies:
        busy = ScrapeRun.objects.filter(owner=owner, status__in=[*ScrapeRun.ACTIVE, ScrapeRun.Status.STORING])
        if any(
            not other.finished for other in busy.only("status", "progress_at", "started_at", "created_at")
        ):
            raise RunInFlight("Wait until your scrapes in flight have finished to delete movies.")
        movie_ids = list(
            MovieListing.objects.filter(owner=owner, run_id=run.pk).values_list("movie_id", flat=True)
        )
    owner_text = owner_key(owner.pk)
    errors = [e for e in ScrapeErrorItem.by_run.query(run.pk) if e.owner == owner_text]
    with MovieItem.batch_write() as batch:
        for movie_id in movie_ids:
            batch.delete(MovieItem(owner_text, movie_id))
    with ScrapeErrorItem.batch_write() as batch:
        for error in errors:
            batch.delete(error)
    with transaction.atomic():
        if with_movies:  # no run in flight: the rows listed as this run's copy are the ids deleted
            MovieListing.objects.filter(owner=owner, run_id=run.pk).delete()
        run.delete()
    movies = f", its {len(movie_ids)} movie{'' if len(movie_ids) == 1 else 's'}" if with_movies else ""
    return f"Deleted scrape {pk}{movies} and its {len(errors)} error{'' if len(errors) == 1 else 's'}."


def movie_listings_rebuild(*, owner: User) -> int:
    """List every movie of the owner's partition (one Query, paged): movies stored before the listing."""
    from scraper.dynamo import MovieItem, owner_key

    written = 0
    chunk: list[Any] = []
    for item in MovieItem.query(owner_key(owner.pk)):
        chunk.append(item)
        if len(chunk) == 500:
            written += movie_listings_put(items=chunk)
            chunk = []
    return written + movie_listings_put(items=chunk)


# --- Schedules ------------------------------------------------------------------------------------


def scrape_schedule_save(
    *, owner: User, url: str | None, every_minutes: int, enabled: bool
) -> ScrapeSchedule:
    """Set the owner's schedule (URL checked as a scrape's is); first due one interval after a new
    schedule, a new interval or turning it on again."""
    if every_minutes not in ScrapeSchedule.Every.values:
        raise ValidationError({"every_minutes": "Choose how often from the list."})
    if not (url or "").strip():
        raise ValidationError({"url": "Give the URL of the page to scrape."})
    clean = _clean_url(url)
    now = clock.now()
    with transaction.atomic():
        schedule = ScrapeSchedule.objects.select_for_update().filter(owner=owner).first()
        if schedule is None:
            schedule = ScrapeSchedule(owner=owner, next_due_at=now)
        restart = (
            schedule.pk is None
            or schedule.every_minutes != every_minutes
            or (enabled and not schedule.enabled)
        )
        schedule.url, schedule.every_minutes, schedule.enabled = clean, every_minutes, enabled
        if restart:
            schedule.next_due_at = now + timedelta(minutes=every_minutes)
        schedule.updated_at = now
        schedule.save()
    return schedule


@dataclass
class ScheduleSummary:
    queued: int = 0
    skipped: int = 0  # due, but not started (too many scrapes at once, a URL refused)
    taken: int = 0  # another firing took the slot first

    def line(self) -> str:
        return (
            f"Scrape schedules: {self.queued} queued, {self.skipped} not started, "
            f"{self.taken} already taken by another firing."
        )


def _next_slot(schedule: ScrapeSchedule, now: datetime) -> datetime:
    """The first slot after ``now`` (slots missed while nothing ran are not made up)."""
    missed = (now - schedule.next_due_at) // schedule.interval
    return schedule.next_due_at + (missed + 1) * schedule.interval


def scrape_schedules_run(*, limit: int = 100) -> ScheduleSummary:
    """Queue one scrape per due schedule (``run_scrape_schedules``, every minute): one indexed
    query finds them; each slot is taken by a conditional UPDATE on the slot seen, in the run's
    transaction, so a firing delivered twice queues one run per slot (a run not yet sent is sent
    by the sweep). A scrape that cannot start skips its slot, with the reason on the schedule."""
    now = clock.now()
    summary = ScheduleSummary()
    due = list(
        ScrapeSchedule.objects.filter(enabled=True, next_due_at__lte=now)
        .select_related("owner")
        .order_by("next_due_at")[:limit]
    )
    for schedule in due:
        run = None
        with transaction.atomic():
            taken = ScrapeSchedule.objects.filter(
                pk=schedule.pk, enabled=True, next_due_at=schedule.next_due_at
            ).update(next_due_at=_next_slot(schedule, now), last_fired_at=now)
            if not taken:
                summary.taken += 1
                continue
            try:
                with transaction.atomic():
                    run = scrape_run_create(
                        owner=schedule.owner, url=schedule.url, trigger=ScrapeRun.Trigger.SCHEDULE
                    )
            except (ValidationError, LimitReached) as exc:
                outcome = "Not started: " + (
                    " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                )
                summary.skipped += 1
            else:
                outcome = f"Scrape {run.pk} queued."
                summary.queued += 1
            ScrapeSchedule.objects.filter(pk=schedule.pk).update(last_run=run, last_outcome=outcome[:500])
        if run is not None:
            with suppress(ScrapeNotQueued):  # the run says why; the next slot tries again
                _queue_send(run)
    return summary


# --- Running ------------------------------------------------------------------------------------


def _fail(run: ScrapeRun, reason: str) -> ScrapeRun:
    run.status, run.failure, run.finished_at = ScrapeRun.Status.FAILED, reason, clock.now()
    run.save(update_fields=["status", "failure", "finished_at"])
    return run


def _claim(run_id: int) -> ScrapeRun | None:
    now = clock.now()
    claimed = ScrapeRun.objects.filter(pk=run_id, status=ScrapeRun.Status.QUEUED).update(
        status=ScrapeRun.Status.FETCHING, started_at=now, progress_at=now
    )
    return ScrapeRun.objects.get(pk=run_id) if claimed else None


def scrape_run_execute(*, run_id: int, page: Page | None = None) -> ScrapeRun | None:
    """Run a queued scrape (``page``: already fetched, e.g. the demo's); None if it was not queued.

    Upstream failures and refused URLs end the run as failed with a reason the user can read (the
    client already retried what can be retried); only the database or the streams failing raise.
    """
    from scraper.clients import FetchRefused, page_fetch

    run = _claim(run_id)
    if run is None:
        return None
    if page is None:
        try:
            page = page_fetch(run.url)
        except (FetchRefused, UpstreamError) as exc:
            # A page that cannot be fetched (a 404, a host that does not answer, a refused address)
            # is a page error like an unreadable one: listed on /scraper/errors/ and counted.
            _page_error_put(run, text="", reason=str(exc))
            return _fail(run, str(exc))
    run.final_url = page.url[: ScrapeRun.URL_MAX_LENGTH]
    run.page_bytes = page.size
    run.save(update_fields=["final_url", "page_bytes"])
    return scrape_run_process_page(run=run, text=page.text)


def _partition_key(row: dict[str, str], number: int) -> str:
    """The movie id (every record of one movie lands on one shard, in order); a row without one
    gets a key of its own, so the consumer can reject it."""
    movie_id = row.get("id")
    if isinstance(movie_id, str) and 0 < len(movie_id.strip()) <= 256:
        return movie_id.strip()
    return f"row-{number}"


def _unique_rows(rows: list[dict[str, str]]) -> list[tuple[str, dict[str, str]]]:
    """(partition key, row) for each movie id once, first row wins."""
    seen: set[str] = set()
    unique = []
    for number, row in enumerate(rows, start=1):
        key = _partition_key(row, number)
        if key not in seen:
            seen.add(key)
            unique.append((key, row))
    return unique


def _page_error_put(run: ScrapeRun, *, text: str, reason: str) -> None:
    """Put the page's error record on the error stream (its consumer stores and counts it)."""
    record = records.page_error_record(url=run.url, reason=reason, content=text, run_id=run.pk)
    client("kinesis").put_record(
        StreamName=resource_name(ERROR_STREAM), PartitionKey=str(run.pk), Data=record
    )


def _page_unreadable(run: ScrapeRun, *, text: str, reason: str) -> ScrapeRun:
    _page_error_put(run, text=text, reason=reason)
    return _fail(run, f"{records.ORIGINAL_ERROR_MESSAGE}: {reason}")


def scrape_run_process_page(*, run: ScrapeRun, text: str) -> ScrapeRun:
    """Read the page's movies and put them on the movie stream (or the page on the error stream)."""
    from scraper.parsing import PageUnreadable, parse_movies
    from scraper.producer import records_put

    try:
        rows = parse_movies(text)
    except PageUnreadable as exc:
        return _page_unreadable(run, text=text, reason=str(exc))
    unique = _unique_rows(rows)
    run.rows_seen, run.status, run.progress_at = len(rows), ScrapeRun.Status.SENDING, clock.now()
    run.save(update_fields=["rows_seen", "status", "progress_at"])

    def progress(sent: int, unsent: int) -> None:
        ScrapeRun.objects.filter(pk=run.pk).update(
            rows_sent=sent, rows_unsent=unsent, progress_at=clock.now()
        )

    try:
        outcome = records_put(
            stream_name=resource_name(MOVIE_STREAM),
            records=[(key, records.movie_record(row=row, run_id=run.pk)) for key, row in unique],
            kinesis=client("kinesis"),
            on_batch=progress,
        )
    except Exception as exc:
        logger.exception("Scrape %s: the movie stream refused the rows", run.pk)
        run.refresh_from_db()
        return _fail(run, f"The movie stream refused the rows ({type(exc).__name__}).")
    done = outcome.sent == 0
    ScrapeRun.objects.filter(pk=run.pk).update(
        rows_sent=outcome.sent,
        rows_unsent=outcome.unsent,
        sent_at=clock.now(),
        progress_at=clock.now(),
        status=ScrapeRun.Status.DONE if done else ScrapeRun.Status.STORING,
        finished_at=clock.now() if done else None,
    )
    _finish_if_complete(run.pk)
    run.refresh_from_db()
    return run


def _finish_if_complete(run_id: int) -> None:
    """A storing run whose every sent row is stored or rejected is done (whoever counts last)."""
    ScrapeRun.objects.filter(
        pk=run_id,
        status=ScrapeRun.Status.STORING,
        rows_sent__lte=F("rows_stored") + F("rows_rejected"),
    ).update(status=ScrapeRun.Status.DONE, finished_at=clock.now())


# --- Storing (the stream consumers) ---------------------------------------------------------------


@dataclass(frozen=True)
class StreamRecord:
    """What the consumers need of one Kinesis record."""

    data: bytes
    stream: str  # the stream's name
    shard: str
    sequence: str
    arrived_at: datetime

    @property
    def event_id(self) -> str:
        return f"{self.shard}:{self.sequence}"

    @classmethod
    def from_lambda(cls, record: dict[str, Any]) -> StreamRecord:
        import base64

        from core.contract.naming import parse_arn

        kinesis = record["kinesis"]
        sequence = str(kinesis["sequenceNumber"])
        shard = str(record.get("eventID") or "").rpartition(":")[0] or "shardId-unknown"
        parsed = parse_arn(record.get("eventSourceARN") or "")
        return cls(
            data=base64.b64decode(kinesis["data"]),
            stream=parsed[2] if parsed else "unknown",
            shard=shard,
            sequence=sequence,
            arrived_at=datetime.fromtimestamp(float(kinesis["approximateArrivalTimestamp"]), tz=UTC),
        )


@dataclass
class _Batch:
    """What one invocation of a stream handler defers to its end: the counts, and whose runs are whose."""

    counts: dict[tuple[int, str, str], list[tuple[str, str]]] = field(default_factory=dict)
    owners: dict[int, int | None] = field(default_factory=dict)
    listings: dict[tuple[int, str], Any] = field(default_factory=dict)  # (owner, movie id) -> MovieItem


_batch: ContextVar[_Batch | None] = ContextVar("scraper_stream_batch", default=None)


@contextmanager
def stream_batch() -> Iterator[None]:
    """Count the records stored inside the block on their runs at its end, in one transaction.

    The stream handlers wrap their batch in it: one database commit per batch instead of one per
    record (measured: the commits were a third of the consumer's time on SQLite). What was stored
    before a failure is counted too, since the retry starts after it.
    """
    batch = _Batch()
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
        if batch.counts or batch.listings:
            _batch_apply(batch.counts, list(batch.listings.values()))


@transaction.atomic
def _batch_apply(counts: dict[tuple[int, str, str], list[tuple[str, str]]], listings: list[Any]) -> int:
    """The batch's movie listings and counts, in one transaction (a retried batch redoes both)."""
    movie_listings_put(items=listings)
    return _counts_apply(counts) if counts else 0


def _listing(item: Any) -> MovieListing:
    """The relational index row of a stored movie item (``scraper.dynamo.MovieItem``)."""
    year = int(item.start_year) if item.start_year is not None else None
    genres = [(key or "").partition("#")[2] for key in (item.genre_1, item.genre_2, item.genre_3)]
    return MovieListing(
        owner_id=int(item.owner),
        movie_id=item.movie_id,
        primary_title=item.primary_title[:500],
        title_key=records.fold(item.primary_title)[:500],
        original_title=(item.original_title or "")[:500],
        is_adult=item.is_adult,
        start_year=year,
        no_year=year is None,
        year_sort=year or 0,
        runtime_minutes=int(item.runtime_minutes) if item.runtime_minutes is not None else None,
        genres=",".join(item.genres or [])[:200],
        genre_1=genres[0],
        genre_2=genres[1],
        genre_3=genres[2],
        search=item.search or "",
        run_id=int(item.run_id),
        updated_at=item.updated_at,
    )


def movie_listings_put(*, items: list[Any]) -> int:
    """Upsert the listing rows of stored movie items (two queries), never over a later run's row."""
    rows = {(listing.owner_id, listing.movie_id): listing for listing in map(_listing, items)}
    if not rows:
        return 0
    owners = {owner for owner, _ in rows}
    newer = MovieListing.objects.filter(
        owner_id__in=owners, movie_id__in={movie for _, movie in rows}
    ).values_list("owner_id", "movie_id", "run_id")
    for owner, movie, run_id in newer:
        listing = rows.get((owner, movie))
        if listing is not None and run_id > listing.run_id:
            del rows[(owner, movie)]
    fields = [f.name for f in MovieListing._meta.concrete_fields if f.name not in ("id", "owner", "movie_id")]
    MovieListing.objects.bulk_create(
        list(rows.values()), update_conflicts=True, unique_fields=["owner", "movie_id"], update_fields=fields
    )
    return len(rows)


def _list(item: Any) -> None:
    """List the stored item now, or at the end of the handler's batch."""
    batch = _batch.get()
    if batch is None:
        movie_listings_put(items=[item])
    else:
        batch.listings[(int(item.owner), item.movie_id)] = item


def _count(*, run_id: int, record: StreamRecord, field: str) -> bool | None:
    """Count the record on its run once: now (True if counted now, False if counted before), or at
    the end of the handler's batch (None)."""
    from scraper.dynamo import padded_sequence

    key = (run_id, record.stream, record.shard)
    entry = (padded_sequence(record.sequence), field)
    batch = _batch.get()
    if batch is None:
        return _counts_apply({key: [entry]}) > 0
    batch.counts.setdefault(key, []).append(entry)
    return None


@transaction.atomic
def _counts_apply(pending: dict[tuple[int, str, str], list[tuple[str, str]]]) -> int:
    """Add each record to its run's counts unless it was counted before; how many were counted now.

    A shard delivers its records in order and a retry starts again at the first record not yet
    done, so "counted before" is "not after the last record counted on this run from this shard"
    (``StreamCheckpoint``). Checkpoints and counts move in one transaction: exact however often a
    record comes back, even after the function died between storing a record and counting it.
    """
    per_run: dict[int, Counter[str]] = defaultdict(Counter)
    for (run_id, stream, shard), entries in pending.items():
        checkpoint, _ = StreamCheckpoint.objects.select_for_update().get_or_create(
            run_id=run_id, stream=stream, shard=shard, defaults={"sequence": ""}
        )
        fresh = [(sequence, name) for sequence, name in entries if sequence > checkpoint.sequence]
        if not fresh:
            continue
        checkpoint.sequence = max(sequence for sequence, _ in fresh)
        checkpoint.save(update_fields=["sequence"])
        per_run[run_id].update(name for _, name in fresh)
    now = clock.now()
    for run_id, counted in per_run.items():
        # A run the sweep finished from what the table holds is not counted on again.
        ScrapeRun.objects.filter(pk=run_id, counts_final=False).update(
            progress_at=now, **{name: F(name) + n for name, n in counted.items()}
        )
        _finish_if_complete(run_id)
    return sum(sum(counted.values()) for counted in per_run.values())


def _owner_of(run_id: int | None) -> int | None:
    if run_id is None:
        return None
    batch = _batch.get()
    if batch is not None and run_id in batch.owners:
        return batch.owners[run_id]
    owner_id = ScrapeRun.objects.filter(pk=run_id).values_list("owner_id", flat=True).first()
    if batch is not None:
        batch.owners[run_id] = owner_id
    return owner_id


def _put_failed_condition(exc: Exception) -> bool:
    return getattr(exc, "cause_response_code", None) == "ConditionalCheckFailedException"


def _error_store(
    *,
    record: StreamRecord,
    source: str,
    run_id: int | None,
    error_message: str,
    reason: str,
    snippet: str | None,
    url: str | None = None,
    movie_id: str | None = None,
) -> bool:
    """Store one error item (keyed by the record: a redelivery overwrites nothing) and count it on
    its run; an error of a record naming no existing run goes to the orphan partition. False if it
    was counted before (or has no run to count on)."""
    from pynamodb.exceptions import PutError

    from scraper.dynamo import ORPHAN_OWNER, ScrapeErrorItem, owner_key

    owner_id = _owner_of(run_id)
    if run_id is not None and owner_id is None:
        reason = f"Scrape run {run_id} does not exist. {reason}".strip()
    item = ScrapeErrorItem(
        owner_key(owner_id) if owner_id is not None else ORPHAN_OWNER,
        f"{record.arrived_at.strftime('%Y-%m-%dT%H:%M:%S.%fZ')}#{record.stream}#{record.event_id}",
        run_id=run_id if owner_id is not None else None,
        source=source,
        url=url,
        error_message=error_message[:200],
        reason=reason[:1000],
        snippet=snippet[: ScrapeErrorItem.SNIPPET_MAX] if snippet else None,
        movie_id=movie_id,
        created_at=record.arrived_at,
    )
    try:
        item.save(condition=ScrapeErrorItem.error_key.does_not_exist())
    except PutError as exc:
        if not _put_failed_condition(exc):
            raise  # stored before: still count it below (the count may be what failed last time)
    if owner_id is None or run_id is None:
        return False
    counted = "page_errors" if source == ScrapeErrorItem.SOURCE_PAGE else "rows_rejected"
    return _count(run_id=run_id, record=record, field=counted) is not False


def _movie_item(*, owner_id: int, movie: records.MovieRow, sequence: str):
    from scraper.dynamo import GENRE_SLOTS, MovieItem, genre_key, owner_key, padded_sequence, year_movie_key

    slots: list[str | None] = [*sorted({genre.casefold() for genre in movie.genres})[:GENRE_SLOTS]]
    slots += [None] * (GENRE_SLOTS - len(slots))
    genre_1, genre_2, genre_3 = (genre_key(owner_id=owner_id, genre=g) if g else None for g in slots)
    return MovieItem(
        owner_key(owner_id),
        movie.movie_id,
        primary_title=movie.primary_title,
        original_title=movie.original_title,
        is_adult=movie.is_adult,
        start_year=movie.start_year,
        runtime_minutes=movie.runtime_minutes,
        genres=list(movie.genres) or None,
        search=movie.search,
        year_movie=year_movie_key(year=movie.start_year, movie_id=movie.movie_id),
        genre_1=genre_1,
        genre_2=genre_2,
        genre_3=genre_3,
        run_id=movie.run_id,
        sequence=padded_sequence(sequence),
        updated_at=clock.now(),
    )


def _movie_put(*, owner_id: int, movie: records.MovieRow, sequence: str) -> bool:
    """Store the movie with one conditional PutItem (its indexes follow), unless a later run's copy
    is stored; False only for another copy of this run's row (a run started again sends its rows
    again): it was counted once already.

    A later run (a larger run id) wins, whatever the sequence numbers say: they are per stream, and
    a stream made again (an emulator restarted without its records, a stream recreated on AWS)
    starts them again from the beginning, so comparing them across runs made every movie already
    stored look newer than a re-scrape, and the re-scrape never finished. True when this very
    record was stored before (the function died before counting it) and when a later run's copy
    was stored first (this record's movie is stored): the caller counts it, once.
    """
    from pynamodb.exceptions import PutError

    from scraper.dynamo import MovieItem

    item = _movie_item(owner_id=owner_id, movie=movie, sequence=sequence)
    try:
        item.save(condition=MovieItem.movie_id.does_not_exist() | (MovieItem.run_id < movie.run_id))
        _list(item)
        return True
    except PutError as exc:
        if not _put_failed_condition(exc):
            raise
    stored = MovieItem.get(item.owner, item.movie_id, consistent_read=True)
    if stored.run_id == movie.run_id and stored.sequence == item.sequence:
        _list(stored)  # stored before, maybe not listed: the function died before its batch ended
        return True
    return stored.run_id != movie.run_id


def movie_record_store(*, record: StreamRecord) -> str:
    """Store one movie record: "stored", "duplicate" (stored before) or "rejected" (malformed)."""
    try:
        movie = records.movie_from_payload(records.decode(record.data))
    except records.MalformedRecord as exc:
        _error_store(
            record=record,
            source="record",
            run_id=exc.run_id,
            error_message="Not a valid movie",
            reason=exc.reason,
            snippet=record.data.decode("utf-8", errors="replace"),
            movie_id=exc.movie_id,
        )
        return "rejected"
    owner_id = _owner_of(movie.run_id)
    if owner_id is None:
        _error_store(
            record=record,
            source="record",
            run_id=movie.run_id,
            error_message="Not a valid movie",
            reason="",
            snippet=record.data.decode("utf-8", errors="replace"),
            movie_id=movie.movie_id,
        )
        return "rejected"
    if not _movie_put(owner_id=owner_id, movie=movie, sequence=record.sequence):
        return "duplicate"
    counted = _count(run_id=movie.run_id, record=record, field="rows_stored")
    return "duplicate" if counted is False else "stored"


def page_error_store(*, record: StreamRecord) -> bool:
    """Store one page error record in the error table; False if it was counted before."""
    try:
        error = records.page_error_from_payload(records.decode(record.data))
    except records.MalformedRecord as exc:
        error = records.PageError(
            run_id=None,
            url=None,
            error_message=records.ORIGINAL_ERROR_MESSAGE,
            reason=f"An unreadable error record: {exc.reason}",
            content=record.data.decode("utf-8", errors="replace"),
        )
    return _error_store(
        record=record,
        source="page",
        run_id=error.run_id,
        error_message=error.error_message,
        reason=error.reason,
        snippet=error.content,
        url=error.url,
    )


# --- The sweep (nothing stuck) ---------------------------------------------------------------------


@dataclass
class SweepSummary:
    restarted: int = 0  # queued, fetching or sending past the deadline: started again
    finished: int = 0  # storing past the deadline: finished from what the table holds
    failed: int = 0  # started again too often, or rows lost: failed with the reason

    def line(self) -> str:
        return (
            f"Swept scrapes past their deadline: {self.restarted} started again, "
            f"{self.finished} finished from the stored movies, {self.failed} failed."
        )


def _stored_by(run: ScrapeRun) -> int:
    """How many of the owner's movies this run's rows are stored as (a Query of the owner's partition)."""
    from scraper.dynamo import MovieItem, owner_key

    return sum(
        1
        for _ in MovieItem.query(
            owner_key(run.owner_id),
            filter_condition=MovieItem.run_id == run.pk,
            attributes_to_get=["movie_id"],
        )
    )


def _restart(run: ScrapeRun, now: datetime) -> str:
    """Queue the run again (its request message sent again) or, started too often, fail it."""
    unchanged = ScrapeRun.objects.filter(pk=run.pk, status=run.status, progress_at=run.progress_at)
    was = run.get_status_display().lower()
    if run.restarts >= settings.SCRAPER_MAX_RESTARTS:
        reason = (
            f"Stopped while {was} and started again {run.restarts} times without finishing; "
            "scrape the page again later."
        )
        return (
            "failed"
            if unchanged.update(status=ScrapeRun.Status.FAILED, failure=reason, finished_at=now)
            else ""
        )
    if not unchanged.update(
        status=ScrapeRun.Status.QUEUED,
        progress_at=now,
        restarts=F("restarts") + 1,
        rows_sent=0,
        rows_unsent=0,
    ):
        return ""
    try:
        client("sqs").send_message(
            QueueUrl=_queue_url(resource_name(REQUESTS_QUEUE)), MessageBody=json.dumps({"run": run.pk})
        )
    except Exception:  # still queued: the next sweep sends it again
        logger.exception("Scrape %s could not be queued again", run.pk)
    return "restarted"


def _finish_from_table(run: ScrapeRun, now: datetime) -> str:
    """A storing run whose rows stopped arriving: its counts from what the table holds, and done
    if every row sent is accounted for, else failed saying how many never arrived."""
    stored = max(run.rows_stored, _stored_by(run))
    lost = max(0, run.rows_sent - stored - run.rows_rejected)
    changes: dict[str, Any] = {
        "rows_stored": stored,
        "finished_at": now,
        "progress_at": now,
        "counts_final": True,
    }
    if lost:
        changes["status"] = ScrapeRun.Status.FAILED
        changes["failure"] = (
            f"{lost} of the {run.rows_sent} rows sent to the movie stream never reached the table "
            f"(nothing arrived for {settings.SCRAPER_STORING_SECONDS // 60 or 1} minutes); "
            "scrape the page again to store them."
        )
    else:
        changes["status"] = ScrapeRun.Status.DONE
    updated = ScrapeRun.objects.filter(
        pk=run.pk, status=ScrapeRun.Status.STORING, progress_at=run.progress_at
    ).update(**changes)
    return ("failed" if lost else "finished") if updated else ""


def scrape_runs_sweep(*, limit: int = 200) -> SweepSummary:
    """Move on every run past its deadline (``manage.py sweep_scrapes``, every minute).

    * queued for ``SCRAPER_QUEUED_SECONDS``, or fetching or sending with no progress for
      ``SCRAPER_RUNNING_SECONDS`` (the function running it died: a laptop restarted, a Lambda
      killed at its timeout, a message lost): queued again and its request sent again; the page is
      fetched and its rows sent again, and the consumer counts each of the run's movies once;
    * started again ``SCRAPER_MAX_RESTARTS`` times: failed, with the reason;
    * storing with no row counted for ``SCRAPER_STORING_SECONDS`` (the stream lost records, or the
      consumer keeps failing): finished with the counts the movie table holds for the run, done if
      they add up, otherwise failed saying how many rows never arrived.

    Each move is a conditional UPDATE on the state it saw: a run that moved meanwhile is left alone.
    """
    now = clock.now()
    Status = ScrapeRun.Status
    moved = Coalesce("progress_at", "started_at", "created_at")
    runs = (
        ScrapeRun.objects.annotate(moved=moved)
        .filter(
            Q(status=Status.QUEUED, moved__lt=now - timedelta(seconds=settings.SCRAPER_QUEUED_SECONDS))
            | Q(
                status__in=[Status.FETCHING, Status.SENDING],
                moved__lt=now - timedelta(seconds=settings.SCRAPER_RUNNING_SECONDS),
            )
            | Q(status=Status.STORING, moved__lt=now - timedelta(seconds=settings.SCRAPER_STORING_SECONDS))
        )
        .order_by("created_at", "id")[:limit]
    )
    summary = SweepSummary()
    for run in list(runs):
        outcome = _finish_from_table(run, now) if run.status == Status.STORING else _restart(run, now)
        if outcome == "restarted":
            summary.restarted += 1
        elif outcome == "finished":
            summary.finished += 1
        elif outcome == "failed":
            summary.failed += 1
    return summary


# --- Demo data ---------------------------------------------------------------------------------


def scrape_demo_load(*, owner: User) -> str:
    """Two scrapes of the sandbox's pages for ``owner`` (unless their movies are already stored):
    the 300-row table with a few bad rows, and the div layout the original could not read.

    The pages are built in-process (the sandbox's own generator: nothing needs to be serving yet)
    and go through the real pipeline: the event runner stores them once it starts.
    """
    from scraper.clients import Page
    from scraper.dynamo import MovieItem, owner_key
    from scraper.sandbox.pages import page_html

    if next(iter(MovieItem.query(owner_key(owner.pk), limit=1)), None) is not None:
        if not MovieListing.objects.filter(owner=owner).exists():  # stored before the listing existed
            return f"Sample scrapes already stored; listed {movie_listings_rebuild(owner=owner)} movies."
        return "Sample scrapes already stored."
    ScrapeRun.objects.filter(owner=owner, trigger=ScrapeRun.Trigger.DEMO).delete()
    base = f"{settings.SANDBOX_BASE_URL}/scraper/movies/"
    pages = [(f"{base}?messy=1", page_html(messy=True)), (f"{base}?layout=div", page_html(layout="div"))]
    summaries = []
    for url, html in pages:
        run = ScrapeRun.objects.create(owner=owner, url=url, trigger=ScrapeRun.Trigger.DEMO)
        page = Page(url=url, status=200, text=html, size=len(html.encode()))
        done = scrape_run_execute(run_id=run.pk, page=page)
        summaries.append(
            f"{done.rows_sent if done else 0} rows sent" if done and not done.failure else "1 page error"
        )
    return f"Queued the sample scrapes ({', '.join(summaries)}); the event runner stores them."

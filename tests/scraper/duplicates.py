"""Duplicate-delivery cases of the scraper: its queue, its two Kinesis consumers and its schedule.

The queue and the schedule fetch a page: a small server in this process serves the sandbox's
four-row table (the gate has no live server), and the scheduled scrape is pointed at it and at
alice through the event's own arguments.
"""

from __future__ import annotations

import json
import threading
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from scraper.models import ScrapeRun
from scraper.records import page_error_record
from tests.duplicates import DuplicateCase
from tests.scraper.factories import ScrapeRunFactory, kinesis_event, kinesis_record, movie_data

ERRORS_STREAM = "serverless-django-test-scrape-error-records"
QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:serverless-django-test-scrape-requests"


@cache
def _page_url() -> str:
    """A page of four movies on 127.0.0.1 (started once, for the rest of the test session)."""
    from scraper.sandbox.pages import page_html

    body = page_html(rows=4).encode()

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/movies/"


def _runs(world):
    return list(
        ScrapeRun.objects.filter(owner=world["alice"])
        .order_by("pk")
        .values(
            "pk", "status", "trigger", "rows_seen", "rows_sent", "rows_stored", "page_errors", "rows_rejected"
        )
    )


def _movies(world):
    from scraper.dynamo import MovieItem

    return sorted(item.attribute_values.__repr__() for item in MovieItem.query(str(world["alice"].pk)))


def _listings(world):
    from scraper.models import MovieListing

    return list(MovieListing.objects.filter(owner=world["alice"]).order_by("movie_id").values())


def _errors(world):
    from scraper.dynamo import ScrapeErrorItem

    return sorted(item.attribute_values.__repr__() for item in ScrapeErrorItem.query(str(world["alice"].pk)))


def _stream_length(name: str) -> int:
    """How many records the stream holds (a second scrape would put its rows again)."""
    from core.aws import client
    from core.contract.naming import resource_name

    kinesis = client("kinesis")
    stream = resource_name(name)
    total = 0
    for shard in kinesis.list_shards(StreamName=stream)["Shards"]:
        iterator = kinesis.get_shard_iterator(
            StreamName=stream, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        total += len(kinesis.get_records(ShardIterator=iterator, Limit=10000)["Records"])
    return total


def _scrape_request(world):
    run = ScrapeRunFactory(owner=world["alice"], url=_page_url())
    return {
        "Records": [
            {
                "messageId": "dup-1",
                "receiptHandle": "r-1",
                "body": json.dumps({"run": run.pk}),
                "attributes": {},
                "messageAttributes": {},
                "eventSource": "aws:sqs",
                "eventSourceARN": QUEUE_ARN,
                "awsRegion": "us-east-1",
            }
        ]
    }


def _movie_records(world):
    run = ScrapeRunFactory(owner=world["alice"], status=ScrapeRun.Status.STORING, rows_seen=3, rows_sent=3)
    records = [kinesis_record(movie_data(run, id=f"tt000000{n}")) for n in (1, 2)]
    records.append(kinesis_record(movie_data(run, id="tt0000009", startYear="soon")))  # rejected
    return kinesis_event(records)


def _page_error_records(world):
    run = ScrapeRunFactory(owner=world["alice"], status=ScrapeRun.Status.FAILED)
    data = page_error_record(url=run.url, reason="No table.movieTable", content="<div>", run_id=run.pk)
    return kinesis_event([kinesis_record(data, stream=ERRORS_STREAM)])


def _scheduled_scrape(world):
    # The schedule's own command and --scheduled, pointed at the page and alice by its arguments.
    args = ["--scheduled", "--url", _page_url(), "--user", world["alice"].username]
    return {"kwargs": {"command": "scrape", "args": args}}


def _due_schedule(world):
    # Alice's schedule, due since a minute ago: one firing queues one scrape for the slot.
    from datetime import timedelta

    from core import clock
    from scraper.models import ScrapeSchedule

    ScrapeSchedule.objects.create(
        owner=world["alice"],
        url=_page_url(),
        every_minutes=60,
        next_due_at=clock.now() - timedelta(minutes=1),
    )
    return {"kwargs": {"command": "run_scrape_schedules"}}


def _schedules(world):
    from scraper.models import ScrapeSchedule

    return list(
        ScrapeSchedule.objects.filter(owner=world["alice"]).values("next_due_at", "last_run", "last_outcome")
    )


def _stale_scrape_sweep(world):
    # A run whose function died an hour ago while fetching: the sweep queues it again, once.
    from datetime import timedelta

    from core import clock

    an_hour_ago = clock.now() - timedelta(hours=1)
    ScrapeRunFactory(owner=world["alice"], status=ScrapeRun.Status.FETCHING, progress_at=an_hour_ago)
    return {"kwargs": {"command": "sweep_scrapes"}}


def _queued_requests(world) -> int:
    from core.aws import client
    from core.contract.naming import resource_name

    sqs = client("sqs")
    url = sqs.get_queue_url(QueueName=resource_name("scrape-requests"))["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
    return int(attributes["Attributes"]["ApproximateNumberOfMessages"])


DUPLICATES = {
    "scraper.events.on_scrape_requests": DuplicateCase(
        event=_scrape_request,
        effects=lambda world: (_runs(world), _stream_length("movie-records")),
    ),
    "scraper.events.on_movie_records": DuplicateCase(
        event=_movie_records,
        effects=lambda world: (_runs(world), _movies(world), _listings(world), _errors(world)),
    ),
    "scraper.events.on_scrape_errors": DuplicateCase(
        event=_page_error_records, effects=lambda world: (_runs(world), _errors(world))
    ),
    "sweep-scrapes": DuplicateCase(
        event=_stale_scrape_sweep,
        effects=lambda world: (_runs(world), _queued_requests(world)),
    ),
    "scrape-schedules": DuplicateCase(
        event=_due_schedule,
        effects=lambda world: (_runs(world), _schedules(world), _queued_requests(world)),
    ),
    "scrape-movies": DuplicateCase(
        event=_scheduled_scrape,
        effects=lambda world: (_runs(world), _stream_length("movie-records")),
    ),
}

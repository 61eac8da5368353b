"""The scraper's Lambda handlers, one record at a time under core.aws.batch.batch_handler."""

import json
import logging

from core.aws import client
from scraper import selectors
from scraper.dynamo import MovieItem, ScrapeErrorItem
from scraper.events import on_movie_records, on_scrape_errors, on_scrape_requests
from scraper.models import ScrapeRun
from scraper.records import page_error_record
from tests.scraper.factories import ScrapeRunFactory, kinesis_event, kinesis_record, movie_data
from tests.support.queues import send_retried_at_once, waiting_bodies

ERRORS_STREAM = "serverless-django-test-scrape-error-records"


def sqs_event(*bodies):
    return {
        "Records": [
            {
                "messageId": f"m{n}",
                "receiptHandle": f"r{n}",
                "body": body,
                "attributes": {},
                "messageAttributes": {},
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:serverless-django-test-scrape-requests",
                "awsRegion": "us-east-1",
            }
            for n, body in enumerate(bodies)
        ]
    }


def storing_run(owner, sent):
    return ScrapeRunFactory(owner=owner, status=ScrapeRun.Status.STORING, rows_seen=sent, rows_sent=sent)


def stored_ids(owner):
    return [m.movie_id for m in selectors.movie_list(owner=owner).movies]


def test_a_batch_of_movies_is_stored_with_no_failure(alice, aws):
    run = storing_run(alice, 3)
    records = [kinesis_record(movie_data(run, id=f"tt000000{n}")) for n in range(1, 4)]

    assert on_movie_records(kinesis_event(records), None) == {"batchItemFailures": []}

    assert stored_ids(alice) == ["tt0000001", "tt0000002", "tt0000003"]
    assert ScrapeRun.objects.get(pk=run.pk).status == ScrapeRun.Status.DONE


def test_a_poison_record_goes_to_the_error_table_and_the_shard_moves_on(alice, aws):
    run = storing_run(alice, 3)
    records = [
        kinesis_record(movie_data(run, id="tt0000001")),
        kinesis_record(b"\x00 definitely not a movie"),
        kinesis_record(movie_data(run, id="tt0000003")),
    ]

    assert on_movie_records(kinesis_event(records), None) == {"batchItemFailures": []}

    assert stored_ids(alice) == ["tt0000001", "tt0000003"]
    (orphan,) = ScrapeErrorItem.query("-")  # a record naming no run is kept, as nobody's error
    assert orphan.reason.startswith("The record is not JSON text")
    run.refresh_from_db()
    assert (run.rows_stored, run.rows_rejected) == (2, 0)  # the poison record names no run


def test_a_malformed_row_of_a_run_counts_on_that_run_and_finishes_it(alice, aws):
    run = storing_run(alice, 2)
    records = [
        kinesis_record(movie_data(run, id="tt0000001")),
        kinesis_record(movie_data(run, runtimeMinutes="1h")),
    ]

    on_movie_records(kinesis_event(records), None)

    run.refresh_from_db()
    assert (run.rows_stored, run.rows_rejected, run.status) == (1, 1, ScrapeRun.Status.DONE)
    assert [e.reason for e in selectors.scrape_error_list(owner=alice, run_id=run.pk).errors] == [
        "runtimeMinutes '1h' is not a number of minutes (0-100000, or N/A)."
    ]


def test_a_transient_failure_is_reported_at_its_record_and_the_records_after_it_wait(alice, aws_fresh):
    run = storing_run(alice, 4)
    on_movie_records(kinesis_event([kinesis_record(movie_data(run, id="tt0000001"))]), None)
    client("dynamodb").delete_table(TableName=MovieItem.Meta.table_name)  # DynamoDB's movies are gone for now
    rejected = kinesis_record(
        movie_data(run, id="tt0000002", startYear="someday")
    )  # the error table still works
    failing, later = (kinesis_record(movie_data(run, id=f"tt000000{n}")) for n in (3, 4))

    result = on_movie_records(kinesis_event([rejected, failing, later]), None)

    assert result == {"batchItemFailures": [{"itemIdentifier": failing["kinesis"]["sequenceNumber"]}]}
    run.refresh_from_db()
    assert (run.rows_stored, run.rows_rejected) == (1, 1)  # what was done before the failure counts


def test_a_redelivered_batch_changes_nothing_twice(alice, aws):
    run = storing_run(alice, 3)
    records = [kinesis_record(movie_data(run, id=f"tt000000{n}")) for n in range(1, 3)]
    records.append(kinesis_record(movie_data(run, id="tt0000009", startYear="soon")))
    on_movie_records(kinesis_event(records), None)
    before = (
        [MovieItem.get(str(alice.pk), f"tt000000{n}").attribute_values for n in range(1, 3)],
        selectors.scrape_error_list(owner=alice).errors,
        ScrapeRun.objects.values().get(pk=run.pk),
    )

    assert on_movie_records(kinesis_event(records), None) == {"batchItemFailures": []}

    after = (
        [MovieItem.get(str(alice.pk), f"tt000000{n}").attribute_values for n in range(1, 3)],
        selectors.scrape_error_list(owner=alice).errors,
        ScrapeRun.objects.values().get(pk=run.pk),
    )
    assert after == before


def test_a_page_error_record_is_stored_in_the_error_table(alice, aws):
    run = ScrapeRunFactory(owner=alice, status=ScrapeRun.Status.FAILED)
    data = page_error_record(url=run.url, reason="No table.movieTable", content="<div>", run_id=run.pk)
    event = kinesis_event([kinesis_record(data, stream=ERRORS_STREAM)])

    assert on_scrape_errors(event, None) == {"batchItemFailures": []}
    assert on_scrape_errors(event, None) == {"batchItemFailures": []}

    (error,) = selectors.scrape_error_list(owner=alice).errors
    assert (error.run_id, error.source, error.snippet) == (run.pk, "page", "<div>")
    assert ScrapeRun.objects.get(pk=run.pk).page_errors == 1


def test_a_scrape_request_delivered_twice_runs_the_scrape_once(alice, aws, sandbox):
    run = ScrapeRunFactory(owner=alice, url=f"{sandbox}/movies/?rows=4")
    body = json.dumps({"run": run.pk})

    assert on_scrape_requests(sqs_event(body), None) == {"batchItemFailures": []}
    assert on_scrape_requests(sqs_event(body), None) == {"batchItemFailures": []}

    run.refresh_from_db()
    assert (run.status, run.rows_sent) == (ScrapeRun.Status.STORING, 4)


def test_a_message_that_names_no_run_fails_alone_and_the_rest_of_the_batch_runs(alice, aws, sandbox, caplog):
    run = ScrapeRunFactory(owner=alice, url=f"{sandbox}/movies/?rows=2")
    event = sqs_event("hello", json.dumps({"run": run.pk}), json.dumps({"run": True}), json.dumps(["run"]))

    with caplog.at_level(logging.ERROR, logger="core.aws.batch"):
        result = on_scrape_requests(event, None)

    assert result == {"batchItemFailures": [{"itemIdentifier": m} for m in ("m0", "m2", "m3")]}
    run.refresh_from_db()
    assert run.status == ScrapeRun.Status.STORING
    assert "Not a scrape request (no 'run'): 'hello'" in caplog.text


def test_a_message_that_names_no_run_ends_in_the_dead_letter_queue_not_dropped(runner):
    send_retried_at_once("scrape-requests", '{"scrape": "please"}')

    runner.drain()

    assert waiting_bodies("scrape-requests-dlq") == ['{"scrape": "please"}']
    assert waiting_bodies("scrape-requests") == []

"""Nothing stuck: every scrape past its deadline is started again or finished with counts that add up."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from scraper import services
from scraper.models import ScrapeRun
from tests.scraper.factories import ScrapeRunFactory, kinesis_record, movie_data

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _requests_on_the_queue() -> list[dict]:
    from core.aws import client
    from core.contract.naming import resource_name

    sqs = client("sqs")
    url = sqs.get_queue_url(QueueName=resource_name("scrape-requests"))["QueueUrl"]
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0)
    return [json.loads(m["Body"]) for m in messages.get("Messages", [])]


def _store(run, movie_id: str, *, sequence: str | None = None) -> str:
    record = kinesis_record(movie_data(run, id=movie_id), sequence=sequence)
    with services.stream_batch():
        outcome = services.movie_record_store(record=services.StreamRecord.from_lambda(record))
    return outcome


@pytest.mark.parametrize("status", ["queued", "fetching", "sending"])
def test_a_run_stopped_before_storing_is_started_again_after_its_deadline(
    alice, aws, clock, settings, status
):
    settings.SCRAPER_QUEUED_SECONDS = settings.SCRAPER_RUNNING_SECONDS = 300
    clock.set(START)
    run = ScrapeRunFactory(owner=alice, status=status, progress_at=START, rows_seen=9, rows_sent=4)

    clock.set(START + timedelta(seconds=299))
    assert services.scrape_runs_sweep().restarted == 0
    clock.set(START + timedelta(seconds=301))
    summary = services.scrape_runs_sweep()

    run.refresh_from_db()
    assert summary.restarted == 1
    assert (run.status, run.restarts, run.rows_sent, run.progress_at) == ("queued", 1, 0, clock.now)
    assert _requests_on_the_queue() == [{"run": run.pk}]


def test_a_run_started_again_too_often_fails_with_the_reason(alice, aws, clock, settings):
    settings.SCRAPER_MAX_RESTARTS = 2
    clock.set(START)
    run = ScrapeRunFactory(owner=alice, status="sending", progress_at=START, restarts=2)
    clock.set(START + timedelta(minutes=6))

    summary = services.scrape_runs_sweep()

    run.refresh_from_db()
    assert (summary.failed, run.status, run.finished_at) == (1, "failed", clock.now)
    assert run.failure == (
        "Stopped while sending rows to the stream and started again 2 times without finishing; "
        "scrape the page again later."
    )


def test_a_storing_run_whose_rows_stopped_arriving_is_finished_from_the_table(alice, aws, clock, settings):
    settings.SCRAPER_STORING_SECONDS = 300
    clock.set(START)
    run = ScrapeRunFactory(owner=alice, status="storing", rows_seen=3, rows_sent=3, progress_at=START)
    for movie_id in ("tt0000001", "tt0000002", "tt0000003"):
        assert _store(run, movie_id) == "stored"
    # The counts of the last two were lost (the function died before its batch was counted).
    ScrapeRun.objects.filter(pk=run.pk).update(
        status="storing", rows_stored=1, finished_at=None, progress_at=START
    )

    clock.set(START + timedelta(seconds=301))
    summary = services.scrape_runs_sweep()

    run.refresh_from_db()
    assert summary.finished == 1
    assert (run.status, run.rows_stored, run.failure) == ("done", 3, "")
    assert _store(run, "tt0000004") == "stored"
    run.refresh_from_db()
    assert run.rows_stored == 3  # a finished run is not counted on again


def test_a_storing_run_that_lost_rows_fails_saying_how_many(alice, aws, clock, settings):
    settings.SCRAPER_STORING_SECONDS = 300
    clock.set(START)
    run = ScrapeRunFactory(owner=alice, status="storing", rows_seen=5, rows_sent=5, progress_at=START)
    _store(run, "tt0000001")
    ScrapeRun.objects.filter(pk=run.pk).update(progress_at=START)
    clock.set(START + timedelta(seconds=301))

    services.scrape_runs_sweep()

    run.refresh_from_db()
    assert (run.status, run.rows_stored) == ("failed", 1)
    assert run.failure.startswith("4 of the 5 rows sent to the movie stream never reached the table")


def test_a_storing_run_still_counting_is_left_alone(alice, aws, clock, settings):
    settings.SCRAPER_STORING_SECONDS = 300
    clock.set(START)
    run = ScrapeRunFactory(owner=alice, status="storing", rows_seen=2, rows_sent=2, progress_at=START)
    clock.set(START + timedelta(seconds=200))
    _store(run, "tt0000001")  # a counted row moves the deadline
    clock.set(START + timedelta(seconds=400))

    assert services.scrape_runs_sweep().line() == (
        "Swept scrapes past their deadline: 0 started again, 0 finished from the stored movies, 0 failed."
    )
    run.refresh_from_db()
    assert run.status == "storing"


def test_a_rescrape_after_the_stream_started_its_numbers_again_is_stored_and_finishes(alice, aws):
    """An emulator restarted without its stream: the new records' sequence numbers are lower than the
    stored movies'. The later run must store and count them (it hung at "storing" 50 % before)."""
    first = ScrapeRunFactory(owner=alice, status="storing", rows_seen=2, rows_sent=2)
    assert _store(first, "tt0000001", sequence="9000") == "stored"
    assert _store(first, "tt0000002", sequence="9001") == "stored"
    again = ScrapeRunFactory(owner=alice, status="storing", rows_seen=2, rows_sent=2)

    outcomes = [_store(again, "tt0000001", sequence="1"), _store(again, "tt0000002", sequence="2")]

    again.refresh_from_db()
    assert outcomes == ["stored", "stored"]
    assert (again.status, again.rows_stored) == ("done", 2)


def test_an_earlier_run_whose_rows_arrive_after_a_later_ones_still_finishes(alice, aws):
    earlier = ScrapeRunFactory(owner=alice, status="storing", rows_seen=1, rows_sent=1)
    later = ScrapeRunFactory(owner=alice, status="storing", rows_seen=1, rows_sent=1)
    _store(later, "tt0000001", sequence="5")

    assert _store(earlier, "tt0000001", sequence="6") == "stored"

    from scraper.dynamo import MovieItem

    assert MovieItem.get(str(alice.pk), "tt0000001").run_id == later.pk  # the later copy stays
    earlier.refresh_from_db()
    assert (earlier.status, earlier.rows_stored) == ("done", 1)


def test_the_scheduled_command_prints_the_summary(alice, aws, clock):
    clock.set(START)
    ScrapeRunFactory(owner=alice, status="fetching", progress_at=START)
    clock.set(START + timedelta(hours=1))

    assert call_command("sweep_scrapes") == (
        "Swept scrapes past their deadline: 1 started again, 0 finished from the stored movies, 0 failed."
    )

"""The whole path on the emulator through the local event runner (core.local.runner.EventRunner):
request -> SQS -> the page from the sandbox -> Kinesis -> the consumers -> DynamoDB and the run."""

import json

import pytest

from core.aws import client
from scraper import selectors, services
from scraper.models import ScrapeRun
from scraper.sandbox.pages import movies as sandbox_movies


def test_a_requested_scrape_ends_with_every_movie_stored(alice, sandbox, runner):
    run = services.scrape_run_request(owner=alice, url=f"{sandbox}/movies/")

    runner.drain()

    run.refresh_from_db()
    assert run.status == ScrapeRun.Status.DONE, runner.stdout.getvalue()
    assert (run.rows_seen, run.rows_sent, run.rows_stored, run.rows_rejected) == (300, 300, 300, 0)
    first = selectors.movie_list(owner=alice, limit=100)
    second = selectors.movie_list(owner=alice, limit=100, cursor=first.next_cursor)
    expected = sorted(m.id for m in sandbox_movies())
    assert [m.movie_id for m in first.movies + second.movies] == expected[:200]


def test_bad_rows_end_in_the_error_table_and_the_good_ones_are_stored(alice, sandbox, runner):
    run = services.scrape_run_request(owner=alice, url=f"{sandbox}/movies/?messy=1&rows=40")

    runner.drain()

    run.refresh_from_db()
    assert (run.status, run.rows_sent, run.rows_stored, run.rows_rejected) == (
        ScrapeRun.Status.DONE,
        40,
        35,
        5,
    )
    reasons = sorted(
        e.reason.split(" ")[0] for e in selectors.scrape_error_list(owner=alice, run_id=run.pk).errors
    )
    assert reasons == ["genres", "id", "primaryTitle", "runtimeMinutes", "startYear"]
    assert "failed" not in runner.stdout.getvalue().replace(", 0 failed", "")


def test_a_poison_record_on_the_stream_does_not_block_the_shard(alice, runner):
    run = ScrapeRun.objects.create(
        owner=alice, url="https://movies.example/", status=ScrapeRun.Status.STORING, rows_seen=1, rows_sent=1
    )
    kinesis = client("kinesis")
    stream = "serverless-django-test-movie-records"
    kinesis.put_record(StreamName=stream, PartitionKey="poison", Data=b"\xff\xfe not even text")
    good = {"id": "tt0292215", "primaryTitle": "Jüri Rumm", "originalTitle": "Jüri Rumm", "isAdult": "False"}
    good |= {
        "startYear": "1994",
        "runtimeMinutes": "90",
        "genres": "Adventure,Drama",
        "scrapeRun": str(run.pk),
    }
    kinesis.put_record(StreamName=stream, PartitionKey="tt0292215", Data=json.dumps(good).encode())

    runner.drain()

    assert [m.movie_id for m in selectors.movie_list(owner=alice).movies] == ["tt0292215"]
    assert ScrapeRun.objects.get(pk=run.pk).status == ScrapeRun.Status.DONE
    assert "retries exhausted" not in runner.stdout.getvalue()
    dlq = client("sqs").get_queue_url(QueueName=f"{stream}-dlq")["QueueUrl"]
    assert "Messages" not in client("sqs").receive_message(QueueUrl=dlq)


def test_an_unreadable_page_ends_as_a_failed_run_with_its_error_listed(alice, sandbox, runner):
    run = services.scrape_run_request(owner=alice, url=f"{sandbox}/movies/?layout=div")

    runner.drain()

    run.refresh_from_db()
    assert (run.status, run.page_errors) == (ScrapeRun.Status.FAILED, 1)
    (error,) = selectors.scrape_error_list(owner=alice, run_id=run.pk).errors
    assert error.error_message == "Couldn't scrape the page"
    assert "div.movie .movieRow" in error.reason


@pytest.mark.parametrize(
    "path",
    ["/nothing-here/", None],  # a 404 page of the sandbox's host; a host where nobody listens
)
def test_a_page_that_cannot_be_fetched_ends_failed_with_its_error_listed_and_counted(
    alice, sandbox, runner, path
):
    url = f"{sandbox}{path}" if path else "http://127.0.0.1:9/movies/"
    run = services.scrape_run_request(owner=alice, url=url)

    runner.drain()

    run.refresh_from_db()
    assert (run.status, run.page_errors, run.errors) == (ScrapeRun.Status.FAILED, 1, 1)
    (error,) = selectors.scrape_error_list(owner=alice, run_id=run.pk).errors
    assert (error.source, error.url, error.reason) == ("page", url, run.failure)
    assert [e.run_id for e in selectors.scrape_error_list(owner=alice).errors] == [run.pk]


def test_the_schedule_scrapes_the_configured_page_for_the_configured_user(alice, sandbox, runner, settings):
    settings.SCRAPER_SCHEDULE_USER = "alice"
    settings.MOVIES_PAGE_URL = f"{sandbox}/movies/?rows=12"
    (timer,) = [t for t in runner.timers if t.schedule.name == "scrape-movies"]

    runner._fire(timer, timer.next_at)
    runner.drain()

    assert "schedule scrape-movies ran" in runner.stdout.getvalue()
    run = ScrapeRun.objects.get(owner=alice)
    assert (run.trigger, run.status, run.rows_stored) == (
        ScrapeRun.Trigger.SCHEDULE,
        ScrapeRun.Status.DONE,
        12,
    )


def test_alices_own_schedule_scrapes_her_page_when_due(alice, sandbox, runner):
    from datetime import timedelta

    from core import clock
    from scraper import selectors, services
    from scraper.models import ScrapeSchedule

    services.scrape_schedule_save(
        owner=alice, url=f"{sandbox}/movies/?rows=7", every_minutes=60, enabled=True
    )
    ScrapeSchedule.objects.filter(owner=alice).update(next_due_at=clock.now() - timedelta(seconds=1))
    (timer,) = [t for t in runner.timers if t.schedule.name == "scrape-schedules"]

    runner._fire(timer, timer.next_at)
    runner.drain()

    run = ScrapeRun.objects.get(owner=alice)
    assert (run.trigger, run.status, run.rows_stored) == (
        ScrapeRun.Trigger.SCHEDULE,
        ScrapeRun.Status.DONE,
        7,
    )
    assert selectors.movie_list(owner=alice).count == 7
    assert ScrapeSchedule.objects.get(owner=alice).last_run == run


def test_the_demo_loads_two_sample_scrapes_through_the_pipeline_once(alice, runner, settings):
    from scraper.demo import load_demo

    assert load_demo(user=alice).startswith("Queued the sample scrapes")
    runner.drain()

    messy, unreadable = ScrapeRun.objects.filter(owner=alice).order_by("pk")
    assert (messy.status, messy.rows_stored, messy.rows_rejected) == (ScrapeRun.Status.DONE, 295, 5)
    assert (unreadable.status, unreadable.page_errors) == (ScrapeRun.Status.FAILED, 1)
    assert load_demo(user=alice) == "Sample scrapes already stored."
    assert ScrapeRun.objects.filter(owner=alice).count() == 2

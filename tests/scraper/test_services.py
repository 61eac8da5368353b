"""Writes of the scraper: starting scrapes, running them, and storing what the streams deliver."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from core import clock
from core.aws import client
from scraper import selectors, services
from scraper.dynamo import MovieItem, ScrapeErrorItem
from scraper.models import ScrapeRun
from tests.scraper.factories import ScrapeRunFactory, kinesis_record, movie_data, next_sequence


def stream_record(data, *, sequence=None, stream="serverless-django-test-movie-records"):
    return services.StreamRecord.from_lambda(kinesis_record(data, sequence=sequence, stream=stream))


def storing_run(owner, *, sent=1):
    return ScrapeRunFactory(owner=owner, status=ScrapeRun.Status.STORING, rows_seen=sent, rows_sent=sent)


def queued_messages():
    sqs = client("sqs")
    url = sqs.get_queue_url(QueueName="serverless-django-test-scrape-requests")["QueueUrl"]
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


# --- starting -------------------------------------------------------------------------------------


def test_a_request_records_a_queued_run_and_queues_it(alice, aws):
    run = services.scrape_run_request(owner=alice, url="https://movies.example/list")

    assert (run.owner, run.status, run.url) == (alice, ScrapeRun.Status.QUEUED, "https://movies.example/list")
    assert queued_messages() == [{"run": run.pk}]


def test_without_a_url_the_configured_page_is_scraped(alice, aws, settings):
    settings.MOVIES_PAGE_URL = "https://movies.example/configured"

    assert services.scrape_run_request(owner=alice).url == "https://movies.example/configured"


def test_without_a_url_or_a_configured_page_the_url_is_a_field_error(alice, settings):
    settings.MOVIES_PAGE_URL = None

    with pytest.raises(ValidationError) as caught:
        services.scrape_run_create(owner=alice, url="", trigger="api")

    assert "url" in caught.value.message_dict


@pytest.mark.parametrize(
    "url", ["ftp://movies.example/", "file:///etc/passwd", "http://user:pw@movies.example/"]
)
def test_a_url_that_cannot_be_scraped_is_a_field_error_and_records_nothing(alice, url):
    with pytest.raises(ValidationError) as caught:
        services.scrape_run_create(owner=alice, url=url, trigger="api")

    assert list(caught.value.message_dict) == ["url"]
    assert not ScrapeRun.objects.exists()


def test_a_private_address_is_a_field_error_on_lambda(alice, settings):
    settings.SCRAPER_ALLOWED_NETWORKS = []

    with pytest.raises(ValidationError, match="10.0.0.8 is a private address"):
        services.scrape_run_create(owner=alice, url="http://10.0.0.8/movies", trigger="api")


def test_a_user_may_have_only_so_many_scrapes_going_at_once(alice, bob, settings):
    settings.SCRAPER_MAX_ACTIVE_RUNS = 2
    ScrapeRunFactory(owner=alice, status=ScrapeRun.Status.QUEUED)
    ScrapeRunFactory(owner=alice, status=ScrapeRun.Status.SENDING)
    ScrapeRunFactory(owner=alice, status=ScrapeRun.Status.DONE)  # finished ones do not count

    with pytest.raises(services.TooManyScrapes, match="already have 2 scrapes"):
        services.scrape_run_create(owner=alice, url="https://movies.example/", trigger="api")
    assert services.scrape_run_create(owner=bob, url="https://movies.example/", trigger="api")


def test_an_interrupted_scrape_no_longer_counts_against_the_limit(alice, settings):
    settings.SCRAPER_MAX_ACTIVE_RUNS = 1
    ScrapeRunFactory(
        owner=alice, status=ScrapeRun.Status.FETCHING, created_at=clock.now() - timedelta(minutes=6)
    )

    assert services.scrape_run_create(owner=alice, url="https://movies.example/", trigger="api")


# --- running --------------------------------------------------------------------------------------


def test_a_queued_run_is_run_once_however_often_it_is_requested(alice, aws, sandbox):
    run = ScrapeRunFactory(owner=alice, url=f"{sandbox}/movies/?rows=5")

    first = services.scrape_run_execute(run_id=run.pk)
    again = services.scrape_run_execute(run_id=run.pk)

    assert (first.status, first.rows_seen, first.rows_sent) == (ScrapeRun.Status.STORING, 5, 5)
    assert again is None
    assert ScrapeRun.objects.get(pk=run.pk).rows_sent == 5


def test_a_page_that_does_not_answer_fails_the_run_with_a_reason(alice, aws):
    run = ScrapeRunFactory(owner=alice, url="http://127.0.0.1:9/movies/")  # discard port: nobody listens

    run = services.scrape_run_execute(run_id=run.pk)

    assert run.status == ScrapeRun.Status.FAILED
    assert run.failure == "The movies page could not be reached."


def test_a_refused_address_fails_the_run_without_fetching(alice, aws, settings):
    settings.SCRAPER_ALLOWED_NETWORKS = []
    run = ScrapeRunFactory(owner=alice, url="http://127.0.0.1:9/movies/")

    run = services.scrape_run_execute(run_id=run.pk)

    assert run.failure == "Scraping 127.0.0.1 is not allowed: 127.0.0.1 is a loopback address."


def test_an_unreadable_page_goes_to_the_error_stream_and_fails_the_run(alice, aws, sandbox):
    from tests.scraper.test_producer import stream_tail

    read = stream_tail("serverless-django-test-scrape-error-records")
    run = ScrapeRunFactory(owner=alice, url=f"{sandbox}/movies/?layout=div&rows=4")

    run = services.scrape_run_execute(run_id=run.pk)

    assert run.status == ScrapeRun.Status.FAILED
    assert run.failure.startswith("Couldn't scrape the page: The page lists 4 movies as div.movie .movieRow")
    (record,) = read()
    body = json.loads(record["Data"])
    assert body["error_message"] == "Couldn't scrape the page"
    assert (body["scrapeRun"], body["url"]) == (str(run.pk), run.url)
    assert body["content"].startswith("<!doctype html>")
    assert len(body["content"]) <= 2000
    assert record["PartitionKey"] == str(run.pk)


def test_a_movie_listed_twice_on_a_page_is_sent_once(alice, aws):
    run = ScrapeRunFactory(owner=alice, status=ScrapeRun.Status.SENDING)
    row = (
        "<tr><td>tt0000001</td><td>A</td><td>A</td><td>False</td><td>2000</td><td>90</td><td>Drama</td></tr>"
    )
    html = f'<table class="movieTable"><tbody>{row}{row}</tbody></table>'

    run = services.scrape_run_process_page(run=run, text=html)

    assert (run.rows_seen, run.rows_sent, run.rows_duplicate) == (2, 1, 1)


def test_a_page_without_movies_is_done_at_once(alice, aws):
    run = ScrapeRunFactory(owner=alice, status=ScrapeRun.Status.SENDING)

    run = services.scrape_run_process_page(run=run, text='<table class="movieTable"></table>')

    assert (run.status, run.rows_seen) == (ScrapeRun.Status.DONE, 0)


# --- storing --------------------------------------------------------------------------------------


def test_a_movie_record_is_stored_typed_and_counted(alice, aws):
    run = storing_run(alice)

    assert services.movie_record_store(record=stream_record(movie_data(run))) == "stored"

    movie = selectors.movie_get(owner=alice, movie_id="tt0292215")
    assert (movie.primary_title, movie.start_year, movie.runtime_minutes) == ("Jüri Rumm", 1994, 90)
    assert (movie.genres, movie.is_adult) == (["Adventure", "Drama"], False)
    run.refresh_from_db()
    assert (run.rows_stored, run.status) == (1, ScrapeRun.Status.DONE)


def test_a_redelivered_record_changes_nothing_and_counts_once(alice, aws):
    run = storing_run(alice, sent=2)
    record = stream_record(movie_data(run))
    services.movie_record_store(record=record)
    stored = MovieItem.get(str(alice.pk), "tt0292215").attribute_values

    assert services.movie_record_store(record=record) == "duplicate"

    assert MovieItem.get(str(alice.pk), "tt0292215").attribute_values == stored
    run.refresh_from_db()
    assert (run.rows_stored, run.status) == (1, ScrapeRun.Status.STORING)


def test_a_record_stored_but_not_counted_before_the_function_died_is_counted_on_redelivery(alice, aws):
    run = storing_run(alice)
    record = stream_record(movie_data(run))
    movie = services.records.movie_from_payload(services.records.decode(record.data))
    services._movie_put(owner_id=alice.pk, movie=movie, sequence=record.sequence)  # then it died

    assert services.movie_record_store(record=record) == "stored"
    assert services.movie_record_store(record=record) == "duplicate"

    run.refresh_from_db()
    assert (run.rows_stored, run.status) == (1, ScrapeRun.Status.DONE)


def test_the_same_runs_row_sent_twice_is_stored_and_counted_once(alice, aws):
    run = storing_run(alice)
    services.movie_record_store(record=stream_record(movie_data(run)))

    assert services.movie_record_store(record=stream_record(movie_data(run))) == "duplicate"

    assert ScrapeRun.objects.get(pk=run.pk).rows_stored == 1


def test_a_later_scrape_updates_the_movie_and_counts_on_its_own_run(alice, aws):
    first, second = storing_run(alice), storing_run(alice)
    services.movie_record_store(record=stream_record(movie_data(first)))

    services.movie_record_store(record=stream_record(movie_data(second, primaryTitle="Jüri Rumm (restored)")))

    assert selectors.movie_get(owner=alice, movie_id="tt0292215").primary_title == "Jüri Rumm (restored)"
    assert [ScrapeRun.objects.get(pk=r.pk).rows_stored for r in (first, second)] == [1, 1]


def test_an_older_record_replayed_after_a_newer_one_does_not_overwrite_it(alice, aws):
    first, second = storing_run(alice), storing_run(alice)
    old = stream_record(movie_data(first, primaryTitle="Old"))
    new = stream_record(movie_data(second, primaryTitle="New"))
    services.movie_record_store(record=old)
    services.movie_record_store(record=new)

    assert services.movie_record_store(record=old) == "duplicate"

    assert selectors.movie_get(owner=alice, movie_id="tt0292215").primary_title == "New"


def test_a_movie_whose_genres_and_year_change_moves_in_the_filtered_lists(alice, aws):
    first, second = storing_run(alice), storing_run(alice)
    services.movie_record_store(record=stream_record(movie_data(first, genres="Drama", startYear="1994")))

    services.movie_record_store(
        record=stream_record(movie_data(second, genres="Comedy,War", startYear="2001"))
    )

    ids = lambda **filters: [m.movie_id for m in selectors.movie_list(owner=alice, **filters).movies]  # noqa: E731
    assert ids(genre="Drama") == []
    assert ids(genre="war") == ids(genre="Comedy") == ["tt0292215"]
    assert ids(year_from=1990, year_to=1999) == []
    assert ids(year_from=2001, year_to=2001) == ["tt0292215"]


def test_a_malformed_record_goes_to_the_error_table_and_counts_as_rejected(alice, aws):
    run = storing_run(alice)

    assert services.movie_record_store(record=stream_record(movie_data(run, startYear="19x4"))) == "rejected"

    (error,) = selectors.scrape_error_list(owner=alice).errors
    assert (error.run_id, error.source, error.movie_id) == (run.pk, "record", "tt0292215")
    assert error.reason.startswith("startYear '19x4' is not a year")
    assert json.loads(error.snippet)["startYear"] == "19x4"
    run.refresh_from_db()
    assert (run.rows_rejected, run.status) == (1, ScrapeRun.Status.DONE)
    with pytest.raises(selectors.MovieNotFound):
        selectors.movie_get(owner=alice, movie_id="tt0292215")


def test_a_malformed_record_redelivered_is_one_error_counted_once(alice, aws):
    run = storing_run(alice, sent=2)
    record = stream_record(b"{not json")
    record = services.StreamRecord(
        data=json.dumps({"scrapeRun": str(run.pk), "id": "tt0000001"}).encode(),
        stream=record.stream,
        shard=record.shard,
        sequence=record.sequence,
        arrived_at=record.arrived_at,
    )
    services.movie_record_store(record=record)
    services.movie_record_store(record=record)

    assert len(selectors.scrape_error_list(owner=alice).errors) == 1
    assert ScrapeRun.objects.get(pk=run.pk).rows_rejected == 1


def test_a_record_naming_no_existing_run_is_kept_as_an_orphan_error(alice, aws):
    data = json.dumps({"id": "tt0000001", "scrapeRun": "999999"}).encode()

    assert services.movie_record_store(record=stream_record(data)) == "rejected"

    (orphan,) = ScrapeErrorItem.query("-")
    assert orphan.reason.startswith("Scrape run 999999 does not exist.")
    assert selectors.scrape_error_list(owner=alice).errors == []


def test_a_page_error_record_is_stored_once_and_counted_on_its_run(alice, aws):
    run = ScrapeRunFactory(owner=alice, status=ScrapeRun.Status.FAILED)
    data = services.records.page_error_record(url=run.url, reason="no table", content="<html>", run_id=run.pk)
    record = stream_record(data, stream="serverless-django-test-scrape-error-records")

    assert services.page_error_store(record=record) is True
    assert services.page_error_store(record=record) is False

    (error,) = selectors.scrape_error_list(owner=alice, run_id=run.pk).errors
    assert (error.source, error.error_message, error.reason, error.url) == (
        "page",
        "Couldn't scrape the page",
        "no table",
        run.url,
    )
    assert ScrapeRun.objects.get(pk=run.pk).page_errors == 1


def test_records_of_two_shards_are_counted_separately(alice, aws):
    run = storing_run(alice, sent=2)
    one = kinesis_record(movie_data(run, id="tt0000001"), sequence=next_sequence())
    two = kinesis_record(
        movie_data(run, id="tt0000002"), sequence=str(int(one["kinesis"]["sequenceNumber"]) - 5)
    )
    two["eventID"] = two["eventID"].replace("shardId-000000000000", "shardId-000000000001")

    for record in (one, two):
        services.movie_record_store(record=services.StreamRecord.from_lambda(record))

    run.refresh_from_db()
    assert (run.rows_stored, run.status) == (2, ScrapeRun.Status.DONE)

"""A filtered list as CSV (streamed, bounded), and deleting a run, with or without its movies."""

import csv
import io

import pytest

from scraper import services
from scraper.dynamo import MovieItem, ScrapeErrorItem
from scraper.models import MovieListing, ScrapeRun
from tests.scraper.factories import ScrapeRunFactory, kinesis_record, movie_data

ROWS = [
    {"id": "tt0000001", "primaryTitle": "Õhtu", "startYear": "1994", "genres": "Drama"},
    {"id": "tt0000002", "primaryTitle": '=HYPERLINK("x")', "startYear": "1961", "genres": "Drama,War"},
    {"id": "tt0000003", "primaryTitle": "Echo", "startYear": "2001", "genres": "Comedy"},
]


def read_csv(response) -> list[dict[str, str]]:
    assert response.streaming
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def stored(alice, aws, store_movies):
    run = store_movies(alice, ROWS)
    ScrapeRun.objects.filter(pk=run.pk).update(status=ScrapeRun.Status.DONE)
    run.refresh_from_db()
    return run


def test_the_export_holds_the_filtered_movies_in_the_lists_order(alice_client, stored):
    answer = alice_client.get("/scraper/movies/export.csv", {"genre": "drama", "sort": "year"})

    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="movies.csv"' in answer["Content-Disposition"]
    rows = read_csv(answer)
    assert [row["id"] for row in rows] == ["tt0000002", "tt0000001"]
    assert rows[1] == {
        "id": "tt0000001",
        "primaryTitle": "Õhtu",
        "originalTitle": "Jüri Rumm",
        "isAdult": "False",
        "startYear": "1994",
        "runtimeMinutes": "90",
        "genres": "Drama",
    }


def test_a_title_that_looks_like_a_formula_is_exported_as_text(alice_client, stored):
    rows = read_csv(alice_client.get("/scraper/movies/export.csv", {"sort": "year"}))

    assert rows[0]["primaryTitle"] == '\'=HYPERLINK("x")'


def test_the_export_is_bounded_and_one_query(alice_client, stored, settings, django_assert_max_num_queries):
    settings.SCRAPER_EXPORT_MAX_ROWS = 2
    with django_assert_max_num_queries(4):  # session user + the rows (chunked on one cursor)
        rows = read_csv(alice_client.get("/scraper/movies/export.csv"))

    assert [row["id"] for row in rows] == ["tt0000001", "tt0000002"]
    assert "(the first 2)" in alice_client.get("/scraper/movies/").content.decode()


def test_bad_filters_export_nothing(alice_client, stored):
    assert alice_client.get("/scraper/movies/export.csv", {"year_from": "abc"}).status_code == 400
    assert alice_client.get("/scraper/movies/export.csv", {"sort": "rating"}).status_code == 400


def test_bob_exports_none_of_alices_movies(bob, stored):
    from django.test import Client

    client = Client()
    client.force_login(bob)
    assert read_csv(client.get("/scraper/movies/export.csv")) == []


# --- deleting a run ----------------------------------------------------------------------------------


def _error_of(run):
    from scraper.records import page_error_record

    data = page_error_record(url=run.url, reason="x", content="<div>", run_id=run.pk)
    stream = "serverless-django-test-scrape-error-records"
    services.page_error_store(record=services.StreamRecord.from_lambda(kinesis_record(data, stream=stream)))


def test_deleting_a_run_asks_first_and_keeps_its_movies_by_default(alice_client, alice, stored):
    _error_of(stored)
    confirm = alice_client.get(f"/scraper/runs/{stored.pk}/delete/").content.decode()
    assert "It stored 3 movies" in confirm
    assert "Delete the movies it stored too" in confirm

    answer = alice_client.post(f"/scraper/runs/{stored.pk}/delete/", {"movies": "keep"}, follow=True)

    assert f"Deleted scrape {stored.pk} and its 1 error." in answer.content.decode()
    assert not ScrapeRun.objects.filter(pk=stored.pk).exists()
    assert MovieListing.objects.filter(owner=alice).count() == 3
    assert len(list(MovieItem.query(str(alice.pk)))) == 3
    assert list(ScrapeErrorItem.by_run.query(stored.pk)) == []
    movie = alice_client.get("/scraper/movies/tt0000001/").content.decode()
    assert "a deleted scrape" in movie


def test_deleting_a_run_with_its_movies_leaves_a_later_runs_copy(alice_client, alice, stored):
    later = ScrapeRunFactory(owner=alice, status=ScrapeRun.Status.STORING, rows_sent=1)
    record = kinesis_record(movie_data(later, id="tt0000003", primaryTitle="Echo again"))
    services.movie_record_store(record=services.StreamRecord.from_lambda(record))
    ScrapeRun.objects.filter(pk=later.pk).update(status=ScrapeRun.Status.DONE)

    answer = alice_client.post(f"/scraper/runs/{stored.pk}/delete/", {"movies": "delete"}, follow=True)

    assert f"Deleted scrape {stored.pk}, its 2 movies and its 0 errors." in answer.content.decode()
    assert [m.movie_id for m in MovieItem.query(str(alice.pk))] == ["tt0000003"]
    assert list(MovieListing.objects.filter(owner=alice).values_list("movie_id", "run_id")) == [
        ("tt0000003", later.pk)
    ]


def test_a_run_in_flight_cannot_be_deleted(alice_client, alice, stored):
    running = ScrapeRunFactory(owner=alice, status=ScrapeRun.Status.STORING)

    assert alice_client.post(f"/scraper/runs/{running.pk}/delete/", {"movies": "keep"}).status_code == 400
    answer = alice_client.post(f"/scraper/runs/{stored.pk}/delete/", {"movies": "delete"})
    assert answer.status_code == 400
    assert "Wait until your scrapes in flight have finished" in answer.content.decode()
    assert ScrapeRun.objects.filter(pk=stored.pk).exists()
    assert MovieListing.objects.filter(owner=alice).count() == 3


def test_bob_cannot_delete_alices_run(bob, stored):
    from django.test import Client

    client = Client()
    client.force_login(bob)
    assert client.post(f"/scraper/runs/{stored.pk}/delete/", {"movies": "delete"}).status_code == 404
    assert ScrapeRun.objects.filter(pk=stored.pk).exists()


def test_the_api_deletes_a_finished_run_and_with_movies_its_movies(api_alice, api_bob, alice, stored):
    assert api_bob.delete(f"/api/scrapes/{stored.pk}/?movies=true").status_code == 404

    assert api_alice.delete(f"/api/scrapes/{stored.pk}/?movies=true").status_code == 204

    assert not ScrapeRun.objects.filter(pk=stored.pk).exists()
    assert list(MovieItem.query(str(alice.pk))) == []
    assert api_alice.get("/api/movies/").json()["count"] == 0
    assert api_alice.delete(f"/api/scrapes/{stored.pk}/").status_code == 404
    assert api_alice.delete("/api/scrapes/99999999999999999999/").status_code == 404

"""The scraper API: scrapes, movies and errors, each user's own; 400s with field errors, 404s, 429."""

import pytest
from rest_framework.test import APIClient

from scraper.models import ScrapeRun
from tests.scraper.factories import ScrapeRunFactory

ROWS = [
    {"id": "tt0000001", "primaryTitle": "Õhtu", "startYear": "1994", "genres": "Drama"},
    {"id": "tt0000002", "primaryTitle": "Night Road", "startYear": "2020", "genres": "Sci-Fi,War"},
]


@pytest.fixture
def alices_movies(alice, aws, store_movies):
    return store_movies(alice, ROWS)


# --- scrapes --------------------------------------------------------------------------------------


def test_alice_starts_a_scrape_and_gets_the_queued_run(api_alice, alice, aws):
    response = api_alice.post("/api/scrapes/", {"url": "https://movies.example/list"}, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["url"], body["trigger"], body["finished"]) == (
        "queued",
        "https://movies.example/list",
        "api",
        False,
    )
    assert ScrapeRun.objects.get(pk=body["id"]).owner == alice


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"url": "ftp://movies.example/"}, "url"),
        ({"url": "x" * 2001}, "url"),
        ({"url": ["not", "a", "string"]}, "url"),
    ],
)
def test_a_bad_url_is_a_400_naming_the_field(api_alice, aws, payload, field):
    response = api_alice.post("/api/scrapes/", payload, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not ScrapeRun.objects.exists()


def test_too_many_scrapes_at_once_is_a_429(api_alice, alice, aws, settings):
    settings.SCRAPER_MAX_ACTIVE_RUNS = 1
    ScrapeRunFactory(owner=alice, status=ScrapeRun.Status.QUEUED)

    response = api_alice.post("/api/scrapes/", {"url": "https://movies.example/"}, format="json")

    assert response.status_code == 429
    assert "already have 1 scrape queued" in response.json()["detail"]


def test_a_queue_that_refuses_the_request_is_a_503_and_the_run_says_why(api_alice, alice, aws, settings):
    settings.AWS_RESOURCE_PREFIX = "nowhere-"  # no such queue

    response = api_alice.post("/api/scrapes/", {"url": "https://movies.example/"}, format="json")

    assert response.status_code == 503
    run = ScrapeRun.objects.get(owner=alice)
    assert run.status == ScrapeRun.Status.FAILED
    assert run.failure.startswith("The scrape could not be queued")


def test_each_user_lists_and_reads_only_their_own_scrapes(api_alice, api_bob, alice, bob):
    mine = ScrapeRunFactory(owner=alice)
    theirs = ScrapeRunFactory(owner=bob)

    assert [r["id"] for r in api_alice.get("/api/scrapes/").json()["results"]] == [mine.pk]
    assert api_alice.get(f"/api/scrapes/{mine.pk}/").json()["id"] == mine.pk
    assert api_alice.get(f"/api/scrapes/{theirs.pk}/").status_code == 404
    assert api_bob.get(f"/api/scrapes/{mine.pk}/").status_code == 404
    assert api_alice.get("/api/scrapes/abc/").status_code == 404


def test_a_run_reports_its_progress(api_alice, alice):
    run = ScrapeRunFactory(
        owner=alice, status=ScrapeRun.Status.STORING, rows_seen=10, rows_sent=10, rows_stored=5
    )

    body = api_alice.get(f"/api/scrapes/{run.pk}/").json()

    assert (body["rows_stored"], body["progress_percent"], body["finished"]) == (5, 75, False)


def test_the_error_count_is_what_the_errors_list_holds_not_the_unsent_rows(api_alice, alice_client, alice):
    run = ScrapeRunFactory(
        owner=alice,
        status=ScrapeRun.Status.STORING,
        rows_seen=10,
        rows_sent=7,
        rows_unsent=3,
        rows_rejected=2,
    )

    body = api_alice.get(f"/api/scrapes/{run.pk}/").json()
    page = alice_client.get(f"/scraper/runs/{run.pk}/").content.decode()

    assert (body["error_count"], body["rows_unsent"]) == (2, 3)
    assert '<dd data-field="error_count">2</dd>' in page


def test_the_scrape_list_runs_the_same_queries_for_one_run_or_thirty(
    api_alice, alice, django_assert_max_num_queries
):
    ScrapeRunFactory(owner=alice)
    with django_assert_max_num_queries(2) as one:
        api_alice.get("/api/scrapes/")
    ScrapeRunFactory.create_batch(29, owner=alice)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(api_alice.get("/api/scrapes/").json()["results"]) == 20


# --- movies ---------------------------------------------------------------------------------------


def test_movies_are_listed_filtered_and_read_one_by_one(api_alice, alices_movies):
    listed = api_alice.get("/api/movies/").json()
    drama = api_alice.get("/api/movies/", {"genre": "drama"}).json()
    one = api_alice.get("/api/movies/tt0000002/").json()

    assert [m["id"] for m in listed["results"]] == ["tt0000001", "tt0000002"]
    assert listed["next"] is None
    assert [m["id"] for m in drama["results"]] == ["tt0000001"]
    assert one == {
        "id": "tt0000002",
        "primary_title": "Night Road",
        "original_title": "Jüri Rumm",
        "is_adult": False,
        "start_year": 2020,
        "runtime_minutes": 90,
        "genres": ["Sci-Fi", "War"],
    }


def test_the_next_link_carries_the_filters_and_the_cursor(api_alice, alices_movies):
    first = api_alice.get("/api/movies/", {"page_size": 1, "title": "o"}).json()

    assert "title=o" in first["next"]
    assert "cursor=" in first["next"]
    second = api_alice.get(first["next"]).json()
    assert [m["id"] for m in second["results"]] == ["tt0000002"]
    assert second["next"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"year_from": "abc"}, "year_from"),
        ({"year_to": "1200"}, "year_to"),
        ({"year_from": "2000", "year_to": "1990"}, "year_from"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"genre": "g" * 41}, "genre"),
        ({"title": "t" * 101}, "title"),
    ],
)
def test_bad_movie_filters_are_a_400_naming_the_field(api_alice, aws, query, field):
    response = api_alice.get("/api/movies/", query)

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_bob_gets_none_of_alices_movies(api_bob, alices_movies):
    assert api_bob.get("/api/movies/").json()["results"] == []
    assert api_bob.get("/api/movies/tt0000001/").status_code == 404
    assert api_bob.get("/api/movies/", {"genre": "drama"}).json()["results"] == []


def test_an_unknown_movie_is_a_404(api_alice, aws):
    assert api_alice.get("/api/movies/tt9999999/").json() == {"detail": "No such movie."}


# --- errors ---------------------------------------------------------------------------------------


def test_errors_are_listed_for_their_owner_and_per_run(api_alice, api_bob, alice, aws, store_movies):
    from scraper import services
    from tests.scraper.factories import kinesis_record, movie_data

    run = ScrapeRunFactory(owner=alice)
    services.movie_record_store(
        record=services.StreamRecord.from_lambda(kinesis_record(movie_data(run, isAdult="sometimes")))
    )

    (error,) = api_alice.get("/api/scrape-errors/", {"run": run.pk}).json()["results"]
    assert (error["run"], error["kind"], error["movie_id"]) == (run.pk, "record", "tt0292215")
    assert api_bob.get("/api/scrape-errors/").json()["results"] == []
    assert api_bob.get("/api/scrape-errors/", {"run": run.pk}).status_code == 404
    assert api_alice.get("/api/scrape-errors/", {"run": "abc"}).status_code == 400


def test_without_a_login_nothing_is_served(aws):
    client = APIClient()
    for path in ("/api/scrapes/", "/api/movies/", "/api/movies/tt0000001/", "/api/scrape-errors/"):
        assert client.get(path).status_code in (401, 403), path
    assert client.post("/api/scrapes/", {}, format="json").status_code in (401, 403)


def test_the_schema_describes_every_answer(api_alice):
    paths = api_alice.get("/api/schema/", {"format": "json"}).json()["paths"]

    # Beside what every operation documents (400/401/403/413/429, config/schema_hooks.py): the
    # scrape's 201 and its 503 when the queue cannot be reached, a movie's 404.
    assert set(paths["/api/scrapes/"]["post"]["responses"]) >= {"201", "400", "429", "503"}
    assert set(paths["/api/movies/"]["get"]["responses"]) >= {"200", "400"}
    assert "404" not in paths["/api/movies/"]["get"]["responses"]  # a cursor, never a page past the end
    assert set(paths["/api/movies/{id}/"]["get"]["responses"]) >= {"200", "404"}
    assert set(paths["/api/scrape-errors/"]["get"]["responses"]) >= {"200", "400", "404"}
    params = {p["name"] for p in paths["/api/movies/"]["get"]["parameters"]}
    assert params == {"genre", "year_from", "year_to", "title", "sort", "cursor", "page_size"}


def test_a_page_past_the_last_one_is_a_404_as_the_schema_says(api_alice, alice):
    ScrapeRunFactory(owner=alice)

    assert api_alice.get("/api/scrapes/", {"page": 2}).status_code == 404
    paths = api_alice.get("/api/schema/", {"format": "json"}).json()["paths"]
    assert set(paths["/api/scrapes/"]["get"]["responses"]) >= {"200", "404"}


def test_an_empty_filter_filters_nothing_but_an_empty_page_size_is_refused(api_alice, store_movies, alice):
    store_movies(alice, [{"id": "tt0000001"}, {"id": "tt0000002", "genres": "Comedy"}])

    everything = api_alice.get("/api/movies/", {"title": "", "genre": "", "cursor": ""})
    refused = api_alice.get("/api/movies/?page_size=&year_from=")

    assert everything.status_code == 200
    assert [m["id"] for m in everything.json()["results"]] == ["tt0000001", "tt0000002"]
    assert refused.status_code == 400
    assert set(refused.json()) == {"page_size", "year_from"}


def test_a_page_of_movies_is_published_as_one_object_not_an_array(api_alice):
    paths = api_alice.get("/api/schema/", {"format": "json"}).json()["paths"]

    for path in ("/api/movies/", "/api/scrape-errors/"):
        schema = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert "$ref" in schema, (path, schema)

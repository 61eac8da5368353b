"""The movie list's count, sorts and pages both ways, kept on the relational side by the stream
consumer (never a Scan), and a movie's own page."""

import pytest
from django.core.exceptions import ValidationError

from scraper import selectors, services
from scraper.events import on_movie_records
from scraper.models import MovieListing, ScrapeRun
from tests.scraper.factories import ScrapeRunFactory, kinesis_event, kinesis_record, movie_data

MOVIES = [
    {"id": "tt0000001", "primaryTitle": "Õhtu", "startYear": "1994", "genres": "Drama"},
    {"id": "tt0000002", "primaryTitle": "The Road", "startYear": "1961", "genres": "Drama,War"},
    {"id": "tt0000003", "primaryTitle": "winter", "startYear": "N/A", "genres": "Drama"},
    {"id": "tt0000004", "primaryTitle": "Echo", "startYear": "2001", "genres": "Comedy"},
    {"id": "tt0000005", "primaryTitle": "Straße", "startYear": "1994", "genres": "N/A"},
    {"id": "tt0000006", "primaryTitle": "Night Road", "startYear": "2020", "genres": "Sci-Fi,War"},
]


@pytest.fixture
def library(alice, aws, store_movies):
    return store_movies(alice, MOVIES)


def ids(page):
    return [m.movie_id for m in page.movies]


def walk(owner, **options):
    """Every page forward, then every page back from the last: the ids both ways."""
    pages, cursor = [], None
    while True:
        page = selectors.movie_list(owner=owner, cursor=cursor, limit=2, **options)
        pages.append(ids(page))
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    back = [ids(page)]
    while page.previous_cursor is not None:
        page = selectors.movie_list(owner=owner, cursor=page.previous_cursor, limit=2, **options)
        back.append(ids(page))
    return pages, back[::-1]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("id", ["tt0000001", "tt0000002", "tt0000003", "tt0000004", "tt0000005", "tt0000006"]),
        ("title", ["tt0000004", "tt0000006", "tt0000001", "tt0000005", "tt0000002", "tt0000003"]),
        ("-title", ["tt0000003", "tt0000002", "tt0000005", "tt0000001", "tt0000006", "tt0000004"]),
        ("year", ["tt0000002", "tt0000001", "tt0000005", "tt0000004", "tt0000006", "tt0000003"]),
        ("-year", ["tt0000006", "tt0000004", "tt0000001", "tt0000005", "tt0000002", "tt0000003"]),
    ],
)
def test_each_sort_pages_forward_and_back_to_the_same_pages(alice, library, sort, expected):
    forward, backward = walk(alice, sort=sort)

    assert sum(forward, []) == expected
    assert backward == forward


def test_the_first_page_has_no_previous_and_the_last_no_next(alice, library):
    first = selectors.movie_list(owner=alice, limit=4)
    last = selectors.movie_list(owner=alice, limit=4, cursor=first.next_cursor)

    assert first.previous_cursor is None
    assert first.next_cursor is not None
    assert ids(last) == ["tt0000005", "tt0000006"]
    assert last.next_cursor is None
    assert last.previous_cursor is not None


def test_the_count_is_of_the_whole_filter_on_every_page(alice, library):
    assert selectors.movie_list(owner=alice, limit=2).count == 6
    drama = selectors.movie_list(owner=alice, genre="DRAMA", limit=1)
    assert drama.count == 3
    assert selectors.movie_list(owner=alice, genre="drama", limit=1, cursor=drama.next_cursor).count == 3
    assert selectors.movie_list(owner=alice, title="road", year_from=2000).count == 1
    assert selectors.movie_list(owner=alice, year_from=1990, year_to=2001).count == 3


def test_a_movie_stored_again_is_counted_once(alice, library):
    again = ScrapeRunFactory(owner=alice, status=ScrapeRun.Status.STORING, rows_sent=2)
    records = [kinesis_record(movie_data(again, id="tt0000001", primaryTitle="Õhtu (restored)"))] * 2
    on_movie_records(kinesis_event(records), None)  # the same record twice, from a later run
    on_movie_records(kinesis_event(records), None)  # and the batch redelivered

    page = selectors.movie_list(owner=alice, limit=10)
    assert page.count == 6
    assert page.movies[0].primary_title == "Õhtu (restored)"
    assert MovieListing.objects.get(owner=alice, movie_id="tt0000001").run_id == again.pk


def test_an_older_runs_record_arriving_late_does_not_overwrite_the_listing(alice, library):
    later = ScrapeRunFactory(owner=alice, status=ScrapeRun.Status.STORING, rows_sent=1)
    older = ScrapeRunFactory(owner=alice, status=ScrapeRun.Status.STORING, rows_sent=1)
    ScrapeRun.objects.filter(pk=later.pk).update(id=older.pk + 1)
    later = ScrapeRun.objects.get(pk=older.pk + 1)
    on_movie_records(kinesis_event([kinesis_record(movie_data(later, id="tt0000009", primaryTitle="New"))]))
    on_movie_records(kinesis_event([kinesis_record(movie_data(older, id="tt0000009", primaryTitle="Old"))]))

    assert MovieListing.objects.get(owner=alice, movie_id="tt0000009").primary_title == "New"
    assert selectors.movie_detail(owner=alice, movie_id="tt0000009").movie.primary_title == "New"


def test_a_cursor_works_only_with_its_own_sort_and_a_bad_sort_is_a_field_error(alice, library):
    by_title = selectors.movie_list(owner=alice, sort="title", limit=2)
    with pytest.raises(ValidationError) as caught:
        selectors.movie_list(owner=alice, sort="year", cursor=by_title.next_cursor)
    assert list(caught.value.message_dict) == ["cursor"]
    with pytest.raises(ValidationError) as caught:
        selectors.movie_list(owner=alice, sort="rating")
    assert list(caught.value.message_dict) == ["sort"]


def test_lists_and_counts_never_touch_dynamodb(alice, library, dynamodb_operations):
    selectors.movie_list(owner=alice, sort="title", genre="drama", title="o")
    list(selectors.movie_export_rows(owner=alice, sort="-year", limit=100))

    assert dynamodb_operations == []


def test_the_listing_is_rebuilt_from_the_owners_partition_with_queries_only(
    alice, library, dynamodb_operations
):
    MovieListing.objects.filter(owner=alice).delete()

    assert services.movie_listings_rebuild(owner=alice) == 6
    assert selectors.movie_list(owner=alice).count == 6
    assert set(dynamodb_operations) == {"Query"}


# --- pages ---------------------------------------------------------------------------------------


def test_the_movies_page_says_how_many_match_and_pages_both_ways(alice_client, library):
    answer = alice_client.get("/scraper/movies/", {"genre": "drama", "sort": "-year"})
    page = answer.content.decode()
    assert "3 movies</strong> match these filters" in page
    assert "Previous page" not in page
    assert "Next page" not in page
    assert ids(answer.context["page"]) == ["tt0000001", "tt0000002", "tt0000003"]


def test_the_movies_page_runs_the_same_queries_for_a_few_movies_or_many(
    alice, alice_client, store_movies, django_assert_max_num_queries
):
    store_movies(alice, MOVIES[:2])
    with django_assert_max_num_queries(8) as few:
        alice_client.get("/scraper/movies/", {"sort": "title"})
    store_movies(alice, [{"id": f"tt10000{n:02d}", "primaryTitle": f"Film {n}"} for n in range(70)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = alice_client.get("/scraper/movies/", {"sort": "title"})
    body = page.content.decode()
    assert "72 movies" in body
    assert "Next page" in body
    cursor = page.context["page"].next_cursor
    with django_assert_max_num_queries(len(few.captured_queries)):
        second = alice_client.get("/scraper/movies/", {"sort": "title", "cursor": cursor})
    assert "Previous page" in second.content.decode()


def test_a_movie_has_its_own_page_naming_the_scrape_that_stored_it(alice_client, bob, library):
    from django.test import Client

    page = alice_client.get("/scraper/movies/tt0000002/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "The Road" in body
    assert "Drama, War" in body
    assert f"scrape {library.pk}" in body

    assert alice_client.get("/scraper/movies/tt9999999/").status_code == 404
    bobs = Client()
    bobs.force_login(bob)
    assert bobs.get("/scraper/movies/tt0000002/").status_code == 404


def test_the_list_links_each_movie_to_its_page(alice_client, library):
    assert 'href="/scraper/movies/tt0000004/"' in alice_client.get("/scraper/movies/").content.decode()


# --- API -----------------------------------------------------------------------------------------


def test_the_api_page_has_the_count_the_sort_and_both_links(api_alice, library):
    first = api_alice.get("/api/movies/", {"sort": "year", "page_size": 2}).json()
    assert (first["count"], first["sort"], first["previous"]) == (6, "year", None)
    second = api_alice.get(first["next"]).json()
    assert [m["id"] for m in second["results"]] == ["tt0000005", "tt0000004"]
    back = api_alice.get(second["previous"]).json()
    assert back["results"] == first["results"]


def test_a_bad_sort_is_a_400_naming_the_field(api_alice, aws):
    answer = api_alice.get("/api/movies/", {"sort": "rating"})
    assert answer.status_code == 400
    assert "sort" in answer.json()


def test_the_command_lists_movies_stored_before_the_listing_existed(alice, library):
    from django.core.management import call_command

    MovieListing.objects.all().delete()

    assert call_command("rebuild_movie_listings") == "Listed 6 movies of 1 users."
    assert selectors.movie_list(owner=alice).count == 6


def test_the_api_page_runs_the_same_queries_for_a_few_movies_or_many(
    alice, api_alice, aws, store_movies, django_assert_max_num_queries
):
    store_movies(alice, MOVIES[:2])
    with django_assert_max_num_queries(6) as few:
        api_alice.get("/api/movies/", {"sort": "-year"})
    store_movies(alice, [{"id": f"tt10000{n:02d}", "primaryTitle": f"Film {n}"} for n in range(40)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        answer = api_alice.get("/api/movies/", {"sort": "-year"})
    assert answer.json()["count"] == 42

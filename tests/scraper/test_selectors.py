"""Reads: movies filtered by genre, years and title, paged by cursor, always Queries (never Scans)."""

import pytest
from django.core.exceptions import ValidationError

from scraper import selectors, services
from tests.scraper.factories import ScrapeRunFactory, kinesis_record, movie_data

MOVIES = [
    {
        "id": "tt0000001",
        "primaryTitle": "Õhtu",
        "originalTitle": "Õhtu",
        "startYear": "1994",
        "genres": "Drama",
    },
    {
        "id": "tt0000002",
        "primaryTitle": "The Road",
        "originalTitle": "Дорога",
        "startYear": "1961",
        "genres": "Drama,War",
    },
    {
        "id": "tt0000003",
        "primaryTitle": "Winter",
        "originalTitle": "Зима",
        "startYear": "N/A",
        "genres": "Drama",
    },
    {
        "id": "tt0000004",
        "primaryTitle": "Echo",
        "originalTitle": "Echo",
        "startYear": "2001",
        "genres": "Comedy",
    },
    {
        "id": "tt0000005",
        "primaryTitle": "Straße",
        "originalTitle": "Straße",
        "startYear": "1994",
        "genres": "N/A",
    },
    {
        "id": "tt0000006",
        "primaryTitle": "Night Road",
        "originalTitle": "N/A",
        "startYear": "2020",
        "genres": "Sci-Fi,War",
    },
]


@pytest.fixture
def library(alice, aws, store_movies):
    store_movies(alice, MOVIES)


def ids(page):
    return [m.movie_id for m in page.movies]


def all_pages(**filters):
    found, cursor = [], None
    while True:
        page = selectors.movie_list(cursor=cursor, limit=2, **filters)
        found += ids(page)
        if page.next_cursor is None:
            return found
        cursor = page.next_cursor


def test_without_filters_movies_come_by_id_two_by_two(alice, library):
    first = selectors.movie_list(owner=alice, limit=2)

    assert ids(first) == ["tt0000001", "tt0000002"]
    assert all_pages(owner=alice) == [m["id"] for m in MOVIES]


def test_a_genre_lists_its_movies_by_year_any_case_those_without_a_year_last(alice, library):
    assert all_pages(owner=alice, genre="drama") == ["tt0000002", "tt0000001", "tt0000003"]
    assert all_pages(owner=alice, genre="WAR") == ["tt0000002", "tt0000006"]
    assert all_pages(owner=alice, genre="Western") == []


def test_a_year_range_is_inclusive_and_leaves_out_movies_without_a_year(alice, library):
    assert all_pages(owner=alice, year_from=1994, year_to=2001) == ["tt0000001", "tt0000005", "tt0000004"]
    assert all_pages(owner=alice, year_from=2000) == ["tt0000004", "tt0000006"]
    assert all_pages(owner=alice, year_to=1970) == ["tt0000002"]


def test_genre_and_years_together(alice, library):
    assert all_pages(owner=alice, genre="Drama", year_from=1990) == ["tt0000001"]


def test_the_title_filter_ignores_case_and_accents_and_reads_the_original_title_too(alice, library):
    assert all_pages(owner=alice, title="STRASSE") == all_pages(owner=alice, title="straße") == ["tt0000005"]
    assert all_pages(owner=alice, title="ohtu") == ["tt0000001"]
    assert all_pages(owner=alice, title="дорог") == ["tt0000002"]
    assert all_pages(owner=alice, title="road") == ["tt0000002", "tt0000006"]
    assert all_pages(owner=alice, title="road", genre="war", year_from=2000) == ["tt0000006"]


def test_the_last_page_says_there_is_nothing_after_it(alice, library):
    page = selectors.movie_list(owner=alice, limit=6)

    assert len(page.movies) == 6
    assert page.next_cursor is None


def test_a_cursor_that_is_not_one_of_ours_is_a_field_error(alice, library):
    for cursor in ("garbage", "eyJhZnRlciI6IDF9", "x" * 2000):
        with pytest.raises(ValidationError) as caught:
            selectors.movie_list(owner=alice, cursor=cursor)
        assert list(caught.value.message_dict) == ["cursor"]


def test_bob_sees_none_of_alices_movies_even_with_her_cursor(alice, bob, library):
    alices = selectors.movie_list(owner=alice, limit=2)

    assert ids(selectors.movie_list(owner=bob)) == []
    assert ids(selectors.movie_list(owner=bob, cursor=alices.next_cursor)) == []
    assert ids(selectors.movie_list(owner=bob, genre="drama")) == []
    with pytest.raises(selectors.MovieNotFound):
        selectors.movie_get(owner=bob, movie_id="tt0000001")


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"genre": "drama"},
        {"year_from": 1990},
        {"title": "road"},
        {"genre": "war", "year_to": 2000, "title": "r"},
    ],
)
def test_every_listing_is_a_query_never_a_scan(alice, library, dynamodb_operations, filters):
    selectors.movie_list(owner=alice, **filters)
    selectors.movie_get(owner=alice, movie_id="tt0000004")
    selectors.scrape_error_list(owner=alice)
    selectors.scrape_error_list(owner=alice, run_id=1)

    assert dynamodb_operations
    assert set(dynamodb_operations) <= {"Query", "GetItem"}


def test_errors_come_newest_first_page_by_page_and_per_run(alice, bob, aws):
    run = ScrapeRunFactory(owner=alice)
    other = ScrapeRunFactory(owner=bob)
    for n, (owner_run, arrived) in enumerate([(run, 100.0), (run, 300.0), (other, 200.0), (run, 200.0)]):
        record = kinesis_record(movie_data(owner_run, startYear=f"bad{n}"), arrived=1795323600 + arrived)
        services.movie_record_store(record=services.StreamRecord.from_lambda(record))

    first = selectors.scrape_error_list(owner=alice, limit=2)
    second = selectors.scrape_error_list(owner=alice, limit=2, cursor=first.next_cursor)

    years = [e.snippet.split('"startYear": "')[1][:4] for e in first.errors + second.errors]
    assert years == ["bad1", "bad3", "bad0"]
    assert second.next_cursor is None
    assert [e.run_id for e in selectors.scrape_error_list(owner=bob).errors] == [other.pk]
    assert selectors.scrape_error_list(owner=bob, run_id=run.pk).errors == []  # alice's run, asked by bob

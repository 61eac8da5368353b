"""The scraper pages: start a scrape, follow it, the movies table with filters, the errors."""

import pytest
from django.test import Client

from scraper.models import ScrapeRun
from tests.scraper.factories import ScrapeRunFactory

ROWS = [
    {
        "id": "tt0000001",
        "primaryTitle": "Õhtu",
        "originalTitle": "Õhtu ja Öö",
        "startYear": "1994",
        "genres": "Drama",
    },
    {"id": "tt0000002", "primaryTitle": "Night Road", "startYear": "N/A", "genres": "Sci-Fi,War"},
]


@pytest.fixture
def bob_client(bob, aws):
    client = Client()
    client.force_login(bob)
    return client


def test_the_pages_need_a_login(aws):
    for path in ("/scraper/", "/scraper/movies/", "/scraper/errors/", "/scraper/runs/1/"):
        response = Client().get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/account/login/")


def test_a_new_user_sees_the_form_with_the_configured_page_and_an_empty_list(alice_client, settings):
    settings.MOVIES_PAGE_URL = "https://movies.example/list"

    page = alice_client.get("/scraper/").content.decode()

    assert 'value="https://movies.example/list"' in page
    assert "No scrapes yet" in page


def test_starting_a_scrape_queues_it_and_shows_its_page(alice_client, alice):
    response = alice_client.post("/scraper/", {"url": "https://movies.example/list"})

    run = ScrapeRun.objects.get(owner=alice)
    assert response.status_code == 302
    assert response["Location"] == f"/scraper/runs/{run.pk}/"
    page = alice_client.get(response["Location"]).content.decode()
    assert f"Scrape {run.pk} queued" in page
    assert 'http-equiv="refresh"' in page  # without JavaScript the page follows the run by itself
    assert f'data-run-url="/api/scrapes/{run.pk}/"' in page


def test_a_url_that_cannot_be_scraped_is_a_form_error(alice_client):
    response = alice_client.post("/scraper/", {"url": "file:///etc/passwd"})

    assert response.status_code == 400
    assert "Only http:// and https:// pages can be scraped" in response.content.decode()
    assert not ScrapeRun.objects.exists()


def test_too_many_scrapes_at_once_is_said_on_the_form(alice_client, alice, settings):
    settings.SCRAPER_MAX_ACTIVE_RUNS = 1
    ScrapeRunFactory(owner=alice)

    response = alice_client.post("/scraper/", {"url": "https://movies.example/"})

    assert response.status_code == 429
    assert "You already have 1 scrape queued or running" in response.content.decode()


def test_a_finished_run_shows_its_counts_failure_and_errors(alice_client, alice):
    run = ScrapeRunFactory(
        owner=alice,
        status=ScrapeRun.Status.FAILED,
        failure="Couldn't scrape the page: no table.",
        page_errors=1,
    )

    page = alice_client.get(f"/scraper/runs/{run.pk}/").content.decode()

    assert "Couldn&#x27;t scrape the page: no table." in page
    assert 'http-equiv="refresh"' not in page
    assert "Scrape this page again" in page


def test_bob_cannot_see_alices_runs_or_their_errors(alice, bob_client):
    run = ScrapeRunFactory(owner=alice)

    assert bob_client.get(f"/scraper/runs/{run.pk}/").status_code == 404
    assert bob_client.get("/scraper/errors/", {"run": run.pk}).status_code == 404
    assert f"Scrape {run.pk}" not in bob_client.get("/scraper/").content.decode()


def test_the_movies_table_lists_and_filters(alice_client, alice, store_movies):
    store_movies(alice, ROWS)

    everything = alice_client.get("/scraper/movies/").content.decode()
    war = alice_client.get("/scraper/movies/", {"genre": "war"}).content.decode()

    assert "Õhtu ja Öö" in everything
    assert "Night Road" in everything
    assert "Night Road" in war
    assert "Õhtu" not in war


def test_a_bad_filter_is_a_form_error(alice_client):
    response = alice_client.get("/scraper/movies/", {"year_from": "2000", "year_to": "1990"})

    assert response.status_code == 400
    assert "From year must not be after To year." in response.content.decode()


def test_a_bad_cursor_is_a_form_error_not_a_crash(alice_client):
    response = alice_client.get("/scraper/movies/", {"cursor": "nonsense"})

    assert response.status_code == 400
    assert "start from the first page" in response.content.decode()


def test_an_empty_movies_table_says_how_to_fill_it(alice_client):
    page = alice_client.get("/scraper/movies/").content.decode()

    assert "No movies yet" in page


def test_movies_are_paged_with_a_next_link(alice_client, alice, store_movies):
    store_movies(alice, [{"id": f"tt{n:07d}"} for n in range(1, 53)])

    first = alice_client.get("/scraper/movies/").content.decode()

    assert first.count('<td class="id">') == 50
    assert "Next page" in first


def test_bob_sees_none_of_alices_movies(alice, bob_client, store_movies):
    store_movies(alice, ROWS)

    assert "No movies yet" in bob_client.get("/scraper/movies/").content.decode()


def test_the_pages_run_the_same_queries_for_one_run_or_twenty(
    alice_client, alice, django_assert_max_num_queries
):
    ScrapeRunFactory(owner=alice)
    with django_assert_max_num_queries(10) as one:
        alice_client.get("/scraper/")
    ScrapeRunFactory.create_batch(19, owner=alice)
    with django_assert_max_num_queries(len(one.captured_queries)):
        alice_client.get("/scraper/")


def test_the_home_page_and_navigation_link_the_scraper(alice_client):
    page = alice_client.get("/").content.decode()

    assert 'href="/scraper/"' in page
    assert "Movies scraper" in page


def test_the_admin_lists_runs_read_only(client, db, aws):
    from tests.accounts.factories import UserFactory

    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    run = ScrapeRunFactory(url="https://movies.example/admin-listed")
    client.force_login(admin)

    listing = client.get("/admin/scraper/scraperun/")
    detail = client.get(f"/admin/scraper/scraperun/{run.pk}/change/")

    assert listing.status_code == 200
    assert "https://movies.example/admin-listed" in listing.content.decode()
    assert detail.status_code == 200
    assert client.get("/admin/scraper/scraperun/add/").status_code == 403

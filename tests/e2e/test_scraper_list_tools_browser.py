"""Alice, on a phone, works her scraped movies: the count of a filter, sorted by year, the next
page and back, one movie's page, a CSV export, a schedule, and deleting the run with its movies.

The scrape runs through the real pipeline (queue, sandbox page, Kinesis, consumer), ticked by the
test with the local event runner, as in test_scraper_browser.py.
"""

import csv
import io
import re

import pytest

from tests.scraper import fixtures

sandbox = fixtures.sandbox

pytestmark = pytest.mark.e2e

ALICE_PASSWORD = "alice-Pass-2026!"  # tests/conftest.py's alice
PHONE = {"width": 390, "height": 844}
ROWS = 300


def _by_year(movie):
    year = None if movie.start_year == "N/A" else int(movie.start_year)
    return (year is None, year or 0, movie.id)


def test_alice_counts_sorts_pages_opens_exports_schedules_and_deletes(
    new_page, log_in, alice, sandbox, runner
):
    from playwright.sync_api import expect

    from scraper.sandbox.pages import movies

    recent = [m for m in movies(rows=ROWS) if m.start_year != "N/A" and int(m.start_year) >= 1950]
    matching = sorted(recent, key=_by_year)  # the filter: from 1950 on
    assert len(matching) > 100  # several pages

    page = new_page(viewport=PHONE, has_touch=True, accept_downloads=True)
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto("/scraper/")
    page.get_by_label("Page URL").fill(f"{sandbox}/movies/?rows={ROWS}")
    page.get_by_role("button", name="Scrape").click()
    expect(page).to_have_url(re.compile(r"/scraper/runs/\d+/$"))
    run_id = page.url.rstrip("/").rsplit("/", 1)[1]
    runner.drain()
    expect(page.get_by_test_id(f"run-status-{run_id}")).to_have_text("done")

    # Filter, with the count; sorted by year.
    page.goto("/scraper/movies/")
    expect(page.get_by_test_id("movie-count")).to_have_text(f"{ROWS} movies")
    page.get_by_label("From year").fill("1950")
    page.get_by_label("Sort by").select_option(label="Year (oldest first)")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("movie-count")).to_have_text(f"{len(matching)} movies")
    rows = page.get_by_test_id("movies").locator("tbody tr")
    expect(rows).to_have_count(50)
    expect(rows.first).to_contain_text(matching[0].id)
    expect(page.get_by_role("link", name="Previous page")).to_have_count(0)

    # The next page and back again.
    page.get_by_role("link", name="Next page").click()
    expect(rows.first).to_contain_text(matching[50].id)
    expect(page.get_by_test_id("movie-count")).to_have_text(f"{len(matching)} movies")
    page.get_by_role("link", name="Previous page").click()
    expect(rows.first).to_contain_text(matching[0].id)
    expect(rows.nth(49)).to_contain_text(matching[49].id)

    # One movie's page.
    rows.first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/scraper/movies/{matching[0].id}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(matching[0].primary_title)
    expect(page.get_by_test_id("movie")).to_contain_text(f"scrape {run_id}")
    page.go_back()

    # The filtered list as CSV, in the same order.
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    with open(download.value.path(), encoding="utf-8") as exported:
        lines = list(csv.DictReader(io.StringIO(exported.read())))
    assert [line["id"] for line in lines] == [m.id for m in matching]

    # A schedule: the page, how often.
    page.get_by_role("link", name="Schedule").click()
    page.get_by_label("Page URL").fill(f"{sandbox}/movies/?rows=20")
    page.get_by_label("How often").select_option(label="Every day")
    page.get_by_role("button", name="Save the schedule").click()
    expect(page.get_by_test_id("schedule")).to_contain_text("Every day")
    expect(page.get_by_test_id("schedule-next")).to_be_visible()

    # Delete the run and, confirmed, its movies.
    page.goto(f"/scraper/runs/{run_id}/")
    page.get_by_role("link", name="Delete this scrape").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Delete scrape {run_id}?")
    page.get_by_label("Delete the movies it stored too").check()
    page.get_by_role("button", name=f"Delete scrape {run_id}").click()
    expect(page.get_by_role("status")).to_contain_text(f"Deleted scrape {run_id}, its {ROWS} movies")
    page.goto("/scraper/movies/")
    expect(page.get_by_test_id("movie-count")).to_have_text("0 movies")


def test_without_javascript_the_list_pages_both_ways_and_the_schedule_saves(
    new_page, log_in, alice, sandbox, runner
):
    from playwright.sync_api import expect

    from scraper.sandbox.pages import movies

    by_title = sorted(movies(rows=60), key=lambda m: (_fold(m.primary_title), m.id))
    page = new_page(java_script_enabled=False)
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto("/scraper/")
    page.get_by_label("Page URL").fill(f"{sandbox}/movies/?rows=60")
    page.get_by_role("button", name="Scrape").click()
    runner.drain()

    page.goto("/scraper/movies/")
    page.get_by_label("Sort by").select_option(label="Title (A-Z)")
    page.get_by_role("button", name="Filter").click()
    rows = page.get_by_test_id("movies").locator("tbody tr")
    expect(rows.first).to_contain_text(by_title[0].id)
    page.get_by_role("link", name="Next page").click()
    expect(rows).to_have_count(10)
    expect(rows.first).to_contain_text(by_title[50].id)
    page.get_by_role("link", name="Previous page").click()
    expect(rows).to_have_count(50)
    expect(rows.first).to_contain_text(by_title[0].id)

    page.get_by_role("link", name="Schedule").click()
    page.get_by_label("Page URL").fill("ftp://example.com/movies")
    page.get_by_role("button", name="Save the schedule").click()
    expect(page.locator(".errorlist")).to_contain_text("Only http:// and https://")
    page.get_by_label("Page URL").fill(f"{sandbox}/movies/")
    page.get_by_label("How often").select_option(label="Every week")
    page.get_by_role("button", name="Save the schedule").click()
    expect(page.get_by_test_id("schedule")).to_contain_text("Every week")


def _fold(text):
    from scraper.records import fold

    return fold(text)

"""Alice starts a scrape in a real browser, sees it run to the end and her movies listed.

The local event runner (the same one ``make run`` starts) is ticked by the test itself, so the
queue, the page fetch from the sandbox, the Kinesis stream and its consumer all run for real.
"""

import re

import pytest

from tests.scraper.helpers import local_runner, sandbox_on

pytestmark = pytest.mark.e2e

ALICE_PASSWORD = "alice-Pass-2026!"  # tests/conftest.py's alice
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def sandbox(live_server, settings):
    return sandbox_on(live_server, settings)


@pytest.fixture
def runner(aws):
    with local_runner() as events:
        yield events


def test_alice_scrapes_the_sandbox_page_and_finds_its_movies(new_page, log_in, alice, sandbox, runner):
    from playwright.sync_api import expect

    from scraper.sandbox.pages import movies

    page = new_page(viewport=PHONE, has_touch=True)
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto("/scraper/")
    page.get_by_label("Page URL").fill(f"{sandbox}/movies/?rows=60")
    page.get_by_role("button", name="Scrape").click()

    expect(page).to_have_url(re.compile(r"/scraper/runs/\d+/$"))
    run_id = page.url.rstrip("/").rsplit("/", 1)[1]
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Scrape {run_id}")
    expect(page.get_by_test_id(f"run-status-{run_id}")).to_have_text("queued")

    runner.drain()  # the queue, the page, the stream: what Lambda would run

    expect(page.get_by_test_id(f"run-status-{run_id}")).to_have_text("done")  # the page follows by itself
    expect(page.get_by_test_id(f"run-stored-{run_id}")).to_have_text("60")
    page.get_by_role("link", name="See the movies").click()

    table = page.get_by_test_id("movies")
    expect(table.locator("tbody tr")).to_have_count(50)
    first = movies(rows=60)[0]
    expect(table.locator("tbody tr").first).to_contain_text(first.primary_title)
    expect(page.get_by_role("link", name="Next page")).to_be_visible()

    page.get_by_label("Genre").fill("drama")
    page.get_by_role("button", name="Filter").click()
    dramas = [m for m in movies(rows=60) if "Drama" in m.genres.split(",")]
    expect(table.locator("tbody tr")).to_have_count(len(dramas))


def test_without_javascript_the_run_page_refreshes_itself_until_done(
    new_page, log_in, alice, sandbox, runner
):
    from playwright.sync_api import expect

    page = new_page(java_script_enabled=False)
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto("/scraper/")
    page.get_by_label("Page URL").fill(f"{sandbox}/movies/?layout=div")
    page.get_by_role("button", name="Scrape").click()
    expect(page.get_by_role("status")).to_contain_text("queued")

    runner.drain()

    expect(page.get_by_test_id("run-failure")).to_contain_text("Couldn't scrape the page", timeout=10_000)
    page.get_by_role("link", name="Errors", exact=True).click()
    expect(page.locator(".error-item")).to_contain_text("div.movie .movieRow")

"""Alice searches a country in a real browser, fetches it, and sees its card appear when the worker is done.

The local event runner (the same one ``make run`` starts) is ticked by the test itself, so the SQS
queue, the worker, the call to the REST Countries stand-in and the DynamoDB write all run for real.
"""

import re

import pytest

from tests.countries.helpers import sandbox_on
from tests.scraper.helpers import local_runner

pytestmark = pytest.mark.e2e

ALICE_PASSWORD = "alice-Pass-2026!"  # tests/conftest.py's alice


@pytest.fixture
def upstream(live_server, settings):
    return sandbox_on(live_server.url, settings)


@pytest.fixture
def runner(aws):
    with local_runner() as events:
        yield events


def test_alice_searches_fetches_and_sees_the_card_appear_when_the_worker_is_done(
    page, log_in, alice, upstream, runner
):
    from playwright.sync_api import expect

    log_in(page, "alice", ALICE_PASSWORD)
    page.goto("/countries/")
    expect(page.get_by_text("No fetches yet")).to_be_visible()
    page.get_by_label("Code or name").fill("parag")
    page.get_by_role("button", name="Search").click()

    expect(page).to_have_url(re.compile(r"/countries/PY/$"))
    expect(page.get_by_test_id("not-fetched")).to_contain_text("Paraguay has not been fetched yet")
    page.get_by_test_id("fetch").click()
    expect(page.get_by_role("status").first).to_contain_text("Fetch of PY queued.")
    expect(page.get_by_test_id("active-status")).to_have_text("Queued")

    runner.drain()  # the queue and the worker: what Lambda would run

    card = page.get_by_test_id("country-card")  # the page follows the request and reloads by itself
    expect(card).to_be_visible()
    expect(card).to_contain_text("Republic of Paraguay")
    expect(card).to_contain_text("Asunción")
    expect(card).to_contain_text("Guaraní")
    expect(card.get_by_role("img")).to_have_attribute("src", "/sandbox/countries/flags/py.svg")
    expect(card.get_by_role("link", name="Map")).to_have_attribute(
        "href", "https://www.openstreetmap.org/relation/287077"
    )
    expect(page.get_by_test_id("attempts").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_test_id("attempts")).to_contain_text("Stored")


def test_without_javascript_a_failed_fetch_shows_its_reason(new_page, log_in, alice, upstream, runner):
    from playwright.sync_api import expect

    page = new_page(java_script_enabled=False)
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto("/countries/FJ/")  # a real country the stand-in does not have
    page.get_by_test_id("fetch").click()
    expect(page.get_by_test_id("active-status")).to_have_text("Queued")

    runner.drain()

    expect(page.get_by_test_id("attempts")).to_contain_text(
        "REST Countries has no document for FJ", timeout=10_000
    )

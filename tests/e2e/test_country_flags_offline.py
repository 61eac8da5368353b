"""On the laptop a country's flag loads from the product itself (no flagcdn.com, which is offline),
a flag that fails to load never spills its description into the card, and no heading holds an
emoji flag (boxes in Chromium and on Windows) (issue 23, item 4)."""

import re

import pytest

from tests.countries.helpers import sandbox_on

pytestmark = pytest.mark.e2e

ALICE_PASSWORD = "alice-Pass-2026!"  # tests/conftest.py's alice
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
REGIONAL_INDICATORS = re.compile("[\U0001f1e6-\U0001f1ff]")


@pytest.fixture
def paraguay(live_server, settings, alice, aws):
    """PY fetched through the REST Countries stand-in and stored, as the worker does."""
    from countries import services
    from countries.models import FetchRequest

    sandbox_on(live_server.url, settings)
    services.fetch_request_create(owner=alice, code="PY")
    services.fetch_request_process(request_id=FetchRequest.objects.get(owner=alice).pk)


def _offline(page, live_server):
    """Refuse every request that leaves the product's own server, and keep their URLs."""
    outside = []

    def route(r):
        if r.request.url.startswith(live_server.url):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return outside


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_flag_loads_offline_and_no_heading_shows_an_emoji_flag(
    new_page, log_in, live_server, paraguay, viewport
):
    from playwright.sync_api import expect

    page = new_page(viewport=viewport)
    outside = _offline(page, live_server)
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto("/countries/PY/")
    flag = page.get_by_test_id("country-card").get_by_role("img", name="The flag of Paraguay")
    expect(flag).to_be_visible()
    page.wait_for_load_state("load")
    assert flag.evaluate("img => img.complete && img.naturalWidth > 0"), "the flag did not load"
    assert outside == []
    box = flag.bounding_box()
    assert box["width"] <= 161
    assert box["height"] <= 121
    assert not REGIONAL_INDICATORS.search(" ".join(page.locator("h1, h2").all_inner_texts()))

    page.goto("/countries/?q=united")  # a list of matches
    assert not REGIONAL_INDICATORS.search(page.locator("main").inner_text())
    assert page.evaluate("document.documentElement.scrollWidth") == viewport["width"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_flag_that_cannot_load_keeps_its_alt_inside_its_box(
    new_page, log_in, live_server, paraguay, viewport
):
    page = new_page(viewport=viewport)
    log_in(page, "alice", ALICE_PASSWORD)
    page.route("**/flags/*", lambda r: r.abort())
    page.goto("/countries/PY/")
    card = page.get_by_test_id("country-card")
    flag = card.get_by_role("img", name="The flag of Paraguay")
    flag.wait_for()
    assert flag.evaluate("img => img.complete && img.naturalWidth === 0"), "the flag loaded"
    box = flag.bounding_box()
    assert box["height"] <= 121, f"the broken flag is {box['height']} px tall"
    heading = card.get_by_role("heading", name="Paraguay").bounding_box()
    # Beside the flag on a desktop, below it on a phone: never overlapped by the alt text.
    assert heading["x"] >= box["x"] + box["width"] or heading["y"] >= box["y"] + box["height"]
    assert page.evaluate("document.documentElement.scrollWidth") == viewport["width"]

"""Every time a person reads is in their account's zone and in one format, whether the server wrote
it or the page's JavaScript redrew it (issue 23, item 2). Alice's account is in Europe/Paris."""

from datetime import UTC, datetime

import pytest

from tests.tracker.helpers import sandbox_on

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ALICE_PASSWORD = "alice-Pass-2026!"  # tests/conftest.py's alice
MOMENT = datetime(2026, 12, 7, 18, 18, 47, tzinfo=UTC)
IN_PARIS = "7 Dec 2026, 19:18:47 CET"  # the same instant on alice's clock
IN_NEW_YORK = "7 Dec 2026, 13:18:47 EST"


@pytest.fixture
def order(alice, live_server, settings, aws):
    from tests.tracker.factories import cart_url, order_for
    from tracker.models import StatusChange, TrackedOrder

    base = sandbox_on(live_server, settings)
    order = order_for(alice, cart_url(base))
    TrackedOrder.objects.filter(pk=order.pk).update(started_at=MOMENT, last_polled_at=MOMENT)
    StatusChange.objects.create(order=order, stage="PC", previous="", seen_at=MOMENT)
    return order


def test_the_tracker_shows_alices_times_in_paris_before_and_after_the_page_redraws(
    new_page, log_in, alice, order
):
    from playwright.sync_api import expect

    page = new_page()
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto("/tracker/")
    expect(page.get_by_text(f"Started {IN_PARIS}")).to_be_visible()

    page.goto(f"/tracker/orders/{order.pk}/")
    timeline = page.get_by_test_id("timeline")
    expect(timeline.locator("time")).to_have_text(IN_PARIS)  # as the server wrote it
    page.evaluate("document.querySelector('[data-field=stages] li').dataset.server = 'yes'")
    # The page redraws the timeline from the API a second after load (and every 3 s after that).
    page.wait_for_function("!document.querySelector('[data-field=stages] li[data-server]')")
    expect(timeline.locator("time")).to_have_text(IN_PARIS)  # as the JavaScript redrew it
    expect(page.locator("[data-field=last_polled_at]")).to_have_text(IN_PARIS)


def test_a_change_of_zone_on_the_profile_changes_every_time_shown(new_page, log_in, alice, order):
    from playwright.sync_api import expect

    from countries.models import FetchAttempt, FetchRequest
    from scraper.models import ScrapeRun

    fetch = FetchRequest.objects.create(code="PY", owner=alice, created_at=MOMENT, status="done")
    FetchAttempt.objects.create(request=fetch, code="PY", started_at=MOMENT, success=True, duration_ms=12)
    ScrapeRun.objects.create(owner=alice, url="https://example.com/movies", created_at=MOMENT)
    alice.time_zone = "America/New_York"
    alice.save(update_fields=["time_zone"])

    page = new_page()
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto("/countries/")
    expect(page.locator("table.fetches")).to_contain_text(IN_NEW_YORK)
    page.goto("/countries/PY/")
    expect(page.get_by_test_id("attempts")).to_contain_text(IN_NEW_YORK)
    page.goto("/scraper/")
    expect(page.get_by_text(IN_NEW_YORK)).to_be_visible()
    page.goto("/tracker/")
    expect(page.get_by_text(f"Started {IN_NEW_YORK}")).to_be_visible()
    for path in ("/countries/", "/countries/PY/", "/scraper/", "/tracker/"):
        page.goto(path)
        assert "UTC" not in page.locator("main").inner_text(), path

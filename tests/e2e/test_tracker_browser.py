"""Alice follows a sandbox pizza order in a real browser: the timeline advances, the text arrives.

The local event runner (the one ``make run`` starts) is ticked by the test, and the product's clock
is moved instead of waiting: the sandbox tracker (in this process's live server) and the poll both
read it, so the order walks its stages in a second. The browser's page refreshes itself from the
API, as it does for a user.
"""

import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.scraper.helpers import local_runner
from tests.tracker.helpers import sandbox_on

pytestmark = pytest.mark.e2e

ALICE_PASSWORD = "alice-Pass-2026!"  # tests/conftest.py's alice


@pytest.fixture
def sandbox(live_server, settings):
    return sandbox_on(live_server, settings)


@pytest.fixture
def runner(aws):
    with local_runner() as events:
        yield events


def test_alice_tracks_a_sandbox_order_and_sees_it_arrive(new_page, log_in, alice, sandbox, runner, clock):
    from playwright.sync_api import expect

    from core import clock as product_clock

    start = product_clock.now()
    clock.set(start)
    ticks = iter(range(1, 100))

    def tick_at(seconds: int) -> None:
        clock.set(start + timedelta(seconds=seconds))
        runner.tick(now=datetime.now(UTC) + timedelta(minutes=next(ticks)))

    page = new_page()
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto("/tracker/")
    page.get_by_role("link", name="make a sandbox order").click()
    page.get_by_label("Seconds from placed to completed").fill("30")
    page.get_by_role("button", name="Make a sandbox order").click()
    expect(page.get_by_test_id("sandbox-url")).to_have_text(
        re.compile(r"/sandbox/tracker/api/GPSTracker/CartId/\d{15}$")
    )
    # The sandbox order goes to /tracker/ in a POST body with the phone: no token in any URL.
    page.get_by_label("Phone to text").fill("+60 12 345 6789")
    page.get_by_role("button", name="Track this order").click()

    expect(page).to_have_url(re.compile(r"/tracker/orders/\d+/$"))
    expect(page.get_by_test_id("order-stage")).to_have_text("Waiting for the first answer")

    tick_at(1)
    expect(page.get_by_test_id("order-stage")).to_have_text("In progress")  # the page follows by itself
    tick_at(12)
    expect(page.get_by_test_id("timeline")).to_contain_text("BK")  # a code nobody named: shown verbatim
    tick_at(22)
    expect(page.get_by_test_id("order-stage")).to_have_text("Out for delivery")
    expect(page.get_by_test_id("texts")).to_contain_text("Out for delivery (DL)")
    tick_at(31)
    expect(page.get_by_test_id("order-tracking")).to_have_text("Completed")
    expect(page.get_by_test_id("timeline").locator("li")).to_have_count(4)
    expect(page.get_by_role("button", name="Stop tracking")).to_have_count(0)

    page.get_by_role("link", name="SMS outbox").click()
    outbox = page.get_by_test_id("outbox")
    expect(outbox.locator("li")).to_have_count(2)
    expect(outbox).to_contain_text("Out for delivery (DL)")
    expect(outbox).to_contain_text("Completed (CP)")
    expect(outbox).to_contain_text("+60123456789")


def test_a_stopped_order_stops_without_javascript(new_page, log_in, alice, sandbox, runner):
    from playwright.sync_api import expect

    from tests.tracker.factories import cart_url, order_for

    order = order_for(alice, cart_url(sandbox))
    page = new_page(java_script_enabled=False)
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto(f"/tracker/orders/{order.pk}/")

    page.get_by_role("button", name="Stop tracking").click()

    expect(page.get_by_test_id("order-tracking")).to_have_text("Stopped by you")
    expect(page.get_by_role("status")).to_contain_text("its token is erased")


def test_my_orders_follows_the_stage_without_a_reload(new_page, log_in, alice, sandbox, runner):
    from playwright.sync_api import expect

    from tests.tracker.factories import cart_url, order_for

    order = order_for(alice, cart_url(sandbox))
    page = new_page()
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto("/tracker/")
    page.get_by_label("Phone to text").fill("+60")  # typed, and not lost by the refresh
    expect(page.get_by_test_id(f"order-stage-{order.pk}")).to_have_text("Waiting for the first answer")

    runner.tick(now=datetime.now(UTC) + timedelta(minutes=1))

    expect(page.get_by_test_id(f"order-stage-{order.pk}")).to_have_text("In progress", timeout=12_000)
    expect(page.get_by_label("Phone to text")).to_have_value("+60")


def test_ended_orders_promise_no_poll_come_after_tracked_ones_and_can_be_hidden(
    new_page, log_in, alice, sandbox
):
    from playwright.sync_api import expect

    from tests.tracker.factories import cart_url, order_for
    from tracker import services

    tracked = order_for(alice, cart_url(sandbox))
    stopped = order_for(alice, cart_url(sandbox, walk=301))  # the newest, but ended
    services.order_stop(owner=alice, pk=stopped.pk)
    page = new_page()
    log_in(page, "alice", ALICE_PASSWORD)

    page.goto("/tracker/")
    orders = page.locator("li[data-order-id]")
    expect(orders).to_have_count(2)
    expect(orders.first).to_have_attribute("data-order-id", str(tracked.pk))
    expect(page.get_by_test_id(f"order-stage-{stopped.pk}")).to_have_text(
        "No stage was seen before tracking ended"
    )

    page.get_by_role("link", name=f"Order {stopped.cart_id}").click()
    expect(page.get_by_test_id("order-stage")).to_have_text("No stage was seen before tracking ended")
    expect(page.get_by_test_id("timeline")).to_have_text("No stage was seen before tracking ended.")
    expect(page.get_by_text("the first poll runs within a minute")).to_have_count(0)

    page.get_by_role("button", name="Hide from my orders").click()
    expect(page.get_by_role("status")).to_contain_text(f"Order {stopped.cart_id} is hidden from your orders")
    expect(page.locator("li[data-order-id]")).to_have_count(1)
    page.get_by_test_id("hidden-orders").get_by_role("link").click()
    expect(page.locator("li[data-order-id]")).to_have_count(1)
    page.get_by_role("button", name="Show in my orders").click()
    expect(page.locator("li[data-order-id]")).to_have_count(2)


def test_an_order_stopped_before_its_first_answer_stops_promising_a_poll(new_page, log_in, alice, sandbox):
    from playwright.sync_api import expect

    from tests.tracker.factories import cart_url, order_for

    order = order_for(alice, cart_url(sandbox))
    page = new_page()
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto(f"/tracker/orders/{order.pk}/")
    expect(page.get_by_test_id("timeline")).to_contain_text("the first poll runs within a minute")

    page.get_by_role("button", name="Stop tracking").click()

    expect(page.get_by_test_id("order-tracking")).to_have_text("Stopped by you")
    expect(page.get_by_test_id("order-stage")).to_have_text("No stage was seen before tracking ended")
    expect(page.get_by_test_id("timeline")).to_have_text("No stage was seen before tracking ended.")

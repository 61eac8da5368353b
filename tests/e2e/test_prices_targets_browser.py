"""Alice sets a below-target alert in a real browser, edits it in place, a week appended in the
sandbox takes Albany under her target and the email arrives once; then, without JavaScript on a
phone, she switches the chart from one year to five and to every week stored.

The local event runner is ticked by the test itself, as in test_prices_browser.py.
"""

import re

import pytest

from tests.prices import fixtures

sandbox = fixtures.sandbox  # the fixture tests/prices uses

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ALICE_PASSWORD = "alice-Pass-2026!"  # tests/conftest.py's alice


def test_alice_sets_a_target_edits_it_gets_one_email_and_switches_the_chart_range(
    new_page, log_in, alice, sandbox, runner
):
    from playwright.sync_api import expect

    page = new_page()
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto("/prices/")

    page.get_by_label("Email address").fill("alice@example.com")
    page.get_by_label("New York City").uncheck()  # the chart's region comes checked
    page.get_by_label("Albany").check()
    page.get_by_label("Smallest drop (cents a gallon)").fill("")  # no drop alerts: the target only
    page.get_by_label("Target price (dollars a gallon)").fill("3.50")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_text("alice@example.com is subscribed to 1 region (under $3.50).")).to_be_visible()
    subscriptions = page.get_by_test_id("subscriptions")
    expect(subscriptions).to_contain_text("Albany; under $3.50")
    expect(page.get_by_test_id("pending-confirmation")).to_have_count(
        0
    )  # the laptop's outbox confirms at once

    subscriptions.get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", name="Edit alerts for alice@example.com")).to_be_visible()
    expect(page.get_by_label("Target price (dollars a gallon)")).to_have_value("3.50")
    page.get_by_label("Target price (dollars a gallon)").fill("0.20")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The target is a price from $1.00 to $9.99 a gallon")).to_be_visible()
    page.get_by_label("Target price (dollars a gallon)").fill("3.60")
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_text("Saved: alice@example.com gets alerts for 1 region (under $3.60).")
    ).to_be_visible()
    expect(subscriptions).to_contain_text("Albany; under $3.60")

    page.goto("/sandbox/prices/")
    page.get_by_role("button", name="Append and fetch now").click()
    expect(page.get_by_test_id("sandbox-note")).to_contain_text("Appended the week of 2023-02-13.")
    runner.drain()  # Albany $3.61 -> $3.56: under $3.60 -> one email
    runner.drain()

    page.goto("/sandbox/prices/outbox/")
    outbox = page.get_by_test_id("outbox")
    expect(outbox.locator("li")).to_have_count(1)
    expect(outbox).to_contain_text("Gas under $3.60 in Albany: $3.56")
    expect(outbox).to_contain_text("(under your $3.60 target)")

    phone = new_page(java_script_enabled=False, viewport={"width": 390, "height": 844})
    log_in(phone, "alice", ALICE_PASSWORD)
    phone.goto("/prices/?region=albany")
    expect(phone.get_by_role("heading", name="The last 52 weeks")).to_be_visible()
    expect(phone.get_by_test_id("chart-span")).to_contain_text("52 weeks, ")
    ranges = phone.get_by_test_id("chart-ranges")
    ranges.get_by_role("link", name="5 years").click()
    expect(phone.get_by_role("heading", name="The last 5 years")).to_be_visible()
    expect(phone.get_by_test_id("chart-span")).to_contain_text("260 weeks, ")
    ranges.get_by_role("link", name="All").click()
    expect(phone.get_by_role("heading", name="Every week stored")).to_be_visible()
    span = phone.get_by_test_id("chart-span")
    expect(span).to_contain_text(
        re.compile(r"799 weeks, 29 Oct 2007 to 13 Feb 2023: the newest is \d+\xa0years")
    )
    expect(phone.get_by_test_id("chart").locator("polyline")).to_have_count(2)
    years = phone.get_by_test_id("chart").locator('.axis text[text-anchor="middle"]')
    boxes = [years.nth(n).bounding_box() for n in range(years.count())]
    assert len(boxes) >= 5
    assert all(a["x"] + a["width"] < b["x"] for a, b in zip(boxes, boxes[1:], strict=False))  # no overlap
    # The region form keeps the range; a region whose prices begin later says so.
    phone.get_by_label("Compare the state average with").select_option("ithaca")
    phone.get_by_role("button", name="Show").click()
    expect(phone.get_by_role("heading", name="Every week stored")).to_be_visible()
    expect(phone.get_by_test_id("chart").locator('polyline[data-region="ithaca"]')).to_have_count(1)
    expect(span).to_contain_text("Ithaca's prices begin on 21 Nov 2016.")

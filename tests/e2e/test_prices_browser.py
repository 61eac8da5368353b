"""Alice subscribes to Albany drops in a real browser, a drop is triggered in the sandbox, the email
arrives in the outbox and its unsubscribe link works without logging in.

The local event runner (the one ``make run`` starts) is ticked by the test itself, so the latest
price's stream, its handler and the SNS delivery to alice's outbox queue all run for real.
"""

import pytest

from tests.prices import fixtures

sandbox = fixtures.sandbox  # the fixture tests/prices uses

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ALICE_PASSWORD = "alice-Pass-2026!"  # tests/conftest.py's alice


def test_alice_subscribes_sees_a_drop_email_arrive_and_unsubscribes(new_page, log_in, alice, sandbox, runner):
    from playwright.sync_api import expect

    page = new_page()
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto("/prices/")
    expect(page.get_by_text("No prices stored yet")).to_be_visible()

    page.get_by_label("Email address").fill("alice@example.com")
    page.get_by_label("New York City").uncheck()  # the chart's region comes checked
    page.get_by_label("Albany").check()
    page.get_by_label("Smallest drop (cents a gallon)").fill("3")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_text("alice@example.com is subscribed to 1 region ")).to_be_visible()
    expect(page.get_by_test_id("subscriptions")).to_contain_text("Albany; drops of 3¢ or more")

    page.goto("/sandbox/prices/")
    page.get_by_role("button", name="Append and fetch now").click()
    expect(page.get_by_test_id("sandbox-note")).to_contain_text("Appended the week of 2023-02-13.")
    runner.drain()  # the latest-price stream -> on_price_change -> SNS -> alice's outbox queue

    page.goto("/prices/?region=albany")
    expect(page.get_by_test_id("chart").locator("polyline")).to_have_count(2)
    expect(page.locator('[data-testid="latest"] tr[data-region="albany"]')).to_contain_text("-5.0¢")

    page.goto("/sandbox/prices/outbox/")
    outbox = page.get_by_test_id("outbox")
    expect(outbox.locator("li")).to_have_count(1)
    expect(outbox).to_contain_text("To: alice@example.com")
    expect(outbox).to_contain_text("Gas price drop in Albany: $3.56 (down 5 cents)")
    link = outbox.get_by_role("link", name="/prices/unsubscribe/")
    href = link.get_attribute("href")

    recipient = new_page()  # not logged in: the link alone, no address to type
    recipient.goto(href)
    expect(recipient.get_by_text("sent to alice@example.com")).to_be_visible()
    recipient.get_by_role("button", name="Stop all alerts of this subscription").click()
    expect(recipient.get_by_test_id("unsubscribed")).to_have_text(
        "alice@example.com gets no more alerts from this subscription."
    )

    page.goto("/prices/")
    expect(page.get_by_text("None yet.")).to_be_visible()

"""The prices page on a phone and a desktop: the chart's labels are readable, each week's price can
be read, the page says how old the data is, and drop alerts come largest first (issue 23, item 3)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ALICE_PASSWORD = "alice-Pass-2026!"  # tests/conftest.py's alice
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
NEWEST = date(2023, 2, 6)  # the sandbox's newest week (the real open data's last one)


@pytest.fixture
def prices(alice, aws):
    from prices.services import prices_demo_load

    prices_demo_load(owner=alice)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_charts_labels_are_readable_and_every_week_can_be_read(new_page, log_in, prices, viewport, clock):
    from playwright.sync_api import expect

    clock.set(datetime(2026, 12, 7, 18, 0, tzinfo=UTC))
    page = new_page(viewport=viewport)
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto("/prices/?region=albany")
    labels = page.get_by_test_id("chart").locator(".axis text")
    heights = [labels.nth(i).bounding_box()["height"] for i in range(labels.count())]
    assert len(heights) >= 6
    assert min(heights) >= 10, f"axis labels {min(heights):.1f} px tall"

    weeks = page.get_by_test_id("chart-weeks")
    weeks.get_by_text("Every week's price").click()
    newest = weeks.locator("tbody tr").first
    expect(newest).to_be_visible()
    expect(newest).to_have_text("6 Feb 2023$3.57$3.61")  # the week, the state average, Albany
    expect(weeks.locator("tbody tr")).to_have_count(52)
    assert page.evaluate("document.documentElement.scrollWidth") == viewport["width"]

    expect(page.get_by_role("heading", name="Latest week 6 Feb 2023")).to_be_visible()
    expect(page.get_by_test_id("data-age")).to_have_text(
        "These prices are 3 years, 10 months old: NY Open Data has published nothing newer than the week of 6 Feb 2023."
    )


def test_fresh_data_is_said_to_be_fresh(new_page, log_in, prices, clock):
    from playwright.sync_api import expect

    clock.set(datetime(2023, 2, 9, 15, 0, tzinfo=UTC))
    page = new_page()
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto("/prices/")
    expect(page.get_by_test_id("data-age")).to_have_text(
        "The newest week published, 3 days old; NY Open Data adds a week every Monday."
    )


def test_the_weeks_drop_alerts_come_largest_first(new_page, log_in, prices):
    from playwright.sync_api import expect

    from prices.models import PriceDrop

    week, before = date(2023, 2, 13), NEWEST
    for region, previous, price in [
        ("albany", "3.61", "3.60"),
        ("batavia", "3.44", "3.30"),
        ("binghamton", "3.52", "3.47"),
        ("buffalo", "3.45", "3.44"),
        ("dutchess", "3.63", "3.53"),
        ("elmira", "3.51", "3.49"),
        ("ithaca", "3.53", "3.52"),
    ]:
        PriceDrop.objects.create(
            week=week,
            region=region,
            previous_week=before,
            previous_price=Decimal(previous),
            price=Decimal(price),
        )
    PriceDrop.objects.create(
        week=before,
        region="nassau",
        previous_week=date(2023, 1, 30),
        previous_price=Decimal("4"),
        price=Decimal("3"),
    )

    page = new_page(viewport=PHONE)
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto("/prices/")
    expect(
        page.get_by_text("The 5 largest of 7 drops in the week of 13 Feb 2023, largest first.")
    ).to_be_visible()
    expect(page.get_by_test_id("drops").locator("li")).to_have_text(
        [
            "Batavia: $3.44 → $3.30 (−14.0¢)",
            "Dutchess: $3.63 → $3.53 (−10.0¢)",
            "Binghamton: $3.52 → $3.47 (−5.0¢)",
            "Elmira: $3.51 → $3.49 (−2.0¢)",
            "Albany: $3.61 → $3.60 (−1.0¢)",
        ]
    )

"""Alice browses her stored countries on a phone without JavaScript: filters by region, sorts by
population, fetches a stale one again, and compares two side by side."""

from datetime import timedelta

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ALICE_PASSWORD = "alice-Pass-2026!"  # tests/conftest.py's alice
PHONE = {"width": 390, "height": 844}


def test_alice_filters_sorts_refetches_a_stale_one_and_compares_two_on_a_phone_without_javascript(
    new_page, log_in, alice, settings
):
    from playwright.sync_api import expect

    from core import clock
    from countries.models import StoredCountry
    from tests.countries.test_stored_and_compare import store

    settings.COUNTRIES_STALE_AFTER_HOURS = 24
    store(alice, "PY", "BR", "CO", "DE", "JP")
    StoredCountry.objects.filter(code="CO").update(fetched_at=clock.now() - timedelta(days=3))

    page = new_page(java_script_enabled=False, viewport=PHONE)
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto("/countries/")
    page.get_by_test_id("your-countries").click()
    rows = page.get_by_test_id("stored-countries").locator("li")
    expect(rows).to_have_count(5)

    page.get_by_label("Region").select_option("Americas")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("count")).to_contain_text("3 in Americas")
    expect(rows).to_have_count(3)  # by name: Brazil, Colombia, Paraguay
    assert [rows.nth(i).get_attribute("data-code") for i in range(3)] == ["BR", "CO", "PY"]

    page.get_by_label("Sort by").select_option(label="Population, smallest first")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_label("Sort by")).to_have_value("population")
    assert [rows.nth(i).get_attribute("data-code") for i in range(3)] == ["PY", "CO", "BR"]

    colombia = page.locator('li[data-code="CO"]')
    expect(colombia.get_by_test_id("stale")).to_be_visible()
    expect(page.get_by_test_id("stale")).to_have_count(1)
    button = colombia.get_by_role("button", name="Fetch again")
    box = button.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= PHONE["width"]
    button.click()
    expect(page.get_by_role("status").first).to_contain_text("Fetch of CO queued.")
    expect(page.get_by_label("Sort by")).to_have_value("population")  # back on the same list
    expect(colombia.get_by_test_id("refetching")).to_have_text("Fetching again…")

    page.get_by_label("First country").select_option("BR")
    page.get_by_label("Second country").select_option("PY")
    page.get_by_role("button", name="Compare").click()
    comparison = page.get_by_test_id("comparison")
    expect(comparison).to_contain_text("Federative Republic of Brazil")
    expect(comparison).to_contain_text("Republic of Paraguay")
    expect(comparison.locator("tr", has_text="Landlocked")).to_contain_text("No")
    expect(comparison.locator("tr", has_text="Landlocked")).to_contain_text("Yes")
    expect(page.get_by_label("First country")).to_have_value("BR")

    page.goto("/countries/compare/?a=BR&b=US")  # a country she never fetched
    expect(page.get_by_test_id("compare-error")).to_contain_text("US is not one of your stored countries")

"""A person signs up, logs out and logs in again in a real browser (Chromium through Playwright)."""

import pytest

pytestmark = pytest.mark.e2e


def test_a_new_user_signs_up_logs_out_logs_in_and_sees_their_name(page):
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password:", exact=True).fill("tick-Tock-2026")
    page.get_by_label("Password confirmation").fill("tick-Tock-2026")
    page.get_by_label("Time zone").select_option("Europe/Paris")
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_test_id("username").inner_text() == "alice"

    page.get_by_role("button", name="Log out").click()
    assert page.get_by_test_id("username").count() == 0

    page.get_by_role("link", name="Log in").first.click()
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password:", exact=True).fill("tick-Tock-2026")
    page.get_by_role("button", name="Log in").click()

    assert page.get_by_test_id("username").inner_text() == "alice"


def test_sign_up_starts_in_the_browsers_time_zone(new_page):
    page = new_page(timezone_id="Asia/Tokyo")
    page.goto("/account/signup/")

    assert page.get_by_label("Time zone").input_value() == "Asia/Tokyo"


def test_sign_up_without_javascript_keeps_the_default_zone(new_page, settings):
    page = new_page(timezone_id="Asia/Tokyo", java_script_enabled=False)
    page.goto("/account/signup/")

    assert page.get_by_label("Time zone").input_value() == settings.DEFAULT_USER_TIME_ZONE

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

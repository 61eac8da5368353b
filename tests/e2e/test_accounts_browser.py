"""A person signs up, logs out and logs in again in a real browser (Chromium through Playwright)."""

import os
import shutil

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("aws")]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def signup_page(live_server):
    if not os.path.exists(CHROMIUM):
        reason = f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(reason + ": CI must run them")
        pytest.skip(reason)
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes are still sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        page = browser.new_page()
        page.set_default_timeout(15000)
        yield page, live_server.url
        browser.close()


def test_a_new_user_signs_up_logs_out_logs_in_and_sees_their_name(signup_page):
    page, base = signup_page

    page.goto(base + "/")
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

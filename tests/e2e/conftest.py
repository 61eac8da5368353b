"""Real-browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live_server.

The live server runs in this process, so it talks to the same moto server (sessions in DynamoDB,
every app's tables) as the rest of the suite. Browser tests skip with a reason when Chromium is
not installed, and fail instead when ``CI`` is set (CI must run them).

Fixtures: ``browser`` (one Chromium for the session), ``page`` (a fresh context and page per
test, JavaScript on), ``new_page(**context_options)`` for other contexts (no JavaScript, phone
viewport), and ``log_in(page, username, password)`` which goes through the login form.
"""

from __future__ import annotations

import os

import pytest

from tests.browser import CHROMIUM_NAMES, find_chromium

CHROMIUM = find_chromium()
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
TIMEOUT_MS = 15_000


def _require_chromium() -> None:
    if CHROMIUM is not None:
        return
    wanted = os.environ.get("CHROMIUM") or f"one of {', '.join(CHROMIUM_NAMES)} on PATH"
    reason = (
        f"browser tests need Chromium, Chrome or Edge ({wanted}; Debian: apt-get install -y chromium; "
        "elsewhere set CHROMIUM=<path to the browser>)"
    )
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must run them", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test module. Module-scoped, so the environment variable below (needed while
    Playwright runs) is gone again for the rest of the suite: `check --deploy` refuses it (async.E001)."""
    _require_chromium()
    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls stay sync.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser, live_server, aws):
    """Open a page in a new browser context (``base_url`` is the live server)."""
    contexts = []

    def open_page(**context_options):
        context = browser.new_context(base_url=live_server.url, **context_options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def log_in():
    """``log_in(page, username, password)``: through the login form, then wait for the header."""

    def go(page, username: str, password: str) -> None:
        page.goto("/account/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.get_by_test_id("username").wait_for()

    return go

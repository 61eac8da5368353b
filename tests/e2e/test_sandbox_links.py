"""Every app with a sandbox links it from its own page on the laptop stages, as the tracker does:
a signed-in person reaches where a drop is triggered, the outboxes and the stand-in pages by
clicking, on a desktop and on a phone."""

import re

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ALICE_PASSWORD = "alice-Pass-2026!"  # tests/conftest.py's alice
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}

# (app page, link text, where it leads, what that page says)
LINKS = [
    ("/prices/", "append a week with a drop", r"/sandbox/prices/$", "NY Open Data stand-in"),
    ("/prices/", "email outbox", r"/sandbox/prices/outbox/$", None),
    ("/tracker/", "make a sandbox order", r"/sandbox/tracker/$", None),
    ("/tracker/", "SMS outbox", r"/sandbox/tracker/outbox/$", None),
    ("/scraper/", "the sandbox movies page", r"/sandbox/scraper/movies/$", None),
    ("/countries/", "its document for Paraguay", r"/sandbox/countries/v3\.1/alpha/PY$", "Paraguay"),
]


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_each_apps_page_links_its_sandbox(new_page, log_in, alice, viewport):
    from playwright.sync_api import expect

    page = new_page(viewport=viewport)
    log_in(page, "alice", ALICE_PASSWORD)
    for start, name, target, says in LINKS:
        page.goto(start)
        link = page.get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        link.click()
        expect(page).to_have_url(re.compile(target))
        if says:
            expect(page.locator("body")).to_contain_text(says)

"""Alice, on a phone, adds an order without developer tools, names it, changes its phone and stages,
and removes it once it ended; a shared tracker link prefills the form, anything else is refused.

The sandbox order's page asks its tracker for the status every few seconds with the token, as
Domino's tracker page does: the bookmarklet from the help reads both there, shows the token to copy
(a prompt: Playwright reads and accepts it) and opens the new-order form with the URL filled in.
"""

import re

import pytest

from tests.tracker import fixtures

sandbox = fixtures.sandbox

pytestmark = pytest.mark.e2e

ALICE_PASSWORD = "alice-Pass-2026!"  # tests/conftest.py's alice
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_alice_tracks_names_changes_and_removes_an_order_from_a_phone(new_page, log_in, alice, sandbox):
    from playwright.sync_api import expect

    page = new_page(**PHONE)
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto("/tracker/")
    bookmarklet = page.get_by_test_id("bookmarklet").get_attribute("href") or ""
    assert bookmarklet.startswith("javascript:")
    expect(page.get_by_test_id("bookmarklet-code")).to_have_value(bookmarklet)

    # The order's tracker page (the sandbox's stand-in of Domino's), then the bookmarklet on it.
    page.get_by_role("link", name="make a sandbox order").first.click()
    page.get_by_label("Seconds from placed to completed").fill("300")
    page.get_by_role("button", name="Make a sandbox order").click()
    tracker_url = page.get_by_test_id("sandbox-url").inner_text()
    token = page.get_by_test_id("sandbox-token").inner_text()
    expect(page.get_by_test_id("sandbox-status")).to_have_text("the tracker says PC")
    shown: list[str] = []

    def copy_the_token(dialog):
        shown.append(dialog.default_value)
        dialog.accept()

    page.on("dialog", copy_the_token)
    page.evaluate(bookmarklet.removeprefix("javascript:"))

    expect(page).to_have_url(re.compile(r"/tracker/new/\?url="), timeout=15_000)
    assert shown == [token]
    expect(page.get_by_test_id("prefilled")).to_be_visible()
    expect(page.get_by_label("Tracker URL")).to_have_value(tracker_url)
    expect(page.get_by_label("Token")).to_be_focused()
    page.get_by_label("Token").fill(shown[0])
    page.get_by_label("Phone to text").fill("+60 12 345 6789")
    page.get_by_label("Name (optional)").fill("Friday pizzas")
    page.get_by_role("button", name="Track this order").click()

    expect(page.get_by_test_id("order-title")).to_have_text("Friday pizzas")
    expect(page.get_by_test_id("order-texting")).to_contain_text("texts to +60123456789 at DL, CP")

    # Change the phone and the stages while it is tracked (no JavaScript needed: a plain form).
    page.get_by_role("link", name="Change its name, phone or stages").click()
    page.get_by_label("Phone to text").fill("+60 19 876 5432")
    page.get_by_label("In progress").check()
    page.get_by_label("Completed").uncheck()
    page.get_by_label(re.compile(r"^Name:?$")).fill("Friday pizzas for four")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_contain_text("your changes are saved")
    expect(page.get_by_test_id("order-title")).to_have_text("Friday pizzas for four")
    expect(page.get_by_test_id("order-texting")).to_contain_text("texts to +60198765432 at PC, DL")

    # On a phone, My orders come first, above the form.
    page.get_by_role("link", name="My orders").first.click()
    orders = page.get_by_role("heading", name="My orders").bounding_box()
    form = page.get_by_role("heading", name="Track an order").bounding_box()
    assert orders is not None
    assert form is not None
    assert orders["y"] < form["y"]

    # Once it ended, it can be removed.
    page.get_by_role("link", name="Friday pizzas for four").click()
    page.get_by_role("button", name="Stop tracking").click()
    expect(page.get_by_test_id("order-tracking")).to_have_text("Stopped by you")
    page.get_by_role("link", name="My orders").first.click()
    page.get_by_role("button", name="Remove Friday pizzas for four").click()
    expect(page.get_by_role("status")).to_contain_text("Friday pizzas for four is removed")
    expect(page.locator("li[data-order-id]")).to_have_count(0)


def test_a_shared_link_prefills_the_form_and_anything_else_is_refused(new_page, log_in, alice, sandbox):
    from playwright.sync_api import expect

    from tests.tracker.factories import cart_url

    url = cart_url(sandbox)
    page = new_page(**PHONE)
    log_in(page, "alice", ALICE_PASSWORD)

    page.goto("/tracker/new/?text=" + "My%20pizza%20" + url)
    expect(page.get_by_label("Tracker URL")).to_have_value(url)

    page.goto("/tracker/new/?url=https%3A%2F%2Fevil.example%2Fapi%2FGPSTracker%2FCartId%2F1")
    expect(page.get_by_test_id("prefill-refused")).to_be_visible()
    expect(page.get_by_label("Tracker URL")).to_have_value("")


def test_on_a_desktop_the_form_comes_first(new_page, log_in, alice, sandbox):
    page = new_page(viewport={"width": 1280, "height": 900})
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto("/tracker/")

    orders = page.get_by_role("heading", name="My orders").bounding_box()
    form = page.get_by_role("heading", name="Track an order").bounding_box()
    assert orders is not None
    assert form is not None
    assert form["y"] < orders["y"]

"""Alice edits a routine and reads its history in a real browser, on a desktop and on a phone: a
refused rename comes back at the item (never on a POST-only address), the history does not show
days before the routine existed as undone days, and a day completed before a time-zone change keeps
its streak."""

import re
from datetime import UTC, datetime, timedelta

import pytest

pytestmark = pytest.mark.e2e

ALICE_PASSWORD = "alice-Pass-2026!"  # tests/conftest.py's alice
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
ITEMS = [f"Step {n}" for n in range(1, 21)]  # a long list: the page scrolls


@pytest.fixture
def stretch(alice):
    from routines.services import routine_create

    return routine_create(owner=alice, name="Stretch", items=ITEMS)


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_an_empty_rename_shows_its_error_at_the_item_and_keeps_alices_place(
    new_page, log_in, alice, stretch, viewport
):
    from playwright.sync_api import expect

    item = list(stretch.items.all())[-2]  # near the bottom of the page
    page = new_page(viewport=viewport)
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto(f"/routines/{stretch.pk}/edit/")
    row = page.locator(f"#item-{item.pk}")
    field = row.get_by_label("Item 19")
    field.fill("")
    row.get_by_role("button", name="Rename").click()

    expect(page).to_have_url(re.compile(rf"/routines/{stretch.pk}/edit/#item-{item.pk}$"))
    row = page.locator(f"#item-{item.pk}")
    error = row.get_by_test_id("rename-error")
    expect(error).to_contain_text("This field is required.")
    expect(error).to_be_in_viewport()  # alice is still at the item, not at the top of the page
    expect(row.get_by_label("Item 19")).to_have_value("")  # what she typed, not the old text back
    expect(page.get_by_test_id("rename-error")).to_have_count(1)
    field_box, error_box = row.get_by_label("Item 19").bounding_box(), error.bounding_box()
    assert 0 <= error_box["y"] - (field_box["y"] + field_box["height"]) < 60  # right under the field

    page.reload()  # a reload is a GET of the edit page: no blank 405, the error shown once
    expect(page.locator("h1")).to_have_text("Edit Stretch")
    expect(page.get_by_test_id("rename-error")).to_have_count(0)
    response = page.goto(f"/routines/{stretch.pk}/items/{item.pk}/rename/")
    assert response.status == 200
    expect(page).to_have_url(re.compile(rf"/routines/{stretch.pk}/edit/#item-{item.pk}$"))


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_the_history_of_a_new_routine_shows_no_undone_days_before_it_existed(
    new_page, log_in, alice, stretch, viewport
):
    from playwright.sync_api import expect

    page = new_page(viewport=viewport)
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto(f"/routines/{stretch.pk}/history/")

    from core.clock import user_today

    today = user_today(alice)
    # This month's calendar: every day before today is "before the routine existed", not undone.
    expect(page.locator("table.grid td.cell")).to_have_count(
        ((today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)).day
    )
    expect(page.locator("table.grid td[data-before]")).to_have_count(today.day - 1)
    expect(page.locator("table.grid td.today")).to_contain_text("0/20")
    expect(page.locator("table.grid td[data-before] .count")).to_have_count(0)
    expect(page.get_by_text("best streak")).to_be_visible()


def test_a_routine_completed_today_keeps_its_streak_after_a_time_zone_change(new_page, log_in, alice, clock):
    from playwright.sync_api import expect

    from routines.services import routine_create

    clock.set(datetime(2026, 12, 7, 18, 30, tzinfo=UTC))  # already 8 Dec in Tokyo
    alice.time_zone = "UTC"
    alice.save()
    routine = routine_create(owner=alice, name="Stretch", items=["Neck", "Back"])
    page = new_page()
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto("/routines/")
    card = page.locator(f"#routine-{routine.pk}")
    card.get_by_label("Neck").check()
    card.get_by_label("Back").check()
    expect(card.get_by_test_id(f"counter-{routine.pk}")).to_have_text("2/2 done")

    page.goto("/account/profile/")
    page.get_by_label("Time zone").select_option("Asia/Tokyo")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Your profile was saved.")
    page.goto(f"/routines/{routine.pk}/history/")

    expect(page.get_by_test_id("streak")).to_have_text("1")
    expect(page.get_by_test_id("rate")).to_have_text("100%")

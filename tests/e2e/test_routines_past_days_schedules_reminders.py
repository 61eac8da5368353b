"""In a real browser: alice ticks yesterday from the history, makes her routine weekdays-only and sees
the streak count weekdays only, then sets a reminder and finds it in the laptop's email outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

pytestmark = pytest.mark.e2e

ALICE_PASSWORD = "alice-Pass-2026!"  # tests/conftest.py's alice
SHOTS = __import__("os").environ.get("ROUTINES_SHOTS")  # a folder for screenshots, when looking
# Wednesday 11 March 2026, 07:05 in Paris (alice's zone).
NOW = datetime(2026, 3, 11, 6, 5, tzinfo=UTC)


@pytest.fixture
def outbox(settings):
    settings.EMAIL_BACKEND = "core.aws.mail.OutboxBackend"


@pytest.fixture
def morning(alice, clock):
    from datetime import date

    from routines.models import Routine
    from routines.services import routine_create, routine_day_set

    clock.set(NOW)
    routine = routine_create(owner=alice, name="Morning", items=["Stretch", "Water"])
    Routine.objects.filter(pk=routine.pk).update(created_at=NOW - timedelta(days=20))
    ids = [item.pk for item in routine.items.all()]
    # Thursday, Friday and Monday done; the weekend and Tuesday (yesterday) not.
    for day in (date(2026, 3, 5), date(2026, 3, 6), date(2026, 3, 9)):
        routine_day_set(owner=alice, routine_id=routine.pk, day=day, item_ids=ids)
    return routine


def test_tick_yesterday_from_the_history_go_weekdays_only_and_get_a_reminder(
    new_page, log_in, alice, morning, clock, outbox
):
    from django.core.management import call_command
    from playwright.sync_api import expect

    page = new_page(viewport={"width": 390, "height": 844}, has_touch=True)
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto(f"/routines/{morning.pk}/history/")
    expect(page.get_by_test_id("streak")).to_have_text("0")
    expect(page.locator("table.grid").get_by_role("columnheader")).to_have_count(7)

    page.get_by_label("Tuesday 10 March: 0 of 2 done; open that day").click()
    expect(page.get_by_test_id("past-day")).to_be_visible()
    card = page.locator(f"#routine-{morning.pk}")
    card.get_by_label("Stretch").check()
    card.get_by_label("Water").check()
    expect(card.get_by_test_id(f"counter-{morning.pk}")).to_have_text("2/2 done")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/past-day.png", full_page=True)

    page.goto(f"/routines/{morning.pk}/history/")
    expect(page.get_by_test_id("streak")).to_have_text("2")  # Monday, Tuesday: the weekend broke it
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto(f"/routines/{morning.pk}/edit/")
    page.get_by_label("On these days:").check()
    for day in ("Mon", "Tue", "Wed", "Thu", "Fri"):
        page.get_by_label(day, exact=True).check()
    for day in ("Sat", "Sun"):
        page.get_by_label(day, exact=True).uncheck()
    page.get_by_role("button", name="Save schedule").click()
    expect(page.get_by_test_id("schedule-text")).to_have_text("Mon, Tue, Wed, Thu, Fri")

    page.goto(f"/routines/{morning.pk}/history/")
    expect(page.get_by_test_id("streak")).to_have_text("4")  # Thursday, Friday, Monday, Tuesday
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/history.png", full_page=True)

    page.goto(f"/routines/{morning.pk}/edit/")
    page.get_by_label("Remind me at").fill("07:10")
    page.get_by_label("Email").check()
    page.get_by_role("button", name="Save reminder").click()
    expect(page.get_by_role("status").first).to_contain_text("Reminder set for 07:10 by email.")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/edit.png", full_page=True)

    clock.set(NOW + timedelta(minutes=10))
    assert call_command("send_reminders").startswith("Sent 1 reminders (1 emails")
    assert call_command("send_reminders").startswith("Sent 0 reminders")  # once a day

    page.goto("/sandbox/core/outbox/")
    page.get_by_label("Address").fill("alice@example.com")
    page.get_by_role("button", name="Show the emails").click()
    expect(page.get_by_text("Reminder: Morning is not done yet today")).to_have_count(1)


def test_without_javascript_on_a_phone_routines_move_and_a_deleted_item_comes_back(
    new_page, log_in, alice, morning
):
    from playwright.sync_api import expect

    from routines.services import routine_create

    routine_create(owner=alice, name="Bedtime", items=["Teeth"])
    page = new_page(java_script_enabled=False, viewport={"width": 390, "height": 844})
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto("/routines/")
    expect(page.locator("li.routine h2")).to_have_text(["Morning", "Bedtime"])

    page.get_by_role("button", name="Move Bedtime up").click()
    expect(page.locator("li.routine h2")).to_have_text(["Bedtime", "Morning"])
    expect(page.get_by_role("button", name="Move Bedtime up")).to_be_disabled()

    page.goto(f"/routines/{morning.pk}/edit/")
    page.get_by_role("button", name="Delete Stretch").click()
    expect(page.get_by_label("Item 1", exact=True)).to_have_value("Water")
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("status").first).to_contain_text("Stretch is back.")
    expect(page.get_by_label("Item 1", exact=True)).to_have_value("Stretch")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_with_javascript_a_routine_is_dragged_into_place_and_the_order_is_saved(
    new_page, log_in, alice, morning
):
    from playwright.sync_api import expect

    from routines.services import routine_create

    bedtime = routine_create(owner=alice, name="Bedtime", items=["Teeth"])
    page = new_page(viewport={"width": 1280, "height": 900})
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto("/routines/")

    page.locator(f"#routine-{bedtime.pk} h2").drag_to(page.locator(f"#routine-{morning.pk} h2"))
    expect(page.locator("li.routine h2")).to_have_text(["Bedtime", "Morning"])

    page.wait_for_load_state("networkidle")
    page.reload()
    expect(page.locator("li.routine h2")).to_have_text(["Bedtime", "Morning"])

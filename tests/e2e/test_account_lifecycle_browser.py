"""In a real browser (Chromium through Playwright): a person who forgot their password resets it from
the email in the laptop's outbox, exports their data, then deletes their account, and nothing of
theirs is left; on a phone-sized screen and without JavaScript."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture
def outbox(settings):
    settings.EMAIL_BACKEND = "core.aws.mail.OutboxBackend"


def test_reset_a_forgotten_password_from_the_outbox_then_delete_the_account(new_page, alice, log_in, outbox):
    from django.contrib.auth import get_user_model

    from routines.models import Routine
    from routines.services import routine_create

    routine_create(owner=alice, name="Morning", items=["Stretch"])
    page = new_page(java_script_enabled=False, viewport={"width": 390, "height": 844})

    page.goto("/account/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("alice@example.com")
    page.get_by_role("button", name="Send me the link").click()
    assert page.get_by_test_id("reset-sent").is_visible()

    page.get_by_role("link", name="email outbox").click()
    page.get_by_label("Address").fill("alice@example.com")
    page.get_by_role("button", name="Show the emails").click()
    page.get_by_test_id("outbox").get_by_role("link").first.click()
    page.get_by_label("New password:", exact=True).fill("fresh-Start-2027")
    page.get_by_label("New password confirmation").fill("fresh-Start-2027")
    page.get_by_role("button", name="Set my new password").click()
    assert page.get_by_test_id("reset-complete").is_visible()

    log_in(page, "alice", "fresh-Start-2027")
    page.get_by_role("link", name="Profile").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    with page.expect_download() as download:
        page.get_by_role("link", name="Export my data").click()
    with open(download.value.path(), "rb") as exported:
        assert b'"Morning"' in exported.read()

    page.get_by_role("link", name="Delete my account…").click()
    page.get_by_label("Your password").fill("fresh-Start-2027")
    page.get_by_role("button", name="Delete my account and everything in it").click()

    assert page.get_by_text("Your account and everything in it were deleted.").is_visible()
    assert page.get_by_test_id("username").count() == 0
    assert not get_user_model().objects.filter(username="alice").exists()
    assert not Routine.objects.filter(owner_id=alice.pk).exists()
    page.goto("/account/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("fresh-Start-2027")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_text("Please enter a correct username and password").is_visible()

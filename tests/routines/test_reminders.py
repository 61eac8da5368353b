"""Reminders: at a time of day in the owner's zone, by email or text, only when not done yet, once a day."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.management import call_command

from core.models import OutboxMessage
from routines.models import Routine
from routines.services import (
    routine_create,
    routine_day_set,
    routine_reminder_set,
    routine_reminders_send,
    routine_update,
)

# Wednesday 11 March 2026: 06:55 in Paris (alice), 22:55 the day before in Los Angeles (bob).
BEFORE = datetime(2026, 3, 11, 5, 55, tzinfo=UTC)
AFTER = datetime(2026, 3, 11, 6, 5, tzinfo=UTC)  # 07:05 in Paris


@pytest.fixture(autouse=True)
def outbox(settings):
    settings.EMAIL_BACKEND = "core.aws.mail.OutboxBackend"  # the laptop's outbox (pytest-django's is locmem)


@pytest.fixture
def reminded(clock, alice, morning):
    clock.set(BEFORE)
    routine_reminder_set(routine=morning, remind_at=time(7, 0), remind_by="email")
    return morning


def test_the_reminder_is_set_for_the_owners_time_of_day(reminded):
    assert Routine.objects.get(pk=reminded.pk).remind_next_at == datetime(2026, 3, 11, 6, 0, tzinfo=UTC)


def test_an_email_reminder_is_sent_once_when_the_time_comes(clock, alice, reminded):
    assert routine_reminders_send().summary().startswith("Sent 0 reminders")

    clock.set(AFTER)
    run = routine_reminders_send()
    again = routine_reminders_send()

    assert (run.emails, again.emails) == (1, 0)
    [mail] = OutboxMessage.objects.filter(to=alice.email)
    assert mail.subject == "Reminder: Morning is not done yet today"
    assert "- Shower" in mail.body
    routine = Routine.objects.get(pk=reminded.pk)
    assert routine.reminded_on == date(2026, 3, 11)
    assert routine.remind_next_at == datetime(2026, 3, 12, 6, 0, tzinfo=UTC)


def test_no_reminder_when_the_routine_is_done(clock, alice, reminded, morning_items):
    routine_day_set(
        owner=alice, routine_id=reminded.pk, day=date(2026, 3, 11), item_ids=[i.pk for i in morning_items]
    )
    clock.set(AFTER)

    run = routine_reminders_send()

    assert (run.emails, run.done_already) == (0, 1)
    assert not OutboxMessage.objects.exists()


def test_no_reminder_on_a_day_it_is_not_due_nor_while_paused(clock, alice, reminded):
    routine_update(routine=reminded, schedule="weekdays", weekdays=["mon", "tue"])
    # Wednesday is not due: the next reminder is Monday 16 March.
    assert Routine.objects.get(pk=reminded.pk).remind_next_at == datetime(2026, 3, 16, 6, 0, tzinfo=UTC)
    routine_update(routine=reminded, status="paused")
    assert Routine.objects.get(pk=reminded.pk).remind_next_at is None
    clock.set(datetime(2026, 3, 16, 6, 5, tzinfo=UTC))

    assert routine_reminders_send().emails == 0


def test_a_failed_email_is_tried_again_by_the_next_run(clock, alice, reminded, settings):
    clock.set(AFTER)
    settings.EMAIL_BACKEND = "tests.routines.test_reminders.FailingBackend"
    assert routine_reminders_send().failed == 1
    settings.EMAIL_BACKEND = "core.aws.mail.OutboxBackend"

    assert routine_reminders_send().emails == 1


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("SES said no")


def test_a_text_reminder_goes_through_the_tracker_sandbox(clock, alice, reminded, live_server, settings):
    from tests.tracker.helpers import sandbox_on
    from tracker.models import SandboxText

    sandbox_on(live_server, settings)
    routine_reminder_set(routine=reminded, remind_by="sms", phone="+60123456789")
    clock.set(AFTER)

    assert call_command("send_reminders") == "Sent 1 reminders (0 emails, 1 texts), 0 already done, 0 failed."
    [text] = SandboxText.objects.all()
    assert text.to == "+60123456789"
    assert text.body.startswith("Reminder: Morning is not done yet today")


def test_finding_due_reminders_takes_the_same_queries_for_many_users(
    clock, alice, django_assert_max_num_queries
):
    from tests.accounts.factories import UserFactory

    clock.set(BEFORE)
    owners = [alice, *[UserFactory(time_zone="Europe/Paris") for _ in range(6)]]
    for owner in owners:
        routine = routine_create(owner=owner, name="Morning", items=["Shower"])
        routine_reminder_set(routine=routine, remind_at=time(7, 0))
    clock.set(AFTER)

    # Claim (3: the locked read, the items, one bulk update), and the laptop outbox's one insert a message.
    with django_assert_max_num_queries(3 + len(owners) + 2):
        assert routine_reminders_send().emails == len(owners)


def test_the_api_sets_a_reminder_and_refuses_a_text_without_a_phone(clock, api_alice, morning):
    clock.set(BEFORE)
    url = f"/api/routines/{morning.pk}/"

    response = api_alice.patch(url, {"remind_at": "07:30", "remind_by": "sms"}, format="json")
    assert response.status_code == 400
    assert "remind_phone" in response.json()

    response = api_alice.patch(url, {"remind_at": "07:30", "remind_by": "email"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["remind_at"], response.json()["remind_by"]) == ("07:30", "email")
    response = api_alice.patch(url, {"remind_at": None}, format="json")
    assert response.json()["remind_at"] is None
    assert Routine.objects.get(pk=morning.pk).remind_next_at is None


def test_the_edit_page_sets_a_reminder(clock, alice_client, morning):
    clock.set(BEFORE)

    response = alice_client.post(
        f"/routines/{morning.pk}/reminder/", {"remind_at": "07:30", "remind_by": "email"}, follow=True
    )

    assert "Reminder set for 07:30 by email." in response.content.decode()
    assert Routine.objects.get(pk=morning.pk).remind_at == time(7, 30)
    assert timedelta(0) < Routine.objects.get(pk=morning.pk).remind_next_at - BEFORE < timedelta(hours=1)


def test_after_moving_west_the_reminder_waits_for_the_new_local_time(clock, alice, reminded):
    alice.time_zone = "America/New_York"
    alice.save(update_fields=["time_zone"])
    clock.set(AFTER)  # 07:05 in Paris, 02:05 in New York

    assert routine_reminders_send().emails == 0
    assert Routine.objects.get(pk=reminded.pk).remind_next_at == datetime(2026, 3, 11, 11, 0, tzinfo=UTC)

    clock.set(datetime(2026, 3, 11, 11, 1, tzinfo=UTC))
    assert routine_reminders_send().emails == 1


def test_a_three_times_a_week_routine_stops_reminding_once_the_week_has_its_three(
    clock, alice, reminded, morning_items
):
    routine_update(routine=reminded, schedule="weekly", times_per_week=3)
    ids = [i.pk for i in morning_items]
    for day in (date(2026, 3, 9), date(2026, 3, 10)):  # Monday, Tuesday
        routine_day_set(owner=alice, routine_id=reminded.pk, day=day, item_ids=ids)
    clock.set(AFTER)
    assert routine_reminders_send().emails == 1  # Wednesday: 2 of 3 so far

    routine_day_set(owner=alice, routine_id=reminded.pk, day=date(2026, 3, 11), item_ids=ids)
    clock.set(datetime(2026, 3, 12, 6, 5, tzinfo=UTC))  # Thursday: the week has its 3
    run = routine_reminders_send()
    assert (run.emails, run.done_already) == (0, 1)


def test_export_and_delete_cover_the_schedule_the_reminder_and_its_texts(
    clock, alice, reminded, live_server, settings
):
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    from routines.user_data import user_data_delete, user_data_export
    from tests.tracker.helpers import sandbox_on
    from tracker.models import SandboxText

    sandbox_on(live_server, settings)
    routine_update(
        routine=reminded, schedule="weekdays", weekdays=["wed"], remind_by="sms", remind_phone="+60123456789"
    )
    clock.set(AFTER)
    assert routine_reminders_send().texts == 1
    SandboxText.objects.create(
        sid="SMother", account_sid="AC", to="+60123456789", from_number="+1", body="Pizza"
    )

    exported = json.loads(json.dumps(user_data_export(user=alice), cls=DjangoJSONEncoder))
    [morning] = exported["routines"]
    assert (morning["schedule"], morning["weekdays"]) == ("weekdays", ["wed"])
    assert morning["reminder"] == {
        "at": "07:00:00",
        "by": "sms",
        "phone": "+60123456789",
        "last_reminded_on": "2026-03-11",
    }

    assert user_data_delete(user=alice).endswith("1 reminder texts")
    assert list(SandboxText.objects.values_list("body", flat=True)) == ["Pizza"]  # not a reminder of hers

"""Schedules: every day, chosen weekdays, N times a week; pause and archive instead of delete."""

import zoneinfo
from datetime import UTC, date, datetime, timedelta

import pytest

from routines.models import Routine
from routines.selectors import routine_board, routine_get, routine_history
from routines.services import routine_day_set, routine_status_set, routine_update

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# Wednesday 11 March 2026, 10:00 in Paris.
NOW = datetime(2026, 3, 11, 9, tzinfo=UTC)
TODAY = date(2026, 3, 11)


@pytest.fixture
def at_noon(clock):
    clock.set(NOW)


def fill(alice, routine, days):
    ids = [item.pk for item in routine.items.all()]
    for day in days:
        routine_day_set(owner=alice, routine_id=routine.pk, day=day, item_ids=ids)


def history(alice, routine, days=30):
    return routine_history(
        routine=routine_get(owner=alice, pk=routine.pk),
        start=TODAY - timedelta(days=days - 1),
        end=TODAY,
        zone=PARIS,
        today=TODAY,
    )


def test_a_weekdays_only_routine_keeps_its_streak_over_the_weekend(at_noon, alice, morning):
    routine_update(routine=morning, schedule="weekdays", weekdays=["mon", "tue", "wed", "thu", "fri"])
    # Thu 5, Fri 6, (weekend 7-8 not done), Mon 9, Tue 10 March.
    fill(alice, morning, [date(2026, 3, 5), date(2026, 3, 6), date(2026, 3, 9), date(2026, 3, 10)])

    result = history(alice, morning, days=7)

    assert result.streak == 4
    assert [d.due for d in result.days] == [True, True, False, False, True, True, True]  # Thu..Wed
    # Counted: Thu to Tue on weekdays (today open): 4 of 4.
    assert (result.complete_days, result.counted_days) == (4, 4)


def test_every_day_the_same_days_break_the_streak(at_noon, alice, morning):
    fill(alice, morning, [date(2026, 3, 5), date(2026, 3, 6), date(2026, 3, 9), date(2026, 3, 10)])

    result = history(alice, morning, days=7)

    assert result.streak == 2
    assert result.best_streak == 2


def test_three_times_a_week_counts_only_the_weeks_shortfall(at_noon, alice, morning):
    routine_update(routine=morning, schedule="weekly", times_per_week=3)
    # Week of 23 Feb: 3 done (met). Week of 2 March: 1 done (2 short). This week: 1 done so far.
    fill(alice, morning, [date(2026, 2, 23), date(2026, 2, 25), date(2026, 2, 27)])
    fill(alice, morning, [date(2026, 3, 3)])
    fill(alice, morning, [date(2026, 3, 10)])

    result = routine_history(
        routine=routine_get(owner=alice, pk=morning.pk),
        start=date(2026, 2, 23),
        end=TODAY,
        zone=PARIS,
        today=TODAY,
    )

    due_missed = [d.date for d in result.days if d.due and not d.complete]
    assert due_missed == [date(2026, 3, 7), date(2026, 3, 8)]  # the week's 2 missing, latest days
    assert (result.complete_days, result.counted_days) == (5, 7)
    assert result.streak == 1  # this week's Tuesday; last week fell short
    assert result.best_streak == 4  # 23, 25, 27 Feb and 3 March: the missed days between were not due


def test_a_pause_keeps_the_streak_and_hides_the_routine_from_today(clock, alice, morning):
    clock.set(datetime(2026, 3, 5, 9, tzinfo=UTC))
    fill(alice, morning, [date(2026, 3, 3), date(2026, 3, 4)])
    routine_status_set(routine=morning, status="paused")
    assert routine_board(owner=alice, day=date(2026, 3, 5)) == []
    clock.set(NOW)
    routine_status_set(routine=routine_get(owner=alice, pk=morning.pk), status="active")
    fill(alice, morning, [date(2026, 3, 10)])

    result = history(alice, morning, days=10)

    assert Routine.objects.get(pk=morning.pk).pauses == [["2026-03-05", "2026-03-10"]]
    assert [d.mark for d in result.days if d.date >= date(2026, 3, 5)][:5] == ["off"] * 5
    # Paused 5-10 March, and 10 March ticked anyway (not due, so not counted): 3 and 4 March.
    assert result.streak == 2
    assert [r.name for r, _ in routine_board(owner=alice, day=TODAY)] == ["Morning"]


def test_the_api_sets_a_schedule_and_refuses_a_bad_one(at_noon, api_alice, morning):
    url = f"/api/routines/{morning.pk}/"

    response = api_alice.patch(url, {"schedule": "weekdays", "weekdays": ["mon", "fri"]}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["schedule"], response.json()["weekdays"]) == ("weekdays", ["mon", "fri"])

    for body, field in [
        ({"schedule": "weekdays", "weekdays": []}, "weekdays"),
        ({"weekdays": ["someday"]}, "weekdays"),
        ({"schedule": "weekly", "times_per_week": 9}, "times_per_week"),
        ({"schedule": "monthly"}, "schedule"),
        ({"status": "gone"}, "status"),
        ({"remind_at": "25:00"}, "remind_at"),
    ]:
        response = api_alice.patch(url, body, format="json")
        assert response.status_code == 400, body
        assert field in response.json(), response.json()
    assert Routine.objects.get(pk=morning.pk).weekdays == 0b10001


def test_the_api_archives_instead_of_deleting(at_noon, api_alice, alice, morning):
    response = api_alice.patch(f"/api/routines/{morning.pk}/", {"status": "archived"}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "archived"
    assert routine_board(owner=alice, day=TODAY) == []
    assert api_alice.get(f"/api/routines/{morning.pk}/history/").status_code == 200


def test_the_edit_page_sets_the_schedule_and_pauses(at_noon, alice_client, alice, morning):
    response = alice_client.post(
        f"/routines/{morning.pk}/schedule/", {"schedule": "weekdays", "weekdays": ["mon", "wed"]}, follow=True
    )
    assert "now due: Mon, Wed" in response.content.decode()

    response = alice_client.post(f"/routines/{morning.pk}/schedule/", {"schedule": "weekdays"})
    assert response.status_code == 400
    assert "Choose at least one day" in response.content.decode()

    response = alice_client.post(f"/routines/{morning.pk}/status/", {"status": "paused"}, follow=True)
    html = response.content.decode()
    assert "Morning is paused" in html
    assert "Paused and archived" in html
    assert f'id="routine-{morning.pk}"' not in html


def test_the_api_lists_routines_by_status(at_noon, api_alice, alice, morning):
    from routines.services import routine_create

    routine_create(owner=alice, name="Bedtime", status="archived")

    def names(status):
        return [r["name"] for r in api_alice.get(f"/api/routines/?status={status}").json()["results"]]

    assert names("archived") == ["Bedtime"]
    assert names("active") == ["Morning"]
    assert api_alice.get("/api/routines/?status=gone").status_code == 400


def test_an_empty_status_filter_is_refused(api_alice, morning):
    response = api_alice.get("/api/routines/?status=")

    assert response.status_code == 400
    assert "status" in response.json()

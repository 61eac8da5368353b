"""Alice fixes a past day on the web: the history's days and the date field open that day's checklist."""

from datetime import timedelta

from core import clock
from core.clock import user_today
from routines.models import Routine
from routines.selectors import routine_day_state, routine_get


def page(response) -> str:
    return response.content.decode()


def test_a_day_in_the_history_links_to_that_days_checklist(alice_client, alice, morning):
    yesterday = user_today(user=alice) - timedelta(days=1)

    html = page(alice_client.get(f"/routines/{morning.pk}/history/"))

    assert f'href="/routines/?date={yesterday.isoformat()}#routine-{morning.pk}"' in html


def test_the_date_field_opens_a_past_day_and_ticking_saves_that_day(
    alice_client, alice, morning, morning_items
):
    today = user_today(user=alice)
    day = today - timedelta(days=3)

    html = page(alice_client.get(f"/routines/?date={day.isoformat()}"))
    assert 'data-testid="past-day"' in html
    assert f'action="/routines/{morning.pk}/days/{day.isoformat()}/"' in html
    assert f"/api/routines/{morning.pk}/days/{day.isoformat()}/toggle/" in html
    assert 'type="date" id="pick-date" name="date"' in html

    response = alice_client.post(
        f"/routines/{morning.pk}/days/{day.isoformat()}/", {"checked": [morning_items[0].pk]}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/routines/?date={day.isoformat()}#routine-{morning.pk}"
    routine = routine_get(owner=alice, pk=morning.pk)
    assert routine_day_state(routine=routine, day=day).checked_ids == [morning_items[0].pk]
    assert routine_day_state(routine=routine, day=today).checked_ids == []
    assert "1/7 done" in page(alice_client.get(response["Location"]))


def test_days_before_the_routine_existed_say_why_and_cannot_be_ticked(
    alice_client, alice, morning, morning_items
):
    today = user_today(user=alice)
    Routine.objects.filter(pk=morning.pk).update(created_at=clock.now() - timedelta(days=1))
    before = today - timedelta(days=5)

    html = page(alice_client.get(f"/routines/?date={before.isoformat()}"))
    assert f'data-testid="before-{morning.pk}"' in html
    assert "did not exist yet" in html
    assert 'type="checkbox"' not in html

    response = alice_client.post(
        f"/routines/{morning.pk}/days/{before.isoformat()}/", {"checked": [morning_items[0].pk]}, follow=True
    )
    assert "before this routine existed" in page(response)
    assert routine_day_state(routine=routine_get(owner=alice, pk=morning.pk), day=before).done == 0


def test_future_days_and_bad_dates_are_refused(alice_client, alice, morning, morning_items):
    tomorrow = user_today(user=alice) + timedelta(days=1)

    response = alice_client.get(f"/routines/?date={tomorrow.isoformat()}")
    assert response.status_code == 400
    assert "is in the future" in page(response)
    assert alice_client.get("/routines/?date=yesterday").status_code == 400

    response = alice_client.post(
        f"/routines/{morning.pk}/days/{tomorrow.isoformat()}/",
        {"checked": [morning_items[0].pk]},
        follow=True,
    )
    assert "is in the future" in page(response)
    assert routine_day_state(routine=routine_get(owner=alice, pk=morning.pk), day=tomorrow).done == 0


def test_history_goes_back_month_by_month_and_by_year_with_the_same_queries(
    alice_client, alice, morning, morning_items, django_assert_max_num_queries
):
    from routines.services import routine_day_set

    today = user_today(user=alice)
    long_ago = today - timedelta(days=200)
    routine_day_set(owner=alice, routine_id=morning.pk, day=long_ago, item_ids=[i.pk for i in morning_items])

    with django_assert_max_num_queries(8) as month_queries:
        html = page(alice_client.get(f"/routines/{morning.pk}/history/?month={long_ago:%Y-%m}"))
    assert long_ago.strftime("%B %Y") in html
    assert 'rel="prev"' in html
    assert 'rel="next"' in html
    assert f'href="/routines/?date={long_ago.isoformat()}#routine-{morning.pk}"' in html

    with django_assert_max_num_queries(len(month_queries)):
        html = page(alice_client.get(f"/routines/{morning.pk}/history/?year={today.year}"))
    assert html.count('class="month-label"') == 12
    assert alice_client.get(f"/routines/{morning.pk}/history/?month=2026-13").status_code == 400

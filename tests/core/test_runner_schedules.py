from datetime import UTC, datetime, timedelta

import pytest

from core.local.schedules import Cron, Rate, ScheduleError, parse

T0 = datetime(2026, 11, 22, 5, 0, 30, tzinfo=UTC)  # a Sunday


def test_a_rate_fires_every_period_from_the_start():
    rate = parse("rate(5 minutes)")
    assert rate == Rate(seconds=300)
    assert rate.next_after(T0, start=T0) == T0 + timedelta(minutes=5)
    assert rate.next_after(T0 + timedelta(minutes=7), start=T0) == T0 + timedelta(minutes=10)
    assert parse("rate(1 day)") == Rate(seconds=86400)


def test_a_daily_cron_fires_at_its_minute_in_utc():
    cron = parse("cron(15 3 * * ? *)")
    assert cron.next_after(T0) == datetime(2026, 11, 23, 3, 15, tzinfo=UTC)


def test_cron_understands_lists_ranges_steps_and_names():
    cron = parse("cron(0/20 8-10 ? JAN,NOV MON-FRI 2026)")
    assert isinstance(cron, Cron)
    assert cron.minutes == {0, 20, 40}
    assert cron.hours == {8, 9, 10}
    assert cron.days_of_week == {2, 3, 4, 5, 6}
    # Sunday 22 Nov -> Monday 23 Nov 08:00
    assert cron.next_after(T0) == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def test_sunday_is_day_one_as_in_eventbridge():
    assert parse("cron(0 12 ? * 1 *)").matches(datetime(2026, 11, 22, 12, 0, tzinfo=UTC))
    assert parse("cron(0 12 ? * SUN *)").matches(datetime(2026, 11, 22, 12, 0, tzinfo=UTC))


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("cron(0 12 L * ? *)", "L, W and #"),
        ("cron(0 12 ? * 6#3 *)", "L, W and #"),
        ("cron(0 12 15W * ? *)", "L, W and #"),
        ("cron(0 12 * * * *)", "exactly one of"),
        ("cron(0 12 * *)", "six fields"),
        ("cron(61 12 ? * * *)", "outside"),
        ("rate(0 minutes)", "positive"),
        ("every day", "neither rate"),
    ],
)
def test_it_rejects_what_it_cannot_honour(expression, reason):
    with pytest.raises(ScheduleError, match=reason):
        parse(expression)


def test_july_is_a_month_name_not_a_last_day():
    assert parse("cron(0 0 1 JUL ? *)").months == {7}

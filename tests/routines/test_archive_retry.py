"""Ticks acknowledged while the archive cannot write are retried, never lost, and redriven from the
on-failure queue (the local runner on the emulator's stream; ``manage.py redrive``)."""

import io
import sqlite3
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from core.aws.redrive import failures_list
from core.clock import user_today
from core.contract.registry import event_sources
from core.local import runner as local_runner
from routines.models import RoutineDay
from routines.services import routine_day_toggle
from tests.zappa_state import zappa_state_restored

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def archive_runner(aws, monkeypatch):
    """The local runner polling only the routine-days stream (its handler routed as on Lambda)."""
    days = [s for s in event_sources() if s.function == "routines.events.archive_days"]
    monkeypatch.setattr(local_runner, "event_sources", lambda: list(days))
    out = io.StringIO()

    def make(**options):
        runner = local_runner.EventRunner(stage="dev", stdout=out, **options)
        runner.out = out
        return runner

    with zappa_state_restored():
        yield make


@contextmanager
def database_locked():
    """Another connection holds the archive's write lock, as a long writer would: SQLite's
    BEGIN IMMEDIATE, or on PostgreSQL an EXCLUSIVE lock on the archive's table."""
    connection.ensure_connection()
    options = connection.settings_dict.setdefault("OPTIONS", {})
    saved_timeout, saved_options = options.get("timeout"), options.get("options")
    if connection.vendor == "sqlite":
        # Fail fast instead of waiting 20 s, on this connection and on any the handlers open (an
        # invocation closes a CONN_MAX_AGE=0 connection as Django does a request's: core.aws.connections).
        connection.connection.execute("PRAGMA busy_timeout = 50")
        options["timeout"] = 0.05
        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '50ms'")
        options["options"] = "-c lock_timeout=50ms"  # the connections the handlers open too
        params = connection.get_connection_params()
        # The backend's own driver (psycopg2 or psycopg); a transaction is open until the rollback below.
        other = connection.Database.connect(**{k: v for k, v in params.items() if k != "cursor_factory"})
        other.cursor().execute(f"LOCK TABLE {RoutineDay._meta.db_table} IN EXCLUSIVE MODE")
    try:
        yield
    finally:
        other.rollback()  # both sqlite3 and psycopg connections end their transaction so
        other.close()
        connection.close()
        for key, value in (("timeout", saved_timeout), ("options", saved_options)):
            if value is None:
                options.pop(key, None)
            else:
                options[key] = value


def tick_until_idle(runner, start, *, step=timedelta(seconds=40), ticks=40):
    now = start
    for _ in range(ticks):
        now += step
        runner.tick(now=now)
    return now


def tap(alice, morning, items):
    today = user_today(user=alice)
    for item in items:
        routine_day_toggle(owner=alice, routine_id=morning.pk, item_id=item.pk, day=today, done=True)


def test_ticks_made_while_the_database_is_locked_are_retried_and_archived_once_it_is_free(
    archive_runner, alice, morning, morning_items
):
    runner = archive_runner()
    start = datetime.now(UTC)
    with database_locked():
        tap(alice, morning, morning_items[:3])  # acknowledged: DynamoDB took them
        runner.tick(now=start)
        now = tick_until_idle(runner, start, step=timedelta(seconds=20), ticks=8)  # minutes of failures
        assert runner.pending() == 1
        assert not RoutineDay.objects.exists()
    assert failures_list() == []  # nothing given up on: the stream still holds the records

    tick_until_idle(runner, now, step=timedelta(seconds=31), ticks=10)

    row = RoutineDay.objects.get(routine=morning)
    assert (row.done_count, row.total, row.version) == (3, 7, 3)
    assert runner.pending() == 0
    assert "failed" in runner.out.getvalue()


def test_a_day_given_up_on_is_archived_by_redriving_its_on_failure_message(
    archive_runner, alice, morning, morning_items
):
    runner = archive_runner(max_record_age=60)
    start = datetime.now(UTC)
    with database_locked():
        tap(alice, morning, morning_items[:2])
        runner.tick(now=start)
        tick_until_idle(runner, start + timedelta(seconds=61))  # each record alone and too old: sent on
        waiting = failures_list()
        assert waiting
        assert {f.kind for f in waiting} == {"stream"}
        assert not RoutineDay.objects.exists()
    listed = io.StringIO()
    call_command("redrive", "--list", stdout=listed)
    assert f"{len(waiting)} failures waiting in this stage." in listed.getvalue()
    call_command("redrive", "--dry-run", stdout=io.StringIO())
    assert len(failures_list()) == len(waiting)  # a dry run deletes nothing

    out = io.StringIO()
    call_command("redrive", stdout=out)

    row = RoutineDay.objects.get(routine=morning)
    assert (row.done_count, row.version) == (2, 2)
    assert f"{len(waiting)} redriven" in out.getvalue()
    assert failures_list() == []


def test_a_failure_that_fails_again_stays_waiting_and_the_command_says_so(
    archive_runner, alice, morning, morning_items
):
    runner = archive_runner(max_record_age=60)
    start = datetime.now(UTC)
    with database_locked():
        tap(alice, morning, morning_items[:1])
        runner.tick(now=start)
        tick_until_idle(runner, start + timedelta(seconds=61))
        waiting = len(failures_list())

        with pytest.raises(CommandError, match="failures are still waiting"):
            call_command("redrive", stdout=io.StringIO())

    assert len(failures_list()) == waiting
    assert not RoutineDay.objects.exists()


def test_staff_see_the_waiting_failures_on_the_ops_page_and_others_cannot(
    archive_runner, alice, bob, morning, morning_items, client
):
    from django.conf import settings
    from django.shortcuts import resolve_url
    from django.urls import reverse

    runner = archive_runner(max_record_age=60)
    start = datetime.now(UTC)
    with database_locked():
        tap(alice, morning, morning_items[:1])
        runner.tick(now=start)
        tick_until_idle(runner, start + timedelta(seconds=61))
    url = reverse("ops-failures")

    anonymous = client.get(url)
    client.force_login(bob)
    not_staff = client.get(url)
    bob.is_staff = True
    bob.save(update_fields=["is_staff"])
    staff = client.get(url)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(resolve_url(settings.LOGIN_URL))
    assert not_staff.status_code == 403
    assert staff.status_code == 200
    assert "routine-days-dlq" in staff.content.decode()
    assert "routines.events.archive_days" in staff.content.decode()


def test_the_list_shows_every_waiting_failure_and_takes_none_off_the_queue(aws):
    import json

    from core.aws import client
    from core.contract.naming import resource_name

    sqs = client("sqs")
    url = sqs.get_queue_url(QueueName=resource_name("routine-days-dlq"))["QueueUrl"]
    for n in range(12):
        info = {
            "shardId": "shard-1",
            "startSequenceNumber": str(n),
            "endSequenceNumber": str(n),
            "batchSize": 1,
        }
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"DDBStreamBatchInfo": info}))

    first, second = failures_list(), failures_list()

    assert len(first) == len(second) == 12
    assert {f.info["startSequenceNumber"] for f in first} == {str(n) for n in range(12)}

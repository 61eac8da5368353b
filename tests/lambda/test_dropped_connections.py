"""A warm container whose database connection the server dropped keeps working, for every event kind.

On Lambda the connection is persistent (``CONN_MAX_AGE`` 60, ``CONN_HEALTH_CHECKS`` on) and Django
checks it only around HTTP requests. Here one process runs an invocation, the server terminates
that connection (``pg_terminate_backend``: what an Aurora failover, an RDS reboot or an idle cut
does), then the same invocation runs twice more: both must succeed. PostgreSQL only (SQLite has
no server to drop the connection); CI runs the suite on both.
"""

import importlib
import json

import pytest

import core.contract.registry
from config.lambda_entry import handler
from core.contract.registry import EventSource

handlers = importlib.import_module("tests.lambda.handlers")

pytestmark = pytest.mark.django_db(transaction=True)  # no test transaction: connections as on Lambda

STREAM_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/serverless-django-test-things/stream/2031-05-17T08:09:10.111"


@pytest.fixture
def persistent_connection():
    """The default connection configured as on a deployed stage (config/settings.py off the laptop)."""
    from django.db import connection

    saved = {key: connection.settings_dict[key] for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}
    connection.close()
    connection.settings_dict.update(CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=True)
    yield connection
    connection.close()
    connection.settings_dict.update(saved)


@pytest.fixture
def lambda_connection(persistent_connection):
    if persistent_connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL (DATABASE_URL=postgres://...): SQLite has no server to drop a connection"
        )
    return persistent_connection


def drop(connection):
    """Terminate the server side of ``connection`` from another session, as a failover would."""
    from django.db import connections

    assert connection.connection is not None, "the invocation did not keep its connection"
    pid = connection.connection.info.backend_pid
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
            assert cursor.fetchone()[0] is True
    finally:
        other.close()


@pytest.fixture
def routes(zappa_settings_module, monkeypatch):
    """A queue, a table stream and a Kinesis stream whose handlers read the database."""
    zappa_settings_module()
    handlers.CALLS.clear()
    sources = [
        EventSource(
            function="tests.lambda.handlers.count_users", service="sqs", suffix="jobs", batch_size=10
        ),
        EventSource(
            function="tests.lambda.handlers.count_users_in_bulk",
            service="dynamodb",
            suffix="things",
            batch_size=100,
        ),
        EventSource(
            function="tests.lambda.handlers.count_users", service="kinesis", suffix="rows", batch_size=100
        ),
    ]
    monkeypatch.setattr(core.contract.registry, "event_sources", lambda: sources)


def _schedule(sample_event, number):
    event = sample_event("eventbridge-scheduled")
    event["id"] = f"requeue-firing-{number}"  # each firing its own: a firing runs once
    event["resources"] = [
        "arn:aws:events:us-east-1:123456789012:rule/"
        "serverless-django-test-requeue-pending-fetches-config.events.run_command"
    ]
    event["kwargs"] = {"command": "requeue_pending_fetches"}
    return event


def _sqs(sample_event, number):
    event = sample_event("sqs-batch", QUEUE_NAME="serverless-django-test-jobs")
    event["Records"] = event["Records"][:1]
    event["Records"][0]["body"] = json.dumps({"job": number})
    return event


def _stream(sample_event, number):
    event = sample_event("dynamodb-stream-batch")
    for record in event["Records"]:
        record["eventSourceARN"] = STREAM_ARN
    return event


def _kinesis(sample_event, number):
    return sample_event("kinesis-batch", STREAM_NAME="serverless-django-test-rows")


def _manage(sample_event, number):
    return {"manage": "showmigrations --list accounts"}  # reads django_migrations


def _succeeded(kind, result):
    if kind in ("schedule", "manage"):
        return bool(result.get("summary"))
    return result == {"batchItemFailures": []} and handlers.CALLS[-1] == {"users": 1}


EVENTS = {"schedule": _schedule, "manage": _manage, "sqs": _sqs, "stream": _stream, "kinesis": _kinesis}


@pytest.mark.parametrize("kind", list(EVENTS))
def test_every_event_kind_survives_a_connection_the_server_dropped(
    kind, lambda_connection, routes, sample_event, aws, alice
):
    make = EVENTS[kind]
    assert _succeeded(kind, handler(make(sample_event, 1), None))

    drop(lambda_connection)
    after_drop = handler(make(sample_event, 2), None)
    again = handler(make(sample_event, 3), None)

    assert _succeeded(kind, after_drop), after_drop
    assert _succeeded(kind, again), again


def test_a_batch_handler_called_without_the_router_survives_a_dropped_connection(
    lambda_connection, sample_event, aws, alice
):
    handlers.CALLS.clear()
    event = _sqs(sample_event, 1)
    assert handlers.count_users(event, None) == {"batchItemFailures": []}

    drop(lambda_connection)

    assert handlers.count_users(event, None) == {"batchItemFailures": []}
    assert handlers.count_users_in_bulk(_stream(sample_event, 2), None) == {"batchItemFailures": []}
    assert handlers.CALLS == [{"users": 1}] * 3


def test_a_scheduled_command_called_without_the_router_survives_a_dropped_connection(
    lambda_connection, sample_event, aws, alice
):
    from config.events import run_command

    first = run_command(_schedule(sample_event, 1), None)
    drop(lambda_connection)

    assert run_command(_schedule(sample_event, 2), None)["summary"] == first["summary"]
    assert run_command(_schedule(sample_event, 3), None)["summary"] == first["summary"]


def test_a_transaction_the_caller_holds_is_never_closed_under_it(persistent_connection, alice):
    from django.db import transaction

    from core.aws.connections import fresh_connections

    with transaction.atomic():
        with fresh_connections():
            pass
        assert persistent_connection.connection is not None
        assert not persistent_connection.needs_rollback

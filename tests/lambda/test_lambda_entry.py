"""The thin Lambda entry: records routed by the apps' declared sources (by name), schedules and
``manage`` to allowed commands only, and every event it cannot place refused with one log line."""

import importlib
import logging

import pytest

import core.contract.registry
from config.events import CommandRefused
from config.lambda_entry import RefusedEvent, UnroutableEvent, handler
from core.aws.batch import MalformedBatch
from core.contract.registry import EventSource

handlers = importlib.import_module("tests.lambda.handlers")

LIVE_STREAM_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/serverless-django-test-things/stream/2031-05-17T08:09:10.111"


@pytest.fixture(autouse=True)
def _clear_calls():
    handlers.CALLS.clear()


@pytest.fixture
def routes(zappa_settings_module, monkeypatch):
    """Three declared sources feeding fixture handlers (as an app's AppConfig would declare them)."""
    zappa_settings_module()
    sources = [
        EventSource(
            function="tests.lambda.handlers.fail_on_poison",
            service="dynamodb",
            suffix="things",
            batch_size=100,
        ),
        EventSource(
            function="tests.lambda.handlers.fail_on_poison", service="sqs", suffix="jobs", batch_size=10
        ),
        EventSource(
            function="tests.lambda.handlers.whole_batch", service="kinesis", suffix="rows", batch_size=100
        ),
    ]
    monkeypatch.setattr(core.contract.registry, "event_sources", lambda: sources)


def test_a_stream_batch_reaches_its_handler_by_table_name_whatever_the_stream_timestamp(routes, sample_event):
    event = sample_event("dynamodb-stream-batch")
    for record in event["Records"]:
        record["eventSourceARN"] = LIVE_STREAM_ARN

    result = handler(event, None)

    assert result == {"batchItemFailures": []}
    assert [call["body"]["event"] for call in handlers.CALLS] == ["INSERT", "MODIFY"]


def test_an_sqs_batch_reports_only_the_failed_message(routes, sample_event):
    event = sample_event("sqs-batch", QUEUE_NAME="serverless-django-test-jobs")
    event["Records"][1]["body"] = '{"poison": true}'

    result = handler(event, None)

    assert result == {"batchItemFailures": [{"itemIdentifier": event["Records"][1]["messageId"]}]}


def test_a_kinesis_batch_reaches_its_handler_by_stream_name(routes, sample_event):
    event = sample_event("kinesis-batch", STREAM_NAME="serverless-django-test-rows")

    assert handler(event, None) == {"batchItemFailures": []}
    assert [{"records": 1, "arn": event["Records"][0]["eventSourceARN"]}] == handlers.CALLS


def test_records_of_a_source_no_app_declares_are_an_error_lambda_records(routes, sample_event):
    event = sample_event("sqs-batch", QUEUE_NAME="someone-elses-queue")

    with pytest.raises(UnroutableEvent, match="sqs someone-elses-queue"):
        handler(event, None)
    assert handlers.CALLS == []


def test_a_command_event_runs_a_function_the_settings_allow(routes, settings):
    settings.LAMBDA_ALLOWED_FUNCTIONS = ["tests.lambda.handlers.ping"]

    assert handler({"command": "tests.lambda.handlers.ping", "value": 7}, None) == {"pong": 7}


def test_a_manage_event_runs_an_allowed_management_command(routes):
    result = handler({"manage": "check --fail-level ERROR"}, None)

    assert result["command"] == "check"
    assert "System check identified" in result["summary"]


class _Lines(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


@pytest.fixture
def caplog():
    """The error lines of config and core (Zappa's and Django's logging set-up replace the root's
    handlers, pytest's among them, so this listens on the two loggers themselves)."""
    lines = _Lines()
    loggers = [logging.getLogger(name) for name in ("config", "core")]
    for logger in loggers:
        logger.addHandler(lines)
    yield lines
    for logger in loggers:
        logger.removeHandler(lines)


def stream_event(sample_event):
    event = sample_event("dynamodb-stream-batch")
    for record in event["Records"]:
        record["eventSourceARN"] = LIVE_STREAM_ARN
    return event


def _refusal_lines(caplog):
    return caplog.lines


# --- what the entry point refuses (issue 9, item 4) ----------------------------------------------


def test_a_manage_event_naming_flush_is_refused_and_nothing_is_deleted(routes, alice, caplog):
    from accounts.models import User

    with pytest.raises(CommandRefused, match="'flush'"):
        handler({"manage": "flush --noinput"}, None)

    assert User.objects.filter(pk=alice.pk).exists()
    (line,) = _refusal_lines(caplog)
    assert "Refused manage command 'flush'" in line


def test_a_scheduled_event_whose_kwargs_name_flush_is_refused(routes, alice, caplog):
    from accounts.models import User

    event = scheduled_event("daily-check-config.events.run_command")
    event["kwargs"] = {"command": "flush", "args": ["--noinput"]}

    with pytest.raises(CommandRefused, match="scheduled command 'flush'"):
        handler(event, None)

    assert User.objects.filter(pk=alice.pk).exists()
    assert len(_refusal_lines(caplog)) == 1


def test_a_raw_command_event_is_refused_without_running_it(routes, caplog):
    with pytest.raises(RefusedEvent, match="raw_command"):
        handler({"raw_command": "import tests.lambda.handlers as h; h.CALLS.append('ran')"}, None)

    assert handlers.CALLS == []
    assert len(_refusal_lines(caplog)) == 1


def test_a_command_event_naming_any_other_dotted_function_is_refused(routes, caplog):
    with pytest.raises(RefusedEvent, match="'tests.lambda.handlers.whole_batch'"):
        handler({"command": "tests.lambda.handlers.whole_batch"}, None)
    with pytest.raises(RefusedEvent, match="'os.getcwd'"):
        handler({"command": "os.getcwd"}, None)

    assert handlers.CALLS == []
    assert len(_refusal_lines(caplog)) == 2


def test_a_schedule_naming_a_function_other_than_run_command_is_refused(routes, caplog):
    with pytest.raises(RefusedEvent, match="'tests.lambda.handlers.ping'"):
        handler(scheduled_event("sneaky-tests.lambda.handlers.ping"), None)

    assert len(_refusal_lines(caplog)) == 1


def test_the_allowed_commands_are_the_schedules_and_what_the_role_may_do(settings):
    from config.events import allowed_commands

    assert {"check", "scrape", "migrate", "create_admin", "redrive"} <= allowed_commands()
    # The role creates no table, queue or mapping (core.deploy.iam): those run from the desktop.
    assert not {"provision", "sync_event_sources", "create_tables", "delete_tables"} & allowed_commands()
    assert not {"flush", "shell", "dbshell", "loaddata", "createsuperuser"} & allowed_commands()


def test_zappas_keep_warm_ping_is_answered(routes):
    assert handler(scheduled_event("zappa-keep-warm-handler.keep_warm_callback"), None) == {"keep_warm": True}


# --- events it cannot place (issue 9, items 5 and 6) ---------------------------------------------


def scheduled_event(rule_suffix):
    return {
        "version": "0",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "resources": [f"arn:aws:events:us-east-1:123456789012:rule/serverless-django-test-{rule_suffix}"],
        "detail": {},
        "kwargs": {"command": "check", "args": []},
    }


@pytest.mark.parametrize(
    "event",
    [{}, {"foo": "bar"}, [], "ping", None, {"Records": []}, {"Records": "x"}],
    ids=["empty", "foo-bar", "a-list", "a-string", "null", "no-records", "records-a-string"],
)
def test_an_event_it_cannot_place_is_an_error_with_one_log_line(routes, caplog, event):
    with pytest.raises(UnroutableEvent):
        handler(event, None)

    assert len(_refusal_lines(caplog)) == 1
    assert handlers.CALLS == []


def test_records_that_are_not_objects_are_one_clear_error(routes, caplog):
    with pytest.raises(UnroutableEvent, match="Record 0 of 1 is not an object"):
        handler({"Records": ["x"]}, None)
    assert len(_refusal_lines(caplog)) == 1


def test_records_of_a_source_no_app_declares_are_logged_once(routes, sample_event, caplog):
    with pytest.raises(UnroutableEvent):
        handler(sample_event("sqs-batch", QUEUE_NAME="someone-elses-queue"), None)
    (line,) = _refusal_lines(caplog)
    assert "No app declares a handler for sqs someone-elses-queue" in line


def test_sns_records_are_refused_when_no_app_consumes_a_topic(routes, sample_event, caplog):
    with pytest.raises(UnroutableEvent, match="arn:aws:sns"):
        handler(sample_event("sns-notification", TOPIC_NAME="serverless-django-test-alerts"), None)
    assert len(_refusal_lines(caplog)) == 1


def test_a_scheduled_event_without_resources_is_one_clear_error(routes, caplog):
    event = scheduled_event("daily-check-config.events.run_command")
    del event["resources"]

    with pytest.raises(UnroutableEvent, match="without a rule ARN"):
        handler(event, None)
    assert len(_refusal_lines(caplog)) == 1


def test_a_stream_record_without_its_new_image_fails_the_batch_before_anything_runs(
    routes, sample_event, caplog
):
    event = stream_event(sample_event)
    del event["Records"][1]["dynamodb"]["NewImage"]
    sequence = event["Records"][1]["dynamodb"]["SequenceNumber"]

    with pytest.raises(MalformedBatch, match=f"sequence number {sequence}.*without NewImage"):
        handler(event, None)

    assert handlers.CALLS == []
    assert len(_refusal_lines(caplog)) == 1


@pytest.mark.parametrize("damage", ["dynamodb", "SequenceNumber"])
def test_a_stream_record_without_its_sequence_number_is_one_clear_error(routes, sample_event, caplog, damage):
    event = stream_event(sample_event)
    record = event["Records"][0]
    del (record if damage == "dynamodb" else record["dynamodb"])[damage]

    with pytest.raises(MalformedBatch, match="Record 0 of 2 .*no identifier"):
        handler(event, None)

    assert handlers.CALLS == []
    assert len(_refusal_lines(caplog)) == 1


def test_an_sqs_record_that_fails_its_handler_is_reported_not_raised(routes, sample_event):
    event = sample_event("sqs-batch", QUEUE_NAME="serverless-django-test-jobs")
    event["Records"][0]["body"] = "not json"

    result = handler(event, None)

    assert result == {"batchItemFailures": [{"itemIdentifier": event["Records"][0]["messageId"]}]}


def test_every_schedule_of_zappa_settings_runs_through_the_entry_points_allow_list():
    from config.events import RUN_COMMAND, allowed_commands
    from core.stages import load_stage, schedules

    for stage in ("dev", "prod"):
        for schedule in schedules(load_stage(stage)):
            assert schedule.function == RUN_COMMAND, schedule
            assert schedule.kwargs["command"] in allowed_commands(), schedule

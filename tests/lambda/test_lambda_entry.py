"""The thin Lambda entry: records routed by the apps' declared sources (by name), the rest to Zappa."""

import importlib

import pytest

import core.registry
from config.lambda_entry import UnroutableEvent, handler
from core.registry import EventSource

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
    monkeypatch.setattr(core.registry, "event_sources", lambda: sources)


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


def test_a_direct_command_event_goes_through_zappa(routes):
    assert handler({"command": "tests.lambda.handlers.ping", "value": 7}, None) == {"pong": 7}


def test_a_manage_event_runs_the_management_command_through_zappa(routes, capsys):
    assert handler({"manage": "check --fail-level ERROR"}, None) == {}
    assert "System check identified" in capsys.readouterr().out

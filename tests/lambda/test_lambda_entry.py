"""The thin Lambda entry: records routed by table/stream/queue name, everything else to Zappa."""

import importlib

import pytest

from config.lambda_entry import handler, source_key

handlers = importlib.import_module("tests.lambda.handlers")

SETTINGS_TABLE_ARN = (
    "arn:aws:dynamodb:us-east-1:000000000000:table/serverless-django-test-things/stream/LATEST"
)
LIVE_STREAM_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/serverless-django-test-things/stream/2031-05-17T08:09:10.111"


@pytest.fixture(autouse=True)
def _clear_calls():
    handlers.CALLS.clear()


@pytest.fixture
def routes(zappa_settings_module):
    zappa_settings_module(
        {
            SETTINGS_TABLE_ARN: ["tests.lambda.handlers.fail_on_poison"],
            "arn:aws:sqs:us-east-1:000000000000:serverless-django-test-jobs": [
                "tests.lambda.handlers.fail_on_poison"
            ],
            "arn:aws:kinesis:us-east-1:000000000000:stream/serverless-django-test-rows": [
                "tests.lambda.handlers.whole_batch"
            ],
        }
    )


@pytest.mark.parametrize(
    ("arn", "key"),
    [
        (LIVE_STREAM_ARN, ("dynamodb", "serverless-django-test-things")),
        ("arn:aws:kinesis:us-east-1:1:stream/rows", ("kinesis", "rows")),
        ("arn:aws:sqs:us-east-1:1:jobs", ("sqs", "jobs")),
        ("arn:aws:sns:us-east-1:1:topic", None),
    ],
)
def test_it_reduces_an_arn_to_service_and_name(arn, key):
    assert source_key(arn) == key


def test_a_stream_batch_reaches_its_handler_by_table_name_whatever_the_stream_timestamp(routes, sample_event):
    event = sample_event("dynamodb-stream-batch")
    for record in event["Records"]:
        record["eventSourceARN"] = LIVE_STREAM_ARN
    assert "2031-05-17" not in SETTINGS_TABLE_ARN

    result = handler(event, None)

    assert result == {"batchItemFailures": []}
    assert [call["body"]["event"] for call in handlers.CALLS] == ["INSERT", "MODIFY"]


def test_zappa_alone_would_drop_that_stream_batch(routes, sample_event):
    from zappa.handler import LambdaHandler

    event = sample_event("dynamodb-stream-batch")
    for record in event["Records"]:
        record["eventSourceARN"] = LIVE_STREAM_ARN

    assert LambdaHandler().handler(event, None) is None
    assert handlers.CALLS == []


def test_an_sqs_batch_reports_only_the_failed_message(routes, sample_event):
    event = sample_event("sqs-batch", QUEUE_NAME="serverless-django-test-jobs")
    event["Records"][1]["body"] = '{"poison": true}'

    result = handler(event, None)

    assert result == {"batchItemFailures": [{"itemIdentifier": event["Records"][1]["messageId"]}]}


def test_a_kinesis_batch_reaches_its_handler_by_stream_name(routes, sample_event):
    event = sample_event("kinesis-batch", STREAM_NAME="serverless-django-test-rows")

    assert handler(event, None) == {"batchItemFailures": []}
    assert [{"records": 1, "arn": event["Records"][0]["eventSourceARN"]}] == handlers.CALLS


def test_records_of_an_unmapped_source_go_to_zappa_which_finds_nothing(routes, sample_event):
    event = sample_event("sqs-batch", QUEUE_NAME="someone-elses-queue")

    assert handler(event, None) is None
    assert handlers.CALLS == []


def test_a_direct_command_event_goes_through_zappa(routes):
    assert handler({"command": "tests.lambda.handlers.ping", "value": 7}, None) == {"pong": 7}


def test_a_manage_event_runs_the_management_command_through_zappa(routes, capsys):
    assert handler({"manage": "check --fail-level ERROR"}, None) == {}
    assert "System check identified" in capsys.readouterr().out

"""``manage.py redrive`` on on-failure messages as AWS writes them (Kinesis) and on a queue's DLQ."""

import importlib
import io
import json

import pytest
from django.core.management import CommandError, call_command

import core.aws.redrive
from core.aws import client
from core.contract.registry import EventSource
from core.contract.resources import KinesisStream, Queue
from core.deploy.provisioning import aws_provision

handlers = importlib.import_module("tests.lambda.handlers")
HANDLER = "tests.lambda.handlers.fail_on_poison"


@pytest.fixture(autouse=True)
def _clear_calls():
    handlers.CALLS.clear()
    yield
    handlers.CALLS.clear()


@pytest.fixture
def declared(monkeypatch):
    def declare(*sources):
        monkeypatch.setattr(core.aws.redrive, "event_sources", lambda: list(sources))

    return declare


def _aws_kinesis_failure(stream_arn, shard_id, first, last, size):
    """An on-failure message in the shape Lambda sends it for a Kinesis mapping."""
    return {
        "requestContext": {
            "requestId": "c9b8fa9f-5a7f-4d2c-9c4d-1f0c2f1e8d5a",
            "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:serverless-django-dev",
            "condition": "RecordAgeExceeded",
            "approximateInvokeCount": 9,
        },
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
        "version": "1.0",
        "timestamp": "2026-12-01T22:00:00.000Z",
        "KinesisBatchInfo": {
            "shardId": shard_id,
            "startSequenceNumber": first,
            "endSequenceNumber": last,
            "approximateArrivalOfFirstRecord": "2026-12-01T10:00:00.000Z",
            "approximateArrivalOfLastRecord": "2026-12-01T10:00:01.000Z",
            "batchSize": size,
            "streamArn": stream_arn,
        },
    }


def test_a_kinesis_range_is_re_read_and_handed_to_the_handler_then_its_message_deleted(aws_fresh, declared):
    aws_provision(
        models=[], resources=[KinesisStream("redrive-rows"), Queue("redrive-rows-dlq", dead_letter=False)]
    )
    declared(EventSource(function=HANDLER, service="kinesis", suffix="redrive-rows", batch_size=10))
    kinesis, sqs = client("kinesis"), client("sqs")
    name = "serverless-django-test-redrive-rows"
    put = [
        kinesis.put_record(StreamName=name, Data=json.dumps({"n": n}).encode(), PartitionKey="p")
        for n in range(4)
    ]
    arn = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamARN"]
    dlq = sqs.get_queue_url(QueueName=f"{name}-dlq")["QueueUrl"]
    message = _aws_kinesis_failure(
        arn, put[1]["ShardId"], put[1]["SequenceNumber"], put[2]["SequenceNumber"], 2
    )
    sqs.send_message(QueueUrl=dlq, MessageBody=json.dumps(message))

    out = io.StringIO()
    call_command("redrive", stdout=out)

    assert [call["body"] for call in handlers.CALLS] == [{"n": 1}, {"n": 2}]
    assert "1 redriven" in out.getvalue()
    assert "Messages" not in sqs.receive_message(QueueUrl=dlq)


def test_a_dead_lettered_queue_message_is_handed_back_and_a_poison_one_stays(aws_fresh, declared):
    aws_provision(models=[], resources=[Queue("redrive-jobs")])
    declared(EventSource(function=HANDLER, service="sqs", suffix="redrive-jobs", batch_size=10))
    sqs = client("sqs")
    dlq = sqs.get_queue_url(QueueName="serverless-django-test-redrive-jobs-dlq")["QueueUrl"]
    sqs.send_message(QueueUrl=dlq, MessageBody=json.dumps({"n": 1}))
    sqs.send_message(QueueUrl=dlq, MessageBody=json.dumps({"n": 2, "poison": True}))

    with pytest.raises(CommandError, match="1 failures are still waiting"):
        call_command("redrive", stdout=io.StringIO())

    assert sorted(call["body"]["n"] for call in handlers.CALLS) == [1, 2]
    left = core.aws.redrive.failures_list()
    assert [json.loads(f.body) for f in left] == [{"n": 2, "poison": True}]

"""sync_event_sources against the emulator's Lambda API (create_function needs no Docker until invoked)."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command

import core.event_sources
from core.aws import client
from core.event_sources import load_stage, sync_mappings
from core.provisioning import aws_provision
from core.resources import KinesisStream, Queue

ROLE_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}


@pytest.fixture
def deployed(aws, tmp_path, monkeypatch):
    """The test stage's function, a stream table, a Kinesis stream and a queue, on the emulator."""
    role = client("iam").create_role(RoleName="lambda", AssumeRolePolicyDocument=json.dumps(ROLE_POLICY))[
        "Role"
    ]["Arn"]
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("handler.py", "def lambda_handler(event, context):\n    return None\n")
    client("lambda").create_function(
        FunctionName="serverless-django-test",
        Runtime="python3.11",
        Role=role,
        Handler="handler.lambda_handler",
        Code={"ZipFile": code.getvalue()},
    )
    client("dynamodb").create_table(
        TableName="serverless-django-test-days",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    aws_provision(models=[], resources=[Queue("jobs"), Queue("days"), KinesisStream("rows")])
    path = tmp_path / "zappa_settings.json"
    events = [
        {
            "function": "a.events.days",
            "event_source": {
                "arn": "arn:aws:dynamodb:us-east-1:000000000000:table/serverless-django-test-days/stream/LATEST"
            },
        },
        {
            "function": "a.events.rows",
            "event_source": {
                "arn": "arn:aws:kinesis:us-east-1:000000000000:stream/serverless-django-test-rows",
                "batch_size": 50,
            },
        },
        {
            "function": "a.events.jobs",
            "event_source": {
                "arn": "arn:aws:sqs:us-east-1:000000000000:serverless-django-test-jobs",
                "batch_size": 5,
            },
        },
    ]
    path.write_text(json.dumps({"test": {"project_name": "serverless-django", "events": events}}))
    monkeypatch.setattr(core.event_sources, "SETTINGS_FILE", path)
    return load_stage("test", path=path)


def mappings():
    return {
        m["EventSourceArn"].split(":")[5].split("/")[1]
        if "/" in m["EventSourceArn"].split(":")[5]
        else m["EventSourceArn"].split(":")[5]: m
        for m in client("lambda").list_event_source_mappings(FunctionName="serverless-django-test")[
            "EventSourceMappings"
        ]
    }


def test_every_mapping_is_created_with_what_zappa_leaves_out(deployed):
    outcomes = sync_mappings(config=deployed, stage="test", clients=client)

    assert [o[2] for o in outcomes] == ["created", "created", "created"]
    found = mappings()
    days, rows, jobs = (
        found["serverless-django-test-days"],
        found["serverless-django-test-rows"],
        found["serverless-django-test-jobs"],
    )
    stream_arn = client("dynamodb").describe_table(TableName="serverless-django-test-days")["Table"][
        "LatestStreamArn"
    ]
    assert days["EventSourceArn"] == stream_arn  # resolved from the table name, timestamp and all
    for stream in (days, rows):
        assert stream["StartingPosition"] == "TRIM_HORIZON"
        assert stream["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert stream["MaximumRetryAttempts"] == 3
        assert stream["BisectBatchOnFunctionError"] is True
    assert days["DestinationConfig"]["OnFailure"]["Destination"].endswith(":serverless-django-test-days-dlq")
    assert jobs["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert jobs["BatchSize"] == 5


def test_running_it_again_changes_nothing(deployed):
    sync_mappings(config=deployed, stage="test", clients=client)
    out = io.StringIO()

    call_command("sync_event_sources", "--stage", "test", stdout=out)

    assert "3 exists" in out.getvalue()
    assert len(mappings()) == 3


def test_a_mapping_zappa_created_without_partial_batch_responses_is_fixed(deployed):
    queue_arn = client("sqs").get_queue_attributes(
        QueueUrl=client("sqs").get_queue_url(QueueName="serverless-django-test-jobs")["QueueUrl"],
        AttributeNames=["QueueArn"],
    )["Attributes"]["QueueArn"]
    client("lambda").create_event_source_mapping(
        FunctionName="serverless-django-test", EventSourceArn=queue_arn, BatchSize=10
    )

    outcomes = dict(
        ((o[1].split(" ")[0]), o[2]) for o in sync_mappings(config=deployed, stage="test", clients=client)
    )

    assert outcomes["sqs:serverless-django-test-jobs"] == "updated"
    assert mappings()["serverless-django-test-jobs"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]

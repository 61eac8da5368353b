"""sync_event_sources against the emulator's Lambda API (create_function needs no Docker until invoked)."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command

from core.aws import client
from core.contract.naming import parse_arn
from core.contract.registry import EventSource, event_sources
from core.contract.resources import KinesisStream, Queue
from core.deploy.event_sources import sync_mappings
from core.deploy.provisioning import aws_provision

ROLE_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}


@pytest.fixture
def deployed(aws_fresh):
    """The test stage's function, a stream table, a Kinesis stream and a queue; the sources feeding it."""
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
    aws_provision(
        models=[], resources=[Queue("jobs"), Queue("days-dlq", dead_letter=False), KinesisStream("rows")]
    )
    return [
        EventSource(function="a.events.days", service="dynamodb", suffix="days", batch_size=100),
        EventSource(function="a.events.rows", service="kinesis", suffix="rows", batch_size=50),
        EventSource(function="a.events.jobs", service="sqs", suffix="jobs", batch_size=5),
    ]


def mappings():
    found = client("lambda").list_event_source_mappings(FunctionName="serverless-django-test")
    return {parse_arn(m["EventSourceArn"])[2]: m for m in found["EventSourceMappings"]}


def test_every_mapping_is_created_with_what_zappa_leaves_out(deployed):
    outcomes = sync_mappings(stage="test", clients=client, sources=deployed)

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
        # An archive's policy: retry without a count limit, give up only on records half the
        # stream's 24 h old, bisecting to the record that fails.
        assert stream["MaximumRetryAttempts"] == -1
        assert stream["MaximumRecordAgeInSeconds"] == 12 * 3600
        assert stream["BisectBatchOnFunctionError"] is True
    assert days["DestinationConfig"]["OnFailure"]["Destination"].endswith(":serverless-django-test-days-dlq")
    assert jobs["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert jobs["BatchSize"] == 5


def test_running_it_again_changes_nothing(deployed):
    sync_mappings(stage="test", clients=client, sources=deployed)

    outcomes = sync_mappings(stage="test", clients=client, sources=deployed)

    assert [o[2] for o in outcomes] == ["exists", "exists", "exists"]
    assert len(mappings()) == 3


def test_the_command_maps_what_the_apps_declare(deployed):
    out = io.StringIO()

    call_command("sync_event_sources", "--stage", "test", stdout=out)
    call_command("sync_event_sources", "--stage", "test", stdout=out)

    assert (
        "dynamodb:serverless-django-test-routine-days -> routines.events.archive_days: created"
        in out.getvalue()
    )
    declared = len(event_sources())  # every app's sources: the second run finds them all
    assert f"Event source mappings of test: {declared} exists." in out.getvalue()
    archive = mappings()["serverless-django-test-routine-days"]
    assert archive["DestinationConfig"]["OnFailure"]["Destination"].endswith(
        ":serverless-django-test-routine-days-dlq"
    )


def test_a_mapping_zappa_created_without_partial_batch_responses_is_fixed(deployed):
    queue_arn = client("sqs").get_queue_attributes(
        QueueUrl=client("sqs").get_queue_url(QueueName="serverless-django-test-jobs")["QueueUrl"],
        AttributeNames=["QueueArn"],
    )["Attributes"]["QueueArn"]
    client("lambda").create_event_source_mapping(
        FunctionName="serverless-django-test", EventSourceArn=queue_arn, BatchSize=10
    )

    outcomes = dict(
        ((o[1].split(" ")[0]), o[2]) for o in sync_mappings(stage="test", clients=client, sources=deployed)
    )

    assert outcomes["sqs:serverless-django-test-jobs"] == "updated"
    assert mappings()["serverless-django-test-jobs"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]


def test_a_mapping_nobody_declares_is_removed(deployed):
    sync_mappings(stage="test", clients=client, sources=deployed)

    outcomes = sync_mappings(stage="test", clients=client, sources=deployed[:2])

    assert [o[2] for o in outcomes] == ["exists", "exists", "removed"]
    assert set(mappings()) == {"serverless-django-test-days", "serverless-django-test-rows"}


def test_remove_mappings_leaves_the_function_none(deployed):
    from core.deploy.event_sources import remove_mappings

    sync_mappings(stage="test", clients=client, sources=deployed)

    outcomes = remove_mappings(stage="test", clients=client)

    assert [o[2] for o in outcomes] == ["removed"] * 3
    assert mappings() == {}

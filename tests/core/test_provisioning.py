"""create_tables, delete_tables and provision on the emulator: idempotent, one line per resource."""

import json
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from core.aws import client
from core.contract.registry import declared_resources, dynamo_models
from core.contract.resources import KinesisStream, Queue, Topic


def _run(name, *args) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def declared(monkeypatch):
    """An app that declares one queue, one topic and one Kinesis stream."""
    config = apps.get_app_config("core")
    resources = [Queue("jobs", max_receive_count=4), Topic("alerts"), KinesisStream("rows")]
    monkeypatch.setattr(config, "aws_resources", resources, raising=False)
    return resources


def test_tables_are_what_the_apps_declare():
    names = {model.Meta.table_name for model in dynamo_models()}

    assert {"serverless-django-test-sessions", "serverless-django-test-routine-days"} <= names


def test_a_stream_source_gets_its_on_failure_queue_without_declaring_it(aws_fresh):
    derived = [r for r in declared_resources() if r.name == "routine-days-dlq"]
    sqs = client("sqs")
    url = sqs.get_queue_url(QueueName="serverless-django-test-routine-days-dlq")["QueueUrl"]
    kept = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["MessageRetentionPeriod"])["Attributes"]

    assert len(derived) == 1
    assert derived[0].dead_letter is False
    assert int(kept["MessageRetentionPeriod"]) == 14 * 24 * 3600


def test_create_tables_twice_creates_then_reports_exists(aws_fresh):
    call_command("delete_tables", "--yes", stdout=StringIO())

    first = _run("create_tables")
    second = _run("create_tables")

    assert "table  serverless-django-test-sessions: created" in first
    assert "table  serverless-django-test-sessions: exists" in second
    assert "created" not in second
    assert "Nothing changed" in second
    ttl = client("dynamodb").describe_time_to_live(TableName="serverless-django-test-sessions")
    assert ttl["TimeToLiveDescription"]["AttributeName"] == "expires_at"


def test_delete_tables_reports_deleted_then_absent(aws_fresh):
    first = _run("delete_tables", "--yes")
    second = _run("delete_tables", "--yes")

    assert "serverless-django-test-sessions: deleted" in first
    assert "serverless-django-test-sessions: absent" in second
    assert "serverless-django-test-sessions" not in client("dynamodb").list_tables()["TableNames"]


def test_delete_tables_without_yes_and_without_a_terminal_refuses(aws_fresh):
    with pytest.raises(CommandError, match="--yes"):
        call_command("delete_tables", stdout=StringIO())


def test_provision_twice_creates_everything_once_and_then_changes_nothing(aws_fresh, declared):
    first = _run("provision")
    second = _run("provision")

    for line in (
        "queue  serverless-django-test-jobs-dlq: created",
        "queue  serverless-django-test-jobs: created",
        "topic  serverless-django-test-alerts: created",
        "stream serverless-django-test-rows: created",
    ):
        assert line in first
        assert line.replace("created", "exists") in second
    assert "Nothing changed" in second


def test_provisioned_queue_sends_failures_to_its_dead_letter_queue(aws_fresh, declared):
    _run("provision")
    sqs = client("sqs")
    url = sqs.get_queue_url(QueueName="serverless-django-test-jobs")["QueueUrl"]

    policy = json.loads(
        sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"])["Attributes"][
            "RedrivePolicy"
        ]
    )

    assert policy["deadLetterTargetArn"].endswith(":serverless-django-test-jobs-dlq")
    assert int(policy["maxReceiveCount"]) == 4


def test_provision_with_a_stage_creates_that_stages_resources_as_its_siblings_take_stage(aws_fresh, declared):
    """`provision --stage dev`, like `iam_policy`, `sync_event_sources` and `undeploy` take it: the names are
    dev's, the process's own stay as they were."""
    from core.aws.dynamo import SessionItem

    printed = _run("provision", "--stage", "dev")

    assert "queue  serverless-django-dev-jobs: created" in printed
    assert "stream serverless-django-dev-rows: created" in printed
    assert "table  serverless-django-dev-sessions: created" in printed
    assert "serverless-django-dev-sessions" in client("dynamodb").list_tables()["TableNames"]
    assert SessionItem.Meta.table_name == "serverless-django-test-sessions"
    after = _run("provision")
    assert "serverless-django-test-jobs: created" in after
    assert "-dev-" not in after

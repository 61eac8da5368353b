"""The local event runner end to end on the emulator: schedules, SQS, DynamoDB Streams, Kinesis."""

import importlib
import io
import json
import time
from datetime import UTC, datetime, timedelta

import pytest

from core.aws import client
from core.contract.registry import EventSource
from core.contract.resources import KinesisStream, Queue
from core.deploy.provisioning import aws_provision
from core.local.runner import EventRunner, RunnerError
from tests.zappa_state import zappa_state_restored

handlers = importlib.import_module("tests.lambda.handlers")

T0 = datetime(2026, 11, 22, 5, 0, 30, tzinfo=UTC)
HANDLER = "tests.lambda.handlers.fail_on_poison"


def settings_file(tmp_path, events=()):
    path = tmp_path / "zappa_settings.json"
    path.write_text(
        json.dumps(
            {
                "base": {"project_name": "serverless-django", "django_settings": "config.settings"},
                "dev": {"extends": "base", "events": list(events)},
            }
        )
    )
    return path


def source(service, suffix):
    """A declared source feeding the fixture handler (as an app's AppConfig would declare it)."""
    return EventSource(function=HANDLER, service=service, suffix=suffix, batch_size=10)


@pytest.fixture
def zappa_settings_module():
    """The runner installs its own zappa_settings module; forget it (and Zappa's singleton) afterwards."""
    with zappa_state_restored():
        yield


@pytest.fixture(autouse=True)
def _clear_calls():
    handlers.CALLS.clear()
    yield
    handlers.CALLS.clear()


@pytest.fixture
def declared_sources(monkeypatch):
    """Make ``sources`` what the apps declare, for the runner and for the Lambda router it invokes."""
    import core.contract.registry
    import core.local.runner

    def declare(sources):
        monkeypatch.setattr(core.contract.registry, "event_sources", lambda: list(sources))
        monkeypatch.setattr(core.local.runner, "event_sources", lambda: list(sources))

    return declare


@pytest.fixture
def runner_for(tmp_path, zappa_settings_module, declared_sources):
    out = io.StringIO()

    def make(events=(), sources=(), **options):
        declared_sources(sources)
        runner = EventRunner(
            stage="dev", stdout=out, settings_path=settings_file(tmp_path, events), now=T0, **options
        )
        runner.out = out
        return runner

    return make


def bodies(kind):
    return [call["body"] for call in handlers.CALLS if call["source"] == kind]


def test_a_rate_schedule_runs_its_command_through_zappa_when_due(runner_for, db):
    runner = runner_for(
        [
            {
                "name": "check",
                "function": "config.events.run_command",
                "expression": "rate(1 minute)",
                "kwargs": {"command": "check", "args": ["--fail-level", "ERROR"]},
            }
        ]
    )

    assert runner.tick(now=T0 + timedelta(seconds=30)) == 0
    assert runner.tick(now=T0 + timedelta(seconds=61)) == 1

    assert "schedule check ran" in runner.out.getvalue()
    assert "System check identified no issues" in runner.out.getvalue()
    assert runner.timers[0].next_at == T0 + timedelta(minutes=2)


def test_a_schedule_it_cannot_honour_is_rejected_naming_the_event(tmp_path, zappa_settings_module):
    events = [{"name": "monthly", "function": "config.events.run_command", "expression": "cron(0 0 L * ? *)"}]

    with pytest.raises(RunnerError, match="'monthly'.*L, W and #"):
        EventRunner(stage="dev", settings_path=settings_file(tmp_path, events))


def test_a_failed_sqs_message_comes_back_then_lands_in_the_dead_letter_queue(runner_for, aws_fresh):
    aws_provision(models=[], resources=[Queue("runner-jobs", visibility_timeout=1, max_receive_count=2)])
    runner = runner_for(sources=[source("sqs", "runner-jobs")])
    sqs = client("sqs")
    url = sqs.get_queue_url(QueueName="serverless-django-test-runner-jobs")["QueueUrl"]
    for body in ({"n": 1}, {"n": 2, "poison": True}, {"n": 3}):
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps(body))

    runner.tick()
    assert sorted(b["n"] for b in bodies("aws:sqs")) == [1, 2, 3]
    assert runner.tick() == 0  # the failed one is invisible until its visibility timeout

    time.sleep(1.2)
    runner.tick()  # second receive: fails again (maxReceiveCount 2 reached)
    time.sleep(1.2)
    runner.tick()  # third receive: SQS (moto) redrives it to the DLQ instead of delivering

    assert sorted(b["n"] for b in bodies("aws:sqs")) == [1, 2, 2, 3]
    dlq = sqs.get_queue_url(QueueName="serverless-django-test-runner-jobs-dlq")["QueueUrl"]
    moved = sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10)["Messages"]
    assert [json.loads(m["Body"]) for m in moved] == [{"n": 2, "poison": True}]
    assert "1 failed" in runner.out.getvalue()


def _stream_table(name):
    dynamodb = client("dynamodb")
    dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    return dynamodb


def test_a_failed_stream_record_is_retried_with_backoff_bisected_and_only_sent_on_when_too_old(
    runner_for, aws_fresh
):
    dynamodb = _stream_table("serverless-django-test-runner-days")
    aws_provision(models=[], resources=[Queue("runner-days-dlq", dead_letter=False)])
    runner = runner_for(sources=[source("dynamodb", "runner-days")], max_record_age=60)
    table = "serverless-django-test-runner-days"
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "a"}})
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "b"}, "poison": {"BOOL": True}})
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "c"}})
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "d"}})
    now = datetime.now(UTC)
    sqs = client("sqs")
    dlq = sqs.get_queue_url(QueueName="serverless-django-test-runner-days-dlq")["QueueUrl"]

    runner.tick(now=now)  # a ok, b fails: c and d are not run now
    runner.tick(now=now)  # backing off: nothing delivered
    runner.tick(now=now + timedelta(seconds=1.5))  # b c d: b fails first -> bisect
    runner.tick(now=now + timedelta(seconds=4))  # b c: fails first -> bisect to b alone
    runner.tick(now=now + timedelta(seconds=9))  # b alone, young: retried later, not given up
    assert "Messages" not in sqs.receive_message(QueueUrl=dlq)
    runner.tick(now=now + timedelta(seconds=120))  # b alone and older than 60 s: on-failure queue
    runner.tick(now=now + timedelta(seconds=121))  # c d
    runner.tick(now=now + timedelta(seconds=122))  # nothing new

    keys = [b["new"]["pk"]["S"] for b in bodies("aws:dynamodb")]
    assert keys == ["a", "b", "b", "b", "b", "b", "c", "d"]
    assert "[events] dynamodb serverless-django-test-runner-days: 3 records" in runner.out.getvalue()
    record = handlers.CALLS[0]
    assert ":table/serverless-django-test-runner-days/stream/" in record["arn"]
    failure = json.loads(sqs.receive_message(QueueUrl=dlq)["Messages"][0]["Body"])
    assert failure["requestContext"]["condition"] == "RetryAttemptsExhausted"
    info = failure["DDBStreamBatchInfo"]
    assert info["batchSize"] == 1
    assert info["startSequenceNumber"] == info["endSequenceNumber"]


def test_a_runner_retries_a_failing_stream_record_for_as_long_as_the_stream_keeps_it(runner_for, aws_fresh):
    dynamodb = _stream_table("serverless-django-test-runner-days")
    runner = runner_for(sources=[source("dynamodb", "runner-days")], max_record_age=-1)
    dynamodb.put_item(
        TableName="serverless-django-test-runner-days", Item={"pk": {"S": "b"}, "poison": {"BOOL": True}}
    )
    now = datetime.now(UTC)

    for hours in range(0, 48, 4):
        runner.tick(now=now + timedelta(hours=hours))

    assert len(bodies("aws:dynamodb")) == 12
    assert runner.pending() == 1


def test_a_failed_kinesis_record_is_retried_from_its_sequence_number(runner_for, aws_fresh):
    aws_provision(models=[], resources=[KinesisStream("runner-rows")])
    runner = runner_for(sources=[source("kinesis", "runner-rows")])
    kinesis = client("kinesis")
    for body in ({"n": 1}, {"n": 2, "poison": True}, {"n": 3}):
        kinesis.put_record(
            StreamName="serverless-django-test-runner-rows", Data=json.dumps(body).encode(), PartitionKey="p"
        )

    now = datetime.now(UTC)
    runner.tick(now=now)
    runner.tick(now=now + timedelta(seconds=2))  # after the first backoff

    assert [b["n"] for b in bodies("aws:kinesis")] == [1, 2, 2]  # 1 is never repeated, 3 waits
    assert runner.sources[0].shards  # checkpoint kept per shard
    kind, sequence = next(iter(runner.sources[0].shards.values())).position
    assert kind == "AT_SEQUENCE_NUMBER"


def test_runevents_once_runs_one_tick(aws_fresh, zappa_settings_module, declared_sources):
    from django.core.management import call_command

    declared_sources([source("kinesis", "runner-rows")])
    aws_provision(models=[], resources=[KinesisStream("runner-rows")])
    client("kinesis").put_record(
        StreamName="serverless-django-test-runner-rows", Data=b'{"n": 9}', PartitionKey="p"
    )
    out = io.StringIO()

    call_command("runevents", "--stage", "dev", "--once", stdout=out)

    assert (
        "kinesis serverless-django-test-runner-rows -> tests.lambda.handlers.fail_on_poison" in out.getvalue()
    )
    assert "One tick: 1 invocations." in out.getvalue()
    assert bodies("aws:kinesis") == [{"n": 9}]


def test_the_runner_names_the_real_stage_and_the_events_it_runs(runner_for, db):
    runner = runner_for()

    assert runner.describe()[0].startswith(
        "Event runner on the test stage: the events of zappa_settings.json's 'dev'"
    )


def test_the_background_runner_starts_as_a_daemon_and_stops(aws, zappa_settings_module, monkeypatch):
    import core.local.runner

    monkeypatch.setattr(core.local.runner, "_background", None)
    out = io.StringIO()

    runner = core.local.runner.start_in_background(stdout=out, interval=0.05)
    _, thread = core.local.runner._background

    assert thread.daemon
    assert thread.is_alive()
    assert "Event runner on the test stage" in out.getvalue()
    assert "dynamodb serverless-django-test-routine-days -> routines.events.archive_days" in out.getvalue()
    runner.stop()
    thread.join(timeout=5)
    assert not thread.is_alive()

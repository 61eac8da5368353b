"""Create and delete the AWS resources the apps declare: tables, queues (+ DLQ), topics, streams, keys.

Tables, queues, topics and Kinesis streams are what the apps declare on their AppConfig
(``dynamo_models``, ``aws_resources``; each stream source's on-failure queue is derived, see
core.registry). Every function is idempotent and reports one
``(kind, name, outcome)`` per resource, so running it twice says "exists" the second time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings

from core.aws import client
from core.registry import declared_resources, dynamo_models
from core.resources import KinesisStream, KmsKey, Queue, Resource, Topic

if TYPE_CHECKING:
    from core.dynamo import DynamoModel

Outcome = tuple[str, str, str]


def _table_exists(model: type[DynamoModel]) -> bool:
    dynamodb = client("dynamodb")
    try:
        dynamodb.describe_table(TableName=model.Meta.table_name)
    except dynamodb.exceptions.ResourceNotFoundException:
        return False
    return True


def _ensure_ttl(model: type[DynamoModel]) -> None:
    ttl = model._ttl_attribute()
    if ttl is None:
        return
    dynamodb = client("dynamodb")
    status = dynamodb.describe_time_to_live(TableName=model.Meta.table_name)
    if status["TimeToLiveDescription"].get("TimeToLiveStatus") in ("ENABLED", "ENABLING"):
        return
    dynamodb.update_time_to_live(
        TableName=model.Meta.table_name,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl.attr_name},
    )


def tables_create(*, models: Iterable[type[DynamoModel]] | None = None) -> list[Outcome]:
    outcomes = []
    for model in models if models is not None else dynamo_models():
        if _table_exists(model):
            outcome = "exists"
        else:
            model.create_table(wait=True, billing_mode="PAY_PER_REQUEST", ignore_update_ttl_errors=True)
            outcome = "created"
        _ensure_ttl(model)
        outcomes.append(("table", model.Meta.table_name, outcome))
    return outcomes


def tables_delete(*, models: Iterable[type[DynamoModel]] | None = None) -> list[Outcome]:
    outcomes = []
    dynamodb = client("dynamodb")
    for model in models if models is not None else dynamo_models():
        if not _table_exists(model):
            outcomes.append(("table", model.Meta.table_name, "absent"))
            continue
        dynamodb.delete_table(TableName=model.Meta.table_name)
        dynamodb.get_waiter("table_not_exists").wait(
            TableName=model.Meta.table_name, WaiterConfig={"Delay": 2, "MaxAttempts": 60}
        )
        model._connection = None
        outcomes.append(("table", model.Meta.table_name, "deleted"))
    return outcomes


def _queue_url(name: str) -> str | None:
    sqs = client("sqs")
    try:
        return sqs.get_queue_url(QueueName=name)["QueueUrl"]
    except sqs.exceptions.QueueDoesNotExist:
        return None


def _queue_ensure(queue: Queue) -> list[Outcome]:
    sqs = client("sqs")
    outcomes = []
    if not queue.dead_letter:
        if _queue_url(queue.full_name) is None:
            sqs.create_queue(
                QueueName=queue.full_name, Attributes={"MessageRetentionPeriod": str(queue.retention_seconds)}
            )
            return [("queue", queue.full_name, "created")]
        return [("queue", queue.full_name, "exists")]
    dlq_url = _queue_url(queue.dlq_name)
    if dlq_url is None:
        # A dead-letter queue keeps its messages as long as SQS allows: a person reads them.
        dlq_url = sqs.create_queue(
            QueueName=queue.dlq_name, Attributes={"MessageRetentionPeriod": str(14 * 24 * 3600)}
        )["QueueUrl"]
        outcomes.append(("queue", queue.dlq_name, "created"))
    else:
        outcomes.append(("queue", queue.dlq_name, "exists"))
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    attributes = {
        "VisibilityTimeout": str(queue.visibility_timeout),
        "MessageRetentionPeriod": str(queue.retention_seconds),
        "RedrivePolicy": json.dumps(
            {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(queue.max_receive_count)}
        ),
    }
    url = _queue_url(queue.full_name)
    if url is None:
        sqs.create_queue(QueueName=queue.full_name, Attributes=attributes)
        outcomes.append(("queue", queue.full_name, "created"))
    else:
        outcomes.append(("queue", queue.full_name, "exists"))
    return outcomes


def _topic_ensure(topic: Topic) -> Outcome:
    sns = client("sns")
    arn = f"arn:aws:sns:{settings.AWS_REGION}:{_account()}:{topic.full_name}"
    try:
        sns.get_topic_attributes(TopicArn=arn)
        return ("topic", topic.full_name, "exists")
    except sns.exceptions.NotFoundException:
        sns.create_topic(Name=topic.full_name)
        return ("topic", topic.full_name, "created")


def _stream_ensure(stream: KinesisStream) -> Outcome:
    kinesis = client("kinesis")
    try:
        kinesis.describe_stream_summary(StreamName=stream.full_name)
        return ("stream", stream.full_name, "exists")
    except kinesis.exceptions.ResourceNotFoundException:
        kinesis.create_stream(StreamName=stream.full_name, ShardCount=stream.shards)
        kinesis.get_waiter("stream_exists").wait(
            StreamName=stream.full_name, WaiterConfig={"Delay": 1, "MaxAttempts": 60}
        )
        return ("stream", stream.full_name, "created")


def _key_ensure(key: KmsKey) -> Outcome:
    kms = client("kms")
    try:
        kms.describe_key(KeyId=key.alias)
        return ("key", key.alias, "exists")
    except kms.exceptions.NotFoundException:
        created = kms.create_key(Description=key.description or key.full_name, KeyUsage="ENCRYPT_DECRYPT")
        kms.create_alias(AliasName=key.alias, TargetKeyId=created["KeyMetadata"]["KeyId"])
        return ("key", key.alias, "created")


def _account() -> str:
    from core.aws import account_id

    return account_id()


def aws_provision(
    *,
    models: Iterable[type[DynamoModel]] | None = None,
    resources: Iterable[Resource] | None = None,
) -> list[Outcome]:
    """Create every table, queue (with DLQ), topic, Kinesis stream and KMS key (with its alias) that is missing."""
    outcomes = tables_create(models=models)
    for resource in resources if resources is not None else declared_resources():
        if isinstance(resource, Queue):
            outcomes.extend(_queue_ensure(resource))
        elif isinstance(resource, Topic):
            outcomes.append(_topic_ensure(resource))
        elif isinstance(resource, KinesisStream):
            outcomes.append(_stream_ensure(resource))
        elif isinstance(resource, KmsKey):
            outcomes.append(_key_ensure(resource))
    return outcomes

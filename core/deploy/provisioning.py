"""Create and delete the AWS resources the apps declare: tables, queues (+ DLQ), topics, streams, keys.

Tables, queues, topics and Kinesis streams are what the apps declare on their AppConfig
(``dynamo_models``, ``aws_resources``; each stream source's on-failure queue is derived, see
core.contract.registry), each as core.deploy.stack defines it (the CloudFormation template reads the
same definitions). Every function is idempotent and reports one
``(kind, name, outcome)`` per resource, so running it twice says "exists" the second time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings

from core.aws import client
from core.contract.registry import declared_resources, dynamo_models
from core.contract.resources import KinesisStream, KmsKey, Queue, Resource, Topic
from core.deploy.stack import (
    KEY_USAGE,
    TableDefinition,
    key_alias,
    key_description,
    queue_definitions,
    table_definition,
)

if TYPE_CHECKING:
    from core.aws.dynamo import DynamoModel

Outcome = tuple[str, str, str]


def _table_exists(model: type[DynamoModel]) -> bool:
    dynamodb = client("dynamodb")
    try:
        dynamodb.describe_table(TableName=model.Meta.table_name)
    except dynamodb.exceptions.ResourceNotFoundException:
        return False
    return True


def _ensure_ttl(table: TableDefinition) -> None:
    if table.ttl_attribute is None:
        return
    dynamodb = client("dynamodb")
    status = dynamodb.describe_time_to_live(TableName=table.name)
    if status["TimeToLiveDescription"].get("TimeToLiveStatus") in ("ENABLED", "ENABLING"):
        return
    dynamodb.update_time_to_live(
        TableName=table.name,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": table.ttl_attribute},
    )


def tables_create(*, models: Iterable[type[DynamoModel]] | None = None) -> list[Outcome]:
    """Create every missing table from its definition (core.deploy.stack, which the template reads too)."""
    outcomes = []
    dynamodb = client("dynamodb")
    for model in models if models is not None else dynamo_models():
        table = table_definition(model)
        if _table_exists(model):
            outcome = "exists"
        else:
            dynamodb.create_table(**table.create_table_arguments())
            dynamodb.get_waiter("table_exists").wait(
                TableName=table.name, WaiterConfig={"Delay": 1, "MaxAttempts": 120}
            )
            model._connection = None
            outcome = "created"
        _ensure_ttl(table)
        outcomes.append(("table", table.name, outcome))
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


def _queue_arn(url: str) -> str:
    attributes = client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    return attributes["Attributes"]["QueueArn"]


def _queue_ensure(queue: Queue) -> list[Outcome]:
    """The queue and its dead-letter queue, from their definitions (core.deploy.stack)."""
    sqs = client("sqs")
    outcomes = []
    urls: dict[str, str] = {}
    for definition in queue_definitions(queue):
        url = _queue_url(definition.name)
        if url is None:
            attributes = {key: str(value) for key, value in definition.attributes.items()}
            if definition.dead_letter:
                attributes["RedrivePolicy"] = json.dumps(
                    {
                        "deadLetterTargetArn": _queue_arn(urls[definition.dead_letter]),
                        "maxReceiveCount": str(definition.max_receive_count),
                    }
                )
            url = sqs.create_queue(QueueName=definition.name, Attributes=attributes)["QueueUrl"]
            outcomes.append(("queue", definition.name, "created"))
        else:
            outcomes.append(("queue", definition.name, "exists"))
        urls[definition.name] = url
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
    alias = key_alias(key)
    try:
        kms.describe_key(KeyId=alias)
        return ("key", alias, "exists")
    except kms.exceptions.NotFoundException:
        created = kms.create_key(Description=key_description(key), KeyUsage=KEY_USAGE)
        kms.create_alias(AliasName=alias, TargetKeyId=created["KeyMetadata"]["KeyId"])
        return ("key", alias, "created")


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

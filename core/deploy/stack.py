"""The stage's data resources as data: what ``provision`` creates and the CloudFormation template declares.

Apps declare tables (PynamoDB models), queues, topics, Kinesis streams and keys (core.contract.registry); this
module turns each declaration into the one definition both deploy paths read: core.deploy.provisioning
makes the boto3 calls from it, core.deploy.template writes the stage's template from it. A table's keys,
indexes, stream and TTL, a queue's visibility timeout, retention and dead-letter queue, a key's usage
cannot then differ between ``provision`` and the template (tests/deploy/test_template.py creates both
on the emulator and compares them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core.contract.naming import dead_letter_name, resource_name
from core.contract.resources import KmsKey, Queue

if TYPE_CHECKING:
    from core.aws.dynamo import DynamoModel

# Every table is on-demand: no capacity to plan, and an idle stage costs nothing.
BILLING_MODE = "PAY_PER_REQUEST"
# A dead-letter queue keeps its messages as long as SQS allows: a person reads them.
DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 3600
KEY_USAGE = "ENCRYPT_DECRYPT"


def _by_key_type(key_schema: Iterable[Any]) -> list[dict[str, str]]:
    return sorted(
        ({"AttributeName": k["AttributeName"], "KeyType": k["KeyType"]} for k in key_schema),
        key=lambda k: k["KeyType"],  # HASH before RANGE
    )


@dataclass(frozen=True)
class TableDefinition:
    """A DynamoDB table: keys, indexes, stream and TTL, in the API's (and CloudFormation's) shapes."""

    name: str
    attribute_definitions: list[dict[str, str]]
    key_schema: list[dict[str, str]]
    global_indexes: list[dict[str, Any]] = field(default_factory=list)
    local_indexes: list[dict[str, Any]] = field(default_factory=list)
    stream_view_type: str | None = None
    ttl_attribute: str | None = None
    billing_mode: str = BILLING_MODE

    def create_table_arguments(self) -> dict[str, Any]:
        """The CreateTable call of this table (TTL is a separate call: UpdateTimeToLive)."""
        arguments: dict[str, Any] = {
            "TableName": self.name,
            "AttributeDefinitions": self.attribute_definitions,
            "KeySchema": self.key_schema,
            "BillingMode": self.billing_mode,
        }
        if self.global_indexes:
            arguments["GlobalSecondaryIndexes"] = self.global_indexes
        if self.local_indexes:
            arguments["LocalSecondaryIndexes"] = self.local_indexes
        if self.stream_view_type:
            arguments["StreamSpecification"] = {
                "StreamEnabled": True,
                "StreamViewType": self.stream_view_type,
            }
        return arguments


def table_definition(model: type[DynamoModel], *, stage: str | None = None) -> TableDefinition:
    """The table of ``model`` (its PynamoDB schema) in ``stage``, or in this process's stage."""
    schema = model._get_schema()
    attributes: dict[str, str] = {}
    for definition in schema["attribute_definitions"]:
        attributes.setdefault(definition["AttributeName"], definition["AttributeType"])
    indexes: list[Any] = [*schema["global_secondary_indexes"], *schema["local_secondary_indexes"]]
    for index_schema in indexes:
        for definition in index_schema.get("attribute_definitions", []):
            attributes.setdefault(definition["AttributeName"], definition["AttributeType"])

    def index(index_schema: Any) -> dict[str, Any]:
        return {
            "IndexName": index_schema["index_name"],
            "KeySchema": _by_key_type(index_schema["key_schema"]),
            "Projection": dict(index_schema["projection"]),
        }

    ttl = model._ttl_attribute()
    return TableDefinition(
        name=model.Meta.table_name if stage is None else resource_name(model.Meta.table_suffix, stage=stage),
        attribute_definitions=[
            {"AttributeName": name, "AttributeType": kind} for name, kind in attributes.items()
        ],
        key_schema=_by_key_type(schema["key_schema"]),
        global_indexes=[index(i) for i in schema["global_secondary_indexes"]],
        local_indexes=[index(i) for i in schema["local_secondary_indexes"]],
        stream_view_type=getattr(model.Meta, "stream_view_type", None),
        ttl_attribute=ttl.attr_name if ttl is not None else None,
    )


@dataclass(frozen=True)
class QueueDefinition:
    """An SQS queue; ``dead_letter`` names the queue its poison messages move to (defined before it)."""

    name: str
    attributes: dict[str, int]
    dead_letter: str | None = None
    max_receive_count: int = 0


def queue_definitions(queue: Queue, *, stage: str | None = None) -> list[QueueDefinition]:
    """The queue and, unless it is itself a dead end, its dead-letter queue (first)."""
    name = resource_name(queue.name, stage=stage)
    if not queue.dead_letter:
        return [QueueDefinition(name, {"MessageRetentionPeriod": queue.retention_seconds})]
    dlq = dead_letter_name(name)
    return [
        QueueDefinition(dlq, {"MessageRetentionPeriod": DEAD_LETTER_RETENTION_SECONDS}),
        QueueDefinition(
            name,
            {
                "VisibilityTimeout": queue.visibility_timeout,
                "MessageRetentionPeriod": queue.retention_seconds,
            },
            dead_letter=dlq,
            max_receive_count=queue.max_receive_count,
        ),
    ]


def key_description(key: KmsKey, *, stage: str | None = None) -> str:
    return key.description or resource_name(key.name, stage=stage)


def key_alias(key: KmsKey, *, stage: str | None = None) -> str:
    return f"alias/{resource_name(key.name, stage=stage)}"

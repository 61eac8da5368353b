"""DynamoDB Streams and Kinesis records read with boto3 and shaped as Lambda delivers them.

Shared by the local event runner (core.local.runner), which polls the emulator's streams, and by
``manage.py redrive`` (core.aws.redrive), which re-reads the records an on-failure message names from
the emulator or from AWS alike. boto3 responses differ from Lambda's event records in small ways
(datetimes instead of epoch seconds, raw bytes instead of base64, a few keys Lambda adds); this is
the one place that knows them.
"""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from django.conf import settings


def _epoch(value: Any) -> float:
    return value.timestamp() if isinstance(value, datetime) else float(value)


def dynamodb_record(raw: dict[str, Any], *, arn: str) -> dict[str, Any]:
    """A GetRecords record of a table's stream, as Lambda puts it in an event."""
    shaped: dict[str, Any] = {
        key: raw[key]
        for key in ("eventID", "eventName", "eventVersion", "eventSource", "awsRegion")
        if key in raw
    }
    dynamodb = dict(raw["dynamodb"])
    if "ApproximateCreationDateTime" in dynamodb:
        dynamodb["ApproximateCreationDateTime"] = _epoch(dynamodb["ApproximateCreationDateTime"])
    shaped.update(dynamodb=dynamodb, eventSource="aws:dynamodb", eventSourceARN=arn)
    shaped.setdefault("awsRegion", settings.AWS_REGION)
    return shaped


def kinesis_record(raw: dict[str, Any], *, arn: str, shard_id: str, role: str = "") -> dict[str, Any]:
    """A Kinesis GetRecords record, as Lambda puts it in an event."""
    return {
        "kinesis": {
            "kinesisSchemaVersion": "1.0",
            "partitionKey": raw["PartitionKey"],
            "sequenceNumber": raw["SequenceNumber"],
            "data": base64.b64encode(raw["Data"]).decode("ascii"),
            "approximateArrivalTimestamp": _epoch(raw["ApproximateArrivalTimestamp"]),
        },
        "eventSource": "aws:kinesis",
        "eventVersion": "1.0",
        "eventID": f"{shard_id}:{raw['SequenceNumber']}",
        "eventName": "aws:kinesis:record",
        "invokeIdentityArn": role,
        "awsRegion": settings.AWS_REGION,
        "eventSourceARN": arn,
    }


def sequence_of(record: dict[str, Any]) -> str:
    """The sequence number of a Lambda-shaped stream record."""
    if "kinesis" in record:
        return record["kinesis"]["sequenceNumber"]
    return record["dynamodb"]["SequenceNumber"]


def created_of(record: dict[str, Any]) -> float:
    """When a Lambda-shaped stream record was written (epoch seconds)."""
    if "kinesis" in record:
        return float(record["kinesis"]["approximateArrivalTimestamp"])
    return float(record["dynamodb"].get("ApproximateCreationDateTime") or 0)


def read_range(
    *, service: str, clients: Any, arn: str, name: str, shard_id: str, start: str, end: str, page: int = 1000
) -> list[dict[str, Any]]:
    """The records of one shard from sequence ``start`` to ``end`` (inclusive), Lambda-shaped.

    Raises the service's error when the stream or shard is gone, and returns fewer records (or
    none) when the stream has trimmed them: the caller compares.
    """
    low, high = int(start), int(end)
    records: list[dict[str, Any]] = []
    if service == "dynamodb":
        streams = clients("dynamodbstreams")
        iterator = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard_id, ShardIteratorType="AT_SEQUENCE_NUMBER", SequenceNumber=start
        )["ShardIterator"]
        while iterator:
            response = streams.get_records(ShardIterator=iterator, Limit=page)
            batch = [dynamodb_record(raw, arn=arn) for raw in response["Records"]]
            records += [r for r in batch if low <= int(sequence_of(r)) <= high]
            if not batch or int(sequence_of(batch[-1])) >= high:
                break
            iterator = response.get("NextShardIterator")
        return records
    kinesis = clients("kinesis")
    iterator = kinesis.get_shard_iterator(
        StreamName=name,
        ShardId=shard_id,
        ShardIteratorType="AT_SEQUENCE_NUMBER",
        StartingSequenceNumber=start,
    )["ShardIterator"]
    while iterator:
        response = kinesis.get_records(ShardIterator=iterator, Limit=page)
        batch = [kinesis_record(raw, arn=arn, shard_id=shard_id) for raw in response["Records"]]
        records += [r for r in batch if low <= int(sequence_of(r)) <= high]
        if not batch or int(sequence_of(batch[-1])) >= high:
            break
        iterator = response.get("NextShardIterator")
    return records

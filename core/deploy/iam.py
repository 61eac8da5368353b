"""The least-privilege IAM policy of a stage's Lambda role, derived from what the apps declare.

Tables come from the apps' ``dynamo_models`` (with their indexes, and streams where a model has
``stream_view_type``), queues/topics/Kinesis streams from their ``aws_resources`` and the derived
on-failure queues (core.registry); names are those of the stage (core.naming). No statement has a
``*`` action.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from core.naming import dead_letter_name, function_name, resource_name
from core.registry import declared_resources, dynamo_models
from core.resources import KinesisStream, Queue, Topic

TABLE_ACTIONS = [
    "dynamodb:BatchGetItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "dynamodb:UpdateItem",
]
STREAM_ACTIONS = [
    "dynamodb:DescribeStream",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
    "dynamodb:ListStreams",
]
QUEUE_ACTIONS = [
    "sqs:ChangeMessageVisibility",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl",
    "sqs:ReceiveMessage",
    "sqs:SendMessage",
]
KINESIS_ACTIONS = [
    "kinesis:DescribeStream",
    "kinesis:DescribeStreamSummary",
    "kinesis:GetRecords",
    "kinesis:GetShardIterator",
    "kinesis:ListShards",
    "kinesis:PutRecord",
    "kinesis:PutRecords",
]


def policy_document(*, stage: str, account: str, region: str | None = None) -> dict:
    region = region or settings.AWS_REGION
    arn = f"{region}:{account}"
    statements: list[dict[str, Any]] = []
    tables, streams = [], []
    for model in dynamo_models():
        name = resource_name(model.Meta.table_suffix, stage=stage)
        tables += [f"arn:aws:dynamodb:{arn}:table/{name}", f"arn:aws:dynamodb:{arn}:table/{name}/index/*"]
        if getattr(model.Meta, "stream_view_type", None):
            streams.append(f"arn:aws:dynamodb:{arn}:table/{name}/stream/*")
    if tables:
        statements.append({"Sid": "Tables", "Effect": "Allow", "Action": TABLE_ACTIONS, "Resource": tables})
    if streams:
        statements.append(
            {"Sid": "TableStreams", "Effect": "Allow", "Action": STREAM_ACTIONS, "Resource": streams}
        )
    resources = declared_resources()
    queues = []
    for resource in resources:
        if isinstance(resource, Queue):
            name = resource_name(resource.name, stage=stage)
            queues += [name, dead_letter_name(name)] if resource.dead_letter else [name]
    queues = [f"arn:aws:sqs:{arn}:{name}" for name in queues]
    if queues:
        statements.append(
            {"Sid": "Queues", "Effect": "Allow", "Action": QUEUE_ACTIONS, "Resource": sorted(set(queues))}
        )
    topics = [
        f"arn:aws:sns:{arn}:{resource_name(r.name, stage=stage)}" for r in resources if isinstance(r, Topic)
    ]
    if topics:
        statements.append({"Sid": "Topics", "Effect": "Allow", "Action": ["sns:Publish"], "Resource": topics})
    kinesis = [
        f"arn:aws:kinesis:{arn}:stream/{resource_name(r.name, stage=stage)}"
        for r in resources
        if isinstance(r, KinesisStream)
    ]
    if kinesis:
        statements.append(
            {"Sid": "KinesisStreams", "Effect": "Allow", "Action": KINESIS_ACTIONS, "Resource": kinesis}
        )
    function = function_name(stage)
    statements.append(
        {
            "Sid": "Logs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": [
                f"arn:aws:logs:{arn}:log-group:/aws/lambda/{function}",
                f"arn:aws:logs:{arn}:log-group:/aws/lambda/{function}:*",
            ],
        }
    )
    return {"Version": "2012-10-17", "Statement": statements}

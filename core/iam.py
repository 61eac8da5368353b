"""The least-privilege IAM policy of a stage's Lambda role, derived from what the apps declare.

Tables come from each app's ``dynamo.py`` (with their indexes, and streams where a model has
``stream_view_type``), queues/topics/Kinesis streams from ``AppConfig.aws_resources``; names are
those of the stage (``serverless-django-<stage>-...``). No statement has a ``*`` action.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from core.dynamo import iter_models
from core.event_sources import lambda_name
from core.resources import KinesisStream, Queue, Topic, declared_resources

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


def policy_document(
    *, stage: str, account: str, region: str | None = None, config: dict[str, Any] | None = None
) -> dict:
    region = region or settings.AWS_REGION
    prefix = f"{settings.PROJECT_NAME}-{stage}-"
    arn = f"{region}:{account}"
    statements: list[dict[str, Any]] = []
    tables, streams = [], []
    for model in iter_models():
        name = f"{prefix}{model.Meta.table_suffix}"
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
    queues = [
        f"arn:aws:sqs:{arn}:{prefix}{r.name}{suffix}"
        for r in resources
        if isinstance(r, Queue)
        for suffix in (("", "-dlq") if r.dead_letter else ("",))
    ]
    if queues:
        statements.append(
            {"Sid": "Queues", "Effect": "Allow", "Action": QUEUE_ACTIONS, "Resource": sorted(set(queues))}
        )
    topics = [f"arn:aws:sns:{arn}:{prefix}{r.name}" for r in resources if isinstance(r, Topic)]
    if topics:
        statements.append({"Sid": "Topics", "Effect": "Allow", "Action": ["sns:Publish"], "Resource": topics})
    kinesis = [
        f"arn:aws:kinesis:{arn}:stream/{prefix}{r.name}" for r in resources if isinstance(r, KinesisStream)
    ]
    if kinesis:
        statements.append(
            {"Sid": "KinesisStreams", "Effect": "Allow", "Action": KINESIS_ACTIONS, "Resource": kinesis}
        )
    function = lambda_name(config or {"project_name": settings.PROJECT_NAME}, stage)
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

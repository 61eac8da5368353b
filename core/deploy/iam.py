"""The least-privilege IAM policy of a stage's Lambda role, derived from what the apps declare.

Tables come from the apps' ``dynamo_models`` (with their indexes, and streams where a model has
``stream_view_type``), queues/topics/Kinesis streams from their ``aws_resources`` and the derived
on-failure queues (core.contract.registry); names are those of the stage (core.contract.naming). No statement has a
``*`` action. Beside it: the role's trust policy (Lambda may assume it) and what the deployer (who
runs ``zappa deploy``) needs on it, ``iam:PassRole`` (``manage_roles`` is false: Zappa hands the
existing role to Lambda, and AWS checks that the caller may pass it).

With ``vpc=True`` (or a ``vpc_config`` on the stage) the role may also create, describe and delete
the network interfaces Lambda puts in the VPC's subnets; AWS allows those actions on ``*`` only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from core.contract.naming import dead_letter_name, function_name, resource_name
from core.contract.registry import declared_resources, dynamo_models
from core.contract.resources import KinesisStream, KmsKey, Queue, Topic

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
# Topics whose subscriptions the function manages (Topic(subscriptions=True)).
SUBSCRIPTION_ACTIONS = [
    "sns:Subscribe",
    "sns:Unsubscribe",
    "sns:GetSubscriptionAttributes",
    "sns:SetSubscriptionAttributes",
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

KEY_ACTIONS = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt"]


# The network interfaces Lambda creates in a VPC's subnets (AWSLambdaVPCAccessExecutionRole's actions).
VPC_ACTIONS = [
    "ec2:AssignPrivateIpAddresses",
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:UnassignPrivateIpAddresses",
]


def trust_policy() -> dict:
    """Who may assume the function's role: the Lambda service."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }


def role_arn(*, stage: str, account: str) -> str:
    """The stage's ``role_arn`` (zappa_settings.json) in ``account``."""
    from core.stages import load_stage

    name = load_stage(stage)["role_arn"].rsplit(":role/", 1)[-1]
    return f"arn:aws:iam::{account}:role/{name}"


def deployer_policy(*, stage: str, account: str) -> dict:
    """What the person or CI running ``zappa deploy`` needs on the role, beside Zappa's own needs."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PassTheFunctionRole",
                "Effect": "Allow",
                "Action": ["iam:PassRole"],
                "Resource": [role_arn(stage=stage, account=account)],
                "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}},
            },
            {
                # Zappa's callbacks.post gives the functions' log groups their retention (core.deploy.logs).
                "Sid": "LogRetention",
                "Effect": "Allow",
                "Action": ["logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:DescribeLogGroups"],
                "Resource": [
                    f"arn:aws:logs:{settings.AWS_REGION}:{account}:log-group:/aws/lambda/{function}:*"
                    for function in _stage_functions(stage)
                ],
            },
        ],
    }


def _stage_functions(stage: str) -> list[str]:
    """The stage's web function and its worker (core.stages), which share the role."""
    from core.stages import worker_stage

    return list(dict.fromkeys([function_name(stage), function_name(worker_stage(stage))]))


def _stage_settings(stage: str) -> dict[str, Any]:
    from core.stages import SettingsError, load_stage

    try:
        return load_stage(stage)
    except SettingsError:
        return {}


def ses_statement(*, stage_settings: dict[str, Any], account: str, region: str) -> dict | None:
    """Sending email through SES (core/aws/mail.py) from the stage's sender only: ``EMAIL_SENDER`` and
    ``AWS_SES_REGION`` of its ``aws_environment_variables`` (else of this environment). The sender's
    address identity and its domain's identity (SES authorizes by whichever is verified), and only
    with that From address. None when the stage names no sender (password reset is then off)."""
    import os
    from email.utils import parseaddr

    variables = stage_settings.get("aws_environment_variables") or {}
    sender = variables.get("EMAIL_SENDER") or os.environ.get("EMAIL_SENDER")
    address = parseaddr(sender or "")[1]
    if "@" not in address:
        return None
    ses_region = variables.get("AWS_SES_REGION") or os.environ.get("AWS_SES_REGION") or region
    domain = address.rsplit("@", 1)[1]
    return {
        "Sid": "SendEmail",
        "Effect": "Allow",
        "Action": ["ses:SendEmail"],
        "Resource": [
            f"arn:aws:ses:{ses_region}:{account}:identity/{address}",
            f"arn:aws:ses:{ses_region}:{account}:identity/{domain}",
        ],
        "Condition": {"StringEquals": {"ses:FromAddress": address}},
    }


def policy_document(*, stage: str, account: str, region: str | None = None, vpc: bool | None = None) -> dict:
    """The stage's role policy: what its functions need of the declared resources, of the stage's
    settings (secrets, email, remote env, VPC) and of their log groups, each by exact name."""
    region = region or settings.AWS_REGION
    arn = f"{region}:{account}"
    stage_settings = _stage_settings(stage)
    statements = [
        *_table_statements(stage=stage, arn=arn),
        *_resource_statements(stage=stage, arn=arn),
        *_stage_statements(stage_settings=stage_settings, arn=arn, account=account, region=region, vpc=vpc),
        _log_statement(stage=stage, arn=arn),
    ]
    return {"Version": "2012-10-17", "Statement": statements}


def _table_statements(*, stage: str, arn: str) -> list[dict[str, Any]]:
    """Every declared DynamoDB table with its indexes, and the streams of those that have one."""
    tables, streams = [], []
    for model in dynamo_models():
        name = resource_name(model.Meta.table_suffix, stage=stage)
        tables += [f"arn:aws:dynamodb:{arn}:table/{name}", f"arn:aws:dynamodb:{arn}:table/{name}/index/*"]
        if getattr(model.Meta, "stream_view_type", None):
            streams.append(f"arn:aws:dynamodb:{arn}:table/{name}/stream/*")
    statements: list[dict[str, Any]] = []
    if tables:
        statements.append({"Sid": "Tables", "Effect": "Allow", "Action": TABLE_ACTIONS, "Resource": tables})
    if streams:
        statements.append(
            {"Sid": "TableStreams", "Effect": "Allow", "Action": STREAM_ACTIONS, "Resource": streams}
        )
    return statements


def _resource_statements(*, stage: str, arn: str) -> list[dict[str, Any]]:
    """The declared queues (with their dead-letter queues), topics, Kinesis streams and KMS keys."""
    resources = declared_resources()
    statements: list[dict[str, Any]] = []
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
        # CreateTopic of the existing topic is how a function learns its ARN without STS.
        statements.append(
            {
                "Sid": "Topics",
                "Effect": "Allow",
                "Action": ["sns:Publish", "sns:CreateTopic"],
                "Resource": topics,
            }
        )
    managed = [
        f"arn:aws:sns:{arn}:{resource_name(r.name, stage=stage)}"
        for r in resources
        if isinstance(r, Topic) and r.subscriptions
    ]
    if managed:
        statements.append(
            {
                "Sid": "TopicSubscriptions",
                "Effect": "Allow",
                "Action": SUBSCRIPTION_ACTIONS,
                "Resource": managed + [f"{topic}:*" for topic in managed],
            }
        )
    kinesis = [
        f"arn:aws:kinesis:{arn}:stream/{resource_name(r.name, stage=stage)}"
        for r in resources
        if isinstance(r, KinesisStream)
    ]
    if kinesis:
        statements.append(
            {"Sid": "KinesisStreams", "Effect": "Allow", "Action": KINESIS_ACTIONS, "Resource": kinesis}
        )
    aliases = [f"alias/{resource_name(r.name, stage=stage)}" for r in resources if isinstance(r, KmsKey)]
    if aliases:
        # Keys are created with a random id; the policy names them by their alias.
        statements.append(
            {
                "Sid": "Keys",
                "Effect": "Allow",
                "Action": KEY_ACTIONS,
                "Resource": [f"arn:aws:kms:{arn}:key/*"],
                "Condition": {"ForAnyValue:StringEquals": {"kms:ResourceAliases": aliases}},
            }
        )
    return statements


def _stage_statements(
    *, stage_settings: dict[str, Any], arn: str, account: str, region: str, vpc: bool | None
) -> list[dict[str, Any]]:
    """What the stage's settings ask for: its secrets in SSM (and the first admin's password), SES
    from its sender, Zappa's remote_env object, network interfaces in a VPC."""
    statements: list[dict[str, Any]] = []
    secrets_path = (stage_settings.get("aws_environment_variables") or {}).get("SECRETS_SSM_PATH")
    if secrets_path:
        path = secrets_path.strip("/")
        statements.append(
            {
                "Sid": "Secrets",
                "Effect": "Allow",
                "Action": ["ssm:GetParametersByPath"],
                "Resource": [f"arn:aws:ssm:{arn}:parameter/{path}", f"arn:aws:ssm:{arn}:parameter/{path}/*"],
            }
        )
        # create_admin (allow-listed on Lambda) reads the first admin's password from a SecureString
        # under <path>/admin/ and deletes it once used.
        statements.append(
            {
                "Sid": "AdminPassword",
                "Effect": "Allow",
                "Action": ["ssm:GetParameter", "ssm:DeleteParameter"],
                "Resource": [f"arn:aws:ssm:{arn}:parameter/{path}/admin/*"],
            }
        )
    ses = ses_statement(stage_settings=stage_settings, account=account, region=region)
    if ses:
        statements.append(ses)
    remote_env = stage_settings.get("remote_env")
    if isinstance(remote_env, str) and remote_env.startswith("s3://"):
        # Zappa's remote_env (config/lambda_environment.py reads it at cold start): that one object.
        statements.append(
            {
                "Sid": "RemoteEnv",
                "Effect": "Allow",
                "Action": ["s3:GetObject"],
                "Resource": [f"arn:aws:s3:::{remote_env.removeprefix('s3://')}"],
            }
        )
    if vpc if vpc is not None else bool(stage_settings.get("vpc_config")):
        statements.append(
            {"Sid": "VpcNetworkInterfaces", "Effect": "Allow", "Action": VPC_ACTIONS, "Resource": ["*"]}
        )
    return statements


def _log_statement(*, stage: str, arn: str) -> dict[str, Any]:
    """The log groups of the stage's web function and its worker (they share the role)."""
    return {
        "Sid": "Logs",
        "Effect": "Allow",
        "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": [
            resource
            for function in _stage_functions(stage)
            for resource in (
                f"arn:aws:logs:{arn}:log-group:/aws/lambda/{function}",
                f"arn:aws:logs:{arn}:log-group:/aws/lambda/{function}:*",
            )
        ],
    }
